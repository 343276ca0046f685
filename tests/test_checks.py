"""check_file / check_document (what ``check`` and the language server report per file), and
the exact spans they position with (``Document.span``, ``Document.key_span``).

test_lsp_analysis.py checks that the editor's diagnostics equal the lines the command prints.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, field_validator

import frontmatter_qt as fq
from frontmatter_qt.checks import check_document, check_file
from frontmatter_qt.diagnostics import Span
from frontmatter_qt.lint import Finding, RuleSet
from frontmatter_qt.plugins import Plugin

MOJIBAKE = "mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it should read 'é')"
TEXT = "---\ntitle: cafÃ©\nnote: a\\nb\ndate: Dec 07, 2024\n---\nbody\n"


def lines(found: list[fq.Diagnostic]) -> list[str]:
    return [d.line_text() for d in found]


def test_check_file_reads_the_disk_or_the_given_text_and_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(TEXT, "utf-8")
    doc, found = check_file(path, "quicktakes", ignore=["V"])
    assert doc is not None and doc.data["title"] == "cafÃ©"
    assert lines(found) == [
        f"{path}:2:11: QT008 title: {MOJIBAKE}",
        f"{path}:3:8: QT009 note: 1 literal \\n escape(s) outside code spans",
        f"{path}:4:7: QT012 date: string 'Dec 07, 2024' where a YAML date is expected",
    ]
    # an editor's unsaved text wins over the disk; without a plug-in, the generic codes
    _, unsaved = check_file(path, text=TEXT.replace("cafÃ©", "café"))
    assert lines(unsaved) == [f"{path}:3:8: FQ002 note: 1 literal \\n escape(s) outside code spans"]
    _, untitled = check_file(None, text=TEXT, select=["FQ001"])
    assert lines(untitled) == [f"<string>:2:11: FQ001 title: {MOJIBAKE}"]
    with pytest.raises(TypeError):
        check_file(None)


def test_a_refused_file_is_its_errors_diagnostic_and_select_ignore_apply_to_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dup.md"
    path.write_text("---\na: 1\na: 2\n---\n", "utf-8")
    assert check_file(path) == (None, check_file(path, select=["E006"])[1])
    assert lines(check_file(path)[1]) == [f"{path}:3:1: E006 duplicate key 'a' (first on line 2)"]
    assert check_file(path, ignore=["E"]) == (None, [])
    missing = tmp_path / "missing.md"
    assert [(d.code, d.path) for d in check_file(missing)[1]] == [("E902", str(missing))]


RAISING = RuleSet("raising")


@RAISING.rule("XX001", "boom", "a rule with a bug")
def _boom(data: Mapping[Any, Any]) -> Iterator[Finding]:
    raise KeyError("no such field")


@RAISING.rule("XX002", "works", "a rule that works")
def _works(data: Mapping[Any, Any]) -> Iterator[Finding]:
    yield Finding("XX002", ("title",), "found")


class Crashing(BaseModel):
    title: str

    @field_validator("title")
    @classmethod
    def crash(cls, value: str) -> str:
        raise RuntimeError("the validator has a bug")


def test_a_users_rule_or_model_that_raises_is_reported_not_raised() -> None:
    # Each is one E999 naming what failed; the other rules' findings are still reported (a
    # raising rule used to hide every other finding of the file, the model's too).
    doc = fq.loads(TEXT, path="x.md")
    found = check_document(doc, Plugin("raising", rules=RAISING, model=Dated))
    assert [(d.line, d.code, d.message) for d in found] == [
        (2, "XX002", "found"),
        (2, "FQ001", MOJIBAKE),
        (3, "FQ002", "1 literal \\n escape(s) outside code spans"),
        (4, "V001", "Input should be a valid integer, unable to parse string as an integer"),
        (None, "E999", "rule XX001 (boom) failed: KeyError: 'no such field'"),
    ]
    assert {d.path for d in found} == {"x.md"}
    # A crash passes any --select (the selected rule checked nothing); only an ignore hides it.
    only = check_document(doc, Plugin("raising", rules=RAISING), select=["XX"])
    assert [d.code for d in only] == ["XX002", "E999"]
    hidden = check_document(doc, Plugin("raising", rules=RAISING), select=["XX"], ignore=["E999"])
    assert [d.code for d in hidden] == ["XX002"]
    crashing = check_document(doc, Plugin("crashing", model=Crashing), select=["E", "FQ001"])
    assert [(d.code, d.message) for d in crashing] == [
        ("FQ001", MOJIBAKE),
        ("E999", "RuntimeError: the validator has a bug"),
    ]


def test_validate_returns_what_a_models_validator_raises_as_a_diagnostic() -> None:
    doc = fq.loads(TEXT, path="x.md")
    assert [(d.path, d.code, d.message) for d in fq.validate(doc, Crashing)] == [
        ("x.md", "E999", "RuntimeError: the validator has a bug")
    ]
    with pytest.raises(RuntimeError, match="the validator has a bug"):
        doc.model(Crashing)  # the model's own code failing: let through, as pydantic does


class Dated(BaseModel):
    title: str
    date: int


def test_model_problems_and_findings_are_ordered_by_position_then_code() -> None:
    doc = fq.loads(TEXT)
    found = check_document(doc, Plugin("dated", model=Dated))
    assert [(d.line, d.column, d.code) for d in found] == [
        (2, 11, "FQ001"),  # the broken characters, inside the value
        (3, 8, "FQ002"),  # the escape, inside the value
        (4, 7, "V001"),
    ]
    assert [(d.end_line, d.end_column) for d in found] == [(2, 13), (3, 10), (4, 19)]


# -- exact spans (YAML) ---------------------------------------------------------------------

YAML = """\
---
title: plain
seo:
  page_title: "quoted"
answer: |
  line one
  line two

tags: [a, b]
1: one
.nan: not a number
---
"""


def test_spans_of_values_and_keys_as_loaded() -> None:
    doc = fq.loads(YAML)
    assert doc.span(("title",)) == Span(2, 8, 2, 13)
    assert doc.key_span(("title",)) == Span(2, 1, 2, 6)
    assert doc.span(("seo", "page_title")) == Span(4, 15, 4, 23)  # the quotes included
    assert doc.key_span(("seo", "page_title")) == Span(4, 3, 4, 13)
    assert doc.span(("seo",)) == Span(4, 3, 4, 23)
    # a block scalar ends on its text, not after its line breaks
    assert doc.span(("answer",)) == Span(5, 9, 7, 11)
    assert doc.span(("tags", 1)) == Span(9, 11, 9, 12)
    assert doc.key_span(("tags", 1)) is None
    assert doc.span(()) == Span(2, 1, 12, 1)  # the whole front matter
    assert doc.span(("nope",)) is None and doc.key_span(("seo", "nope")) is None
    assert doc.locate(("seo", "nope")) == doc.key_span(("seo",))  # locate falls back; span not


def test_key_look_ups_compare_keys_as_the_data_does() -> None:
    doc = fq.loads(YAML)
    assert doc.span((1,)) == doc.span((True,)) == doc.span((1.0,)) == Span(10, 4, 10, 7)
    nan = next(k for k in doc.data if isinstance(k, float))
    assert math.isnan(nan) and doc.key_span((nan,)) == Span(11, 1, 11, 5)  # the loaded key
    assert doc.span((["title"],)) is None  # an unhashable step names nothing
    assert doc.span(("1",)) is None and fq.loads("---\n---\n").span(("a",)) is None
    assert fq.loads("no front matter\n").span(()) is None
