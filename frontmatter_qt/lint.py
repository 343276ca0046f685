"""Consistency lint for QuickTakes articles, separate from typing.

``lint(doc)`` reads ``doc.data`` (it does not need the article to validate; a rule whose inputs
are missing or of the wrong type stays silent) and returns :class:`Finding` objects located with
``doc.position``. Codes are stable; ``RULES`` documents each one (see docs/models.md).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.fixes.encoding import repair_mojibake
from frontmatter_qt.fixes.newlines import ESCAPED_NEWLINE, unescape_newlines
from frontmatter_qt.models import DocumentLike, related_number

__all__ = ["RULES", "Finding", "Rule", "lint", "slugify"]

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Rule:
    """A lint rule: stable ``code``, short ``name``, one-line ``summary``."""

    code: str
    name: str
    summary: str
    fixable: bool


_RULE_LIST = [
    Rule("QT001", "article-title-mismatch", "`article_title` differs from `title`", True),
    Rule("QT002", "question-mismatch", "`question` differs from `title`", True),
    Rule("QT003", "seo-title", "`seo.title` is not `QuickTakes | {subject}`", True),
    Rule("QT004", "file-name", "`file_name` is not the slug of `title` plus `.md`", True),
    Rule("QT005", "url", "`url` is not `/learn/{subject-slug}/questions/{title-slug}`", True),
    Rule("QT006", "related-url-subject", "a related `url` is not under its own subject", True),
    Rule(
        "QT007",
        "date-format-token",
        "`date_format` has characters that are not arrow tokens",
        False,
    ),
    Rule("QT008", "mojibake", "a string holds mojibake (UTF-8 decoded as cp1252/latin-1)", True),
    Rule("QT009", "escaped-newline", "a string holds a literal `\\n` outside code spans", True),
    Rule("QT010", "related-duplicate-id", "two related articles share an `id`", False),
    Rule("QT011", "related-self-reference", "a related article's `id` is the article's own", False),
    Rule("QT012", "date-not-plain", "`date` is a string or a datetime, not a YAML date", True),
]
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}


@dataclass(frozen=True)
class Finding:
    """One lint finding at key ``path`` (``line``/``column`` 1-based, ``None`` if unknown)."""

    code: str
    message: str
    path: KeyPath
    line: int | None
    column: int | None
    fixable: bool

    @property
    def field(self) -> str:
        """``path`` written as ``seo.title`` / ``tags[0]``."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
        return text

    def __str__(self) -> str:
        where = ":".join(str(n) for n in (self.line, self.column) if n is not None)
        return f"{where}: {self.code} {self.field}: {self.message}"


@dataclass(frozen=True)
class _Hit:
    code: str
    path: KeyPath
    message: str


Check = Callable[[Mapping[str, Any]], Iterator[_Hit]]

SEO_TITLE_PREFIX = "QuickTakes | "
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


def lint(doc: DocumentLike) -> list[Finding]:
    """Every finding for ``doc``, ordered by position (unlocated last), then code."""
    findings = [_locate(doc, hit) for check in _CHECKS for hit in check(doc.data)]
    return sorted(findings, key=_order)


def _locate(doc: DocumentLike, hit: _Hit) -> Finding:
    position = doc.position(*hit.path)
    line, column = position if position is not None else (None, None)
    fixable = RULES[hit.code].fixable
    return Finding(hit.code, hit.message, hit.path, line, column, fixable)


