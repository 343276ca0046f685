"""The edit task: one chunk of files loaded, edited, verified, staged and written.

A task is a picklable callable ``chunk -> [FileResult, ...]``, so any
``concurrent.futures.Executor`` can run it: this process, a local process pool, or the workers
of a cluster that see the same file system. Documents never leave the task; only results do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.bulk.report import FileResult, WriteMode, unified_diff
from frontmatter_qt.diagnostics import Diagnostic, of_error
from frontmatter_qt.document import Document, loads
from frontmatter_qt.engine.atomic import (
    StagedWrite,
    commit_writes,
    stage_write,
    sync_directories,
)
from frontmatter_qt.engine.files import read_file
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.text import decode
from frontmatter_qt.errors import FrontMatterError

__all__ = ["EditFunction", "EditTask", "problems_of"]

EditFunction = Callable[[Document], object]


@dataclass(frozen=True)
class EditTask:
    """Edits a chunk of files. Each changed file is staged (its new bytes in a temporary file);
    at the end of the chunk all of them are made durable at once, renamed into place, and the
    directories renamed into are synced, so a chunk costs one filesystem sync instead of one per
    file. A file is reported changed only once it is on disk, rename included: the task makes
    no promise that depends on the process (or machine) that collects its results."""

    edit: EditFunction
    mode: WriteMode
    keep_diffs: bool
    limits: Limits
    respect_read_only: bool = False

    def __call__(self, chunk: Sequence[str | Path]) -> list[FileResult]:
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
                edited = results[index]
                results[index] = FileResult(
                    edited.path, "failed", error=error, problems=edited.problems
                )
        sync_directories(
            write.target.parent
            for (_, write), error in zip(staged, errors, strict=True)
            if error is None
        )
        return results

    def edit_one(self, name: str | Path) -> tuple[FileResult, StagedWrite | None]:
        path = Path(name)
        try:
            raw, state = read_file(path, self.limits.max_file_bytes)
            # Decoded here, so loads() does not digest the bytes again: read_file did.
            doc = loads(decode(raw, path), path=path, limits=self.limits)
            doc.source = state  # the file's identity too, as fq.load gives it
            problems = problems_of(self.edit(doc), path)
            new = doc.to_bytes()
            if new == raw:
                return FileResult(path, "unchanged", problems=problems), None
            diff = unified_diff(path, raw, new) if self.keep_diffs else None
            staged = None
            if self.mode.writes:
                staged = stage_write(
                    path,
                    new,
                    expect=doc.source,
                    respect_read_only=self.respect_read_only,
                )
        except Exception as exc:
            return FileResult(path, "failed", error=exc), None
        return FileResult(path, "changed", diff, problems=problems), staged


def problems_of(returned: object, path: Path) -> tuple[Diagnostic, ...]:
    """The problems an edit function returned: the ``Diagnostic`` and ``FrontMatterError`` items
    of a returned list or tuple (anything else an edit returns, such as the ``Change`` list of
    ``fq.fix_encoding``, is not a problem)."""
    if not isinstance(returned, (list, tuple)):
        return ()
    found: list[Diagnostic] = []
    for item in returned:
        if isinstance(item, Diagnostic):
            found.append(item.with_path(path))
        elif isinstance(item, FrontMatterError):
            found += of_error(item, path)
    return tuple(found)
