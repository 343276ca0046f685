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
        # so errors cross process boundaries (bulk edits) intact. The OSError fields of a
        # ReadError live in C slots, not in vars(): they travel beside them.
        state = dict(vars(self))
        if isinstance(self, OSError):
            state[_OS_FIELDS] = (self.errno, self.strerror, self.filename)
        return (_restore, (type(self), state))

    def with_path(self, path: str | Path | None) -> FrontMatterError:
        """Attach the file path (used when a string was parsed on behalf of a file)."""
        self.path = None if path is None else str(path)
        self.args = (self._render(),)
        return self


_OS_FIELDS = "_os_fields"


def _restore(cls: type[FrontMatterError], state: dict[str, object]) -> FrontMatterError:
    error = cls.__new__(cls)
    os_fields = state.pop(_OS_FIELDS, None)
    if isinstance(error, OSError) and isinstance(os_fields, tuple):
        error.errno, error.strerror, error.filename = os_fields
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
    """An opening ``---`` line has no closing ``---`` or ``...`` line."""


class UnknownFormatError(FrontMatterError):
    """The file opens like front matter in a language this library does not read
    (``---coffee``), or in one whose support is not installed; nothing is guessed."""


class YAMLSyntaxError(FrontMatterError):
    """The front matter is not well-formed YAML."""


class TOMLSyntaxError(FrontMatterError):
    """The front matter is not well-formed TOML (TOML 1.0, as Python's ``tomllib`` reads it)."""


class TabIndentationError(YAMLSyntaxError):
    """A tab character is used where YAML requires spaces for indentation."""


class DuplicateKeyError(FrontMatterError):
    """The same key appears twice in one mapping (in TOML also: a table defined twice)."""


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
    """The front matter is YAML but not a mapping (for example a list)."""


class UnrepresentableValueError(FrontMatterError, TypeError):
    """A value assigned into the document has a type its front-matter format cannot hold
    (for TOML also ``None``, a non-string key, an integer beyond 64 bits, a time with an
    offset)."""


class RoundTripError(FrontMatterError):
    """The rendered output did not re-parse to the intended data; nothing was written."""


class ReadError(FrontMatterError, OSError):
    """The file could not be read (missing, permission denied, an I/O error, a symlink loop).

    Also an ``OSError`` carrying the operating system's ``errno``, ``strerror`` and
    ``filename``, so ``except OSError`` keeps working; ``str()`` is ``path: message``.
    """

    def __str__(self) -> str:
        # OSError.__str__ would render "[Errno 2] ..." once errno is set.
        return self._render()


class MissingFileError(ReadError, FileNotFoundError):
    """There is no file at the path (also a ``FileNotFoundError``)."""


class ReadPermissionError(ReadError, PermissionError):
    """This process may not read the file (also a ``PermissionError``)."""


class NotARegularFileError(ReadError):
    """The path names a directory, a FIFO, a device or a socket, not a regular file; it is
    refused before anything is read (a FIFO would block, a device never end)."""


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
    "LimitExceededError",
    "MissingFileError",
    "NotAMappingError",
    "NotARegularFileError",
    "ReadError",
    "ReadPermissionError",
    "RoundTripError",
    "SizeLimitError",
    "TOMLSyntaxError",
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
