"""The source pieces of a YAML string scalar, for :func:`frontmatter_qt.engine.chars.align`.

Plain and single-quoted scalars are their characters (``''`` is one quote); double-quoted
scalars add YAML's escapes and the ``\\``-newline continuation; block scalars (``|``, ``>``)
start after their header line, and each line's indentation stands for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ruamel.yaml.scanner import Scanner

from frontmatter_qt.engine.chars import Piece
from frontmatter_qt.formats.yaml.nodes import Node

__all__ = ["pieces"]

# YAML's escapes, as ruamel.yaml's scanner decodes them.
_ESCAPES: dict[str, str] = Scanner.ESCAPE_REPLACEMENTS
_HEX_DIGITS: dict[str, int] = Scanner.ESCAPE_CODES


def pieces(text: str, node: Node) -> Iterator[Piece]:
    """The pieces of the scalar ``node`` of the front matter ``text``, made as they are asked
    for (a finding near the start of a long value costs little)."""
    start, end = node.body, node.end
    if node.style == '"':
        return _double_quoted(text, start + 1, end - 1)
    if node.style in ("|", ">"):
        return _block(text, start, end)
    if node.style == "'":
        return _characters(text, start + 1, end - 1, _SINGLE_QUOTED)
    return _characters(text, start, end, _PLAIN)


# Runs of characters written as they are, and runs of blanks; in single quotes `''` is one quote.
_PLAIN = re.compile(r"\r\n|[^\s]+|\s+")
_SINGLE_QUOTED = re.compile(r"''|\r\n|[^\s']+|'|\s+")
_DOUBLE_QUOTED_RUN = re.compile(r"[^\s\\]+|[ \t]+")


def _characters(text: str, start: int, end: int, pattern: re.Pattern[str]) -> Iterator[Piece]:
    for match in pattern.finditer(text, start, end):
        written = match.group()
        meant = "'" if written == "''" else "\n" if written == "\r\n" else written
        yield Piece(match.start(), match.end(), meant)


def _double_quoted(text: str, start: int, end: int) -> Iterator[Piece]:
    index = start
    while index < end:
        run = _DOUBLE_QUOTED_RUN.match(text, index, end)
        if run is not None:
            yield Piece(index, run.end(), run.group())
            index = run.end()
            continue
        char = text[index]
        if char != "\\":
            size = 2 if text.startswith("\r\n", index) else 1
            yield Piece(index, index + size, "\n" if size == 2 else char)
            index += size
            continue
        code = text[index + 1 : index + 2]
        if code in _HEX_DIGITS:
            digits = _HEX_DIGITS[code]
            value = chr(int(text[index + 2 : index + 2 + digits], 16))
            yield Piece(index, index + 2 + digits, value)
            index += 2 + digits
        elif code in ("\n", "\r"):  # a line continuation: the break stands for nothing
            size = 3 if text.startswith("\r\n", index + 1) else 2
            yield Piece(index, index + size, "")
            index += size
        else:
            yield Piece(index, index + 2, _ESCAPES.get(code, code))
            index += 2


def _block(text: str, start: int, end: int) -> Iterator[Piece]:
    """After the header line; the indentation of the first non-blank line is cut from each
    line (YAML's auto-detection; an explicit indentation digit is rare in front matter)."""
    header_end = text.find("\n", start, end)
    if header_end == -1:
        return
    body = header_end + 1
    lines = text[body:end].split("\n")
    first = next((line for line in lines if line.strip()), "")
    indent = len(first) - len(first.lstrip(" "))
    offset = body
    for line in lines:
        cut = min(indent, len(line) - len(line.lstrip(" ")))
        if cut:
            yield Piece(offset, offset + cut, "")
        yield from _characters(text, offset + cut, offset + len(line), _PLAIN)
        offset += len(line)
        if offset < end:
            yield Piece(offset, offset + 1, "\n")
            offset += 1
