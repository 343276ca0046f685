"""Diff the parsed node tree against the current data and turn differences into text patches.

Each patch replaces one span of the original front matter: a scalar's own text, one mapping
entry's lines, one sequence item's lines, or a point where new entries are inserted. Whatever
cannot be patched in place raises ``_Rerender`` and is rendered whole one level up, so the
result is always the smallest enclosing piece the engine can write faithfully.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, cast

from frontmatter_qt.engine.equality import (
    MISSING,
    ExactKeys,
    fingerprint,
    key_token,
    same_scalar,
)
from frontmatter_qt.engine.memo import Memo
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml.nodes import (
    ALIAS,
    BOM,
    MAPPING,
    SCALAR,
    SEQUENCE,
    Node,
    to_python,
)
from frontmatter_qt.formats.yaml.render import (
    UNLIMITED_WIDTH,
    Layout,
    emit_document,
    emit_entries,
    emit_flow_item,
    emit_item,
    emit_items,
    emit_value,
    flow_readable,
)

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_COMMENT = re.compile(r"[ \t]+#[^\r\n]*")
# A line holding only a sequence dash (and perhaps a comment): its item starts on a later line.
_LONE_DASH = re.compile(r"[ ]*(-)(?:[ \t]+#[^\r\n]*)?[ \t]*\r?")
# How many insertions and deletions the list alignment looks for before it pairs items by
# position instead (each costs one pass over the list at most: the alignment stays linear).
_MAX_ALIGN_EDITS = 16
_EMITTED: Memo[tuple[Any, ...], str] = Memo(1024)
_MEMO_MAX_TEXT = 512


class _Rerender(Exception):
    """This node cannot be patched in place; its parent re-renders it whole."""


def node_equals(node: Node, value: Any) -> bool:
    """Whether the node reads as ``value``, type-exactly (keys included: ``1`` is not ``True``).

    A loop over a stack of collections, like :func:`~frontmatter_qt.engine.equality.same_value`;
    scalars are compared where they are met (this runs on every node of every dumps).
    """
    pending = [(node, value)]
    while pending:
        node, value = pending.pop()
        if node.target is not None:
            node = node.target
        if node.kind == SCALAR:
            if isinstance(value, (dict, list)) or not same_scalar(node.value, value):
                return False
            continue
        if node.kind == MAPPING:
            if not isinstance(value, dict) or len(value) != len(node.pairs):
                return False
            exact: ExactKeys | None = None
            for key, item in node.pairs:
                if type(key.value) is str:
                    other = value.get(key.value, MISSING)
                else:
                    if exact is None:
                        exact = ExactKeys(value)
                    other = exact.get(key.value, MISSING)
                if other is MISSING:
                    return False
                target = item.target if item.target is not None else item
                if target.kind != SCALAR:
                    pending.append((target, other))
                elif isinstance(other, (dict, list)) or not same_scalar(target.value, other):
                    return False
        else:
            if not isinstance(value, list) or len(value) != len(node.items):
                return False
            for item, other in zip(node.items, value, strict=True):
                target = item.target if item.target is not None else item
                if target.kind != SCALAR:
                    pending.append((target, other))
                elif isinstance(other, (dict, list)) or not same_scalar(target.value, other):
                    return False
    return True


# ---------------------------------------------------------------------------------------------


class Editor:
    """Computes patches that turn ``source`` (the front matter text) into one holding ``data``."""

    def __init__(self, source: str, newline: str) -> None:
        self.src = source
        self.nl = newline
        self._layout: Layout | None = None
        # Unchanged aliases, with how to write each out in full should its anchor change.
        self._alias_sites: list[tuple[Node, Callable[[], Patch]]] = []
        # content_end per node (by id; the tree outlives the editor): a long block scalar is
        # scanned once, however many edits ask where it ends.
        self._content_ends: dict[int, int] = {}
        # A U+FEFF opening the front matter is not YAML content (libyaml skips it): the first
        # line starts after it, so columns, line heads and deleted lines leave it alone.
        self._first_line = 1 if source.startswith(BOM) else 0

    # -- text geometry ------------------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        start = self.src.rfind("\n", 0, pos) + 1
        return self._first_line if start == 0 and pos > 0 else start

    def line_end(self, pos: int) -> int:
        """Offset of the line break that ends the line holding ``pos`` (before a CR)."""
        end = self.src.find("\n", pos)
        if end == -1:
            return len(self.src)
        return end - 1 if end > 0 and self.src[end - 1] == "\r" else end

    def after_line(self, pos: int) -> int:
        end = self.src.find("\n", pos)
        return len(self.src) if end == -1 else end + 1

    def column(self, pos: int) -> int:
        return pos - self.line_start(pos)

    def at_line_head(self, pos: int) -> bool:
        return self.src[self.line_start(pos) : pos].strip(" ") == ""

    def content_end(self, node: Node) -> int:
        """End of a node's own text: trailing blank lines of block scalars excluded."""
        while node.kind in (MAPPING, SEQUENCE) and not node.flow:
            node = node.pairs[-1][1] if node.kind == MAPPING else node.items[-1]
        if node.kind != SCALAR or node.style not in ("|", ">"):
            return node.end
        end = self._content_ends.get(id(node))
        if end is None:
            if self.keeps_trailing_lines(node):
                end = self.line_end(max(node.end - 1, node.start))
            else:
                end = self.block_content_end(node)
            self._content_ends[id(node)] = end
        return end

    def block_content_end(self, node: Node) -> int:
        """End of a block scalar's last content line. Trailing lines of spaces no deeper than
        the content indentation are empty lines, not content; deeper ones are content."""
        lines: list[tuple[int, str]] = []
        offset = self.after_line(node.body)
        for line in self.src[offset : node.end].split("\n"):
            lines.append((offset, line.rstrip("\r")))
            offset += len(line) + 1
        indents = [len(text) - len(text.lstrip(" ")) for _, text in lines if text.strip()]
        indent = min(indents, default=0)
        for start, text in reversed(lines):
            if text.strip() or (indents and len(text) > indent):
                return self.line_end(start)
        return self.line_end(node.body)

    def ends_with_block_scalar(self, node: Node) -> bool:
        """True if the node's text ends with a block scalar: whitespace-only lines freed below
        it by a deletion would join it (blank lines under ``|+``, deeper spaces under any)."""
        while node.kind in (MAPPING, SEQUENCE) and not node.flow:
            node = node.pairs[-1][1] if node.kind == MAPPING else node.items[-1]
        return node.kind == SCALAR and node.style in ("|", ">")

    def keeps_trailing_lines(self, node: Node) -> bool:
        """A block scalar with keep chomping (``|+``): its trailing blank lines are content."""
        header = _BLOCK_HEADER.match(self.src, node.body)
        return header is not None and "+" in header.group()

    def entry_head(self, key: Node) -> int:
        """Where a key's entry starts: the ``?`` of an explicit key, else the key."""
        before = key.start - 1
        while before >= 0 and self.src[before] == " ":
            before -= 1
        if before >= 0 and self.src[before] == "?":
            return before
        return key.start

    def key_column(self, key: Node) -> int:
        """The column a key's entry starts at: the ``?`` of an explicit key, else the key."""
        return self.column(self.entry_head(key))

    def entry_start(self, node: Node) -> int:
        """The offset of a block collection's first entry (after any anchor or tag)."""
        if node.kind == MAPPING and node.pairs:
            return self.entry_head(node.pairs[0][0])
        if node.kind == SEQUENCE and node.items:
            dash = self.dash_of(node.items[0])
            return dash if dash is not None else node.start
        return node.start

    def entry_column(self, node: Node) -> int:
        return self.column(self.entry_start(node))

    def dash_of(self, item: Node) -> int | None:
        """Offset of the ``-`` that introduces a block sequence item: on the item's own line,
        or, for an item that starts a line, alone on an earlier line (``-`` or ``- # note``)
        with only blank and comment lines between. None if there is no such dash."""
        pos = item.start - 1
        while pos >= 0 and self.src[pos] == " ":
            pos -= 1
        if pos >= 0 and self.src[pos] == "-" and self.at_line_head(pos):
            return pos
        if pos < 0 or self.src[pos] != "\n":
            return None
        line = self.line_start(item.start)
        while line > self._first_line:
            previous = self.line_start(line - 1)
            text = self.src[previous : line - 1]
            if text.strip(" \t\r") and not text.lstrip(" \t").startswith("#"):
                dash = _LONE_DASH.fullmatch(text)
                return previous + dash.start(1) if dash is not None else None
            line = previous
        return None

    def item_on_own_line(self, item: Node, dash: int) -> bool:
        """The item starts on a line after its dash's."""
        return self.line_start(item.start) != self.line_start(dash)

    def header_comment(self, node: Node) -> str:
        """The comment after a block scalar's header (``|  # note``), with its leading blanks;
        ``""`` for other nodes."""
        if node.kind != SCALAR or node.style not in ("|", ">"):
            return ""
        header = _BLOCK_HEADER.match(self.src, node.body)
        if header is None:
            return ""
        comment = _COMMENT.match(self.src, header.end(), self.line_end(node.body))
        return comment.group() if comment else ""

    # -- layout -------------------------------------------------------------------------------

    def layout(self, root: Node | None) -> Layout:
        """The file's own nesting habits, read from its first nested mapping and sequence."""
        if self._layout is None:
            self._layout = self._measure_layout(root)
        return self._layout

    def _measure_layout(self, root: Node | None) -> Layout:
        map_indent, dash_offset = 0, -1
        for key, value in root.pairs if root is not None and root.kind == MAPPING else []:
            target = value.resolved()
            if target.flow or target.kind == SCALAR or value.kind == ALIAS:
                continue
            if map_indent if target.kind == MAPPING else dash_offset >= 0:
                continue  # already measured on an earlier sibling
            if self.line_start(self.entry_start(target)) <= key.end:
                continue  # first entry on the key's own line: says nothing about indentation
            step = self.entry_column(target) - self.key_column(key)
            if target.kind == MAPPING and not map_indent and step > 0:
                map_indent = step
            elif target.kind == SEQUENCE and dash_offset < 0 and step >= 0:
                dash_offset = step
        return Layout(map_indent=map_indent or 2, dash_offset=max(dash_offset, 0))

    def layout_like(self, template: Node | None, key_col: int, base: Layout) -> Layout:
        """``base``, with the indentation a sibling or original value actually used."""
        if template is None or template.flow or template.kind in (SCALAR, ALIAS):
            return base
        step = self.entry_column(template) - key_col
        if template.kind == MAPPING and step > 0:
            return Layout(step, base.dash_offset, base.width)
        if template.kind == SEQUENCE and step >= 0:
            return Layout(base.map_indent, step, base.width)
        return base

    # -- diffing ------------------------------------------------------------------------------

    def diff_root(self, root: Node | None, data: dict[Any, Any]) -> list[Patch]:
        if root is None:
            return self.insert_entries(None, list(data.items()), len(self.src), 0)
        if root.aliased and node_equals(root, data):
            # Nothing differs: the text already reads as the data. (Below, collections holding
            # aliases are walked even when equal, to note the aliases; others are skipped.)
            return []
        base = self.layout(root)
        try:
            if root.kind == MAPPING and not root.flow:
                patches = self.diff_mapping(root, data, base, may_empty=True)
            else:
                patches = self.diff_value(root, data, -1, base)
            patches = _settle(patches + self.expand_stale_aliases(patches))
            return self.without_lone_bom(patches) if not data else patches
        except _Rerender:
            text = emit_document(data, base)
            return [Patch(self._first_line, len(self.src), self.reindent(text, 0) + self.nl)]

    def without_lone_bom(self, patches: list[Patch]) -> list[Patch]:
        """Deletions that take everything after a U+FEFF opening the front matter take it too:
        alone, it would join the closing `---` line (which then closes nothing)."""
        if not self._first_line or any(p.text for p in patches):
            return patches
        ordered = sorted(patches, key=lambda p: p.start)
        reach = self._first_line
        for patch in ordered:
            if patch.start != reach:
                return patches
            reach = patch.end
        if reach != len(self.src):
            return patches
        return [Patch(0, ordered[0].end, ""), *ordered[1:]]

    def diff_value(self, node: Node, new: Any, parent_col: int, base: Layout) -> list[Patch]:
        if node_equals(node, new) and not (node.aliased and node.kind != ALIAS):
            return []
        if node.kind == SCALAR and not isinstance(new, (dict, list)):
            return [self.replace_scalar(node, new, parent_col, base)]
        if node.flow and isinstance(new, (dict, list)):
            return self.diff_flow(node, new, base)
        if node.kind == MAPPING and isinstance(new, dict):
            return self.diff_mapping(node, new, base)
        if node.kind == SEQUENCE and isinstance(new, list):
            return self.diff_sequence(node, new, base)
        raise _Rerender

    def diff_flow(self, node: Node, new: dict[Any, Any] | list[Any], base: Layout) -> list[Patch]:
        """Items of a flow collection are patched one by one while its shape stays (so its
        line breaks and comments stay too); otherwise it is written anew in flow style."""
        if node.kind == SEQUENCE and isinstance(new, list) and len(new) == len(node.items):
            pairs = list(zip(node.items, new, strict=True))
        elif (
            node.kind == MAPPING
            and isinstance(new, dict)
            and len(new) == len(node.pairs)
            and all(same_scalar(k, key.value) for k, (key, _) in zip(new, node.pairs, strict=True))
        ):
            pairs = [(value, new[key.value]) for key, value in node.pairs]
        else:
            return [self.replace_flow(node, new, base)]
        patches: list[Patch] = []
        try:
            for item, value in pairs:
                if node_equals(item, value):
                    continue
                if item.flow and isinstance(value, (dict, list)):
                    patches += self.diff_flow(item, value, base)
                elif (
                    item.kind == SCALAR
                    and item.end > item.start
                    and not isinstance(value, (dict, list))
                ):
                    patches.append(self.replace_flow_scalar(item, value))
                else:
                    raise _Rerender
        except _Rerender:
            return [self.replace_flow(node, new, base)]
        return patches

    def diff_mapping(
        self, node: Node, new: dict[Any, Any], base: Layout, may_empty: bool = False
    ) -> list[Patch]:
        patches: list[Patch] = []
        exact = ExactKeys(new)  # a key is kept only if its type is too: 1 is not True
        matched: set[Hashable] = set()  # the keys of ``new`` that are in the file (as tokens)
        kept: Node | None = None
        pairs = node.pairs
        index = 0
        while index < len(pairs):
            key, value = pairs[index]
            own = key.value
            if type(own) is not str:
                own = exact.key_of(own)
            elif own not in new:
                own = MISSING
            if own is MISSING:
                if not self.at_line_head(self.entry_head(key)):
                    # the first entry of a mapping that is a list item (`- a: 1`): it shares
                    # its line with the dash, and the next kept entry takes its place there
                    patch, index = self.delete_leading_entries(node, exact, index)
                    patches.append(patch)
                    continue
                # Whitespace-only lines after the deleted entry would join a block scalar above.
                swallow = kept is not None and self.ends_with_block_scalar(kept)
                patches.append(self.delete_entry(key, value, swallow_blank_lines=swallow))
                index += 1
                continue
            index += 1
            matched.add(key_token(own))
            kept = value
            wanted = new[own]
            if not value.aliased and node_equals(value, wanted):
                continue
            if value.kind == ALIAS and node_equals(value, wanted):
                site = partial(self.replace_entry, key, value, wanted, base)
                self._alias_sites.append((value, site))
                continue
            try:
                patches += self.diff_value(value, wanted, self.key_column(key), base)
            except _Rerender:
                patches.append(self.replace_entry(key, value, wanted, base))
        added = (
            [(k, v) for k, v in new.items() if key_token(k) not in matched]
            if len(matched) < len(new)
            else []
        )
        if not new and not may_empty:
            raise _Rerender
        if added:
            last_value = node.pairs[-1][1]
            at = self.after_line(self.content_end(last_value))
            patches += self.insert_entries(node, added, at, self.key_column(node.pairs[0][0]))
        return patches

    def delete_leading_entries(self, node: Node, exact: ExactKeys, index: int) -> tuple[Patch, int]:
        """Delete the entries from ``index`` on that ``exact`` lacks, when the first of them
        does not start its line: the text up to the next kept entry goes, so that entry moves
        up to where the deleted one stood. (The patch and the index of that kept entry.)"""
        pairs = node.pairs
        first = self.entry_head(pairs[index][0])
        while index < len(pairs) and pairs[index][0].value not in exact:
            index += 1
        if index == len(pairs):
            raise _Rerender  # nothing is kept after it: the mapping is written anew
        return Patch(first, self.entry_head(pairs[index][0]), ""), index

    def diff_sequence(self, node: Node, new: list[Any], base: Layout) -> list[Patch]:
        items = node.items
        if not new:
            raise _Rerender
        found = [self.dash_of(item) for item in items]
        if None in found:
            raise _Rerender
        dashes = cast("list[int]", found)
        dash_col = self.column(dashes[0])
        patches: list[Patch] = []
        previous: int | None = None  # index of the last old item that stays (kept or changed)
        inserted: list[Any] = []
        for old, index in _align(items, new):
            if old is None:  # a new item: written after the last old item that stays
                if index is not None:
                    inserted.append(new[index])
                continue
            if inserted:
                patches.append(self.insert_items(items, dashes, previous, inserted, base))
                inserted = []
            item, dash = items[old], dashes[old]
            if index is None:
                swallow = previous is not None and self.ends_with_block_scalar(items[previous])
                patches.append(self.delete_lines(dash, item, swallow))
                continue
            previous = old
            value = new[index]
            if item.kind == ALIAS and node_equals(item, value):
                site = partial(self.replace_item, item, value, dash, base)
                self._alias_sites.append((item, site))
            elif not item.aliased and node_equals(item, value):
                continue
            else:  # changed, or holds aliases (walking it registers them)
                try:
                    patches += self.diff_value(item, value, dash_col, base)
                except _Rerender:
                    patches.append(self.replace_item(item, value, dash, base))
        if inserted:
            patches.append(self.insert_items(items, dashes, previous, inserted, base))
        return patches

    def insert_items(
        self,
        items: list[Node],
        dashes: list[int],
        previous: int | None,
        values: list[Any],
        base: Layout,
    ) -> Patch:
        """New items after ``items[previous]`` (before the first item if None)."""
        first = dashes[0]
        dash_col = self.column(first)
        if previous is None:
            at, template = self.line_start(first), items[0]
        else:
            at, template = self.after_line(self.content_end(items[previous])), items[previous]
        text = " " * dash_col + self.reindent(emit_items(values, template, base), dash_col)
        if previous is not None and _ends_keeping_lines(text, self.nl):
            at = self.past_blank_lines(at)
        return Patch(at, at, text + self.nl)

    def expand_stale_aliases(self, patches: list[Patch]) -> list[Patch]:
        """Aliases whose anchored node is being changed or deleted are written out in full
        with the value they still hold, so they keep it (the data loads aliases as copies)."""
        if not self._alias_sites:
            return []
        changed = _Spans(patches)
        expanded: list[Patch] = []
        for alias, write_out in self._alias_sites:
            target = alias.resolved()
            low, high = target.start, self.content_end(target)
            if (
                changed.touch(low, high)
                and not changed.touch(alias.start, alias.end)
                and not any(_touches(p, alias.start, alias.end) for p in expanded)
            ):
                expanded.append(write_out())
        return expanded

    # -- patches ------------------------------------------------------------------------------

    def replace_scalar(self, node: Node, new: Any, parent_col: int, base: Layout) -> Patch:
        if node.kind == ALIAS:
            raise _Rerender
        start = node.body
        block = node.style in ("|", ">")
        content_end = self.content_end(node)
        indent = self.block_indent(node, parent_col) if block else base.map_indent
        width = self.original_width(node, parent_col, content_end)
        key_width = max(self.column(start) - parent_col - 2, 1)
        text = self.reindent(self.emit_within(new, node, indent, width, key_width), parent_col)
        anchor = f"&{node.anchor} " if node.anchor is not None else ""
        if not block:
            if node.start == node.end and self.src[node.start - 1 : node.start] in (":", "-"):
                text = " " + text
            return Patch(node.start, node.end, anchor + text)
        header = _BLOCK_HEADER.match(self.src, start)
        header_end = header.end() if header else start + 1
        tail = self.src[header_end : self.line_end(start)]
        if text[:1] in ("|", ">"):
            first, nl, rest = text.partition(self.nl)
            new_text = anchor + first + tail + nl + rest
        else:  # the emitter left block style: the header's comment goes after the value
            new_text = anchor + text + tail
        new_header = text.partition(self.nl)[0] if text[:1] in ("|", ">") else ""
        keeps = self.keeps_trailing_lines(node) or "+" in new_header
        end = self.line_end(max(node.end - 1, start)) if keeps else content_end
        return Patch(node.start, max(end, self.line_end(start)), new_text)

    @staticmethod
    def emit_within(new: Any, node: Node, indent: int, width: int, key_width: int) -> str:
        """The scalar's text (see :func:`_emit_within`); a bulk edit writes the same string
        into the same kind of place in file after file, so strings are memoised."""
        if type(new) is not str or len(new) > _MEMO_MAX_TEXT:
            return _emit_within(new, node, indent, width, key_width)
        key = (new, node.kind, node.style, node.tag, indent, width, key_width)
        return _EMITTED(key, lambda: _emit_within(new, node, indent, width, key_width))

    def block_indent(self, node: Node, parent_col: int) -> int:
        """The content indentation of a block scalar, relative to its parent's column."""
        header = _BLOCK_HEADER.match(self.src, node.body)
        digits = [c for c in header.group() if c.isdigit()] if header else []
        if digits:
            return int(digits[0])
        for line in self.src[self.after_line(node.body) : node.end].split("\n"):
            if line.strip():
                return max(len(line) - len(line.lstrip(" ")) - parent_col, 1)
        return 2

    def original_width(self, node: Node, parent_col: int, content_end: int) -> int:
        """The width a wrapped scalar was written at: its widest line that continues on the
        next line. Unlimited for a value that was never wrapped."""
        if node.style == "|":
            return UNLIMITED_WIDTH
        first = self.after_line(node.body) if node.style == ">" else node.body
        lines = [line.rstrip("\r") for line in self.src[first:content_end].split("\n")]
        wrapped = [a for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
        if not wrapped:
            return UNLIMITED_WIDTH
        return max(max(len(line) for line in wrapped) - max(parent_col, 0), 20)

    def replace_flow_scalar(self, node: Node, new: Any) -> Patch:
        if not flow_readable(new):
            raise _Rerender
        anchor = f"&{node.anchor} " if node.anchor is not None else ""
        return Patch(node.start, node.end, anchor + emit_flow_item(new, node))

    def replace_flow(self, node: Node, new: Any, base: Layout) -> Patch:
        text = emit_value(new, node, Layout(base.map_indent, base.dash_offset))
        if not text.startswith(" "):  # the emitter had to leave flow style
            raise _Rerender
        return Patch(node.start, node.end, self.reindent(text[1:], self.column(node.start)))

    def replace_entry(self, key: Node, value: Node, new: Any, base: Layout) -> Patch:
        key_col = self.key_column(key)
        layout = self.layout_like(value.resolved(), key_col, base)
        rendered = emit_value(new, value, layout)
        end = self.content_end(value)
        found = self.key_line_comment(key, value)
        comment = found.group() if found else self.header_comment(value)
        if not comment and rendered.startswith("\n"):
            # An inline value's trailing comment moves up to the key line with the new block.
            trailing = _COMMENT.match(self.src, end, self.line_end(end))
            if trailing is not None:
                comment, end = trailing.group(), trailing.end()
        if self.entry_head(key) != key.start:  # `? key` / `: value`: keep all up to the `:`
            colon = self.value_indicator(value)
            text = _with_comment(rendered, comment)
            return Patch(colon + 1, end, self.reindent(text, key_col))
        text = self.src[key.start : key.end] + ":" + _with_comment(rendered, comment)
        return Patch(key.start, end, self.reindent(text, key_col))

    def value_indicator(self, value: Node) -> int:
        """The ``:`` before the value of an explicit (``? key``) entry, on the value's line."""
        pos = value.start - 1
        while pos >= 0 and self.src[pos] == " ":
            pos -= 1
        if pos < 0 or self.src[pos] != ":":
            raise _Rerender  # the value starts on a line below its `:`
        return pos

    def key_line_comment(self, key: Node, value: Node) -> re.Match[str] | None:
        """A comment after ``key:`` when the value itself starts on a later line."""
        key_line_end = self.line_end(key.end)
        if value.start <= key_line_end:
            return None
        colon = self.src.find(":", key.end, key_line_end)
        return _COMMENT.match(self.src, colon + 1, key_line_end) if colon != -1 else None

    def replace_item(self, item: Node, new: Any, dash: int, base: Layout) -> Patch:
        """``item`` (introduced by the ``-`` at ``dash``) written anew as ``new``."""
        dash_col = self.column(dash)
        text = emit_item(new, item, base)  # follows "- "; later lines relative to the dash
        end = self.content_end(item)
        if self.item_on_own_line(item, dash):
            # `-` (or `- # note`) alone on its line: that line stays; the value goes below it
            col = max(self.column(item.start), dash_col + 2)
            return Patch(self.line_start(item.start), end, " " * col + self.reindent(text, col - 2))
        start, comment = item.start, self.header_comment(item)
        if item.start == item.end:  # an empty item: the value goes right after its dash
            end = self.line_end(item.start)
            tail = self.src[item.start : end]
            comment = tail if tail.strip() else ""
            text = " " + text
        if comment and "\n" in text and isinstance(new, (dict, list)):
            # a block collection: the comment stays on the dash line, the value goes below
            col = dash_col + 2
            lead = comment if item.start == item.end else comment.lstrip()
            text = lead + "\n" + " " * col + self.reindent(text.lstrip(" "), col - 2)
            return Patch(start, end, text.replace("\n", self.nl))
        return Patch(start, end, self.reindent(_with_comment(text, comment), dash_col))

    def delete_entry(self, key: Node, value: Node, swallow_blank_lines: bool = False) -> Patch:
        """The lines of an entry whose key (or ``?``) starts its line."""
        return self.delete_lines(self.entry_head(key), value, swallow_blank_lines)

    def delete_lines(self, first: int, last: Node, swallow_blank_lines: bool) -> Patch:
        """The lines from ``first``'s line to the end of ``last``'s text (and, when asked, the
        blank lines right after them)."""
        end = self.after_line(self.content_end(last))
        while swallow_blank_lines and end < len(self.src):
            following = self.after_line(end)
            if self.src[end:following].strip():
                break
            end = following
        return Patch(self.line_start(first), end, "")

    def insert_entries(
        self, node: Node | None, entries: list[tuple[Any, Any]], at: int, col: int
    ) -> list[Patch]:
        if not entries:
            return []
        base = self.layout(node if node is not None else None)
        templates = _last_of_each_kind(node)
        parts = []
        # Entries whose values are of one kind share a template and layout: one emitter run
        for _, group in itertools.groupby(entries, key=lambda entry: _kind_of(entry[1])):
            run = list(group)
            template = templates.get(_kind_of(run[0][1]))
            layout = self.layout_like(template, col, base) if template is not None else base
            text = self.reindent(emit_entries(run, template, layout), col)
            parts += [" " * col, text, self.nl]
        if _ends_keeping_lines(parts[-2], self.nl):
            at = self.past_blank_lines(at)
        lead = self.nl if at == len(self.src) and self.src and not self.src.endswith("\n") else ""
        return [Patch(at, at, lead + "".join(parts))]

    def past_blank_lines(self, at: int) -> int:
        """The start of the first line from ``at`` on that is not whitespace only. New text
        that ends in a block scalar keeping its trailing lines (``|+``) goes there: blank
        lines after it would join its value."""
        while at < len(self.src):
            following = self.after_line(at)
            if self.src[at:following].strip():
                break
            at = following
        return at

    def reindent(self, text: str, col: int) -> str:
        """Shift continuation lines right by ``col`` and use the file's newline."""
        lines = text.split("\n")
        pad = " " * max(col, 0)
        shifted = [lines[0], *((pad + line) if line else line for line in lines[1:])]
        return self.nl.join(shifted)


def _settle(patches: list[Patch]) -> list[Patch]:
    """A deletion that swallowed blank lines past a point where entries are inserted stops at
    that point (the blank lines then follow the new entries, harmlessly)."""
    points = sorted(p.start for p in patches if p.start == p.end)
    if not points:
        return patches
    settled = []
    for patch in patches:
        if not patch.text and patch.end > patch.start:
            inside = bisect.bisect_right(points, patch.start)
            if inside < len(points) and points[inside] < patch.end:
                patch = Patch(patch.start, points[inside], "")
        settled.append(patch)
    return settled


class _Spans:
    """The spans of a set of non-overlapping patches, asked which of them touch a range."""

    def __init__(self, patches: list[Patch]) -> None:
        ordered = sorted(patches, key=lambda p: (p.start, p.end))
        self.starts = [p.start for p in ordered]
        self.ends = [p.end for p in ordered]

    def touch(self, low: int, high: int) -> bool:
        """Whether a patch changes text in ``[low, high)`` (as :func:`_touches`)."""
        # Patches starting at or before ``low``: only the last can reach past it (the patches
        # do not overlap, so their ends rise with their starts); an insertion there does not.
        after = bisect.bisect_right(self.starts, low)
        if after and self.ends[after - 1] > low and self.starts[after - 1] < high:
            return True
        # A patch starting strictly inside the range touches it.
        return after < len(self.starts) and self.starts[after] < high


def _touches(patch: Patch, low: int, high: int) -> bool:
    """Whether a patch changes text in ``[low, high)`` (an insertion strictly inside counts)."""
    if patch.start == patch.end:
        return low < patch.start < high
    return patch.start < high and patch.end > low


def _ends_keeping_lines(text: str, newline: str) -> bool:
    """Whether emitted text ends with a whitespace-only line: only a block scalar that keeps
    its trailing lines (``|+``) ends so, and further such lines would join its value."""
    _, separator, last = text.rpartition(newline)
    return bool(separator) and not last.strip(" ")


def _with_comment(text: str, comment: str) -> str:
    """``text`` (what follows ``key:`` or ``- ``) with a comment kept where YAML reads it as
    one: on the line of a block header, else after the text's last line."""
    if not comment:
        return text
    if text.startswith("\n"):  # a block collection below: the comment stays on the key line
        return comment + text
    first, newline, rest = text.partition("\n")
    if newline and first.lstrip()[:1] in ("|", ">"):
        return first + comment + newline + rest
    return text + comment


def _kind_of(value: Any) -> str:
    return MAPPING if isinstance(value, dict) else SEQUENCE if isinstance(value, list) else ""


def _last_of_each_kind(node: Node | None) -> dict[str, Node]:
    """The last mapping and the last sequence among a mapping's values: the nearest earlier
    sibling whose formatting a new value of that kind copies."""
    found: dict[str, Node] = {}
    for _, sibling in reversed(node.pairs if node is not None else []):
        found.setdefault(sibling.resolved().kind, sibling.resolved())
        if MAPPING in found and SEQUENCE in found:
            break
    return found


def _align(items: list[Node], new: list[Any]) -> list[tuple[int | None, int | None]]:
    """Which old item becomes which new one, in list order: ``(old, new)`` indexes; ``(old,
    None)`` is deleted, ``(None, new)`` inserted. A pair may differ (the item is changed).

    Equal items at both ends pair first. In between: a pure deletion or insertion pairs every
    item it can (one pass); otherwise the shortest edit (Myers, up to ``_MAX_ALIGN_EDITS``
    insertions and deletions, over fingerprints of the items); otherwise items pair by
    position. Each step is linear in the size of the list.
    """
    n, m = len(items), len(new)
    prefix = 0
    while prefix < min(n, m) and node_equals(items[prefix], new[prefix]):
        prefix += 1
    suffix = 0
    while suffix < min(n, m) - prefix and node_equals(items[n - 1 - suffix], new[m - 1 - suffix]):
        suffix += 1
    middle = _align_middle(items[prefix : n - suffix], new[prefix : m - suffix])
    return [
        *((i, i) for i in range(prefix)),
        *(
            (None if i is None else i + prefix, None if j is None else j + prefix)
            for i, j in middle
        ),
        *((n - suffix + i, m - suffix + i) for i in range(suffix)),
    ]


def _align_middle(old: list[Node], new: list[Any]) -> list[tuple[int | None, int | None]]:
    if old and new and len(old) != len(new):
        greedy = _subsequence(old, new) if len(old) > len(new) else None
        if greedy is None and len(old) < len(new):
            greedy = _supersequence(old, new)
        if greedy is not None:
            return greedy
    if old and new:
        codes: dict[Hashable, int] = {}
        a = [codes.setdefault(fingerprint(to_python(item)), len(codes)) for item in old]
        b = [codes.setdefault(fingerprint(value), len(codes)) for value in new]
        edits = _shortest_edit(a, b, _MAX_ALIGN_EDITS)
        if edits is not None:
            return _pair_changes(edits)
    return _pair_changes(
        [*((i, None) for i in range(len(old))), *((None, j) for j in range(len(new)))]
    )


def _subsequence(old: list[Node], new: list[Any]) -> list[tuple[int | None, int | None]] | None:
    """Items deleted only: ``new`` matched in ``old`` from the left, or None if it is not in."""
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, item in enumerate(old):
        if j < len(new) and node_equals(item, new[j]):
            pairs.append((i, j))
            j += 1
        else:
            pairs.append((i, None))
    return pairs if j == len(new) else None


def _supersequence(old: list[Node], new: list[Any]) -> list[tuple[int | None, int | None]] | None:
    """Items inserted only: ``old`` matched in ``new`` from the left, or None."""
    pairs: list[tuple[int | None, int | None]] = []
    i = 0
    for j, value in enumerate(new):
        if i < len(old) and node_equals(old[i], value):
            pairs.append((i, j))
            i += 1
        else:
            pairs.append((None, j))
    return pairs if i == len(old) else None


def _shortest_edit(
    a: list[int], b: list[int], max_edits: int
) -> list[tuple[int | None, int | None]] | None:
    """Myers' shortest edit script from ``a`` to ``b`` as ``(i, j)`` keeps, ``(i, None)``
    deletions and ``(None, j)`` insertions; None if it takes more than ``max_edits`` edits."""
    n, m = len(a), len(b)
    # Per edit count d, per diagonal k = x - y: (furthest x, x before the snake, diagonal come
    # from); x of -1 marks a diagonal no path of d edits reaches inside the grid.
    rows: list[dict[int, tuple[int, int, int]]] = []
    reach = {1: 0}
    for d in range(max_edits + 1):
        row: dict[int, tuple[int, int, int]] = {}
        for k in range(-d, d + 1, 2):
            down = reach.get(k + 1, -1)  # insertion: from diagonal k + 1, same x
            before = reach.get(k - 1, -1)  # deletion: from diagonal k - 1, one x further
            right = before + 1 if before >= 0 else -1
            down_ok = down >= 0 and down - k <= m
            right_ok = 0 < right <= n
            if not (down_ok or right_ok):
                continue
            if down_ok and (not right_ok or down >= right):
                x, origin = down, k + 1
            else:
                x, origin = right, k - 1
            start = x
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            row[k] = (x, start, origin)
            if x == n and y == m:
                rows.append(row)
                return _edit_path(rows, n - m)
        rows.append(row)
        reach = {k: entry[0] for k, entry in row.items()}
    return None


def _edit_path(
    rows: list[dict[int, tuple[int, int, int]]], k: int
) -> list[tuple[int | None, int | None]]:
    path: list[tuple[int | None, int | None]] = []
    for d in range(len(rows) - 1, -1, -1):
        x, start, origin = rows[d][k]
        while x > start:
            x -= 1
            path.append((x, x - k))
        if d == 0:
            break
        if origin == k + 1:
            path.append((None, start - k - 1))
        else:
            path.append((start - 1, None))
        k = origin
    path.reverse()
    return path


def _pair_changes(
    path: list[tuple[int | None, int | None]],
) -> list[tuple[int | None, int | None]]:
    """Between kept items, a deleted and an inserted item pair up as one changed item (edited
    in place); what is left over stays a deletion or an insertion."""
    out: list[tuple[int | None, int | None]] = []
    deleted: list[int] = []
    inserted: list[int] = []

    def flush() -> None:
        paired = min(len(deleted), len(inserted))
        out.extend(zip(deleted[:paired], inserted[:paired], strict=True))
        out.extend((i, None) for i in deleted[paired:])
        out.extend((None, j) for j in inserted[paired:])
        deleted.clear()
        inserted.clear()

    for i, j in path:
        if i is None:
            inserted.append(j)  # type: ignore[arg-type]
        elif j is None:
            deleted.append(i)
        else:
            flush()
            out.append((i, j))
    flush()
    return out


def _emit_within(new: Any, node: Node, indent: int, width: int, key_width: int) -> str:
    """The scalar's text; a wrapped value is re-wrapped so no line is wider than before.

    ruamel.yaml breaks a line at the first space *after* the width, so the width asked for
    is lowered until the widest line fits (or a single word is wider than the limit).
    """
    limit, attempt = width, width
    while True:
        layout = Layout(indent, 0, attempt)
        text = emit_value(new, node, layout, key_width)[1:]
        if text.startswith('"') and "\n" in text and width != UNLIMITED_WIDTH:
            # ruamel.yaml may fold a double-quoted scalar right after an escape, which
            # reads back with an extra space: keep double quotes on one line.
            return emit_value(new, node, Layout(indent, 0), key_width)[1:]
        if width == UNLIMITED_WIDTH or attempt < limit // 2:
            return text
        widest = max(len(line) for line in text.split("\n")[1:] or [""])
        if widest <= limit:
            return text
        attempt -= widest - limit
