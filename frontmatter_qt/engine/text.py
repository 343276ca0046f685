"""Raw text handling: decoding, delimiter splitting, newline style, offset → line/column."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    BinaryFileError,
    DecodeError,
    UnknownFormatError,
    UnrepresentableValueError,
    UnterminatedFrontMatterError,
)

BOM = "\ufeff"

# Jekyll: the file starts with `---` (trailing blanks allowed) and the front matter ends at the
# first line that is `---` or `...` (trailing blanks allowed). Hugo and Zola open TOML with
# `+++` and close it with `+++`; Eleventy and gray-matter name the language after the dashes
# (`---toml`, `---json`, `---yaml`), closed by `---`.
_OPENING = re.compile(r"(---|\+\+\+)([A-Za-z][\w-]*)?[ \t]*(\r?\n)")
_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "toml": "toml", "json": "json"}
# Searched from the opening's own line break: a literal first character makes the search jump
# from line break to line break (ten times faster than a MULTILINE `^`).
_CLOSING = {
    "---": re.compile(r"\n((?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))"),
    "---lang": re.compile(r"\n(---[ \t]*(?:\r?\n|\Z))"),
    "+++": re.compile(r"\n(\+\+\+[ \t]*(?:\r?\n|\Z))"),
}
_FIRST_BREAK = re.compile(r"\r?\n")
#: Half of a UTF-16 pair alone: no UTF-8 text holds one (a file name's undecodable byte comes
#: back from the OS as one, U+DC80-U+DCFF).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: Finds the end of a bare front-matter object: given the text (BOM removed) and the offset of
#: its opening ``{``, the offset just past the matching ``}``. Raises ``Located`` (positioned by
#: ``split``) when the object never closes. A format supplies it: the engine knows no syntax
#: beyond "a file that starts with ``{``" (see ``formats.split``).
ObjectEnd = Callable[[str, int], int]


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
        # A bare JSON object has no opening line, but its text is never empty (at least `{}`).
        return bool(self.opening or self.front_matter)

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


def encode(text: str, path: str | Path | None = None) -> bytes:
    """The UTF-8 bytes of ``text``. A lone surrogate (``"\\ud800"``: a valid Python string, but
    no UTF-8 can hold it) is an UnrepresentableValueError at its line and column."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bom = len(BOM) if text.startswith(BOM) else 0
        line, column = LineIndex(text[bom:]).position(exc.start - bom)
        raise UnrepresentableValueError(
            f"a lone surrogate (U+{ord(text[exc.start]):04X}) cannot be written as UTF-8; "
            "not written",
            path=path,
            line=line,
            column=column,
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def split(
    text: str, path: str | Path | None = None, *, object_end: ObjectEnd | None = None
) -> Split:
    """Cut ``text`` at its front matter delimiters.

    With ``object_end``, a text whose first character (after a BOM) is ``{`` is a bare object
    (Hugo's JSON front matter): ``opening`` is ``""``, ``front_matter`` the object from ``{`` to
    its ``}``, ``closing`` the line break right after it (``""`` if none). Without it, such a
    text has no front matter.
    """
    if "\x00" in text:
        line, column = LineIndex(text).position(text.index("\x00"))
        raise BinaryFileError(
            "NUL character: binary file, not an article", path=path, line=line, column=column
        )
    bom = BOM if text.startswith(BOM) else ""
    rest = text[len(bom) :]
    if object_end is not None and rest.startswith("{"):
        return _split_object(bom, rest, path, object_end)
    opening = _OPENING.match(rest)
    if opening is None:
        return Split(bom, "", "", "", rest, _newline_of(rest))
    fence, language = opening.group(1), opening.group(2)
    found = _closing_of(fence, language)
    if found is None:
        raise UnknownFormatError(
            f"front matter opened with {fence + language!r} on line 1, but {language!r} is not "
            "a front-matter language this tool reads (yaml, toml, json); nothing is guessed",
            path=path,
            line=1,
            column=len(fence) + 1,
        )
    fmt, closing_re = found
    fm_start = opening.end()
    closing = closing_re.search(rest, fm_start - 1)
    if closing is None:
        closer = (
            "'+++' line"
            if fence == "+++"
            else "'---' or '...' line"
            if fmt == "yaml" and language is None
            else "'---' line"
        )
        raise UnterminatedFrontMatterError(
            f"front matter opened with {opening.group(0).rstrip()!r} on line 1 is never closed "
            f"by a {closer}",
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
        newline=opening.group(3),
        format=fmt,
    )


def _closing_of(fence: str, language: str | None) -> tuple[str, re.Pattern[str]] | None:
    """The format an opening line announces and the pattern that finds its closing line; None
    for a language no format reads."""
    if language is None:
        return ("yaml" if fence == "---" else "toml"), _CLOSING[fence]
    if fence == "---" and language.lower() in _LANGUAGES:
        return _LANGUAGES[language.lower()], _CLOSING["---lang"]
    return None


def splits_as(text: str, like: Split, front_matter: str, body: str) -> bool:
    """Whether ``split(text)`` is ``like`` with ``front_matter`` and ``body`` in place of its
    own, provided neither holds a NUL character (the caller knows: what ``split`` refused in
    ``like`` is not there, and it checks what it changed).

    The verification of an edit asks this of its output: the text must be exactly those parts
    joined, and the first closing line after the opening must still be ``like``'s closing (the
    new front matter holds no line that would close it earlier). It searches the front matter
    once, as ``split`` does, without cutting and copying the parts again.
    """
    opening = _OPENING.match(like.opening)
    if opening is None or opening.end() != len(like.opening):
        return False  # a bare JSON object (no opening line): not answered here
    found = _closing_of(opening.group(1), opening.group(2))
    start = len(like.bom) + len(like.opening)  # where the front matter starts in ``text``
    end = start + len(front_matter)
    if (
        found is None
        or found[0] != like.format
        or len(text) != end + len(like.closing) + len(body)
        or not text.startswith(like.bom + like.opening)
        or not text.startswith(front_matter, start)
        or not text.startswith(like.closing, end)
        or not text.endswith(body)
    ):
        return False
    closing = found[1].search(text, start - 1)
    return closing is not None and closing.span(1) == (end, end + len(like.closing))


def _split_object(bom: str, rest: str, path: str | Path | None, object_end: ObjectEnd) -> Split:
    try:
        end = object_end(rest, 0)
    except Located as exc:
        lines = LineIndex(rest)
        line, column = lines.position(exc.offset)
        message = exc.message_with_lines(lambda offset: lines.position(offset)[0])
        raise exc.error_type(message, path=path, line=line, column=column, hint=exc.hint) from None
    # Hugo: a file whose first character is `{` holds a JSON object as front matter; the body
    # starts right after its closing `}` and one line break, if there is one (`consumeCRLF`).
    after = _FIRST_BREAK.match(rest, end)
    body_start = end if after is None else after.end()
    return Split(
        bom=bom,
        opening="",
        front_matter=rest[:end],
        closing=rest[end:body_start],
        body=rest[body_start:],
        newline=_newline_of(rest),
        format="json",
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
