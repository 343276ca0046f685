"""The source pieces of a TOML string, for :func:`frontmatter_qt.engine.chars.align`.

Literal strings (``'...'``, ``'''...'''``) are their characters; basic strings add TOML's
escapes, and in multi-line basic strings a line-ending backslash stands for nothing (nor do
the blanks and line breaks after it). A line break right after an opening ``'''``/``\"\"\"``
stands for nothing.
"""

from __future__ import annotations

import re

from frontmatter_qt.engine.chars import Piece
from frontmatter_qt.formats.toml.scan import ESCAPES

__all__ = ["pieces"]

_HEX_DIGITS = {"u": 4, "U": 8}
_RUN = re.compile(r"[^\s\\]+")  # characters written as they are (a backslash may escape)
_DELIMITERS = {"basic": 1, "literal": 1, "ml-basic": 3, "ml-literal": 3}


def pieces(text: str, start: int, end: int, style: str) -> list[Piece]:
    """The pieces of the string value written at ``text[start:end]`` in ``style``."""
    quotes = _DELIMITERS.get(style)
    if quotes is None:
        return []
    start, end = start + quotes, end - quotes
    found = []
    if quotes == 3:
        for newline in ("\r\n", "\n"):
            if text.startswith(newline, start):
                found.append(Piece(start, start + len(newline), ""))
                start += len(newline)
                break
    index = start
    basic = style in ("basic", "ml-basic")
    while index < end:
        run = _RUN.match(text, index, end)
        if run is not None:
            found.append(Piece(index, run.end(), run.group()))
            index = run.end()
            continue
        char = text[index]
        if char == "\\" and basic:
            index = _escape(text, index, end, found)
        elif text.startswith("\r\n", index):
            found.append(Piece(index, index + 2, "\n"))
            index += 2
        else:
            found.append(Piece(index, index + 1, char))
            index += 1
    return found


def _escape(text: str, index: int, end: int, found: list[Piece]) -> int:
    code = text[index + 1 : index + 2]
    if code in _HEX_DIGITS:
        digits = _HEX_DIGITS[code]
        character = chr(int(text[index + 2 : index + 2 + digits], 16))
        found.append(Piece(index, index + 2 + digits, character))
        return index + 2 + digits
    if code in ESCAPES:
        found.append(Piece(index, index + 2, ESCAPES[code]))
        return index + 2
    # A line-ending backslash: it, and every blank and line break after it, stand for nothing.
    after = index + 1
    while after < end and text[after] in " \t\r\n":
        after += 1
    found.append(Piece(index, after, ""))
    return after
