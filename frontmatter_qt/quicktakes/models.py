"""The QuickTakes article as pydantic models (the QuickTakes plug-in's schema).

``Article`` covers every key of the seed article; unknown keys are kept as pydantic extras and
round-trip untouched. ``related_articleN`` keys (any ``N``, gaps allowed) are validated into
:class:`RelatedArticle` and stay top-level keys, exactly as in the file.

Validation with positions and the write-back are the generic engine's
(``doc.model(Article)``, ``doc.update(article)``); nothing here knows the document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    TypeAdapter,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails

from frontmatter_qt.errors import ArticleValidationError, ModelValidationError
from frontmatter_qt.quicktakes.rules import RELATED_KEY_RE, related_number

__all__ = ["RELATED_KEY_RE", "Article", "RelatedArticle", "Seo", "related_number"]

KEYWORD_SEPARATOR = ","

# Non-ISO spellings accepted for ``date`` in lax mode (strptime, so they must match the whole
# string). ISO ``YYYY-MM-DD`` strings are handled by pydantic itself.
LAX_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d")

# The strictness ``Article.model_validate`` was called with. A model validator cannot see it
# (pydantic's ValidationInfo does not carry it), and the related articles are validated apart
# from the declared fields; they must be as strict as the call.
_STRICT: ContextVar[bool | None] = ContextVar("frontmatter_qt_article_strict", default=None)


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        validate_assignment=True,
        populate_by_name=True,
        use_attribute_docstrings=True,
    )


class Seo(_Model):
    """The ``seo`` mapping."""

    title: str
    """Search-result title, ``QuickTakes | {subject}``."""
    page_description: str
    """Meta description."""
    page_keywords: str
    """Comma-separated keywords; see ``keywords``."""

    @property
    def keywords(self) -> list[str]:
        """``page_keywords`` split at commas, each keyword stripped."""
        return [k.strip() for k in self.page_keywords.split(KEYWORD_SEPARATOR)]

    @keywords.setter
    def keywords(self, value: Iterable[str]) -> None:
        self.page_keywords = KEYWORD_SEPARATOR.join(k.strip() for k in value)


class RelatedArticle(_Model):
    """One ``related_articleN`` mapping."""

    id: int
    """``id`` of the related article."""
    title: str
    """Its title."""
    subject: str
    """Its subject, e.g. ``Health Studies``."""
    url: str
    """Its URL, ``/learn/{subject-slug}/questions/{slug}``."""


class Article(_Model):
    """A QuickTakes article's front matter."""

    schema_name: str = Field(alias="_schema")
    """Site schema name (the ``_schema`` key)."""
    id: int
    """Numeric article id."""
    date: dt.date
    """Publication date (a YAML date such as ``2024-12-07``)."""
    title: str
    """The question, as page title."""
    article_title: str
    """Heading shown on the page; normally equal to ``title``."""
    date_format: str
    """Display format of ``date`` in arrow tokens, e.g. ``MMM DD, YYYY``."""
    post_on_text: str
    """Label shown before the date, e.g. ``Posted on``."""
    seo: Seo
    """Search-engine metadata."""
    author: str | None = None
    """Author name; may be empty (null)."""
    question: str
    """The question; normally equal to ``title``."""
    answer: str
    """The answer, Markdown."""
    subject: str
    """Subject, e.g. ``Medicine``."""
    file_name: str
    """``{slug}.md``."""
    url: str
    """``/learn/{subject-slug}/questions/{slug}``."""
    score: float
    """Ranking score; ``-1.0`` when unscored."""

    #: ``doc.model(Article)`` raises this subclass of ``ModelValidationError``.
    frontmatter_error: ClassVar[type[ModelValidationError]] = ArticleValidationError

    @classmethod
    def model_validate(cls, obj: Any, *, strict: bool | None = None, **kwargs: Any) -> Article:
        token = _STRICT.set(strict)
        try:
            return super().model_validate(obj, strict=strict, **kwargs)
        finally:
            _STRICT.reset(token)

    @model_validator(mode="wrap")
    @classmethod
    def _split_related(cls, data: Any, handler: ModelWrapValidatorHandler[Article]) -> Article:
        """Validate the declared fields through pydantic, and the ``related_articleN`` keys
        (which no field can name) as ``dict[str, RelatedArticle]`` with the same strictness;
        report the problems of both in one ``ValidationError``, in file order of fields."""
        if not isinstance(data, Mapping):
            return handler(data)
        plain = {k: v for k, v in data.items() if related_number(k) is None}
        related = {k: v for k, v in data.items() if k not in plain}
        errors: list[InitErrorDetails] = []
        article: Article | None = None
        checked: dict[str, RelatedArticle] = {}
        try:
            article = handler(plain)
        except ValidationError as exc:
            errors += _details(exc)
        try:
            checked = _RELATED.validate_python(related, strict=_STRICT.get())
        except ValidationError as exc:
            errors += _details(exc)
        if errors or article is None:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        article._adopt_related(list(data), checked)
        return article

    def _adopt_related(self, order: list[Any], related: dict[str, RelatedArticle]) -> None:
        """Put the validated related articles among the extras, in file order."""
        extra = {**(self.__pydantic_extra__ or {}), **related}
        self.__pydantic_extra__ = {k: extra[k] for k in order if k in extra}

    @field_validator("date", mode="wrap")
    @classmethod
    def _lax_date(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> dt.date:
        try:
            return handler(value)  # type: ignore[no-any-return]
        except ValidationError as exc:
            # ``date_type`` is pydantic's verdict in strict mode: no coercion at all.
            if exc.errors()[0]["type"] == "date_type":
                raise
            lenient = _lenient_date(value)
            if lenient is None:
                raise
            return lenient

    def __setattr__(self, name: str, value: Any) -> None:
        if related_number(name) is not None:
            value = RelatedArticle.model_validate(value)
        super().__setattr__(name, value)

    @property
    def related_articles(self) -> list[RelatedArticle]:
        """The ``related_articleN`` values ordered by ``N`` (gaps allowed)."""
        slots = self._related_slots()
        return [getattr(self, key) for _, key in slots]

    @related_articles.setter
    def related_articles(self, value: Iterable[RelatedArticle | Mapping[str, Any]]) -> None:
        """Fill the existing slots in ``N`` order, then append ``N = max + 1, ...``.

        Surplus slots (the highest ``N``) are removed; nothing is renumbered, so a list that only
        grew changes only the new keys.
        """
        items = list(value)
        slots = [key for _, key in self._related_slots()]
        highest = max((related_number(k) or 0 for k in slots), default=0)
        added = [f"related_article{highest + i}" for i in range(1, len(items) - len(slots) + 1)]
        for key in slots[len(items) :]:
            delattr(self, key)
        for key, item in zip([*slots, *added], items, strict=False):
            setattr(self, key, item)

    def _related_slots(self) -> list[tuple[int, str]]:
        extra = self.__pydantic_extra__ or {}
        numbered = ((related_number(k), k) for k in extra)
        return sorted((n, k) for n, k in numbered if n is not None)

    @property
    def display_date(self) -> str:
        """``date`` rendered with the article's own ``date_format`` (arrow tokens)."""
        from frontmatter_qt.fixes.dates import format_date

        return str(format_date(self.date, self.date_format))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        # Through the generator itself, so RelatedArticle becomes a $defs entry and a $ref (the
        # handler alone would inline it); inline only if a pydantic release drops that attribute.
        generator = getattr(handler, "generate_json_schema", None)
        core = RelatedArticle.__pydantic_core_schema__
        related = handler(core) if generator is None else generator.generate_inner(core)
        target["patternProperties"] = {f"^{RELATED_KEY_RE.pattern}$": related}
        return schema


_RELATED = TypeAdapter(dict[str, RelatedArticle])


def _details(exc: ValidationError) -> list[InitErrorDetails]:
    """``exc``'s errors in the form ``ValidationError.from_exception_data`` takes back."""
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        detail = InitErrorDetails(type=error["type"], loc=error["loc"], input=error["input"])
        if "ctx" in error:
            detail["ctx"] = error["ctx"]
        details.append(detail)
    return details


def _lenient_date(value: Any) -> dt.date | None:
    """Lax-mode reading of a datetime (its own calendar date) or a human date string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, str):
        return None
    for fmt in LAX_DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None
