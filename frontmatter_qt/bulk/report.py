"""What a bulk run says: the write mode, one result per file, the report, unified diffs.

Nothing here prints: the command (or the caller) decides what to show.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.errors import Portable

__all__ = ["FileResult", "Report", "Status", "Tally", "WriteMode", "unified_diff"]

Status = Literal["changed", "unchanged", "failed"]


class WriteMode(str, enum.Enum):
    """What a run does with the files an edit changes (a ``str``: ``mode="check"`` works too).

    ``WRITE`` writes them; ``DRY_RUN`` writes nothing and reports what would change; ``CHECK``
    is a dry run whose report is not ``ok`` when anything would change (CI). Showing diffs is
    not a mode: diffs are kept by every run that writes nothing, or on request.
    """

    WRITE = "write"
    DRY_RUN = "dry-run"
    CHECK = "check"

    @property
    def writes(self) -> bool:
        return self is WriteMode.WRITE


@dataclass(frozen=True)
class FileResult:
    """What happened to one file: ``changed`` (written, or would be), ``unchanged``, ``failed``.

    ``diff`` is the unified diff when diffs were kept; ``error`` the exception of a failure;
    ``problems`` what the edit reported without failing (a field it could not repair, while
    it repaired the others; as warnings, the comments a conversion dropped).
    """

    path: Path
    status: Status
    diff: str | None = None
    error: BaseException | None = None
    problems: tuple[Diagnostic, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # A user's edit may raise any exception, and not every one survives pickle: it travels
        # the errors module's one way (class, args, attributes; or a RuntimeError naming it).
        error = None if self.error is None else Portable(self.error)
        return (FileResult, (self.path, self.status, self.diff, error, self.problems))


@dataclass
class Tally:
    """How many files changed, stayed unchanged and failed, and how many of them had problems
    (an edit's, reported without failing) or only warnings (a conversion's dropped comments):
    what a caller that streams results (the command) keeps, so its memory does not grow with
    the number of files."""

    mode: WriteMode = WriteMode.WRITE
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: int = 0
    warnings: int = 0

    def add(self, result: FileResult) -> None:
        self.count(result.problems)
        if result.status == "changed":
            self.changed += 1
        elif result.status == "unchanged":
            self.unchanged += 1
        else:
            self.failed += 1

    def count(self, problems: Iterable[Diagnostic]) -> None:
        """Count one file's problems: a problem if any is an error, else a warning if any."""
        severities = {problem.severity for problem in problems}
        if "error" in severities:
            self.problems += 1
        elif "warning" in severities:
            self.warnings += 1

    @property
    def ok(self) -> bool:
        """No failure, no problem (warnings pass), and for a ``CHECK`` run also nothing that
        would change."""
        return (
            not self.failed
            and not self.problems
            and not (self.mode is WriteMode.CHECK and self.changed)
        )

    def summary(self) -> str:
        """``3 files changed, 17 unchanged, 1 failed`` (``would change`` when not written;
        ``, 2 with problems`` and ``, 4 with warnings`` when edits reported some)."""
        verb = "changed" if self.mode.writes else "would change"
        noun = "file" if self.changed == 1 else "files"
        text = f"{self.changed} {noun} {verb}, {self.unchanged} unchanged, {self.failed} failed"
        text += f", {self.problems} with problems" if self.problems else ""
        return text + (f", {self.warnings} with warnings" if self.warnings else "")


@dataclass
class Report:
    """The outcome of :func:`~frontmatter_qt.bulk.edit_files`.

    ``changed`` lists the files written (or, when nothing is written, that would change),
    ``unchanged`` the files the edit left as they were, ``failed`` maps each file that could not
    be loaded, edited, verified or written to its exception, ``problems`` each file whose edit
    reported problems without failing (it is also in ``changed``, ``unchanged`` or ``failed``)
    to them; a warning (``severity="warning"``) is reported there too, but does not make the
    run fail. Lists are in file order.
    """

    changed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    failed: dict[Path, BaseException] = field(default_factory=dict)
    problems: dict[Path, list[Diagnostic]] = field(default_factory=dict)
    mode: WriteMode = WriteMode.WRITE
    diffs_kept: bool = False
    _diffs: dict[Path, str] = field(default_factory=dict, repr=False)

    @property
    def written(self) -> bool:
        """Whether changed files were written (False for a dry run or a check)."""
        return self.mode.writes

    def add(self, result: FileResult) -> None:
        if result.problems:
            self.problems[result.path] = list(result.problems)
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

        Kept by default only when nothing is written (a dry run or a check); pass
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

    def tally(self) -> Tally:
        tally = Tally(self.mode, len(self.changed), len(self.unchanged), len(self.failed))
        for problems in self.problems.values():
            tally.count(problems)
        return tally

    @property
    def ok(self) -> bool:
        """No failure, no problem (warnings pass), and for a ``CHECK`` run also nothing that
        would change."""
        return self.tally().ok

    def summary(self) -> str:
        """``3 files changed, 17 unchanged, 1 failed`` (``would change`` when not written;
        ``, 2 with problems`` and ``, 4 with warnings`` when edits reported some)."""
        return self.tally().summary()


def unified_diff(path: Path | str, before: bytes, after: bytes) -> str:
    """A unified diff, line endings kept; relative paths get git's ``a/``/``b/`` prefixes."""
    import difflib  # only runs that keep diffs need it

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
