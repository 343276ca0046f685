"""Lossless JSON front matter: Hugo's bare ``{ … }`` object and the ``---json`` block.

:class:`JsonFormat` is the JSON side of :class:`frontmatter_qt.formats.base.Format`:
``scan`` reads the text into a positioned tree, ``edit`` turns intended data into patches.
:func:`~frontmatter_qt.formats.json.scan.object_end` is the hook the engine's split calls to find
where a bare object ends (``formats.split``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from frontmatter_qt.engine.chars import Piece
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.errors import NotAMappingError, UnrepresentableValueError
from frontmatter_qt.formats.base import Parsed, SpanTree, item_at, mapping_or_refused
from frontmatter_qt.formats.json.chars import pieces
from frontmatter_qt.formats.json.edit import Editor, Style
from frontmatter_qt.formats.json.scan import ARRAY, OBJECT, SCALAR, Node, object_end, parse, read

__all__ = ["JSON", "JsonFormat", "JsonParsed", "object_end"]


class JsonParsed(SpanTree[Node]):
    """A JSON front matter: its root object (``None`` when the text is only whitespace)."""

    __slots__ = ("root",)

    def __init__(self, root: Node | None) -> None:
        self.root = root

    def to_data(self) -> dict[Any, Any]:
        if self.root is None:
            return {}
        data: dict[Any, Any] = _copy(self.root.value)
        return data

    def child(self, node: Node, key: Any) -> Node | None:
        if node.kind == OBJECT:
            found = node.entry(key)
            return None if found is None else node.items[found]
        return item_at(node.items, key) if node.kind == ARRAY else None

    def key_span_in(self, node: Node, key: Any) -> tuple[int, int] | None:
        if node.kind != OBJECT:
            return None
        found = node.entry(key)
        return None if found is None else node.keys[found][1:]

    def string_pieces(self, text: str, node: Node, value: str) -> Iterable[Piece] | None:
        if node.kind != SCALAR or node.value != value:
            return None
        return pieces(text, node.start, node.end)


class JsonFormat:
    """JSON front matter: a bare object at the top of the file (Hugo; new front matter is
    written so, hence no fence), or the text between ``---json`` and ``---`` (Eleventy,
    gray-matter)."""

    name = "json"
    fence = ""
    dates: tuple[type, ...] = ()  # JSON has no date type
    has_comments = False

    def __init__(self, *, indent: str = "  ") -> None:
        #: One level of indentation of new front matter (``render``); edits keep the file's.
        self.indent = indent

    def parse(self, text: str, limits: Limits) -> JsonParsed:
        root = parse(text, limits)
        if root is not None and root.kind != OBJECT:
            raise Located(
                NotAMappingError,
                f"front matter must be a JSON object of keys and values, not {_kind(root)}",
                root.start,
            )
        return JsonParsed(root)

    def read(self, text: str, limits: Limits) -> dict[Any, Any]:
        return mapping_or_refused(read(text, limits), lambda: self.parse(text, limits))

    def patches(self, text: str, parsed: Parsed, data: dict[Any, Any], newline: str) -> list[Patch]:
        if not isinstance(parsed, JsonParsed):
            raise TypeError(f"not a JSON front matter: {parsed!r}")
        try:
            return Editor(text, parsed.root, newline).diff_root(data)
        except RecursionError:
            raise UnrepresentableValueError(
                "the data is nested too deeply to write as JSON front matter"
            ) from None

    def render(self, data: dict[Any, Any], newline: str) -> str:
        try:
            style = Style(unit=self.indent)
            return Editor("", None, newline, style).render_root(data) + newline
        except RecursionError:
            raise UnrepresentableValueError(
                "the data is nested too deeply to write as JSON front matter"
            ) from None

    def comments(self, text: str, parsed: Parsed) -> list[tuple[int, int]]:
        return []  # JSON has none (a comment is a syntax error)


def _kind(node: Node) -> str:
    if node.kind == ARRAY:
        return "an array"
    if isinstance(node.value, str):
        return "a string"
    if isinstance(node.value, bool):
        return "true or false"
    return "null" if node.value is None else "a number"


def _copy(value: Any) -> Any:
    """A deep copy of plain JSON data, without recursion (the tree may be deep)."""
    if not isinstance(value, (dict, list)):
        return value
    top: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, top)]
    while stack:
        source, target = stack.pop()
        pairs = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in pairs:
            if isinstance(item, (dict, list)):
                item_copy: Any = {} if isinstance(item, dict) else []
                stack.append((item, item_copy))
                item = item_copy
            if isinstance(target, dict):
                target[key] = item
            else:
                target.append(item)
    return top


JSON = JsonFormat()
