"""The ``frontmatter-qt`` command: check, fix, set, unset, get, schema.

Output conventions (like ruff and black): findings and values go to stdout, one line each
(``path:line:col: CODE message``); errors, warnings and the summary go to stderr. Exit codes:
0 clean, 1 findings / failures / (with ``--check``) something would change, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

import frontmatter_qt as fq
from frontmatter_qt import bulk
from frontmatter_qt.errors import (
    AliasLimitError,
    ArticleValidationError,
    BinaryFileError,
    ConcurrentModificationError,
    DecodeError,
    DepthLimitError,
    DuplicateKeyError,
    FrontMatterError,
    JSONSyntaxError,
    LimitExceededError,
    NotAMappingError,
    RoundTripError,
    SizeLimitError,
    TabIndentationError,
    UnrepresentableValueError,
    UnsafeTagError,
    UnsupportedYAMLError,
    UnterminatedFrontMatterError,
    WriteError,
    YAMLSyntaxError,
)
from frontmatter_qt.fixes import AmbiguousDateError, DateFormatError, DateParseError
from frontmatter_qt.formats.yaml.values import construct_scalar, resolve_plain

F = TypeVar("F", bound=Callable[..., Any])
KeyPath = tuple[str, ...]


class KeyPathError(FrontMatterError):
    """A dotted key does not lead to a value (missing key, or a scalar where a map is needed)."""


# -- codes ------------------------------------------------------------------------------------

#: Stable codes of the errors (looked up along the exception's MRO; docs/cookbook.md).
ERROR_CODES: dict[type[BaseException], str] = {
    DecodeError: "E001",
    BinaryFileError: "E002",
    UnterminatedFrontMatterError: "E003",
    YAMLSyntaxError: "E004",
    TabIndentationError: "E005",
    DuplicateKeyError: "E006",
    UnsafeTagError: "E007",
    UnsupportedYAMLError: "E008",
    NotAMappingError: "E009",
    JSONSyntaxError: "E015",
    SizeLimitError: "E010",
    DepthLimitError: "E011",
    AliasLimitError: "E012",
    LimitExceededError: "E013",
    UnrepresentableValueError: "E020",
    RoundTripError: "E021",
    KeyPathError: "E022",
    AmbiguousDateError: "E031",
    DateParseError: "E030",
    DateFormatError: "E032",
    ConcurrentModificationError: "E041",
    WriteError: "E040",
    ArticleValidationError: "V001",
    FrontMatterError: "E099",
    OSError: "E902",
    Exception: "E999",
}


def error_code(error: BaseException) -> str:
    for cls in type(error).__mro__:
        if cls in ERROR_CODES:
            return ERROR_CODES[cls]
    return "E999"


@dataclass(frozen=True)
class Problem:
    """One line of ``check`` output (also used for failures of the other commands)."""

    path: str
    line: int | None
    column: int | None
    code: str
    field: str
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{self.path}:{self.line or 1}:{self.column or 1}: {self.code} {what}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "field": self.field or None,
            "message": self.message,
            "fixable": self.fixable,
        }


def problems_of(path: Path, error: BaseException) -> list[Problem]:
    """The ``check``-style lines of one failure (one per problem of a validation error)."""
    where = str(path)
    if isinstance(error, ArticleValidationError):
        return [
            Problem(where, p.line, p.column, "V001", p.field, p.message) for p in error.problems
        ]
    if isinstance(error, FrontMatterError):
        return [Problem(where, error.line, error.column, error_code(error), "", error.message)]
    if isinstance(error, OSError):
        return [Problem(where, None, None, "E902", "", error.strerror or str(error))]
    return [Problem(where, None, None, "E999", "", f"{type(error).__name__}: {error}")]


def _order(problem: Problem) -> tuple[bool, int, int, str]:
    return (problem.line is None, problem.line or 0, problem.column or 0, problem.code)


@dataclass(frozen=True)
class CheckTask:
    """Parse, validate the article, lint: every problem of one file (picklable)."""

    def __call__(self, path: Path) -> list[Problem]:
        try:
            doc = fq.load(path)
        except Exception as exc:
            return problems_of(path, exc)
        found: list[Problem] = []
        if not doc.data:
            found.append(Problem(str(path), None, None, "V002", "", "no front matter"))
        else:
            found += _validation_problems(path, doc)
        for f in fq.lint(doc):
            found.append(
                Problem(str(path), f.line, f.column, f.code, f.field, f.message, f.fixable)
            )
        return sorted(found, key=_order)


def _validation_problems(path: Path, doc: fq.Document) -> list[Problem]:
    try:
        doc.article  # noqa: B018  (validation is the point)
    except ArticleValidationError as exc:
        return problems_of(path, exc)
    return []


def _selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


# -- key paths --------------------------------------------------------------------------------


def parse_key(text: str, sep: str = ".") -> KeyPath:
    """``seo.title`` → ``("seo", "title")``; a segment in quotes may hold the separator:
    ``'"jekyll.version".x'`` → ``("jekyll.version", "x")``."""
    if not sep:
        raise click.BadParameter("the key separator must not be empty")
    segments: list[str] = []
    current, quote = "", ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote and char == quote:
            quote = ""
        elif quote:
            current += char
        elif char in "\"'" and not current:
            quote = char
        elif text.startswith(sep, index):
            segments.append(current)
            current = ""
            index += len(sep) - 1
        else:
            current += char
        index += 1
    if quote:
        raise click.BadParameter(f"unclosed quote in key {text!r}")
    segments.append(current)
    if any(segment == "" for segment in segments):
        raise click.BadParameter(f"empty key segment in {text!r}")
    return tuple(segments)


def _slot(container: Any, segment: str) -> Any:
    """The key or index ``segment`` names in ``container`` (int keys and list indexes)."""
    if isinstance(container, list):
        try:
            return int(segment)
        except ValueError:
            return segment
    if isinstance(container, dict) and segment not in container and segment.lstrip("-").isdigit():
        return int(segment) if int(segment) in container else segment
    return segment


def _locate_error(doc: fq.Document, message: str, where: Sequence[Any]) -> KeyPathError:
    position = doc.position(*where) if where else None
    line, column = position if position is not None else (None, None)
    return KeyPathError(message, path=doc.path, line=line, column=column)


def _descend(doc: fq.Document, key: KeyPath, create: bool) -> tuple[Any, Any, list[Any]]:
    """The container holding ``key``'s last segment, that segment's slot, and the path to it."""
    container: Any = doc.data
    where: list[Any] = []
    for index, segment in enumerate(key[:-1]):
        slot = _slot(container, segment)
        if not _has(container, slot):
            if not (create and isinstance(container, dict)):
                raise _missing(doc, key[: index + 1], container, where)
            container[slot] = {}
        where.append(slot)
        container = container[slot]
    if not isinstance(container, (dict, list)):
        name = type(container).__name__
        raise _locate_error(doc, f"{'.'.join(key[:-1])} is a {name}, not a mapping", where)
    return container, _slot(container, key[-1]), where


def _has(container: Any, slot: Any) -> bool:
    if isinstance(container, dict):
        return slot in container
    if isinstance(container, list):
        return isinstance(slot, int) and -len(container) <= slot < len(container)
    return False


def _missing(doc: fq.Document, key: Sequence[str], container: Any, where: list[Any]) -> Exception:
    if isinstance(container, (dict, list)):
        return _locate_error(doc, f"key not found: {'.'.join(key)}", where)
    name = type(container).__name__
    return _locate_error(doc, f"{'.'.join(key[:-1])} is a {name}, not a mapping", where)


def get_value(doc: fq.Document, key: KeyPath) -> Any:
    container, slot, where = _descend(doc, key, create=False)
    if not _has(container, slot):
        raise _missing(doc, key, container, where)
    return container[slot]


def parse_value(raw: str, as_string: bool = False) -> Any:
    """A command-line value as YAML would read it after ``key: ``.

    Plain text is resolved by YAML 1.2 (``4.5`` float, ``true`` bool, ``2024-12-07`` date,
    ``null`` or empty None) and otherwise kept as the literal text (``#tag`` and ``a: b`` too);
    text in quotes is a quoted YAML scalar; ``[...]``/``{...}`` a flow list/map.
    """
    if as_string:
        return raw
    text = raw.strip()
    if text[:1] in ("'", '"', "[", "{"):
        try:
            return fq.loads(f"---\nv: {text}\n---\n")["v"]
        except FrontMatterError as exc:
            raise click.BadParameter(f"{raw!r} is not a YAML value ({exc.message})") from None
    return construct_scalar(resolve_plain(text), text)


# -- the edits (module-level classes, so they can go to worker processes) ---------------------


@dataclass(frozen=True)
class SetValues:
    assignments: tuple[tuple[KeyPath, Any], ...]

    def __call__(self, doc: fq.Document) -> None:
        for key, value in self.assignments:
            container, slot, where = _descend(doc, key, create=True)
            if isinstance(container, list) and not _has(container, slot):
                raise _locate_error(doc, f"no list item {'.'.join(key)}", where)
            container[slot] = value


@dataclass(frozen=True)
class UnsetKey:
    key: KeyPath

    def __call__(self, doc: fq.Document) -> None:
        try:
            container, slot, _ = _descend(doc, self.key, create=False)
        except KeyPathError:
            return
        if _has(container, slot):
            del container[slot]


@dataclass(frozen=True)
class Fix:
    encoding: bool
    newlines: bool
    dates: bool
    body: bool

    def __call__(self, doc: fq.Document) -> None:
        if self.encoding:
            fq.fix_encoding(doc, body=self.body)
        if self.newlines:
            fq.fix_escaped_newlines(doc)
        if self.dates:
            fq.normalize_dates(doc)


@dataclass(frozen=True)
class GetTask:
    """``(value, [])`` or ``(None, problems)`` for one file (picklable)."""

    key: KeyPath

    def __call__(self, path: Path) -> tuple[Any, list[Problem]]:
        try:
            return get_value(fq.load(path), self.key), []
        except Exception as exc:
            return None, problems_of(path, exc)


# -- output -----------------------------------------------------------------------------------


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _report_failure(path: Path, error: BaseException) -> None:
    for problem in problems_of(path, error):
        _stderr(str(problem))


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    raise TypeError(f"cannot show a {type(value).__name__}")


def _show(value: Any, as_json: bool) -> str:
    """JSON with ``--json``; otherwise a one-line string, a date or a number as it is."""
    if not as_json:
        if isinstance(value, str) and "\n" not in value:
            return value
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=_json_default)


# -- options ----------------------------------------------------------------------------------


def _file_options(func: F) -> F:
    options = [
        click.option(
            "--glob",
            default=bulk.DEFAULT_GLOB,
            show_default=True,
            help="Files to take from directories (matched from the right).",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="PATTERN",
            help="Leave out paths, or paths under directories, matching PATTERN (repeatable).",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes [default: CPU count].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _write_options(func: F) -> F:
    options = [
        click.option("--diff", is_flag=True, help="Print unified diffs; write nothing."),
        click.option(
            "--check", is_flag=True, help="Write nothing; exit 1 if any file would change."
        ),
        click.option("--dry-run", is_flag=True, help="Write nothing; list what would change."),
        click.option(
            "--respect-read-only",
            is_flag=True,
            help="Refuse files without their write bit even where the OS permits writing.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass(frozen=True)
class _Run:
    paths: tuple[str, ...]
    glob: str
    exclude: tuple[str, ...]
    jobs: int | None

    def files(self) -> list[Path]:
        found = bulk.find_files(self.paths, glob=self.glob, exclude=self.exclude)
        if not found:
            _stderr("warning: no files found")
        return found


# -- commands ---------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(fq.__version__, "--version", prog_name="frontmatter-qt")
def main() -> None:
    """Lossless bulk edits of the YAML front matter of Markdown articles.

    PATHS are files, directories (searched recursively for *.md) or glob patterns.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--select", multiple=True, metavar="CODE", help="Only codes with this prefix.")
@click.option("--ignore", multiple=True, metavar="CODE", help="Skip codes with this prefix.")
@_file_options
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    glob: str,
    exclude: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Parse, validate and lint; print `path:line:col: CODE message`; exit 1 on any finding."""
    files = _Run(paths, glob, exclude, jobs).files()
    found: list[Problem] = []
    bad_files = 0
    for _, problems in bulk.map_files(files, CheckTask(), jobs=jobs, description="checking"):
        kept = [p for p in problems if _selected(p.code, select, ignore)]
        bad_files += bool(kept)
        if output_format == "text":
            for problem in kept:
                click.echo(str(problem))
        else:
            found += kept
    if output_format == "json":
        click.echo(json.dumps([p.as_json() for p in found], indent=2, ensure_ascii=False))
    _check_summary(len(files), bad_files)
    sys.exit(1 if bad_files else 0)


def _check_summary(files: int, bad_files: int) -> None:
    noun = "file" if files == 1 else "files"
    if bad_files:
        _stderr(f"{bad_files} of {files} {noun} with problems")
    else:
        _stderr(f"{files} {noun} checked, no problems")


_FIXED = ("fixed", "would fix")
_UPDATED = ("updated", "would update")


@dataclass(frozen=True)
class _WriteMode:
    diff: bool
    check: bool
    dry_run: bool
    respect_read_only: bool

    @property
    def write(self) -> bool:
        return not (self.diff or self.check or self.dry_run)


def _edit(run: _Run, edit: bulk.EditFunction, verbs: tuple[str, str], mode: _WriteMode) -> None:
    """Run ``edit`` over the files; ``verbs`` is (done, would do): ("fixed", "would fix")."""
    files = run.files()
    report = bulk.Report(written=mode.write, check=mode.check, diffs_kept=False)
    results = bulk.iter_edit_files(
        files,
        edit,
        dry_run=not mode.write,
        jobs=run.jobs,
        keep_diffs=mode.diff,
        respect_read_only=mode.respect_read_only,
    )
    for result in results:
        report.add(result)
        _print_result(result, verbs[0] if mode.write else verbs[1], mode.diff)
    _stderr(report.summary())
    sys.exit(0 if report.ok else 1)


def _print_result(result: bulk.FileResult, verb: str, diff: bool) -> None:
    if result.status == "failed":
        assert result.error is not None
        _report_failure(result.path, result.error)
    elif result.status == "changed":
        if diff:
            click.echo(result.diff, nl=False)
        else:
            click.echo(f"{verb} {result.path}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--encoding", is_flag=True, help="Repair mojibake (UTF-8 read as cp1252/latin-1).")
@click.option("--newlines", is_flag=True, help="Turn literal \\n in `answer` into line breaks.")
@click.option("--dates", is_flag=True, help="Rewrite `date` as a plain YAML date.")
@click.option("--all", "all_fixes", is_flag=True, help="All of the above.")
@click.option("--body", is_flag=True, help="With --encoding: repair the Markdown body too.")
@_write_options
@_file_options
def fix(
    paths: tuple[str, ...],
    encoding: bool,
    newlines: bool,
    dates: bool,
    all_fixes: bool,
    body: bool,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Apply the repair helpers; print `fixed PATH` per changed file."""
    if not (encoding or newlines or dates or all_fixes):
        raise click.UsageError("nothing to fix: pass --encoding, --newlines, --dates or --all")
    edit = Fix(encoding or all_fixes, newlines or all_fixes, dates or all_fixes, body)
    _edit(
        _Run(paths, glob, exclude, jobs),
        edit,
        _FIXED,
        _WriteMode(diff, check, dry_run, respect_read_only),
    )


def _split_assignments(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """PATHS... KEY=VALUE...: assignments are the trailing arguments holding ``=``."""
    paths = list(args)
    assignments: list[str] = []
    while paths and "=" in paths[-1] and not Path(paths[-1]).exists():
        assignments.insert(0, paths.pop())
    if not paths or not assignments:
        raise click.UsageError("expected PATHS... KEY=VALUE...")
    return paths, assignments


@main.command(name="set")
@click.argument("args", nargs=-1, required=True, metavar="PATHS... KEY=VALUE...")
@click.option("--string", "as_string", is_flag=True, help="Take every VALUE as a literal string.")
@click.option("--key-sep", default=".", show_default=True, help="Separator of key segments.")
@_write_options
@_file_options
def set_command(
    args: tuple[str, ...],
    as_string: bool,
    key_sep: str,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Set dotted keys (`seo.title=...`, `tags.0=...`); values are read as YAML scalars."""
    paths, raw = _split_assignments(args)
    assignments = []
    for item in raw:
        key, _, value = item.partition("=")
        assignments.append((parse_key(key, key_sep), parse_value(value, as_string)))
    edit = SetValues(tuple(assignments))
    run = _Run(tuple(paths), glob, exclude, jobs)
    _edit(run, edit, _UPDATED, _WriteMode(diff, check, dry_run, respect_read_only))


def _split_key(args: Sequence[str]) -> tuple[tuple[str, ...], str]:
    if len(args) < 2:
        raise click.UsageError("expected PATHS... KEY")
    return tuple(args[:-1]), args[-1]


@main.command()
@click.argument("args", nargs=-1, required=True, metavar="PATHS... KEY")
@click.option("--key-sep", default=".", show_default=True, help="Separator of key segments.")
@_write_options
@_file_options
def unset(
    args: tuple[str, ...],
    key_sep: str,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Delete a dotted key (its own lines only); files without it are left unchanged."""
    paths, key = _split_key(args)
    edit = UnsetKey(parse_key(key, key_sep))
    _edit(
        _Run(paths, glob, exclude, jobs),
        edit,
        _UPDATED,
        _WriteMode(diff, check, dry_run, respect_read_only),
    )


@main.command()
@click.argument("args", nargs=-1, required=True, metavar="PATHS... KEY")
@click.option("--json", "as_json", is_flag=True, help="Print values as JSON.")
@click.option(
    "--with-path/--no-path",
    default=None,
    help="Prefix each value with its file [default: when more than one file can match].",
)
@click.option("--key-sep", default=".", show_default=True, help="Separator of key segments.")
@_file_options
def get(
    args: tuple[str, ...],
    as_json: bool,
    with_path: bool | None,
    key_sep: str,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Print the value of a dotted key, one line per file."""
    paths, key = _split_key(args)
    task = GetTask(parse_key(key, key_sep))
    files = _Run(paths, glob, exclude, jobs).files()
    if with_path is None:
        with_path = len(paths) > 1 or not Path(paths[0]).is_file()
    failed = 0
    for path, (value, problems) in bulk.map_files(files, task, jobs=jobs, description="reading"):
        for problem in problems:
            _stderr(str(problem))
        failed += bool(problems)
        if not problems:
            click.echo(_get_line(path, value, as_json, with_path))
    sys.exit(1 if failed else 0)


def _get_line(path: Path, value: Any, as_json: bool, with_path: bool) -> str:
    if as_json and with_path:
        return json.dumps(
            {"path": str(path), "value": value}, ensure_ascii=False, default=_json_default
        )
    shown = _show(value, as_json)
    return f"{path}: {shown}" if with_path else shown


@main.command()
def schema() -> None:
    """Print the Article JSON Schema."""
    click.echo(json.dumps(fq.Article.model_json_schema(), indent=2, ensure_ascii=False))
