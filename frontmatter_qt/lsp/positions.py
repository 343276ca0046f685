"""LSP positions and minimal text edits over one document text.

Character offsets into the text (Python ``str`` indexes, i.e. code points) are the common
currency: the engine's 1-based line/column positions become offsets (:meth:`Text.engine_offset`),
offsets become LSP positions (:meth:`Text.position`) and back (:meth:`Text.offset`).

Two ways of counting differ and both matter:

* the engine splits lines at ``\\n`` only and counts columns in code points, after a BOM;
* LSP splits lines at ``\\r\\n``, ``\\r`` and ``\\n`` and counts columns in code units of the
  negotiated encoding: UTF-16 unless the client offered UTF-8 or UTF-32 (an emoji is one code
  point, two UTF-16 units, four UTF-8 bytes).

pygls' own ``TextDocument.lines`` uses ``str.splitlines``, which also breaks at U+2028, U+0085
and friends; front matter may hold those, so this module does its own line splitting.
"""

from __future__ import annotations

import bisect
import difflib
import re

from lsprotocol import types

_LSP_BREAK = re.compile(r"\r\n|\r|\n")
_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(text: str, encoding: str) -> int:
    """Length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class Text:
    """One document text, with its LSP line starts and its engine (``\\n``) line starts."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding if encoding in (UTF8, UTF32) else UTF16
        self._starts = [0, *(m.end() for m in _LSP_BREAK.finditer(text))]
        self._bom = 1 if text.startswith("\ufeff") else 0
        body = text[self._bom :]
        self._engine_starts = [0, *(i + 1 for i, char in enumerate(body) if char == "\n")]

    # -- LSP ------------------------------------------------------------------------------------

    def line_start(self, line: int) -> int:
        """Offset of the start of LSP line ``line``."""
        return self._starts[min(line, len(self._starts) - 1)]

    def line_end(self, line: int) -> int:
        """Offset of the end of LSP line ``line``, before its line break."""
        start = self.line_start(line)
        found = _LSP_BREAK.search(self.text, start)
        return len(self.text) if found is None else found.start()

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        return types.Position(line, _units(self.text[start:offset], self.encoding))

    def offset(self, position: types.Position) -> int:
        """The offset of an LSP position (a column past the line's end means its end)."""
        if position.line >= len(self._starts):
            return len(self.text)
        start, end = self._starts[position.line], self.line_end(position.line)
        units = 0
        for index in range(start, end):
            if units >= position.character:
                return index
            units += _units(self.text[index], self.encoding)
        return end

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    # -- the engine -----------------------------------------------------------------------------

    def engine_offset(self, line: int | None, column: int | None) -> int:
        """The offset of an engine position (1-based, ``\\n`` lines, after the BOM);
        an unknown position is the start of the file, as the command prints it (1:1)."""
        index = max(0, min((line or 1) - 1, len(self._engine_starts) - 1))
        return self._bom + self._engine_starts[index] + max(0, (column or 1) - 1)


def minimal_edits(before: Text, after: str) -> list[types.TextEdit]:
    """Edits that turn ``before`` into ``after``, each replacing whole changed lines only.

    Every range refers to ``before`` (as LSP requires of the edits of one document); lines that
    did not change are not part of any edit.
    """
    old, new = _LSP_LINE.findall(before.text), _LSP_LINE.findall(after)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        types.TextEdit(before.range(starts[i1], starts[i2]), "".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
