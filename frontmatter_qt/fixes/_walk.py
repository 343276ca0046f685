"""Shared plumbing of the repair helpers: the ``Change`` record and a walk over a document.

Every helper is a pure ``str -> str`` function plus a document-level wrapper. The wrapper walks the
document's live data (plain dicts and lists), applies the pure function to string values (and, on
request, to mapping keys), assigns every repaired value back through the mapping/list interface,
and reports one ``Change`` per repaired string. The engine re-renders only what was assigned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontmatter_qt import keypath
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

PathPart = Any
Repair = Callable[[str], str]

BODY_PATH: KeyPath = ("<body>",)


@dataclass(frozen=True)
class Change:
    """One repaired string.

    ``path`` is the key path of the value (list items by index); for a renamed key it is the key's
    path with the *new* key last, and for the Markdown body it is ``("<body>",)``. ``line`` is the
    1-based line in the file as loaded (for the body: the file line of the first difference), or
    ``None`` when the value was not part of the loaded text. ``before``/``after`` are the whole old
    and new strings (for a key rename: the old and new key).
    """

    path: KeyPath
    line: int | None
    before: str
    after: str


def line_of(doc: Document, where: KeyPath) -> int | None:
    """The loaded line of the value at ``where`` (a path as loaded), or ``None``."""
    found = doc.position(*where) if where else None
    return None if found is None else found[0]


def rewrite_strings(doc: Document, repair: Repair, *, keys: bool = False) -> list[Change]:
    """Apply ``repair`` to every string value (and every string key if ``keys``) of ``doc``.

    Values are assigned back in place; a repaired key is renamed in place (the file keeps the
    entry where it is, its value and comments; only the key's text changes). A rename whose new
    key already exists in the mapping is skipped, not reported.
    """
    changes: list[Change] = []
    _rewrite_mapping(doc, doc.data, (), (), repair, keys, changes)
    return changes


def _rewrite_mapping(
    doc: Document,
    mapping: dict[Any, Any],
    path: KeyPath,
    where: KeyPath,
    repair: Repair,
    keys: bool,
    changes: list[Change],
) -> None:
    for key in list(mapping):
        new_key = repair(key) if keys and isinstance(key, str) else key
        renamed = new_key != key and new_key not in mapping
        final_key = new_key if renamed else key
        _rewrite_item(doc, mapping, key, (*path, final_key), (*where, key), repair, keys, changes)
        if renamed:
            keypath.rename(mapping, (key,), new_key)  # in place: only the key's text changes
            changes.append(Change((*path, new_key), line_of(doc, (*where, key)), key, new_key))


def _rewrite_sequence(
    doc: Document,
    items: list[Any],
    path: KeyPath,
    where: KeyPath,
    repair: Repair,
    keys: bool,
    changes: list[Change],
) -> None:
    for index in range(len(items)):
        _rewrite_item(doc, items, index, (*path, index), (*where, index), repair, keys, changes)


def _rewrite_item(
    doc: Document,
    container: Any,
    slot: Any,
    path: KeyPath,
    where: KeyPath,
    repair: Repair,
    keys: bool,
    changes: list[Change],
) -> None:
    value = container[slot]
    if isinstance(value, str):
        repaired = repair(value)
        if repaired != value:
            container[slot] = repaired
            changes.append(Change(path, line_of(doc, where), value, repaired))
    elif isinstance(value, dict):
        _rewrite_mapping(doc, value, path, where, repair, keys, changes)
    elif isinstance(value, list):
        _rewrite_sequence(doc, value, path, where, repair, keys, changes)


def as_key_path(field: Any) -> KeyPath:
    """``"answer"`` → ``("answer",)``; a tuple path is returned as a tuple."""
    return tuple(field) if isinstance(field, (tuple, list)) else (field,)


def string_fields(doc: Document, fields: Iterable[Any] | None) -> Iterator[tuple[KeyPath, str]]:
    """``(path, value)`` of each named field that holds a string, or with ``fields=None`` of every
    string value in the front matter (missing fields and other values are skipped)."""
    if fields is None:
        yield from list(keypath.strings(doc.data))
        return
    for field in fields:
        path = as_key_path(field)
        if keypath.has(doc.data, path):
            value = keypath.get(doc.data, path)
            if isinstance(value, str):
                yield path, value


def first_difference_line(before: str, after: str) -> int:
    """0-based index of the first line where ``before`` and ``after`` differ."""
    common = 0
    for old, new in zip(before, after, strict=False):
        if old != new:
            break
        common += 1
    return before.count("\n", 0, common)
