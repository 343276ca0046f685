"""Diff the parsed node tree against the current data and turn differences into text patches.

Each patch replaces one span of the original front matter: a scalar's own text, one mapping
entry's lines, one sequence item's lines, or a point where new entries are inserted. Whatever
cannot be patched in place raises ``Rerender`` and is rendered whole one level up, so the
result is always the smallest enclosing piece the engine can write faithfully.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from frontmatter_qt.engine.equality import key_token, same_scalar
from frontmatter_qt.engine.order import MappingOrder, plan_mapping, same_keys
from frontmatter_qt.engine.patch import Patch, splice
from frontmatter_qt.errors import RoundTripError
from frontmatter_qt.formats.yaml.nodes import ALIAS, MAPPING, SCALAR, SEQUENCE, Node, walk
from frontmatter_qt.formats.yaml.order import align, node_equals
from frontmatter_qt.formats.yaml.patches import Patches, Rerender
from frontmatter_qt.formats.yaml.render import Layout, emit_document, emit_key

_SAME_KEY = object()  # an entry kept under its own key


class Editor(Patches):
    """Computes patches that turn ``source`` (the front matter text) into one holding ``data``."""

    def __init__(self, source: str, newline: str) -> None:
        super().__init__(source, newline)
        # Unchanged aliases, with how to write each out in full should its anchor change.
        self._alias_sites: list[tuple[Node, Callable[[], Patch]]] = []
        # Whether the front matter holds an alias: then anchors and aliases may not move.
        self._has_aliases = False
        # Anchored nodes whose value changes (ids): their aliases are stale even where no
        # patch touches the anchored text (items or keys only added after it).
        self._changed_anchors: set[int] = set()
        # Entries found to read as the wanted value, unchanged: value node -> (node, value).
        # The verification re-read trusts this answer for the entries no patch touches (see
        # EditPatches) instead of asking node_equals the same question again.
        self.equal: dict[int, tuple[Node, Any]] = {}

    # -- diffing ------------------------------------------------------------------------------

    def diff_root(self, root: Node | None, data: dict[Any, Any]) -> list[Patch]:
        if root is None:
            return self.insert_entries(None, list(data.items()), len(self.src), 0)
        self._has_aliases = root.aliased
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
            patches = _settle(patches + self.expand_stale_aliases(patches), self.after_line)
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
        if node_equals(node, new):
            if not (node.aliased and node.kind != ALIAS):
                return []
        elif node.anchor is not None:
            self._changed_anchors.add(id(node))
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
        patches: list[Patch] = []
        self.note_alias_keys(node)
        if node.kind == SEQUENCE and isinstance(new, list) and len(new) == len(node.items):
            pairs = list(zip(node.items, new, strict=True))
        elif node.kind == MAPPING and isinstance(new, dict) and len(new) == len(node.pairs):
            try:
                patches = self.flow_renames(node, new)
            except Rerender:
                return [self.replace_flow(node, new, base)]
            pairs = [
                (value, item) for (_, value), item in zip(node.pairs, new.values(), strict=True)
            ]
        else:
            return [self.replace_flow(node, new, base)]
        try:
            for item, value in pairs:
                if node_equals(item, value):
                    if item.kind == ALIAS:  # written out should its anchor change
                        site = partial(self.replace_flow_scalar, item, value)
                        self._alias_sites.append((item, site))
                    elif item.aliased and item.flow:  # walked to note the aliases inside
                        patches += self.diff_flow(item, value, base)
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

    def flow_renames(self, node: Node, new: dict[Any, Any]) -> list[Patch]:
        """A flow mapping whose keys are the data's, in order, except keys replaced in place by
        new keys holding the same value: those keys' texts (a rename, as in a block mapping).
        Rerender if the keys are reordered or a key's value changes with it: a flow mapping is
        written anew in the data's order then (its comments are lost, its style kept)."""
        old_keys = {key_token(key.value) for key, _ in node.pairs}
        new_keys = {key_token(key) for key in new}
        patches: list[Patch] = []
        for (key, value), (own, item) in zip(node.pairs, new.items(), strict=True):
            if same_scalar(own, key.value):
                continue
            if (
                key_token(own) in old_keys
                or key_token(key.value) in new_keys
                or key.kind != SCALAR
                or not node_equals(value, item)
                or emit_key(own, flow=True) is None
            ):
                raise Rerender
            patches.append(self.rename_key(key, own, flow=True))
        return patches

    def diff_mapping(
        self, node: Node, new: dict[Any, Any], base: Layout, may_empty: bool = False
    ) -> list[Patch]:
        """A block mapping's entries in the data's order: entries kept in place are patched
        where they stand; the fewest entries move (each with its own lines, see
        :meth:`entry_blocks`, its edits made inside the moved text); a key replaced in place by
        a new key holding the same value is renamed; new entries go where the data's order
        puts them; deleted entries take their own lines."""
        if not new and not may_empty:
            raise Rerender
        pairs = node.pairs
        self.note_alias_keys(node)
        keys = list(new)
        old_keys = [key.value for key, _ in pairs]
        if same_keys(old_keys, keys):
            # Every key stays where it is (the usual edit): each entry's own edits, in order,
            # without a plan. An unchanged string value, the commonest entry, is told here
            # (diff_entry's first answer, without the call: this runs for every entry).
            patches: list[Patch] = []
            equal = self.equal
            for (key, value), wanted in zip(pairs, new.values(), strict=True):
                if (
                    type(wanted) is str
                    and type(value.value) is str
                    and value.kind == SCALAR
                    and value.value == wanted
                ):
                    equal[id(value)] = (value, wanted)
                    continue
                patches += self.diff_entry(key, value, _SAME_KEY, wanted, base)
            return patches
        plan = plan_mapping(
            old_keys,
            keys,
            lambda i, j: self.renamable(pairs[i][0], pairs[i][1], keys[j], new[keys[j]]),
        )
        inner: dict[int, list[Patch]] = {}  # per kept entry, the edits inside its lines
        for i, (key, value) in enumerate(pairs):
            j = plan.targets[i]
            if j is not None:
                renamed = keys[j] if plan.renamed[i] else _SAME_KEY
                inner[i] = self.diff_entry(key, value, renamed, new[keys[j]], base)
        if plan.unchanged:
            return [patch for i in range(len(pairs)) for patch in inner[i]]
        return self.arrange(node, new, plan, inner)

    def diff_entry(
        self, key: Node, value: Node, renamed: Any, wanted: Any, base: Layout
    ) -> list[Patch]:
        """The edits inside one kept entry: its key's text if it is renamed, its value."""
        patches = [] if renamed is _SAME_KEY else [self.rename_key(key, renamed)]
        if value.kind == SCALAR and (
            value.value == wanted
            if type(wanted) is str and type(value.value) is str
            else not isinstance(wanted, (dict, list)) and same_scalar(value.value, wanted)
        ):
            # node_equals's answer for an unchanged scalar, without its loop
            self.equal[id(value)] = (value, wanted)
            return patches
        if not value.aliased and node_equals(value, wanted):
            self.equal[id(value)] = (value, wanted)
            return patches
        if value.kind == ALIAS and node_equals(value, wanted):
            site = partial(self.replace_entry, key, value, wanted, base)
            self._alias_sites.append((value, site))
            return patches
        try:
            return patches + self.diff_value(value, wanted, self.key_column(key), base)
        except Rerender:
            return [self.replace_entry(key, value, wanted, base)]

    def renamable(self, key: Node, value: Node, new_key: Any, wanted: Any) -> bool:
        """Whether an entry can be written under ``new_key`` by changing its key's text only:
        the value is the same (type-exactly, order too), the key can be written in its place.
        An alias value (``*x``) is not renamed: should its anchor change, it is written out
        in full with its key, which would overlap the renamed key."""
        return (
            key.kind == SCALAR
            and value.kind != ALIAS
            and node_equals(value, wanted)
            and emit_key(new_key) is not None
        )

    def arrange(
        self, node: Node, new: dict[Any, Any], plan: MappingOrder, inner: dict[int, list[Patch]]
    ) -> list[Patch]:
        """Patches that put a block mapping's entries in the plan's order."""
        pairs = node.pairs
        keys = list(new)
        blocks = self.entry_blocks(node)
        col = self.key_column(pairs[0][0])
        # A mapping that is a list item's value may start on the dash's line (`- a: 1`); its
        # first entry's text starts there, the others' at the start of their lines.
        compact = blocks[0][0] == self.entry_head(pairs[0][0]) and not self.at_line_head(
            blocks[0][0]
        )
        first_stays = next((i for i, stays in enumerate(plan.stationary) if stays), None)
        patches: list[Patch] = []
        moved: dict[int, str] = {}
        deleted: dict[int, int] = {}  # the moved entries' old text: start -> end
        above: int | None = None  # the last entry so far that stays where it is
        for i, (key, value) in enumerate(pairs):
            if plan.stationary[i]:
                patches += inner[i]
                above = i
                continue
            if plan.targets[i] is not None:
                self.refuse_moving_anchors(key, value)
                start, end = blocks[i]
                text = splice(self.src, start, end, inner[i])
                if start != self.line_start(start):  # the first entry beside a dash
                    text = " " * col + text
                moved[i] = text if text.endswith("\n") else text + self.nl
            if compact and first_stays is not None and i < first_stays:
                continue  # taken below, with the text up to the first entry that stays
            # Whitespace-only lines after the entry would join a block scalar above.
            block_above = None if above is None else self.final_block_scalar(pairs[above][1])
            deletion = self.delete_span(*blocks[i], block_above)
            deleted[deletion.start] = deletion.end
            patches.append(deletion)
        if compact and first_stays is None and not plan.stationary[0]:
            raise Rerender  # nothing stays beside the dash: the mapping is written anew
        if compact and first_stays:
            # The first entry that stays moves up beside the dash (its first line, perhaps an
            # attached comment, loses its indentation there).
            start = blocks[first_stays][0]
            indent = start
            while self.src.startswith(" ", indent):
                indent += 1
            patches.append(Patch(blocks[0][0], indent, ""))
        # Moved and new entries go where the data's order puts them: after the entry that
        # stays just before them in that order, or before the first entry that stays.
        run: list[int] = []
        after: int | None = None
        for j in [*range(len(keys)), -1]:
            source = plan.sources[j] if j >= 0 else None
            if j >= 0 and (source is None or not plan.stationary[source]):
                run.append(j)
                continue
            if run:
                text = self.run_text(node, new, keys, run, plan, moved, col)
                last = plan.sources[run[-1]]
                # whitespace lines that would join a moved block scalar: it goes past them
                block = None if last is None else self.final_block_scalar(pairs[last][1])
                if after is not None:
                    at = blocks[after][1]
                    while block is not None and at in deleted:
                        # The entries that followed are moved away, but not the blank lines
                        # after them: the moved block scalar goes past those too (where the
                        # deleted text was is the same place in the output).
                        at = deleted[at]
                    patches.append(self.insertion(at, text, block))
                else:
                    patches.append(self.place_first_run(text, source, blocks, pairs, compact, col))
                run = []
            after = source
        return patches

    def run_text(
        self,
        node: Node,
        new: dict[Any, Any],
        keys: list[Any],
        run: list[int],
        plan: MappingOrder,
        moved: dict[int, str],
        col: int,
    ) -> str:
        """The lines of consecutive moved and new entries, in the data's order."""
        parts: list[str] = []
        fresh: list[tuple[Any, Any]] = []
        for j in run:
            i = plan.sources[j]
            if i is None:
                fresh.append((keys[j], new[keys[j]]))
                continue
            if fresh:
                parts.append(self.entries_text(node, fresh, col))
                fresh = []
            parts.append(moved[i])
        if fresh:
            parts.append(self.entries_text(node, fresh, col))
        return "".join(parts)

    def place_first_run(
        self,
        text: str,
        before: int | None,
        blocks: list[tuple[int, int]],
        pairs: list[tuple[Node, Node]],
        compact: bool,
        col: int,
    ) -> Patch:
        """Where moved and new entries go that come before every entry that stays: before the
        first of those (beside the dash of a list item, their first line unindented); when
        none stays, after the mapping's last entry."""
        if compact:
            return Patch(blocks[0][0], blocks[0][0], text[col:] + " " * col)
        if before is not None:
            return Patch(blocks[before][0], blocks[before][0], text)
        return self.insertion(self.after_line(self.content_end(pairs[-1][1])), text)

    def refuse_moving_anchors(self, key: Node, value: Node) -> None:
        """YAML reads an alias only after its anchor: in a front matter that has aliases, an
        entry holding an anchor or an alias does not move."""
        if not self._has_aliases:
            return
        for node in itertools.chain(walk(value), (key,)):
            if node.anchor is not None or node.kind == ALIAS:
                mark = f"&{node.anchor}" if node.anchor is not None else "an alias"
                raise RoundTripError(
                    f"refusing to write: the entry {key.value!r} would move, and it holds "
                    f"{mark} (YAML reads an alias only after its anchor); move it by hand or "
                    "keep its place in the order"
                )

    def diff_sequence(self, node: Node, new: list[Any], base: Layout) -> list[Patch]:
        items = node.items
        if not new:
            raise Rerender
        found = [self.dash_of(item) for item in items]
        if None in found:
            raise Rerender
        dashes = cast("list[int]", found)
        dash_col = self.column(dashes[0])
        pairs = align(items, new)
        if not self.at_line_head(dashes[0]) and (0, None) in pairs:
            # The first item stands beside its parent item's dash (`- - x`) and is deleted:
            # the sequence is written anew with its parent item.
            raise Rerender
        layout: Layout | None = None  # the items' own, measured once an item is written
        patches: list[Patch] = []
        previous: int | None = None  # index of the last old item that stays (kept or changed)
        inserted: list[Any] = []
        for old, index in pairs:
            if old is None:  # a new item: written after the last old item that stays
                if index is not None:
                    inserted.append(new[index])
                continue
            if inserted:
                layout = layout or self.sequence_layout(node, base, dashes)
                patches.append(self.insert_items(items, dashes, previous, inserted, layout))
                inserted = []
            item, dash = items[old], dashes[old]
            if index is None:
                block_above = None if previous is None else self.final_block_scalar(items[previous])
                patches.append(self.delete_lines(dash, item, block_above))
                continue
            previous = old
            value = new[index]
            if item.kind == ALIAS and node_equals(item, value):
                layout = layout or self.sequence_layout(node, base, dashes)
                site = partial(self.replace_item, item, value, dash, layout)
                self._alias_sites.append((item, site))
            elif not item.aliased and node_equals(item, value):
                continue
            else:  # changed, or holds aliases (walking it registers them)
                try:
                    patches += self.diff_value(item, value, dash_col, base)
                except Rerender:
                    layout = layout or self.sequence_layout(node, base, dashes)
                    patches.append(self.replace_item(item, value, dash, layout))
        if inserted:
            layout = layout or self.sequence_layout(node, base, dashes)
            patches.append(self.insert_items(items, dashes, previous, inserted, layout))
        return patches

    def note_alias_keys(self, node: Node) -> None:
        """Aliases used as keys (`*k : 2`): written out should their anchor change."""
        if not node.aliased:
            return
        for key, _ in node.pairs:
            if key.target is not None:
                self._alias_sites.append((key, partial(self.write_out_key, key, node.flow)))

    def write_out_key(self, key: Node, flow: bool) -> Patch:
        """An alias key's text replaced by the key it stands for."""
        if emit_key(key.value, flow) is None:
            raise Rerender
        return self.rename_key(key, key.value, flow)

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
                (id(target) in self._changed_anchors or changed.touch(low, high))
                and not changed.touch(alias.start, alias.end)
                and not any(_touches(p, alias.start, alias.end) for p in expanded)
            ):
                expanded.append(write_out())
        return expanded


