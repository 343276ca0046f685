"""Plain data straight from parse events, without a node tree: the verification re-read.

Every output is re-parsed before it is returned or written, so this read is on the path of
every edit. It builds dicts, lists and scalars directly from libyaml's events and gives the
same data as ``to_python(parse(text))`` for the front matter articles are made of (plain and
quoted scalars in block or flow collections). Anything else (anchors, aliases, tags, duplicate
keys, complex keys, a syntax error, a limit reached, several documents) is left to the full
parser, which either reads it the same way or raises its precise, positioned error.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.reader import ReaderError

from frontmatter_qt.engine.equality import same_in_order, same_scalar
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml import values as _values
from frontmatter_qt.formats.yaml.nodes import (
    BOM,
    MAPPING,
    SCALAR,
    CParser,
    Node,
    parse,
    to_python,
)
from frontmatter_qt.formats.yaml.order import node_equals


class _Unusual(Exception):
    """Internal: the text holds something only the full parser handles."""


_NO_KEY: Any = object()
_NOTHING: Any = object()


def read_data(text: str, limits: Limits, *, alone: bool = False) -> Any:
    """The plain Python data of a front matter text (``None`` when it holds no node).

    Equal, type for type, to ``to_python(parse(text, limits))``; raises what ``parse`` raises.
    ``alone=True`` reads a touched entry's text alone (see :func:`read_patched`) and raises
    ``_Unusual`` when that text holds an anchor, an alias or a document marker: each entry may
    be fine alone while the whole text is not (``&a`` in two entries is a duplicate anchor),
    and an anchor in one entry may be what an alias in another refers to. Only the full
    re-read can tell then.
    """
    if CParser is not None and not text.startswith(BOM):
        try:
            return _read(CParser(text), limits)
        except (_Unusual, MarkedYAMLError, ReaderError):
            pass
    root = parse(text, limits)
    if alone and root is not None and not root.standalone:
        raise _Unusual
    return None if root is None else to_python(root)


def _read(parser: Any, limits: Limits) -> Any:
    try:
        return _Reader(limits).run(parser.get_event)
    finally:
        parser.dispose()


class _Reader:
    """Events → plain data. The loop is written out flat: it runs for every scalar of every
    verified output."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.documents = 0

    def run(self, next_event: Any) -> Any:
        root: Any = _NOTHING
        stack: list[Any] = []  # open collections
        keys: list[Any] = []  # per open mapping: its key waiting for a value, or _NO_KEY
        nodes = 0
        max_nodes = self.limits.max_nodes
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                value = self.scalar(event)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                keys.pop()
                value = stack.pop()
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.check_collection(event, len(stack))
                stack.append({} if kind is MappingStartEvent else [])
                keys.append(_NO_KEY)
                continue
            elif kind is StreamEndEvent:
                return None if root is _NOTHING else root
            else:
                self.other(kind)
                continue
            nodes += 1
            if nodes > max_nodes:
                raise _Unusual
            if not stack:
                root = value
                continue
            parent = stack[-1]
            if type(parent) is list:
                parent.append(value)
                continue
            key = keys[-1]
            if key is _NO_KEY:
                keys[-1] = _checked_key(parent, value)
            else:
                parent[key] = value
                keys[-1] = _NO_KEY

    @staticmethod
    def scalar(event: Any) -> Any:
        if event.anchor is not None or event.ctag is not None:
            raise _Unusual
        text = event.value
        if event.style and not event.implicit[0]:
            return text  # quoted or block: a string
        tag = _values.resolve_plain(text)
        if tag == _values.STR:
            return text
        if tag == _values.MERGE or not _values.is_safe_scalar_tag(tag):
            raise _Unusual
        try:
            return _values.construct_scalar(tag, text)
        except _values.ConstructionError:
            raise _Unusual from None  # the full parser raises the positioned error

    def check_collection(self, event: Any, depth: int) -> None:
        if event.anchor is not None or event.ctag is not None or depth >= self.limits.max_depth:
            raise _Unusual

    def other(self, kind: type) -> None:
        if kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise _Unusual
        elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
            raise _Unusual  # an alias


def _checked_key(mapping: dict[Any, Any], key: Any) -> Any:
    if isinstance(key, (dict, list)):
        raise _Unusual
    try:
        duplicate = key in mapping
    except TypeError:
        raise _Unusual from None
    if duplicate:
        raise _Unusual
    return key


