"""A small bounded memo for work that repeats across the files of one run."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """``memo(key, compute)``: ``compute()`` once per key, kept until ``size`` keys are held,
    then everything is forgotten at once (cheaper than LRU bookkeeping on a hot path).

    For pure computations only: the key must say everything the result depends on.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.results: dict[K, V] = {}
        _ALL.add(self)

    def __call__(self, key: K, compute: Callable[[], V]) -> V:
        try:
            return self.results[key]
        except KeyError:
            pass
        result = compute()
        if len(self.results) >= self.size:
            self.results.clear()
        self.results[key] = result
        return result


_ALL: weakref.WeakSet[Memo[Any, Any]] = weakref.WeakSet()


def forget_all() -> None:
    """Empty every memo (tests that patch what a memo caches, benchmarks that must not reuse
    an earlier repeat's work)."""
    for memo in list(_ALL):
        memo.results.clear()
