"""Turn literal ``\\n`` escapes (backslash, ``n``) back into the line breaks they stand for.

The text is read as Markdown whose lines end at a real newline *or* at an escaped one. Then:

* an escaped ``\\n`` becomes a real newline;
* an escaped backslash ``\\\\`` is a unit: ``\\\\n`` stays exactly as written;
* inline code spans (backtick runs paired as in CommonMark, within one paragraph) stay as written;
* a fenced code block opened on a line that ends with a *real* newline stays as written (its
  ``\\n`` are code); a fence whose lines are themselves separated by escapes gets those
  separators turned into line breaks, since they are the block's lines.

The result has no convertible escape left, so a second pass changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontmatter_qt import keypath
from frontmatter_qt.fixes._walk import Change, line_of, string_fields

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

ESCAPED_NEWLINE = "\\n"

_FENCE_OPEN_RE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)\Z", re.DOTALL)
_FENCE_CLOSE_RE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})[ \t\r]*\Z")
_BLANK_RE = re.compile(r"[ \t\r]*\Z")


@dataclass(frozen=True)
class _Line:
    """One logical line: ``text[start:end]``, ended by a real newline, an escape, or the text."""

    start: int
    end: int
    ending: str  # "\n" (real), "\\n" (escaped) or "" (end of text)

    @property
    def next_start(self) -> int:
        return self.end + len(self.ending)


def unescape_newlines(text: str) -> str:
    """Replace each literal ``\\n`` outside code with a newline (see the module docstring)."""
    if ESCAPED_NEWLINE not in text:
        return text
    return "".join(_convert(text))


def _convert(text: str) -> Iterator[str]:
    lines = list(_logical_lines(text, 0))
    index = 0
    prose: list[_Line] = []
    while index < len(lines):
        line = lines[index]
        opener = _FENCE_OPEN_RE.match(text, line.start, line.end)
        if opener is None or not _is_valid_opener(opener):
            prose.append(line)
            index += 1
            continue
        yield from _convert_prose(text, prose)
        prose = []
        fence = opener.group("fence")
        if line.ending == "\n":
            end = _real_fence_end(text, line, fence)
            yield text[line.start : end]
            lines = list(_logical_lines(text, end))
            index = 0
        else:
            first, index = index, _escaped_fence_end(text, lines, index, fence)
            for fenced in lines[first:index]:
                yield text[fenced.start : fenced.end] + _as_real(fenced.ending)
    yield from _convert_prose(text, prose)


def _is_valid_opener(opener: re.Match[str]) -> bool:
    return not (opener.group("fence").startswith("`") and "`" in opener.group("info"))


def _closes(text: str, line_start: int, line_end: int, fence: str) -> bool:
    closer = _FENCE_CLOSE_RE.match(text, line_start, line_end)
    return (
        closer is not None
        and closer.group("fence")[0] == fence[0]
        and len(closer.group("fence")) >= len(fence)
    )


def _real_fence_end(text: str, opener: _Line, fence: str) -> int:
    """Offset just past the closing fence line (real lines only), or the end of the text."""
    start = opener.next_start
    while start < len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        if _closes(text, start, end, fence):
            return end
        if newline < 0:
            break
        start = newline + 1
    return len(text)


def _escaped_fence_end(text: str, lines: list[_Line], opener: int, fence: str) -> int:
    """Index just past the closing line of a fence whose opener ended in an escape."""
    for index in range(opener + 1, len(lines)):
        if _closes(text, lines[index].start, lines[index].end, fence):
            return index + 1
    return len(lines)


def _logical_lines(text: str, start: int) -> Iterator[_Line]:
    """Split ``text[start:]`` at real newlines and at escapes that are not an escaped backslash."""
    index = line_start = start
    while index < len(text):
        char = text[index]
        if char == "\n":
            yield _Line(line_start, index, "\n")
            index = line_start = index + 1
        elif char == "\\" and index + 1 < len(text) and text[index + 1] != "\n":
            if text[index + 1] == "n":
                yield _Line(line_start, index, ESCAPED_NEWLINE)
                line_start = index + 2
            index += 2
        else:
            index += 1
    yield _Line(line_start, len(text), "")


def _as_real(ending: str) -> str:
    return "\n" if ending == ESCAPED_NEWLINE else ending


def _convert_prose(text: str, lines: list[_Line]) -> Iterator[str]:
    """Prose lines, paragraph by paragraph: code spans kept, escaped line endings made real."""
    for paragraph in _paragraphs(text, lines):
        yield from _convert_paragraph(text, paragraph)


def _paragraphs(text: str, lines: list[_Line]) -> Iterator[list[_Line]]:
    paragraph: list[_Line] = []
    for line in lines:
        paragraph.append(line)
        if _BLANK_RE.match(text, line.start, line.end):
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def _convert_paragraph(text: str, lines: list[_Line]) -> Iterator[str]:
    if not lines:
        return
    protected = list(_protected_spans(text, lines[0].start, lines[-1].next_start))
    for line in lines:
        yield text[line.start : line.end]
        inside = any(start <= line.end < end for start, end in protected)
        yield line.ending if inside else _as_real(line.ending)


def _protected_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each code span and maths span in ``text[start:end]``, left to right.

    Code spans pair backtick runs of equal length (CommonMark). Maths is ``$$…$$``, ``\\(…\\)``,
    ``\\[…\\]`` and ``$…$`` with pandoc's rule (no space inside either dollar, no digit right
    after the closing one), so ``$\\nu$`` and ``\\(\\neq\\)`` keep their commands.
    """
    index = start
    while index < end:
        span_end = _span_at(text, index, end)
        if span_end is not None:
            yield index, span_end
            index = span_end
        elif text[index] == "`":
            index += _run_length(text, index, end)
        else:
            index += 2 if text[index] == "\\" else 1


