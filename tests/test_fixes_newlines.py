"""fix_escaped_newlines / unescape_newlines: real breaks for literal \\n, code left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt.fixes import Change, fix_escaped_newlines, unescape_newlines

QUICKTAKES = Path(__file__).parent / "fixtures" / "corpus" / "quicktakes"
FIXTURES = sorted(p.name for p in QUICKTAKES.glob("*.md"))
BS = "\\"  # one backslash, to keep the cases readable
ESC = BS + "n"  # the two characters backslash and n


def read(name: str) -> str:
    return (QUICKTAKES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"a{ESC}{ESC}b", "a\n\nb"),
        (f"one{ESC}two", "one\ntwo"),
        (f"trailing{ESC}", "trailing\n"),
        ("no escapes at all", "no escapes at all"),
        (f"escaped backslash {BS}{ESC} stays", f"escaped backslash {BS}{ESC} stays"),
        (f"three {BS}{BS}{ESC}x", f"three {BS}{BS}\nx"),
        (f"other escapes {BS}t {BS}* stay", f"other escapes {BS}t {BS}* stay"),
        (f"code `printf({ESC})` kept{ESC}next", f"code `printf({ESC})` kept\nnext"),
        (f"double ``a{ESC}`b`` kept{ESC}x", f"double ``a{ESC}`b`` kept\nx"),
        (f"unpaired ` tick{ESC}x", "unpaired ` tick\nx"),
        (f"escaped {BS}`tick{ESC}x`", f"escaped {BS}`tick\nx`"),
        (f"span across paragraphs `a{ESC}{ESC}b`", "span across paragraphs `a\n\nb`"),
        (f"maths $\\nu + \\neq${ESC}x", "maths $\\nu + \\neq$\nx"),
        (f"display $$\\nabla$$ and \\(\\nu\\){ESC}y", "display $$\\nabla$$ and \\(\\nu\\)\ny"),
        (f"money $5 and{ESC}$10", "money $5 and\n$10"),
        (
            f'real fence\n```c\nprintf("{ESC}");\n```\nafter{ESC}x',
            f'real fence\n```c\nprintf("{ESC}");\n```\nafter\nx',
        ),
        (
            f"escaped fence{ESC}{ESC}```py{ESC}x = 1{ESC}```{ESC}{ESC}more",
            "escaped fence\n\n```py\nx = 1\n```\n\nmore",
        ),
        (f"~~~{ESC}tilde{ESC}~~~", "~~~\ntilde\n~~~"),
        (f"unclosed\n```\ncode{ESC}stays", f"unclosed\n```\ncode{ESC}stays"),
        (f"windows\r\nline{ESC}x", "windows\r\nline\nx"),
        (f"hard break {BS}\nnext{ESC}x", f"hard break {BS}\nnext\nx"),
    ],
)
def test_unescape_newlines(text: str, expected: str) -> None:
    assert unescape_newlines(text) == expected
    assert unescape_newlines(expected) == expected


MARKDOWN_PIECES = st.sampled_from(
    [ESC, BS, "n", "`", "```", "~~~", "$", "$$", "\n", " ", "a", "(", ")", "\\(", "\\)", "x\n\n"]
)


@examples(3000)
@given(st.lists(MARKDOWN_PIECES, max_size=30).map("".join))
def test_unescape_is_idempotent(text: str) -> None:
    once = unescape_newlines(text)
    assert unescape_newlines(once) == once


@examples(1000)
@given(st.text())
def test_unescape_only_turns_escapes_into_newlines(text: str) -> None:
    out = unescape_newlines(text)
    assert replaces_some_escapes(text, out)
    if ESC not in text:
        assert out == text


def replaces_some_escapes(text: str, out: str) -> bool:
    """True if ``out`` is ``text`` with some of its ``\\n`` pairs replaced by newlines."""
    i = j = 0
    while i < len(text) and j < len(out):
        if text.startswith(ESC, i) and out[j] == "\n":
            i, j = i + 2, j + 1
        elif text[i] == out[j]:
            i, j = i + 1, j + 1
        else:
            return False
    return i == len(text) and j == len(out)


def test_replaces_some_escapes_rejects_other_edits() -> None:
    assert replaces_some_escapes(f"a{ESC}b", "a\nb")
    assert not replaces_some_escapes("ab", "a\nb")
    assert not replaces_some_escapes(f"a{ESC}b", "a b")


# --- documents -------------------------------------------------------------------------------

BIOLOGY_BEFORE = (
    f"Chloroplasts capture light in the thylakoid membranes.{ESC}{ESC}"
    f"1. **Light reactions** split water and make ATP and NADPH.{ESC}{ESC}"
    f"2. **Calvin cycle** fixes CO₂ into sugars in the stroma.{ESC}{ESC}"
    "Together they store solar energy as chemical bonds."
)
BIOLOGY_AFTER = BIOLOGY_BEFORE.replace(ESC, "\n")


def test_017_biology_answer_gets_paragraphs_and_stays_folded() -> None:
    text = read("017-biology.md")
    doc = fq.loads(text)
    assert fix_escaped_newlines(doc) == [Change(("answer",), 20, BIOLOGY_BEFORE, BIOLOGY_AFTER)]
    out = doc.dumps()
    folded = (
        "answer: >-\n"
        "    Chloroplasts capture light in the thylakoid membranes.\n\n\n"
        "    1. **Light reactions** split water and make ATP and NADPH.\n\n\n"
        "    2. **Calvin cycle** fixes CO₂ into sugars in the stroma.\n\n\n"
        "    Together they store solar energy as chemical bonds.\n"
    )
    assert out == text.replace(f"answer: >-\n    {BIOLOGY_BEFORE}\n", folded)
    again = fq.loads(out)
    assert again["answer"] == BIOLOGY_AFTER
    assert fix_escaped_newlines(again) == []


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_only_the_answer_changes_and_reads_back(name: str) -> None:
    text = read(name)
    doc = fq.loads(text)
    before = doc.data.get("answer")
    changes = fix_escaped_newlines(doc)
    out = doc.dumps()
    if not isinstance(before, str) or ESC not in before:
        assert changes == []
        assert out == text
        return
    assert changes == [Change(("answer",), changes[0].line, before, unescape_newlines(before))]
    assert changes[0].line == doc.position("answer")[0]  # type: ignore[index]
    again = fq.loads(out)
    assert again["answer"] == unescape_newlines(before)
    assert {k: v for k, v in again.data.items() if k != "answer"} == {
        k: v for k, v in fq.loads(text).data.items() if k != "answer"
    }
    answer_line = text.splitlines(keepends=True).index(f"    {before}\n")
    assert (
        out.splitlines(keepends=True)[:answer_line] == text.splitlines(keepends=True)[:answer_line]
    )
    assert out.endswith(text[text.index(f"    {before}\n") + len(before) + 5 :])
    assert fix_escaped_newlines(again) == []


def test_fields_can_be_named_and_nested_and_missing_or_non_strings_are_skipped() -> None:
    text = f"---\nq: 'a{ESC}b'\nseo:\n  d: \"c{BS}{ESC}d\"\nn: 3\n---\n"
    doc = fq.loads(text)
    changes = fix_escaped_newlines(doc, fields=("q", ("seo", "d"), "n", "missing"))
    assert changes == [
        Change(("q",), 2, f"a{ESC}b", "a\nb"),
        Change(("seo", "d"), 4, f"c{ESC}d", "c\nd"),
    ]
    assert fq.loads(doc.dumps()).data == {"q": "a\nb", "seo": {"d": "c\nd"}, "n": 3}


def test_default_is_every_string_and_quicktakes_names_answer_only() -> None:
    from frontmatter_qt.quicktakes import FIXES

    text = f"---\ntitle: t{ESC}x\nanswer: a{ESC}b\ntags: [c{ESC}d]\n---\n"
    doc = fq.loads(text)
    assert [c.path for c in fix_escaped_newlines(doc)] == [("title",), ("answer",), ("tags", 0)]
    assert fq.loads(doc.dumps()).data == {"title": "t\nx", "answer": "a\nb", "tags": ["c\nd"]}
    article = fq.loads(text)
    assert [c.path for c in fix_escaped_newlines(article, FIXES.newline_fields)] == [("answer",)]
    assert article["title"] == f"t{ESC}x"
