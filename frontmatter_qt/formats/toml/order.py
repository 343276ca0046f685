"""Which key orders a TOML output may read back in: the order the data asks for, but for what
TOML itself forces.

A table's key/value lines (plain keys, inline tables, dotted keys that make a sub-table) are
written under its header (the root's before any header); its sub-tables and arrays of tables
are sections of their own (``[t.x]``, a table implied by a deeper header, ``[[t.y]]``). So a
key written as a line may read back ahead of a key written as a section that the data puts
before it: the editor writes a new plain key with the table's lines, not after its sections.
Nothing else may move: lines keep their order among themselves, sections theirs, and a section
never reads back ahead of a line the data puts before it. (Not "every line before every
section": a file may write ``[t.x]`` before ``[t]``, and tomllib reads ``x`` first then; the
data loaded from it has that order, and an edit elsewhere must not be refused for it.)

How each key is written is the output's own: its positioned tree (``scan.py``), built only when
the re-read order differs from the data's at all.
"""

from __future__ import annotations

from typing import Any

from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.formats.base import KeyPath
from frontmatter_qt.formats.toml.scan import Aot, Node, Table, Tree, Value, attempt

__all__ = ["misordered"]


def misordered(
    text: str,
    read: dict[str, Any],
    data: dict[str, Any],
    limits: Limits,
    tree: Tree | None = None,
) -> KeyPath | None:
    """The key path of the first table of ``read`` (``text``'s data, equal to ``data`` as
    values) whose keys are in an order TOML does not force from ``data``'s; None when there is
    none. ``()`` too when the text cannot be scanned (its order cannot be told: refused).
    ``tree``: ``text``'s, when the caller has scanned it already."""
    if same_in_order(read, data):
        return None
    scanned = attempt(text, limits) if tree is None else tree
    if not isinstance(scanned, Tree):  # pragma: no cover - tomllib read it: the scanner reads it
        return ()
    return _first(read, data, scanned.root, ())


def _first(read: Any, data: Any, node: Node | None, path: KeyPath) -> KeyPath | None:
    if isinstance(read, dict):
        table = node.table if isinstance(node, Value) else node
        if not isinstance(table, Table):  # pragma: no cover - the tree holds every table
            return path
        if list(read) != list(data) and not _forced(list(read), list(data), table):
            return path
        for key, value in read.items():
            entry = table.entries.get(key)
            found = _first(value, data[key], None if entry is None else entry.node, (*path, key))
            if found is not None:
                return found
    elif isinstance(read, list):
        for index, item in enumerate(read):
            child: Node | None = None
            if isinstance(node, Aot):
                child = node.elements[index]
            elif isinstance(node, Value) and node.kind == "array":
                child = node.items[index].value
            found = _first(item, data[index], child, (*path, index))
            if found is not None:
                return found
    return None


def _forced(read: list[str], wanted: list[str], table: Table) -> bool:
    """Whether ``read`` is ``wanted`` with only lines moved ahead of sections (see above)."""
    sections = {key for key in read if _is_section(table, key)}
    if [key for key in read if key in sections] != [key for key in wanted if key in sections]:
        return False
    if [key for key in read if key not in sections] != [
        key for key in wanted if key not in sections
    ]:
        return False
    # Lines keep their order, so "the lines the data puts before a section read back before
    # it" is a count: at least as many lines ahead of each section as the data has.
    ahead_in: dict[str, int] = {}
    for order in (wanted, read):
        lines = 0
        for key in order:
            if key in sections:
                if order is read and lines < ahead_in[key]:
                    return False
                ahead_in[key] = lines
            else:
                lines += 1
    return True


def _is_section(table: Table, key: str) -> bool:
    node = table.entries[key].node
    return isinstance(node, Aot) or (isinstance(node, Table) and node.how != "dotted")
