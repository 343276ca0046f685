"""Key paths into plain front-matter data, and the check that data can be written at all.

Data a user assigns may be anything Python allows: a list that contains itself, nesting a
thousand levels deep, an int too long to print, an object no format can hold. Before anything
is rendered, :func:`find_unwritable` walks the data once, iteratively, and names the first
such value by its key path, so that nothing after it (equality, diffing, rendering, all of
which recurse or loop over the data) ever meets it.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import sys
from typing import Any

from frontmatter_qt.keypath import KeyPath


def uneven_offset(value: Any) -> dt.timedelta | None:
    """A datetime's UTC offset when it is not whole minutes (``+00:00:30``), else None. YAML
    and TOML timestamps write offsets as hours and minutes (RFC 3339): one with seconds has no
    spelling there, and each format refuses it in its own words."""
    offset = value.utcoffset() if isinstance(value, dt.datetime) else None
    return offset if offset is not None and offset % dt.timedelta(minutes=1) else None


def _int_digit_limit() -> int:
    """Python refuses to print ints longer than this many digits (0: no limit)."""
    get = getattr(sys, "get_int_max_str_digits", None)  # Python >= 3.10.7 / 3.11
    return int(get()) if get is not None else 0


def find_unwritable(
    data: Any,
    *,
    max_depth: int,
    max_nodes: int,
    scalar_types: tuple[type, ...],
    key_types: tuple[type, ...],
) -> tuple[KeyPath, str] | None:
    """(key path, reason) of the first value in ``data`` that cannot be written, or None.

    Refused: a scalar not an instance of ``scalar_types`` (a key: of ``key_types``); an int
    with more digits than Python will print; a list or dict that contains itself; nesting
    deeper than ``max_depth`` collections; more than ``max_nodes`` keys, values and
    collections in all (the file written could not be read back within the same limits).
    """
    digit_limit = _int_digit_limit()
    # An int of at most this many bits has at most ``digit_limit`` digits: only longer ones
    # are printed to find out.
    safe_bits = int((digit_limit - 1) / 0.30103) if digit_limit else sys.maxsize
    if not isinstance(data, (dict, list)):
        problem = _scalar_problem(data, scalar_types, safe_bits, "value")
        return None if problem is None else ((), problem)
    # The usual exact types pass without a call (this runs before every dumps); ints are
    # checked for length inline, anything else goes through _scalar_problem.
    plain_values = _plain_types(scalar_types)
    plain_keys = _plain_types(key_types)
    nodes = 0
    # Each frame is (container, depth, path, parent frame): the chain of parents is what tells
    # a self-reference from mere depth, and it costs one tuple per collection.
    pending: list[tuple[Any, int, KeyPath, Any]] = [(data, 1, (), None)]
    while pending:
        frame = pending.pop()
        container, depth, path, _ = frame
        if depth > max_depth:
            loop = _first_repeat(frame)
            if loop is not None:
                return loop, "the value contains itself (a list or dict inside itself)"
            return path, f"nested deeper than {max_depth} levels (the depth limit)"
        is_dict = isinstance(container, dict)
        nodes += 1 + len(container) * (2 if is_dict else 1)
        if nodes > max_nodes:
            return path, f"more than {max_nodes} keys and values in all (the node limit)"
        for key, value in container.items() if is_dict else enumerate(container):
            if is_dict and (type(key) not in plain_keys or type(key) is int):
                problem = _scalar_problem(key, key_types, safe_bits, "key")
                if problem is not None:
                    return path, problem
            kind = type(value)
            if kind in plain_values and (kind is not int or value.bit_length() <= safe_bits):
                continue
            if kind is dict or kind is list or isinstance(value, (dict, list)):
                pending.append((value, depth + 1, (*path, key), frame))
                nodes -= 1  # counted when it is visited (as the parser counts it: once)
                continue
            problem = _scalar_problem(value, scalar_types, safe_bits, "value")
            if problem is not None:
                return (*path, key), problem
    return None


_USUAL = (str, int, float, bool, type(None), dt.date, dt.datetime, bytes)


@functools.lru_cache(maxsize=16)
def _plain_types(allowed: tuple[type, ...]) -> frozenset[type]:
    """The usual exact types that ``allowed`` accepts (an int is also checked for length)."""
    return frozenset(kind for kind in _USUAL if issubclass(kind, allowed))


def _scalar_problem(value: Any, types: tuple[type, ...], safe_bits: int, what: str) -> str | None:
    if not isinstance(value, types):
        return f"cannot write a {what} of type {type(value).__name__}"
    if isinstance(value, int) and value.bit_length() > safe_bits:
        try:
            str(value)
        except ValueError:
            return (
                f"cannot write an int {what} with more than {_int_digit_limit()} digits "
                "(Python's limit, sys.get_int_max_str_digits())"
            )
    return None


def _first_repeat(frame: tuple[Any, int, KeyPath, Any]) -> KeyPath | None:
    """The path where a container first appears inside itself, on the chain of frames that
    ends at ``frame``; None if no container on it repeats."""
    chain = []
    while frame is not None:
        chain.append(frame)
        frame = frame[3]
    seen: set[int] = set()
    for container, _, path, _ in reversed(chain):
        if id(container) in seen:
            return path
        seen.add(id(container))
    return None


def copy_tree(data: Any) -> Any:
    """A deep copy of plain data, made with a loop (not ``copy.deepcopy``'s recursion): data
    nested a thousand levels deep is copied too. Dicts and lists become new dicts and lists
    (a list or dict met twice, or inside itself, is copied once, as ``deepcopy`` does); other
    values are copied with ``copy.deepcopy``."""
    copies: dict[int, Any] = {}

    def fresh(value: Any) -> Any:
        if not isinstance(value, (dict, list)):
            return copy.deepcopy(value)
        found = copies.get(id(value))
        if found is None:
            found = copies[id(value)] = {} if isinstance(value, dict) else []
            pending.append((value, found))
        return found

    pending: list[tuple[Any, Any]] = []
    root = fresh(data)
    while pending:
        source, target = pending.pop()
        if isinstance(source, dict):
            for key, value in source.items():
                target[copy.deepcopy(key)] = fresh(value)
        else:
            target.extend(fresh(value) for value in source)
    return root
