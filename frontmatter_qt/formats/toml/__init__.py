"""Lossless TOML front matter (Hugo and Zola ``+++``, Eleventy and gray-matter ``---toml``).

tomllib reads (validity, data, and the verification re-read of every output); a positioned
scanner (``scan.py``) finds where each key and value stands; the editor (``edit.py``) turns
changed data into patches of the original text, rendering new values with tomlkit
(``render.py``). :class:`TomlFormat` is the TOML side of
:class:`frontmatter_qt.formats.base.Format`. Imported only when a TOML file is met.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from frontmatter_qt.engine.chars import align
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.base import KeyPath, Parsed, comments_outside
from frontmatter_qt.formats.toml.chars import pieces
from frontmatter_qt.formats.toml.edit import Editor
from frontmatter_qt.formats.toml.order import misordered
from frontmatter_qt.formats.toml.read import load, read_data
from frontmatter_qt.formats.toml.scan import Stmt, Tree, Value, prescan, scan, unpositioned

__all__ = ["TOML", "TomlFormat", "TomlParsed"]


class TomlParsed:
    """A TOML front matter: tomllib's data and the scanned tree of positions."""

    __slots__ = ("data", "tree")

    def __init__(self, data: dict[str, Any], tree: Tree) -> None:
        self.data = data
        self.tree = tree

    def to_data(self) -> dict[Any, Any]:
        return copy.deepcopy(self.data)

    def value_span(self, keys: KeyPath) -> tuple[int, int] | None:
        node = self.tree.node(keys)
        return None if node is None else self.tree.span(node)

    def key_span(self, keys: KeyPath) -> tuple[int, int] | None:
        if not keys or not isinstance(keys[-1], str):
            return None
        table = self.tree.table_of(keys[:-1])
        entry = None if table is None else table.entries.get(keys[-1])
        return None if entry is None else (entry.key.start, entry.key.end)

    def char_span(
        self, text: str, keys: KeyPath, value: str, start: int, end: int
    ) -> tuple[int, int] | None:
        node = self.tree.node(keys)
        if not isinstance(node, Value) or node.kind != "scalar" or self._loaded(keys) != value:
            return None
        return align(value, pieces(text, node.start, node.end, node.style), start, end)

    def _loaded(self, keys: KeyPath) -> Any:
        found: Any = self.data
        for key in keys:
            try:
                found = found[key]
            except (KeyError, IndexError, TypeError):
                return None
        return found


class TomlFormat:
    """TOML front matter between ``+++`` lines (or ``---toml`` and ``---``)."""

    name = "toml"
    fence = "+++"
    dates: tuple[type, ...] = (
        dt.date,
        dt.time,
    )  # dates, date-times (local or with an offset), local times
    has_comments = True

    def parse(self, text: str, limits: Limits) -> TomlParsed:
        # Limits first, cheap to refuse however hostile, and counted as the writer counts them
        # (nodes and depth): what the scanner accepts needs no second walk of the data.
        scanned = prescan(text, limits)
        data = load(text, limits, lambda: scanned if isinstance(scanned, Located) else None)
        if isinstance(scanned, Tree):
            return TomlParsed(data, scanned)
        # tomllib accepted what the scanner refuses (an integer over 64 bits, a date that is
        # none) or does not understand
        raise unpositioned() if scanned is None else scanned

    def read(self, text: str, limits: Limits) -> dict[Any, Any]:
        return read_data(text, limits)

    def misordered(
        self,
        text: str,
        read: dict[Any, Any],
        data: dict[Any, Any],
        limits: Limits,
        parsed: Parsed | None = None,
    ) -> KeyPath | None:
        tree = parsed.tree if isinstance(parsed, TomlParsed) else None
        return misordered(text, read, data, limits, tree)

    def patches(self, text: str, parsed: Parsed, data: dict[Any, Any], newline: str) -> list[Patch]:
        if not isinstance(parsed, TomlParsed):
            raise TypeError(f"not a TOML front matter: {parsed!r}")
        return Editor(parsed.tree, parsed.data, newline).diff(data)

    def render(self, data: dict[Any, Any], newline: str) -> str:
        empty = scan("", Limits())
        return Editor(empty, {}, newline).render(data)

    def comments(self, text: str, parsed: Parsed) -> list[tuple[int, int]]:
        if not isinstance(parsed, TomlParsed):
            raise TypeError(f"not a TOML front matter: {parsed!r}")
        return comments_outside(text, _string_spans(parsed.tree.stmts), after_blank=False)


def _string_spans(stmts: Iterable[Stmt]) -> Iterator[tuple[int, int]]:
    """Where a ``#`` is text, not a comment: every key part and scalar (inside arrays and
    inline tables too)."""
    stack: list[Stmt | Value] = list(stmts)
    while stack:
        item = stack.pop()
        if isinstance(item, Stmt):
            yield from ((part.start, part.end) for part in item.parts)
            if item.value is not None:
                stack.append(item.value)
        elif item.kind == "scalar":
            yield item.start, item.end
        elif item.kind == "array":
            stack.extend(entry.value for entry in item.items)
        elif item.table is not None:
            stack.extend(item.table.stmts)


TOML = TomlFormat()
