"""Structure edits on YAML front matter, through the Python API and the command line: exact
bytes as issue 12's laws say. The YAML engine half (formats/yaml: the file follows the data's
order, entries move with their own lines, rename in place) is built on the `structure` branch;
these tests pass once it is merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import QUICKTAKES

import frontmatter_qt as fq
from frontmatter_qt import cli

TEXT = """\
---
title: A  # the title
date: 2024-01-02
# about the tags
tags: [a, b]
base: &base
  x: 1
seo:
  title: S
  robots: none
---
Body
"""


def test_insert_after_date_in_the_seed_article_is_a_one_line_diff() -> None:
    before = (QUICKTAKES / "000-seed.md").read_text("utf-8")
    doc = fq.loads(before)
    doc.insert("updated", doc["date"], after="date")
    assert doc.dumps() == before.replace(
        "date: 2024-12-07\n", "date: 2024-12-07\nupdated: 2024-12-07\n", 1
    )


def test_insert_at_a_place_with_the_siblings_indentation() -> None:
    doc = fq.loads(TEXT)
    doc.insert(("seo", "description"), "D", after="title")
    doc.insert("id", 7, before="title")
    assert doc.dumps() == "---\nid: 7\n" + TEXT[4:].replace(
        "  title: S\n", "  title: S\n  description: D\n"
    )


def test_a_moved_entry_takes_its_comment_lines_and_its_edits() -> None:
    doc = fq.loads(TEXT)
    doc.move("tags", before="title")
    doc["tags"].append("c")
    assert doc.dumps() == TEXT.replace("# about the tags\ntags: [a, b]\n", "").replace(
        "---\ntitle", "---\n# about the tags\ntags: [a, b, c]\ntitle", 1
    )


def test_rename_keeps_the_comment_and_the_anchor() -> None:
    doc = fq.loads(TEXT)
    doc.rename("title", "heading")
    doc.rename("base", "defaults")
    doc.rename(("seo", "robots"), "index")
    assert doc.dumps() == (
        TEXT.replace("title: A  # the title", "heading: A  # the title")
        .replace("base: &base", "defaults: &base")
        .replace("  robots: none", "  index: none")
    )


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("? |\n  block key\n: 3\n", "block key\n", "? x\n: 3\n"),
        ("? >-\n  block\n  key\n\n: 3\nb: 1\n", "block key", "? x\n\n: 3\nb: 1\n"),
        ("? |  # c\n  k\n: 3\n", "k\n", "? x  # c\n: 3\n"),
        ("m:\n  ? |\n    k\n  : 3\n", ("m", "k\n"), "m:\n  ? x\n  : 3\n"),
    ],
    ids=["literal", "folded-blank-line", "header-comment", "nested"],
)
def test_rename_a_block_scalar_key_keeps_its_value_line(
    text: str, key: object, expected: str
) -> None:
    """Only the key's text changes: the `: value` line after a `? |` key stays a line of its
    own, blank lines after the key's text and a comment on its header stay."""
    doc = fq.loads(f"---\n{text}---\n")
    doc.rename(key, "x")
    assert doc.dumps() == f"---\n{expected}---\n"


def test_deleting_a_key_takes_its_comment_lines() -> None:
    doc = fq.loads(TEXT)
    del doc["tags"]
    assert doc.dumps() == TEXT.replace("# about the tags\ntags: [a, b]\n", "")


def test_the_command_renames_and_places_yaml_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(TEXT, "utf-8")
    runner = CliRunner()
    done = runner.invoke(cli.main, ["rename", "a.md", "seo.title=heading"])
    assert (done.exit_code, done.output) == (
        0,
        "updated a.md\n1 file changed, 0 unchanged, 0 failed\n",
    )
    done = runner.invoke(
        cli.main, ["set", "--after", "date", "a.md", "updated=2024-02-03", "tags+=c"]
    )
    assert done.exit_code == 0
    assert (tmp_path / "a.md").read_text("utf-8") == (
        TEXT.replace("  title: S", "  heading: S")
        .replace("date: 2024-01-02\n", "date: 2024-01-02\nupdated: 2024-02-03\n")
        .replace("tags: [a, b]", "tags: [a, b, c]")
    )
