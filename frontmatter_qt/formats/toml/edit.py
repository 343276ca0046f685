"""Diff the scanned TOML tree against the intended data and turn differences into patches.

Each patch replaces one span of the original front matter: a value's own text (a scalar in its
own style; an array or inline table rebuilt from its unchanged items' original text), the whole
lines of a deleted statement or section, or a point where new lines are inserted (after the
table's last key/value line; a new table after the table's last section). Nothing is written
through tomlkit's document, which re-renders what it touches (docs/architecture.md).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from frontmatter_qt.engine.equality import same_in_order, same_value
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.order import plan_mapping
from frontmatter_qt.engine.patch import Patch, apply, splice
from frontmatter_qt.errors import OrderError
from frontmatter_qt.formats.toml.render import (
    check_representable,
    inline_value,
    key_text,
    render_scalar,
)
from frontmatter_qt.formats.toml.scan import Aot, Entry, Item, Stmt, Table, Tree, Value

Path = tuple[Any, ...]


def _is_tables(value: Any) -> bool:
    """A list TOML may write as ``[[array of tables]]``: non-empty, only tables."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


class Editor:
    """Computes patches that turn the scanned text into one holding ``data``."""

    def __init__(self, tree: Tree, old: dict[str, Any], newline: str) -> None:
        self.tree = tree
        self.src = tree.text
        self.old = old
        self.nl = newline
        self.patches: list[Patch] = []
        self.deleted: list[tuple[int, int]] = []
        self._afters: list[int] | None = None
        self._dotted: dict[Path, list[Stmt]] | None = None  # see dotted_stmts
        self._own: dict[Table, list[Stmt]] = {}  # see own_kv
        self.gone: set[Stmt] = set()  # statements deleted (see keep_place)
        self.placed: dict[Path, int] = {}  # a table's section written at its first place
        self.late: list[Patch] = []  # insertions after the others at the same place (put_first)
        # The patches and deletions made so far, by the statement each starts in (see inside);
        # the indexes of the patches moved with a section, left out of the edit's own.
        self._indexed = (0, 0)  # how many of each are in the index
        self._patches_at: dict[int, list[int]] = {}
        self._deleted_at: dict[int, list[int]] = {}
        self._moved: set[int] = set()

    # -- entry point --------------------------------------------------------------------------

    def diff(self, new: dict[str, Any]) -> list[Patch]:
        check_representable(new)
        self.diff_table(self.tree.root, self.old, new)
        patches = [p for i, p in enumerate(self.patches) if i not in self._moved]
        return patches + self.late + self.deletions()

    def deletions(self) -> list[Patch]:
        """The deleted spans, overlapping ones merged. Spans that only touch stay apart (the
        output is the same): text is inserted where they meet, by ``put_first`` (a section
        put back where its table's first one stood, deleted, right after another deletion),
        and a merged deletion would hold it strictly inside (refused: overlapping patches)."""
        merged: list[list[int]] = []
        for start, end in sorted(self.deleted):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [Patch(start, end, "") for start, end in merged]

    # -- tables written as lines (the root, [headers], dotted keys, [[elements]]) -------------

    def diff_table(self, table: Table, old: dict[str, Any], new: dict[str, Any]) -> None:
        """The table's entries, in the data's order: kept ones edited in place (a key replaced
        at its place by one holding the same value is renamed), key/value lines out of order
        moved with their own lines, new keys placed by the order (see ``engine.order``)."""
        olds = list(old)
        items = list(new.items())
        order = plan_mapping(
            olds, [k for k, _ in items], lambda i, j: same_value(old[olds[i]], items[j][1])
        )
        entries = [table.entries[key] for key in olds]
        self.check_order(table, entries, items, order.sources)
        sourced = {s for s in order.sources if s is not None}
        for index, entry in enumerate(entries):
            if index not in sourced:
                self.delete(entry)
        sectioned = table.how in ("root", "header", "element", "implicit")
        waiting: list[str] = []  # new or moved lines before the next staying key/value line
        at: int | None = None  # after the last staying key/value line (or dotted table)
        new_lines: list[tuple[str, Any]] = []
        sections: list[tuple[str, Any]] = []  # new sections after every kept one
        # New sections that come before a kept section in the data's order, by that section's
        # path: they are written where it starts (after every section, as the others are, they
        # would read back after it).
        before: dict[Path, tuple[Table | Aot, list[tuple[str, Any]]]] = {}
        following_sections: list[Table | Aot | None] | None = None
        # A new table before the last plain key (in the data's order) is written inline, on a
        # key/value line: as a [section] it would read back after the plain keys.
        lines_end = max(
            (
                j
                for j, ((_, value), source) in enumerate(zip(items, order.sources, strict=True))
                if (
                    self.is_line(entries[source]) or self.becomes_line(entries[source], value)
                    if source is not None
                    else not _table_like(value)
                )
            ),
            default=-1,
        )
        for j, ((key, value), source) in enumerate(zip(items, order.sources, strict=True)):
            if source is None:
                if sectioned and _table_like(value) and j > lines_end:
                    if following_sections is None:  # once per edit: the walk is linear
                        following_sections = self.sections_after(entries, order.sources)
                    following = following_sections[j]
                    if following is None:
                        sections.append((key, value))
                    else:
                        before.setdefault(following.path, (following, []))[1].append((key, value))
                    continue
                new_lines.append((key, value))
                text = self.line_text(table, key, value)
            elif self.becomes_line(entries[source], value):
                # A [section] that becomes a plain value: a key/value line, placed among the
                # table's lines by the data's order as a new one is (after the last of them, it
                # would read back after the keys the data puts after it).
                self.delete(entries[source])
                new_lines.append((key, value))
                text = self.line_text(table, key, value)
            else:
                entry, old_key = entries[source], olds[source]
                if source in order.stay or not self.is_line(entry):
                    if self.is_line(entry) and waiting:
                        # before its lines, or after the last staying one's if they end first
                        # (a table of dotted keys may have a line after this one). Before its
                        # own edit: a line it inserts at the same place (a table of dotted keys
                        # become a value) comes after them.
                        start = self.own_lines(table, entry)[0]
                        self.insert_text(start if at is None else min(at, start), "".join(waiting))
                        waiting = []
                    if old_key != key:
                        self.rename(table, old_key, key)
                    if not same_in_order(old[old_key], value):
                        self.diff_entry(table, key, entry, old[old_key], value)
                    if self.is_line(entry):
                        at = max(s.after for s in self.entry_stmts(table, entry))
                    continue
                text = self.moved_text(table, entry, old_key, key, old[old_key], value)
            waiting.append(text)
        if waiting and at is not None:
            self.insert_text(at, "".join(waiting))
        elif waiting:
            own = [e for e in entries if self.is_line(e)]
            if own:  # every key/value line moved or went: the first one's place
                self.insert_text(self.own_lines(table, own[0])[0], "".join(waiting))
            else:
                self.insert_lines(table, new_lines)
        for node, added in before.values():
            # where the section starts once its own edit is made (see section_start), each new
            # section followed by as many blank lines as the section it goes before
            offset = self.section_start(node)
            gap = self.nl * self.src.count("\n", self.blank_start(offset), offset)
            texts = [text for key, value in added for text in self.section_texts(table, key, value)]
            self.insert_text(offset, "".join(text + gap for text in texts))
        if sections:
            self.insert(table, sections, lines_added=bool(new_lines))
        if table.how in ("header", "implicit"):
            self.keep_place(table)
        elif table.how == "dotted":
            self.keep_dotted_place(table)

    def keep_place(self, node: Table | Aot) -> None:
        """Keep a table (or an array of tables) at its place among its siblings once the edit
        has deleted the sections that came first. TOML orders a table's keys by where each is
        first written, so a table whose first section (``[a.b]``, before ``[s]``) is gone would
        otherwise read back after ``s``, from its ``[a]`` header or a later ``[a.c]``. Its own
        section (header and key/value lines, their edits made; for an array of tables, its
        first kept element's) moves to where the first one was; a table implied by deeper
        headers gets a ``[header]`` of its own there."""
        if not self.gone:
            return  # (nothing deleted: the common edit asks no more)
        stmts, under = self.tree.stmts, self.tree.under(node.path)
        first = stmts[under[0]]
        if first not in self.gone:
            return  # its first statement stays: so does its place
        placed = self.placed.get(node.path)
        if placed is not None and placed <= first.start:
            return  # a deeper table's section was already put back there
        survivor = next((stmts[i] for i in under if stmts[i] not in self.gone), None)
        if survivor is None:
            return  # nothing of it is left: it is written anew, or gone
        until = survivor.start if placed is None else min(placed, survivor.start)
        ours, index = set(under), under[0] + 1
        while index < len(stmts) and stmts[index].start < until:
            if index not in ours and stmts[index] not in self.gone:
                break  # another table's statement, kept, would come first
            index += 1
        else:
            return
        if isinstance(node, Aot):
            table = next((e for e in node.elements if e.header is survivor), None)
            if table is None:  # (a kept element's first statement is its header)
                return
        elif node.header is None:
            self.insert_lines(node, [])  # an implied table: a [header] of its own at `first`
            return
        else:
            table = node
        header = table.header
        assert header is not None
        start = self.comments_above(header.line)
        own = self.own_kv(table)
        end = own[-1].after if own else header.after
        text = splice(self.src, start, end, self.inside(start, end))
        blank = self.blank_start(start)
        self.deleted.append((start if blank == 0 else blank, end))
        self.put_first(node.path, first, text if text.endswith("\n") else text + self.nl)

    def keep_dotted_place(self, table: Table) -> None:
        """Keep a table of dotted keys at its place among its table's keys once the edit has
        deleted its first line: with ``b.x = 1``, ``a = 2``, ``b.y = 3``, ``b`` would read back
        after ``a`` once ``b.x`` goes. Its first remaining line (its edits made, the comment
        lines directly above it) moves to where the first one's deletion starts (the first one's
        comments go with it). A deeper table's move (``b.c.x``) keeps the tables above it in
        place too, recorded in ``placed``."""
        if not self.gone:
            return  # (nothing deleted: the common edit asks no more)
        own = self.own_kv(table)
        if not own or own[0] not in self.gone:
            return  # its first line stays: so does its place
        first = own[0]
        placed = self.placed.get(table.path)
        if placed is not None and placed <= first.line:
            return  # a deeper table's line was already put back there
        survivor = next((s for s in own if s not in self.gone), None)
        if survivor is None:
            return  # nothing of it is left
        stmts, afters = self.tree.stmts, self.afters()
        ours = set(own)
        index = bisect.bisect_right(afters, first.line) + 1
        while index < len(stmts) and stmts[index].start < survivor.start:
            if stmts[index] not in ours and stmts[index] not in self.gone:
                break  # another key's line, kept, would come first
            index += 1
        else:
            return
        # where the first line's deletion starts (with its comments, if they went with it)
        at = min(a for a, b in self.deleted if a <= first.line < b)
        start = self.comments_above(survivor.line)
        text = splice(self.src, start, survivor.after, self.inside(start, survivor.after))
        self.deleted.append((start, survivor.after))
        self.insert_text(at, text if text.endswith("\n") else text + self.nl, into=self.late)
        self.mark_placed(table.path, at)

    def inside(self, start: int, end: int) -> list[Patch]:
        """The patches made so far inside ``start``..``end`` (taken from the edit's own: they
        move with the section there) and the deletions there, for ``keep_place``. Looked up
        by the statements the span covers in an index kept up to date as patches come: a scan
        of every patch per section moved made moving many tables back quadratic. (Not called
        while ``moved_text`` collects patches in a list of its own: indexes are into
        ``self.patches``.)"""
        afters = self.afters()
        done_patches, done_deleted = self._indexed
        for i in range(done_patches, len(self.patches)):
            at = bisect.bisect_right(afters, self.patches[i].start)
            self._patches_at.setdefault(at, []).append(i)
        for i in range(done_deleted, len(self.deleted)):
            at = bisect.bisect_right(afters, self.deleted[i][0])
            self._deleted_at.setdefault(at, []).append(i)
        self._indexed = (len(self.patches), len(self.deleted))
        # the statements from the one at `start` to the one after `end` (a point there)
        first, last = bisect.bisect_right(afters, start), bisect.bisect_right(afters, end)
        found: list[Patch] = []
        for at in range(first, last + 1):
            for i in self._patches_at.get(at, ()):
                patch = self.patches[i]
                if i not in self._moved and start <= patch.start and patch.end <= end:
                    self._moved.add(i)
                    found.append(patch)
        for at in range(first, last + 1):
            for i in self._deleted_at.get(at, ()):
                a, b = self.deleted[i]
                if start <= a and b <= end:
                    found.append(Patch(a, b, ""))
        return found

    def put_first(self, path: Path, first: Stmt, text: str) -> None:
        """Write ``text`` (a section of ``table``) where the table's first statement, deleted,
        stood, set off by the blank lines that set that one off; recorded for the tables that
        hold it (see ``keep_place``). Written before those blank lines, not between them and
        the statement: the statement's deletion starts there. After whatever else is inserted
        at that place (``late``): new lines of the section above, new sections placed before
        this table."""
        gap = self.blank_lines_before(first)
        at = self.blank_start(first.line) if gap else first.line
        self.insert_text(at, self.nl * gap + text, into=self.late)
        self.mark_placed(path, at)

    def mark_placed(self, path: Path, at: int) -> None:
        """Record that the table at ``path`` (and so each table holding it) is written from
        ``at`` on, for ``keep_place`` and ``keep_dotted_place``."""
        for depth in range(len(path) + 1):
            prefix = path[:depth]
            self.placed[prefix] = min(self.placed.get(prefix, at), at)

    def sections_after(
        self, entries: list[Entry], sources: Sequence[int | None]
    ) -> list[Table | Aot | None]:
        """For each position ``j`` of the data's order, the first kept entry written as
        ``[sections]`` after it, or None if there is none. One pass over ``sources``: a search
        per new table would make adding many tables quadratic."""
        found: list[Table | Aot | None] = [None] * len(sources)
        following: Table | Aot | None = None
        for j in range(len(sources) - 1, -1, -1):
            found[j] = following
            source = sources[j]
            if source is not None and not self.is_line(entries[source]):
                node = entries[source].node
                assert not isinstance(node, Value)  # a value is always on a key/value line
                following = node
        return found

    def section_start(self, node: Table | Aot) -> int:
        """Where a kept table's sections start once the edit is made, for new sections to go
        before it: where its section was put back (``keep_place``), else its first statement
        still written (new text inside a deleted one could not be placed), with the comment
        lines directly above it."""
        placed = self.placed.get(node.path)
        if placed is not None:
            return placed
        stmts, under = self.tree.stmts, self.tree.under(node.path)
        first = next((stmts[i] for i in under if stmts[i] not in self.gone), stmts[under[0]])
        return self.comments_above(first.line)

    # -- order ----------------------------------------------------------------------------------

    def is_line(self, entry: Entry) -> bool:
        """An entry written on key/value lines of its table's section (a value, or a table of
        dotted keys), not as ``[sections]`` of its own."""
        node = entry.node
        return isinstance(node, Value) or (isinstance(node, Table) and node.how == "dotted")

    def becomes_line(self, entry: Entry, new: Any) -> bool:
        """A ``[section]`` (a table or an array of tables) whose new value is a plain one:
        TOML writes it on a key/value line of its table (``diff_entry``'s last case)."""
        node = entry.node
        if isinstance(node, Aot):
            return not _is_tables(new)
        return isinstance(node, Table) and node.how != "dotted" and not isinstance(new, dict)

    def check_order(
        self,
        table: Table,
        entries: list[Entry],
        items: list[tuple[str, Any]],
        sources: Sequence[int | None],
    ) -> None:
        """Refuse an order TOML cannot write, at the key that would have to move: a table's
        plain keys come before its ``[sections]`` (a key after a header belongs to that
        header's table), and sections are not moved. A moved key is one key/value line."""
        place = ".".join(map(str, table.path)) or "the top level"
        last_section: Entry | None = None
        last_source = -1
        for (key, _), source in zip(items, sources, strict=True):
            if source is None:
                continue
            entry = entries[source]
            if not self.is_line(entry):
                if source < last_source and last_section is not None:
                    raise _order_error(
                        f"refusing to write: the table {key!r} of {place} would come after "
                        f"{last_section.key.name!r}; moving TOML [sections] is not supported",
                        entry,
                    )
                last_section, last_source = entry, source
            elif last_section is not None and source < last_source:
                # (a key the file already writes after the section, under a later header of
                # its table, ``[s.t]`` then ``[s]``, stays there: nothing has to move)
                raise _order_error(
                    f"refusing to write: {key!r} would follow the table "
                    f"{last_section.key.name!r} in {place}, and TOML writes a table's plain keys "
                    "before its [sections] (a key after a header belongs to that header's table)",
                    entry,
                )

    def own_lines(self, table: Table, entry: Entry) -> tuple[int, int]:
        """Where an entry's own lines start and end: its key/value lines (all of a dotted
        table's), with the comment lines directly above the first (no blank line between)."""
        stmts = self.entry_stmts(table, entry)
        return self.comments_above(stmts[0].line), max(s.after for s in stmts)

    def comments_above(self, start: int) -> int:
        """The start of the comment lines directly above the line at ``start`` (no blank line
        between, none inside the statement above), else ``start``."""
        afters = self.afters()
        found = bisect.bisect_right(afters, start)
        floor = afters[found - 1] if found else 0  # the end of the statement above
        while start > floor:
            above = self.src.rfind("\n", 0, start - 1) + 1
            if not self.src[above:start].lstrip(" \t").startswith("#") or above < floor:
                break
            start = above
        return start

    def afters(self) -> list[int]:
        """Where each statement ends, in text order (increasing): bisected for the statement
        an offset falls in."""
        if self._afters is None:
            self._afters = [s.after for s in self.tree.stmts]
        return self._afters

    def entry_stmts(self, table: Table, entry: Entry) -> list[Stmt]:
        if entry.stmt is not None:
            return [entry.stmt]
        return self.dotted_stmts((*table.path, entry.key.name))

    def dotted_stmts(self, path: Path) -> list[Stmt]:
        """The key/value lines that write into the dotted table at ``path`` through their own
        dotted key (``a.b = 1`` for ``a``), not those of a deeper header's section (``q = 1``
        under ``[a.x]``), which belong to that header's table. Indexed for every dotted table
        at once, on the first call: a search of the statements per table would make an edit
        of a front matter of many dotted tables quadratic."""
        if self._dotted is None:
            self._dotted = {}
            for stmt in self.tree.stmts:
                if stmt.kind == "kv":
                    # the tables its own key parts name: after its section's path, before its key
                    for depth in range(len(stmt.path) - len(stmt.parts) + 1, len(stmt.path)):
                        self._dotted.setdefault(stmt.path[:depth], []).append(stmt)
        return self._dotted.get(path, [])

    def moved_text(
        self, table: Table, entry: Entry, old_key: str, key: str, old: Any, new: Any
    ) -> str:
        """An entry's own lines, their edits (its value, a rename) applied, to be inserted
        elsewhere; the lines themselves are deleted where they were."""
        if len(self.entry_stmts(table, entry)) != 1:
            raise _order_error(
                f"refusing to write: moving the dotted keys {key}.* (several lines) is not "
                "supported; move them as one table, or leave them in place",
                entry,
            )
        start, end = self.own_lines(table, entry)
        saved, self.patches = self.patches, []
        try:
            if old_key != key:
                self.rename(table, old_key, key)
            if not same_in_order(old, new):
                self.diff_entry(table, key, entry, old, new)
            inner = [Patch(p.start - start, p.end - start, p.text) for p in self.patches]
        finally:
            self.patches = saved
        self.deleted.append((start, end))
        text = apply(self.src[start:end], inner)
        return text if text.endswith("\n") else text + self.nl

    def rename(self, table: Table, old_key: str, new_key: str) -> None:
        """Write ``new_key`` where ``old_key`` is written in every statement naming it (its
        key/value line, or every header and dotted key of a table)."""
        path = (*table.path, old_key)
        depth = _names(path)
        for at in self.tree.under(path):
            stmt = self.tree.stmts[at]
            index = depth - 1 - (_names(stmt.path) - len(stmt.parts))
            if 0 <= index < len(stmt.parts):
                part = stmt.parts[index]
                self.patches.append(Patch(part.start, part.end, key_text(new_key)))

    def diff_entry(self, table: Table, key: str, entry: Entry, old: Any, new: Any) -> None:
        node = entry.node
        if isinstance(node, Value):
            text = self.value_text(node, old, new)
            self.patches.append(Patch(node.start, node.end, text))
        elif (
            isinstance(node, Table)
            and isinstance(new, dict)
            and (new or not _written_by_keys(node))
        ):
            self.diff_table(node, old, new)
        elif isinstance(node, Aot) and _is_tables(new):
            self.diff_aot(node, old, new)
        elif isinstance(node, Table) and node.how == "dotted":
            # A table of dotted keys becomes a plain value, or empty (no key would be left to
            # write it): one key/value line where its first line was, so that it keeps its place.
            first = self.entry_stmts(table, entry)[0]
            self.delete(entry)
            self.insert_text(first.line, self.line_text(table, key, new))
        elif isinstance(node, Table) and node.how == "implicit" and new == {}:
            # A table implied by deeper headers is emptied: it keeps a [header] of its own where
            # its first section was (removing its sections would remove the table).
            self.delete(entry)
            self.insert_lines(node, [])
        else:  # a table becomes a plain value: its sections go, a key/value line comes
            self.delete(entry)
            self.insert(table, [(key, new)], plain=True)

    def delete(self, entry: Entry) -> None:
        """Remove every line that writes into ``entry``'s subtree."""
        node = entry.node
        if isinstance(node, Value):
            assert entry.stmt is not None
            # Its own lines: the comment lines directly above it go with it.
            self.deleted.append((self.comments_above(entry.stmt.line), entry.stmt.after))
            self.gone.add(entry.stmt)
            return
        self.delete_path(node.path)

    def delete_path(self, path: Path) -> None:
        stmts = self.tree.stmts
        for index in self.tree.under(path):
            stmt = stmts[index]
            self.gone.add(stmt)
            if stmt.kind == "kv":
                self.deleted.append((stmt.line, stmt.after))
                continue
            end, following = stmt.after, index + 1  # its section: the key/value lines after it
            while following < len(stmts) and stmts[following].kind == "kv":
                end = stmts[following].after
                following += 1
            start = self.blank_start(stmt.line)
            self.deleted.append((stmt.line if start == 0 else start, end))

    def diff_aot(self, node: Aot, old: list[Any], new: list[Any]) -> None:
        elements = node.elements
        pairs, removed, added = _align(old, new)
        for i, j in pairs:
            if not same_in_order(old[i], new[j]):
                self.diff_table(elements[i], old[i], new[j])
        for i in removed:
            self.delete_path(elements[i].path)
        header = elements[-1].header
        assert header is not None
        name = self.src[header.parts[0].start : header.parts[-1].end]
        gap = self.nl * self.blank_lines_before(header)
        for after_old, values in added:
            if after_old is None:
                first = elements[0].header
                assert first is not None
                text = "".join(self.section(name, v, aot=True) + gap for v in values)
                self.insert_text(first.line, text)
            else:
                text = "".join(gap + self.section(name, v, aot=True) for v in values)
                self.insert_text(self.region_end(elements[after_old].path), text)
        if removed and new:
            self.keep_place(node)

    # -- new entries --------------------------------------------------------------------------

    def insert(
        self,
        table: Table,
        added: list[tuple[str, Any]],
        plain: bool = False,
        lines_added: bool = False,
    ) -> None:
        """New keys: plain values after the table's last key/value line; new tables (and
        arrays of tables) as sections after the table's last section (``lines_added``: new
        key/value lines were written before them)."""
        sectioned = table.how in ("root", "header", "element", "implicit")
        lines = [(k, v) for k, v in added if plain or not sectioned or not _table_like(v)]
        line_keys = {k for k, _ in lines}
        sections = [(k, v) for k, v in added if k not in line_keys]
        if lines:
            self.insert_lines(table, lines)
        if sections:
            at = self.region_end(table.path) if table.how != "root" else len(self.src)
            blank = self.nl * self.section_gap()
            text = ""
            for index, (key, value) in enumerate(sections):
                gap = blank if index or self.src.strip() or lines or lines_added else ""
                text += "".join(gap + part for part in self.section_texts(table, key, value))
            self.insert_text(at, text)

    def section_texts(self, table: Table, key: str, value: Any) -> list[str]:
        """A new table of ``table`` as its ``[section]``, or an array of tables as one
        ``[[section]]`` per element."""
        prefix = self.header_name(table)
        name = (prefix + "." if prefix else "") + key_text(key)
        if isinstance(value, dict):
            return [self.section(name, value)]
        return [self.section(name, element, aot=True) for element in value]

    def insert_lines(self, table: Table, added: list[tuple[str, Any]]) -> None:
        own = self.own_kv(table)
        if table.how == "implicit" and not own:
            # A header of its own before its first section (see put_first).
            first = self.tree.stmts[self.tree.under(table.path)[0]]
            text = "[" + self.header_name(table) + "]" + self.nl
            text += "".join(key_text(k) + " = " + inline_value(v) + self.nl for k, v in added)
            self.put_first(table.path, first, text)
            return
        if own:
            at = own[-1].after
        elif table.header is not None:
            at = table.header.after
        else:
            at = 0
        self.insert_text(at, "".join(self.line_text(table, k, v) for k, v in added))

    def line_text(self, table: Table, key: str, value: Any) -> str:
        """A new key/value line of ``table``, written like its last one (indentation, the
        text around ``=``, the table's part of a dotted key)."""
        own = self.own_kv(table)
        indent, sep, prefix = "", " = ", ""
        if own:
            last = own[-1]
            indent, sep = last.indent, last.sep
            depth = len(table.path) - (len(last.path) - len(last.parts))
            # The table's part of the last line's dotted key, as written (``site . ``).
            prefix = self.src[last.parts[0].start : last.parts[depth].start] if depth else ""
        return indent + prefix + key_text(key) + sep + self.new_value(value) + self.nl

    def own_kv(self, table: Table) -> list[Stmt]:
        """The key/value lines that write directly into ``table``: once per table (asked for
        each new line, a search per line would make adding many keys quadratic)."""
        if table.how == "dotted":
            return self.dotted_stmts(table.path)
        own = self._own.get(table)
        if own is None:
            own = self._own[table] = [s for s in table.stmts if s.kind == "kv"]
        return own

    def insert_text(self, at: int, text: str, into: list[Patch] | None = None) -> None:
        """Insert ``text`` at ``at``: a patch of the edit's own, or of ``into``."""
        if at == len(self.src) and self.src and not self.src.endswith("\n"):
            text = self.nl + text
        (self.patches if into is None else into).append(Patch(at, at, text))

    def new_value(self, value: Any) -> str:
        return inline_value(value)

    def render(self, data: dict[str, Any]) -> str:
        """A whole front matter holding ``data`` (the tree is empty), laid out as
        :meth:`section_lines` says, a mapping before a plain value as dotted keys (a long
        mapping stays readable, and each of its keys has a line a comment can go above)."""
        check_representable(data)
        return self.section_lines("", data, "", dotted=True)

    def section(
        self, name: str, value: dict[str, Any], aot: bool = False, dotted: bool = False
    ) -> str:
        """A new ``[name]`` (or ``[[name]]``) section and its lines."""
        open_, close = ("[[", "]]") if aot else ("[", "]")
        return self.section_lines(name, value, open_ + name + close + self.nl, dotted)

    def section_lines(
        self, name: str, value: dict[str, Any], text: str, dotted: bool = False
    ) -> str:
        """``text`` (a header, or nothing for the root) followed by ``value``'s lines. Keys
        keep their order: a table or array of tables is a section of its own only after the
        last plain value, else a value on its line (``dotted``: a non-empty table as dotted
        keys, ``a.b = 1``; else inline); a blank line goes before each section."""
        items = list(value.items())
        cut = len(items)
        while cut and _table_like(items[cut - 1][1]):
            cut -= 1
        text += "".join(self.key_lines(key_text(k), v, dotted) for k, v in items[:cut])
        for key, sub in items[cut:]:
            inner = (name + "." if name else "") + key_text(key)
            for table in [sub] if isinstance(sub, dict) else sub:
                section = self.section(inner, table, aot=sub is not table, dotted=dotted)
                text += (self.nl if text else "") + section
        return text

    def key_lines(self, key: str, value: Any, dotted: bool) -> str:
        """``key = value``, or with ``dotted`` a non-empty table as one line per value."""
        if dotted and isinstance(value, dict) and value:
            return "".join(
                self.key_lines(key + "." + key_text(k), v, dotted) for k, v in value.items()
            )
        return key + " = " + inline_value(value) + self.nl

    # -- geometry of sections -----------------------------------------------------------------

    def region_end(self, path: Path) -> int:
        """After the last line that writes into the subtree at ``path``."""
        found = self.tree.under(path)  # in text order: the last one ends last
        return self.tree.stmts[found[-1]].after if found else len(self.src)

    def header_name(self, table: Table) -> str:
        """The dotted name a header of ``table`` is written with ("" for the root)."""
        if table.how == "root":
            return ""
        if table.header is not None:
            parts = table.header.parts
            return self.src[parts[0].start : parts[-1].end]
        parent = self.tree.table_of(table.path[:-1])
        prefix = self.header_name(parent) if parent is not None else ""
        return (prefix + "." if prefix else "") + key_text(str(table.path[-1]))

    def blank_start(self, line: int) -> int:
        """The start of the blank lines right above the line starting at ``line``."""
        while line > 0:
            above = self.src.rfind("\n", 0, line - 1) + 1
            if self.src[above:line].strip():
                break
            line = above
        return line

    def blank_lines_before(self, stmt: Stmt) -> int:
        start = self.blank_start(stmt.line)
        return 0 if start == 0 else self.src.count("\n", start, stmt.line)

    def section_gap(self) -> int:
        """Blank lines the file puts before its headers (those of the first header)."""
        for stmt in self.tree.stmts:
            if stmt.kind != "kv":
                return self.blank_lines_before(stmt)
        return 1

    # -- values -------------------------------------------------------------------------------

    def value_text(self, node: Value, old: Any, new: Any) -> str:
        """The text of a value after the edit, in the style of the one it replaces."""
        if same_in_order(old, new):
            return self.src[node.start : node.end]
        if node.kind == "scalar" and not isinstance(new, (dict, list)):
            return render_scalar(new, self.src[node.start : node.end], node.style, self.nl)
        if node.kind == "array" and isinstance(new, list) and node.items and new:
            return self.rebuild_array(node, old, new)
        if node.kind == "inline" and isinstance(new, dict):
            return self.rebuild_inline(node, old, new)
        return inline_value(new)

    def rebuild_array(self, node: Value, old: list[Any], new: list[Any]) -> str:
        """The array with its unchanged items' text, comments and line layout kept; changed
        items in their own style; new items laid out like their neighbours."""
        items = node.items
        opener = items[0].lead
        # What follows an item on its own line (its comment, its line break) stays with it.
        afters = [_first_line(item.lead) for item in items[1:]] + [_first_line(node.tail)]
        leads = [""] + [
            item.lead[len(after) :] for item, after in zip(items[1:], afters[:-1], strict=True)
        ]
        tail = node.tail[len(afters[-1]) :]
        multiline = "\n" in opener or any("\n" in a for a in afters)
        # A new item's lead: the indentation of the last item's line (never its comments).
        template_lead = _last_line(leads[-1] if len(items) > 1 else opener)
        if not multiline:
            template_lead = template_lead or " "
        template_after = self.nl if multiline else ""
        trailing_comma = items[-1].comma
        pairs, removed, added = _align(old, new)
        del removed
        rows: list[tuple[int | None, int]] = [(i, j) for i, j in pairs]
        for after_old, values in added:
            base = (
                next((j for i, j in pairs if i == after_old), -1) if after_old is not None else -1
            )
            rows += [(None, base + 1 + k) for k in range(len(values))]
        rows.sort(key=lambda row: row[1])
        out = "[" + opener
        for position, (i, j) in enumerate(rows):
            last = position == len(rows) - 1
            comma = "," if not last or trailing_comma else ""
            if i is not None:
                item = items[i]
                lead = "" if position == 0 else (leads[i] if i else template_lead)
                text = self.value_text(item.value, old[i], new[j])
                out += lead + text + item.gap + comma + afters[i]
            else:
                template = self.neighbour(items, rows, position)
                text = self.item_text(new[j], template)
                out += ("" if position == 0 else template_lead) + text + comma + template_after
        return out + tail + "]"

    def neighbour(self, items: list[Item], rows: list[tuple[int | None, int]], at: int) -> Item:
        """The old item nearest before position ``at`` (else the first), to copy a style."""
        for i, _ in reversed(rows[:at]):
            if i is not None:
                return items[i]
        return items[0]

    def item_text(self, value: Any, template: Item) -> str:
        node = template.value
        if node.kind == "scalar" and not isinstance(value, (dict, list)):
            return render_scalar(value, self.src[node.start : node.end], node.style, self.nl)
        return inline_value(value)

    def rebuild_inline(self, node: Value, old: dict[str, Any], new: dict[str, Any]) -> str:
        """An inline table with its unchanged pairs' text kept (``{}`` and dotted keys whose
        shape changes are written anew)."""
        assert node.table is not None
        stmts = node.table.stmts
        simple = all(len(s.parts) == 1 for s in stmts)
        relative = [stmt.path[len(node.table.path) :] for stmt in stmts]
        if not stmts or (not simple and not _same_tables(old, new, relative)):
            return inline_value(new)
        src = self.src
        if not simple:  # the same tables and keys, some values differ: patch them in place
            out, pos = "", node.start
            for stmt in stmts:
                value = stmt.value
                assert value is not None
                old_leaf = _get(old, stmt.path[len(node.table.path) :])
                new_leaf = _get(new, stmt.path[len(node.table.path) :])
                out += src[pos : value.start] + self.value_text(value, old_leaf, new_leaf)
                pos = value.end
            return out + src[pos : node.end]
        between = src[stmts[0].end : stmts[1].start] if len(stmts) > 1 else ", "
        written = {stmt.parts[0].name: stmt for stmt in stmts}
        sep = stmts[-1].sep
        pairs = []
        for key, value in new.items():  # in the data's order
            pair = written.get(key)
            if pair is None:
                pairs.append(key_text(key) + sep + inline_value(value))
                continue
            assert pair.value is not None
            text = self.value_text(pair.value, old[key], value)
            pairs.append(src[pair.start : pair.value.start] + text)
        if not pairs:
            return "{}"
        opener = src[node.start + 1 : stmts[0].start]
        closer = src[stmts[-1].end : node.end - 1]
        return "{" + opener + between.join(pairs) + closer + "}"


