"""Scripted bulk edits: find article files, edit each one, write back atomically, report.

``edit_files(paths, edit)`` runs ``load → edit(doc) → dumps → compare → write`` on every file:

- files are found by :func:`find_files` (files, directories searched recursively for ``*.md``,
  glob patterns; ``exclude`` patterns);
- an unchanged file is never rewritten; a changed one goes through ``write_atomic`` with
  the digest of the bytes it was loaded from, so a file changed on disk in the meantime is not
  overwritten (``ConcurrentModificationError``);
- a failing file is recorded in ``report.failed`` (path → exception) and the run goes on;
- ``jobs`` worker processes (default: CPU count) each take chunks of paths; results come back in
  file order, so a report is the same for any ``jobs``. Documents never leave their worker, and
  diffs are kept only on request, so memory does not grow with the documents.

The edit function runs in the worker processes, so with ``jobs > 1`` it must be picklable: a
module-level function or an instance of a module-level class. Anything else (a lambda, a closure)
runs with ``jobs=1`` after a ``RuntimeWarning``.
"""

from __future__ import annotations

import difflib
import fnmatch
import glob as globmod
import os
import pickle
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Literal, TypeVar

from frontmatter_qt.document import DEFAULT_LIMITS, Document, loads
from frontmatter_qt.engine.atomic import (
    StagedWrite,
    commit_writes,
    stage_write,
    sync_directories,
    write_target,
)
from frontmatter_qt.engine.files import read_file
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.errors import FrontMatterError

__all__ = [
    "DEFAULT_GLOB",
    "EditFunction",
    "FileResult",
    "Report",
    "edit_files",
    "find_files",
    "iter_edit_files",
    "map_files",
]

DEFAULT_GLOB = "*.md"
EditFunction = Callable[[Document], object]
Status = Literal["changed", "unchanged", "failed"]
PathArg = str | os.PathLike[str]
R = TypeVar("R")

#: Runs smaller than this are done in this process: starting workers would cost more.
MIN_FILES_FOR_POOL = 16
#: Upper bound of paths per chunk handed to a worker (or run in this process).
MAX_CHUNK = 64
_GLOB_CHARS = frozenset("*?[")


# -- discovery --------------------------------------------------------------------------------