# Where an entry read alone could read otherwise in place: a document marker or directive
# starting a line (`...` ends the document alone, but starts a second one before the next
# key), and characters that YAML takes as line breaks or skips where this module does not
# (NEL, LS, PS, a BOM, a lone CR). Only the touched entries' new text is searched: around
# them, every key this relies on is checked to follow a `\n` (a key after another kind of
# break is not at column 0 here, and the fast path gives up).
_NOT_LOCAL = re.compile(r"^(?:---|\.\.\.)(?:[ \t\r\n]|$)|^%", re.MULTILINE)
#: Line breaks to libyaml (YAML 1.1) that the editor, which finds lines by LF, does not see.
UNICODE_BREAKS = {"\x85": "NEL (U+0085)", "\u2028": "U+2028", "\u2029": "U+2029"}
_ODD_BREAKS = re.compile(f"[{''.join(UNICODE_BREAKS)}\ufeff]|\r(?!\n)")


def not_local(entry: str) -> bool:
    """Whether ``entry`` holds what ``_NOT_LOCAL`` or ``_ODD_BREAKS`` finds.

    Neither expression has a literal to search for first, so each tries every position of
    the entry (19 us for a 550-character QuickTakes entry, a fifth of a verification); the
    substring searches that every match needs (a line starting with `---`, `...` or `%`; a
    CR; a character outside ASCII) run in C, and the expressions run only when one finds
    something. ``tests/test_read_patched.py`` holds this to the expressions alone.
    """
    if (
        entry.startswith(("---", "...", "%"))
        or "\n---" in entry
        or "\n..." in entry
        or "\n%" in entry
    ) and _NOT_LOCAL.search(entry) is not None:
        return True
    return ("\r" in entry or not entry.isascii()) and _ODD_BREAKS.search(entry) is not None


def read_patched(
    source: str, root: Node | None, patches: Sequence[Patch], text: str, limits: Limits
) -> dict[Any, Any] | None:
    """The plain data of ``text`` (``source`` with ``patches`` applied, ``root`` the tree of
    ``source``), read by re-reading only the top-level entries the patches touch; ``None``
    when this cannot tell, and the caller re-reads the whole text.

    When it returns data, it is what ``read_data(text, limits)`` returns, in the same key
    order (``tests/test_read_patched.py`` holds it to that on generated edits, hostile
    replacement texts and the corpus). Why reading an entry alone is enough: in a block
    mapping whose keys start their lines at column 0, libyaml's scanner meets each key with
    no flow collection open, no simple key pending and every deeper block closed (a line at
    column 0 ends any scalar or collection of the entry before it). So an entry's text that
    starts with its unchanged ``key:`` at column 0 and reads alone as a mapping reads the same
    in place; an unchanged entry reads as it did (its text and what comes before it are
    unchanged; what follows starts a line at column 0, or ends the text). This holds only
    when no entry refers to another (no anchor or alias), the text is one implicit document
    (no directive, no ``---``/``...`` inside), and lines are what this module thinks they are.
    """
    entries = _patched_entries(source, root, patches, text, limits)
    if entries is None:
        return None
    # an untouched entry is the tree's value (a scalar's directly: most entries are one)
    return {
        key: value if node is None else node.value if node.kind == SCALAR else to_python(node)
        for key, value, node in entries
    }


class EditPatches(list[Patch]):
    """The patches of one edit, with what the edit found: ``equal`` maps the id of each value
    node the editor found to read as the wanted value to ``(node, value)``.

    Within one ``dumps`` (the editor's diff, then the verification, with no code of the
    caller's in between), asking node_equals again whether an untouched entry's node reads
    as the very value object the editor compared it with repeats the same computation on the
    same inputs; :func:`reads_patched_as` takes the editor's answer instead. The node is held,
    not only its id, so an id reused by another tree never matches.
    """

    def __init__(self, patches: list[Patch], equal: dict[int, tuple[Node, Any]]) -> None:
        super().__init__(patches)
        self.equal = equal


_NO_ANSWERS: dict[int, tuple[Node, Any]] = {}


