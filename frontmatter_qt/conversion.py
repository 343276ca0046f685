"""Front matter converted to another format: ``doc.convert("toml")`` and ``frontmatter-qt convert``.

The target format's renderer (``Format.render``) writes the whole front matter anew, keys in
the data's order, between the target's delimiters (``FENCES``: Hugo's ``---``/``+++``/bare
``{…}``, or Eleventy's ``---toml``/``---json``); the BOM, the newline style and the body stay
byte for byte. A value the target cannot hold is refused with its key path and position, never
changed silently (dates in JSON may be written as ISO 8601 text on request).

Comments are carried where the target holds them: a comment line above a key (or list item)
goes above the same key, a comment after a value after the same value, found through the
source's and the target's positioned trees (``Parsed.key_span``/``value_span``), so no format
needs to know another. Each comment that does not go over (into JSON, or to a place the target
writes differently, such as an item of a one-line TOML array) is returned as a ``W001``
warning at its position in the file as loaded.

:meth:`Document.convert <frontmatter_qt.Document.convert>` re-reads the new text
(type-exact, key order included, same body) before it adopts it; this module only plans it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frontmatter_qt import formats, keypath
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.text import LineIndex, Split
from frontmatter_qt.engine.tree import copy_tree
from frontmatter_qt.errors import (
    COMMENT_DROPPED,
    FrontMatterError,
    UnknownFormatError,
    UnrepresentableValueError,
)
from frontmatter_qt.formats.base import Format, Parsed
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

__all__ = ["FENCES", "Conversion", "ConvertTo", "Plan", "plan"]

#: Delimiter styles: (opening, closing) per target format. ``hugo``: ``---`` YAML, ``+++``
#: TOML, a bare JSON object with the body after it; ``eleventy``: ``---`` YAML and the
#: language-tagged ``---toml``/``---json``, closed by ``---``.
FENCES: dict[str, dict[str, tuple[str, str]]] = {
    "hugo": {"yaml": ("---", "---"), "toml": ("+++", "+++"), "json": ("", "")},
    "eleventy": {"yaml": ("---", "---"), "toml": ("---toml", "---"), "json": ("---json", "---")},
}

# What may stand before a key (or item) on its line for a comment line to go above it: the
# indentation and YAML's `- ` indicators or the first parts of a TOML dotted key (`seo.` of
# `seo.title = ...`), or a TOML header that names exactly that key.
_BEFORE_KEY = re.compile(
    r"[ \t]*(?:(?:-[ \t]+)*|(?:(?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')[ \t]*\.[ \t]*)*)"
)
_BEFORE_HEADER_KEY = re.compile(r"[ \t]*\[\[?[^\]\n]*")
_AFTER_HEADER_KEY = re.compile(r"[ \t]*\]\]?[ \t]*")
# What may follow a key on its line for a comment to end that line: YAML's `:` before a block
# value, the `]` of a TOML header.
_AFTER_KEY = re.compile(r"[ \t]*(?::|\]\]?)[ \t]*")
_INDENT = re.compile(r"[ \t]*")
# Characters a comment cannot carry into another format: TOML refuses control characters,
# libyaml breaks lines at NEL, LS and PS, and a BOM is refused inside a YAML stream.
_UNCARRIABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Conversion:
    """What :meth:`Document.convert <frontmatter_qt.Document.convert>` did.

    ``source`` and ``target`` name the formats; ``dropped`` holds one ``W001`` warning per
    comment that was not carried over, positioned in the file as loaded, in file order;
    ``stringified`` the key paths of the dates written as ISO 8601 text
    (``dates_as_strings=True``).
    """

    source: str
    target: str
    dropped: tuple[Diagnostic, ...] = ()
    stringified: tuple[KeyPath, ...] = ()


@dataclass(frozen=True)
class ConvertTo:
    """The bulk edit that converts each file: ``fq.edit_files(paths, ConvertTo("toml"))``.
    Picklable (it runs in worker processes); returns the dropped comments, ``W001`` warnings
    that the run reports with the file (``FileResult.problems``, ``report.problems``) without
    failing it."""

    to: str
    fence: str = "hugo"
    dates_as_strings: bool = False
    indent: str = "  "

    def __call__(self, doc: Document) -> list[Diagnostic]:
        done = doc.convert(
            self.to, fence=self.fence, dates_as_strings=self.dates_as_strings, indent=self.indent
        )
        return list(done.dropped)


@dataclass(frozen=True)
class Plan:
    """A conversion to verify: ``text`` holds ``data`` and ``body`` in ``format`` (``None``:
    the text stays as it is); ``uncommented`` is the same text without the carried comments
    (the fallback should the commented one not verify), or None when none were carried."""

    format: Format
    text: str | None
    data: dict[Any, Any]
    body: str
    conversion: Conversion
    uncommented: str | None = None
    carried: tuple[Diagnostic, ...] = ()  # the comments carried, as W001 should they drop


def plan(
    doc: Document,
    split: Split,
    parsed: Parsed,
    source: Format,
    to: str,
    *,
    fence: str = "hugo",
    dates_as_strings: bool = False,
    indent: str | int = "  ",
) -> Plan:
    """How ``doc`` (loaded as ``split``/``parsed`` in ``source``; its current data and body)
    becomes front matter in ``to``. Raises ``UnknownFormatError`` (a ValueError) for an unknown
    format or fence, ``FrontMatterError`` for an indentation that is not blanks, and
    ``UnrepresentableValueError`` (positioned) for a value the target cannot hold."""
    if fence not in FENCES:
        raise UnknownFormatError(
            f"unknown fence style {fence!r}: expected one of {', '.join(FENCES)}"
        )
    if isinstance(indent, int) and not isinstance(indent, bool) and 0 < indent <= 8:
        indent = " " * indent  # as the command's --indent N
    if not isinstance(indent, str) or not indent or indent.strip(" \t"):
        raise FrontMatterError(
            f"indent must be spaces or a tab, such as '  ' or '\\t', not {indent!r}"
        )
    target = formats.named(to)
    if to == "json" and indent != "  ":
        from frontmatter_qt.formats.json import JsonFormat

        target = JsonFormat(indent=indent)
    opening, closing = FENCES[fence][to]
    unchanged = Plan(target, None, doc.data, doc.body, Conversion(source.name, to))
    if not split.has_front_matter:  # new front matter will be written in the target format
        return unchanged
    if source.name == to:
        if split.opening.rstrip() == opening:
            return unchanged
        text = _refenced(split, opening, closing)
        return Plan(target, text, parsed.to_data(), split.body, Conversion(to, to))
    data: dict[Any, Any] = doc.data
    stringified: tuple[KeyPath, ...] = ()
    if dates_as_strings:
        data, stringified = _dates_as_text(doc.data, target.dates)
    try:
        front = target.render(data, split.newline)
    except UnrepresentableValueError as exc:
        raise _refusal(doc, data, exc, source, target) from None
    found = source.comments(split.front_matter, parsed)
    carried: list[Diagnostic] = []
    dropped: list[Diagnostic] = []
    commented = front
    if found:
        comments = _Comments(doc, split, parsed, found)
        commented = comments.place(target, front, data, split.newline, carried, dropped)
    body = doc.body
    conversion = Conversion(source.name, to, tuple(dropped), stringified)
    text = _assemble(split, opening, closing, commented, body)
    bare = _assemble(split, opening, closing, front, body) if carried else None
    return Plan(target, text, data, body, conversion, bare, tuple(carried))


def _assemble(split: Split, opening: str, closing: str, front: str, body: str) -> str:
    nl = split.newline
    line_break = split.closing.endswith("\n") or bool(body)
    if not opening:  # Hugo's bare JSON object: the body follows its `}` (and a line break)
        return split.bom + front.removesuffix(nl) + (nl if line_break else "") + body
    return split.bom + opening + nl + front + closing + (nl if line_break else "") + body


def _refenced(split: Split, opening: str, closing: str) -> str:
    """The loaded text between other delimiters of the same format (``+++`` → ``---toml``,
    ``---json`` → a bare object); the front matter's own text is kept."""
    front = split.front_matter
    if not opening:  # `---json` holding nothing is an empty object
        front = front.strip(" \t\r\n") or "{}"
    elif not split.opening:  # a bare object: its text ends at its `}`
        front += split.newline
    return _assemble(split, opening, closing, front, split.body)


