"""Dates: parse the formats found in the archive, render with arrow's tokens, normalise fields.

* :func:`parse_date` reads ISO dates and datetimes (with offsets or ``Z``), ``Dec 07, 2024``,
  ``December 7, 2024``, ``7 Dec 2024``, ``2024/12/07`` and numeric day/month orders; an order
  that cannot be told apart (``07/12/2024``) raises :class:`AmbiguousDateError` unless
  ``dayfirst`` says which it is.
* :func:`format_date` renders with arrow (``MMM DD, YYYY`` → ``Dec 07, 2024``) after
  :func:`validate_date_format` has checked every token, because arrow silently prints unknown
  letters as they are (``Q``) or as nothing (``YYY``).
* :func:`normalize_dates` rewrites date fields as YAML dates (``2024-12-07``, unquoted), or
  in the document's own ``date_format``, or as ISO text keeping the value's type (``style``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import arrow

from frontmatter_qt import keypath
from frontmatter_qt.errors import (
    AmbiguousDateError,
    DateFormatError,
    DateParseError,
    FrontMatterError,
)
from frontmatter_qt.fixes import STYLES, DateStyle
from frontmatter_qt.fixes._walk import Change, as_key_path, line_of
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

_T = TypeVar("_T")
_E = TypeVar("_E", bound=FrontMatterError)
__all__ = [
    "STYLES",
    "AmbiguousDateError",
    "DateFormatError",
    "DateParseError",
    "format_date",
    "normalize_dates",
    "parse_date",
    "parse_datetime",
    "strftime_to_arrow",
    "validate_date_format",
]


# ---------------------------------------------------------------------------------------------
# Parsing

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_DATETIME_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"(?:\.(?P<fraction>\d+))?"
    r"(?:[ \t]*(?P<zone>[Zz]|[+-]\d{1,2}(?::?\d{2})?))?\Z"
)
_MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_NAMED_MONTH_RES = (
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}\Z", re.IGNORECASE),  # Dec 07, 2024
    re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}\Z", re.IGNORECASE),  # 7 Dec 2024
)
_YEAR_FIRST_RE = re.compile(r"(?P<year>\d{4})([/.-])(?P<month>\d{1,2})\2(?P<day>\d{1,2})\Z")
_YEAR_LAST_RE = re.compile(r"(?P<first>\d{1,2})([/.-])(?P<second>\d{1,2})\2(?P<year>\d{4})\Z")


def parse_date(value: str | dt.date, *, dayfirst: bool | None = None) -> dt.date:
    """The calendar date ``value`` stands for (a datetime keeps its own local date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DateParseError(f"not a date: {value!r}")
    try:
        moment = parse_datetime(value)
    except DateParseError:
        swapped = _swapped(value.strip())
        if swapped is None:
            raise
        return swapped
    if moment is not None:
        return _as_date(moment)
    text = value.strip()
    for found in (_named_month(text), _year_first(text), _year_last(text, value, dayfirst)):
        if found is not None:
            return found
    raise DateParseError(f"unrecognised date: {value!r}")


def _swapped(text: str) -> dt.date | None:
    """``2024-31-12``: an ISO-shaped date whose month is above 12 and whose day could be a
    month, so day and month can only have been swapped; else None."""
    match = _ISO_DATE_RE.match(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if month <= 12 or day > 12:
        return None
    return _make_date(year, day, month, text)


def _as_date(moment: dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def parse_datetime(value: str) -> dt.date | dt.datetime | None:
    """An ISO 8601 / YAML timestamp string as a date or datetime; ``None`` if it is not one.

    Works on Python 3.10, whose ``fromisoformat`` knows neither ``Z`` nor fractions of other
    than 3 or 6 digits nor offsets without a colon.
    """
    text = value.strip()
    if _ISO_DATE_RE.match(text):
        return _checked(lambda: dt.date.fromisoformat(text), value)
    match = _ISO_DATETIME_RE.match(text)
    if match is None:
        return None
    iso = f"{match['date']}T{_padded_time(match['time'])}"
    if match["fraction"]:
        iso += "." + match["fraction"][:6].ljust(6, "0")
    if match["zone"]:
        iso += _iso_offset(match["zone"])
    return _checked(lambda: dt.datetime.fromisoformat(iso), value)


def _padded_time(time: str) -> str:
    hour, _, rest = time.partition(":")
    return f"{int(hour):02d}:{rest}" + ("" if rest.count(":") else ":00")


def _iso_offset(zone: str) -> str:
    if zone in ("Z", "z"):
        return "+00:00"
    sign, digits = zone[0], zone[1:].replace(":", "")
    hours, minutes = (digits, "00") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    return f"{sign}{int(hours):02d}:{minutes}"


def _checked(build: Callable[[], _T], value: str) -> _T:
    try:
        return build()
    except ValueError as error:
        raise DateParseError(f"not a valid date: {value!r} ({error})") from None


def _named_month(text: str) -> dt.date | None:
    for pattern in _NAMED_MONTH_RES:
        match = pattern.match(text)
        if match and match["month"].lower() in _MONTHS:
            month = _MONTHS[match["month"].lower()]
            return _make_date(int(match["year"]), month, int(match["day"]), text)
    return None


def _year_first(text: str) -> dt.date | None:
    match = _YEAR_FIRST_RE.match(text)
    if match is None:
        return None
    return _make_date(int(match["year"]), int(match["month"]), int(match["day"]), text)


def _year_last(text: str, value: str, dayfirst: bool | None) -> dt.date | None:
    match = _YEAR_LAST_RE.match(text)
    if match is None:
        return None
    first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
    if dayfirst is None:
        dayfirst = _inferred_dayfirst(first, second, value)
    day, month = (first, second) if dayfirst else (second, first)
    return _make_date(year, month, day, text)


def _inferred_dayfirst(first: int, second: int, value: str) -> bool:
    if first > 12 or first == second:
        return True
    if second > 12:
        return False
    year = value.strip()[-4:]
    day_first, month_first = (
        f"{year}-{b:02d}-{a:02d}" for a, b in ((first, second), (second, first))
    )
    raise AmbiguousDateError(
        f"ambiguous date {value!r}: {day_first} (day first) or {month_first} (month first)?",
        hint="write the date as YYYY-MM-DD (in Python, dayfirst=True or False says which)",
    )


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    return _checked(lambda: dt.date(year, month, day), text)


# ---------------------------------------------------------------------------------------------
# Formatting

# arrow.formatter.DateTimeFormatter._FORMAT_RE (arrow 1.3/1.4); a test keeps the two in step.
ARROW_FORMAT_RE = re.compile(
    r"(\[(?:(?=(?P<literal>[^]]))(?P=literal))*\]|YYY?Y?|MM?M?M?|Do|DD?D?D?|d?dd?d?|HH?|hh?|mm?"
    r"|ss?|SS?S?S?S?S?|ZZ?Z?|a|A|X|x|W)"
)
# Tokens arrow renders for any date; "YYY" and "dd" match its pattern but render as nothing, and
# "ZZZ" (time zone name) is empty for a plain date.
SUPPORTED_TOKENS = frozenset(
    [
        "YYYY",
        "YY",
        "MMMM",
        "MMM",
        "MM",
        "M",
        "DDDD",
        "DDD",
        "DD",
        "D",
        "Do",
        "dddd",
        "ddd",
        "d",
        "HH",
        "H",
        "hh",
        "h",
        "mm",
        "m",
        "ss",
        "s",
        "S",
        "SS",
        "SSS",
        "SSSS",
        "SSSSS",
        "SSSSSS",
        "A",
        "a",
        "ZZ",
        "Z",
        "W",
        "X",
        "x",
    ]
)
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]+")


def format_tokens(date_format: str) -> Iterator[tuple[int, str]]:
    """``(offset, token)`` for each arrow token in ``date_format`` (bracketed text skipped)."""
    for match in ARROW_FORMAT_RE.finditer(date_format):
        if not match.group(0).startswith("["):
            yield match.start(), match.group(0)


# strftime's directives (``%b %d, %Y``) and arrow's tokens for them; a format written for
# strftime is the usual mistake in date_format, and its arrow spelling is the fix.
_STRFTIME = {
    "Y": "YYYY",
    "y": "YY",
    "m": "MM",
    "-m": "M",
    "d": "DD",
    "-d": "D",
    "e": "D",
    "b": "MMM",
    "h": "MMM",
    "B": "MMMM",
    "a": "ddd",
    "A": "dddd",
    "H": "HH",
    "-H": "H",
    "I": "hh",
    "-I": "h",
    "M": "mm",
    "S": "ss",
    "p": "A",
    "j": "DDDD",
    "z": "ZZ",
    "%": "%",
}
_STRFTIME_RE = re.compile(r"%(-?[A-Za-z%])")
_LETTERS_RE = re.compile(r"[A-Za-z]+")


def strftime_to_arrow(date_format: str) -> str | None:
    """The arrow spelling of a strftime format (``%b %d, %Y`` → ``MMM DD, YYYY``; letters
    outside directives go in ``[brackets]``), or None when it holds no strftime directive or one
    without an arrow token."""
    if not _STRFTIME_RE.search(date_format):
        return None
    parts = []
    position = 0
    for found in _STRFTIME_RE.finditer(date_format):
        token = _STRFTIME.get(found.group(1))
        if token is None:
            return None
        literal = date_format[position : found.start()]
        parts.append(_LETTERS_RE.sub(lambda m: f"[{m.group(0)}]", literal))
        parts.append(token)
        position = found.end()
    parts.append(_LETTERS_RE.sub(lambda m: f"[{m.group(0)}]", date_format[position:]))
    return "".join(parts)


def validate_date_format(date_format: str) -> None:
    """Raise :class:`DateFormatError` unless every letter of ``date_format`` is a known token.

    Letters must belong to a token from :data:`SUPPORTED_TOKENS` or sit in ``[brackets]``;
    everything else (spaces, punctuation, digits, non-ASCII text such as 年) is literal. A
    strftime format (``%b %d, %Y``) is refused with its arrow spelling as the hint.
    """
    if not isinstance(date_format, str):
        raise DateFormatError(f"date_format must be a string, not {type(date_format).__name__}")
    arrow_spelling = strftime_to_arrow(date_format)
    if arrow_spelling is not None:
        raise DateFormatError(
            f"date_format {date_format!r} is written for strftime (%-codes), but date_format "
            "takes arrow's tokens",
            hint=f"write it as {arrow_spelling!r}",
        )
    for offset, token in format_tokens(date_format):
        if token not in SUPPORTED_TOKENS:
            raise DateFormatError(_unknown(date_format, token, offset))
    literal = ARROW_FORMAT_RE.sub(lambda m: " " * len(m.group(0)), date_format)
    stray = _ASCII_LETTER_RE.search(literal)
    if stray:
        raise DateFormatError(_unknown(date_format, stray.group(0), stray.start()))


def _unknown(date_format: str, token: str, offset: int) -> str:
    return (
        f"unknown date token {token!r} at character {offset + 1} of date_format "
        f"{date_format!r} (tokens are arrow's; put literal text in [brackets])"
    )


def format_date(value: dt.date, date_format: str) -> str:
    """Render ``value`` with arrow's tokens (English names): ``MMM DD, YYYY`` → ``Dec 07, 2024``."""
    validate_date_format(date_format)
    if isinstance(value, dt.datetime):
        return arrow.Arrow.fromdatetime(value).format(date_format)
    return arrow.Arrow.fromdate(value).format(date_format)


# ---------------------------------------------------------------------------------------------
# Document level


def normalize_dates(
    doc: Document,
    fields: Iterable[Any] = ("date",),
    *,
    format_field: Any = None,
    keep_offset: bool = False,
    dayfirst: bool | None = None,
    style: DateStyle = "iso",
    problems: list[FrontMatterError] | None = None,
) -> list[Change]:
    """Rewrite the named date fields; missing fields are skipped.

    ``style`` (see :data:`STYLES`): ``"iso"`` makes a date string (``Dec 07, 2024``) a
    ``datetime.date``, which the engine writes as an unquoted ``2024-12-07`` (in JSON, which has
    no date type, the text ``"2024-12-07"``); ``"format"``
    writes the date as text in the document's own display format (``format_field``, arrow
    tokens; QuickTakes: ``date_format``); ``"keep-type"`` writes ISO in the value's own type (a
    string becomes the text ``2024-12-07``, a date stays a date). A datetime becomes its own
    local date unless ``keep_offset``, when it is left as it is (an ISO datetime *string* then
    becomes a datetime value, or with ``"keep-type"`` its ISO text). ``format_field``'s value is
    validated first. ``before``/``after`` of each change are the old and new text (ISO for date
    values).

    Errors (a value that is no date, an ambiguous one, a bad display format) carry the file,
    line and column of the offending value. By default the first one is raised before anything
    is changed by a later field. With a ``problems`` list, each field is repaired or not on its
    own: its error is appended there, the field is left as it is, and the others are repaired
    (a bad ``date_format`` stops only the ``"format"`` style).
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    report = _raise if problems is None else problems.append
    date_format, format_error = None, None
    if format_field is not None:
        try:
            date_format = _document_format(doc, as_key_path(format_field))
        except DateFormatError as error:
            format_error = error
            report(error)
    changes: list[Change] = []
    for field in fields:
        path = as_key_path(field)
        if not keypath.has(doc.data, path):
            continue
        try:
            if style == "format" and date_format is None:
                raise _no_format(doc, path, format_field, format_error)
            change = _normalize(doc, path, keep_offset, dayfirst, style, date_format)
        except (DateParseError, DateFormatError) as error:
            report(error)
            continue
        if change is not None:
            changes.append(change)
    return changes


def _raise(error: FrontMatterError) -> None:
    raise error


def _document_format(doc: Document, path: KeyPath) -> str | None:
    """The document's display format (validated), or None when it has none."""
    if not keypath.has(doc.data, path):
        return None
    date_format = keypath.get(doc.data, path)
    if date_format is None:
        return None
    try:
        validate_date_format(date_format)
    except DateFormatError as error:
        raise _located(DateFormatError, error.message, doc, path, error.hint) from None
    return str(date_format)


def _no_format(
    doc: Document, path: KeyPath, format_field: Any, error: FrontMatterError | None
) -> DateFormatError:
    name = "" if format_field is None else keypath.format(as_key_path(format_field))
    if format_field is None:
        why = "no date format field is configured"
        hint = "a model's plug-in names the field holding the format (QuickTakes: date_format)"
    elif error is not None:
        why = f"its {name} is not valid (line {error.line})"
        hint = f"repair {name} first"
    else:
        why = f"the file has no {name}"
        hint = f"add a {name} to the file"
    return _located(
        DateFormatError,
        f"cannot write the date in the document's format: {why}",
        doc,
        path,
        f"{hint}, or write ISO dates (--date-style iso)",
    )


def _normalize(
    doc: Document,
    path: KeyPath,
    keep_offset: bool,
    dayfirst: bool | None,
    style: DateStyle,
    date_format: str | None,
) -> Change | None:
    value = keypath.get(doc.data, path)
    try:
        moment = _normalized(value, keep_offset, dayfirst)
    except DateParseError as error:
        raise _located(type(error), error.message, doc, path, error.hint) from None
    new: Any = moment
    if style == "format":
        assert date_format is not None
        new = format_date(moment, date_format)
    elif (style == "keep-type" and isinstance(value, str)) or doc.format in _NO_DATE_TYPE:
        new = moment.isoformat()
    if new == value and type(new) is type(value):
        return None
    keypath.assign(doc.data, path, new)
    return Change(path, line_of(doc, path), _as_text(value), _as_text(new))


#: Front-matter formats without a date type: an ISO date there is the text ``2024-12-07`` (what
#: Hugo and Eleventy read as a date), whatever the style asks.
_NO_DATE_TYPE = ("json",)


def _normalized(value: Any, keep_offset: bool, dayfirst: bool | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value if keep_offset else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and keep_offset:
        moment = parse_datetime(value)
        if isinstance(moment, dt.datetime):
            return moment
    return parse_date(value, dayfirst=dayfirst)


def _as_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _located(
    kind: type[_E],
    message: str,
    doc: Document,
    path: KeyPath,
    hint: str | None = None,
) -> _E:
    span = doc.locate(path)
    where = keypath.format(path)
    return kind(f"{where}: {message}", path=doc.path, line=span.line, column=span.column, hint=hint)
