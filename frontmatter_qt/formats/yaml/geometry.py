"""Where things stand in a YAML front matter's text: lines, columns, where a node's own text
ends, entry heads and dashes, comments beside keys and headers, and the file's nesting layout.

Everything here only reads the source text and the node tree; :mod:`.patches` builds text from it
and :mod:`.edit` decides what to build.
"""

from __future__ import annotations

import re
from dataclasses import replace

from frontmatter_qt.formats.yaml.nodes import ALIAS, BOM, MAPPING, SCALAR, SEQUENCE, Node
from frontmatter_qt.formats.yaml.render import Layout

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_COMMENT = re.compile(r"[ \t]+#[^\r\n]*")
_ENDS_IN_COMMENT = re.compile(r"(?:^|[ \t])#[^\r\n]*\Z", re.MULTILINE)
# A line ending in a sequence dash (and perhaps a comment), after only indentation and the
# dashes of the items it is nested in (`- -`): its item starts on a later line.
_LONE_DASH = re.compile(r"[ ]*(?:-[ ]+)*(-)(?:[ \t]+#[^\r\n]*)?[ \t]*\r?")
# What may stand before an item's dash on its line: indentation, and the dashes of the items
# it is nested in (`- - x`).
_DASHES = re.compile(r"[ ]*(?:-[ ]+)*")


