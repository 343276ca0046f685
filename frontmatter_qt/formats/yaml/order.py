"""How an edited YAML tree's old nodes correspond to the new data: type-exact equality of a node
and a value (key order included), the alignment of a list's old items with its new ones, and a
mapping's order plan (which entries stay, move, are renamed, deleted or added)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.engine.equality import fingerprint, key_token, same_scalar
from frontmatter_qt.engine.order import longest_increasing, pair_changes, shortest_edit
from frontmatter_qt.formats.yaml.nodes import MAPPING, SCALAR, Node, to_python

# How many insertions and deletions the list alignment looks for before it pairs items by
# position instead (each costs one pass over the list at most: the alignment stays linear).
_MAX_ALIGN_EDITS = 16


def node_equals(node: Node, value: Any) -> bool:
    """Whether the node reads as ``value``, type-exactly (keys included: ``1`` is not ``True``),
    with every mapping's keys in the same order.

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
            # Key order is data: the same entries in another order are another value.
            if not isinstance(value, dict) or len(value) != len(node.pairs):
                return False
            for (key, item), (own, other) in zip(node.pairs, value.items(), strict=True):
                if not (key.value == own if type(own) is str else same_scalar(key.value, own)):
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


def align(items: list[Node], new: list[Any]) -> list[tuple[int | None, int | None]]:
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
        edits = shortest_edit(a, b, _MAX_ALIGN_EDITS)
        if edits is not None:
            return pair_changes(edits)
    return pair_changes(
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


@dataclass(frozen=True, slots=True)
class MappingOrder:
    """How a block mapping's entries become the new data's: per old entry, the index in the
    data's key order it becomes (None: deleted), whether it is written under a new key
    (renamed) and whether its lines stay where they are (stationary); per data key, the old
    entry it comes from (None: a new entry)."""

    targets: list[int | None]
    renamed: list[bool]
    stationary: list[bool]
    sources: list[int | None]

    @property
    def unchanged(self) -> bool:
        """Every entry kept, none moved, none added: edits (if any) are inside entries."""
        return all(self.stationary) and None not in self.sources and not any(self.renamed)


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
