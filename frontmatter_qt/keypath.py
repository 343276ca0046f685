"""Key paths: the one type, parser, formatter and walker of paths into front-matter data.

A :data:`KeyPath` is a tuple of steps from the root mapping: a mapping key (``str``, or any
scalar a front matter can use as a key: ``int``, ``bool``, ``date`` ...) or a list index
(``int``). ``("seo", "title")``, ``("tags", 0)``.

Text form (the command line, messages): :func:`parse` reads ``seo.title`` (a segment in quotes
may hold the separator: ``'"jekyll.version".major'``) into string segments; :func:`resolve`
turns those into the keys and indexes of a given document (``"0"`` is an index into a list, or
an ``int`` key where the mapping has one); :func:`format` writes a path back as ``seo.title`` /
``tags[0]``.

The walker works on plain data (dicts and lists): :func:`get`, :func:`assign`, :func:`delete`,
:func:`strings` (every string value with its path) and :func:`deepest` (the longest prefix of a
path that exists, which is where a problem about a missing key is reported); and the structure
edits :func:`insert`, :func:`rename` and :func:`move`, which rebuild a mapping (the same dict
object) in the intended key order. Key order is data: each format writes the file in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from frontmatter_qt.errors import KeyExistsError, KeyPathError, KeySyntaxError, PlacementError

__all__ = [
    "KeyPath",
    "assign",
    "deepest",
    "delete",
    "format",
    "get",
    "has",
    "insert",
    "move",
    "parse",
    "rename",
    "resolve",
    "slot",
    "strings",
    "walk",
]

#: A path of keys (``str``/``int``/... mapping keys, ``int`` list indexes) from the root.
KeyPath = tuple[Any, ...]

# ASCII digits only: ``str.isdigit`` is also true for "²" and "٣", which ``int()`` refuses or
# reads as another number.
_INDEX = re.compile(r"-?[0-9]+")


def parse(text: str, sep: str = ".") -> tuple[str, ...]:
    """``seo.title`` → ``("seo", "title")``; a segment in quotes may hold the separator:
    ``'"jekyll.version".x'`` → ``("jekyll.version", "x")``.

    Raises :class:`~frontmatter_qt.errors.KeySyntaxError` for an empty separator, an empty
    segment or an unclosed quote.
    """
    if not sep:
        raise KeySyntaxError("the key separator must not be empty")
    segments: list[str] = []
    current, quote, quoted = "", "", False
    index = 0
    while index < len(text):
        char = text[index]
        if quote and char == quote:
            quote = ""
        elif quote:
            current += char
        elif char in "\"'" and not current and not quoted:
            quote, quoted = char, True
        elif text.startswith(sep, index):
            segments.append(_segment(current, quoted, text))
            current, quoted = "", False
            index += len(sep) - 1
        else:
            current += char
        index += 1
    if quote:
        raise KeySyntaxError(f"unclosed quote in key {text!r}")
    segments.append(_segment(current, quoted, text))
    return tuple(segments)


def _segment(text: str, quoted: bool, whole: str) -> str:
    if not text and not quoted:
        raise KeySyntaxError(f"empty key segment in {whole!r}")
    return text


def format(keys: Sequence[Any]) -> str:
    """``("seo", "title")`` → ``seo.title``; ``("tags", 0)`` → ``tags[0]``; ``()`` → ``""``.

    A key that would not read back as itself (it holds a ``.``, a bracket, a quote, or is not a
    string) is written in quotes: ``("a.b", 1)`` under a mapping → ``"a.b"[1]``.
    """
    text = ""
    for step in keys:
        if isinstance(step, int) and not isinstance(step, bool):
            text += f"[{step}]"
            continue
        shown = str(step)
        if not (isinstance(step, str) and _safe(step)):
            shown = '"' + shown.replace('"', '\\"') + '"'
        text += f".{shown}" if text else shown
    return text


def _safe(text: str) -> bool:
    """Text that reads back as one segment: no separator, bracket or quote, not empty."""
    return bool(text) and not any(char in text for char in ".[]\"'")


def _is_index(step: Any) -> bool:
    return isinstance(step, int) and not isinstance(step, bool)


def slot(container: Any, segment: Any) -> Any:
    """The key or index a command-line ``segment`` names in ``container``.

    In a list, ``"0"``/``"-1"`` are indexes; in a mapping, the segment itself when present,
    else the ``int`` key it spells when the mapping has one. Other steps are returned as given.
    """
    if not isinstance(segment, str) or not _INDEX.fullmatch(segment):
        return segment
    if isinstance(container, list):
        return int(segment)
    if isinstance(container, Mapping) and segment not in container and int(segment) in container:
        return int(segment)
    return segment


def resolve(data: Any, segments: Sequence[Any]) -> KeyPath:
    """``segments`` (from :func:`parse`) as the keys and indexes of ``data``, step by step.

    Steps below a missing key are resolved as mapping keys would be (they stay strings).
    """
    keys: list[Any] = []
    node: Any = data
    for segment in segments:
        step = slot(node, segment)
        keys.append(step)
        node = _child(node, step)
    return tuple(keys)


_ABSENT: Any = object()


def _child(node: Any, step: Any) -> Any:
    if isinstance(node, Mapping):
        try:
            return node.get(step, _ABSENT)
        except TypeError:  # an unhashable step
            return _ABSENT
    if isinstance(node, list) and _is_index(step) and -len(node) <= step < len(node):
        return node[step]
    return _ABSENT


def has(data: Any, keys: Sequence[Any]) -> bool:
    """True when every step of ``keys`` exists."""
    return len(deepest(data, keys)) == len(keys)


def deepest(data: Any, keys: Sequence[Any]) -> KeyPath:
    """The longest prefix of ``keys`` that exists in ``data`` (``()`` when even the first step
    is missing). A problem about a missing key is reported at this prefix."""
    node = data
    for index, step in enumerate(keys):
        node = _child(node, step)
        if node is _ABSENT:
            return tuple(keys[:index])
    return tuple(keys)


def get(data: Any, keys: Sequence[Any]) -> Any:
    """The value at ``keys``; :class:`~frontmatter_qt.errors.KeyPathError` when a step is
    missing or its parent is not a mapping or list."""
    node = data
    for index, step in enumerate(keys):
        child = _child(node, step)
        if child is _ABSENT:
            raise _missing(node, keys, index)
        node = child
    return node


def assign(data: Any, keys: Sequence[Any], value: Any, *, create: bool = True) -> None:
    """Set the value at ``keys``. Missing mappings on the way are created (``create``); a list
    index must exist (nothing is appended silently)."""
    node = _parent(data, tuple(keys), create=create)
    last = keys[-1]
    if isinstance(node, dict) or _child(node, last) is not _ABSENT:
        node[last] = value
    else:
        raise no_list_item(node, keys)


def no_list_item(
    items: Sequence[Any], keys: Sequence[Any], *, whole: Sequence[Any] | None = None
) -> KeyPathError:
    """The error for ``keys`` naming an item past the end of ``items`` (the list at
    ``keys[:-1]``), on the way to ``whole`` (default: ``keys``): a script edits the item it
    named or none."""
    size = f"{len(items)} item{'s' if len(items) != 1 else ''}"
    where = format(keys[:-1]) or "the list"
    message = f"no list item {format(keys)} ({where} has {size})"
    return KeyPathError(message, keys=tuple(keys if whole is None else whole))


def delete(data: Any, keys: Sequence[Any]) -> bool:
    """Delete the value at ``keys``; False (nothing done) when it is not there."""
    if not keys or not has(data, keys):
        return False
    parent = get(data, keys[:-1])
    del parent[keys[-1]]
    return True


def strings(value: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every string value under ``value`` with its key path (keys themselves excluded)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def walk(value: Any) -> Iterator[tuple[KeyPath, Any]]:
    """Every value under ``value`` (mapping entries and list items, not ``value`` itself) with
    its key path, each container before what it holds, in order."""
    stack: list[tuple[KeyPath, Any]] = [((), value)]
    while stack:
        path, node = stack.pop()
        if path:
            yield path, node
        if isinstance(node, Mapping):
            stack.extend(((*path, key), item) for key, item in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(node))))


def _missing(node: Any, keys: Sequence[Any], index: int) -> KeyPathError:
    if isinstance(node, list) and _is_index(keys[index]):
        return no_list_item(node, keys[: index + 1], whole=keys)
    if isinstance(node, (Mapping, list)):
        return KeyPathError(f"key not found: {format(keys[: index + 1])}", keys=tuple(keys))
    return _not_a_container(node, keys, index)


def _not_a_container(node: Any, keys: Sequence[Any], index: int) -> KeyPathError:
    where = format(keys[:index]) or "the front matter"
    return KeyPathError(f"{where} is a {type(node).__name__}, not a mapping", keys=tuple(keys))


# -- structure edits: insert at a place, rename in place, move ----------------------------------


def insert(
    data: Any, keys: Sequence[Any], value: Any, *, after: Any = None, before: Any = None
) -> None:
    """Add ``value`` at ``keys``.

    In a mapping the last step is the new key: placed right after the sibling ``after``, right
    before ``before``, or (neither) at the end; :class:`~frontmatter_qt.errors.KeyExistsError`
    if the mapping has the key (nothing is replaced), ``KeyPathError`` if the sibling is
    missing. Missing mappings on the way are created when no sibling is named. In a list the
    last step is the new item's index (``0`` to the list's length, which appends).
    """
    keys = tuple(keys)
    _keys_only(keys, after, before)
    _one_place(keys, after, before)
    if not keys:
        raise KeyPathError("an empty key path names the whole front matter", keys=())
    create = after is None and before is None
    parent = _parent(data, keys, create=create)
    last = keys[-1]
    if isinstance(parent, list):
        if after is not None or before is not None:
            raise PlacementError(
                f"{format(keys)}: in a list the index in the path is the place; give no "
                "after/before",
                hint=f"insert at {format(keys[:-1])}[i] to make the new item item i",
            )
        if not _is_index(last) or not 0 <= last <= len(parent):
            raise _bad_position(keys, len(parent), insert=True)
        parent.insert(last, value)
        return
    if last in parent:
        raise KeyExistsError(f"{format(keys)} already exists; nothing was inserted", keys=keys)
    items = list(parent.items())
    items.insert(_place(parent, keys, after, before), (last, value))
    _rebuild(parent, items)


def rename(data: Any, keys: Sequence[Any], new_key: Any) -> None:
    """Give the entry at ``keys`` the key ``new_key``, at the same place in its mapping (value,
    and in the file its comments and layout, kept). ``KeyPathError`` if the entry is missing,
    :class:`~frontmatter_qt.errors.KeyExistsError` if ``new_key`` is another existing key."""
    keys = tuple(keys)
    _keys_only(keys, new_key)
    parent = _parent(data, keys)
    last = keys[-1]
    if isinstance(parent, list):
        raise PlacementError(f"{format(keys)} is a list item: it has no key to rename")
    if last not in parent:
        raise KeyPathError(f"key not found: {format(keys)}", keys=keys)
    if new_key in parent and new_key != last:
        where = (*keys[:-1], new_key)
        raise KeyExistsError(
            f"cannot rename {format(keys)} to {format(where)}: that key exists", keys=where
        )
    if _same_key(new_key, last):
        return
    # (``==`` as the dict itself matches keys: renaming ``1`` to ``1.0`` changes its type.)
    _rebuild(parent, [((new_key if k == last else k), v) for k, v in parent.items()])


def move(data: Any, keys: Sequence[Any], *, after: Any = None, before: Any = None) -> None:
    """Move the entry at ``keys`` right after its sibling ``after``, right before ``before``,
    or (neither) to the end of its mapping. In a list, ``keys`` ends with the item's index and
    ``after``/``before`` name another item's index (as the list is before the move).
    ``KeyPathError`` if the entry or the sibling is missing."""
    keys = tuple(keys)
    _keys_only(keys, after, before)
    _one_place(keys, after, before)
    parent = _parent(data, keys)
    last = keys[-1]
    if isinstance(parent, list):
        _move_item(parent, keys, after, before)
        return
    if last not in parent:
        raise KeyPathError(f"key not found: {format(keys)}", keys=keys)
    sibling = after if after is not None else before
    if sibling is not None and sibling in parent and sibling == last:
        return  # next to itself: where it is
    own = next(k for k in parent if k == last)  # the key as the mapping holds it
    rest = {k: v for k, v in parent.items() if k != last}
    items = list(rest.items())
    items.insert(_place(rest, keys, after, before), (own, parent[own]))
    _rebuild(parent, items)


def _move_item(items: list[Any], keys: KeyPath, after: Any, before: Any) -> None:
    size = len(items)
    index = keys[-1]
    if not _is_index(index) or not 0 <= index < size:
        raise _bad_position(keys, size)
    sibling = after if after is not None else before
    if sibling is None:
        items.append(items.pop(index))
        return
    if not _is_index(sibling) or not 0 <= sibling < size:
        raise _bad_position((*keys[:-1], sibling), size)
    if sibling == index:
        return
    item = items.pop(index)
    at = sibling if sibling < index else sibling - 1  # where the sibling is after the pop
    items.insert(at + 1 if after is not None else at, item)


def _one_place(keys: KeyPath, after: Any, before: Any) -> None:
    if after is not None and before is not None:
        raise PlacementError(
            f"{format(keys) or '<root>'}: give after or before, not both",
            hint="name the one sibling the entry goes next to",
        )


def _keys_only(keys: KeyPath, *others: Any) -> None:
    """Refuse a step of ``keys`` or a key in ``others`` that no mapping can hold (a list, a
    dict: unhashable), as a ``KeyPathError`` rather than Python's ``TypeError``."""
    for step in (*keys, *others):
        try:
            hash(step)
        except TypeError:
            raise KeyPathError(
                f"{step!r} cannot be a key: a key is text, a number, a boolean or a date",
                keys=keys,
            ) from None


