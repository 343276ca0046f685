"""Typed view of a QuickTakes article: pydantic models that write back through the engine.

``Article`` covers every key of the seed article; unknown keys are kept as pydantic extras and
round-trip untouched. ``related_articleN`` keys (any ``N``, gaps allowed) are validated into
:class:`RelatedArticle` and stay top-level keys, exactly as in the file.

The document-facing functions are :func:`article_of` (validate, with file positions in errors)
and :func:`write_article` (assign back only what changed, so the engine re-renders only the
edited lines).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, ErrorDetails, InitErrorDetails

from frontmatter_qt.engine.equality import same_value
from frontmatter_qt.errors import ArticleProblem, ArticleValidationError

__all__ = [
    "RELATED_KEY_RE",
    "Article",
    "RelatedArticle",
    "Seo",
    "article_of",
    "article_problems",
    "write_article",
]

RELATED_KEY_RE = re.compile(r"related_article([0-9]+)")
"""Full-match pattern of the keys holding related articles; group 1 is ``N``."""

KEYWORD_SEPARATOR = ","

# Non-ISO spellings accepted for ``date`` in lax mode (strptime, so they must match the whole
# string). ISO ``YYYY-MM-DD`` strings are handled by pydantic itself.
LAX_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d")

# Transient carrier: ``Article``'s wrap validator moves the ``related_articleN`` keys here so that
# pydantic validates them as ``RelatedArticle`` with the caller's strictness, then moves the
# validated models back into the extras. A NUL cannot occur in a key the engine loaded.
_CARRIER_ALIAS = "\x00related"
_CARRIER_FIELD = "related_carrier"


def related_number(key: str) -> int | None:
    """``N`` of a ``related_articleN`` key, or ``None`` for any other key."""
    match = RELATED_KEY_RE.fullmatch(key)
    return int(match.group(1)) if match else None


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
    related_carrier: dict[str, RelatedArticle] = Field(
        default_factory=dict, alias="\x00related", exclude=True, repr=False
    )
    """Internal: always empty on a validated model; see ``_split_related``."""

    @model_validator(mode="wrap")
    @classmethod
    def _split_related(cls, data: Any, handler: ModelWrapValidatorHandler[Article]) -> Article:
        if not isinstance(data, Mapping) or _CARRIER_ALIAS in data:
            return handler(data)
        order = list(data)
        plain = {k: v for k, v in data.items() if related_number(str(k)) is None}
        related = {k: v for k, v in data.items() if k not in plain}
        try:
            article = handler({**plain, _CARRIER_ALIAS: related})
        except ValidationError as exc:
            raise _relocated(exc, cls.__name__) from None
        article._adopt_related(order)
        return article

    def _adopt_related(self, order: list[Any]) -> None:
        """Move validated related articles from the carrier into the extras, in file order."""
        extra = {**(self.__pydantic_extra__ or {}), **self.related_carrier}
        self.__pydantic_extra__ = {k: extra[k] for k in order if k in extra}
        self.__dict__[_CARRIER_FIELD] = {}

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
        from frontmatter_qt.fixes.dates import (  # type: ignore[import-not-found, unused-ignore]
            format_date,
        )

        return str(format_date(self.date, self.date_format))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        carrier = target["properties"].pop(_CARRIER_ALIAS)
        target["patternProperties"] = {
            f"^{RELATED_KEY_RE.pattern}$": carrier["additionalProperties"]
        }
        return schema


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


def _relocated(exc: ValidationError, title: str) -> ValidationError:
    """``exc`` with carrier locations ``(carrier, key, ...)`` rewritten to ``(key, ...)``."""
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        loc = error["loc"]
        if loc[:1] == (_CARRIER_ALIAS,):
            loc = loc[1:]
        detail = InitErrorDetails(type=error["type"], loc=loc, input=error["input"])
        if "ctx" in error:
            detail["ctx"] = error["ctx"]
        details.append(detail)
    return ValidationError.from_exception_data(title, details)


# --- the document side -------------------------------------------------------------------------


class DocumentLike(Protocol):
    """What :func:`article_of` and :func:`write_article` need from a ``Document``."""

    @property
    def data(self) -> dict[str, Any]: ...

    @property
    def path(self) -> Any: ...

    def position(self, *keys: Any) -> tuple[int, int] | None: ...


def article_of(doc: DocumentLike, *, strict: bool = False) -> Article:
    """Validate ``doc.data`` as an :class:`Article`.

    Raises :class:`~frontmatter_qt.errors.ArticleValidationError` listing every problem with the
    file position of the offending value (or of its nearest located ancestor).
    """
    try:
        return Article.model_validate(doc.data, strict=strict)
    except ValidationError as exc:
        path = None if doc.path is None else str(doc.path)
        raise ArticleValidationError(article_problems(doc, exc.errors()), path=path) from None


def article_problems(doc: DocumentLike, errors: Iterable[ErrorDetails]) -> list[ArticleProblem]:
    """One :class:`ArticleProblem` per pydantic error, located through ``doc.position``."""
    path = None if doc.path is None else str(doc.path)
    problems = []
    for error in errors:
        line, column = _locate(doc, error["loc"])
        problems.append(
            ArticleProblem(
                path=path,
                line=line,
                column=column,
                field=_field_path(error["loc"]),
                message=error["msg"],
            )
        )
    return problems


def _locate(doc: DocumentLike, loc: tuple[int | str, ...]) -> tuple[int | None, int | None]:
    """Position of the longest prefix of ``loc`` the document knows (a missing key → parent)."""
    for end in range(len(loc), 0, -1):
        position = doc.position(*loc[:end])
        if position is not None:
            return position
    return None, None


def _field_path(loc: tuple[int | str, ...]) -> str:
    """``("seo", "title")`` → ``seo.title``; ``("tags", 0)`` → ``tags[0]``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "<article>"


