"""Repair helpers: mojibake, escaped newlines, dates.

Each helper is a pure string function (``repair_mojibake``, ``unescape_newlines``,
``parse_date``, ``format_date``) plus a document-level function that assigns the repaired values
back through the document, so the engine re-renders only those values, and returns a list of
:class:`Change` records.
"""

from __future__ import annotations

from frontmatter_qt.fixes._walk import Change
from frontmatter_qt.fixes.dates import (
    AmbiguousDateError,
    DateFormatError,
    DateParseError,
    format_date,
    normalize_dates,
    parse_date,
    parse_datetime,
    validate_date_format,
)
from frontmatter_qt.fixes.encoding import FTFY_CONFIG, fix_encoding, repair_mojibake
from frontmatter_qt.fixes.newlines import fix_escaped_newlines, unescape_newlines

__all__ = [
    "FTFY_CONFIG",
    "AmbiguousDateError",
    "Change",
    "DateFormatError",
    "DateParseError",
    "fix_encoding",
    "fix_escaped_newlines",
    "format_date",
    "normalize_dates",
    "parse_date",
    "parse_datetime",
    "repair_mojibake",
    "unescape_newlines",
    "validate_date_format",
]
