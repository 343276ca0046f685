"""Scripted bulk edits: find article files, edit each one, write back atomically, report.

``edit_files(paths, edit)`` runs ``load → edit(doc) → dumps → compare → write`` on every file.
The package is split by job, as black and LibCST split theirs:

- :mod:`~frontmatter_qt.bulk.discover`: which files (files, directories searched recursively
  for ``*.md``, glob patterns; ``exclude`` patterns), in a stable order, each once;
- :mod:`~frontmatter_qt.bulk.task`: one chunk of files loaded, edited, verified, staged and
  written (an unchanged file is never rewritten; a changed one is checked against the digest
  of the bytes it was loaded from, so a file changed on disk meanwhile is not overwritten);
- :mod:`~frontmatter_qt.bulk.executor`: the chunks run in this process, in ``jobs`` local
  worker processes, or on any ``concurrent.futures.Executor`` (a Dask or Ray cluster's);
  results stream back in file order, so a report is the same for any ``jobs``;
- :mod:`~frontmatter_qt.bulk.report`: :class:`WriteMode`, :class:`FileResult`,
  :class:`Report`, unified diffs. Nothing in this package prints.

A failing file is recorded in ``report.failed`` (path → exception) and the run goes on; the
problems an edit returns without failing are recorded in ``report.problems``.
The edit function runs in the worker processes, so with ``jobs > 1`` it must be picklable: a
module-level function or an instance of a module-level class. Anything else (a lambda, a closure)
runs with ``jobs=1`` after a ``RuntimeWarning``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from frontmatter_qt.bulk.discover import DEFAULT_GLOB, PathArg, find_file_names, find_files
from frontmatter_qt.bulk.executor import MAX_CHUNK, MIN_FILES_FOR_POOL, map_chunks, map_files
from frontmatter_qt.bulk.report import FileResult, Report, Status, Tally, WriteMode, unified_diff
from frontmatter_qt.bulk.task import EditFunction, EditTask, problems_of
from frontmatter_qt.document import DEFAULT_LIMITS
from frontmatter_qt.engine.limits import Limits

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = [
    "DEFAULT_GLOB",
    "MAX_CHUNK",
    "MIN_FILES_FOR_POOL",
    "EditFunction",
    "FileResult",
    "Report",
    "Status",
    "Tally",
    "WriteMode",
    "edit_files",
    "find_file_names",
    "find_files",
    "iter_edit_files",
    "map_files",
    "problems_of",
    "unified_diff",
]


def iter_edit_files(
    paths: PathArg | Iterable[PathArg],
    edit: EditFunction,
    *,
    mode: WriteMode | str = WriteMode.WRITE,
    jobs: int | None = None,
    executor: Executor | None = None,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    keep_diffs: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
    respect_read_only: bool = False,
    discover: bool = True,
) -> Iterator[FileResult]:
    """:func:`edit_files` as a stream of :class:`FileResult`, one per file, in file order, each
    yielded once the file is on disk (or, when nothing is written, once it is known)."""
    mode = WriteMode(mode)
    keep = not mode.writes if keep_diffs is None else keep_diffs
    if discover:
        files = find_file_names(paths, glob=glob, exclude=exclude)  # strings: the run keeps them
    else:
        given = [paths] if isinstance(paths, (str, os.PathLike)) else paths
        files = [os.fspath(path) for path in given]
    task = EditTask(edit, mode, keep, limits, respect_read_only)
    for _, result in map_chunks(files, task, jobs=jobs, executor=executor):
        yield result


def edit_files(
    paths: PathArg | Iterable[PathArg],
    edit: EditFunction,
    *,
    mode: WriteMode | str = WriteMode.WRITE,
    jobs: int | None = None,
    executor: Executor | None = None,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    keep_diffs: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
    respect_read_only: bool = False,
    on_result: Callable[[FileResult], object] | None = None,
    discover: bool = True,
) -> Report:
    """Apply ``edit(doc)`` to every file ``paths`` names and write back the ones that changed.

    ``edit`` mutates the :class:`Document` in place; to edit the typed article, write it back:
    ``art = doc.article; art.title = "x"; doc.article = art``. It may return the problems it met
    without failing (a list of ``Diagnostic`` objects or ``FrontMatterError`` exceptions: a
    repair of one field that failed while the others were applied): the file is still written,
    and they are reported in ``report.problems`` (anything else it returns is ignored); a
    ``Diagnostic`` with ``severity="warning"`` (``ConvertTo`` returns the comments a conversion
    dropped as such) is reported there too, but leaves ``report.ok`` true.
    ``mode`` (:class:`WriteMode` or its value): ``"write"`` (default), ``"dry-run"`` writes
    nothing, ``"check"`` writes nothing and makes ``report.ok`` false when a file would change.
    Diffs are kept when nothing is written (or with ``keep_diffs=True``).

    ``jobs`` worker processes (default: CPU count) need a picklable ``edit`` (see the module
    docstring). ``executor``: run the chunks on this ``concurrent.futures.Executor`` instead of
    a local pool (its workers must see the files at the same paths; ``jobs`` then says how many
    it runs at once). ``on_result`` is called with each file's result as it comes (a progress
    bar, a log line): this function prints nothing.

    Read-only files: like ``sed -i`` or black, a file is written when the operating system lets
    this process write it (its mode is kept). So a file without its write bit is refused
    (``WriteError``) for an ordinary user but written for root; ``respect_read_only=True``
    refuses it for everyone, as ``fq.dump`` does.

    ``discover=False``: ``paths`` are the files themselves, as :func:`find_file_names` (or
    :func:`find_files`) returned them, taken in their order without being searched again (a
    directory among them fails as not a regular file).
    """
    mode = WriteMode(mode)
    keep = not mode.writes if keep_diffs is None else keep_diffs
    report = Report(mode=mode, diffs_kept=keep)
    for result in iter_edit_files(
        paths,
        edit,
        mode=mode,
        jobs=jobs,
        executor=executor,
        glob=glob,
        exclude=exclude,
        keep_diffs=keep,
        limits=limits,
        respect_read_only=respect_read_only,
        discover=discover,
    ):
        report.add(result)
        if on_result is not None:
            on_result(result)
    return report
