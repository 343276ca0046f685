"""Repair helpers: mojibake, escaped newlines, dates.

Each helper is a pure string function (``repair_mojibake``, ``unescape_newlines``,
``parse_date``, ``format_date``) plus a document-level function that assigns the repaired values
back through the document, so the engine re-renders only those values, and returns a list of
:class:`Change` records.

The helpers name no site's fields: which fields hold Markdown with escaped newlines, which hold
dates and which one holds a display format are parameters, bundled per site in
:class:`FixSettings` (a plug-in carries one; QuickTakes names ``answer``, ``date`` and
``date_format``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from frontmatter_qt._lazy import lazy_names
from frontmatter_qt.fixes._walk import Change
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
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

# name -> module that defines it, imported on first access (PEP 562): a plug-in needs
# FixSettings, and lint needs one helper, without loading arrow and ftfy for the others.
_LAZY = {
    **dict.fromkeys(
        [
            "AmbiguousDateError",
            "DateFormatError",
            "DateParseError",
            "format_date",
            "normalize_dates",
            "parse_date",
            "parse_datetime",
            "validate_date_format",
        ],
        "frontmatter_qt.fixes.dates",
    ),
    **dict.fromkeys(
        ["FTFY_CONFIG", "fix_encoding", "repair_mojibake"], "frontmatter_qt.fixes.encoding"
    ),
    **dict.fromkeys(["fix_escaped_newlines", "unescape_newlines"], "frontmatter_qt.fixes.newlines"),
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)

DateStyle = Literal["iso", "format", "keep-type"]
#: How :func:`~frontmatter_qt.fixes.dates.normalize_dates` writes a date: a YAML/TOML date
#: value (``2024-12-07``), text in the document's own ``date_format`` (``Dec 07, 2024``), or ISO
#: in the value's own type (a string stays a string, a datetime a datetime). Here, not in
#: ``dates``, so the command's options name them without loading arrow.
STYLES: tuple[DateStyle, ...] = ("iso", "format", "keep-type")


@dataclass(frozen=True)
class FixSettings:
    """The fields the repairs work on, for one kind of site.

    ``newline_fields``: where ``fix_escaped_newlines`` looks (``None``: every string value);
    ``date_fields``: what ``normalize_dates`` rewrites; ``date_format_field``: a field holding
    the document's own display format, validated before dates are touched (``None``: none).
    """

    newline_fields: tuple[KeyPath, ...] | None = None
    date_fields: tuple[KeyPath, ...] = (("date",),)
    date_format_field: KeyPath | None = None


__all__ = [
    "FTFY_CONFIG",
    "STYLES",
    "AmbiguousDateError",
    "Change",
    "DateFormatError",
    "DateParseError",
    "DateStyle",
    "FixSettings",
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
