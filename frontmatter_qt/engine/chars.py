"""Where a character of a string value is written in the source text.

A finding about a few characters of a long value (mojibake inside a 2,600-character answer)
should point at those characters, not at the start of the value. The value a parser builds is
not its source text: quotes, escapes (``\\u00e9``, ``''``), indentation, folded line breaks
and chomping stand between them. Each format cuts the source of a string scalar into
:class:`Piece` objects (a run of characters written as they are, one escape and the character
it stands for, one blank or line break) and :func:`align` walks the value and the pieces side
by side.

Exact for every character written in the source (an escape maps to its whole escape sequence,
backslash first). Whitespace is where parsers add and drop text (indentation, folding a line
break into a space, trimming): a space or line break the parser made maps to the source line
break or space it came from, or to the nearest source whitespace before it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["Piece", "align"]


class Piece(NamedTuple):  # (not a frozen dataclass: creating one costs ~1 ms of each import)
    """``source[start:end]`` stands for ``text`` in the value (``""``: for nothing, such as a
    line continuation). When the two have the same length the characters are written as they
    are, one for one (a run); otherwise the piece is one escape."""

    start: int
    end: int
    text: str


def align(value: str, pieces: Iterable[Piece], start: int, end: int) -> tuple[int, int] | None:
    """The source span ``[from, to)`` of ``value[start:end]``, or None when the pieces do not
    spell ``value`` up to there (the caller then falls back to the whole value)."""
    if not 0 <= start < end <= len(value):
        return None
    at: list[int] = []  # where in the value each matched piece starts
    matched: list[Piece | None] = []
    position = 0
    last_space: Piece | None = None
    for piece in pieces:
        if position >= end:
            break
        text = piece.text
        if text and value.startswith(text, position):
            at.append(position)
            matched.append(piece)
            position += len(text)
            if text.isspace():
                last_space = piece
            continue
        if not text or text.isspace():
            last_space = piece if text else last_space
            continue  # indentation, trimmed or folded whitespace: not in the value
        # Whitespace the parser made (a folded line break) before this written text.
        while position < len(value) and value[position].isspace():
            at.append(position)
            matched.append(last_space)
            position += 1
        if not value.startswith(text, position):
            return None
        at.append(position)
        matched.append(piece)
        position += len(text)
    if position < end:
        return None
    first, last = _source(at, matched, start), _source(at, matched, end - 1)
    if first is None or last is None:
        return None
    return first[0], max(last[1], first[0] + 1)


def _source(at: list[int], matched: list[Piece | None], index: int) -> tuple[int, int] | None:
    """The source span of the value's character ``index``."""
    found = bisect_right(at, index) - 1
    piece = matched[found]
    if piece is None:
        return None
    if piece.end - piece.start == len(piece.text):  # a run: one for one
        offset = piece.start + index - at[found]
        return offset, offset + 1
    return piece.start, piece.end
