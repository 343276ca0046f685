"""QuickTakes lint rules through the lint runner: exact findings (code, field, line, column) on
the corpus and on variants."""

from __future__ import annotations

from pathlib import Path

import pytest

import frontmatter_qt as fq
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.lint import first_difference
from frontmatter_qt.lint import lint as run_lint
from frontmatter_qt.quicktakes import RULES, slugify

ROOT = Path(__file__).resolve().parents[1]
QUICKTAKES = ROOT / "tests" / "fixtures" / "corpus" / "quicktakes"

Row = tuple[str, str, int, int]


def answer_pair(line: int) -> list[Row]:
    """The seed's answer (a ``>-`` block whose text starts on ``line``): its first literal
    ``\\n`` escape at column 255, its mojibake (``â‰¥``) at column 616."""
    return [("QT009", "answer", line, 255), ("QT008", "answer", line, 616)]


FIXTURE_FINDINGS: dict[str, list[Row]] = {
    "000-seed.md": answer_pair(21),
    "001-crlf.md": answer_pair(21),
    "002-bom.md": answer_pair(21),
    "003-trailing-newline.md": answer_pair(21),
    "004-comments.md": answer_pair(25),
    "005-quoted.md": answer_pair(20),
    "006-folded-wrapped.md": answer_pair(25),
    "007-literal-answer.md": [],
    "008-extra-keys.md": answer_pair(28),
    "009-many-related.md": answer_pair(21),
    "010-mojibake.md": [
        ("QT008", "seo.page_description", 14, 7),
        *answer_pair(21),
        ("QT008", "related_article1.title", 29, 13),
    ],
    "011-clean-unicode.md": [("QT009", "answer", 21, 255)],
    "012-date-string.md": [("QT012", "date", 4, 7), *answer_pair(21)],
    "013-datetime.md": [("QT012", "date", 4, 7), *answer_pair(21)],
    "014-body-rules.md": answer_pair(21),
    "015-empty-body.md": answer_pair(21),
    "016-trailing-ws.md": answer_pair(22),
    "017-biology.md": [("QT009", "answer", 21, 59)],
    "018-no-front-matter.md": [],
    "019-empty-front-matter.md": [],
    "020-empty-file.md": [],
}


def lint(doc: fq.Document) -> list[Diagnostic]:
    return run_lint(doc, "quicktakes")


def rows(findings: list[Diagnostic]) -> list[Row]:
    return [(f.code, f.field, f.line or 0, f.column or 0) for f in findings]


def seed_text() -> str:
    return (QUICKTAKES / "000-seed.md").read_text("utf-8")


def variant(*pairs: tuple[str, str]) -> fq.Document:
    """The seed with each single occurrence of ``old`` replaced by ``new``."""
    text = seed_text()
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return fq.loads(text)


def variant_findings(*pairs: tuple[str, str]) -> list[Row]:
    """Findings of the variant beyond the seed's own answer findings."""
    return [row for row in rows(lint(variant(*pairs))) if row[1] != "answer"]


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in QUICKTAKES.glob("*.md")) == sorted(FIXTURE_FINDINGS)


@pytest.mark.parametrize("name", sorted(FIXTURE_FINDINGS))
def test_fixture_findings(name: str) -> None:
    assert rows(lint(fq.load(QUICKTAKES / name))) == FIXTURE_FINDINGS[name]


def test_seed_findings_in_full() -> None:
    # Each finding points at the characters it is about, inside the 2,600-character answer.
    assert lint(fq.loads(seed_text())) == [
        Diagnostic(
            path=None,
            line=21,
            column=255,
            end_line=21,
            end_column=257,
            code="QT009",
            message="14 literal \\n escape(s) outside code spans",
            keys=("answer",),
            type="escaped-newline",
            hint="frontmatter-qt fix --newlines repairs it",
            fixable=True,
            severity="warning",
        ),
        Diagnostic(
            path=None,
            line=21,
            column=616,
            end_line=21,
            end_column=619,
            code="QT008",
            message="mojibake 'â‰¥' (UTF-8 read as cp1252/latin-1; it should read '≥')",
            keys=("answer",),
            type="mojibake",
            hint="frontmatter-qt fix --encoding repairs it",
            fixable=True,
            severity="warning",
        ),
    ]


