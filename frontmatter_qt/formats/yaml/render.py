"""Render Python values as YAML text with ruamel.yaml's emitter, in a given style and layout.

Quoting, escaping, folding and block-scalar headers are all the emitter's decisions; this module
only chooses the style to ask for (the original node's), the indentation and the width, and
cuts the emitted text out of a one-entry document ``<key>: <value>``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass, replace
from typing import Any

import ruamel.yaml.compat as ruamel_compat
from ruamel.yaml.emitter import Emitter
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
from ruamel.yaml.representer import SafeRepresenter
from ruamel.yaml.tag import Tag

from frontmatter_qt import keypath
from frontmatter_qt.engine.tree import uneven_offset
from frontmatter_qt.errors import UnrepresentableValueError
from frontmatter_qt.formats.yaml import values as _values
from frontmatter_qt.formats.yaml.nodes import MAPPING, SCALAR, SEQUENCE, Node

UNLIMITED_WIDTH = 1_000_000_000

# Characters YAML normalises inside plain, single-quoted and block scalars; only double quotes
# (with escapes) carry them through unchanged.
_NEEDS_DOUBLE_QUOTES = frozenset("\r\x85\u2028\u2029\ufeff")

_STR_TAG = Tag(suffix=_values.STR)
_MAP_TAG = Tag(suffix=_values.MAP)
_SEQ_TAG = Tag(suffix=_values.SEQ)

#: What YAML front matter holds, as values and as mapping keys (subclasses are written as
#: their base type's value: an ``IntEnum`` member as its int).
SCALAR_TYPES = (str, bool, int, float, dt.date, bytes, type(None))


# ruamel.yaml's emitter asks os.environ for YAMLDEBUG on every event while its debug level is
# unset (None); settle it once to the value that lookup would give (0), as RUAMEL_DEBUG would.
if ruamel_compat._debug is None and "YAMLDEBUG" not in os.environ:
    ruamel_compat._debug = 0


class _Emitter(Emitter):
    """ruamel.yaml's emitter, standing alone: without a dumper it asks itself for the version.

    It answers 1.1 because the only thing the emitter decides by it is whether ``?`` may stand
    in a plain scalar inside a flow collection, and libyaml, which reads the output, says no.
    """

    use_version = (1, 1)

    def expect_flow_sequence(self, force_flow_indent: bool | None = False) -> None:
        self.pad_block_item()
        super().expect_flow_sequence(force_flow_indent)

    def expect_flow_mapping(
        self, single: bool | None = False, force_flow_indent: bool | None = False
    ) -> None:
        self.pad_block_item()
        super().expect_flow_mapping(single, force_flow_indent)

    def pad_block_item(self) -> None:
        """A flow collection that is a block sequence's item starts where the sequence's
        other items do, at the dash's gap (``-   []`` in a list written ``-   x``). ruamel.yaml
        aligns it so only in a sequence under a mapping key; elsewhere (a new item, an item
        of a nested sequence) it wrote ``- []``. The blanks written here make up the
        difference: its own alignment counts from the column it finds, so where it aligned
        the item it now adds nothing."""
        if self.sequence_context and not self.flow_level:
            pad = self.best_sequence_indent - self.sequence_dash_offset - 2
            if pad > 0:
                self.stream.write(" " * pad)
                self.column += pad


# Shared, stateless helpers: the representer's per-call memo is cleared after each use.
_REPRESENTER = SafeRepresenter()
_ANALYZER = _Emitter(io.StringIO(), allow_unicode=True)


@dataclass(frozen=True, slots=True)
class Layout:
    """How nested blocks are indented: mapping step, sequence dash offset, text width, and the
    dash's gap: columns from a ``-`` to its item's content (2 for ``- x``, 4 for ``-   x``,
    the habit of files indented by 4)."""

    map_indent: int = 2
    dash_offset: int = 0
    width: int = UNLIMITED_WIDTH
    dash_gap: int = 2

    @property
    def sequence_indent(self) -> int:
        return self.dash_offset + self.dash_gap

    def with_gap(self, gap: int | None) -> Layout:
        """This layout with the dash gap ``gap`` (itself when ``gap`` is None or its own)."""
        return self if gap is None or gap == self.dash_gap else replace(self, dash_gap=gap)


class _Events:
    """Builds emitter events for Python values, following a template node's styles."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.flow_depth = 0

    def value(self, value: Any, template: Node | None, where: tuple[Any, ...]) -> None:
        template = template.resolved() if template is not None else None
        if isinstance(value, dict):
            self.mapping(value, template, where)
        elif isinstance(value, list):
            self.sequence(value, template, where)
        else:
            self.scalar(value, template, where)

    def mapping(self, value: dict[Any, Any], template: Node | None, where: tuple[Any, ...]) -> None:
        flow = self.wants_flow(value, template, MAPPING)
        self.events.append(MappingStartEvent(None, _MAP_TAG, True, flow_style=flow))
        self.flow_depth += flow
        children = _children_by_key(template)
        for key, item in value.items():
            self.scalar(key, None, (*where, key))
            self.value(item, children.get(key), (*where, key))
        self.flow_depth -= flow
        self.events.append(MappingEndEvent())

    def sequence(self, value: list[Any], template: Node | None, where: tuple[Any, ...]) -> None:
        items = template.items if template is not None and template.kind == SEQUENCE else []
        flow = self.wants_flow(value, template, SEQUENCE)
        self.events.append(SequenceStartEvent(None, _SEQ_TAG, True, flow_style=flow))
        self.flow_depth += flow
        for index, item in enumerate(value):
            self.value(item, items[min(index, len(items) - 1)] if items else None, (*where, index))
        self.flow_depth -= flow
        self.events.append(SequenceEndEvent())

    def wants_flow(
        self, value: dict[Any, Any] | list[Any], template: Node | None, kind: str
    ) -> bool:
        """Flow style where the template (or context) used it, or for an empty collection, as
        long as libyaml can read every scalar in it there."""
        if not value:
            return True
        flow = self.flow_depth > 0 or (
            template is not None and template.kind == kind and template.flow
        )
        return flow and flow_readable(value)

    def scalar(self, value: Any, template: Node | None, where: tuple[Any, ...]) -> None:
        if type(value) not in _EXACT_SCALAR_TYPES:
            value = plain_scalar(value)
        if isinstance(value, str):
            style = self.string_style(value, template)
            implicit = (_values.is_plain_string(value), True, True)
            self.events.append(ScalarEvent(None, _STR_TAG, implicit, value, style=style))
            return
        if not isinstance(value, SCALAR_TYPES) or _offset_problem(value):
            # first_unrepresentable names the path and the reason
            raise UnrepresentableValueError("cannot write this data to YAML front matter")
        node = _REPRESENTER.represent_data(value)
        _REPRESENTER.represented_objects.clear()
        implicit = (_values.resolve_plain(node.value) == node.tag, False, True)
        self.events.append(ScalarEvent(None, node.ctag, implicit, node.value, style=node.style))

    def string_style(self, value: str, template: Node | None) -> str | None:
        if _NEEDS_DOUBLE_QUOTES.intersection(value):
            return '"'
        if self.flow_depth and "\n" in value:
            return '"'  # escaped, so a flow item stays on its line
        if self.flow_depth and ":" in value:
            return "'"  # libyaml refuses ':' inside a plain scalar in flow context
        if template is None or template.kind != SCALAR or template.tag != _values.STR:
            return None
        style = template.style or None
        if style in ("|", ">") and not _ANALYZER.analyze_scalar(value).allow_block:
            return None
        return style


