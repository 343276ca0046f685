"""Bring your own schema: users' models validate the real corpus, report exact positions on
crafted bad files, and write a one-field change back as exactly one changed line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from conftest import QUICKTAKES, REAL
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from site_models import Event, HugoPage, Post

import frontmatter_qt as fq
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.errors import ArticleValidationError, ModelValidationError

HUGO = sorted((REAL / "gohugoio__hugoDocs").glob("*.md"))
CHROME = sorted((REAL / "GoogleChrome__developer.chrome.com").glob("*.md"))


def fitting(files: list[Path], model: type[BaseModel]) -> list[Path]:
    return [path for path in files if not fq.validate(path, model)]


def rows(problems: list[Diagnostic]) -> list[tuple[str, int | None, int | None, str, str]]:
    return [(p.field, p.line, p.column, p.type, p.message) for p in problems]


def problems_of(text: str, model: type[BaseModel]) -> list[Diagnostic]:
    with pytest.raises(ModelValidationError) as caught:
        fq.loads(text).model(model)
    assert fq.validate(fq.loads(text), model) == caught.value.problems
    return caught.value.problems


# -- the real corpus ------------------------------------------------------------------------------


def test_hugo_pages_fit_the_hugo_model_and_write_back_unchanged() -> None:
    fits = fitting(HUGO, HugoPage)
    # 114 of the 120 pages; the others have no title (5 `_comment`-only pages, 1 empty).
    assert (len(HUGO), len(fits)) == (120, 114)
    misfits = {path.name: fq.validate(path, HugoPage) for path in HUGO if path not in fits}
    assert sorted({(p.field, p.type) for ps in misfits.values() for p in ps}) == [
        ("", "no_front_matter"),
        ("title", "missing"),
    ]
    with_params = 0
    for path in fits:
        doc = fq.load(path)
        page = doc.model(HugoPage)
        with_params += page.params is not None
        doc.update(page)
        assert doc.dumps() == doc.original_text, path.name
    assert with_params == 29


def test_chrome_posts_fit_the_post_model_through_aliases() -> None:
    fits = fitting(CHROME, Post)
    assert len(fits) == 88
    doc = fq.load(
        REAL / "GoogleChrome__developer.chrome.com" / "site__en__blog__tablesng__index.md"
    )
    post = doc.model(Post)
    assert post.published == dt.date(2021, 6, 16)  # the file's `date`
    assert post.authors == ["unakravets", "atotic"]
    assert post.summary == (
        "-- A new rendering engine for tables makes it more consistent to author tabular data "
        "across the web."
    )
    for path in fits:
        doc = fq.load(path)
        doc.update(doc.model(Post))
        assert doc.dumps() == doc.original_text, path.name


# -- positions on crafted bad files ---------------------------------------------------------------

HUGO_PAGE = """\
---
title: collections.Append
keywords: []
params:
  functions_and_methods:
    aliases: [append]
    returnType: '[]any'
    signatures:
      - collections.Append ELEMENT [ELEMENT...] SLICE
      - collections.Append SLICE1 SLICE2
aliases: [/functions/append]
---

Body.
"""


def test_a_wrong_type_inside_a_nested_list_item_points_at_that_items_value() -> None:
    text = HUGO_PAGE.replace("      - collections.Append SLICE1 SLICE2", "      - 42")
    assert rows(problems_of(text, HugoPage)) == [
        (
            "params.functions_and_methods.signatures[1]",
            10,
            9,
            "string_type",
            "Input should be a valid string",
        )
    ]
    problem = problems_of(text, HugoPage)[0]
    assert problem.keys == ("params", "functions_and_methods", "signatures", 1)
    assert (problem.end_line, problem.end_column, problem.code) == (10, 11, "V001")


def test_a_missing_nested_field_points_at_its_parent_mappings_key() -> None:
    text = HUGO_PAGE.replace(
        "    signatures:\n"
        "      - collections.Append ELEMENT [ELEMENT...] SLICE\n"
        "      - collections.Append SLICE1 SLICE2\n",
        "",
    )
    assert rows(problems_of(text, HugoPage)) == [
        ("params.functions_and_methods.signatures", 5, 3, "missing", "Field required")
    ]


def test_a_missing_top_level_field_points_at_the_opening_delimiter() -> None:
    text = HUGO_PAGE.replace("title: collections.Append\n", "")
    problem = problems_of(text, HugoPage)[0]
    assert (problem.line, problem.column, problem.end_line, problem.end_column) == (1, 1, 1, 4)
    assert str(problem) == "<string>:1:1: title: Field required"


POST = """\
---
title: TablesNG
description: >-
  A new rendering engine for tables.
