"""Exceptions raised by frontmatter_qt.

Every error that points into a file carries ``path`` (may be ``None`` for text loaded from a
string), ``line`` and ``column`` (1-based, counted in characters, lines split at ``\\n``), and
renders as ``path:line:column: message`` so editors and terminals can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


class FrontMatterError(Exception):
    """Base class of every error this library raises about a document."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.path or "<string>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return f"{':'.join(where)}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take keyword-only arguments: rebuild from the attributes, not from args,
        # so errors cross process boundaries (bulk edits) intact.
        return (_restore, (type(self), dict(vars(self))))

    def with_path(self, path: str | Path | None) -> FrontMatterError:
        """Attach the file path (used when a string was parsed on behalf of a file)."""
        self.path = None if path is None else str(path)
        self.args = (self._render(),)
        return self


def _restore(cls: type[FrontMatterError], state: dict[str, object]) -> FrontMatterError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (error._render(),)
    return error


class DecodeError(FrontMatterError):
    """The file is not valid UTF-8; ``byte_offset`` is where the first bad byte sits."""

    def __init__(self, message: str, *, byte_offset: int, **where: object) -> None:
        self.byte_offset = byte_offset
        super().__init__(message, **where)  # type: ignore[arg-type]


class BinaryFileError(FrontMatterError):
    """The file contains NUL bytes: it is binary, not an article."""


class UnterminatedFrontMatterError(FrontMatterError):
    """An opening ``---`` line has no closing ``---`` or ``...`` line (or a bare JSON ``{`` no
    matching ``}``)."""


class UnknownFormatError(FrontMatterError):
    """The file opens like front matter in a language this library does not read
    (``---coffee``), or in one whose support is not installed; nothing is guessed."""


class YAMLSyntaxError(FrontMatterError):
    """The front matter is not well-formed YAML."""


class JSONSyntaxError(FrontMatterError):
    """The front matter is not well-formed JSON (or uses ``NaN``/``Infinity``, which JSON lacks)."""


class TabIndentationError(YAMLSyntaxError):
    """A tab character is used where YAML requires spaces for indentation."""


class DuplicateKeyError(FrontMatterError):
    """The same key appears twice in one mapping."""


class UnsafeTagError(FrontMatterError):
    """An explicit tag other than YAML's standard scalar and collection tags (never constructed)."""


class UnsupportedYAMLError(FrontMatterError):
    """Valid YAML this library refuses to edit (merge keys, complex keys, several documents)."""


class LimitExceededError(FrontMatterError):
    """A configured resource limit (size, depth, aliases) was exceeded."""


class AliasLimitError(LimitExceededError):
    """Too many aliases, or aliases that would expand to too many nodes (a "billion laughs")."""


class DepthLimitError(LimitExceededError):
    """Collections nested deeper than the configured limit."""


class SizeLimitError(LimitExceededError):
    """The front matter is larger than the configured limit."""


class NotAMappingError(FrontMatterError):
    """The front matter parses but is not a mapping (for example a list)."""


class UnrepresentableValueError(FrontMatterError, TypeError):
    """A value assigned into the document is one its front-matter format cannot hold (any
    type for YAML but plain data; a date, NaN or a non-string key for JSON)."""


class RoundTripError(FrontMatterError):
    """The rendered output did not re-parse to the intended data; nothing was written."""


class WriteError(FrontMatterError):
    """The file could not be written (permissions, disk full); the original is intact."""


class ConcurrentModificationError(WriteError):
    """The file changed on disk between loading and writing; it was not overwritten."""


__all__ = [
    "AliasLimitError",
    "BinaryFileError",
    "ConcurrentModificationError",
    "DecodeError",
    "DepthLimitError",
    "DuplicateKeyError",
    "FrontMatterError",
    "JSONSyntaxError",
    "LimitExceededError",
    "NotAMappingError",
    "RoundTripError",
    "SizeLimitError",
    "TabIndentationError",
    "UnknownFormatError",
    "UnrepresentableValueError",
    "UnsafeTagError",
    "UnsupportedYAMLError",
    "UnterminatedFrontMatterError",
    "WriteError",
    "YAMLSyntaxError",
]


@dataclass(frozen=True)
class ArticleProblem:
    """One reason an article failed validation, located in the file where possible."""

    path: str | None
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = [self.path or "<string>"]
        where += [str(n) for n in (self.line, self.column) if n is not None]
        return f"{':'.join(where)}: {self.field}: {self.message}"


class ArticleValidationError(FrontMatterError):
    """The front matter does not fit the ``Article`` schema; ``problems`` lists every reason.

    ``str()`` renders one problem per line as ``path:line:column: field.path: message``; the
    ``line``/``column``/``message`` attributes are those of the first problem.
    """

    def __init__(self, problems: list[ArticleProblem], *, path: str | Path | None = None) -> None:
        if not problems:
            raise ValueError("ArticleValidationError needs at least one problem")
        self.problems = problems
        first = problems[0]
        super().__init__(
            f"{first.field}: {first.message}", path=path, line=first.line, column=first.column
        )

    def _render(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def with_path(self, path: str | Path | None) -> ArticleValidationError:
        text = None if path is None else str(path)
        self.problems = [replace(problem, path=text) for problem in self.problems]
        super().with_path(path)
        return self


__all__ += ["ArticleProblem", "ArticleValidationError"]