_EXACT_SCALAR_TYPES = frozenset({*SCALAR_TYPES, dt.datetime})


def plain_scalar(value: Any) -> Any:
    """A subclass instance as its base type's value (an ``IntEnum`` member as its int, a
    ``str`` subclass as its str): what the file can say, and all the re-read gives back.

    The base types' own methods are called (``int.__int__``), so an override cannot change
    what is written. Anything else is returned as it is.
    """
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, dt.datetime):
        return dt.datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            value.tzinfo,
            fold=value.fold,
        )
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, bytes):
        return bytes(value)
    return value


def flow_readable(value: Any) -> bool:
    """False if a non-string scalar inside would need a ':' that libyaml refuses in flow context
    (times in datetimes); strings are quoted instead."""
    if isinstance(value, dict):
        return all(flow_readable(k) and flow_readable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(flow_readable(item) for item in value)
    return not isinstance(value, dt.datetime)


def _children_by_key(template: Node | None) -> dict[Any, Node]:
    if template is None or template.kind != MAPPING:
        return {}
    return {key.value: value for key, value in template.pairs}


def emit_entries(entries: list[tuple[Any, Any]], template: Node | None, layout: Layout) -> str:
    """The text of block mapping entries ``key: value`` at column 0, without final newline
    (one emitter run for them all: many new keys cost little more than one)."""
    builder = _Events()
    for key, value in entries:
        builder.scalar(key, None, ())
        builder.value(value, template, (key,))
    return _emit(builder.events, layout)


def emit_key(key: Any, flow: bool = False) -> str | None:
    """A key's text as it stands before ``:`` (quoted where YAML needs it; in a flow mapping,
    as a flow item), or None when it needs an explicit ``? key`` entry (over 128 characters,
    a line break), which a key written in place of another cannot be."""
    if flow:
        text = emit_flow_item(key, None)
        return None if "\n" in text or len(text) > 128 else text
    text = emit_entries([(key, None)], None, Layout())
    if text.startswith("?") or not text.endswith(": null"):
        return None
    return text[: -len(": null")]


def emit_value(value: Any, template: Node | None, layout: Layout, key_width: int = 1) -> str:
    """The text that follows ``key:`` when ``value`` is written after a key ``key_width`` wide.

    Inline values start with a space, block collections with a line break; continuation lines
    are relative to the key's column.
    """
    simple = _simple_string(value, template, layout)
    return simple if simple is not None else _emitted_value(value, template, layout, key_width)


def _emitted_value(value: Any, template: Node | None, layout: Layout, key_width: int) -> str:
    """:func:`emit_value` by the emitter."""
    builder = _Events()
    dummy = "k" * max(key_width, 1)
    builder.scalar(dummy, None, ())
    builder.value(value, template, ())
    return _emit(builder.events, layout)[len(dummy) + 1 :]


# One line of ASCII words and punctuation that means nothing to YAML where it stands: no
# indicator first, no `:`, `#`, quote, backslash or bracket anywhere, no space at either end.
_SIMPLE = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 .,;()/?!'|&+=*$%@_-]*(?<! )")


def _simple_string(value: Any, template: Node | None, layout: Layout) -> str | None:
    """What the emitter writes for a plain one-line string in the template's style, without
    running it (the emitter's run is most of an edit's rendering); None for anything else.

    For such a string the emitter keeps the asked style and writes the text as it is: plain
    (when it reads back as a string), in single quotes (``'`` doubled), in double quotes
    (nothing to escape), or as a block scalar ``>-``/``|-`` on the next line, indented by the
    mapping indent; nothing is folded at an unlimited width. ``tests/test_render.py`` holds
    this to the emitter's output.
    """
    if type(value) is not str or layout.width != UNLIMITED_WIDTH or not _SIMPLE.fullmatch(value):
        return None
    if template is not None:
        template = template.resolved()
    if template is None or template.kind != SCALAR or template.tag != _values.STR:
        style = ""
    else:
        style = template.style
    if style == "":
        return " " + value if _values.is_plain_string(value) else None
    if style == "'":
        return " '" + value.replace("'", "''") + "'"
    if style == '"':
        return ' "' + value + '"'
    return f" {style}-\n" + " " * layout.map_indent + value


# A line ending in a block scalar header with the emitter's indentation indicator: after a
# key (`key: |2-`, perhaps after dashes) or after dashes alone (`- |2`).
_INDICATED_HEADER = re.compile(r"( *(?:-[ ]+)*)(.*?)([|>])2([-+]?)")


def _fix_indicators(text: str, layout: Layout) -> str:
    """ruamel.yaml writes every indentation indicator as 2 (``|2-``) while it indents the
    content by the mapping indent under a key and by the dash gap under a dash: make each
    indicator say the indentation it used. (Indicators count from the parent's column: the
    key's, or the dash's.)"""
    if (layout.map_indent == 2 and layout.dash_gap == 2) or ("|2" not in text and ">2" not in text):
        return text  # every indicator already says 2, or there is none
    lines = text.split("\n")
    inside: int | None = None  # the parent column of the block scalar whose lines follow
    for index, line in enumerate(lines):
        if inside is not None:
            if not line.strip(" ") or len(line) - len(line.lstrip(" ")) > inside:
                continue  # the scalar's content
            inside = None
        header = _INDICATED_HEADER.fullmatch(line)
        if header is None:
            continue
        lead, before = header[1], header[2]
        if before.endswith(": ") or before == ":":
            inside, step = len(lead), layout.map_indent
        elif not before and lead.strip():
            inside, step = len(lead.rstrip(" ")) - 1, layout.dash_gap
        else:
            continue
        if 1 <= step <= 9:
            lines[index] = f"{lead}{before}{header[3]}{step}{header[4]}"
    return "\n".join(lines)


def emit_flow_item(value: Any, template: Node | None) -> str:
    """The text of ``value`` as one item inside a flow collection, on one line."""
    builder = _Events()
    builder.flow_depth = 1
    builder.value(value, template, (0,))
    events = [SequenceStartEvent(None, _SEQ_TAG, True, flow_style=True), *builder.events]
    text = _emit([*events, SequenceEndEvent()], Layout(), root=True)
    return text[1:-1]


def emit_items(values: list[Any], template: Node | None, layout: Layout) -> str:
    """The text of block sequence items ``- value`` with the dash at column 0 and the layout's
    dash gap, without final newline (one emitter run for them all)."""
    builder = _Events()
    for index, value in enumerate(values):
        builder.value(value, template, (index,))
    body = [SequenceStartEvent(None, _SEQ_TAG, True, flow_style=False), *builder.events]
    layout = Layout(layout.map_indent, 0, layout.width, layout.dash_gap)
    return _emit([*body, SequenceEndEvent()], layout, root=True)


def emit_item(value: Any, template: Node | None, layout: Layout) -> str:
    """The text that follows the dash and its gap for one block sequence item; lines relative
    to the dash (what follows the dash's blanks is the item)."""
    return emit_items([value], template, layout)[1:].lstrip(" ")


def emit_document(value: dict[Any, Any], layout: Layout) -> str:
    """A whole block mapping at column 0 (the last resort: the front matter re-rendered)."""
    builder = _Events()
    for key, item in value.items():
        builder.scalar(key, None, ())
        builder.value(item, None, (key,))
    return _emit(builder.events, layout)


def _emit(body: list[Any], layout: Layout, root: bool = False) -> str:
    out = io.StringIO()
    emitter = _Emitter(out, width=layout.width, allow_unicode=True)
    emitter.best_map_indent = layout.map_indent
    emitter.best_sequence_indent = layout.sequence_indent
    emitter.sequence_dash_offset = layout.dash_offset
    emitter.best_width = layout.width
    events = [
        StreamStartEvent(),
        DocumentStartEvent(explicit=False),
        *(body if root else [MappingStartEvent(None, _MAP_TAG, True, flow_style=False), *body]),
        *([] if root else [MappingEndEvent()]),
        DocumentEndEvent(explicit=False),
        StreamEndEvent(),
    ]
    for event in events:
        emitter.emit(event)
    text = out.getvalue()
    if text.endswith("\n...\n"):
        text = text[:-4]
    return _fix_indicators(text[:-1] if text.endswith("\n") else text, layout)


def _offset_problem(value: Any) -> str | None:
    """Why a datetime's UTC offset cannot be written (see :func:`engine.tree.uneven_offset`):
    it would be written as text no parser reads."""
    offset = uneven_offset(value)
    return None if offset is None else f"YAML offsets are whole minutes, not {offset}"


def first_unrepresentable(value: Any) -> UnrepresentableValueError:
    """The error naming the first key or value of ``value`` YAML front matter cannot hold."""
    found = _find_unrepresentable(value, ())
    if found is None:  # pragma: no cover - only reached if the emitter and this walk disagree
        return UnrepresentableValueError("cannot write this data to YAML front matter")
    bad, at, what = found
    problem = _offset_problem(bad)
    keys = (*at, bad) if what == "key" else at
    if problem is not None:
        return UnrepresentableValueError(
            f"{keypath.format(keys) or '<root>'}: cannot write this {what} to YAML front "
            f"matter: {problem}",
            keys=keys,
        )
    return UnrepresentableValueError(
        f"{keypath.format(at) or '<root>'}: cannot write a {what} of type "
        f"{type(bad).__name__} to YAML front matter",
        keys=keys,
    )


def _find_unrepresentable(
    value: Any, where: tuple[Any, ...]
) -> tuple[Any, tuple[Any, ...], str] | None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, SCALAR_TYPES) or isinstance(key, bytes) or _offset_problem(key):
                return key, where, "key"
            found = _find_unrepresentable(item, (*where, key))
            if found is not None:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_unrepresentable(item, (*where, index))
            if found is not None:
                return found
        return None
    if isinstance(value, SCALAR_TYPES) and not _offset_problem(value):
        return None
    return value, where, "value"