def _parent(data: Any, keys: KeyPath, *, create: bool = False) -> Any:
    """The mapping or list that holds the last step of ``keys``."""
    if not keys:
        raise KeyPathError("an empty key path names the whole front matter", keys=())
    node = data
    for index, step in enumerate(keys[:-1]):
        child = _child(node, step)
        if child is _ABSENT:
            if not (create and isinstance(node, dict)):
                raise _missing(node, keys, index)
            child = node[step] = {}
        node = child
    if not isinstance(node, (dict, list)):
        raise _not_a_container(node, keys, len(keys) - 1)
    return node


def _place(parent: Mapping[Any, Any], keys: KeyPath, after: Any, before: Any) -> int:
    """The index among ``parent``'s entries where an entry named by ``after``/``before`` goes
    (the end when neither is given)."""
    sibling = after if after is not None else before
    if sibling is None:
        return len(parent)
    for index, key in enumerate(parent):
        if key == sibling:  # as the dict matches keys
            return index + 1 if after is not None else index
    raise KeyPathError(
        f"key not found: {format((*keys[:-1], sibling))}", keys=(*keys[:-1], sibling)
    )


def _same_key(a: Any, b: Any) -> bool:
    """The same mapping key, type-exactly (``1`` is not ``True``: a file writes them apart)."""
    return type(a) is type(b) and bool(a == b)


def _rebuild(mapping: dict[Any, Any], items: list[tuple[Any, Any]]) -> None:
    """Refill ``mapping`` (the same object: callers and the document hold it) in this order."""
    mapping.clear()
    mapping.update(items)


def _bad_position(keys: KeyPath, size: int, *, insert: bool = False) -> PlacementError:
    where = format(keys[:-1]) or "the list"
    index = keys[-1]
    top = size if insert else size - 1
    if size == 0 and not insert:
        allowed = f"{where} is empty"
    else:
        allowed = f"{where} has {size} item{'s' if size != 1 else ''}: positions 0 to {top}"
    if _is_index(index) and index < 0:
        reason = f"negative list index {index} (counted from the end)"
    else:
        reason = f"list position {index!r} is out of range"
    return PlacementError(f"{format(keys)}: {reason}; {allowed}")
