"""Plain data straight from parse events, without a node tree: the verification re-read.

Every output is re-parsed before it is returned or written, so this read is on the path of
every edit. It builds dicts, lists and scalars directly from libyaml's events and gives the
same data as ``to_python(parse(text))`` for the front matter articles are made of (plain and
quoted scalars in block or flow collections). Anything else (anchors, aliases, tags, duplicate
keys, complex keys, a syntax error, a limit reached, several documents) is left to the full
parser, which either reads it the same way or raises its precise, positioned error.
"""

from __future__ import annotations

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

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.formats.yaml import values as _values
from frontmatter_qt.formats.yaml.nodes import BOM, CParser, parse, to_python


class _Unusual(Exception):
    """Internal: the text holds something only the full parser handles."""


_NO_KEY: Any = object()
_NOTHING: Any = object()


def read_data(text: str, limits: Limits) -> Any:
    """The plain Python data of a front matter text (``None`` when it holds no node).

    Equal, type for type, to ``to_python(parse(text, limits))``; raises what ``parse`` raises.
    """
    if CParser is not None and not text.startswith(BOM):
        try:
            return _read(CParser(text), limits)
        except (_Unusual, MarkedYAMLError, ReaderError):
            pass
    root = parse(text, limits)
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
