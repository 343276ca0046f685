"""The QuickTakes plug-in's Article: validation, positions in errors, minimal-diff write-back
(through the generic engine: ``doc.model(Article)`` and ``doc.update(article)``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import frontmatter_qt as fq
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.engine.equality import same_value as same
from frontmatter_qt.errors import ArticleValidationError, FrontMatterError, ModelValidationError
from frontmatter_qt.quicktakes import Article, RelatedArticle, Seo

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
EXPECT: dict[str, dict[str, Any]] = json.loads((CORPUS / "EXPECT.json").read_text("utf-8"))
EMPTY_FIXTURES = ["018-no-front-matter.md", "019-empty-front-matter.md", "020-empty-file.md"]
ARTICLE_FIXTURES = sorted(p.name for p in QUICKTAKES.glob("*.md") if p.name not in EMPTY_FIXTURES)
REQUIRED = [
    "_schema",
    "id",
    "date",
    "title",
    "article_title",
    "date_format",
    "post_on_text",
    "seo",
    "question",
    "answer",
    "subject",
    "file_name",
    "url",
    "score",
]
SEED_TITLE = "What role do imaging techniques play in the diagnosis of liver cancer?"
NEW_RELATED = {
    "id": 97099,
    "title": "New related question?",
    "subject": "Medicine",
    "url": "/learn/medicine/questions/new-related-question",
}


def seed_text() -> str:
    return (QUICKTAKES / "000-seed.md").read_text("utf-8")


def article_of(doc: fq.Document, strict: bool = False) -> Article:
    return doc.model(Article, strict=strict)


def write_article(doc: fq.Document, article: Article) -> None:
    doc.update(article)


def variant(old: str, new: str, text: str | None = None) -> str:
    """The seed (or ``text``) with the single occurrence of ``old`` replaced by ``new``."""
    text = seed_text() if text is None else text
    assert text.count(old) == 1, old
    return text.replace(old, new)


def replace_line(text: str, number: int, new: str) -> str:
    """``text`` with 1-based line ``number`` (without its line break) replaced by ``new``."""
    lines = text.split("\n")
    lines[number - 1] = new
    return "\n".join(lines)


def seed_article() -> Article:
    return article_of(fq.loads(seed_text()))


def edited(text: str, edit: Any) -> str:
    """Load ``text``, apply ``edit`` to its article, write the article back, dump."""
    doc = fq.loads(text)
    article = article_of(doc)
    edit(article)
    write_article(doc, article)
    return doc.dumps()


# --- validation ---------------------------------------------------------------------------------


def test_seed_validates_to_typed_values() -> None:
    art = seed_article()
    assert art.schema_name == "default"
    assert (art.id, art.date, art.score) == (97068, dt.date(2024, 12, 7), -1.0)
    assert type(art.score) is float
    assert (art.title, art.article_title, art.question) == (SEED_TITLE,) * 3
    assert art.seo == Seo(
        title="QuickTakes | Medicine",
        page_description=art.seo.page_description,
        page_keywords=art.seo.page_keywords,
    )
    assert art.seo.page_description.startswith("This content discusses the critical role")
    assert art.author == "QuickTakes"
    assert (art.subject, art.date_format, art.post_on_text) == (
        "Medicine",
        "MMM DD, YYYY",
        "Posted on",
    )
    assert [r.id for r in art.related_articles] == [97057, 97055, 97074, 97070]
    assert art.related_articles[0] == RelatedArticle(
        id=97057,
        title="What is the prevalence of liver cancer in Hong Kong?",
        subject="Health Studies",
        url="/learn/health-studies/questions/what-is-the-prevalence-of-liver-cancer-in-hong-kong",
    )


@pytest.mark.parametrize("name", ARTICLE_FIXTURES)
def test_every_article_fixture_validates(name: str) -> None:
    art = article_of(fq.load(QUICKTAKES / name))
    assert art.schema_name == "default"
    assert isinstance(art.date, dt.date) and not isinstance(art.date, dt.datetime)
    expected = EXPECT.get(name, {})
    if "date" in expected:
        assert art.date.isoformat() == expected["date"]
    if "related_ids" in expected:
        assert [r.id for r in art.related_articles] == expected["related_ids"]


@pytest.mark.parametrize("name", EMPTY_FIXTURES)
def test_files_without_an_article_list_every_missing_field(name: str) -> None:
    with pytest.raises(ArticleValidationError) as info:
        article_of(fq.load(QUICKTAKES / name))
    problems = info.value.problems
    assert [p.field for p in problems] == REQUIRED
    # A missing top-level field is reported at the opening delimiter (or 1:1 without one).
    assert {(p.line, p.column, p.message) for p in problems} == {(1, 1, "Field required")}
    assert {(p.code, p.type) for p in problems} == {("V001", "missing")}
    assert str(info.value).splitlines()[0] == f"{QUICKTAKES / name}:1:1: _schema: Field required"


def test_unknown_keys_are_kept_as_extras() -> None:
    art = article_of(fq.load(QUICKTAKES / "008-extra-keys.md"))
    assert art.author is None
    assert art.model_extra is not None
    assert list(art.model_extra)[:4] == ["tags", "draft", "aliases", "updated"]
    assert art.model_extra["tags"] == ["liver", "oncology", "imaging"]
    assert art.model_extra["draft"] is False
    assert art.model_extra["aliases"] == ["/q/97068", "/old/liver-imaging"]
    assert art.model_extra["updated"] == dt.datetime(2025, 1, 3, 10, tzinfo=dt.timezone.utc)


def test_dump_keeps_the_file_key_order_and_types() -> None:
    doc = fq.loads(seed_text())
    dumped = article_of(doc).model_dump(by_alias=True)
    assert list(dumped) == list(doc.data)
    assert same(dumped, doc.data)


def test_related_articles_are_ordered_by_number_with_gaps() -> None:
    art = article_of(fq.load(QUICKTAKES / "009-many-related.md"))
    assert [r.id for r in art.related_articles] == [97057, 97055, 97074, 97070, 97085, 97086, 97088]
    assert art.model_extra is not None
    assert "related_article7" not in art.model_extra
    assert art.model_extra["related_article8"].title == "Related question number 8?"


def test_related_setter_fills_slots_then_appends_after_the_highest() -> None:
    art = article_of(fq.load(QUICKTAKES / "009-many-related.md"))
    art.related_articles = [*art.related_articles, NEW_RELATED]  # type: ignore[list-item]
    assert art.model_extra is not None
    keys = [k for k in art.model_extra if k.startswith("related_article")]
    assert keys[-2:] == ["related_article8", "related_article9"]
    assert art.model_extra["related_article9"] == RelatedArticle(**NEW_RELATED)


def test_related_setter_removes_the_highest_surplus_slots() -> None:
    art = seed_article()
    first, _, third, _ = art.related_articles
    art.related_articles = [first, third]
    assert art.model_extra is not None
    assert [k for k in art.model_extra if k.startswith("related")] == [
        "related_article1",
        "related_article2",
    ]
    assert [r.id for r in art.related_articles] == [97057, 97074]


def test_assigning_a_related_key_validates_it() -> None:
    art = seed_article()
    art.related_article5 = NEW_RELATED
    assert art.related_articles[-1] == RelatedArticle(**NEW_RELATED)
    with pytest.raises(ValidationError, match="id"):
        art.related_article6 = {**NEW_RELATED, "id": "not a number"}


def test_assignment_is_validated() -> None:
    art = seed_article()
    art.title = "New title"
    assert art.title == "New title"
    with pytest.raises(ValidationError, match="Input should be a valid string"):
        art.title = 5  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="Input should be a valid string"):
        art.seo.title = 5  # type: ignore[assignment]
    with pytest.raises(ValidationError, match="Input should be a valid integer"):
        art.id = "x"  # type: ignore[assignment]


def test_keywords_view_splits_and_joins_with_bare_commas() -> None:
    seo = seed_article().seo
    assert seo.keywords[:3] == ["imaging techniques", "liver cancer", "hepatocellular carcinoma"]
    assert len(seo.keywords) == 13
    seo.keywords = ["liver", " MRI ", "CT"]
    assert seo.page_keywords == "liver,MRI,CT"
    assert seo.keywords == ["liver", "MRI", "CT"]


def test_lax_mode_coerces_and_strict_mode_refuses() -> None:
    doc = fq.loads(variant("id: 97068", 'id: "97068"'))
    assert article_of(doc).id == 97068
    with pytest.raises(ArticleValidationError) as info:
        article_of(doc, strict=True)
    assert str(info.value) == "<string>:3:5: id: Input should be a valid integer"


def test_strict_mode_through_model_validate() -> None:
    data = fq.loads(variant("id: 97068", 'id: "97068"')).data
    with pytest.raises(ValidationError, match="Input should be a valid integer"):
        Article.model_validate(data, strict=True)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("012-date-string.md", "Dec 07, 2024"),
        (
            "013-datetime.md",
            dt.datetime(2024, 12, 7, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        ),
    ],
)
def test_non_plain_dates_are_lax_only(name: str, raw: Any) -> None:
    doc = fq.load(QUICKTAKES / name)
    assert doc.data["date"] == raw
    assert article_of(doc).date == dt.date(2024, 12, 7)
    with pytest.raises(ArticleValidationError) as info:
        article_of(doc, strict=True)
    assert [(p.field, p.line, p.column, p.message) for p in info.value.problems] == [
        ("date", 4, 7, "Input should be a valid date")
    ]


def test_unparseable_date_string_keeps_pydantics_message() -> None:
    doc = fq.loads(variant("date: 2024-12-07", "date: sometime soon"))
    with pytest.raises(ArticleValidationError) as info:
        article_of(doc)
    assert [(p.field, p.line, p.column) for p in info.value.problems] == [("date", 4, 7)]
    assert info.value.problems[0].message.startswith("Input should be a valid date")


def test_json_schema_describes_fields_and_related_pattern() -> None:
    schema = Article.model_json_schema()
    assert schema["required"] == REQUIRED
    assert list(schema["properties"]) == [*REQUIRED[:8], "author", *REQUIRED[8:]]
    assert schema["properties"]["id"] == {
        "description": "Numeric article id.",
        "title": "Id",
        "type": "integer",
    }
    assert schema["patternProperties"] == {
        "^related_article([0-9]+)$": {"$ref": "#/$defs/RelatedArticle"}
    }
    assert schema["additionalProperties"] is True
    assert set(schema["$defs"]) == {"RelatedArticle", "Seo"}


def test_display_date_uses_the_articles_own_format() -> None:
    assert seed_article().display_date == "Dec 07, 2024"


# --- errors with positions ----------------------------------------------------------------------


def test_error_lists_every_problem_with_file_positions(tmp_path: Path) -> None:
    text = variant("id: 97055", "id: ninety")
    text = variant(
        "  page_keywords: >-\n    imaging", "  page_keywords: 42\n  other: >-\n    imaging", text
    )
    text = variant("subject: Medicine\nfile_name", "file_name", text)
    path = tmp_path / "x.md"
    path.write_text(text, "utf-8")
    with pytest.raises(ArticleValidationError) as info:
        article_of(fq.load(path))
    assert str(info.value).splitlines() == [
        f"{path}:15:18: seo.page_keywords: Input should be a valid string",
        f"{path}:1:1: subject: Field required",
        f"{path}:33:9: related_article2.id: Input should be a valid integer, "
        "unable to parse string as an integer",
    ]
    assert info.value.problems[0] == Diagnostic(
        path=str(path),
        line=15,
        column=18,
        code="V001",
        message="Input should be a valid string",
        keys=("seo", "page_keywords"),
        end_line=15,
        end_column=20,
        type="string_type",
    )
    assert info.value.problems[0].field == "seo.page_keywords"
    assert (info.value.line, info.value.column) == (15, 18)
    assert isinstance(info.value, ModelValidationError)
    assert isinstance(info.value, FrontMatterError)


def test_missing_nested_key_points_at_its_mappings_key() -> None:
    doc = fq.loads(variant("  title: QuickTakes | Medicine\n", ""))
    with pytest.raises(ArticleValidationError) as info:
        article_of(doc)
    assert str(info.value) == "<string>:11:1: seo.title: Field required"
    problem = info.value.problems[0]
    assert (problem.end_line, problem.end_column) == (11, 4)  # the key `seo`


def test_with_path_rewrites_every_problem() -> None:
    problems = [
        Diagnostic(None, 3, 5, "V001", "bad", keys=("id",)),
        Diagnostic(None, None, None, "V001", "Field required", keys=("subject",)),
    ]
    error = ArticleValidationError(problems).with_path("a/b.md")
    assert str(error) == "a/b.md:3:5: id: bad\na/b.md: subject: Field required"


def test_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        ArticleValidationError([])


# --- write-back ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ARTICLE_FIXTURES)
def test_writing_an_untouched_article_changes_nothing(name: str) -> None:
    raw = (QUICKTAKES / name).read_bytes()
    doc = fq.loads(raw)
    write_article(doc, article_of(doc))
    assert doc.dumps().encode("utf-8") == raw


def test_title_edit_changes_only_the_title_line() -> None:
    def edit(art: Article) -> None:
        art.title = "New title"

    assert edited(seed_text(), edit) == replace_line(seed_text(), 6, "    New title")


def test_edits_keep_types_and_styles_of_their_lines() -> None:
    def edit(art: Article) -> None:
        art.score = 2
        art.date = dt.date(2025, 1, 2)
        art.seo.title = "QuickTakes | Oncology"

    expected = replace_line(seed_text(), 25, "score: 2.0")
    expected = replace_line(expected, 4, "date: 2025-01-02")
    expected = replace_line(expected, 12, "  title: QuickTakes | Oncology")
    assert edited(seed_text(), edit) == expected


def test_keywords_edit_stays_folded() -> None:
    def edit(art: Article) -> None:
        art.seo.keywords = ["liver", "MRI"]

    assert edited(seed_text(), edit) == replace_line(seed_text(), 16, "    liver,MRI")


def test_coerced_values_stay_as_written_when_untouched() -> None:
    text = variant("id: 97068", 'id: "97068"', variant("date: 2024-12-07", "date: Dec 07, 2024"))
    text = variant("score: -1.0", "score: -1", text)

    def edit(art: Article) -> None:
        art.title = "New title"

    assert edited(text, edit) == replace_line(text, 6, "    New title")


def test_crlf_file_keeps_crlf() -> None:
    raw = (QUICKTAKES / "001-crlf.md").read_bytes().decode("utf-8")

    def edit(art: Article) -> None:
        art.subject = "Oncology"

    expected = variant("\nsubject: Medicine\r\n", "\nsubject: Oncology\r\n", raw)
    assert edited(raw, edit) == expected


def test_removing_a_related_article_deletes_its_block() -> None:
    def edit(art: Article) -> None:
        art.related_articles = art.related_articles[:3]

    lines = seed_text().split("\n")
    assert edited(seed_text(), edit) == "\n".join(lines[:43] + lines[49:])


def test_deleting_and_adding_extra_keys() -> None:
    text = (QUICKTAKES / "008-extra-keys.md").read_text("utf-8")

    def edit(art: Article) -> None:
        del art.tags
        art.draft = True

    expected = variant(
        "tags:\n  - liver\n  - oncology\n  - imaging\ndraft: false\n", "draft: true\n", text
    )
    assert edited(text, edit) == expected


def test_defaults_are_not_added_to_the_file() -> None:
    text = variant("author: QuickTakes\n", "")

    def edit(art: Article) -> None:
        art.subject = "Oncology"

    assert edited(text, edit) == variant("\nsubject: Medicine", "\nsubject: Oncology", text)


def test_a_field_set_on_the_model_is_added_to_the_file() -> None:
    text = variant("author: QuickTakes\n", "")

    def edit(art: Article) -> None:
        art.author = "Dr. Chan"

    expected = variant("\nquestion: >-", "\nquestion: >-", text)
    result = edited(text, edit)
    assert result.count("author: Dr. Chan\n") == 1
    assert result.replace("author: Dr. Chan\n", "") == expected


def test_appending_a_related_article_copies_its_siblings_format() -> None:
    def edit(art: Article) -> None:
        art.related_articles = [*art.related_articles, RelatedArticle(**NEW_RELATED)]

    block = (
        "related_article5:\n"
        "    id: 97099\n"
        "    title: >-\n"
        "        New related question?\n"
        "    subject: Medicine\n"
        "    url: /learn/medicine/questions/new-related-question\n"
        "---\n"
    )
    assert edited(seed_text(), edit) == variant("\n---\n", "\n" + block, seed_text())


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (-1.0, -1.0, True),
        (-1.0, -1, False),
        (1, True, False),
        (dt.date(2024, 1, 1), dt.datetime(2024, 1, 1), False),
        ({"a": [1, {"b": 2.0}]}, {"a": [1, {"b": 2.0}]}, True),
        ({"a": [1, {"b": 2.0}]}, {"a": [1, {"b": 2}]}, False),
        ([1, 2], [1, 2, 3], False),
        ({"a": 1}, {"b": 1}, False),
    ],
)
def test_same_is_type_exact(a: Any, b: Any, expected: bool) -> None:
    assert same(a, b) is expected