def find_files(
    paths: PathArg | Iterable[PathArg],
    *,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    accept: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """The files ``paths`` names, in a stable order, each once.

    Each argument is a file (taken as it is), a directory (searched recursively for files whose
    path matches ``glob``, matched from the right like ``PurePath.match``; directories whose name
    starts with ``.`` are skipped), or a glob pattern (``content/**/*.md``; a matching directory
    is searched like a directory). A path that does not exist is returned anyway, so that the run
    reports it. A path is left out when it, or one of its directories, matches an ``exclude``
    pattern (``drafts``, ``*.draft.md``, ``content/old/*``). ``accept``, when given, decides
    instead of ``glob`` which files found in directories are taken (the command passes the
    configuration's ``include``/``exclude``); a file named explicitly is always taken.
    """
    patterns = tuple(p.rstrip("/") for p in exclude)
    seen: set[object] = set()
    found: list[Path] = []
    for arg in _arguments(paths):
        for path in _expand(arg, glob, patterns, accept):
            key = _identity(path)
            if key not in seen and not _excluded(path, patterns):
                seen.add(key)
                found.append(path)
    return found


def _identity(path: Path) -> object:
    """The same for every name of one file (symlinks, hard links, ``a/../b``)."""
    try:
        found = path.stat()
    except OSError:
        return os.path.abspath(path)
    return (found.st_dev, found.st_ino)


def _arguments(paths: PathArg | Iterable[PathArg]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _expand(
    arg: str, glob: str, exclude: tuple[str, ...], accept: Callable[[Path], bool] | None
) -> Iterator[Path]:
    path = Path(arg)
    if _is(path.is_dir):
        yield from _walk(path, glob, exclude, accept)
    elif _is(path.exists) or not _GLOB_CHARS.intersection(arg):
        yield path
    else:
        for match in sorted(globmod.glob(arg, recursive=True)):
            yield from _expand(match, glob, exclude, accept)


def _is(test: Callable[[], bool]) -> bool:
    """``path.is_dir()``/``exists()``, False for a name no file system holds (too long, a NUL):
    such a path is returned as it is and reported by the run that tries to read it."""
    try:
        return test()
    except (OSError, ValueError):
        return False


def _walk(
    top: Path, glob: str, exclude: tuple[str, ...], accept: Callable[[Path], bool] | None
) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not _matches_any(d, exclude)
        )
        here = Path(directory)
        relative = PurePath(os.path.relpath(directory, top))
        for name in sorted(filenames):
            if accept is not None:
                if accept(here / name):
                    yield here / name
            elif _matches_glob(relative, name, glob):
                yield here / name


def _matches_glob(directory: PurePath, name: str, glob: str) -> bool:
    """``PurePath.match`` of ``directory/name``; a pattern without ``/`` needs only the name."""
    if "/" not in glob:
        return fnmatch.fnmatch(name, glob)  # case-folded where the OS folds it, like match()
    return PurePath(directory.as_posix(), name).match(glob)


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    return any(path.match(p) for p in patterns) or any(
        _matches_any(part, patterns) for part in path.parts
    )


# -- running a task over files ----------------------------------------------------------------


def map_files(
    paths: Sequence[Path],
    task: Callable[[Path], R],
    *,
    jobs: int | None = None,
    progress: bool | None = None,
    description: str = "files",
) -> Iterator[tuple[Path, R]]:
    """Yield ``(path, task(path))`` for every path, in order, using ``jobs`` processes.

    ``task`` and its results cross process boundaries when ``jobs > 1``: both must be picklable
    (an unpicklable task falls back to ``jobs=1`` with a ``RuntimeWarning``). At most a few
    chunks per worker are in flight, so results are streamed, not collected. ``progress``
    (default: stderr is a terminal) shows a rich progress bar on stderr.
    """
    return _map_chunks(paths, _PerPath(task), jobs, progress, description)


@dataclass(frozen=True)
class _PerPath:
    """A chunk task that runs a per-path task on each path of the chunk."""

    task: Callable[[Path], Any]

    def __call__(self, chunk: list[Path]) -> list[Any]:
        return [self.task(path) for path in chunk]


def _map_chunks(
    paths: Sequence[Path],
    task: Callable[[list[Path]], list[R]],
    jobs: int | None,
    progress: bool | None,
    description: str,
) -> Iterator[tuple[Path, R]]:
    """Like :func:`map_files` for a task that takes a chunk of paths and returns their results
    in order."""
    workers = _workers(jobs, len(paths), task)
    with _progress_bar(progress, len(paths), description) as advance:
        if workers == 1:
            for chunk in _chunks(paths, MAX_CHUNK):
                yield from zip(chunk, task(chunk), strict=True)
                advance(len(chunk))
        else:
            yield from _pooled(paths, task, workers, advance)


def _chunks(paths: Sequence[Path], size: int) -> Iterator[list[Path]]:
    return (list(paths[i : i + size]) for i in range(0, len(paths), size))


def _workers(jobs: int | None, count: int, task: object) -> int:
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    workers = min(jobs or os.cpu_count() or 1, max(count, 1))
    if workers == 1 or count < MIN_FILES_FOR_POOL:
        return 1
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
    paths: Sequence[Path],
    task: Callable[[list[Path]], list[R]],
    workers: int,
    advance: Callable[[int], None],
) -> Iterator[tuple[Path, R]]:
    size = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
    pending: deque[tuple[list[Path], Future[list[R]]]] = deque()
    with ProcessPoolExecutor(workers, initializer=_install_task, initargs=(task,)) as pool:
        try:
            for chunk in _chunks(paths, size):
                pending.append((chunk, pool.submit(_run_chunk, chunk)))
                if len(pending) >= workers * 3:
                    yield from _collect(pending.popleft(), advance)
            while pending:
                yield from _collect(pending.popleft(), advance)
        finally:
            for _, future in pending:
                future.cancel()


def _collect(
    item: tuple[list[Path], Future[list[R]]], advance: Callable[[int], None]
) -> Iterator[tuple[Path, R]]:
    chunk, future = item
    yield from zip(chunk, future.result(), strict=True)
    advance(len(chunk))


_TASK: Callable[[list[Path]], list[Any]] | None = None


def _install_task(task: Callable[[list[Path]], list[Any]]) -> None:
    global _TASK
    _TASK = task


def _run_chunk(chunk: list[Path]) -> list[Any]:
    assert _TASK is not None, "worker started without a task"
    return _TASK(chunk)


