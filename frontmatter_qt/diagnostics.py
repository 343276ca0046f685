"""One positioned diagnostic type for the whole package.

Model validation (``doc.model``, ``fq.validate``), lint rules, repairs that fail and the command
all report a :class:`Diagnostic`: where (file, 1-based line and column, and the end of the
offending span when known, which a language server shows as a range), what (a stable ``code``,
the key path, a plain message) and how bad (``severity``).

Positions come from one look-up, :meth:`frontmatter_qt.Document.locate`; :func:`at` builds a
diagnostic from it, :func:`of_error` from an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frontmatter_qt import keypath
from frontmatter_qt.errors import FrontMatterError, ModelValidationError, code_of
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

__all__ = ["Diagnostic", "Problem", "Severity", "Span", "at", "of_error"]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based position in a file and the position just past the end of what it covers."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one file.

    ``keys`` is the key path the problem is about (``()`` for the file as a whole) and
    ``field`` its text form (``seo.title``, ``tags[0]``). ``type`` is pydantic's error type
    (``missing``, ``int_parsing``), a lint rule's name, or an error's class name. ``hint`` says
    what to do, when there is something specific to say. ``fixable``: ``frontmatter-qt fix``
    knows how to repair it.

    ``str(d)`` is ``path:line:col: field: message``; :meth:`line_text` adds the code, as the
    command prints it.
    """

    path: str | None
    line: int | None
    column: int | None
    code: str
    message: str
    keys: KeyPath = ()
    end_line: int | None = None
    end_column: int | None = None
    type: str = ""
    hint: str | None = None
    fixable: bool = False
    severity: Severity = "error"

    @property
    def field(self) -> str:
        """``keys`` written as ``seo.title`` / ``tags[0]`` (``""`` for the whole file)."""
        return keypath.format(self.keys)

    def _where(self) -> str:
        where = [self.path or "<string>"]
        where += [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(where)

    @property
    def text(self) -> str:
        """``field: message`` (the message alone for the file as a whole): what the command
        prints after the position and code."""
        return f"{self.field}: {self.message}" if self.keys else self.message

    @property
    def explained(self) -> str:
        """``text``, then ``help: hint`` on a line of its own when there is a hint: what an
        editor shows (and a GitHub annotation), where the command prints two lines."""
        return self.text if not self.hint else f"{self.text}\nhelp: {self.hint}"

    def __str__(self) -> str:
        return f"{self._where()}: {self.text}"

    def line_text(self) -> str:
        """``path:line:col: CODE field: message``, the command's output line (a problem with no
        position is shown at ``1:1``, where an editor can still open the file)."""
        return f"{self.path or '<string>'}:{self.line or 1}:{self.column or 1}: {self.code} " + (
            self.text
        )

    def with_path(self, path: str | Path | None) -> Diagnostic:
        return replace(self, path=None if path is None else str(path))

    def as_json(self) -> dict[str, Any]:
        """The ``--format json`` object (``field`` is null for the file as a whole)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "field": self.field or None,
            "message": self.message,
            "type": self.type or None,
            "hint": self.hint,
            "fixable": self.fixable,
            "severity": self.severity,
        }

    def sort_key(self) -> tuple[bool, int, int, str]:
        """Position order, problems without a position last, then by code."""
        return (self.line is None, self.line or 0, self.column or 0, self.code)


#: The name the validation API's contract uses (``fq.validate(...) -> list[Problem]``): the
#: same type, not a second one.
Problem = Diagnostic


def at(
    doc: Document,
    keys: KeyPath,
    code: str,
    message: str,
    *,
    type: str = "",
    hint: str | None = None,
    fixable: bool = False,
    severity: Severity = "error",
    inside: tuple[int, int] | None = None,
) -> Diagnostic:
    """A diagnostic about ``keys`` of ``doc``, positioned by ``doc.locate(keys, inside)``."""
    span = doc.locate(keys, inside)
    return Diagnostic(
        path=None if doc.path is None else str(doc.path),
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        code=code,
        message=message,
        keys=tuple(keys),
        type=type,
        hint=hint,
        fixable=fixable,
        severity=severity,
    )


def of_error(error: BaseException, path: str | Path | None = None) -> list[Diagnostic]:
    """The diagnostics of an exception: one per problem of a model validation error, else one.

    ``path`` names the file when the error does not (or names another spelling of it).
    """
    where = None if path is None else str(path)
    if isinstance(error, ModelValidationError):
        return [p if where is None else p.with_path(where) for p in error.problems]
    code = code_of(error)
    name = type(error).__name__
    if isinstance(error, FrontMatterError):
        # The message already names the key a KeyPathError is about; no ``keys`` here, so the
        # line does not say it twice.
        return [
            Diagnostic(
                where or error.path,
                error.line,
                error.column,
                code,
                error.message,
                type=name,
                hint=error.hint,
            )
        ]
    if isinstance(error, OSError):
        message = error.strerror or str(error)
        return [Diagnostic(where or _os_path(error), None, None, code, message, type=name)]
    return [Diagnostic(where, None, None, code, f"{name}: {error}", type=name)]


def _os_path(error: OSError) -> str | None:
    return None if error.filename is None else str(error.filename)
