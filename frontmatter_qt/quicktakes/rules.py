"""The QuickTakes lint rules (QT001-QT012): do an article's fields agree with each other?

Plain functions over the data, registered in :data:`RULES` with codes that stay stable for
QuickTakes users. QT008 and QT009 are the generic mojibake and escaped-newline rules
(``FQ001``/``FQ002``) under their QuickTakes codes, which replace the generic ones while this
plug-in is selected. See docs/models.md for each rule.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from frontmatter_qt.lint import (
    FIX_DATES,
    FIX_ENCODING,
    FIX_NEWLINES,
    Finding,
    RuleSet,
    escaped_newlines,
    impossible_date,
    mojibake,
)

__all__ = ["RELATED_KEY_RE", "RULES", "SEO_TITLE_PREFIX", "related_number", "slugify"]

RULES = RuleSet("quicktakes")

SEO_TITLE_PREFIX = "QuickTakes | "
RELATED_KEY_RE = re.compile(r"related_article([0-9]+)")
"""Full-match pattern of the keys holding related articles; group 1 is ``N``."""
_APOSTROPHES = re.compile(r"['\u2019]")
_NON_WORD = re.compile(r"[\W_]+")
_ARROW_TOKEN = re.compile(
    r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|DDDD|DDD|DD|Do|D|dddd|ddd|d|HH|H|hh|h|mm|m|ss|s"
    r"|S{1,6}|ZZZ|ZZ|Z|a|A|X|x|W"
)


def slugify(text: str) -> str:
    """URL slug: accents dropped, apostrophes removed, other non-word runs → ``-``, lowercase.

    ``What role do imaging techniques play in the diagnosis of liver cancer?`` →
    ``what-role-do-imaging-techniques-play-in-the-diagnosis-of-liver-cancer``.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub("-", _APOSTROPHES.sub("", bare).lower()).strip("-")


