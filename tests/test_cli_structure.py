"""The command's structure edits (issue 12): `rename`, `set --after/--before`, per-file
templates, `+=`/`-=` on lists, list indexes, files without front matter. Exact output and exact
bytes per file, on TOML and JSON files (YAML files, whose order the YAML engine writes, are in
tests/test_structure_yaml.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from frontmatter_qt import cli

TOML = (
    '+++\ntitle = "B"\nsubject = "Lung"\ndate = 2024-01-02\ntags = ["a", "lung", "b", "lung"]\n'
    "+++\nBody\n"
)
JSON = '{\n  "title": "C",\n  "subject": "Liver",\n  "date": "2024-01-02"\n}\nBody\n'
README = "# Read me\n\nNo front matter here.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "b.md").write_text(TOML, "utf-8")
    (tmp_path / "c.md").write_text(JSON, "utf-8")
    (tmp_path / "README.md").write_text(README, "utf-8")
    return tmp_path


def fq(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def read(site: Path, name: str) -> str:
    return (site / name).read_text("utf-8")


def test_rename_in_place_and_files_without_the_key(site: Path) -> None:
    (site / "d.md").write_text('+++\nname = "D"\n+++\n', "utf-8")
    code, out = fq("rename", "-v", "b.md", "c.md", "d.md", "title=heading")
    assert (code, out) == (
        0,
        "updated b.md\nupdated c.md\nunchanged d.md (no title)\n"
        "2 files changed, 1 unchanged, 0 failed\n",
    )
    assert read(site, "b.md") == TOML.replace("title =", "heading =")
    assert read(site, "c.md") == JSON.replace('"title"', '"heading"')
    assert read(site, "d.md") == '+++\nname = "D"\n+++\n'
    quiet = fq("rename", "d.md", "title=heading")
    assert quiet == (0, "0 files changed, 1 unchanged, 0 failed\n")


def test_rename_onto_an_existing_key_is_a_per_file_error(site: Path) -> None:
    code, out = fq("rename", "b.md", "c.md", "title=subject")
    assert code == 1
    assert out == (
        "b.md:3:11: E024 cannot rename title to subject: that key exists\n"
        "  help: choose another key, or assign the existing one (`doc[key] = value`, "
        "`set KEY=VALUE`)\n"
        "c.md:3:14: E024 cannot rename title to subject: that key exists\n"
        "  help: choose another key, or assign the existing one (`doc[key] = value`, "
        "`set KEY=VALUE`)\n"
        "0 files changed, 0 unchanged, 2 failed\n"
    )
    assert read(site, "b.md") == TOML and read(site, "c.md") == JSON


def test_rename_usage_errors(site: Path) -> None:
    code, out = fq("rename", "b.md", "title=other.heading")
    assert code == 2
    assert (
        "'title=other.heading': write OLD.KEY=NEW_KEY; a rename keeps the key in its mapping" in out
    )


def test_set_after_and_before_place_new_keys(site: Path) -> None:
    code, out = fq(
        "set", "--string", "--after", "date", "b.md", "c.md", "updated=2024-05-05", "lastmod=x"
    )
    assert (code, out) == (
        0,
        "updated b.md\nupdated c.md\n2 files changed, 0 unchanged, 0 failed\n",
    )
    assert read(site, "b.md") == TOML.replace(
        "date = 2024-01-02\n", 'date = 2024-01-02\nupdated = "2024-05-05"\nlastmod = "x"\n'
    )
    assert read(site, "c.md") == JSON.replace(
        '"date": "2024-01-02"\n',
        '"date": "2024-01-02",\n  "updated": "2024-05-05",\n  "lastmod": "x"\n',
    )
    code, _ = fq("set", "--before", "title", "b.md", "c.md", "id=7", "n=8", "title=T")
    assert code == 0
    assert read(site, "b.md").startswith('+++\nid = 7\nn = 8\ntitle = "T"\nsubject')
    assert read(site, "c.md").startswith('{\n  "id": 7,\n  "n": 8,\n  "title": "T",\n  "subject"')


def test_a_new_list_made_by_append_is_placed_like_any_new_key(site: Path) -> None:
    # (found by a hunt: `KEY+=VALUE` that made a new list ignored --after/--before, and a
    # missing sibling was no error)
    code, out = fq("set", "--after", "subject", "b.md", "c.md", "aliases+=x", "aliases+=y", "z=1")
    assert (code, out) == (
        0,
        "updated b.md\nupdated c.md\n2 files changed, 0 unchanged, 0 failed\n",
    )
    assert read(site, "b.md") == TOML.replace(
        'subject = "Lung"\n', 'subject = "Lung"\naliases = ["x", "y"]\nz = 1\n'
    )
    assert read(site, "c.md") == JSON.replace(
        '"subject": "Liver",\n',
        '"subject": "Liver",\n  "aliases": [\n    "x",\n    "y"\n  ],\n  "z": 1,\n',
    )
    code, out = fq("set", "--before", "nope", "b.md", "more+=x")
    assert (code, out) == (
        1,
        "b.md:1:1: E022 key not found: nope\n0 files changed, 0 unchanged, 1 failed\n",
    )


def test_set_after_a_missing_sibling_or_both_options(site: Path) -> None:
    code, out = fq("set", "--after", "nope", "b.md", "x=1")
    assert (code, out) == (
        1,
        "b.md:1:1: E022 key not found: nope\n0 files changed, 0 unchanged, 1 failed\n",
    )
    code, out = fq("set", "--after", "a", "--before", "b", "b.md", "x=1")
    assert code == 2 and "give --after or --before, not both" in out


def test_templates_fill_each_files_own_values(site: Path) -> None:
    (site / "e.md").write_text('{"title": "E"}\n', "utf-8")
    code, out = fq("set", "b.md", "c.md", "e.md", "seo_title=QuickTakes | {subject} {{{date}}}")
    assert code == 1
    assert out == (
        "updated b.md\n"
        "updated c.md\n"
        "e.md:1:1: E027 seo_title: the template names {subject}, which this file does not "
        "have; nothing was set\n"
        "  help: give the file a subject first, or leave it out of this run\n"
        "2 files changed, 0 unchanged, 1 failed\n"
    )
    assert read(site, "b.md") == TOML.replace(
        '"lung"]\n', '"lung"]\nseo_title = "QuickTakes | Lung {2024-01-02}"\n'
    )
    assert read(site, "c.md") == JSON.replace(
        '"2024-01-02"\n', '"2024-01-02",\n  "seo_title": "QuickTakes | Liver {2024-01-02}"\n'
    )
    assert read(site, "e.md") == '{"title": "E"}\n'


def test_a_template_naming_a_list_or_with_a_stray_brace(site: Path) -> None:
    code, out = fq("set", "b.md", "x=about {tags}")
    assert (code, out) == (
        1,
        "b.md:5:8: E027 x: the template's {tags} is a list, not text\n"
        "  help: name a key whose value is text, a number or a date\n"
        "0 files changed, 0 unchanged, 1 failed\n",
    )
    code, out = fq("set", "b.md", "x=a } b")
    assert code == 2
    assert "'a } b': a single '}' in a template; write '}}' for a literal brace" in out


def test_a_template_writes_values_as_yaml_spells_them_and_refuses_binary(site: Path) -> None:
    # (found by a hunt: `.nan` was written as Python's `nan`, `!!binary` data as `b'hi'`)
    (site / "p.md").write_text(
        "---\nlogo: !!binary aGk=\nratio: .nan\nlow: -.inf\nb: true\n---\n", "utf-8"
    )
    code, out = fq("set", "p.md", "alt=r {ratio} {low} {b}")
    assert (code, out) == (0, "updated p.md\n1 file changed, 0 unchanged, 0 failed\n")
    assert read(site, "p.md").endswith("b: true\nalt: r .nan -.inf true\n---\n")
    code, out = fq("set", "p.md", "alt=logo {logo}")
    assert (code, out) == (
        1,
        "p.md:2:7: E027 alt: the template's {logo} is binary data, not text\n"
        "  help: name a key whose value is text, a number or a date\n"
        "0 files changed, 0 unchanged, 1 failed\n",
    )


def test_append_and_remove_list_items(site: Path) -> None:
    code, out = fq("set", "b.md", "c.md", "tags+=liver", "tags-=lung")
    assert (code, out) == (
        0,
        "updated b.md\nupdated c.md\n2 files changed, 0 unchanged, 0 failed\n",
    )
    assert read(site, "b.md") == TOML.replace('["a", "lung", "b", "lung"]', '["a", "b", "liver"]')
    assert read(site, "c.md") == JSON.replace(
        '"2024-01-02"\n', '"2024-01-02",\n  "tags": [\n    "liver"\n  ]\n'
    )
    code, out = fq("set", "b.md", "title+=x")
    assert (code, out) == (
        1,
        "b.md:2:9: E029 title is a str, not a list: `+=` edits lists\n"
        "  help: `+=` and `-=` edit lists; set the key with `=` to replace its value\n"
        "0 files changed, 0 unchanged, 1 failed\n",
    )
    assert fq("set", "c.md", "missing-=x") == (0, "0 files changed, 1 unchanged, 0 failed\n")


def test_negative_and_out_of_range_list_indexes_are_errors(site: Path) -> None:
    code, out = fq("set", "b.md", "tags.-1=x")
    assert (code, out) == (
        1,
        "b.md:5:8: E022 negative list index tags[-1]: indexes count from 0 (the last is "
        "tags[3])\n0 files changed, 0 unchanged, 1 failed\n",
    )
    code, out = fq("set", "b.md", "tags.4=x")
    assert (code, out) == (
        1,
        "b.md:5:1: E022 no list item tags[4] (tags has 4 items)\n"
        "0 files changed, 0 unchanged, 1 failed\n",
    )
    assert fq("unset", "b.md", "tags.-1")[1].startswith("b.md:5:8: E022 negative list index")
    assert fq("get", "b.md", "tags.-1") == (0, "lung\n")  # reading may count from the end
    assert read(site, "b.md") == TOML


def test_files_without_front_matter_are_errors_unless_create(site: Path) -> None:
    code, out = fq("set", "README.md", "b.md", "draft=true")
    assert (code, out) == (
        1,
        "README.md:1:1: E028 the file has no front matter; it was left alone\n"
        "  help: pass --create to add a front-matter block to such files, or leave them out\n"
        "updated b.md\n"
        "1 file changed, 0 unchanged, 1 failed\n",
    )
    assert read(site, "README.md") == README
    code, out = fq("rename", "README.md", "title=heading")
    assert code == 1 and "README.md:1:1: E028" in out
    assert fq("rename", "--create", "README.md", "title=heading") == (
        0,
        "0 files changed, 1 unchanged, 0 failed\n",
    )
    code, out = fq("set", "--create", "README.md", "draft=true")
    assert (code, out) == (0, "updated README.md\n1 file changed, 0 unchanged, 0 failed\n")
    assert read(site, "README.md") == "---\ndraft: true\n---\n" + README


def test_a_new_toml_key_after_a_table_goes_with_the_plain_keys(site: Path) -> None:
    (site / "t.md").write_text('+++\ntitle = "T"\n\n[extra]\nx = 1\n+++\n', "utf-8")
    done = fq("set", "--after", "extra", "t.md", "new=1")
    assert done == (0, "updated t.md\n1 file changed, 0 unchanged, 0 failed\n")
    assert read(site, "t.md") == '+++\ntitle = "T"\nnew = 1\n\n[extra]\nx = 1\n+++\n'


def test_a_sibling_given_as_a_path_must_be_beside_the_new_key(site: Path) -> None:
    (site / "e.md").write_text("---\ntitle: A\ntags: [a]\nseo:\n  title: T\n---\n", "utf-8")
    code, out = fq("set", "--after", "tags.0", "e.md", "seo.robots=x")
    assert (code, out) == (
        1,
        "e.md:4:1: E025 --after tags[0] is not beside seo.robots: name a key of the same mapping\n"
        "  help: give the sibling's own name, e.g. --after 0\n"
        "0 files changed, 0 unchanged, 1 failed\n",
    )
    assert fq("set", "--before", "seo.title", "e.md", "seo.robots=x")[0] == 0
    assert read(site, "e.md") == "---\ntitle: A\ntags: [a]\nseo:\n  robots: x\n  title: T\n---\n"
