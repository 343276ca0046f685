"""Diff the parsed node tree against the current data and turn differences into text patches.

Each patch replaces one span of the original front matter: a scalar's own text, one mapping
entry's lines, one sequence item's lines, or a point where new entries are inserted. Whatever
cannot be patched in place raises ``Rerender`` and is rendered whole one level up, so the
result is always the smallest enclosing piece the engine can write faithfully.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from functools import partial
from typing import Any, cast

from frontmatter_qt.engine.equality import MISSING, ExactKeys, key_token, same_scalar
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml.nodes import ALIAS, MAPPING, SCALAR, SEQUENCE, Node
from frontmatter_qt.formats.yaml.order import align, node_equals
from frontmatter_qt.formats.yaml.patches import Patches, Rerender
from frontmatter_qt.formats.yaml.render import Layout, emit_document


class Editor(Patches):
    """Computes patches that turn ``source`` (the front matter text) into one holding ``data``."""

    def __init__(self, source: str, newline: str) -> None:
        super().__init__(source, newline)
        # Unchanged aliases, with how to write each out in full should its anchor change.
        self._alias_sites: list[tuple[Node, Callable[[], Patch]]] = []

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
        except Rerender:
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
        raise Rerender

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
                    raise Rerender
        except Rerender:
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
            except Rerender:
                patches.append(self.replace_entry(key, value, wanted, base))
        added = (
            [(k, v) for k, v in new.items() if key_token(k) not in matched]
            if len(matched) < len(new)
            else []
        )
        if not new and not may_empty:
            raise Rerender
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
            raise Rerender  # nothing is kept after it: the mapping is written anew
        return Patch(first, self.entry_head(pairs[index][0]), ""), index

    def diff_sequence(self, node: Node, new: list[Any], base: Layout) -> list[Patch]:
        items = node.items
        if not new:
            raise Rerender
        found = [self.dash_of(item) for item in items]
        if None in found:
            raise Rerender
        dashes = cast("list[int]", found)
        dash_col = self.column(dashes[0])
        patches: list[Patch] = []
        previous: int | None = None  # index of the last old item that stays (kept or changed)
        inserted: list[Any] = []
        for old, index in align(items, new):
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
                except Rerender:
                    patches.append(self.replace_item(item, value, dash, base))
        if inserted:
            patches.append(self.insert_items(items, dashes, previous, inserted, base))
        return patches

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
