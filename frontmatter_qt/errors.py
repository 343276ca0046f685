"""Exceptions raised by frontmatter_qt.

Every error that points into a file carries ``path`` (may be ``None`` for text loaded from a
string), ``line`` and ``column`` (1-based, counted in characters, lines split at ``\\n``), and
renders as ``path:line:column: message`` so editors and terminals can jump to it. ``message`` is
a plain sentence about the file (not the parser's words); ``hint``, when there is something
specific to say, says how to fix it (the command prints it as ``help:``, as rustc and ruff do).

Every class carries its stable ``code`` (``E004``, ``V001`` ...): the command prints it, the
language server reports it, ``--select``/``--ignore`` filter on it. This module is the one home of
those codes (docs/cookbook.md lists them); a code is never reused for another meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from frontmatter_qt.diagnostics import Diagnostic

_E = TypeVar("_E", bound="FrontMatterError")


class FrontMatterError(Exception):
    """Base class of every error this library raises about a document."""

    #: Stable code of this kind of error (subclasses override it).
    code: ClassVar[str] = "E099"
    #: How to fix it: each class's default, which an instance replaces when it knows more
    #: (``quote the value: '%'``); None when there is nothing useful to say.
    hint: str | None = None

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        if hint is not None:
            self.hint = hint
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
        return reduce_error(self)

    def with_path(self, path: str | Path | None) -> FrontMatterError:
        """Attach the file path (used when a string was parsed on behalf of a file)."""
        self.path = None if path is None else str(path)
        self.args = (self._render(),)
        return self

    def at(self: _E, path: str | Path | None, line: int | None, column: int | None) -> _E:
        """Attach the file and the position (an error raised on plain data, placed in the file
        it came from)."""
        self.line, self.column = line, column
        self.with_path(path)
        return self


_OS_FIELDS = "_os_fields"


def reduce_error(error: BaseException) -> tuple[object, ...]:
    """How any exception crosses a process boundary (the one pickling path of errors).

    Rebuilt from its class, args and attributes without calling ``__init__`` (many exceptions,
    this library's among them, take keyword-only arguments that ``args`` does not hold). The
    OSError fields live in C slots, not in ``vars()``: they travel beside them. An exception
    whose parts cannot be pickled (a lambda in an attribute, a local class) travels as a
    ``RuntimeError`` naming it, so one odd error never breaks the run that reports it.
    """
    import pickle  # only when an error is sent to another process

    state = dict(vars(error))
    if isinstance(error, OSError):
        state[_OS_FIELDS] = (error.errno, error.strerror, error.filename)
    parts = (type(error), error.args, state)
    try:
        pickle.dumps(parts)
    except Exception:
        return (RuntimeError, (f"{type(error).__name__}: {error}",))
    return (_restore, parts)


def _restore(
    cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    error = cls.__new__(cls, *args)
    os_fields = state.pop(_OS_FIELDS, None)
    if isinstance(error, OSError) and isinstance(os_fields, tuple):
        error.errno, error.strerror, error.filename = os_fields
    error.__dict__.update(state)
    error.args = args
    return error


class Portable:
    """Any exception, pickled by :func:`reduce_error` (unpickled, it is the exception itself).

    Results that carry a user's exception across processes (bulk edits) wrap it in this, so
    an exception class that defines no ``__reduce__`` of its own travels like this library's.
    """

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __reduce__(self) -> tuple[object, ...]:
        return reduce_error(self.error)


class DecodeError(FrontMatterError):
    """The file is not valid UTF-8; ``byte_offset`` is where the first bad byte sits."""

    code = "E001"
    hint = "save the file as UTF-8 (text from Windows is often cp1252: `iconv -f cp1252 -t utf-8`)"

    def __init__(self, message: str, *, byte_offset: int, **where: Any) -> None:
        self.byte_offset = byte_offset
        super().__init__(message, **where)


class BinaryFileError(FrontMatterError):
    """The file contains NUL bytes: it is binary, not an article."""

    code = "E002"
    hint = "this is not a text file: leave it out (`--exclude`), or remove the NUL bytes"


class UnterminatedFrontMatterError(FrontMatterError):
    """An opening ``---`` line has no closing ``---`` or ``...`` line (or a bare JSON ``{`` no
    matching ``}``)."""

    code = "E003"
    hint = "end the front matter with a line holding only `---` (`+++` for TOML)"


class UnknownFormatError(FrontMatterError, ValueError):
    """The file opens like front matter in a language this library does not read
    (``---coffee``), or in one whose support is not installed; nothing is guessed. Also a
    format (or fence style) named in a call that does not exist (``doc.convert("xml")``)."""

    code = "E016"
    hint = "write the front matter in YAML (`---`), TOML (`+++`, `---toml`) or JSON (`---json`)"


class YAMLSyntaxError(FrontMatterError):
    """The front matter is not well-formed YAML."""

    code = "E004"


class TOMLSyntaxError(FrontMatterError):
    """The front matter is not well-formed TOML (TOML 1.0, as Python's ``tomllib`` reads it)."""

    code = "E014"


class JSONSyntaxError(FrontMatterError):
    """The front matter is not well-formed JSON (or uses ``NaN``/``Infinity``, which JSON lacks)."""

    code = "E015"


class TabIndentationError(YAMLSyntaxError):
    """A tab character is used where YAML requires spaces for indentation."""

    code = "E005"
    hint = "replace the tab with spaces"


class DuplicateKeyError(FrontMatterError):
    """The same key appears twice in one mapping (in TOML also: a table defined twice)."""

    code = "E006"
    hint = "remove one of the two, or rename one: a mapping holds each key once"


class UnsafeTagError(FrontMatterError):
    """An explicit tag other than YAML's standard scalar and collection tags (never constructed)."""

    code = "E007"
    hint = "remove the tag: front matter holds plain values (text, numbers, dates, lists, mappings)"


class UnsupportedYAMLError(FrontMatterError):
    """Valid YAML this library refuses to edit (merge keys, complex keys, several documents)."""

    code = "E008"
    hint = "write the values out in plain YAML: one document, text keys, no `<<` merge keys"


class LimitExceededError(FrontMatterError):
    """A configured resource limit (size, depth, aliases) was exceeded."""

    code = "E013"
    hint = "if this really is an article, raise the limit (`fq.Limits`)"


class AliasLimitError(LimitExceededError):
    """Too many aliases, or aliases that would expand to too many nodes (a "billion laughs")."""

    code = "E012"
    hint = "write the repeated values out instead of referring to them with aliases"


class DepthLimitError(LimitExceededError):
    """Collections nested deeper than the configured limit."""

    code = "E011"
    hint = "flatten the nesting; front matter is rarely deeper than a few levels"


class SizeLimitError(LimitExceededError):
    """The front matter is larger than the configured limit."""

    code = "E010"
    hint = "if this really is an article, raise the limit (`fq.Limits`)"


class NotAMappingError(FrontMatterError):
    """The front matter parses but is not a mapping (for example a list)."""

    code = "E009"
    hint = "front matter is a mapping: `key: value` lines"


class UnrepresentableValueError(FrontMatterError, TypeError):
    """A value assigned into the document is one its front-matter format cannot hold (YAML:
    anything but plain data; TOML also ``None``, a non-string key, an integer beyond 64 bits, a
    time with an offset; JSON a date, NaN or a non-string key). ``keys`` is the key path of
    the value (or of the entry whose key it is), when the format names one."""

    code = "E020"
    hint = "assign text, a number, a boolean, a date, a list or a mapping"

    def __init__(self, message: str, *, keys: tuple[Any, ...] | None = None, **where: Any) -> None:
        self.keys = keys
        super().__init__(message, **where)


class RoundTripError(FrontMatterError):
    """The rendered output did not re-parse to the intended data; nothing was written."""

    code = "E021"
    hint = (
        "nothing was written; please report the file and the edit, the engine could not write it "
        "faithfully"
    )


class OrderError(RoundTripError):
    """The data's key order is one the file's format cannot write (TOML writes a table's plain
    keys before its ``[sections]``, and this engine does not move whole sections); positioned at
    the key that would have to move. Nothing is written."""

    code = "E026"
    hint = (
        "in TOML, keep a table's plain keys before its [sections]; move a key within its "
        "section only"
    )


class TemplateError(FrontMatterError, KeyError):
    """A ``{key}`` template (``set 'seo.title=QuickTakes | {subject}'``) names a key this
    file does not have, or one whose value is a list or mapping rather than text."""

    code = "E027"
    hint = "give the file that key first, or write `{{`/`}}` for literal braces"

    def __str__(self) -> str:  # KeyError would show the repr of its argument
        return self._render()


class NoFrontMatterError(FrontMatterError):
    """A command that edits front matter (``set``, ``rename``) met a file that has none; it
    is left alone rather than given a new block (README.md, SOURCES.md ...)."""

    code = "E028"
    hint = "pass --create to add a front-matter block to such files, or leave them out"


class NotAListError(FrontMatterError, TypeError):
    """``KEY+=VALUE`` or ``KEY-=VALUE`` on a key whose value is not a list."""

    code = "E029"
    hint = "`+=` and `-=` edit lists; set the key with `=` to replace its value"


class ReadError(FrontMatterError, OSError):
    """The file could not be read (missing, permission denied, an I/O error, a symlink loop).

    Also an ``OSError`` carrying the operating system's ``errno``, ``strerror`` and
    ``filename``, so ``except OSError`` keeps working; ``str()`` is ``path: message``.
    """

    code = "E902"
    hint = "check the path and its permissions"

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

    code = "E903"
    hint = "this cannot be an article: leave it out (`--exclude`)"


class WriteError(FrontMatterError):
    """The file could not be written (permissions, disk full); the original is intact."""

    code = "E040"
    hint = (
        "check the permissions of the file and its folder, and the free space; the original is "
        "intact"
    )


class ConcurrentModificationError(WriteError):
    """The file changed on disk between loading and writing; it was not overwritten."""

    code = "E041"
    hint = "another program changed the file while this one ran: run the command again"


class _KeyedError(FrontMatterError, KeyError):
    """An error about the key path ``keys`` that is also a ``KeyError`` (what a dict raises)."""

    def __init__(self, message: str, *, keys: tuple[Any, ...] = (), **where: Any) -> None:
        self.keys = keys
        super().__init__(message, **where)

    def __str__(self) -> str:  # KeyError would show the repr of its argument
        return self._render()


class KeyPathError(_KeyedError):
    """A key path does not lead to a value: a missing key, a list index out of range, or a
    scalar where a mapping is needed. ``keys`` is the whole path asked for."""

    code = "E022"


class KeyExistsError(_KeyedError):
    """``insert`` of a key the mapping already has, or ``rename`` onto one (a mapping holds
    each key once: nothing is replaced silently). ``keys`` is the path of the existing key."""

    code = "E024"
    hint = "choose another key, or assign the existing one (`doc[key] = value`, `set KEY=VALUE`)"


class PlacementError(FrontMatterError, ValueError):
    """A structure edit (insert, rename, move) that cannot be done as asked: ``after`` and
    ``before`` both given, a list position out of range or negative, a list item renamed."""

    code = "E025"


class KeySyntaxError(FrontMatterError, ValueError):
    """A key path written as text (``seo.title``) cannot be read: an empty segment, an unclosed
    quote, an empty separator."""

    code = "E023"
    hint = (
        "quote a segment that holds the separator ('\"a.b\".c'), or choose another one "
        "(`--key-sep`)"
    )


class DateParseError(FrontMatterError, ValueError):
    """A date string in none of the accepted formats, or not a real calendar date."""

    code = "E030"
    hint = "write the date as YYYY-MM-DD"


class AmbiguousDateError(DateParseError):
    """A numeric date such as ``07/12/2024`` whose day/month order is unknown."""

    code = "E031"
    hint = "write the date as YYYY-MM-DD, so the order of day and month is clear"


class DateFormatError(FrontMatterError, ValueError):
    """A date format with a token arrow does not render (or renders as nothing)."""

    code = "E032"
    hint = "date_format uses arrow's tokens (`MMM DD, YYYY`); put literal text in [brackets]"


class ConfigError(FrontMatterError):
    """The ``[tool.frontmatter-qt]`` configuration is invalid: a TOML syntax error, an unknown
    key, a value of the wrong type, a model that does not import or is not a pydantic model.
    ``path``/``line``/``column`` point into the configuration file."""

    code = "E050"


class ModelValidationError(FrontMatterError):
    """The front matter does not fit a pydantic model; ``problems`` lists every reason.

    Each problem is a :class:`~frontmatter_qt.diagnostics.Diagnostic` (``keys``, ``line``,
    ``column``, ``message``, ``type`` ...). ``str()`` renders one problem per line as
    ``path:line:column: field.path: message``; the ``line``/``column``/``message`` attributes
    are those of the first problem.
    """

    code = "V001"

    def __init__(self, problems: Sequence[Diagnostic], *, path: str | Path | None = None) -> None:
        if not problems:
            raise ValueError(f"{type(self).__name__} needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        message = f"{first.field}: {first.message}" if first.field else first.message
        super().__init__(message, path=path, line=first.line, column=first.column)

    def _render(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def with_path(self, path: str | Path | None) -> ModelValidationError:
        text = None if path is None else str(path)
        self.problems = [replace(problem, path=text) for problem in self.problems]
        super().with_path(path)
        return self


class ArticleValidationError(ModelValidationError):
    """The front matter does not fit the QuickTakes ``Article`` model."""


#: Codes of problems that no exception carries.
NO_FRONT_MATTER = "V002"  # a model is selected, and the file has no front matter for it
COMMENT_DROPPED = "W001"  # a conversion did not carry a comment over (a warning)
OS_ERROR = "E902"  # the file cannot be read (``OSError``)
UNEXPECTED_ERROR = "E999"  # any other exception (for example raised by an edit function)
#: All of them: with the classes' codes, every code the package reports (docs/errors.md has
#: a section for each, which its test checks).
SITUATION_CODES = (NO_FRONT_MATTER, COMMENT_DROPPED, OS_ERROR, UNEXPECTED_ERROR)


def package_codes() -> frozenset[str]:
    """Every code the package itself reports: each error class's and the situations'."""
    classes: list[type[FrontMatterError]] = [FrontMatterError]
    codes = set(SITUATION_CODES)
    while classes:
        cls = classes.pop()
        codes.add(cls.code)
        classes += cls.__subclasses__()
    return frozenset(codes)


def code_of(error: BaseException) -> str:
    """The stable code of any exception: its class's ``code``, ``E902`` for an ``OSError``,
    ``E999`` for anything else."""
    if isinstance(error, FrontMatterError):
        return error.code
    if isinstance(error, OSError):
        return OS_ERROR
    return UNEXPECTED_ERROR


__all__ = [
    "AliasLimitError",
    "AmbiguousDateError",
    "ArticleValidationError",
    "BinaryFileError",
    "ConcurrentModificationError",
    "ConfigError",
    "DateFormatError",
    "DateParseError",
    "DecodeError",
    "DepthLimitError",
    "DuplicateKeyError",
    "FrontMatterError",
    "JSONSyntaxError",
    "KeyExistsError",
    "KeyPathError",
    "KeySyntaxError",
    "LimitExceededError",
    "MissingFileError",
    "ModelValidationError",
    "NoFrontMatterError",
    "NotAListError",
    "NotAMappingError",
    "NotARegularFileError",
    "OrderError",
    "PlacementError",
    "ReadError",
    "ReadPermissionError",
    "RoundTripError",
    "SizeLimitError",
    "TOMLSyntaxError",
    "TabIndentationError",
    "TemplateError",
    "UnknownFormatError",
    "UnrepresentableValueError",
    "UnsafeTagError",
    "UnsupportedYAMLError",
    "UnterminatedFrontMatterError",
    "WriteError",
    "YAMLSyntaxError",
    "code_of",
    "package_codes",
]


def __getattr__(name: str) -> Any:
    # ``ArticleProblem`` was the problem type of ``ArticleValidationError``; every problem is a
    # ``Diagnostic`` now (imported lazily: diagnostics imports this module).
    if name == "ArticleProblem":
        from frontmatter_qt.diagnostics import Diagnostic

        return Diagnostic
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