@contextmanager
def _progress_bar(
    enabled: bool | None, total: int, description: str
) -> Iterator[Callable[[int], None]]:
    if not (sys.stderr.isatty() if enabled is None else enabled) or total == 0:
        yield lambda _: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # auto_refresh=False: no refresh thread, so forking the workers stays safe.
    with Progress(
        *columns, console=Console(stderr=True), transient=True, auto_refresh=False
    ) as bar:
        task_id = bar.add_task(description, total=total)
        yield lambda n: bar.update(task_id, advance=n, refresh=True)


# -- one file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: ``changed`` (written, or would be), ``unchanged``, ``failed``.

    ``diff`` is the unified diff when diffs were kept; ``error`` the exception of a failure.
    """

    path: Path
    status: Status
    diff: str | None = None
    error: BaseException | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions do not all survive pickle (keyword-only constructor arguments), so a failure
        # travels as (class, args, attributes) and is rebuilt without calling __init__.
        return (FileResult, (self.path, self.status, self.diff, _Portable.wrap(self.error)))


class _Portable:
    """Pickles as an exception rebuilt from its class, args and attributes."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    @staticmethod
    def wrap(error: BaseException | None) -> Any:
        return None if error is None else _Portable(error)

    def __reduce__(self) -> tuple[Any, ...]:
        if isinstance(self.error, FrontMatterError):
            return self.error.__reduce__()  # the library's own errors know how to travel
        state = (type(self.error), self.error.args, dict(vars(self.error)))
        try:
            pickle.dumps(state)
        except Exception:
            message = f"{type(self.error).__name__}: {self.error}"
            return (RuntimeError, (message,))
        return (_rebuild_error, state)


