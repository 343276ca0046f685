"""Type-exact equality of plain front-matter data: ``1``, ``1.0`` and ``True`` are different."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


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
    if kind is float and math.isnan(a) and math.isnan(b):
        return True
    if kind is dt.datetime:
        return bool(a == b and a.utcoffset() == b.utcoffset())
    return bool(a == b)


def same_value(a: Any, b: Any) -> bool:
    """Deep equality of plain data, type-exact for scalars.

    Loops, not ``all(...)`` over a generator: this runs on every node of every verified output.
    """
    if isinstance(a, dict):
        if not isinstance(b, dict) or len(a) != len(b):
            return False
        for key, value in a.items():  # noqa: SIM110
            if key not in b or not same_value(value, b[key]):
                return False
        return True
    if isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110
            if not same_value(x, y):
                return False
        return True
    return not isinstance(b, (dict, list)) and same_scalar(a, b)


def same_in_order(a: Any, b: Any) -> bool:
    """``same_value``, and every mapping's keys in the same order (key order is data: an editor
    that leaves a value alone only when this holds never hides a reordering)."""
    if isinstance(a, dict):
        if not isinstance(b, dict) or len(a) != len(b):
            return False
        for (key, value), (other, item) in zip(a.items(), b.items(), strict=True):
            if not same_scalar(key, other) or not same_in_order(value, item):
                return False
        return True
    if isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110
            if not same_in_order(x, y):
                return False
        return True
    return not isinstance(b, (dict, list)) and same_scalar(a, b)