def write_article(doc: DocumentLike, article: Article) -> None:
    """Assign back into ``doc.data`` only the values that differ from what the file holds.

    A value counts as unchanged when it equals, type-exactly, either the raw value in the file or
    the value validation made of it (so an untouched ``id: "97068"`` or ``date: Dec 07, 2024``
    stays as written). Keys the model lacks are deleted; keys the file lacks are added only when
    they were set on the model (never a bare default).
    """
    new = article.model_dump(by_alias=True)
    _merge(doc.data, new, _baseline(doc.data), _explicit_keys(article))


def _explicit_keys(article: Article) -> set[str]:
    """File keys of the fields set on ``article`` (validated from input or assigned)."""
    keys = set(article.__pydantic_extra__ or {})
    for name in article.model_fields_set:
        info = Article.model_fields.get(name)
        keys.add(info.alias or name if info is not None else name)
    return keys


def _baseline(data: Mapping[str, Any]) -> dict[str, Any]:
    """What lax validation makes of ``data`` (plain), or ``{}`` when it does not validate."""
    try:
        return Article.model_validate(data).model_dump(by_alias=True)
    except ValidationError:
        return {}


def _merge(
    current: dict[str, Any],
    new: Mapping[str, Any],
    base: Mapping[str, Any],
    explicit: set[str] | None,
) -> None:
    """Make the live mapping ``current`` hold ``new``, assigning only what really changed.

    ``explicit`` (top level only) names the keys that may be added although the file lacks them.
    """
    for key in [k for k in current if k not in new]:
        del current[key]
    for key, value in new.items():
        old = current.get(key, _MISSING)
        if old is _MISSING and explicit is not None and key not in explicit:
            continue
        if same_value(value, old) or (key in base and same_value(value, base[key])):
            continue
        if isinstance(value, dict) and isinstance(old, dict):
            sub_base = base.get(key)
            _merge(old, value, sub_base if isinstance(sub_base, dict) else {}, None)
        else:
            current[key] = value


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()
