"""Order and alignment, generic (every format's diff uses them; none knows a syntax).

* **Key order as data** (:func:`plan_mapping`): how a mapping's entries in a file map onto the
  intended entries. Each format's diff asks the same questions of a mapping: which intended
  entry comes from which entry of the file (the same key, or a rename), which entries stay
  where they are, and which move; the formats turn the answer into patches in their own syntax.
* **Renames.** An intended key the file does not have, standing where a key the data no longer
  has stood (between the same kept neighbours on both sides) and holding that key's value
  type-exactly, is that entry renamed: what ``doc.rename`` does to the data, and what a user
  who replaces a key by another with the same value means. The file keeps the entry's place,
  value text and comments; only the key's text changes.
* **Fewest moves.** The entries that keep their place are a longest run of kept entries already
  in the file's order (:func:`longest_increasing`); every other kept entry moves, so a swap of
  two neighbours moves one entry, not the rest of the mapping.
* **List alignment**: Myers' shortest edit script between two sequences of codes
  (:func:`shortest_edit`) and the pairing of its deletions and insertions into changes.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.engine.equality import key_token


def longest_increasing(values: Sequence[int]) -> list[bool]:
    """Which positions of ``values`` (distinct integers) form a longest strictly increasing
    subsequence: a mapping whose kept keys are reordered keeps those entries in place and moves
    the others, so as few entries as possible move.

    Of several longest ones, the one keeping the earliest positions is chosen (deterministic:
    moving one key of two moves the later one in the file). O(n log n).
    """
    n = len(values)
    # Right to left, a longest *decreasing* run of values (read leftwards) ending at each
    # position; ``tails[k]`` is the position whose value is the largest that can end a run of
    # k + 1, so on a tie the leftmost position wins.
    tails: list[int] = []
    keys: list[int] = []  # -values[tails[k]], increasing, for bisect
    follows: list[int] = [-1] * n
    for position in range(n - 1, -1, -1):
        key = -values[position]
        k = bisect.bisect_left(keys, key)
        follows[position] = tails[k - 1] if k else -1
        if k == len(tails):
            tails.append(position)
            keys.append(key)
        else:
            tails[k] = position
            keys[k] = key
    keep = [False] * n
    position = tails[-1] if tails else -1
    while position != -1:
        keep[position] = True
        position = follows[position]
    return keep


def shortest_edit(
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


def pair_changes(
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


@dataclass(frozen=True)
class MappingOrder:
    """How a block mapping's entries become the new data's: per old entry, the index in the
    data's key order it becomes (None: deleted), whether it is written under a new key
    (renamed) and whether its lines stay where they are (stationary); per data key, the old
    entry it comes from (None: a new entry)."""

    targets: list[int | None]
    renamed: list[bool]
    stationary: list[bool]
    sources: list[int | None]

    @functools.cached_property
    def stay(self) -> frozenset[int]:
        """The old indexes of the entries whose lines stay where they are (computed once:
        editors ask it per entry)."""
        return frozenset(i for i, still in enumerate(self.stationary) if still)

    @property
    def unchanged(self) -> bool:
        """Every entry kept, none moved, none added: edits (if any) are inside entries."""
        return all(self.stationary) and None not in self.sources and not any(self.renamed)


def same_keys(keys: list[Any], new_keys: list[Any]) -> bool:
    """Whether the data keeps every key where it is, type-exactly: the usual edit, whose plan
    is each entry its own index, none renamed, all stationary (an editor may skip planning)."""
    if len(keys) != len(new_keys):
        return False
    if (
        keys == new_keys
        and _STR_ONLY.issuperset(map(type, keys))
        and _STR_ONLY.issuperset(map(type, new_keys))
    ):
        # Exact str keys, equal in order (== is type-exact between exact strs): the usual
        # case, told without a Python loop. The general loop below tells the rest (a str
        # subclass, a NaN key, which == never finds equal to another NaN, ...).
        return True
    return all(
        (a == b) if type(a) is str and type(b) is str else key_token(a) == key_token(b)
        for a, b in zip(keys, new_keys, strict=True)
    )


_STR_ONLY = frozenset({str})


def plan_mapping(
    keys: list[Any], new_keys: list[Any], renamable: Callable[[int, int], bool]
) -> MappingOrder:
    """The order plan of a mapping whose entries have ``keys`` (in file order) and whose data
    has ``new_keys`` (in data order), keys matched type-exactly.

    A deleted entry and a new key standing in the same place of the order (between the same
    kept keys on both sides) pair up as a rename when ``renamable(old, new)`` (the value is the
    same, type-exactly, and the new key can be written in place of the old): pairs are taken
    in order, so renamed entries never need to move among themselves. Then the kept entries
    (renamed ones included) that form the longest run already in the data's order stay; the
    others move.
    """
    if same_keys(keys, new_keys):
        # The usual edit keeps every key where it is: what the general plan gives then (each
        # entry its own index, none renamed, all stationary), without building it.
        n = len(keys)
        return MappingOrder(list(range(n)), [False] * n, [True] * n, list(range(n)))
    return _plan(keys, new_keys, renamable)


def _plan(
    keys: list[Any], new_keys: list[Any], renamable: Callable[[int, int], bool]
) -> MappingOrder:
    """plan_mapping's general case."""
    index = {key_token(key): j for j, key in enumerate(new_keys)}
    targets: list[int | None] = [index.get(key_token(key)) for key in keys]
    sources: list[int | None] = [None] * len(new_keys)
    for i, j in enumerate(targets):
        if j is not None:
            sources[j] = i
    renamed = [False] * len(keys)
    if None in targets and None in sources:
        _pair_renames(targets, sources, renamed, renamable)
    survivors = [i for i, j in enumerate(targets) if j is not None]
    keep = longest_increasing([targets[i] for i in survivors])  # type: ignore[misc]
    stationary = [False] * len(keys)
    for i, kept in zip(survivors, keep, strict=True):
        stationary[i] = kept
    return MappingOrder(targets, renamed, stationary, sources)


def _pair_renames(
    targets: list[int | None],
    sources: list[int | None],
    renamed: list[bool],
    renamable: Callable[[int, int], bool],
) -> None:
    """Pair deleted entries with new keys in the same slot of the order (see plan_mapping)."""

    def slots(links: list[int | None]) -> list[tuple[int, int]]:
        # Per position: the kept neighbours (as data indexes; -1 for none) before and after.
        out: list[tuple[int, int]] = []
        before = -1
        for link in links:
            out.append((before, -1))
            if link is not None:
                before = link
        after = -1
        for position in range(len(links) - 1, -1, -1):
            out[position] = (out[position][0], after)
            link = links[position]
            if link is not None:
                after = link
        return out

    # neighbours are named by data index: a kept entry's target, a kept key's own index
    old_slots = slots(targets)
    new_slots = slots([j if sources[j] is not None else None for j in range(len(sources))])
    deleted: dict[tuple[int, int], list[int]] = {}
    for i, target in enumerate(targets):
        if target is None:
            deleted.setdefault(old_slots[i], []).append(i)
    for j, source in enumerate(sources):
        if source is not None:
            continue
        candidates = deleted.get(new_slots[j], [])
        for position, old in enumerate(candidates):
            if renamable(old, j):
                targets[old], sources[j], renamed[old] = j, old, True
                del candidates[: position + 1]  # later new keys pair with later entries only
                break
