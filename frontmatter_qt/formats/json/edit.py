"""Diff a JSON node tree against intended data and turn the differences into text patches.

A changed scalar is replaced in its own span. An object's entries are matched by key, an array's
items by their common head and tail; a deleted entry takes its own text (its whole lines when it
stands on lines of its own) and the comma that separated it; a new entry goes after the entry it
follows in the intended data, with its container's separator (comma, line break, indentation) and
the document's ``key: value`` spacing. Whatever cannot be patched (a value changing kind, a
container whose entries all change) is written anew in the old value's own layout. New text is
made with ``json.dumps`` for every string and number, in the style measured from the file (see
``Style``): indentation unit, one-line or multi-line containers, separators, ``\\uXXXX`` escapes
or raw characters.

The file follows the data's key order: a key replaced at its place by a new one holding the same
value is renamed (its key text only); kept entries out of the file's order move as their own text
(with their changes applied inside, and their commas handled as for a deletion and an
insertion), as few as possible (``engine.order``); new entries go after the entry they follow in
the intended data.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.engine.equality import same_in_order, same_value
from frontmatter_qt.engine.order import plan_mapping
from frontmatter_qt.engine.patch import Patch, apply
from frontmatter_qt.errors import UnrepresentableValueError
from frontmatter_qt.formats.json.scan import ARRAY, OBJECT, SCALAR, Node

_INDENT = re.compile(r"[ \t]*")
_KEY_VALUE = re.compile(r"[ \t]*:[ \t]*")
_INLINE_SEPARATOR = re.compile(r",[ \t]*")
# A `\uXXXX` escape of a non-ASCII character (after an even run of backslashes), and a `\/`.
_ESCAPED_NON_ASCII = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")
_ESCAPED_SLASH = re.compile(r"(?<!\\)(?:\\\\)*\\/")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Style:
    """How the file writes what it has, measured once: new text is written the same way."""

    unit: str = "  "  # one level of indentation
    key_value: str = ": "  # between a key and its value
    inline_separator: str = ", "  # between the entries of a one-line container
    padding: str = ""  # just inside the brackets of a one-line container: `{ "a": 1 }`
    objects_multiline: bool = True  # nested objects on lines of their own, or on one line
    arrays_multiline: bool = True
    ensure_ascii: bool = False  # non-ASCII characters as `\uXXXX`, or as themselves


@dataclass(frozen=True)
class Layout:
    """One container's own layout: entries on lines of their own or not, the text between two
    entries, the indentation of its entries, the spaces just inside its brackets."""

    multiline: bool
    separator: str
    indent: str
    padding: tuple[str, str]


def _path(keys: tuple[Any, ...]) -> str:
    return ".".join(map(str, keys)) or "<root>"


class Editor:
    """Computes patches that turn ``text`` (parsed as ``root``) into JSON holding ``data``."""

    def __init__(
        self, text: str, root: Node | None, newline: str, style: Style | None = None
    ) -> None:
        self.text = text
        self.root = root
        self.nl = newline
        self._style = style  # None: measured from the text on first use

    # -- geometry -----------------------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def at_line_head(self, pos: int) -> bool:
        return self.text[self.line_start(pos) : pos].strip(" \t") == ""

    def line_indent(self, pos: int) -> str:
        found = _INDENT.match(self.text, self.line_start(pos))
        assert found is not None
        return found.group()

    def multiline(self, node: Node) -> bool:
        """A container (with entries) whose first entry stands on a line of its own."""
        return "\n" in self.text[node.start + 1 : node.entry_start(0)]

    def layout(self, node: Node) -> Layout:
        """The layout of a container with at least one entry."""
        text, first = self.text, node.entry_start(0)
        leading = text[node.start + 1 : first]
        trailing = text[node.items[-1].end : node.end - 1]
        multiline = "\n" in leading
        if len(node.items) > 1:
            separator = text[node.items[0].end : node.entry_start(1)]
        elif leading or multiline:
            separator = "," + leading
        else:  # `{"a": 1}` says nothing about the space after a comma: the document's habit
            separator = self.style.inline_separator
        indent = self.line_indent(first) if multiline else ""
        padding = ("", "") if multiline else (leading, trailing)
        return Layout(multiline, separator, indent, padding)

    @property
    def style(self) -> Style:
        if self._style is None:
            self._style = self._measure()
        return self._style

    def _measure(self) -> Style:
        """The first of each habit in document order; the defaults where the file shows none."""
        text, root = self.text, self.root
        found: dict[str, Any] = {}
        stack = [root] if root is not None and root.kind != SCALAR else []
        while stack:
            node = stack.pop()
            stack.extend(reversed([item for item in node.items if item.kind != SCALAR]))
            if not node.items:
                continue
            multiline = self.multiline(node)
            if node is not root:
                found.setdefault(f"{node.kind}s_multiline", multiline)
            if multiline:
                own, indent = self.line_indent(node.start), self.line_indent(node.entry_start(0))
                unit = indent[len(own) :]
                if indent.startswith(own) and unit and len(set(unit)) == 1:
                    found.setdefault("unit", unit)
            else:
                padding = text[node.start + 1 : node.entry_start(0)]
                if padding.strip(" ") == "":
                    found.setdefault("padding", padding)
                if len(node.items) > 1:
                    separator = text[node.items[0].end : node.entry_start(1)]
                    if _INLINE_SEPARATOR.fullmatch(separator):
                        found.setdefault("inline_separator", separator)
            if node.kind == OBJECT:
                between = text[node.keys[0][2] : node.items[0].start]
                if _KEY_VALUE.fullmatch(between):
                    found.setdefault("key_value", between)
        multiline = root is None or not root.items or self.multiline(root)
        found.setdefault("inline_separator", "," if found.get("key_value") == ":" else ", ")
        found.setdefault("objects_multiline", multiline)
        found.setdefault("arrays_multiline", multiline)
        found["ensure_ascii"] = _escapes_non_ascii(text)
        return Style(**found)

    # -- diffing ------------------------------------------------------------------------------

    def diff_root(self, data: dict[Any, Any]) -> list[Patch]:
        if self.root is None:  # only whitespace (`---json` and nothing else)
            if not data:
                return []
            return [Patch(0, len(self.text), self.render_root(data) + self.nl)]
        return self.diff(self.root, data, (), True)

    def render_root(self, data: dict[Any, Any]) -> str:
        return self.render(data, "", (), multiline=True, root=True)

    def diff(self, node: Node, new: Any, path: tuple[Any, ...], multiline: bool) -> list[Patch]:
        """Patches for the value at ``path``; ``multiline``: its container has entries on lines
        of their own (a new container there may have them too)."""
        if same_in_order(node.value, new):
            return []
        if node.kind == OBJECT and isinstance(new, dict) and node.items:
            return self.diff_object(node, new, path)
        if node.kind == ARRAY and isinstance(new, list) and node.items:
            return self.diff_array(node, new, path)
        return [self.replace(node, new, path, multiline)]

    def replace(self, node: Node, new: Any, path: tuple[Any, ...], multiline: bool) -> Patch:
        """The whole value written anew, in the old value's own style."""
        if node.kind == SCALAR and isinstance(new, str) and isinstance(node.value, str):
            text = self.string(new, path, self.text[node.start : node.end])
        else:
            indent = self.line_indent(node.start)
            like = node if node.kind != SCALAR and node.items else None
            text = self.render(new, indent, path, multiline, like=like, root=node is self.root)
        return Patch(node.start, node.end, text)

    def diff_object(self, node: Node, new: dict[Any, Any], path: tuple[Any, ...]) -> list[Patch]:
        """Entries matched by key (a key replaced at its place by one holding the same value is
        renamed: only its key text changes); kept entries out of the file's order move, as few
        as possible (``engine.order``), each as its own text, its changes applied inside."""
        olds = node.keys
        items = list(new.items())
        order = plan_mapping(
            [key for key, _, _ in olds],
            [key for key, _ in items],
            lambda i, j: same_value(node.items[i].value, items[j][1]),
        )
        if not order.stay:
            return [self.replace(node, new, path, True)]
        multiline = self.multiline(node)
        patches: list[Patch] = []
        inserts: dict[int, list[str]] = {}
        layout = self.layout(node)
        anchor = -1  # the staying entry the others follow (-1: before the first one)
        for (key, value), source in zip(items, order.sources, strict=True):
            if source is not None and source in order.stay:
                patches += self.entry_patches(node, source, key, value, path, multiline)
                anchor = source
            elif source is not None:  # moves: its own text, edited inside
                start, end = node.entry_start(source), node.items[source].end
                inner = self.entry_patches(node, source, key, value, path, multiline)
                moved = [Patch(p.start - start, p.end - start, p.text) for p in inner]
                inserts.setdefault(anchor, []).append(apply(self.text[start:end], moved))
            else:
                inserts.setdefault(anchor, []).append(self.entry(node, layout, key, value, path))
        return patches + self.splice(node, set(order.stay), inserts)

    def entry_patches(
        self, node: Node, index: int, key: Any, value: Any, path: tuple[Any, ...], multiline: bool
    ) -> list[Patch]:
        """Patches of entry ``index`` of an object: its key's text if it was renamed, its
        value's changes."""
        old_key, start, end = node.keys[index]
        patches = self.diff(node.items[index], value, (*path, key), multiline)
        if not (type(key) is str and key == old_key):
            patches.append(Patch(start, end, self.key(key, path)))
        return patches

    def diff_array(self, node: Node, new: list[Any], path: tuple[Any, ...]) -> list[Patch]:
        old = node.items
        n, m = len(old), len(new)
        multiline = self.multiline(node)
        if n == m:
            patches: list[Patch] = []
            for i, (item, value) in enumerate(zip(old, new, strict=True)):
                patches += self.diff(item, value, (*path, i), multiline)
            return patches
        head = 0
        while head < min(n, m) and same_in_order(old[head].value, new[head]):
            head += 1
        tail = 0
        while tail < min(n, m) - head and same_in_order(old[n - 1 - tail].value, new[m - 1 - tail]):
            tail += 1
        kept = set(range(head)) | set(range(n - tail, n))
        if not kept:
            return [self.replace(node, new, path, True)]
        layout = self.layout(node)
        added = [
            self.entry(node, layout, head + i, value, path)
            for i, value in enumerate(new[head : m - tail])
        ]
        return self.splice(node, kept, {head - 1: added})

    def splice(self, node: Node, kept: set[int], inserts: dict[int, list[str]]) -> list[Patch]:
        """Delete the entries not ``kept`` and add ``inserts``, the text of entries keyed by the
        kept entry they follow (``-1``: before the first kept one); ``kept`` is not empty."""
        layout = self.layout(node)
        count = len(node.items)
        patches: list[Patch] = []
        i = 0
        while i < count:
            if i in kept:
                i += 1
                continue
            last = i
            while last + 1 < count and last + 1 not in kept:
                last += 1
            if last + 1 < count:  # a kept entry follows: take the run and its commas
                start, end = node.entry_start(i), node.entry_start(last + 1)
                if self.at_line_head(start) and self.at_line_head(end):
                    start, end = self.line_start(start), self.line_start(end)
            else:  # the run ends the container: the kept entry before it loses its comma
                start, end = node.items[i - 1].end, node.items[last].end
            patches.append(Patch(start, end, ""))
            i = last + 1
        for anchor, texts in inserts.items():
            if anchor >= 0:
                at = node.items[anchor].end
                patches.append(Patch(at, at, "".join(layout.separator + t for t in texts)))
            else:
                at = node.entry_start(min(kept))
                patches.append(Patch(at, at, "".join(t + layout.separator for t in texts)))
        return patches

    def entry(self, node: Node, layout: Layout, key: Any, value: Any, path: tuple[Any, ...]) -> str:
        """The text of one new entry of ``node`` (``key`` is the item's index in an array)."""
        where = (*path, key)
        rendered = self.render(value, layout.indent, where, layout.multiline)
        if node.kind == ARRAY:
            return rendered
        between = self.text[node.keys[0][2] : node.items[0].start]
        if not _KEY_VALUE.fullmatch(between):
            between = self.style.key_value
        return self.key(key, path) + between + rendered

    # -- rendering ----------------------------------------------------------------------------

    def render(
        self,
        value: Any,
        indent: str,
        path: tuple[Any, ...],
        multiline: bool,
        *,
        like: Node | None = None,
        root: bool = False,
    ) -> str:
        """``value`` as JSON text starting on a line indented by ``indent``. Containers follow
        ``like`` (the old value), else the document's style; ``multiline`` is False inside a
        one-line container."""
        if isinstance(value, dict):
            items: list[tuple[Any, Any]] = list(value.items())
            brackets, wanted = "{}", self.style.objects_multiline
        elif isinstance(value, list):
            items = list(enumerate(value))
            brackets, wanted = "[]", self.style.arrays_multiline
        else:
            return self.scalar(value, path)
        if not items:
            return brackets
        is_object = brackets == "{}"
        if like is not None:
            layout = self.layout(like)
        elif multiline and (wanted or root):
            layout = Layout(True, "", indent + self.style.unit, ("", ""))
        else:
            padding = (self.style.padding, self.style.padding)
            layout = Layout(False, self.style.inline_separator, "", padding)
        parts = []
        for key, item in items:
            where = (*path, key)
            text = self.render(item, layout.indent, where, layout.multiline)
            parts.append(self.key(key, path) + self.style.key_value + text if is_object else text)
        if layout.multiline:
            inner = ("," + self.nl).join(layout.indent + part for part in parts)
            return brackets[0] + self.nl + inner + self.nl + indent + brackets[1]
        left, right = layout.padding
        separator = layout.separator if _INLINE_SEPARATOR.fullmatch(layout.separator) else ", "
        return brackets[0] + left + separator.join(parts) + right + brackets[1]

    def key(self, key: Any, path: tuple[Any, ...]) -> str:
        if not isinstance(key, str):
            raise UnrepresentableValueError(
                f"{_path(path)}: cannot write the key {key!r} (of type {type(key).__name__}) "
                "to JSON front matter: JSON keys are strings",
                keys=(*path, key),
                hint=f"use the key as a string: {str(key)!r}",
            )
        return self.string(key, path, None)

    def scalar(self, value: Any, path: tuple[Any, ...]) -> str:
        if isinstance(value, str):
            return self.string(value, path, None)
        if value is None or isinstance(value, bool):
            return json.dumps(value)
        if isinstance(value, int):
            try:
                return int.__repr__(value)
            except ValueError as exc:  # longer than sys.get_int_max_str_digits()
                raise UnrepresentableValueError(
                    f"{_path(path)}: cannot write this integer to JSON front matter ({exc})",
                    keys=path,
                    hint="write it as a string",
                ) from None
        if isinstance(value, float):
            if not math.isfinite(value):
                raise UnrepresentableValueError(
                    f"{_path(path)}: cannot write {value!r} to JSON front matter: NaN and "
                    "Infinity are not JSON numbers",
                    keys=path,
                    hint=f"write null, or a string ({str(value)!r})",
                )
            return float.__repr__(value)
        hint = "assign a string, a number, true/false, None, a list or a dict"
        if hasattr(value, "isoformat"):
            hint = (
                f"write it as a string ({value.isoformat()!r}; on the command line, `set --string`)"
            )
        raise UnrepresentableValueError(
            f"{_path(path)}: cannot write a {type(value).__name__} value to JSON front matter "
            "(JSON holds strings, numbers, true/false, null, arrays and objects)",
            keys=path,
            hint=hint,
        )

    def string(self, value: str, path: tuple[Any, ...], old: str | None) -> str:
        """A JSON string; ``old``, the token it replaces, decides escapes (else the document)."""
        ensure_ascii = self.style.ensure_ascii
        if old is not None:
            if _NON_ASCII.search(old):
                ensure_ascii = False
            elif _ESCAPED_NON_ASCII.search(old):
                ensure_ascii = True
        text = json.dumps(value, ensure_ascii=ensure_ascii)
        if not ensure_ascii and not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: only an escape can write it
                text = json.dumps(value)
        if old is not None and "/" in value and _ESCAPED_SLASH.search(old):
            text = text.replace("/", "\\/")
        return text


def _escapes_non_ascii(text: str) -> bool:
    """The file writes non-ASCII characters as ``\\uXXXX`` (and never as themselves)."""
    return _NON_ASCII.search(text) is None and _ESCAPED_NON_ASCII.search(text) is not None
