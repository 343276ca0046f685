"""Parse front matter into a tree of nodes that remember where they stand in the text.

Events come from ruamel.yaml.clib's libyaml ``CParser`` (start/end marks count characters of
the text it was given); the pure-Python parser is the fallback and yields the same events.
Limits (depth, aliases, expansion) are enforced while the events stream in, so hostile input
is refused before anything is built from it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
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

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    AliasLimitError,
    DepthLimitError,
    DuplicateKeyError,
    FrontMatterError,
    UnsafeTagError,
    UnsupportedYAMLError,
    YAMLSyntaxError,
)
from frontmatter_qt.formats.yaml import events as _events
from frontmatter_qt.formats.yaml import values as _values
from frontmatter_qt.formats.yaml.messages import quote_hint, syntax_error

try:
    from _ruamel_yaml import CParser as CParser  # re-exported for _data
except ImportError:  # pragma: no cover - exercised by the pure-parser tests via a flag
    CParser = None

_events.install()  # one frame per event made, not three (see the module)

BOM = "\ufeff"
SCALAR = "scalar"
MAPPING = "mapping"
SEQUENCE = "sequence"
ALIAS = "alias"


_PROPERTIES = re.compile(r"(?:[&!][^\s]*(?:\s+|$))+")
_NO_PAIRS: list[tuple[Node, Node]] = []
_NO_ITEMS: list[Node] = []
_NOT_SIMPLE: Any = object()  # run(): a scalar the fast path leaves to the full steps


class Node:
    """One YAML node: its kind, style, span ``[start, end)`` in the front matter, and content.

    ``value`` is the constructed Python value for scalars. ``pairs`` holds (key, value) node
    pairs for mappings, ``items`` the item nodes of sequences, ``target`` the anchored node of
    an alias (of an alias key too: a scalar copy of the anchored key at the alias's place,
    whose readers take its ``value`` and span; see :func:`_alias_key`). ``size`` counts nodes
    after alias expansion; ``height`` is how many collections deep the node's data nests,
    after alias expansion (0 for a scalar).

    ``standalone`` is set on a root only (read it with ``getattr(root, "standalone", False)``):
    True when the text has no anchor, alias, directive or explicit document marker, so nothing
    in one top-level entry refers to another (see :func:`data.read_patched`).
    """

    standalone: bool

    __slots__ = (
        "_index",
        "aliased",
        "anchor",
        "body",
        "end",
        "flow",
        "height",
        "items",
        "kind",
        "pairs",
        "size",
        "standalone",
        "start",
        "style",
        "tag",
        "target",
        "value",
    )

    def __init__(
        self, kind: str, start: int, end: int, style: str = "", tag: str = "", value: Any = None
    ) -> None:
        self.kind = kind
        self.start = start
        self.body = start  # where the value's own text starts, after an anchor and a tag
        self.end = end
        self.style = style
        self.flow = False
        self.tag = tag
        self.anchor: str | None = None
        self.value: Any = value
        self.pairs: list[tuple[Node, Node]] = _NO_PAIRS
        self.items: list[Node] = _NO_ITEMS
        self.target: Node | None = None
        self.size = 1
        self.height = 0
        self.aliased = False  # the node is, or holds, an alias
        self._index: dict[Any, tuple[Node, Node]] | None = None

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.start}-{self.end}, style={self.style!r})"

    def resolved(self) -> Node:
        """The node itself, or the node an alias points to."""
        return self.target if self.target is not None else self

    def pair(self, key: Any) -> tuple[Node, Node] | None:
        """The ``(key, value)`` nodes of this mapping's entry for ``key``, or None.

        A position look-up per lint finding or validation error would cost as much as the
        mapping has keys if it searched ``pairs``, making a large front matter's diagnostics
        quadratic; the index is built on the first look-up, once (the tree never changes after
        parsing), and each look-up after it is a dict access. Keys compare as the data's dict
        compares them (``1`` and ``True`` are one key), which is how duplicates were refused.
        """
        index = self._index
        if index is None:
            # reversed: were a key there twice, the first entry would win, as in a search
            index = self._index = {k.value: (k, v) for k, v in reversed(self.pairs)}
        try:
            return index.get(key)
        except TypeError:  # an unhashable key names no entry
            return None


def to_python(node: Node) -> Any:
    """Fresh plain Python data for a node (aliases expanded into independent copies).

    A loop over a stack, not recursion: aliases can nest the data deeper than the text.
    """
    node = node.resolved()
    if node.kind == SCALAR:
        return node.value
    root: Any = {} if node.kind == MAPPING else []
    pending = [(node, root)]
    value: Any
    while pending:
        source, out = pending.pop()
        # (`child.resolved()` written out: this runs for every node of every file loaded)
        if source.kind == MAPPING:
            for key, child in source.pairs:
                if child.target is not None:
                    child = child.target
                if child.kind == SCALAR:
                    out[key.value] = child.value
                else:
                    out[key.value] = value = {} if child.kind == MAPPING else []
                    pending.append((child, value))
        else:
            for child in source.items:
                if child.target is not None:
                    child = child.target
                if child.kind == SCALAR:
                    out.append(child.value)
                else:
                    out.append(value := {} if child.kind == MAPPING else [])
                    pending.append((child, value))
    return root


def walk(root: Node | None) -> Iterator[Node]:
    """Every node of the tree under ``root``, itself and the keys included, each once, the
    last child first (an alias is walked as itself, not through to its anchored node).

    A loop over a stack, not recursion: nesting is limited only by ``Limits.max_depth``.
    """
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        yield node
        if node.pairs:
            stack.extend(part for pair in node.pairs for part in pair)
        else:
            stack.extend(node.items)


def parse(text: str, limits: Limits, *, pure: bool = False) -> Node | None:
    """Parse one front matter text into its root node (``None`` when it holds no node)."""
    # libyaml skips a BOM at the start of its input without counting it; the pure parser
    # counts it. Offsets are made to count it either way.
    fast = CParser is not None and not pure
    shift = 1 if fast and text.startswith(BOM) else 0
    builder = _Builder(text, limits, shift)
    try:
        if fast:
            # (no context manager: this runs once per file loaded, and its frames cost more
            # than the try/finally they stand for)
            parser = CParser(text)
            try:
                root = builder.run(parser.get_event)
            finally:
                parser.dispose()
        else:
            from ruamel.yaml import YAML

            root = builder.run(iter(YAML(typ="safe", pure=True).parse(text)).__next__)
    except MarkedYAMLError as exc:
        raise syntax_error(exc, text, shift) from None
    except ReaderError as exc:
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "character"
        message = f"the character {character} is not allowed in YAML"
        hint = "remove it (often an invisible control character pasted from elsewhere)"
        raise Located(YAMLSyntaxError, message, exc.position + shift, hint) from None
    if root is not None:
        root.standalone = not builder.anchors and not builder.aliases and not builder.marked
    return root


class _Builder:
    """Turns an event stream into a node tree, checking limits, tags and duplicate keys."""

    def __init__(self, text: str, limits: Limits, shift: int) -> None:
        self.text = text
        self.shift = shift
        self.limits = limits
        self.anchors: dict[str, Node] = {}
        self.aliases = 0
        self.stack: list[Node] = []
        self.pending_key: list[Node | None] = []
        self.seen_keys: list[dict[Any, Node]] = []
        # per open collection: [nodes its values stand for beyond one each, the greatest
        # height among them, whether one is or holds an alias] (see `close`)
        self.nested: list[list[Any]] = []
        self.root: Node | None = None
        self.documents = 0
        self.marked = False  # an explicit `---` or `...` (directives need the former)

    def at(self, mark: Any) -> int:
        return int(mark.index) + self.shift

    def run(self, next_event: Callable[[], Any]) -> Node | None:
        stack, pending_key, seen_keys, nested, shift = (
            self.stack,
            self.pending_key,
            self.seen_keys,
            self.nested,
            self.shift,
        )
        resolve_plain, string = _values.resolve_plain, _values.STR
        resolved = _values.RESOLVED_PLAIN.get  # resolve_plain's memo, read without a call
        constructed = _values.CONSTRUCTED_PLAIN.get  # construct_scalar's memo, likewise
        simple = _values.SIMPLE_PLAIN_TAGS
        mapping_tag, sequence_tag = _values.MAP, _values.SEQ
        max_depth = self.limits.max_depth
        # The open collection (stack[-1]), whether it is a sequence, and its keys so far
        # (seen_keys[-1]): read here once per collection opened or closed, not per scalar.
        parent: Any = None  # a Node, or None before the root collection opens
        in_sequence = False
        seen: dict[Any, Node] = {}
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:
                text = event.value
                value: Any = _NOT_SIMPLE
                if event.anchor is None and event.ctag is None and parent is not None:
                    style = event.style
                    if style:
                        if not event.implicit[0]:  # quoted or block: a string
                            tag, value = string, text
                    elif text:
                        tag = resolved(text) or resolve_plain(text)
                        if tag == string:
                            value = text
                        elif tag in simple and (in_sequence or pending_key[-1] is not None):
                            # a plain number, boolean, null or date read before, as a value
                            value = constructed((tag, text), _NOT_SIMPLE)
                if value is _NOT_SIMPLE:
                    self.add(self.scalar(event))  # the full steps
                    continue
                # The usual scalar, with no properties, inside a collection, is built and
                # placed here (the same steps as `scalar` and `add`, inlined: this runs for
                # most nodes of every file loaded).
                node = Node(
                    SCALAR,
                    event.start_mark.index + shift,
                    event.end_mark.index + shift,
                    style,
                    tag,
                    value,
                )
                if in_sequence:
                    parent.items.append(node)
                elif (key := pending_key[-1]) is None:
                    # check_key's steps for a string key: refused if already seen
                    if text in seen:
                        self.check_key(node)  # raises the positioned duplicate-key error
                    seen[text] = node
                    pending_key[-1] = node
                else:
                    parent.pairs.append((key, node))
                    pending_key[-1] = None
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mapping = kind is MappingStartEvent
                if (
                    event.anchor is None
                    and event.ctag is None
                    and parent is not None
                    and len(stack) < max_depth
                    and (in_sequence or pending_key[-1] is not None)
                ):
                    # A collection with no properties, as a value or an item: `open`'s steps
                    node = Node(
                        MAPPING if mapping else SEQUENCE,
                        event.start_mark.index + shift,
                        event.end_mark.index + shift,
                        "",
                        mapping_tag if mapping else sequence_tag,
                    )
                    node.flow = bool(event.flow_style)
                    if mapping:
                        node.pairs = []
                    else:
                        node.items = []
                    if in_sequence:
                        parent.items.append(node)
                    else:
                        parent.pairs.append((pending_key[-1], node))
                        pending_key[-1] = None
                    stack.append(node)
                    pending_key.append(None)
                    seen_keys.append({})
                    nested.append([0, 0, False])
                else:
                    self.open(event, MAPPING if mapping else SEQUENCE)
                parent, in_sequence, seen = stack[-1], not mapping, seen_keys[-1]
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                self.close(event)
                if stack:
                    parent = stack[-1]
                    in_sequence, seen = parent.kind == SEQUENCE, seen_keys[-1]
                else:
                    parent = None
            elif kind is AliasEvent:
                self.add(self.alias(event))
            elif kind is DocumentStartEvent:
                self.start_document(event)
            elif kind is StreamEndEvent:
                return self.root
            elif kind is DocumentEndEvent:
                self.marked = self.marked or bool(event.explicit)
            elif kind is not StreamStartEvent:
                raise Located(YAMLSyntaxError, f"unexpected {kind.__name__}", 0)

    def start_document(self, event: Any) -> None:
        self.documents += 1
        self.marked = self.marked or bool(event.explicit)
        if self.documents > 1:
            raise Located(
                UnsupportedYAMLError,
                "front matter holds more than one YAML document",
                self.at(event.start_mark),
            )

    def scalar(self, event: Any) -> Node:
        start = event.start_mark.index + self.shift
        style = event.style or ""
        text = event.value
        explicit = None if event.ctag is None else event.tag  # `tag` is a property: read once
        if explicit is None and not style:
            tag = _values.resolve_plain(text)
        else:  # `!` resolves like no tag when libyaml marks the scalar plain-implicit
            tag = _values.scalar_tag(explicit, text, bool(event.implicit[0]))
        if tag == _values.TIMESTAMP and explicit in (None, "!") and not _values.real_date(text):
            # A plain `2024-13-40` reads as the text it is, so the file still loads and `check`
            # can say where the date is wrong (the YAML reference refuses the whole file; see
            # docs/guarantees.md). Writers still quote such a text: it looks like a timestamp.
            tag = _values.STR
        if tag == _values.VALUE and self.at_key():
            tag = _values.STR  # the reference reads a `=` key as the string "="
        if tag == _values.STR:
            value: Any = text
        elif tag == _values.MERGE:
            raise Located(UnsupportedYAMLError, "merge keys ('<<') are not supported", start)
        elif _values.is_safe_scalar_tag(tag):
            value = self.construct(tag, text, start)
        elif tag in _values.COLLECTION_TAGS.values():
            raise Located(
                YAMLSyntaxError, f"a {_values.short(tag)} tag on a scalar ({text!r})", start
            )
        else:
            raise Located(*_refusal(explicit, text, tag), start)
        end = event.end_mark.index + self.shift
        has_properties = event.anchor is not None or explicit is not None
        if not text and not style:
            if has_properties:  # `key: &anchor` or `key: !!str`: the value sits after them
                end = start + len(self.text[start:end].rstrip())
            else:
                start = end = self.empty_scalar_offset(start)
        node = Node(SCALAR, start, end, style, tag, value)
        if has_properties:
            properties = _PROPERTIES.match(self.text, start, end)
            node.body = properties.end() if properties else start
            self.remember_anchor(event, node)
        return node

    def at_key(self) -> bool:
        """Whether the next node is a mapping key."""
        return bool(self.stack) and self.stack[-1].kind == MAPPING and self.pending_key[-1] is None

    def empty_scalar_offset(self, start: int) -> int:
        """Where an empty value sits: right after its indicator (parsers disagree on this).

        The value of an explicit key written alone (``? key``) is marked at the next token,
        past the comment lines below the key: it goes back over those too, to the key's line
        (where the editor looks for it), so that they stay the next entry's (or its parent's)
        and are not taken with this one. Only lines after the key are skipped: a line of a
        quoted or block scalar key may start with ``#`` too."""
        text = self.text
        key = self.pending_key[-1] if self.pending_key else None
        floor = key.end if key is not None else len(text)
        while True:
            while start > 0 and text[start - 1] in " \t\r\n":
                start -= 1
            line = text.rfind("\n", 0, start) + 1
            if line <= floor or not text[line:start].lstrip(" \t").startswith("#"):
                return start
            start = line

    @staticmethod
    def construct(tag: str, text: str, start: int) -> Any:
        try:
            return _values.construct_scalar(tag, text)
        except _values.ConstructionError as exc:
            raise Located(YAMLSyntaxError, str(exc), start) from None

    def open(self, event: Any, kind: str) -> None:
        if len(self.stack) >= self.limits.max_depth:
            raise Located(
                DepthLimitError,
                f"collections nested deeper than {self.limits.max_depth} levels",
                self.at(event.start_mark),
            )
        tag = event.tag
        if tag is not None and tag != "!" and tag != _values.COLLECTION_TAGS[kind]:
            start = self.at(event.start_mark)
            if tag in _values.SCALAR_TAGS or tag in _values.COLLECTION_TAGS.values():
                raise Located(YAMLSyntaxError, f"a {_values.short(tag)} tag on a {kind}", start)
            raise Located(*_refusal(tag, "", tag), start)
        node = Node(
            kind,
            self.at(event.start_mark),
            self.at(event.end_mark),
            "",
            _values.COLLECTION_TAGS[kind],
        )
        node.flow = bool(event.flow_style)
        if kind == MAPPING:
            node.pairs = []
        else:
            node.items = []
        self.remember_anchor(event, node)
        self.add(node)
        self.stack.append(node)
        self.pending_key.append(None)
        self.seen_keys.append({})
        self.nested.append([0, 0, False])

    def close(self, event: Any) -> None:
        node = self.stack.pop()
        self.pending_key.pop()
        self.seen_keys.pop()
        node.end = self.at(event.end_mark)
        # Keys and most values are scalars, one node each; what the nodes below counted beyond
        # that was added to the frame as each of them was placed or closed (see `_nested`).
        extra, height, aliased = self.nested.pop()
        if node.kind == SEQUENCE:
            node.size = 1 + len(node.items) + extra
        else:
            node.size = 1 + 2 * len(node.pairs) + extra
        node.height, node.aliased = height + 1, aliased
        if self.nested:
            self._nested(node)
        if node.size > self.limits.max_nodes:
            raise Located(
                AliasLimitError,
                f"front matter expands to more than {self.limits.max_nodes} nodes",
                node.start,
            )

    def _nested(self, node: Node) -> None:
        """Count a closed collection, or an alias, into the collection it is a value or an
        item of: the nodes it stands for beyond one, how deep it nests, whether it is (or
        holds) an alias. (A key is a scalar, or an alias of one standing for a copy of the
        scalar: one node, height 0, like any scalar; nothing to count. An alias key marks its
        mapping as holding an alias when it is checked.)"""
        frame = self.nested[-1]
        frame[0] += node.size - 1
        if node.height > frame[1]:
            frame[1] = node.height
        if node.aliased:
            frame[2] = True

    def alias(self, event: Any) -> Node:
        start = self.at(event.start_mark)
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            raise Located(AliasLimitError, f"more than {self.limits.max_aliases} aliases", start)
        target = self.anchors.get(event.anchor)
        if target is None:
            raise Located(
                YAMLSyntaxError,
                f"*{event.anchor} refers to an anchor &{event.anchor} that is not defined above",
                start,
                f"define &{event.anchor} on an earlier value, or {quote_hint(self.text, start)}",
            )
        if target in self.stack:
            raise Located(UnsupportedYAMLError, "recursive alias", start)
        if len(self.stack) + target.height > self.limits.max_depth:
            # the data nests as deep as the text would with the anchored value written out
            raise Located(
                DepthLimitError,
                f"collections nested deeper than {self.limits.max_depth} levels "
                f"(through the alias *{event.anchor})",
                start,
            )
        node = Node(ALIAS, start, self.at(event.end_mark))
        node.target = target
        node.size = target.size
        node.height = target.height
        node.aliased = True
        node.value = target.value
        return node

    def remember_anchor(self, event: Any, node: Node) -> None:
        if event.anchor is not None:
            if event.anchor in self.anchors:  # the reference (ruamel.yaml) refuses this too
                raise Located(
                    YAMLSyntaxError, f"duplicate anchor &{event.anchor}", self.at(event.start_mark)
                )
            node.anchor = event.anchor
            self.anchors[event.anchor] = node

    def add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if parent.kind == SEQUENCE:
            parent.items.append(node)
        else:
            key = self.pending_key[-1]
            if key is None:
                self.pending_key[-1] = self.check_key(node)
                return
            parent.pairs.append((key, node))
            self.pending_key[-1] = None
        if node.kind == ALIAS:
            self._nested(node)  # (a collection is counted when it closes)

    def check_key(self, node: Node) -> Node:
        key = node.resolved()
        if key.kind != SCALAR:
            raise Located(
                UnsupportedYAMLError, "only scalar mapping keys are supported", node.start
            )
        if key.tag == _values.MERGE:
            raise Located(UnsupportedYAMLError, "merge keys ('<<') are not supported", node.start)
        seen = self.seen_keys[-1]
        try:
            duplicate = key.value in seen
        except TypeError:
            raise Located(UnsupportedYAMLError, "unhashable mapping key", node.start) from None
        if duplicate:
            first = seen[key.value]
            raise Located(
                DuplicateKeyError,
                _duplicate_key(key.value, first.resolved().value),
                node.start,
                first=first.start,
            )
        seen[key.value] = node
        if node.kind == SCALAR:
            return node
        self.nested[-1][2] = True  # the mapping holds an alias (as a key)
        return _alias_key(node, key)