def _span_at(text: str, index: int, end: int) -> int | None:
    """End offset of the code or maths span opening at ``index``, if one does."""
    char = text[index]
    if char == "`":
        run = _run_length(text, index, end)
        closer = _find_closing_run(text, index + run, end, run)
        return None if closer is None else closer + run
    if text.startswith(("\\(", "\\["), index):
        closer = text.find("\\)" if text[index + 1] == "(" else "\\]", index + 2, end)
        return None if closer < 0 else closer + 2
    if text.startswith("$$", index):
        closer = text.find("$$", index + 2, end)
        return None if closer < 0 else closer + 2
    if char == "$":
        return _inline_maths_end(text, index, end)
    return None


def _inline_maths_end(text: str, index: int, end: int) -> int | None:
    if index + 1 >= end or text[index + 1].isspace() or text[index + 1] == "$":
        return None
    closer = index + 1
    while True:
        closer = text.find("$", closer + 1, end)
        if closer < 0:
            return None
        after = text[closer + 1] if closer + 1 < len(text) else ""
        if not text[closer - 1].isspace() and text[closer - 1] != "\\" and not after.isdigit():
            return closer + 1


def _run_length(text: str, index: int, end: int) -> int:
    length = 0
    while index + length < end and text[index + length] == "`":
        length += 1
    return length


def _find_closing_run(text: str, index: int, end: int, length: int) -> int | None:
    while index < end:
        if text[index] != "`":
            index += 1
            continue
        run = _run_length(text, index, end)
        if run == length:
            return index
        index += run
    return None


def fix_escaped_newlines(doc: Document, fields: Iterable[Any] | None = None) -> list[Change]:
    """Unescape ``\\n`` in string values of ``doc``: the named fields (top-level keys or key
    paths), or with ``fields=None`` every string value in the front matter.

    Missing fields and non-string values are skipped. One :class:`Change` per changed field.
    A plug-in names the fields that hold Markdown (QuickTakes: ``answer``).
    """
    changes: list[Change] = []
    for path, value in string_fields(doc, fields):
        fixed = unescape_newlines(value)
        if fixed != value:
            keypath.assign(doc.data, path, fixed)
            changes.append(Change(path, line_of(doc, path), value, fixed))
    return changes
