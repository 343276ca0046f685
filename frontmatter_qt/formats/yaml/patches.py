"""Text for one changed piece of a YAML front matter: a scalar in its own style, an entry or item
written anew, deleted lines, new entries and items in the file's layout, a key renamed.

Each builder returns a :class:`~frontmatter_qt.engine.patch.Patch` over the original text, or
raises :class:`Rerender` when the piece cannot be written in place (the caller then writes the
enclosing piece whole).
"""

from __future__ import annotations

import itertools
from typing import Any

from frontmatter_qt.engine.memo import Memo
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml.geometry import _BLOCK_HEADER, _COMMENT, Geometry
from frontmatter_qt.formats.yaml.nodes import ALIAS, MAPPING, SEQUENCE, Node
from frontmatter_qt.formats.yaml.render import (
    UNLIMITED_WIDTH,
    Layout,
    emit_entries,
    emit_flow_item,
    emit_item,
    emit_items,
    emit_key,
    emit_value,
    flow_readable,
)

_EMITTED: Memo[tuple[Any, ...], str] = Memo(1024)
_MEMO_MAX_TEXT = 512


class Rerender(Exception):
    """This node cannot be patched in place; its parent re-renders it whole."""


class Patches(Geometry):
    """Builds the patches of one front matter's edit (see :class:`.edit.Editor`)."""

    def replace_scalar(self, node: Node, new: Any, parent_col: int, base: Layout) -> Patch:
        if node.kind == ALIAS:
            raise Rerender
        start = node.body
        block = node.style in ("|", ">")
        content_end = self.content_end(node)
        indent = self.block_indent(node, parent_col) if block else base.map_indent
        width = self.original_width(node, parent_col, content_end)
        key_width = max(self.column(start) - parent_col - 2, 1)
        text = self.reindent(self.emit_within(new, node, indent, width, key_width), parent_col)
        anchor = f"&{node.anchor} " if node.anchor is not None else ""
        if not block:
            if self.lacks_indicator(node):
                # `? key` alone (its value null): the value goes on a `:` line of its own
                at = self.line_end(node.start)
                return Patch(at, at, self.nl + " " * max(parent_col, 0) + ": " + text)
            if node.start == node.end:
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
            raise Rerender
        anchor = f"&{node.anchor} " if node.anchor is not None else ""
        return Patch(node.start, node.end, anchor + emit_flow_item(new, node))

    def replace_flow(self, node: Node, new: Any, base: Layout) -> Patch:
        text = emit_value(new, node, Layout(base.map_indent, base.dash_offset))
        if not text.startswith(" "):  # the emitter had to leave flow style
            raise Rerender
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
            text = self.reindent(_with_comment(rendered, comment), key_col)
            if self.lacks_indicator(value):  # `? key` alone: a `:` line of its own below
                at = self.line_end(value.start)
                return Patch(at, at, self.nl + " " * key_col + ":" + text)
            colon = self.value_indicator(value)
            return Patch(colon + 1, end, text)
        text = self.src[key.start : key.end] + ":" + _with_comment(rendered, comment)
        return Patch(key.start, end, self.reindent(text, key_col))

    def value_indicator(self, value: Node) -> int:
        """The ``:`` before the value of an explicit (``? key``) entry, on the value's line."""
        pos = value.start - 1
        while pos >= 0 and self.src[pos] == " ":
            pos -= 1
        if pos < 0 or self.src[pos] != ":":
            raise Rerender  # the value starts on a line below its `:`
        return pos

    def replace_item(self, item: Node, new: Any, dash: int, layout: Layout) -> Patch:
        """``item`` (introduced by the ``-`` at ``dash``) written anew as ``new``, in its
        sequence's ``layout`` (see :meth:`sequence_layout`)."""
        dash_col = self.column(dash)
        end = self.content_end(item)
        if self.item_on_own_line(item, dash):
            # `-` (or `- # note`) alone on its line: that line stays; the value goes below it
            col = max(self.column(item.start), dash_col + 2)
            if col - dash_col < layout.dash_gap:
                # left of where the list's gap would put it: its lines follow its own column
                # (else a nested list's second `-` stood a column right of its first)
                layout = layout.with_gap(col - dash_col)
            text = emit_item(new, item, layout)
            shift = col - layout.dash_gap
            return Patch(self.line_start(item.start), end, " " * col + self.reindent(text, shift))
        layout = layout.with_gap(self.item_gap(item, dash))  # its text after the dash stays put
        gap = layout.dash_gap
        text = emit_item(new, item, layout)  # follows the dash's gap; lines relative to the dash
        start, comment = item.start, self.header_comment(item)
        if item.start == item.end:  # an empty item: the value goes right after its dash
            end = self.line_end(item.start)
            tail = self.src[item.start : end]
            comment = tail if tail.strip() else ""
            text = " " * (gap - 1) + text
        if comment and "\n" in text and isinstance(new, (dict, list)):
            # a block collection: the comment stays on the dash line, the value goes below
            col = dash_col + gap
            lead = comment if item.start == item.end else comment.lstrip()
            text = lead + "\n" + " " * col + self.reindent(text.lstrip(" "), col - gap)
            return Patch(start, end, text.replace("\n", self.nl))
        return Patch(start, end, self.reindent(_with_comment(text, comment), dash_col))

    def delete_lines(self, first: int, last: Node, above: Node | None) -> Patch:
        """The lines from ``first``'s line to the end of ``last``'s text (and the blank lines
        right after them that would join the block scalar ``above``)."""
        end = self.after_line(self.content_end(last))
        return self.delete_span(self.line_start(first), end, above)

    def delete_span(self, start: int, end: int, above: Node | None) -> Patch:
        """The text ``[start, end)``; when a block scalar ends just ``above`` it, also the
        whitespace-only lines right after it that would join that scalar: any under keep
        chomping (``|+``), else a run holding spaces (a line of spaces is content when deeper
        than the scalar's indentation). Empty lines that would not join it stay."""
        return Patch(start, end if above is None else self.past_joining_lines(end, above), "")

    def past_joining_lines(self, at: int, block: Node) -> int:
        """Past the whitespace-only lines from ``at`` on if they would join the block scalar
        ``block`` were they right below it: any under keep chomping (``|+``), else a run
        holding spaces (a line of spaces is content when deeper than the scalar's indentation).
        ``at`` itself when they would not (empty lines after a clipped scalar)."""
        end, spaced = at, False
        while end < len(self.src):
            following = self.after_line(end)
            line = self.src[end:following]
            if line.strip():
                break
            spaced = spaced or line.strip("\r\n") != ""
            end = following
        return end if spaced or self.keeps_trailing_lines(block) else at

    def insert_entries(
        self, node: Node | None, entries: list[tuple[Any, Any]], at: int, col: int
    ) -> list[Patch]:
        if not entries:
            return []
        return [self.insertion(at, self.entries_text(node, entries, col))]

    def entries_text(self, node: Node | None, entries: list[tuple[Any, Any]], col: int) -> str:
        """New entries' lines at column ``col``, each value in the layout of the nearest
        sibling of its kind."""
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
        return "".join(parts)

    def insertion(self, at: int, text: str, block: Node | None = None) -> Patch:
        """``text`` (whole lines) inserted at the start of the line at ``at``. Text that ends
        in a block scalar keeping its trailing lines goes past the blank lines there; moved
        text that ends in the block scalar ``block`` goes past those that would join it."""
        if block is not None:
            at = self.past_joining_lines(at, block)
        elif _ends_keeping_lines(text[: -len(self.nl)], self.nl):
            at = self.past_blank_lines(at)
        lead = self.nl if at == len(self.src) and self.src and not self.src.endswith("\n") else ""
        return Patch(at, at, lead + text)

    def rename_key(self, key: Node, new_key: Any, flow: bool = False) -> Patch:
        """The key's own text replaced by ``new_key``'s (its value, comments, anchor kept)."""
        text = emit_key(new_key, flow)
        assert text is not None  # checked by the caller
        # A block scalar key (`? |`) ends past its last line break: the `: value` line after
        # it stays on a line of its own, and a comment on its header stays with the key.
        end = self.content_end(key)
        text += self.header_comment(key)
        after = self.src[end + 1 : end + 2]
        if self.src.startswith(":", end) and after not in ("", " ", "\t", "\r", "\n"):
            # `"key":value` (no space) is YAML only after a quoted key
            return Patch(key.start, end + 1, text + ": ")
        return Patch(key.start, end, text)

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
        text = self.reindent(emit_items(values, template, base), dash_col)
        if previous is None and not self.at_line_head(first):
            # the first item stands beside its parent item's dash (`- - x`): the new ones
            # take its place there, and it moves to the next line
            return Patch(first, first, text + self.nl + " " * dash_col)
        text = " " * dash_col + text
        if previous is not None and _ends_keeping_lines(text, self.nl):
            at = self.past_blank_lines(at)
        return Patch(at, at, text + self.nl)


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