@pytest.mark.parametrize("name", sorted(FIXTURE_FINDINGS))
def test_findings_inside_values_point_at_their_characters(name: str) -> None:
    """A mojibake finding starts at the broken characters it names, an escaped-newline
    finding at its first ``\\n``, however the value is written (plain, quoted, folded)."""
    lines = (QUICKTAKES / name).read_text("utf-8-sig").split("\n")
    for found in lint(fq.load(QUICKTAKES / name)):
        assert found.line is not None and found.column is not None
        assert (found.end_line, found.end_column) != (found.line, found.column)
        at = lines[found.line - 1][found.column - 1 :]
        if found.code == "QT008":
            broken = found.message.split("'")[1]
            assert at.startswith(broken)
            assert found.end_column == found.column + len(broken)
        elif found.code == "QT009":
            assert at.startswith("\\n")


def test_title_copies_must_agree() -> None:
    question = "    What role do imaging techniques play in the diagnosis of liver cancer?\nanswer"
    assert variant_findings(
        ("article_title: >-\n    What", "article_title: >-\n    Which"),
        (question, "    Something else?\nanswer"),
    ) == [("QT001", "article_title", 7, 16), ("QT002", "question", 18, 11)]


def test_article_title_message() -> None:
    doc = variant(("article_title: >-\n    What", "article_title: >-\n    Which"))
    assert lint(doc)[0].message == (
        "article_title 'Which role do imaging techniques play in the diagnosis of liver cancer?' "
        "differs from title "
        "'What role do imaging techniques play in the diagnosis of liver cancer?'"
    )


def test_subject_change_breaks_seo_title_and_url() -> None:
    assert variant_findings(("subject: Medicine\nfile_name", "subject: Oncology\nfile_name")) == [
        ("QT003", "seo.title", 12, 10),
        ("QT005", "url", 24, 6),
    ]


def test_seo_title_message() -> None:
    doc = variant(("title: QuickTakes | Medicine", "title: QuickTakes - Medicine"))
    assert [f.line_text() for f in lint(doc) if f.code == "QT003"] == [
        "<string>:12:10: QT003 seo.title: expected 'QuickTakes | Medicine', found "
        "'QuickTakes - Medicine'"
    ]


def test_file_name_and_url_follow_the_title_slug() -> None:
    assert variant_findings(
        ("file_name: what-role", "file_name: which-role"),
        ("url: /learn/medicine/questions/what-role", "url: /learn/medicine/question/what-role"),
    ) == [("QT004", "file_name", 23, 12), ("QT005", "url", 24, 6)]


def test_related_url_must_sit_under_its_subject() -> None:
    old = "    subject: Medicine\n    url: /learn/medicine/questions/how-is"
    new = "    subject: Health Studies\n    url: /learn/medicine/questions/how-is"
    assert variant_findings((old, new)) == [("QT006", "related_article2.url", 37, 10)]


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [
        ("MMM DD, YYYY", []),
        ("DD MMM YYYY", []),
        ("dddd, MMMM Do YYYY [at] HH:mm", []),
        ("%b %d, %Y", ["not arrow tokens: '%', 'Y', 'b'"]),
        ("MMM DD, YYYYY", ["not arrow tokens: 'Y'"]),
    ],
)
def test_date_format_tokens(date_format: str, expected: list[str]) -> None:
    doc = variant(("date_format: MMM DD, YYYY", f"date_format: '{date_format}'"))
    found = [f for f in lint(doc) if f.code == "QT007"]
    assert [f.message for f in found] == expected
    assert {(f.line, f.column, f.fixable) for f in found} <= {(9, 14, False)}


def test_duplicate_and_self_referencing_related_ids() -> None:
    assert variant_findings(("id: 97074", "id: 97057"), ("id: 97055", "id: 97068")) == [
        ("QT011", "related_article2.id", 33, 9),
        ("QT010", "related_article3.id", 39, 9),
    ]


def test_duplicate_id_message_names_the_first_user() -> None:
    doc = variant(("id: 97074", "id: 97057"))
    assert [f.message for f in lint(doc) if f.code == "QT010"] == [
        "id 97057 already used by related_article1"
    ]


@pytest.mark.parametrize(
    ("answer", "count"),
    [
        ("plain text", 0),
        ("one\\ntwo", 1),
        ("code `a\\nb` only", 0),
        ("fence ```x\\ny``` then\\n", 1),
        ("a real\nline break", 0),
        ("an escaped backslash \\\\n stays", 0),
    ],
)
def test_escaped_newlines_are_those_the_fixer_converts(answer: str, count: int) -> None:
    doc = fq.loads("---\nanswer: x\n---\n")
    doc.data["answer"] = answer
    found = [f for f in lint(doc) if f.code == "QT009"]
    expected = [f"{count} literal \\n escape(s) outside code spans"] if count else []
    assert [f.message for f in found] == expected