def reads_patched_as(
    source: str,
    root: Node | None,
    patches: Sequence[Patch],
    text: str,
    limits: Limits,
    wanted: dict[Any, Any],
) -> bool | None:
    """Whether ``read_patched(source, root, patches, text, limits)`` is ``wanted``, type-exactly
    and in the same key order (``same_in_order``); ``None`` when read_patched cannot tell.

    The same proof and the same answer, without building the untouched entries' data only to
    compare it: an untouched entry's tree node is compared with the wanted value directly by
    ``node_equals``, which is ``same_in_order(to_python(node), value)`` for the alias-free trees
    read_patched answers for (``tests/test_read_patched.py`` holds the two to each other).
    Given the editor's :class:`EditPatches`, an untouched entry it found equal to the very
    value object wanted here is not compared again.
    """
    entries = _patched_entries(source, root, patches, text, limits)
    if entries is None:
        return None
    if len(entries) != len(wanted):
        return False
    equal = patches.equal if isinstance(patches, EditPatches) else _NO_ANSWERS
    for (key, value, node), (own, other) in zip(entries, wanted.items(), strict=True):
        if not (key == own if type(key) is str and type(own) is str else same_scalar(key, own)):
            return False
        found = equal.get(id(node)) if node is not None else None
        if found is not None and found[0] is node and found[1] is other:
            continue  # the editor's answer for this node and this very value
        if node is None:
            if not same_in_order(value, other):
                return False
        elif node.kind == SCALAR:  # node_equals's steps for a scalar, without its loop
            if type(node.value) is str and type(other) is str:
                if node.value != other:
                    return False
            elif isinstance(other, (dict, list)) or not same_scalar(node.value, other):
                return False
        elif not node_equals(node, other):
            return False
    return True


def _patched_entries(
    source: str, root: Node | None, patches: Sequence[Patch], text: str, limits: Limits
) -> list[tuple[Any, Any, Node | None]] | None:
    """read_patched's entries in the text's order: ``(key, data, None)`` for one read from a
    touched entry's new text, ``(key, None, node)`` for an untouched one (its value is what
    ``node``, of the load tree, reads as); None when that cannot be told."""
    if (
        root is None
        or root.kind != MAPPING
        or root.flow
        or not getattr(root, "standalone", False)
        or not patches
        or not root.pairs
    ):
        return None
    pairs = root.pairs
    starts = [key.start for key, _ in pairs]
    touched: dict[int, int] = {}  # entry index -> how much its text grew
    for patch in patches:
        index = bisect.bisect_right(starts, patch.start) - 1  # the last key at or before it
        if index < 0:
            return None
        key = pairs[index][0]
        head_end = key.end + 1  # just after the `:`
        end = starts[index + 1] if index + 1 < len(starts) else len(source)
        if (
            source[key.end : head_end] != ":"
            or (key.start and source[key.start - 1] != "\n")
            or (end < len(source) and source[end - 1] != "\n")
        ):
            return None
        if patch.end > end or not (
            patch.start >= head_end
            or (patch.start == key.start and patch.text.startswith(source[key.start : head_end]))
        ):
            return None
        touched[index] = touched.get(index, 0) + len(patch.text) - (patch.end - patch.start)
    seen: set[Any] = set()  # the keys so far, as the data's dict compares them
    out: list[tuple[Any, Any, Node | None]] = []
    nodes = root.size
    shift = 0  # how far the text at the current entry has moved
    for index, (key, value) in enumerate(pairs):
        grown = touched.get(index)
        if grown is None:
            if key.value in seen:
                return None
            seen.add(key.value)
            out.append((key.value, None, value))
            continue
        end = starts[index + 1] if index + 1 < len(starts) else len(source)
        entry = text[key.start + shift : end + shift + grown]
        shift += grown
        if (end < len(source) and not entry.endswith("\n")) or not_local(entry):
            return None
        try:
            alone = read_data(entry, limits, alone=True)
        except (Located, _Unusual):
            return None
        if type(alone) is not dict or not alone:
            return None
        nodes += _count(alone) - 1 - key.size - value.size
        for item_key, item in alone.items():
            if item_key in seen:
                return None
            seen.add(item_key)
            out.append((item_key, item, None))
    if nodes > limits.max_nodes:
        return None
    return out


def _count(data: dict[Any, Any]) -> int:
    """Nodes the reader counts in ``data`` (each key, value and collection once)."""
    count = 0
    pending: list[Any] = [data]
    while pending:
        value = pending.pop()
        if type(value) is dict:
            count += 1 + len(value)
            pending.extend(value.values())
        elif type(value) is list:
            count += 1
            pending.extend(value)
        else:
            count += 1
    return count
