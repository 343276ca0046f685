"""Raw text handling: decoding, delimiter splitting, newline style, offset → line/column."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.errors import BinaryFileError, DecodeError, UnterminatedFrontMatterError

BOM = "\ufeff"

# Jekyll: the file starts with `---` (trailing blanks allowed) and the front matter ends at the
# first line that is `---` or `...` (trailing blanks allowed). Hugo and Eleventy agree on `---`.
_OPENING = re.compile(r"---[ \t]*(\r?\n)")
# Searched from the opening's own line break: a literal first character makes the search jump
# from line break to line break (ten times faster than a MULTILINE `^`).
_CLOSING = re.compile(r"\n((?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))")
_FIRST_BREAK = re.compile(r"\r?\n")


@dataclass(frozen=True, slots=True)
class Split:
    """A file cut into its parts; ``bom + opening + front_matter + closing + body`` is the text.

    ``format`` names the front-matter format the delimiters announce (``"yaml"`` for ``---``);
    for a file without front matter, the format new front matter is written in.
    """

    bom: str
    opening: str
    front_matter: str
    closing: str
    body: str
    newline: str
    format: str = "yaml"

    @property
    def has_front_matter(self) -> bool:
        return bool(self.opening)

    @property
    def front_matter_offset(self) -> int:
        """Offset of the front matter in the text without the BOM."""
        return len(self.opening)

    def join(self) -> str:
        return self.bom + self.opening + self.front_matter + self.closing + self.body


def decode(raw: bytes, path: str | Path | None = None) -> str:
    """Strict UTF-8 decoding; a NUL byte marks a binary file."""
    nul = raw.find(b"\x00")
    if nul != -1:
        line, column = _byte_position(raw, nul)
        raise BinaryFileError(
            f"NUL byte at byte {nul + 1} of the file (offset {nul}): binary file, not an article",
            path=path,
            line=line,
            column=column,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        raise DecodeError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} is byte {exc.start + 1} of the file "
            f"(offset {exc.start})",
            byte_offset=exc.start,
            path=path,
            line=line,
            column=column,
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def split(text: str, path: str | Path | None = None) -> Split:
    """Cut ``text`` at its front matter delimiters."""
    if "\x00" in text:
        line, column = LineIndex(text).position(text.index("\x00"))
        raise BinaryFileError(
            "NUL character: binary file, not an article", path=path, line=line, column=column
        )
    bom = BOM if text.startswith(BOM) else ""
    rest = text[len(bom) :]
    opening = _OPENING.match(rest)
    if opening is None:
        return Split(bom, "", "", "", rest, _newline_of(rest))
    fm_start = opening.end()
    closing = _CLOSING.search(rest, fm_start - 1)
    if closing is None:
        raise UnterminatedFrontMatterError(
            "front matter opened with '---' on line 1 is never closed by a '---' or '...' line",
            path=path,
            line=1,
            column=1,
        )
    return Split(
        bom=bom,
        opening=rest[:fm_start],
        front_matter=rest[fm_start : closing.start(1)],
        closing=closing.group(1),
        body=rest[closing.end() :],
        newline=opening.group(1),
    )


def _newline_of(text: str) -> str:
    found = _FIRST_BREAK.search(text)
    return found.group() if found else "\n"


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column); lines end at ``\\n``."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        at = find("\n")
        while at != -1:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