def test_strings_inside_lists_are_checked_with_their_index() -> None:
    doc = fq.loads("---\ntags:\n  - fine\n  - caf\u00c3\u00a9\n---\n")
    assert rows(lint(doc)) == [("QT008", "tags[1]", 4, 8)]


def test_wrong_types_do_not_crash_the_rules() -> None:
    text = "---\ntitle: 5\nquestion: [a]\nseo: text\nrelated_article1: 7\ndate: 2024-12-07\n---\n"
    assert lint(fq.loads(text)) == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (
            "What role do imaging techniques play in the diagnosis of liver cancer?",
            "what-role-do-imaging-techniques-play-in-the-diagnosis-of-liver-cancer",
        ),
        ("Health Studies", "health-studies"),
        ("What\u2019s the role of caf\u00e9 culture?", "whats-the-role-of-cafe-culture"),
        ("  CO\u2082 -- and_under_scores ", "co2-and-under-scores"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_rules_are_stable_and_documented() -> None:
    assert list(RULES) == [f"QT{n:03d}" for n in range(1, 13)]
    assert [code for code, rule in RULES.items() if not rule.fixable] == ["QT007", "QT010", "QT011"]
    docs = (ROOT / "docs" / "models.md").read_text("utf-8")
    for rule in RULES.values():
        assert f"| {rule.code} | `{rule.name}` |" in docs


def test_an_impossible_date_loads_and_is_reported_where_it_is_written() -> None:
    doc = fq.loads(
        "---\ndate: 2024-13-40\nmeta:\n  updated: '2024-31-12'\nseen: 2024-02-30 10:00\n---\n",
        path="post.md",
    )
    assert doc["date"] == "2024-13-40"
    found = [(d.line_text(), d.hint, d.severity) for d in lint(doc)]
    assert found == [
        (
            "post.md:2:7: FQ003 date: not a valid date: '2024-13-40' (month must be in 1..12)",
            "write a real date (YYYY-MM-DD)",
            "error",
        ),
        (
            "post.md:4:12: FQ003 meta.updated: not a valid date: '2024-31-12' (month must be in "
            "1..12)",
            "with day and month swapped it is 2024-12-31: `frontmatter-qt fix --dates --field "
            "meta.updated` repairs it",
            "error",
        ),
        (
            "post.md:5:7: FQ003 seen: not a valid date: '2024-02-30 10:00' (day is out of range "
            "for month)",
            "write a real date (YYYY-MM-DD)",
            "error",
        ),
    ]  # and no QT012 for the same date


def test_a_strftime_date_format_gets_its_arrow_spelling() -> None:
    doc = variant(("date_format: MMM DD, YYYY", 'date_format: "%b %d, %Y"'))
    [found] = [d for d in lint(doc) if d.code == "QT007"]
    assert (found.message, found.hint) == (
        "not arrow tokens: '%', 'Y', 'b'",
        "a strftime format; in arrow's tokens: 'MMM DD, YYYY'",
    )
    other = variant(("date_format: MMM DD, YYYY", "date_format: MMM Q"))
    [found] = [d for d in lint(other) if d.code == "QT007"]
    assert found.hint == RULES["QT007"].hint


@pytest.mark.parametrize(
    ("old", "new", "runs"),
    [
        ("x â‰¥ 5", "x ≥ 5", ((2, 5), (2, 3))),
        ("cafÃ©", "café", ((3, 5), (3, 4))),  # up to the end of both
        ("cafÃ© x â‰¥ y", "café x ≥ y", ((3, 5), (3, 4))),  # the first run only
        ("Ã©Ã©x", "ééx", ((0, 4), (0, 2))),
        ("a\\nb", "a\nb", ((1, 3), (1, 2))),
        ("ab", "abc", ((2, 2), (2, 3))),  # old ends there: its run is empty
        ("x" * 100 + "Ã©" + "y" * 100, "x" * 100 + "é" + "y" * 100, ((100, 102), (100, 101))),
        ("Ã" * 200, "é" * 200, ((0, 64), (0, 64))),  # no agreement in the window: cut there
    ],
)
def test_first_difference_is_the_first_changed_run(
    old: str, new: str, runs: tuple[tuple[int, int], tuple[int, int]]
) -> None:
    assert first_difference(old, new) == runs