def related_number(key: Any) -> int | None:
    """``N`` of a ``related_articleN`` key, or ``None`` for any other key."""
    match = RELATED_KEY_RE.fullmatch(key) if isinstance(key, str) else None
    return int(match.group(1)) if match else None


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _related(data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """``(key, mapping)`` of each ``related_articleN`` mapping, ordered by ``N``."""
    numbered = [(related_number(k), str(k), v) for k, v in data.items()]
    found = [(n, k, v) for n, k, v in numbered if n is not None and isinstance(v, Mapping)]
    return [(k, v) for _, k, v in sorted(found, key=lambda item: item[0])]


def _title_copy(data: Mapping[str, Any], code: str, key: str) -> Iterator[Finding]:
    title, other = _text(data, "title"), _text(data, key)
    if title is not None and other is not None and other != title:
        yield Finding(code, (key,), f"{key} {other!r} differs from title {title!r}")


@RULES.rule("QT001", "article-title-mismatch", "`article_title` differs from `title`", fixable=True)
def _check_article_title(data: Mapping[str, Any]) -> Iterator[Finding]:
    return _title_copy(data, "QT001", "article_title")


@RULES.rule("QT002", "question-mismatch", "`question` differs from `title`", fixable=True)
def _check_question(data: Mapping[str, Any]) -> Iterator[Finding]:
    return _title_copy(data, "QT002", "question")


@RULES.rule("QT003", "seo-title", "`seo.title` is not `QuickTakes | {subject}`", fixable=True)
def _check_seo_title(data: Mapping[str, Any]) -> Iterator[Finding]:
    seo, subject = data.get("seo"), _text(data, "subject")
    if not isinstance(seo, Mapping) or subject is None or not isinstance(seo.get("title"), str):
        return
    expected = SEO_TITLE_PREFIX + subject
    if seo["title"] != expected:
        yield Finding("QT003", ("seo", "title"), f"expected {expected!r}, found {seo['title']!r}")


@RULES.rule("QT004", "file-name", "`file_name` is not the slug of `title` plus `.md`", fixable=True)
def _check_file_name(data: Mapping[str, Any]) -> Iterator[Finding]:
    title, file_name = _text(data, "title"), _text(data, "file_name")
    if title is None or file_name is None or not slugify(title):
        return
    expected = slugify(title) + ".md"
    if file_name != expected:
        yield Finding("QT004", ("file_name",), f"expected {expected!r}, found {file_name!r}")


@RULES.rule(
    "QT005",
    "url",
    "`url` is not `/learn/{subject-slug}/questions/{title-slug}`",
    fixable=True,
)
def _check_url(data: Mapping[str, Any]) -> Iterator[Finding]:
    title, subject, url = _text(data, "title"), _text(data, "subject"), _text(data, "url")
    if title is None or subject is None or url is None or not slugify(title):
        return
    expected = f"{_subject_prefix(subject)}{slugify(title)}"
    if url != expected:
        yield Finding("QT005", ("url",), f"expected {expected!r}, found {url!r}")


def _subject_prefix(subject: str) -> str:
    return f"/learn/{slugify(subject)}/questions/"


@RULES.rule(
    "QT006",
    "related-url-subject",
    "a related `url` is not under its own subject",
    fixable=True,
)
def _check_related_urls(data: Mapping[str, Any]) -> Iterator[Finding]:
    for key, related in _related(data):
        subject, url = _text(related, "subject"), _text(related, "url")
        if subject is not None and url is not None and not url.startswith(_subject_prefix(subject)):
            prefix = _subject_prefix(subject)
            yield Finding("QT006", (key, "url"), f"url {url!r} is not under {prefix!r}")


@RULES.rule(
    "QT007",
    "date-format-token",
    "`date_format` has characters that are not arrow tokens",
    hint="date_format uses arrow's tokens (`MMM DD, YYYY`); put literal text in [brackets]",
)
def _check_date_format(data: Mapping[str, Any]) -> Iterator[Finding]:
    date_format = _text(data, "date_format")
    if date_format is None:
        return
    leftover = _ARROW_TOKEN.sub(" ", date_format)
    unknown = sorted({ch for ch in leftover if ch.isalpha() or ch == "%"})
    if unknown:
        from frontmatter_qt.fixes.dates import strftime_to_arrow  # arrow: loaded when needed

        shown = ", ".join(repr(ch) for ch in unknown)
        spelling = strftime_to_arrow(date_format)
        hint = None if spelling is None else f"a strftime format; in arrow's tokens: {spelling!r}"
        yield Finding("QT007", ("date_format",), f"not arrow tokens: {shown}", hint=hint)


@RULES.rule(
    "QT008",
    "mojibake",
    "a string holds mojibake (UTF-8 decoded as cp1252/latin-1)",
    fixable=True,
    replaces=["FQ001"],
    hint=FIX_ENCODING,
)
def _check_mojibake(data: Mapping[str, Any]) -> Iterator[Finding]:
    return mojibake(data, "QT008")


@RULES.rule(
    "QT009",
    "escaped-newline",
    "a string holds a literal `\\n` outside code spans",
    fixable=True,
    replaces=["FQ002"],
    hint=FIX_NEWLINES,
)
def _check_escaped_newlines(data: Mapping[str, Any]) -> Iterator[Finding]:
    return escaped_newlines(data, "QT009")


def _related_ids(data: Mapping[str, Any]) -> Iterator[tuple[str, Any, str | None]]:
    """``(key, id, key of the first earlier related article with that id)`` per related id."""
    seen: dict[Any, str] = {}
    for key, related in _related(data):
        rid = related.get("id")
        if rid is None or isinstance(rid, (dict, list)):
            continue
        yield key, rid, seen.get(rid)
        seen.setdefault(rid, key)


@RULES.rule("QT010", "related-duplicate-id", "two related articles share an `id`")
def _check_related_duplicates(data: Mapping[str, Any]) -> Iterator[Finding]:
    for key, rid, first in _related_ids(data):
        if first is not None:
            yield Finding("QT010", (key, "id"), f"id {rid!r} already used by {first}")


@RULES.rule("QT011", "related-self-reference", "a related article's `id` is the article's own")
def _check_related_self(data: Mapping[str, Any]) -> Iterator[Finding]:
    own = data.get("id")
    for key, rid, _ in _related_ids(data):
        if rid == own:
            yield Finding("QT011", (key, "id"), f"id {rid!r} is the article's own id")


@RULES.rule(
    "QT012",
    "date-not-plain",
    "`date` is a string or a datetime, not a YAML date",
    fixable=True,
    hint=FIX_DATES,
)
def _check_date(data: Mapping[str, Any]) -> Iterator[Finding]:
    value = data.get("date")
    if isinstance(value, dt.datetime):
        yield Finding("QT012", ("date",), f"datetime {value.isoformat()} where a date is expected")
    elif isinstance(value, str) and impossible_date(value) is None:  # else FQ003's finding
        yield Finding("QT012", ("date",), f"string {value!r} where a YAML date is expected")
