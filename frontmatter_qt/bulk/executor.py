"""Running a chunk task over many paths: in this process, a local process pool, or any
``concurrent.futures.Executor`` the caller brings (a Dask or Ray cluster's, say).

Paths are cut into chunks (a chunk amortises the per-task cost: a pickle round trip, a
filesystem sync); at most a few chunks per worker are in flight, and results are yielded in
path order as they come, so a run's memory does not grow with the number of files and its
report does not depend on how many workers there were. This module schedules nothing itself:
the executor does.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future
    from multiprocessing.context import BaseContext

__all__ = ["MAX_CHUNK", "MIN_FILES_FOR_POOL", "chunk_count", "map_chunks", "map_files"]

R = TypeVar("R")
P = TypeVar("P")  # a path: a Path, or its string (what a long run keeps)

#: Runs smaller than this are done in this process: starting workers would cost more.
MIN_FILES_FOR_POOL = 16
#: Upper bound of paths per chunk handed to a worker (or run in this process).
MAX_CHUNK = 64
#: Chunks in flight per worker: enough to keep every worker busy, few enough to stream.
IN_FLIGHT_PER_WORKER = 3


def map_files(
    paths: Sequence[P],
    task: Callable[[P], R],
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
) -> Iterator[tuple[P, R]]:
    """Yield ``(path, task(path))`` for every path, in order.

    Without ``executor``: ``jobs`` local worker processes (default: CPU count; small runs and
    ``jobs=1`` stay in this process). ``task`` and its results cross process boundaries: both
    must be picklable (an unpicklable task falls back to this process with a
    ``RuntimeWarning``). With ``executor``, chunks of paths are submitted to it, and ``jobs``
    says how many it runs at once (default: CPU count), which sets the chunk size.
    """
    return map_chunks(paths, _PerPath(task), jobs=jobs, executor=executor)


@dataclass(frozen=True)
class _PerPath:
    """A chunk task that runs a per-path task on each path of the chunk."""

    task: Callable[[Any], Any]

    def __call__(self, chunk: list[Any]) -> list[Any]:
        return [self.task(path) for path in chunk]


def map_chunks(
    paths: Sequence[P],
    task: Callable[[list[P]], list[R]],
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
) -> Iterator[tuple[P, R]]:
    """Like :func:`map_files` for a task that takes a chunk of paths and returns their results
    in order."""
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if executor is not None:
        return _submitted(paths, task, executor, jobs or os.cpu_count() or 1)
    workers = _local_workers(jobs, len(paths), task)
    if workers == 1:
        return _here(paths, task)
    return _pooled(paths, task, workers)


def _chunks(paths: Sequence[P], count: int) -> Iterator[list[P]]:
    """``paths`` cut into ``count`` chunks whose sizes differ by one at most, in order."""
    if count <= 0:
        return
    size, longer = divmod(len(paths), count)
    start = 0
    for index in range(count):
        end = start + size + (index < longer)
        yield list(paths[start:end])
        start = end


def chunk_count(files: int, workers: int) -> int:
    """How many chunks ``files`` paths are cut into for ``workers`` workers: at least four per
    worker (so a slow chunk is made up by the others), at most ``MAX_CHUNK`` paths each, and a
    multiple of ``workers`` (so that, chunks costing about the same, every worker has as many
    and none is left alone with the last one)."""
    if files <= workers:
        return files
    count = max(workers * 4, -(-files // MAX_CHUNK))
    count = -(-count // workers) * workers
    return min(count, files)


def _here(paths: Sequence[P], task: Callable[[list[P]], list[R]]) -> Iterator[tuple[P, R]]:
    for chunk in _chunks(paths, -(-len(paths) // MAX_CHUNK)):
        yield from zip(chunk, task(chunk), strict=True)


def _local_workers(jobs: int | None, count: int, task: object) -> int:
    workers = min(jobs or os.cpu_count() or 1, max(count, 1))
    if workers == 1 or count < MIN_FILES_FOR_POOL:
        return 1
    import pickle

    try:
        pickle.dumps(task)
    except Exception as exc:
        warnings.warn(
            f"the edit function cannot be sent to worker processes ({exc}); running with jobs=1. "
            "Use a module-level function for parallel runs.",
            RuntimeWarning,
            stacklevel=5,
        )
        return 1
    return workers


def _pooled(
    paths: Sequence[P], task: Callable[[list[P]], list[R]], workers: int
) -> Iterator[tuple[P, R]]:
    # Imported here: a run that stays in this process (one file, jobs=1) never pays for it.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=_start_method()) as pool:
        yield from _submitted(paths, task, pool, workers)


def _start_method() -> BaseContext | None:
    """``fork`` where the OS has it and this process runs a single thread, else the default.

    A forked worker starts with the engine already imported: its first chunk begins at once.
    A spawned one (or one from a fork server, Python 3.14's default on Linux) imports it all
    again first: measured on 1,000 files with 2 workers, about 0.6 s more before the first
    result and 1.4 s more in all (bench/bench_bulk.py). Forking a process that runs other
    threads may copy a lock another thread holds, so then the platform's default is used.
    """
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def _submitted(
    paths: Sequence[P],
    task: Callable[[list[P]], list[R]],
    executor: Executor,
    workers: int,
) -> Iterator[tuple[P, R]]:
    pending: deque[tuple[list[P], Future[list[R]]]] = deque()
    try:
        for chunk in _chunks(paths, chunk_count(len(paths), workers)):
            pending.append((chunk, executor.submit(task, chunk)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()


def _collect(item: tuple[list[P], Future[list[R]]]) -> Iterator[tuple[P, R]]:
    chunk, future = item
    yield from zip(chunk, future.result(), strict=True)