def _settle(patches: list[Patch], after_line: Callable[[int], int]) -> list[Patch]:
    """The patches, kept clear of the points where entries are inserted (the empty patches),
    by two rules for a patch with a point strictly inside it:

    - a deletion (no text) that swallowed blank lines past the point stops at the first such
      point (the blank lines then follow the new entries, harmlessly);
    - a value written anew (text) that took the blank lines after it (one keeping its
      trailing lines, ``|+``, so they would not join it) keeps them: each point inside it
      moves to ``after_line`` of its end, so the new entries follow its text.

    One pass with a bisect per patch (each point is moved once): linear in the patches."""
    points = sorted(p.start for p in patches if p.start == p.end)
    if not points:
        return patches
    settled: list[Patch] = []
    moved: dict[int, int] = {}  # insertion point -> where it goes instead
    for patch in patches:
        if patch.end > patch.start:
            inside = bisect.bisect_right(points, patch.start)
            if inside < len(points) and points[inside] < patch.end:
                if not patch.text:
                    patch = Patch(patch.start, points[inside], "")
                else:
                    past = after_line(patch.end)
                    while inside < len(points) and points[inside] < patch.end:
                        moved[points[inside]] = past
                        inside += 1
        settled.append(patch)
    if not moved:
        return settled
    return [
        Patch(moved[p.start], moved[p.start], p.text)
        if p.start == p.end and p.start in moved
        else p
        for p in settled
    ]


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
