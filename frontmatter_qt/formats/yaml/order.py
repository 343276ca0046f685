"""How an edited YAML tree's old nodes correspond to the new data: type-exact equality of a node
and a value (key order included), the alignment of a list's old items with its new ones, and a
mapping's order plan (which entries stay, move, are renamed, deleted or added)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from frontmatter_qt.engine.equality import fingerprint, same_scalar
from frontmatter_qt.engine.order import pair_changes, shortest_edit
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
                elif type(other) is str and type(target.value) is str:
                    if target.value != other:  # the usual value, without a call
                        return False
                elif isinstance(other, (dict, list)) or not same_scalar(target.value, other):
                    return False
        else:
            if not isinstance(value, list) or len(value) != len(node.items):
                return False
            for item, other in zip(node.items, value, strict=True):
                target = item.target if item.target is not None else item
                if target.kind != SCALAR:
                    pending.append((target, other))
                elif type(other) is str and type(target.value) is str:
                    if target.value != other:
                        return False
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