def _dates_as_text(
    data: dict[Any, Any], holds: tuple[type, ...]
) -> tuple[dict[Any, Any], tuple[KeyPath, ...]]:
    """A copy of ``data`` with each date, date-time and time the target does not hold as its
    ISO 8601 text, and the key paths of those values."""
    paths = tuple(
        path
        for path, value in keypath.walk(data)
        if isinstance(value, (dt.date, dt.time)) and not isinstance(value, holds)
    )
    if not paths:
        return data, ()
    copied = copy_tree(data)
    for path in paths:
        value = keypath.get(copied, path)
        keypath.assign(copied, path, value.isoformat(), create=False)
    return copied, paths


def _refusal(
    doc: Document,
    data: dict[Any, Any],
    exc: UnrepresentableValueError,
    source: Format,
    target: Format,
) -> UnrepresentableValueError:
    """The target's refusal, positioned at the value as loaded, with what to do about it: for a
    date, the opt-in; else the format's own advice when it has some for this value, else to
    change the value or leave the file in its format."""
    keys = exc.keys
    hint = exc.__dict__.get("hint")  # the format's advice for this value (not its class's)
    if keys is not None:
        try:
            value = keypath.get(data, keys)
        except FrontMatterError:
            value = None
        if isinstance(value, (dt.date, dt.time)):
            hint = "--dates-as-strings (in Python, dates_as_strings=True) writes it as ISO 8601 "
            hint += "text"
    if hint is None:
        name = target.name.upper()
        hint = f"give it a value {name} holds, or leave this file in {source.name.upper()}"
    span = doc.locate(keys or ())
    if keys and _is_key(data, keys):  # a key the target cannot hold: point at the key
        span = doc.key_span(keys) or span
    return UnrepresentableValueError(
        f"cannot convert to {target.name.upper()}: {exc.message}",
        keys=keys,
        path=doc.path,
        line=span.line,
        column=span.column,
        hint=hint,
    )


