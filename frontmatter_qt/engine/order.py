"""Sequence alignment, generic: the shortest edit script between two sequences of codes
(Myers), the pairing of its deletions and insertions into changes, and the longest increasing
subsequence (which entries of a reordered mapping can stay where they are)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


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
