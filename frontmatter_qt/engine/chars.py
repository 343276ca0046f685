"""Where a character of a string value is written in the source text.

A finding about a few characters of a long value (mojibake inside a 2,600-character answer)
should point at those characters, not at the start of the value. The value a parser builds is
not its source text: quotes, escapes (``\\u00e9``, ``''``), indentation, folded line breaks
and chomping stand between them. Each format cuts the source of a string scalar into
:class:`Piece` objects (the source text of one character, or of one escape, and the value
text it stands for); :func:`align` walks the value and the pieces side by side.

Exact for every character written in the source (an escape maps to its whole escape sequence,
backslash first). Whitespace is where parsers add and drop text (indentation, folding a line
break into a space, trimming): a space or line break the parser made maps to the source line
break or space it came from, or to the nearest source whitespace before it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Piece", "align"]


@dataclass(frozen=True, slots=True)
class Piece:
    """``source[start:end]`` stands for ``text`` in the value (``""``: for nothing, such as a
    line continuation)."""

    start: int
    end: int
    text: str


def align(value: str, pieces: list[Piece], start: int, end: int) -> tuple[int, int] | None:
    """The source span ``[from, to)`` of ``value[start:end]``, or None when the pieces do not
    spell ``value`` (the caller then falls back to the whole value)."""
    if not 0 <= start < end <= len(value):
        return None
    where: list[Piece | None] = [None] * len(value)
    position = 0
    last_space: Piece | None = None
    for piece in pieces:
        text = piece.text
        if text and value.startswith(text, position):
            for index in range(position, position + len(text)):
                where[index] = piece
            position += len(text)
            if text.isspace():
                last_space = piece
            continue
        if not text or text.isspace():
            last_space = piece if text else last_space
            continue  # indentation, trimmed or folded whitespace: not in the value
        # Whitespace the parser made (a folded line break) before this written character.
        while position < len(value) and value[position].isspace():
            where[position] = last_space
            position += 1
        if not value.startswith(text, position):
            return None
        for index in range(position, position + len(text)):
            where[index] = piece
        position += len(text)
    first, last = where[start], where[end - 1]
    if first is None or last is None or value[position:].strip():
        return None
    return first.start, max(last.end, first.start + 1)