def _is_key(data: dict[Any, Any], keys: KeyPath) -> bool:
    """Whether the last step of ``keys`` is a key the target refuses, of a mapping in
    ``data``: one not a string, or a string no UTF-8 file can hold (a lone surrogate; every
    format refuses such a key before it looks at its value)."""
    try:
        parent = keypath.get(data, keys[:-1])
    except FrontMatterError:
        return False
    last = keys[-1]
    return isinstance(parent, dict) and last in parent and not _utf8_text(last)


def _utf8_text(key: Any) -> bool:
    if not isinstance(key, str):
        return False
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- comments ------------------------------------------------------------------------------------


@dataclass
class _Comment:
    start: int
    end: int
    text: str
    own_line: bool
    gap: str = " "  # after a value: the blanks before its `#`


@dataclass
class _Group:
    """Comment lines (``None``: a blank line among them) above one key (``keys``; None: at
    the end of the front matter)."""

    lines: list[_Comment | None] = field(default_factory=list)
    blank_before: bool = False  # a blank line separates them from the line above
    keys: KeyPath | None = None


@dataclass
class _Entry:
    keys: KeyPath
    anchor: int  # its key's start (an item: its value's start)
    key_end: int | None
    value_end: int


class _Comments:
    """The comments of a loaded front matter, each attached to the key it belongs to."""

    def __init__(
        self, doc: Document, split: Split, parsed: Parsed, found: list[tuple[int, int]]
    ) -> None:
        self.doc = doc
        self.text = text = split.front_matter
        self.split = split
        self.lines = LineIndex(text)
        self.file_lines: LineIndex | None = None
        self.groups: list[_Group] = []
        self.trailing: list[tuple[_Comment, KeyPath | None]] = []
        self.unattached: list[_Comment] = []
        entries = self.entries(parsed)
        comments = []
        for start, end in found:
            line_start = text.rfind("\n", 0, start) + 1
            before = text[line_start:start]
            own_line = before.strip(" \t") == ""
            gap = before[len(before.rstrip(" \t")) :] or " "
            comments.append(_Comment(start, end, text[start:end].rstrip(" \t"), own_line, gap))
        self.attach(comments, entries)

    def entries(self, parsed: Parsed) -> list[_Entry]:
        entries = []
        text = self.text
        for keys, _ in keypath.walk(parsed.to_data()):
            value = parsed.value_span(keys)
            if value is None:
                continue
            key = parsed.key_span(keys)
            end = value[1]
            # A block collection's span runs to the next line's start (and over comments
            # of its own): its value ends where its last text does.
            while end > value[0] and text[end - 1] in " \t\r\n":
                end -= 1
            anchor = key[0] if key is not None else value[0]
            entries.append(_Entry(keys, anchor, None if key is None else key[1], end))
        return entries

    def line(self, offset: int) -> int:
        return self.lines.position(offset)[0]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) in the file as loaded of an offset into the front matter."""
        if self.file_lines is None:
            self.file_lines = LineIndex(self.split.opening + self.text)
        return self.file_lines.position(self.split.front_matter_offset + offset)

    def attach(self, comments: list[_Comment], entries: list[_Entry]) -> None:
        text = self.text
        anchored: dict[int, list[_Entry]] = {}
        ends: dict[int, list[_Entry]] = {}
        for entry in entries:
            line_start = text.rfind("\n", 0, entry.anchor) + 1
            if _BEFORE_KEY.fullmatch(text, line_start, entry.anchor) or (
                _BEFORE_HEADER_KEY.fullmatch(text, line_start, entry.anchor)
            ):
                anchored.setdefault(self.line(entry.anchor), []).append(entry)
            ends.setdefault(self.line(entry.value_end), []).append(entry)
            if entry.key_end is not None:
                ends.setdefault(self.line(entry.key_end), []).append(entry)
        own = {self.line(c.start): c for c in comments if c.own_line}
        for comment in comments:
            if not comment.own_line:
                self.trailing.append(
                    (comment, self.after(comment, ends.get(self.line(comment.start), [])))
                )
        group: _Group | None = None
        blank = False
        for number, line_text in enumerate(text.split("\n"), start=1):
            if number in own:
                if group is None:
                    group = _Group(blank_before=blank and number > 1)
                group.lines.append(own[number])
                blank = False
            elif line_text.strip(" \t\r") == "":
                if group is not None and group.lines[-1] is not None:
                    group.lines.append(None)
                blank = True
            else:
                if group is not None:
                    candidates = anchored.get(number, [])
                    if candidates:
                        # The last key the line names (`title` of `seo.title = ...`, `b`
                        # of `[a.b]`); of a list item and its first key, the item.
                        best = max(candidates, key=lambda e: (e.anchor, -len(e.keys)))
                        group.keys = best.keys
                        self.groups.append(group)
                    else:
                        self.unattached += [c for c in group.lines if c is not None]
                    group = None
                blank = False
        if group is not None:  # comments after the last key: they end the front matter
            while group.lines and group.lines[-1] is None:
                group.lines.pop()
            self.groups.append(group)

    def after(self, comment: _Comment, candidates: list[_Entry]) -> KeyPath | None:
        """The key a comment after a value belongs to: the value that ends last before it on
        its line (the deepest of equals), else the key that ends last before it there (a
        YAML ``key:`` or a TOML ``[header]`` above a block)."""
        values = [
            e
            for e in candidates
            if e.value_end <= comment.start and self.line(e.value_end) == self.line(comment.start)
        ]
        if values:
            return max(values, key=lambda e: (e.value_end, len(e.keys))).keys
        keys = [
            e
            for e in candidates
            if e.key_end is not None
            and e.key_end <= comment.start
            and self.line(e.key_end) == self.line(comment.start)
        ]
        if keys:
            return max(keys, key=lambda e: (e.key_end or 0, len(e.keys))).keys
        return None

    # -- placing them in the target's text ------------------------------------------------------

    def place(
        self,
        target: Format,
        front: str,
        data: dict[Any, Any],
        nl: str,
        carried: list[Diagnostic],
        dropped: list[Diagnostic],
    ) -> str:
        """``front`` (the target's text for ``data``) with the comments inserted; each one is
        added to ``carried`` or, with the reason, to ``dropped``."""
        name = target.name.upper()
        inserts: list[tuple[int, int, str]] = []  # (offset, order, text)
        results: list[tuple[_Comment, KeyPath | None, str | None]] = []  # reason None: carried
        for comment in self.unattached:
            results.append((comment, None, "it stands above no key"))
        if not target.has_comments:
            none = f"{name} has no comments"
            results += [(c, g.keys, none) for g in self.groups for c in g.lines if c is not None]
            results += [(c, keys, none) for c, keys in self.trailing]
            self.report(results, carried, dropped)
            return front
        tree = target.parse(front, Limits())
        used_ends: set[int] = set()
        reason: str | None
        for group in self.groups:
            comments = [c for c in group.lines if c is not None]
            reason = self.carriable(comments, name)
            at: int | None = len(front)
            indent = ""
            if reason is None and group.keys is not None:
                at, indent, reason = self.above(tree, front, group.keys, data, name)
            if reason is None and at is not None:
                text = "".join(nl if c is None else indent + c.text + nl for c in group.lines)
                if group.blank_before and at > 0 and not _blank_above(front, at):
                    text = nl + text
                inserts.append((at, comments[0].start, text))
            results += [(c, group.keys, reason) for c in comments]
        for comment, keys in self.trailing:
            reason = self.carriable([comment], name)
            if reason is None and keys is None:
                reason = "it follows no key or value"
            at = None
            if reason is None and keys is not None:
                at, reason = self.after_value(tree, front, keys, data, name)
                if at is not None and at in used_ends:
                    at, reason = None, f"another comment already ends that line in {name}"
            if reason is None and at is not None:
                used_ends.add(at)
                inserts.append((at, comment.start, comment.gap + comment.text))
            results.append((comment, keys, reason))
        self.report(results, carried, dropped)
        out, pos = "", 0
        for at, _, text in sorted(inserts):
            out += front[pos:at] + text
            pos = at
        return out + front[pos:]

    @staticmethod
    def carriable(comments: list[_Comment], name: str) -> str | None:
        if any(_UNCARRIABLE.search(c.text) for c in comments):
            return f"it holds a character a {name} comment cannot carry"
        return None

    @staticmethod
    def above(
        tree: Parsed, front: str, keys: KeyPath, data: dict[Any, Any], name: str
    ) -> tuple[int | None, str, str | None]:
        """Where comment lines above ``keys`` go in the target's text (and their indentation),
        or why they cannot go there."""
        if not keypath.has(data, keys):
            return None, "", "its key is no longer in the data"
        key = tree.key_span(keys)
        value = tree.value_span(keys)
        start = key[0] if key is not None else value[0] if value is not None else None
        if start is None:  # pragma: no cover - every key of the data has a place
            return None, "", f"{name} writes {keypath.format(keys)} nowhere"
        line_start = front.rfind("\n", 0, start) + 1
        header = (  # a TOML header that names exactly this key: `[seo]`, `[seo.deep]`
            key is not None
            and _BEFORE_HEADER_KEY.fullmatch(front, line_start, start) is not None
            and _AFTER_HEADER_KEY.fullmatch(front, key[1], _line_end(front, key[1])) is not None
        )
        if not (header or _BEFORE_KEY.fullmatch(front, line_start, start)):
            return None, "", f"{name} writes {keypath.format(keys)} inside a one-line value"
        indent = _INDENT.match(front, line_start)
        assert indent is not None
        return line_start, indent.group(), None

    @staticmethod
    def after_value(
        tree: Parsed, front: str, keys: KeyPath, data: dict[Any, Any], name: str
    ) -> tuple[int | None, str | None]:
        """Where a comment after the value at ``keys`` goes (the end of its line), or why it
        cannot go there."""
        if not keypath.has(data, keys):
            return None, "its key is no longer in the data"
        value = tree.value_span(keys)
        if value is not None and "\n" not in front[value[0] : value[1]]:
            end = _line_end(front, value[1])
            if front[value[1] : end].strip(" \t") == "":
                return end, None
        key = tree.key_span(keys)
        if key is not None:
            end = _line_end(front, key[1])
            if _AFTER_KEY.fullmatch(front, key[1], end):
                return end, None
        return None, f"{name} writes {keypath.format(keys)} where no comment can follow it"

    def report(
        self,
        results: list[tuple[_Comment, KeyPath | None, str | None]],
        carried: list[Diagnostic],
        dropped: list[Diagnostic],
    ) -> None:
        for comment, keys, reason in sorted(results, key=lambda r: r[0].start):
            why = reason or "the converted text did not read back with it"
            diagnostic = self.diagnostic(comment, keys, why)
            (dropped if reason is not None else carried).append(diagnostic)

    def diagnostic(self, comment: _Comment, keys: KeyPath | None, why: str) -> Diagnostic:
        line, column = self.position(comment.start)
        end_line, end_column = self.position(comment.end)
        path = None if self.doc.path is None else str(self.doc.path)
        return Diagnostic(
            path,
            line,
            column,
            COMMENT_DROPPED,
            f"comment not carried over ({why}): {comment.text}",
            keys=keys or (),
            end_line=end_line,
            end_column=end_column,
            type="comment_dropped",
            severity="warning",
        )


def _blank_above(text: str, line_start: int) -> bool:
    """Whether the line above the one starting at ``line_start`` is blank."""
    above = text.rfind("\n", 0, line_start - 1) + 1
    return text[above:line_start].strip(" \t\r\n") == ""


def _line_end(text: str, offset: int) -> int:
    """The end of the line holding ``offset``, before its line break."""
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    return end - 1 if end > offset and text[end - 1] == "\r" else end
