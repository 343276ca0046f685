"""A small bounded memo for work that repeats across the files of one run."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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
