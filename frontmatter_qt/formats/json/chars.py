"""The source pieces of a JSON string, for :func:`frontmatter_qt.engine.chars.align`.

Between its double quotes a JSON string is its characters as they are (raw line breaks and tabs
are not allowed in it), and escapes: ``\\"`` ``\\\\`` ``\\/`` ``\\b`` ``\\f`` ``\\n`` ``\\r``
``\\t`` and ``\\uXXXX``. A character outside the Basic Multilingual Plane may be written as two
``\\uXXXX`` escapes (a surrogate pair): the pair is one piece, for the one character it stands
for; a lone surrogate escape stands for that surrogate, as ``json.loads`` reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from frontmatter_qt.engine.chars import Piece

__all__ = ["pieces"]

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_RUN = re.compile(r"[^\\]+")  # characters written as they are
_PAIR = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def pieces(text: str, start: int, end: int) -> Iterator[Piece]:
    """The pieces of the JSON string written at ``text[start:end]`` (quotes included), made as
    they are asked for (a finding near the start of a long value costs little)."""
    index, end = start + 1, end - 1
    while index < end:
        run = _RUN.match(text, index, end)
        if run is not None:
            yield Piece(index, run.end(), run.group())
            index = run.end()
            continue
        code = text[index + 1 : index + 2]
        if code != "u":
            yield Piece(index, index + 2, _ESCAPES.get(code, code))
            index += 2
            continue
        pair = _PAIR.match(text, index, end)
        if pair is not None:
            high, low = (int(half, 16) for half in pair.groups())
            character = chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            yield Piece(index, pair.end(), character)
            index = pair.end()
            continue
        yield Piece(index, index + 6, chr(int(text[index + 2 : index + 6], 16)))
        index += 6