def _order(finding: Finding) -> tuple[bool, int, int, str]:
    return (finding.line is None, finding.line or 0, finding.column or 0, finding.code)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _related(data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """``(key, mapping)`` of each ``related_articleN`` mapping, ordered by ``N``."""
    numbered = [(related_number(str(k)), str(k), v) for k, v in data.items()]
    found = [(n, k, v) for n, k, v in numbered if n is not None and isinstance(v, Mapping)]
    return [(k, v) for _, k, v in sorted(found, key=lambda item: item[0])]


def _check_titles(data: Mapping[str, Any]) -> Iterator[_Hit]:
    title = _text(data, "title")
    for code, key in (("QT001", "article_title"), ("QT002", "question")):
        other = _text(data, key)
        if title is not None and other is not None and other != title:
            yield _Hit(code, (key,), f"{key} {other!r} differs from title {title!r}")


def _check_seo_title(data: Mapping[str, Any]) -> Iterator[_Hit]:
    seo, subject = data.get("seo"), _text(data, "subject")
    if not isinstance(seo, Mapping) or subject is None or not isinstance(seo.get("title"), str):
        return
    expected = SEO_TITLE_PREFIX + subject
    if seo["title"] != expected:
        yield _Hit("QT003", ("seo", "title"), f"expected {expected!r}, found {seo['title']!r}")


def _check_file_name(data: Mapping[str, Any]) -> Iterator[_Hit]:
    title, file_name = _text(data, "title"), _text(data, "file_name")
    if title is None or file_name is None or not slugify(title):
        return
    expected = slugify(title) + ".md"
    if file_name != expected:
        yield _Hit("QT004", ("file_name",), f"expected {expected!r}, found {file_name!r}")


def _check_url(data: Mapping[str, Any]) -> Iterator[_Hit]:
    title, subject, url = _text(data, "title"), _text(data, "subject"), _text(data, "url")
    if title is None or subject is None or url is None or not slugify(title):
        return
    expected = f"{_subject_prefix(subject)}{slugify(title)}"
    if url != expected:
        yield _Hit("QT005", ("url",), f"expected {expected!r}, found {url!r}")


def _subject_prefix(subject: str) -> str:
    return f"/learn/{slugify(subject)}/questions/"


def _check_related_urls(data: Mapping[str, Any]) -> Iterator[_Hit]:
    for key, related in _related(data):
        subject, url = _text(related, "subject"), _text(related, "url")
        if subject is not None and url is not None and not url.startswith(_subject_prefix(subject)):
            prefix = _subject_prefix(subject)
            yield _Hit("QT006", (key, "url"), f"url {url!r} is not under {prefix!r}")


def _check_date_format(data: Mapping[str, Any]) -> Iterator[_Hit]:
    date_format = _text(data, "date_format")
    if date_format is None:
        return
    leftover = _ARROW_TOKEN.sub(" ", date_format)
    unknown = sorted({ch for ch in leftover if ch.isalpha() or ch == "%"})
    if unknown:
        shown = ", ".join(repr(ch) for ch in unknown)
        yield _Hit("QT007", ("date_format",), f"not arrow tokens: {shown}")


def _strings(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string value under ``value`` with its key path (keys themselves excluded)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _check_mojibake(data: Mapping[str, Any]) -> Iterator[_Hit]:
    for path, text in _strings(data):
        if repair_mojibake(text) != text:
            yield _Hit("QT008", path, "mojibake (UTF-8 read as cp1252/latin-1)")


def _check_escaped_newlines(data: Mapping[str, Any]) -> Iterator[_Hit]:
    for path, text in _strings(data):
        count = text.count(ESCAPED_NEWLINE) - unescape_newlines(text).count(ESCAPED_NEWLINE)
        if count:
            yield _Hit("QT009", path, f"{count} literal \\n escape(s) outside code spans")


def _check_related_ids(data: Mapping[str, Any]) -> Iterator[_Hit]:
    own = data.get("id")
    seen: dict[Any, str] = {}
    for key, related in _related(data):
        rid = related.get("id")
        if rid is None or isinstance(rid, (dict, list)):
            continue
        if rid == own:
            yield _Hit("QT011", (key, "id"), f"id {rid!r} is the article's own id")
        if rid in seen:
            yield _Hit("QT010", (key, "id"), f"id {rid!r} already used by {seen[rid]}")
        seen.setdefault(rid, key)


def _check_date(data: Mapping[str, Any]) -> Iterator[_Hit]:
    value = data.get("date")
    if isinstance(value, dt.datetime):
        yield _Hit("QT012", ("date",), f"datetime {value.isoformat()} where a date is expected")
    elif isinstance(value, str):
        yield _Hit("QT012", ("date",), f"string {value!r} where a YAML date is expected")


_CHECKS: list[Check] = [
    _check_titles,
    _check_seo_title,
    _check_file_name,
    _check_url,
    _check_related_urls,
    _check_date_format,
    _check_mojibake,
    _check_escaped_newlines,
    _check_related_ids,
    _check_date,
]
