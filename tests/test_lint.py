"""QuickTakes lint rules through the lint runner: exact findings (code, field, line, column) on
the corpus and on variants."""

from __future__ import annotations

from pathlib import Path

import pytest

import frontmatter_qt as fq
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.lint import lint as run_lint
from frontmatter_qt.quicktakes import RULES, slugify

ROOT = Path(__file__).resolve().parents[1]
QUICKTAKES = ROOT / "tests" / "fixtures" / "corpus" / "quicktakes"

Row = tuple[str, str, int, int]


def answer_pair(line: int) -> list[Row]:
    """The seed's answer: mojibake (``â‰¥``) and literal ``\\n\\n`` escapes."""
    return [("QT008", "answer", line, 9), ("QT009", "answer", line, 9)]


FIXTURE_FINDINGS: dict[str, list[Row]] = {
    "000-seed.md": answer_pair(20),
    "001-crlf.md": answer_pair(20),
    "002-bom.md": answer_pair(20),
    "003-trailing-newline.md": answer_pair(20),
    "004-comments.md": answer_pair(24),
    "005-quoted.md": answer_pair(19),
    "006-folded-wrapped.md": answer_pair(24),
    "007-literal-answer.md": [],
    "008-extra-keys.md": answer_pair(27),
    "009-many-related.md": answer_pair(20),
    "010-mojibake.md": [
        ("QT008", "seo.page_description", 13, 21),
        *answer_pair(20),
        ("QT008", "related_article1.title", 28, 12),
    ],
    "011-clean-unicode.md": [("QT009", "answer", 20, 9)],
    "012-date-string.md": [("QT012", "date", 4, 7), *answer_pair(20)],
    "013-datetime.md": [("QT012", "date", 4, 7), *answer_pair(20)],
    "014-body-rules.md": answer_pair(20),
    "015-empty-body.md": answer_pair(20),
    "016-trailing-ws.md": answer_pair(21),
    "017-biology.md": [("QT009", "answer", 20, 9)],
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
    where = {"path": None, "line": 20, "column": 9, "end_line": 21, "end_column": 2602}
    assert lint(fq.loads(seed_text())) == [
        Diagnostic(
            **where,
            code="QT008",
            message="mojibake (UTF-8 read as cp1252/latin-1)",
            keys=("answer",),
            type="mojibake",
            hint="frontmatter-qt fix --encoding repairs it",
            fixable=True,
            severity="warning",
        ),
        Diagnostic(
            **where,
            code="QT009",
            message="14 literal \\n escape(s) outside code spans",
            keys=("answer",),
            type="escaped-newline",
            hint="frontmatter-qt fix --newlines repairs it",
            fixable=True,
            severity="warning",
        ),
    ]


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
    assert rows(lint(doc)) == [("QT008", "tags[1]", 4, 5)]


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