class Geometry:
    """Positions in ``source`` (the front matter text, whose line breaks are ``newline``)."""

    def __init__(self, source: str, newline: str) -> None:
        self.src = source
        self.nl = newline
        self._layout: Layout | None = None
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

    def final_block_scalar(self, node: Node) -> Node | None:
        """The block scalar the node's text ends with, if it does: whitespace-only lines freed
        below it by a deletion would join it (blank lines under ``|+``, spaces under any)."""
        while node.kind in (MAPPING, SEQUENCE) and not node.flow:
            node = node.pairs[-1][1] if node.kind == MAPPING else node.items[-1]
        return node if node.kind == SCALAR and node.style in ("|", ">") else None

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

    def after_dashes(self, pos: int) -> bool:
        """Only indentation and sequence dashes stand before ``pos`` on its line: there a
        ``-`` starts a line, or is the first item's dash of a sequence nested in a sequence
        item (``- - x``, ``-   - x``)."""
        return _DASHES.fullmatch(self.src, self.line_start(pos), pos) is not None

    def dash_of(self, item: Node) -> int | None:
        """Offset of the ``-`` that introduces a block sequence item: on the item's own line
        (perhaps after its parent item's dash), or, for an item that starts a line, alone on
        an earlier line (``-`` or ``- # note``) with only blank and comment lines between.
        None if there is no such dash."""
        pos = item.start - 1
        while pos >= 0 and self.src[pos] == " ":
            pos -= 1
        if pos >= 0 and self.src[pos] == "-" and self.after_dashes(pos):
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

    def entry_blocks(self, node: Node) -> list[tuple[int, int]]:
        """Each entry's own lines in a block mapping, ``[start, end)``: its key line, its
        value's lines, the comment lines directly above it with no blank line between that are
        not indented deeper than its key, and the comment lines directly below its value that
        are (a commented-out list item, a note on the value). What an entry carries when it
        moves and takes when deleted. The first entry of a list item's mapping (``- a: 1``)
        starts at its key."""
        blocks: list[tuple[int, int]] = []
        floor = self._first_line
        for key, value in node.pairs:
            head = self.entry_head(key)
            col = self.column(head)
            start = self.line_start(head)
            if not self.at_line_head(head):
                start = head
            else:
                while start > floor:
                    above = self.line_start(start - 1)
                    if self.comment_indent(above, start) not in range(col + 1):
                        break
                    start = above
            end = self.after_line(self.content_end(value))
            while end < len(self.src):
                below = self.after_line(end)
                indent = self.comment_indent(end, below)
                if indent is None or indent <= col:
                    break
                end = below
            blocks.append((start, end))
            floor = end
        return blocks

    def comment_indent(self, start: int, end: int) -> int | None:
        """The indentation of the line ``[start, end)`` if it holds only a comment, else None."""
        line = self.src[start:end]
        comment = line.lstrip(" \t")
        return len(line) - len(comment) if comment.startswith("#") else None

    def dash_gap(self, node: Node, dashes: list[int] | None = None) -> int | None:
        """Columns from a block sequence's dash to its item's content, as its first item
        written on its dash's line has it (2 for ``- x``, 4 for ``-   x``); None if no item
        is written so. ``dashes`` are the items' dashes, when the caller has found them."""
        for index, item in enumerate(node.items):
            dash = self.dash_of(item) if dashes is None else dashes[index]
            gap = None if dash is None else self.item_gap(item, dash)
            if gap is not None:
                return gap
        return None

    def item_gap(self, item: Node, dash: int) -> int | None:
        """Columns from an item's ``dash`` to its content on the dash's line (spaces only
        between them); None for an item that is empty or starts on a later line."""
        if item.start == item.end or self.item_on_own_line(item, dash):
            return None
        if self.src[dash + 1 : item.start].strip(" "):
            return None  # a tab after the dash: no habit to copy
        return item.start - dash

    def lacks_indicator(self, node: Node) -> bool:
        """An empty value with no ``:`` (or ``-``) before it: the value of an explicit key
        written alone (``? key``, perhaps with a comment), which the parser places at the end
        of the key's line (after its comment, which may end in a ``:`` of its own)."""
        if node.start != node.end:
            return False
        if self.src[node.start - 1 : node.start] not in (":", "-"):
            return True
        # A `:` just before it that ends a comment: only on an explicit key's line (`? a #
        # note:`); elsewhere a ` #` before the `:` is inside a quoted key (`"a #b":`)
        line = self.line_start(node.start)
        head = _DASHES.match(self.src, line)  # indentation and dashes (always matches)
        if head is None or not self.src.startswith("?", head.end()):
            return False
        return _ENDS_IN_COMMENT.search(self.src, line, node.start) is not None

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

    def key_line_comment(self, key: Node, value: Node) -> re.Match[str] | None:
        """A comment after ``key:`` when the value itself starts on a later line."""
        key_line_end = self.line_end(key.end)
        if value.start <= key_line_end:
            return None
        colon = self.src.find(":", key.end, key_line_end)
        return _COMMENT.match(self.src, colon + 1, key_line_end) if colon != -1 else None

    # -- layout -------------------------------------------------------------------------------

    def layout(self, root: Node | None) -> Layout:
        """The file's own nesting habits, read from its first nested mapping and sequence."""
        if self._layout is None:
            self._layout = self._measure_layout(root)
        return self._layout

    def _measure_layout(self, root: Node | None) -> Layout:
        map_indent, dash_offset, gap = 0, -1, None
        for key, value in root.pairs if root is not None and root.kind == MAPPING else []:
            target = value.target if value.target is not None else value  # value.resolved()
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
                dash_offset, gap = step, self.dash_gap(target)
        return Layout(map_indent or 2, max(dash_offset, 0), dash_gap=gap or 2)

    def layout_like(self, template: Node | None, key_col: int, base: Layout) -> Layout:
        """``base``, with the indentation a sibling or original value actually used."""
        if template is None or template.flow or template.kind in (SCALAR, ALIAS):
            return base
        step = self.entry_column(template) - key_col
        if template.kind == MAPPING and step > 0:
            return replace(base, map_indent=step)
        if template.kind == SEQUENCE and step >= 0:
            return self.sequence_layout(template, replace(base, dash_offset=step))
        return base

    def sequence_layout(self, node: Node, base: Layout, dashes: list[int] | None = None) -> Layout:
        """``base``, with the dash gap a block sequence's own items use (``dashes``: theirs,
        when found already): its new items and items written anew follow it."""
        return base.with_gap(self.dash_gap(node, dashes))

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