def _written_by_keys(table: Table) -> bool:
    """A table that exists in the text only through its keys: dotted keys (``a.b = 1``), or
    deeper headers (``[x.y]`` for ``x``). Without keys, nothing would write it."""
    return table.how in ("dotted", "implicit")


def _table_like(value: Any) -> bool:
    return isinstance(value, dict) or _is_tables(value)


def _first_line(text: str) -> str:
    """``text`` up to and including its first line break ("" if it has none)."""
    end = text.find("\n")
    return "" if end == -1 else text[: end + 1]


def _last_line(text: str) -> str:
    return text[text.rfind("\n") + 1 :]


def _get(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def _same_tables(old: dict[str, Any], new: dict[str, Any], paths: list[Path]) -> bool:
    """Whether ``new`` holds every table the dotted keys at ``paths`` write in ``old`` (the
    inline table itself, ``a`` of ``a.b = 1``), each with the same keys in the same order: then
    only values differ, and each is patched where it is written. A key added to or removed from
    any of them (or a table become a value) needs the table written anew.

    Each table once (the prefixes of the paths, the inline table itself among them), not once
    per path: comparing the inline table's keys per dotted key was quadratic in them."""
    tables = {path[:depth] for path in paths for depth in range(len(path))}
    for table in sorted(tables, key=len):  # a parent before its children
        found: Any = new
        for key in table:
            found = found.get(key) if isinstance(found, dict) else None
        if not isinstance(found, dict) or list(found) != list(_get(old, table)):
            return False
    return True


def _align(
    old: list[Any], new: list[Any]
) -> tuple[list[tuple[int, int]], list[int], list[tuple[int | None, list[Any]]]]:
    """Pair old and new items: equal runs at both ends, then the middle position by position.
    Returns (pairs of old/new indexes, removed old indexes, [(old index the new items follow,
    new items)])."""
    prefix = 0
    while prefix < min(len(old), len(new)) and same_in_order(old[prefix], new[prefix]):
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and same_in_order(
        old[len(old) - 1 - suffix], new[len(new) - 1 - suffix]
    ):
        suffix += 1
    middle = min(len(old), len(new)) - prefix - suffix
    pairs = [(i, i) for i in range(prefix + middle)]
    pairs += [(len(old) - suffix + k, len(new) - suffix + k) for k in range(suffix)]
    removed = list(range(prefix + middle, len(old) - suffix))
    added: list[tuple[int | None, list[Any]]] = []
    extra = new[prefix + middle : len(new) - suffix]
    if extra:
        follows = prefix + middle - 1
        added.append((follows if follows >= 0 else None, extra))
    return pairs, removed, added


def _names(path: Path) -> int:
    """How many keys a path names (array-of-tables indexes are not keys)."""
    return sum(isinstance(step, str) for step in path)


def _order_error(message: str, entry: Entry) -> Located:
    return Located(OrderError, message, entry.key.start)