def _duplicate_key(key: object, first: object) -> str:
    """A duplicate key's message. YAML's ``1``, ``1.0`` and ``true`` are three keys, but Python
    (whose dict ``doc.data`` is) takes them for one (``True == 1.0 == 1``): say so, since the
    two spellings differ."""
    if type(key) is type(first):
        return f"duplicate key {key!r}"
    return (
        f"key {key!r} is the same key as {first!r} to Python ({key!r} == {first!r}): quote "
        "one of them to keep both, as text"
    )


def _refusal(explicit: str | None, text: str, tag: str) -> tuple[type[FrontMatterError], str]:
    """The error class and message for a node whose tag is not read."""
    if explicit is None:
        return UnsafeTagError, (
            f"plain value {text!r} resolves to {tag}, which front matter cannot hold: quote it"
        )
    glued = _values.glued_to(explicit)
    if glued is not None:
        return YAMLSyntaxError, (
            f"tag {_values.short(explicit)!r} runs into the text after it: "
            f"write a space after {_values.short(glued)}"
        )
    return UnsafeTagError, f"tag {explicit!r} is not allowed (refused, nothing constructed)"


def _alias_key(alias: Node, key: Node) -> Node:
    """An aliased key: the alias's span, the anchored scalar's value, and the link to that
    scalar (``target``: the editor writes the key out in full should the scalar change)."""
    node = copy.copy(key)
    node.start, node.end = alias.start, alias.end
    node.target = key
    return node