date: 2021-06-16
authors:
  - unakravets
  - atotic
tags: [chrome-91]
---
"""


def test_post_errors_use_the_files_spelling_and_point_into_list_items() -> None:
    bad = POST.replace("date: 2021-06-16", "date: someday").replace("- atotic", "- name: atotic")
    problems = problems_of(bad, Post)
    assert rows(problems) == [
        (
            "date",
            5,
            7,
            "date_from_datetime_parsing",
            "Input should be a valid date or datetime, input is too short",
        ),
        ("authors[1]", 8, 5, "string_type", "Input should be a valid string"),
    ]
    spelled = POST.replace("date: 2021-06-16", "published: 2021-06-16x")
    [problem] = problems_of(spelled, Post)
    assert (problem.keys, problem.line, problem.column) == (("published",), 5, 12)


def test_extra_forbid_reports_each_unknown_key_at_its_value() -> None:
    text = "---\ntitle: Meetup\ndate: 2023-06-08\nvenue: Zuiderkerk\ntags: [a]\n---\n"
    assert rows(problems_of(text, Event)) == [
        ("venue", 4, 8, "extra_forbidden", "Extra inputs are not permitted")
    ]
    assert fq.loads(text.replace("venue: Zuiderkerk\n", "")).model(Event).tags == ["a"]


def test_validate_a_path_never_raises(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    [problem] = fq.validate(broken, Event)
    assert (problem.path, problem.code, problem.type) == (str(broken), "E004", "YAMLSyntaxError")
    [missing] = fq.validate(tmp_path / "missing.md", Event)
    assert (missing.code, missing.message) == ("E902", "No such file or directory")
    [empty] = fq.validate(QUICKTAKES / "020-empty-file.md", Event)
    assert (empty.code, empty.message, empty.line, empty.column) == (
        "V002",
        "no front matter",
        1,
        1,
    )


# -- writing back ---------------------------------------------------------------------------------


def test_one_nested_field_changes_exactly_one_line() -> None:
    doc = fq.loads(HUGO_PAGE)
    page = doc.model(HugoPage)
    assert page.params is not None and page.params.functions_and_methods is not None
    page.params.functions_and_methods.return_type = "[]string"
    doc.update(page)
    assert doc.dumps() == HUGO_PAGE.replace("returnType: '[]any'", "returnType: '[]string'")


def test_an_aliased_field_is_written_under_the_files_key() -> None:
    doc = fq.loads(POST)
    post = doc.model(Post)
    post.summary = "Tables, rewritten."
    doc.update(post)
    assert doc.dumps() == POST.replace(
        "  A new rendering engine for tables.", "  Tables, rewritten."
    )
    by_name = POST.replace("date: 2021-06-16", "published: 2021-06-16")
    doc = fq.loads(by_name)
    post = doc.model(Post)
    doc.update(post)
    assert doc.dumps() == by_name  # spelled by field name: kept
    post.published = dt.date(2022, 1, 2)
    doc.update(post)
    assert doc.dumps() == by_name.replace("published: 2021-06-16", "published: 2022-01-02")


def test_one_list_item_changes_one_line_and_unknown_keys_stay() -> None:
    doc = fq.loads(POST.replace("  - atotic", "  - atotic\nextra: {kept: true}"))
    post = doc.model(Post)  # extra="ignore": the model does not know `extra`
    post.authors[1] = "atotic2"
    post.tags.append("tables")
    doc.update(post)
    assert doc.dumps() == POST.replace("  - atotic", "  - atotic2\nextra: {kept: true}").replace(
        "tags: [chrome-91]", "tags: [chrome-91, tables]"
    )


def test_defaults_are_not_added_but_changed_defaults_are() -> None:
    text = "---\ntitle: Meetup\ndate: 2023-06-08\n---\n"
    doc = fq.loads(text)
    event = doc.model(Event)
    doc.update(event)
    assert doc.dumps() == text
    event.tags.append("css")  # changed in place: no longer the default
    doc.update(event)
    assert doc.dumps() == "---\ntitle: Meetup\ndate: 2023-06-08\ntags:\n- css\n---\n"


class Flags(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    draft: bool = Field(False, alias="isDraft")
    weight: float = 0.0


@pytest.mark.parametrize(
    "text",
    [
        "---\nisDraft: no\nweight: 1\n---\n",  # YAML 1.2: `no` is a string, validated as False
        "---\ndraft: 'true'\nweight: '2.5'\n---\n",  # by name, coerced strings
        "---\n# comment\nweight: 3  # kept\n---\nbody",
    ],
)
def test_unchanged_models_write_back_byte_identical(text: str) -> None:
    doc = fq.loads(text)
    doc.update(doc.model(Flags))
    assert doc.dumps() == text


def test_update_with_a_mapping_and_keywords_is_dict_update() -> None:
    doc = fq.loads("---\na: 1\n---\n")
    doc.update({"b": 2}, c=3)
    assert doc.dumps() == "---\na: 1\nb: 2\nc: 3\n---\n"


def test_models_see_plain_values_and_the_cache_returns_copies() -> None:
    doc = fq.loads("---\ntitle: T\ndate: 2024-12-07\ntags: [x]\n---\n")
    event = doc.model(Event)
    assert event.date == dt.date(2024, 12, 7)
    event.tags.append("y")
    assert doc.model(Event).tags == ["x"]
    assert doc["tags"] == ["x"]


# -- issue 10 item 4: a no-op typed write-back leaves the bytes identical -------------------------


def test_article_spelled_by_field_name_writes_back_unchanged() -> None:
    text = (QUICKTAKES / "000-seed.md").read_text("utf-8").replace("_schema:", "schema_name:", 1)
    doc = fq.loads(text)
    doc.article = doc.article
    assert doc.dumps() == text
    article = doc.article
    article.schema_name = "v2"
    doc.article = article
    assert doc.dumps() == text.replace("schema_name: default", "schema_name: v2")


def test_a_key_that_was_the_old_carrier_is_an_ordinary_extra() -> None:
    text = (QUICKTAKES / "000-seed.md").read_text("utf-8")
    text = text.replace("\nscore: -1.0\n", '\nscore: -1.0\n"\\0related": kept\n')
    doc = fq.loads(text)
    assert doc.article.model_extra is not None
    assert doc.article.model_extra["\x00related"] == "kept"
    doc.article = doc.article
    assert doc.dumps() == text


def test_article_errors_are_model_errors_with_the_issue_fields() -> None:
    text = (QUICKTAKES / "000-seed.md").read_text("utf-8").replace("id: 97057", "id: first")
    with pytest.raises(ArticleValidationError) as caught:
        fq.loads(text).model(fq.Article)
    [problem] = caught.value.problems
    assert isinstance(caught.value, ModelValidationError)
    assert (problem.keys, problem.line, problem.column, problem.type) == (
        ("related_article1", "id"),
        27,
        9,
        "int_parsing",
    )


def test_strict_applies_to_the_related_articles_too() -> None:
    text = (QUICKTAKES / "000-seed.md").read_text("utf-8").replace("id: 97057", "id: '97057'")
    assert fq.loads(text).article.related_articles[0].id == 97057
    with pytest.raises(ArticleValidationError) as caught:
        fq.loads(text, strict=True).article  # noqa: B018
    assert [(p.field, p.type) for p in caught.value.problems] == [
        ("related_article1.id", "int_type")
    ]
    data: dict[str, Any] = fq.loads(text).data
    with pytest.raises(ValidationError, match=r"related_article1\.id"):
        fq.Article.model_validate(data, strict=True)


class Checked(BaseModel):
    """A user model with validators: one that refuses, one that rewrites, one over the whole."""

    title: str
    weight: int
    slug: str = ""

    @field_validator("weight")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("weight must be positive")
        return value

    @field_validator("title")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def _slug_matches(self) -> Checked:
        if self.slug and self.slug != self.title.lower().replace(" ", "-"):
            raise ValueError("slug does not match the title")
        return self


def test_validators_errors_are_positioned_and_rewrites_are_not_written_back() -> None:
    # a field validator's refusal: at the value it refused
    text = "---\ntitle: '  Hello World  '\nweight: -3\n---\nbody\n"
    assert rows(problems_of(text, Checked)) == [
        ("weight", 3, 9, "value_error", "Value error, weight must be positive")
    ]
    # a model validator's refusal belongs to no field: at the opening delimiter
    whole = "---\ntitle: Hello World\nweight: 3\nslug: nope\n---\n"
    problem = problems_of(whole, Checked)[0]
    assert (problem.keys, problem.line, problem.column) == ((), 1, 1)
    assert str(problem) == "<string>:1:1: Value error, slug does not match the title"
    # a validator that rewrites a value (strips it): writing the model back changes nothing,
    # and a real change writes exactly its own line
    doc = fq.loads(text.replace("-3", "3"))
    article = doc.model(Checked)
    assert article.title == "Hello World"
    doc.update(article)
    assert doc.dumps() == text.replace("-3", "3")
    article.weight = 4
    doc.update(article)
    assert doc.dumps() == text.replace("-3", "4")


class Cat(BaseModel):
    kind: Literal["cat"]
    meow: int


class Dog(BaseModel):
    kind: Literal["dog"]
    bark: int


class Pets(BaseModel):
    """Unions: pydantic names the member it tried in an error's location (``Cat``, ``int``,
    ``list[int]``, the discriminator's value); a dict key it refused is followed by
    ``[key]``. None of these is a key of the file."""

    pet: Cat | Dog | None = None
    pets: list[Annotated[Cat | Dog, Field(discriminator="kind")]] = []
    size: int | list[int] = 0
    by_year: dict[int, str] = {}


def test_union_members_and_dict_keys_are_not_keys_of_the_file() -> None:
    text = (
        "---\n"
        "pet:\n"
        "  kind: cat\n"
        "  meow: loud\n"
        "pets:\n"
        "  - kind: dog\n"
        "    bark: often\n"
        "size:\n"
        "  - 1\n"
        "  - big\n"
        "by_year:\n"
        "  later: x\n"
        "---\n"
    )
    spans = [
        (p.field, p.line, p.column, p.end_line, p.end_column, p.type)
        for p in problems_of(text, Pets)
    ]
    assert spans == [
        ("pet.meow", 4, 9, 4, 13, "int_parsing"),  # Cat's meow
        ("pet.kind", 3, 9, 3, 12, "literal_error"),  # Dog's kind
        ("pet.bark", 2, 1, 2, 4, "missing"),  # Dog's missing bark: at pet's key
        ("pets[0].bark", 7, 11, 7, 16, "int_parsing"),  # the tag "dog" is no key
        ("size", 9, 3, 10, 8, "int_type"),  # as an int: the value (a list)
        ("size[1]", 10, 5, 10, 8, "int_parsing"),  # as a list[int]: its item
        ("by_year.later", 12, 3, 12, 8, "int_parsing"),  # a key refused: at the key
    ]
