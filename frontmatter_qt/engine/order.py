"""Key order as data: how a mapping's entries in a file map onto the intended entries.

Each format's diff asks the same questions of a mapping: which intended entry comes from which
entry of the file (the same key, or a rename), which entries stay where they are, and which
move. :func:`plan` answers them once for every format; the formats turn the answer into
patches in their own syntax.

* **Renames.** An intended key the file does not have, standing right where a key the data no
  longer has stood (the entry before it is the same in both, or both are first) and holding
  that key's value type-exactly, is that entry renamed: what ``doc.rename`` does to the data,
  and what a user who replaces a key by another with the same value means. The file keeps the
  entry's place, value text and comments; only the key's text changes.
* **Fewest moves.** The entries that keep their place are a longest run of kept entries already
  in the file's order (a longest increasing subsequence of their old indexes); every other kept
  entry moves, so a swap of two neighbours moves one entry, not the rest of the mapping.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.engine.equality import key_token

__all__ = ["Plan", "longest_increasing", "plan"]


@dataclass(frozen=True)
class Plan:
    """``sources[j]``: the old index intended entry ``j`` comes from (None: a new entry);
    ``stay``: the old indexes that keep their place; ``renamed``: old indexes whose key is
    written anew (kept at their place in the order)."""

    sources: tuple[int | None, ...]
    stay: frozenset[int]
    renamed: frozenset[int]

    @property
    def moves(self) -> bool:
        return any(s is not None and s not in self.stay for s in self.sources)

    def moved(self) -> list[int]:
        """Old indexes of the entries that move, in intended order."""
        return [s for s in self.sources if s is not None and s not in self.stay]


def plan(
    old_keys: Sequence[Any],
    new_keys: Sequence[Any],
    same_value_at: Callable[[int, int], bool],
) -> Plan:
    """Match the intended keys to the file's. ``same_value_at(i, j)``: old entry ``i`` and
    intended entry ``j`` hold the same value (type-exact; asked only for rename candidates)."""
    where: dict[Hashable, int] = {key_token(k): i for i, k in enumerate(old_keys)}
    sources: list[int | None] = [where.get(key_token(k)) for k in new_keys]
    taken = {s for s in sources if s is not None}
    renamed: set[int] = set()
    for j, source in enumerate(sources):
        if source is not None:
            continue
        before = sources[j - 1] if j else -1  # the old index of the entry before it
        if before is None:
            continue
        candidate = before + 1
        if candidate < len(old_keys) and candidate not in taken and same_value_at(candidate, j):
            sources[j] = candidate
            taken.add(candidate)
            renamed.add(candidate)
    kept = [s for s in sources if s is not None]
    stay = frozenset(kept[i] for i in longest_increasing(kept))
    return Plan(tuple(sources), stay, frozenset(renamed))


def longest_increasing(values: Sequence[int]) -> list[int]:
    """Positions in ``values`` of one longest strictly increasing subsequence (O(n log n))."""
    tails: list[int] = []  # tails[k]: the smallest last value of an increasing run of k + 1
    tail_at: list[int] = []  # its position
    previous: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[k] = value
            tail_at[k] = position
        previous[position] = tail_at[k - 1] if k else -1
    run: list[int] = []
    position = tail_at[-1] if tail_at else -1
    while position != -1:
        run.append(position)
        position = previous[position]
    return run[::-1]
