"""Diff the parsed node tree against the current data and turn differences into text patches.

Each patch replaces one span of the original front matter: a scalar's own text, one mapping
entry's lines, one sequence item's lines, or a point where new entries are inserted. Whatever
cannot be patched in place raises ``_Rerender`` and is rendered whole one level up, so the
result is always the smallest enclosing piece the engine can write faithfully.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from frontmatter_qt.engine.equality import same_scalar
from frontmatter_qt.engine.memo import Memo
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml.nodes import ALIAS, MAPPING, SCALAR, SEQUENCE, Node
from frontmatter_qt.formats.yaml.render import (
    UNLIMITED_WIDTH,
    Layout,
    emit_document,
    emit_entry,
    emit_flow_item,
    emit_item,
    emit_value,
    flow_readable,
)

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_COMMENT = re.compile(r"[ \t]+#[^\r\n]*")
_EMITTED: Memo[tuple[Any, ...], str] = Memo(1024)
_MEMO_MAX_TEXT = 512


class _Rerender(Exception):
    """This node cannot be patched in place; its parent re-renders it whole."""


def node_equals(node: Node, value: Any) -> bool:
    node = node.resolved()
    if node.kind == SCALAR:
        return not isinstance(value, (dict, list)) and same_scalar(node.value, value)
    if node.kind == MAPPING:
        if not isinstance(value, dict) or len(value) != len(node.pairs):
            return False
        for key, item in node.pairs:
            if key.value not in value or not node_equals(item, value[key.value]):
                return False
        return True
    if not isinstance(value, list) or len(value) != len(node.items):
        return False
    return all(node_equals(item, v) for item, v in zip(node.items, value, strict=True))


# ---------------------------------------------------------------------------------------------


class Editor:
    """Computes patches that turn ``source`` (the front matter text) into one holding ``data``."""

    def __init__(self, source: str, newline: str) -> None:
        self.src = source
        self.nl = newline
        self._layout: Layout | None = None
        # Unchanged aliases, with how to write each out in full should its anchor change.
        self._alias_sites: list[tuple[Node, Callable[[], Patch]]] = []

    # -- text geometry ------------------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        return self.src.rfind("\n", 0, pos) + 1

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
        if node.kind == ALIAS or node.flow:
            return node.end
        if node.kind == SCALAR:
            if node.style in ("|", ">"):
                if self.keeps_trailing_lines(node):
                    return self.line_end(max(node.end - 1, node.start))
                return self.block_content_end(node)
            return node.end
        last = node.pairs[-1][1] if node.kind == MAPPING else node.items[-1]
        return self.content_end(last)

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

    def key_column(self, key: Node) -> int:
        """The column a key's entry starts at: the ``?`` of an explicit key, else the key."""
        before = key.start - 1
        while before >= 0 and self.src[before] == " ":
            before -= 1
        if before >= 0 and self.src[before] == "?":
            return self.column(before)
        return self.column(key.start)

    def entry_start(self, node: Node) -> int:
        """The offset of a block collection's first entry (after any anchor or tag)."""
        if node.kind == MAPPING and node.pairs:
            key = node.pairs[0][0]
            return key.start - (self.column(key.start) - self.key_column(key))
        if node.kind == SEQUENCE and node.items:
            dash = self.dash_of(node.items[0])
            return dash if dash is not None else node.start
        return node.start

    def entry_column(self, node: Node) -> int:
        return self.column(self.entry_start(node))

    def dash_of(self, item: Node) -> int | None:
        """Offset of the ``-`` that introduces a block sequence item on the same line."""
        pos = item.start - 1
        while pos >= 0 and self.src[pos] == " ":
            pos -= 1
        if pos >= 0 and self.src[pos] == "-" and self.at_line_head(pos):
            return pos
        return None

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
            return _settle(patches + self.expand_stale_aliases(patches))
        except _Rerender:
            text = emit_document(data, base)
            return [Patch(0, len(self.src), self.reindent(text, 0) + self.nl)]

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
            and list(new) == [key.value for key, _ in node.pairs]
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
        present = set()
        kept: Node | None = None
        for key, value in node.pairs:
            present.add(key.value)
            if key.value not in new:
                # Whitespace-only lines after the deleted entry would join a block scalar above.
                swallow = kept is not None and self.ends_with_block_scalar(kept)
                patches.append(self.delete_entry(key, value, swallow_blank_lines=swallow))
                continue
            kept = value
            if not value.aliased and node_equals(value, new[key.value]):
                continue
            if value.kind == ALIAS and node_equals(value, new[key.value]):
                site = partial(self.replace_entry, key, value, new[key.value], base)
                self._alias_sites.append((value, site))
                continue
            try:
                patches += self.diff_value(value, new[key.value], self.key_column(key), base)
            except _Rerender:
                patches.append(self.replace_entry(key, value, new[key.value], base))
        added = [(k, v) for k, v in new.items() if k not in present]
        if not new and not may_empty:
            raise _Rerender
        if added:
            last_value = node.pairs[-1][1]
            at = self.after_line(self.content_end(last_value))
            patches += self.insert_entries(node, added, at, self.key_column(node.pairs[0][0]))
        return patches

    def diff_sequence(self, node: Node, new: list[Any], base: Layout) -> list[Patch]:
        items = node.items
        if not new:
            raise _Rerender
        prefix = 0
        while prefix < min(len(items), len(new)) and node_equals(items[prefix], new[prefix]):
            prefix += 1
        suffix = 0
        while suffix < min(len(items), len(new)) - prefix and node_equals(
            items[-1 - suffix], new[-1 - suffix]
        ):
            suffix += 1
        old_mid = items[prefix : len(items) - suffix]
        new_mid = new[prefix : len(new) - suffix]
        dashes = [self.dash_of(item) for item in items]
        if None in dashes:
            raise _Rerender
        dash_col = self.column(dashes[0])  # type: ignore[arg-type]
        for index in [*range(prefix), *range(len(items) - suffix, len(items))]:
            value = new[index - len(items) + len(new) if index >= prefix else index]
            if items[index].kind == ALIAS:
                site = partial(self.replace_item, items[index], value, dash_col, base)
                self._alias_sites.append((items[index], site))
            elif items[index].aliased:
                self.diff_value(items[index], value, dash_col, base)  # registers its aliases
        if len(old_mid) == len(new_mid):
            patches: list[Patch] = []
            for item, value in zip(old_mid, new_mid, strict=True):
                if item.kind == ALIAS and node_equals(item, value):
                    site = partial(self.replace_item, item, value, dash_col, base)
                    self._alias_sites.append((item, site))
                    continue
                try:
                    patches += self.diff_value(item, value, dash_col, base)
                except _Rerender:
                    patches.append(self.replace_item(item, value, dash_col, base))
            return patches
        swallow = prefix > 0 and self.ends_with_block_scalar(items[prefix - 1])
        patches = [
            self.delete_item(dashes[items.index(item)], item, swallow)  # type: ignore[arg-type]
            for item in old_mid
        ]
        if new_mid:
            at = (
                self.after_line(self.content_end(items[prefix - 1]))
                if prefix
                else self.line_start(dashes[0])  # type: ignore[arg-type]
            )
            template = items[prefix - 1] if prefix else items[0]
            text = "".join(
                " " * dash_col
                + "- "
                + self.reindent(emit_item(v, template, base), dash_col)
                + self.nl
                for v in new_mid
            )
            patches.append(Patch(at, at, text))
        return patches

    def expand_stale_aliases(self, patches: list[Patch]) -> list[Patch]:
        """Aliases whose anchored node is being changed or deleted are written out in full
        with the value they still hold, so they keep it (the data loads aliases as copies)."""
        expanded: list[Patch] = []
        for alias, write_out in self._alias_sites:
            target = alias.resolved()
            low, high = target.start, self.content_end(target)
            if any(_touches(p, low, high) for p in patches) and not any(
                _touches(p, alias.start, alias.end) for p in patches + expanded
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
        comment = self.key_line_comment(key, value)
        if comment is None and rendered.startswith("\n"):
            # An inline value's trailing comment moves up to the key line with the new block.
            comment = _COMMENT.match(self.src, end, self.line_end(end))
            end = comment.end() if comment else end
        text = self.src[key.start : key.end] + ":"
        if comment is None:
            text += rendered
        elif rendered.startswith("\n"):
            text += comment.group() + rendered
        else:
            text += rendered + comment.group()
        return Patch(key.start, end, self.reindent(text, key_col))

    def key_line_comment(self, key: Node, value: Node) -> re.Match[str] | None:
        """A comment after ``key:`` when the value itself starts on a later line."""
        key_line_end = self.line_end(key.end)
        if value.start <= key_line_end:
            return None
        colon = self.src.find(":", key.end, key_line_end)
        return _COMMENT.match(self.src, colon + 1, key_line_end) if colon != -1 else None

    def replace_item(self, item: Node, new: Any, dash_col: int, base: Layout) -> Patch:
        text = self.reindent(emit_item(new, item, base), dash_col)
        return Patch(item.start, self.content_end(item), text)

    def delete_entry(self, key: Node, value: Node, swallow_blank_lines: bool = False) -> Patch:
        if not self.at_line_head(key.start):
            raise _Rerender
        return self.delete_lines(key.start, value, swallow_blank_lines)

    def delete_item(self, dash: int, item: Node, swallow_blank_lines: bool = False) -> Patch:
        return self.delete_lines(dash, item, swallow_blank_lines)

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
        lead = self.nl if at == len(self.src) and self.src and not self.src.endswith("\n") else ""
        text = lead
        for key, value in entries:
            template = self.sibling_template(node, value)
            layout = self.layout_like(template, col, base) if template is not None else base
            text += " " * col + self.reindent(emit_entry(key, value, template, layout), col)
            text += self.nl
        return [Patch(at, at, text)]

    def sibling_template(self, node: Node | None, value: Any) -> Node | None:
        """The nearest earlier sibling of the same kind, whose formatting a new value copies."""
        if node is None or not isinstance(value, (dict, list)):
            return None
        kind = MAPPING if isinstance(value, dict) else SEQUENCE
        for _, sibling in reversed(node.pairs):
            if sibling.resolved().kind == kind:
                return sibling.resolved()
        return None

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
    settled = []
    for patch in patches:
        inside = [at for at in points if patch.start < at < patch.end]
        if inside and not patch.text:
            patch = Patch(patch.start, max(inside[0], patch.start), "")
        settled.append(patch)
    return settled


def _touches(patch: Patch, low: int, high: int) -> bool:
    """Whether a patch changes text in ``[low, high)`` (an insertion strictly inside counts)."""
    if patch.start == patch.end:
        return low < patch.start < high
    return patch.start < high and patch.end > low


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