def _rebuild_error(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


@dataclass(frozen=True)
class _EditTask:
    """Edits a chunk of files. Each changed file is staged (its new bytes in a temporary file);
    at the end of the chunk all of them are made durable at once and renamed into place, so a
    chunk costs one filesystem sync instead of one per file. A file is reported changed only
    once it is on disk."""

    edit: EditFunction
    write: bool
    keep_diffs: bool
    limits: Limits
    respect_read_only: bool = False

    def __call__(self, chunk: list[Path]) -> list[FileResult]:
        results: list[FileResult] = []
        staged: list[tuple[int, StagedWrite]] = []
        try:
            for path in chunk:
                result, write = self.edit_one(path)
                if write is not None:
                    staged.append((len(results), write))
                results.append(result)
        except BaseException:
            for _, write in staged:
                write.abandon()
            raise
        errors = commit_writes([write for _, write in staged])
        for (index, _), error in zip(staged, errors, strict=True):
            if error is not None:
                results[index] = FileResult(results[index].path, "failed", error=error)
        return results

    def edit_one(self, path: Path) -> tuple[FileResult, StagedWrite | None]:
        try:
            raw, _ = read_file(path, self.limits.max_file_bytes)
            doc = loads(raw, path=path, limits=self.limits)
            self.edit(doc)
            new = doc.to_bytes()
            if new == raw:
                return FileResult(path, "unchanged"), None
            diff = unified_diff(path, raw, new) if self.keep_diffs else None
            staged = None
            if self.write:
                staged = stage_write(
                    path,
                    new,
                    expect=doc.source,
                    respect_read_only=self.respect_read_only,
                )
        except Exception as exc:
            return FileResult(path, "failed", error=exc), None
        return FileResult(path, "changed", diff), staged


def unified_diff(path: Path | str, before: bytes, after: bytes) -> str:
    """A unified diff, line endings kept; relative paths get git's ``a/``/``b/`` prefixes."""
    relative = not os.path.isabs(path)
    lines = difflib.unified_diff(
        _lines(before.decode("utf-8")),
        _lines(after.decode("utf-8")),
        fromfile=f"a/{path}" if relative else str(path),
        tofile=f"b/{path}" if relative else str(path),
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _lines(text: str) -> list[str]:
    """Lines split at ``\\n`` only (``str.splitlines`` also splits at U+2028, U+0085, ...)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


# -- the report -------------------------------------------------------------------------------


@dataclass
class Report:
    """The outcome of :func:`edit_files`.

    ``changed`` lists the files written (or, when nothing is written, that would change),
    ``unchanged`` the files the edit left as they were, ``failed`` maps each file that could not
    be loaded, edited, verified or written to its exception. ``written`` is False for
    ``dry_run``/``check`` runs. Lists are in file order.
    """

    changed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: dict[Path, BaseException] = field(default_factory=dict)
    written: bool = True
    check: bool = False
    diffs_kept: bool = False
    _diffs: dict[Path, str] = field(default_factory=dict, repr=False)

    def add(self, result: FileResult) -> None:
        if result.status == "changed":
            self.changed.append(result.path)
            if result.diff is not None:
                self._diffs[result.path] = result.diff
        elif result.status == "unchanged":
            self.unchanged.append(result.path)
        else:
            assert result.error is not None
            self.failed[result.path] = result.error

    def diffs(self) -> str:
        """Unified diffs of every changed file, in file order.

        Kept by default only when nothing is written (``dry_run``/``check``); pass
        ``keep_diffs=True`` to keep them for a writing run.
        """
        if not self.diffs_kept:
            raise ValueError("diffs were not kept for this run; pass keep_diffs=True")
        return "".join(self._diffs[path] for path in self.changed)

    def diff(self, path: Path | str) -> str:
        """The unified diff of one changed file ("" if it did not change)."""
        if not self.diffs_kept:
            raise ValueError("diffs were not kept for this run; pass keep_diffs=True")
        return self._diffs.get(Path(path), "")

    @property
    def ok(self) -> bool:
        """No failure, and for a ``check`` run also nothing that would change."""
        return not self.failed and not (self.check and self.changed)

    def summary(self) -> str:
        """``3 files changed, 17 unchanged, 1 failed`` (``would change`` when not written)."""
        count = len(self.changed)
        verb = "changed" if self.written else "would change"
        noun = "file" if count == 1 else "files"
        return f"{count} {noun} {verb}, {len(self.unchanged)} unchanged, {len(self.failed)} failed"


# -- the API ----------------------------------------------------------------------------------


def iter_edit_files(
    paths: PathArg | Iterable[PathArg],
    edit: EditFunction,
    *,
    dry_run: bool = False,
    jobs: int | None = None,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    keep_diffs: bool = False,
    progress: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
    respect_read_only: bool = False,
) -> Iterator[FileResult]:
    """:func:`edit_files` as a stream of :class:`FileResult`, one per file, in file order."""
    files = find_files(paths, glob=glob, exclude=exclude)
    task = _EditTask(edit, not dry_run, keep_diffs, limits, respect_read_only)
    written: set[Path] = set()
    try:
        for _, result in _map_chunks(files, task, jobs, progress, "editing"):
            if result.status == "changed" and not dry_run:
                written.add(write_target(result.path).parent)
            yield result
    finally:
        sync_directories(written)


def edit_files(
    paths: PathArg | Iterable[PathArg],
    edit: EditFunction,
    *,
    dry_run: bool = False,
    jobs: int | None = None,
    check: bool = False,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    keep_diffs: bool | None = None,
    progress: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
    respect_read_only: bool = False,
) -> Report:
    """Apply ``edit(doc)`` to every file ``paths`` names and write back the ones that changed.

    ``edit`` mutates the :class:`Document` in place (its return value is ignored); to edit the
    typed article, write it back: ``art = doc.article; art.title = "x"; doc.article = art``.
    ``dry_run`` writes nothing; ``check`` writes nothing and makes ``report.ok`` false when a
    file would change. Diffs are kept when nothing is written (or with ``keep_diffs=True``).
    ``jobs`` worker processes (default: CPU count) need a picklable ``edit`` (see the module
    docstring). ``progress`` (default: stderr is a terminal) shows a progress bar and then the
    summary on stderr.

    Read-only files: like ``sed -i`` or black, a file is written when the operating system lets
    this process write it (its mode is kept). So a file without its write bit is refused
    (``WriteError``) for an ordinary user but written for root; ``respect_read_only=True``
    refuses it for everyone, as ``fq.dump`` does.
    """
    write = not (dry_run or check)
    keep = not write if keep_diffs is None else keep_diffs
    report = Report(written=write, check=check, diffs_kept=keep)
    for result in iter_edit_files(
        paths,
        edit,
        dry_run=not write,
        jobs=jobs,
        glob=glob,
        exclude=exclude,
        keep_diffs=keep,
        progress=progress,
        limits=limits,
        respect_read_only=respect_read_only,
    ):
        report.add(result)
    if sys.stderr.isatty() if progress is None else progress:
        print(report.summary(), file=sys.stderr)
    return report
