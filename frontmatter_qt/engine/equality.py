"""Type-exact equality of plain front-matter data: ``1``, ``1.0`` and ``True`` are different.

Python's ``==`` (and so dict lookup) says ``1 == 1.0 == True`` and ``0.0 == -0.0``; a file says
``1``, ``1.0``, ``true``, ``0.0`` or ``-0.0``. Everything here compares by *category* (bool, int,
float, str, date, datetime, ...) and value, for mapping keys as for values. A subclass belongs
to its base's category (an ``IntEnum`` member is an int; the engine writes its int value), so
``IntEnum(1)`` is the same as ``1``, and ``True`` is not.

The walks are iterative: user data may be nested arbitrarily deep or refer to itself. Data
nested deeper than :data:`~frontmatter_qt.engine.limits.DEPTH_CEILING` is never called the same
(so a self-referencing structure ends there instead of looping).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable
from typing import Any

from frontmatter_qt.engine.limits import DEPTH_CEILING
from frontmatter_qt.keypath import KeyPath

_MISSING: Any = object()


def _category(value: Any) -> type:
    if isinstance(value, bool):
        return bool
    if isinstance(value, int):
        return int
    if isinstance(value, float):
        return float
    if isinstance(value, str):
        return str
    if isinstance(value, dt.datetime):
        return dt.datetime
    if isinstance(value, dt.date):
        return dt.date
    if isinstance(value, dict):
        return dict
    if isinstance(value, list):
        return list
    return type(value)


def same_scalar(a: Any, b: Any) -> bool:
    kind = type(a)
    if kind is type(b) and kind is not float and kind is not dt.datetime:
        return bool(a == b)
    kind = _category(a)
    if kind is not _category(b):
        return False
    if kind is float:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        # 0.0 == -0.0, but the file says which one
        return bool(a == b) and (a != 0 or math.copysign(1.0, a) == math.copysign(1.0, b))
    if kind is dt.datetime:
        return bool(a == b and a.utcoffset() == b.utcoffset())
    return bool(a == b)


def key_token(key: Any) -> Hashable:
    """A dict key that stands for ``key`` type-exactly: equal tokens ⇔ :func:`same_scalar`.

    A str is its own token (the common case costs nothing); other keys are tagged with their
    category, floats by ``repr`` (which tells ``-0.0`` from ``0.0`` and matches NaN with NaN),
    datetimes with their UTC offset.
    """
    if type(key) is str:
        return key
    kind = _category(key)
    if kind is float:
        return (float, float.__repr__(key))
    if kind is dt.datetime:
        return (dt.datetime, key, key.utcoffset())
    return (kind, key)


class ExactKeys:
    """A dict whose entries are looked up type-exactly (``{1: x}`` has no entry ``True``).

    String keys are looked up directly; the index of other keys is built on first need.
    """

    __slots__ = ("_index", "mapping")

    def __init__(self, mapping: dict[Any, Any]) -> None:
        self.mapping = mapping
        self._index: dict[Hashable, Any] | None = None

    def key_of(self, key: Any) -> Any:
        """A key of the mapping that is type-exactly ``key`` (for a str: ``key`` itself), or
        :data:`MISSING`."""
        if type(key) is str:
            return key if key in self.mapping else _MISSING
        if self._index is None:
            self._index = {key_token(k): k for k in self.mapping}
        return self._index.get(key_token(key), _MISSING)

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.key_of(key)
        return default if found is _MISSING else self.mapping[found]

    def __contains__(self, key: Any) -> bool:
        return self.key_of(key) is not _MISSING


MISSING: Any = _MISSING
"""Returned by :meth:`ExactKeys.key_of` when there is no such key."""


def same_value(a: Any, b: Any) -> bool:
    """Deep equality of plain data, type-exact for scalars and mapping keys.

    Written as one loop over a stack of pairs (no recursion, no generators): this runs on
    every node of every verified output.
    """
    return _same(a, b, ordered=False)


def same_in_order(a: Any, b: Any) -> bool:
    """:func:`same_value`, and every mapping's keys in the same order (key order is data: an
    editor that leaves a value alone only when this holds never hides a reordering)."""
    return _same(a, b, ordered=True)


def _same(a: Any, b: Any, *, ordered: bool) -> bool:
    pending = [(a, b, 1)]
    pop, push = pending.pop, pending.append
    while pending:
        a, b, depth = pop()
        if isinstance(a, dict):
            if not isinstance(b, dict) or len(a) != len(b) or depth > DEPTH_CEILING:
                return False
            if ordered:
                for (key, x), (other, y) in zip(a.items(), b.items(), strict=True):
                    # two strs (the usual key and value) compare without a call
                    if type(key) is str and type(other) is str:
                        if key != other:
                            return False
                    elif not same_scalar(key, other):
                        return False
                    if type(x) is str and type(y) is str:
                        if x != y:
                            return False
                    elif isinstance(x, (dict, list)):
                        push((x, y, depth + 1))
                    elif isinstance(y, (dict, list)) or not same_scalar(x, y):
                        return False
                continue
            exact: ExactKeys | None = None
            for key, x in a.items():
                if type(key) is str:
                    y = b.get(key, _MISSING)
                else:
                    if exact is None:
                        exact = ExactKeys(b)
                    y = exact.get(key, _MISSING)
                if y is _MISSING:
                    return False
                if type(x) is str and type(y) is str:  # the usual value, without a call
                    if x != y:
                        return False
                elif isinstance(x, (dict, list)):
                    push((x, y, depth + 1))
                elif isinstance(y, (dict, list)) or not same_scalar(x, y):
                    return False
        elif isinstance(a, list):
            if not isinstance(b, list) or len(a) != len(b) or depth > DEPTH_CEILING:
                return False
            for x, y in zip(a, b, strict=True):
                if type(x) is str and type(y) is str:
                    if x != y:
                        return False
                elif isinstance(x, (dict, list)):
                    push((x, y, depth + 1))
                elif isinstance(y, (dict, list)) or not same_scalar(x, y):
                    return False
        elif isinstance(b, (dict, list)) or not same_scalar(a, b):
            return False
    return True


def first_difference(got: Any, wanted: Any) -> KeyPath | None:
    """The key path of the first place where two data trees differ (type-exactly), or None.

    A key present on one side only (or present with another type) is a difference at that key.
    """
    where: KeyPath = ()
    while len(where) <= DEPTH_CEILING:
        if isinstance(got, dict) and isinstance(wanted, dict):
            step = _first_differing_key(got, wanted)
        elif isinstance(got, list) and isinstance(wanted, list) and len(got) == len(wanted):
            step = _first_differing_item(got, wanted)
        else:
            return None if same_value(got, wanted) else where
        if step is None:
            return None if same_value(got, wanted) else where
        key, got, wanted = step
        where = (*where, key)
    return where


def _first_differing_key(
    got: dict[Any, Any], wanted: dict[Any, Any]
) -> tuple[Any, Any, Any] | None:
    """(key, got's value, wanted's value) of the first differing entry; a missing value is
    :data:`MISSING` (which is the same as nothing)."""
    exact_got, exact_wanted = ExactKeys(got), ExactKeys(wanted)
    for key, value in wanted.items():
        other = exact_got.get(key, _MISSING)
        if other is _MISSING or not same_value(other, value):
            return key, other, value
    for key, value in got.items():
        if key not in exact_wanted:
            return key, value, _MISSING
    return None


def _first_differing_item(got: list[Any], wanted: list[Any]) -> tuple[Any, Any, Any] | None:
    for index, (x, y) in enumerate(zip(got, wanted, strict=True)):
        if not same_value(x, y):
            return index, x, y
    return None


def fingerprint(value: Any, depth: int = 0) -> Hashable:
    """A hashable stand-in for plain data: equal fingerprints mean :func:`same_value` data.

    Key order is part of a mapping's fingerprint, so the same data in another order may get
    another fingerprint (callers use it to find candidates, never to prove a difference).
    Data nested deeper than the ceiling gets a fingerprint equal to nothing else.
    """
    if depth > DEPTH_CEILING:
        return object()
    if isinstance(value, dict):
        return (dict, tuple((key_token(k), fingerprint(v, depth + 1)) for k, v in value.items()))
    if isinstance(value, list):
        return (list, tuple(fingerprint(v, depth + 1) for v in value))
    return key_token(value)
