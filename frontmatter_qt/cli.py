"""The ``frontmatter-qt`` command: check, fix, set, rename, unset, get, convert, schema, lsp.

Output conventions (like ruff and black): findings and values go to stdout (``path:line:col:
CODE message``, and an indented ``help:`` line when there is a hint); errors, warnings and the
summary go to stderr. Exit codes: 0 clean, 1 findings / failures / (with ``--check``) something
would change, 2 usage error (also a path that does not exist, or a pattern matching nothing).
How findings and diffs look is :mod:`frontmatter_qt.display`'s.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import math
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

import frontmatter_qt as fq
from frontmatter_qt import bulk, display, keypath
from frontmatter_qt.checks import check_file
from frontmatter_qt.config import Settings, config_for, importable, load_config
from frontmatter_qt.diagnostics import Diagnostic, of_error
from frontmatter_qt.engine.equality import same_value
from frontmatter_qt.engine.text import LONE_SURROGATE
from frontmatter_qt.errors import (
    ConfigError,
    FrontMatterError,
    KeyExistsError,
    KeyPathError,
    KeySyntaxError,
    NoFrontMatterError,
    NotAListError,
    PlacementError,
    TemplateError,
)
from frontmatter_qt.fixes import STYLES, DateStyle
from frontmatter_qt.formats.yaml.values import ConstructionError, construct_scalar, resolve_plain

if TYPE_CHECKING:
    from frontmatter_qt.plugins import Plugin

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: Seconds between redraws of the progress bar.
REFRESH_SECONDS = 0.1

#: Command-line spellings of key paths: string segments, resolved against each file's data.
Segments = tuple[str, ...]


# -- which settings and plug-in apply to a file -----------------------------------------------


class Selection(NamedTuple):
    """How each file's settings are found: ``--config`` (else the nearest pyproject.toml) and
    ``--model`` (which wins over the configuration). Picklable: workers resolve it per file."""

    config: str | None = None
    model: str | None = None

    def settings(self, path: str | Path) -> Settings:
        # Keyed by the directory's absolute name as a string: discovery asks per file, and
        # a Path per file (made, made absolute, hashed) cost most of a 1,000-file discovery.
        # The name is joined, not normalised, so it names what ``Path.absolute()`` names.
        directory = os.path.dirname(path)
        if not os.path.isabs(directory):
            directory = os.path.join(os.getcwd(), directory)
        return _settings(directory, self.config)

    def plugin(self, path: Path) -> Plugin | None:
        if self.model is not None:
            importable(Path.cwd())  # also in worker processes
        spec = self.model or self.settings(path).model_for(path)
        return None if spec is None else _plugin(spec)

    def fixes(self, path: Path) -> fq.FixSettings:
        plugin = self.plugin(path)
        return plugin.fixes if plugin is not None else fq.FixSettings()

    def check(self, files: Sequence[str | Path]) -> None:
        """Load every configuration and model the files need, before any file is touched:
        a bad one is a usage error (exit 2) naming where it was given."""
        if self.model is not None:
            importable(Path.cwd())  # --model names a module of the project run from
            try:
                _plugin(self.model)
            except ValueError as exc:
                _usage_error(f"--model: {exc}")
        try:
            directory: str | None = None
            same_model = False
            for path in files:
                name = str(path)
                # Files named under one directory share its settings; without a --model and
                # without overrides, they share a model too: one look-up per directory.
                if self.model is None and os.path.dirname(name) == directory and same_model:
                    continue
                file = Path(path)
                self.plugin(file)
                directory = os.path.dirname(name)
                same_model = not self.settings(file).overrides
        except ConfigError as exc:
            _config_error(exc)


@lru_cache(maxsize=4096)
def _settings(directory: str, config: str | None) -> Settings:
    return config_for(Path(directory, "_"), config=config)


@lru_cache(maxsize=64)
def _plugin(spec: str) -> Plugin:
    from frontmatter_qt import plugins

    return plugins.load(spec)


def _usage_error(message: str) -> NoReturn:
    _stderr(f"error: {message}")
    sys.exit(2)


def _config_error(error: ConfigError) -> NoReturn:
    """A bad configuration: a usage error, with its code, place (relative to here when it is
    below) and hint."""
    path = error.path
    if path is not None and Path(path).is_absolute():
        with contextlib.suppress(ValueError):
            path = str(Path(path).relative_to(Path.cwd()))
    [problem] = of_error(error, path)
    first, *rest = display.finding_lines(problem)
    _stderr(f"error: {first}")
    for line in rest:
        _stderr(line)
    sys.exit(2)


# -- check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckTask:
    """Every problem of one file (:func:`frontmatter_qt.checks.check_file`, which the language
    server calls too), under the file's settings and the command-line options."""

    selection: Selection = field(default_factory=Selection)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def __call__(self, path: Path) -> list[Diagnostic]:
        settings = self.selection.settings(path)
        select = self.select or settings.select
        ignore = (*settings.ignore, *self.ignore)
        return check_file(path, self.selection.plugin(path), select=select, ignore=ignore)[1]


# -- key paths and values on the command line ---------------------------------------------------


def parse_key(text: str, sep: str = ".") -> Segments:
    """``seo.title`` → ``("seo", "title")`` (see :func:`frontmatter_qt.keypath.parse`); a bad
    key is a usage error."""
    try:
        return keypath.parse(text, sep)
    except KeySyntaxError as exc:
        raise click.BadParameter(exc.message) from None


def get_value(doc: fq.Document, key: Segments) -> Any:
    try:
        # Reading may count from the end (`tags.-1`: the last item); writing may not.
        return keypath.get(doc.data, keypath.resolve(doc.data, key))
    except KeyPathError as exc:
        raise doc.positioned(exc) from None


def resolve(doc: fq.Document, key: Segments) -> keypath.KeyPath:
    """A command-line key path to edit in this file's data; a negative list index
    (``tags.-1``) is an error, not the last item: a script that meant the item at that place
    must not edit another one silently (``get`` reads ``tags.-1`` as the last item)."""
    keys = keypath.resolve(doc.data, key)
    node: Any = doc.data
    for depth, step in enumerate(keys):
        if isinstance(node, list) and isinstance(step, int) and step < 0:
            where = keypath.format(keys[:depth])
            last = f"the last is {where}[{len(node) - 1}]" if node else f"{where} is empty"
            error = KeyPathError(
                f"negative list index {keypath.format(keys[: depth + 1])}: indexes count from 0 "
                f"({last})",
                keys=keys[: depth + 1],
            )
            raise doc.positioned(error, keys[:depth])
        if not keypath.has(node, (step,)):
            break
        node = keypath.get(node, (step,))
    return keys


# YAML 1.1 leftovers in ruamel.yaml's resolver: front matter reads them as plain strings.
_STRING_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def parse_value(raw: str, as_string: bool = False) -> Any:
    """A command-line value as YAML would read it after ``key: ``.

    Plain text is resolved by YAML 1.2 (``4.5`` float, ``true`` bool, ``2024-12-07`` date,
    ``null`` or empty None) and otherwise kept as the literal text (``#tag``, ``a: b``, ``<<``
    and ``=`` too); text in quotes is a quoted YAML scalar; ``[...]``/``{...}`` a flow list/map.
    A value YAML would refuse (``2024-02-30``, an unclosed quote) is a usage error.
    """
    if as_string:
        return raw
    text = raw.strip()
    if text[:1] in ("'", '"', "[", "{"):
        return _flow_value(raw, text)
    tag = resolve_plain(text)
    if tag in _STRING_TAGS:
        return text
    try:
        return construct_scalar(tag, text)
    except ConstructionError as exc:
        kind = tag.rpartition(":")[2]
        because = f" ({exc.reason})" if exc.reason else ""
        raise click.BadParameter(
            f"{raw!r} is not a valid {kind}{because}; quote it, or pass --string, to set the text"
        ) from None


def _flow_value(raw: str, text: str) -> Any:
    try:
        data = fq.loads(f"---\nv: {text}\n---\n").data
    except FrontMatterError as exc:
        raise click.BadParameter(
            f"{raw!r} starts like a YAML {_kind(text)} but is not one ({exc.message}); to set "
            "it as text, pass --string"
        ) from None
    if list(data) != ["v"]:
        raise click.BadParameter(f"{raw!r} is not one YAML value; to set it as text, pass --string")
    return data["v"]


def _kind(text: str) -> str:
    return {"[": "list", "{": "mapping"}.get(text[:1], "quoted text")


# -- the edits (module-level classes, so they can go to worker processes) ---------------------


class Template(NamedTuple):
    """A value with ``{dotted.key}`` placeholders, filled per file from its own data; ``parts``
    alternate literal text and key paths (``{{``/``}}`` are literal braces)."""

    parts: tuple[str | Segments, ...]

    @classmethod
    def parse(cls, text: str, sep: str = ".") -> Template | None:
        """None when ``text`` has no braces (not a template); a usage error for a stray
        brace or an empty ``{}``."""
        if "{" not in text and "}" not in text:
            return None
        parts: list[str | Segments] = []
        literal = ""
        for found in _TEMPLATE.finditer(text):
            token = found.group()
            if token in ("{{", "}}"):
                literal += token[0]
            elif token in ("{", "}"):
                raise click.BadParameter(
                    f"{text!r}: a single {token!r} in a template; write {token * 2!r} for a "
                    "literal brace, or {key} for a key's value"
                )
            elif token.startswith("{"):
                parts += [literal, parse_key(token[1:-1], sep)]
                literal = ""
            else:
                literal += token
        return cls((*parts, literal))

    def fill(self, doc: fq.Document, key: Segments) -> str:
        out = ""
        for part in self.parts:
            if isinstance(part, str):
                out += part
                continue
            keys = keypath.resolve(doc.data, part)
            shown = keypath.format(keys)
            if not keypath.has(doc.data, keys):
                error = TemplateError(
                    f"{keypath.format(key)}: the template names {{{shown}}}, which this file "
                    "does not have; nothing was set",
                    hint=f"give the file a {shown} first, or leave it out of this run",
                )
                raise doc.positioned(error, keypath.deepest(doc.data, keys))
            value = keypath.get(doc.data, keys)
            if isinstance(value, (dict, list, bytes)) or value is None:
                kind = (
                    "nothing (null)"
                    if value is None
                    else "binary data"
                    if isinstance(value, bytes)
                    else f"a {type(value).__name__}"
                )
                error = TemplateError(
                    f"{keypath.format(key)}: the template's {{{shown}}} is {kind}, not text",
                    hint="name a key whose value is text, a number or a date",
                )
                raise doc.positioned(error, keys)
            out += _as_text(value)
        return out


_TEMPLATE = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]|[^{}]+")


def _as_text(value: Any) -> str:
    """A scalar as it reads in a sentence: ``true``/``false`` as YAML writes them, a date in
    ISO form, a float as Python prints it (``4.5``), one JSON has no number for as YAML writes
    it (``.nan``, ``.inf``: see ``_jsonable``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_jsonable(value))


class Assignment(NamedTuple):
    """``KEY=VALUE`` (``op`` ``=``), ``KEY+=VALUE`` (append to a list) or ``KEY-=VALUE``
    (remove every equal item); ``template`` when the value is text with ``{key}``
    placeholders."""

    key: Segments
    value: Any
    op: str = "="
    template: Template | None = None

    def value_for(self, doc: fq.Document) -> Any:
        return self.value if self.template is None else self.template.fill(doc, self.key)


@dataclass(frozen=True)
class SetValues:
    """``set``: each assignment in turn; new keys placed ``after``/``before`` a sibling (one
    after the other when several are new); a file without front matter is an error unless
    ``create``."""

    assignments: tuple[Assignment, ...]
    after: Segments | None = None
    before: Segments | None = None
    create: bool = False

    def __call__(self, doc: fq.Document) -> None:
        _needs_front_matter(doc, self.create)
        follows: dict[keypath.KeyPath, Any] = {}  # parent → the last new key placed in it
        for assignment in self.assignments:
            keys = resolve(doc, assignment.key)
            value = assignment.value_for(doc)
            try:
                exists = keypath.has(doc.data, keys)
                if assignment.op == "+=" and exists:
                    _append(doc, keys, value)
                elif assignment.op == "-=":
                    _remove(doc, keys, value)
                else:
                    # A new key, or `+=` making a new list: placed like any new key
                    new = [value] if assignment.op == "+=" else value
                    if exists or not (self.after or self.before):
                        keypath.assign(doc.data, keys, new)
                    else:
                        self._insert(doc, keys, new, follows)
            except (KeyPathError, KeyExistsError) as exc:
                raise doc.positioned(exc) from None
            except PlacementError as exc:
                raise doc.positioned(exc, keys) from None

    def _insert(
        self,
        doc: fq.Document,
        keys: keypath.KeyPath,
        value: Any,
        follows: dict[keypath.KeyPath, Any],
    ) -> None:
        parent = keys[:-1]
        sibling = self.after or self.before
        assert sibling is not None
        if len(sibling) > 1:  # a whole path: it must name a key beside the new one
            named = keypath.resolve(doc.data, sibling)
            if named[:-1] != parent:
                raise PlacementError(
                    f"{'--after' if self.after else '--before'} {keypath.format(named)} is not "
                    f"beside {keypath.format(keys)}: name a key of the same mapping",
                    hint=f"give the sibling's own name, e.g. --after {named[-1]}",
                )
        else:
            named = keypath.resolve(keypath.get(doc.data, parent) if parent else doc.data, sibling)
        if parent in follows and self.after:
            place = {"after": follows[parent]}
        else:
            place = {"after" if self.after else "before": named[-1]}
        keypath.insert(doc.data, keys, value, **place)
        follows[parent] = keys[-1]


def _needs_front_matter(doc: fq.Document, create: bool) -> None:
    if not create and not doc.has_front_matter:
        raise NoFrontMatterError(
            "the file has no front matter; it was left alone", path=doc.path, line=1, column=1
        )


def _append(doc: fq.Document, keys: keypath.KeyPath, value: Any) -> None:
    items = keypath.get(doc.data, keys)
    if not isinstance(items, list):
        raise _not_a_list(doc, keys, items, "+=")
    items.append(value)


def _remove(doc: fq.Document, keys: keypath.KeyPath, value: Any) -> None:
    if not keypath.has(doc.data, keys):
        return  # nothing to remove
    items = keypath.get(doc.data, keys)
    if not isinstance(items, list):
        raise _not_a_list(doc, keys, items, "-=")
    items[:] = [item for item in items if not same_value(item, value)]


def _not_a_list(doc: fq.Document, keys: keypath.KeyPath, value: Any, op: str) -> NotAListError:
    error = NotAListError(
        f"{keypath.format(keys)} is a {type(value).__name__}, not a list: `{op}` edits lists"
    )
    return doc.positioned(error, keys)


@dataclass(frozen=True)
class RenameKeys:
    """``rename``: each ``old.key=new_key`` in place; a file without one of the keys is left
    as it is for that key; a file without front matter is an error unless ``create``."""

    renames: tuple[tuple[Segments, str], ...]
    create: bool = False

    def __call__(self, doc: fq.Document) -> None:
        _needs_front_matter(doc, self.create)
        for old, new in self.renames:
            keys = resolve(doc, old)
            if keypath.has(doc.data, keys):
                doc.rename(keys, new)


@dataclass(frozen=True)
class UnsetKey:
    key: Segments

    def __call__(self, doc: fq.Document) -> None:
        keys = resolve(doc, self.key)
        if keypath.delete(doc.data, keys):
            return
        # A missing key is left alone (unset twice, nothing to do), but an item past the end
        # of a list, at any step, is refused as `set` refuses it: the script named an item
        # that is not there.
        found = keypath.deepest(doc.data, keys)
        if len(found) < len(keys) and isinstance(keys[len(found)], int):
            items = keypath.get(doc.data, found)
            if isinstance(items, list):
                error = keypath.no_list_item(items, keys[: len(found) + 1], whole=keys)
                raise doc.positioned(error)


@dataclass(frozen=True)
class Fix:
    """The repairs of ``fix``. Each succeeds or fails on its own, field by field: what cannot
    be repaired is returned as a problem (reported with the file) and the rest is applied."""

    encoding: bool
    newlines: bool
    dates: bool
    body: bool
    selection: Selection = field(default_factory=Selection)
    date_fields: tuple[Segments, ...] = ()  # --field: instead of the settings' date fields
    date_style: DateStyle = "iso"

    def __call__(self, doc: fq.Document) -> list[FrontMatterError]:
        settings = self.selection.fixes(doc.path) if doc.path else fq.FixSettings()
        problems: list[FrontMatterError] = []
        if self.encoding:
            fq.fix_encoding(doc, body=self.body)
        if self.newlines:
            fq.fix_escaped_newlines(doc, settings.newline_fields)
        if self.dates:
            fields = [resolve(doc, key) for key in self.date_fields]
            fq.normalize_dates(
                doc,
                fields or settings.date_fields,
                format_field=settings.date_format_field,
                style=self.date_style,
                problems=problems,
            )
        return problems


@dataclass(frozen=True)
class GetTask:
    """``(value, [])`` or ``(None, problems)`` for one file (picklable)."""

    key: Segments

    def __call__(self, path: Path) -> tuple[Any, list[Diagnostic]]:
        try:
            return get_value(fq.load(path), self.key), []
        except Exception as exc:
            return None, of_error(exc, path)


# -- output -----------------------------------------------------------------------------------


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _report(problems: Sequence[Diagnostic], output_format: str = "text") -> None:
    for problem in problems:
        for line in display.formatted(problem, output_format):
            _stderr(line)


def _progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """``items``, with a progress bar on stderr while they come when stderr is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # auto_refresh=False: no refresh thread, so forking the workers stays safe.
    with Progress(
        *columns, console=Console(stderr=True), transient=True, auto_refresh=False
    ) as bar:
        task_id = bar.add_task(description, total=total)
        shown = time.monotonic()
        for item in items:
            yield item
            bar.advance(task_id)
            if time.monotonic() - shown >= REFRESH_SECONDS:  # drawing costs; the eye is slower
                bar.refresh()
                shown = time.monotonic()


def _jsonable(value: Any) -> Any:
    """``value`` as data ``json.dumps`` writes as strict JSON: dates and times of day (TOML's
    ``07:32:00``) in ISO form, keys as strings, the floats JSON has no number for (``.nan``,
    ``.inf``) as their YAML text, and bytes (YAML's ``!!binary``) in base64, as YAML writes
    them."""
    if isinstance(value, dict):
        return {_json_key(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode("ascii")
    return value


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    shown = _jsonable(key)
    return shown if isinstance(shown, str) else _dumps(shown, ensure_ascii=True)


def _json(value: Any) -> str:
    return _dumps(_jsonable(value), allow_nan=False)


def _dumps(value: Any, *, ensure_ascii: bool = False, **options: Any) -> str:
    import json  # only --json, --format json and schema need it

    text = json.dumps(value, ensure_ascii=ensure_ascii, **options)
    if text.isascii():
        return text
    # JSON text is UTF-8 (RFC 8259): a lone surrogate (a file name's undecodable byte, see
    # `_print_names_as_on_disk`) is written as its \u escape, which a reader decodes back to
    # the same surrogate (Python's os.fsencode then gives the name's bytes). Looked for only
    # when the text does not encode: a character class has no literal to search for.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return LONE_SURROGATE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)
    return text


def _show(value: Any, as_json: bool) -> str:
    """JSON with ``--json``; otherwise a one-line string, a date or a number as it is."""
    if not as_json:
        if isinstance(value, str) and "\n" not in value:
            return value
        if isinstance(value, (dt.date, dt.time, bytes)):
            return str(_jsonable(value))
    return _json(value)


# -- options ----------------------------------------------------------------------------------


def _file_options(func: F) -> F:
    options = [
        click.option(
            "--glob",
            default=None,
            help="Files to take from directories, matched from the right [default: the "
            "configuration's include, else *.md].",
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
        _config_option(),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config_option(
    help: str = "Use this pyproject.toml's [tool.frontmatter-qt] for every file [default: the "
    "nearest one with that table, walking up from each file].",
) -> Callable[[F], F]:
    return click.option("--config", type=click.Path(dir_okay=False), default=None, help=help)


def _model_option(func: F) -> F:
    return click.option(
        "--model",
        default=None,
        metavar="SPEC",
        help="The model files must fit: package.module:Class or a built-in name (quicktakes); "
        "wins over the configuration.",
    )(func)


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
        click.option(
            "--format",
            "--output-format",
            "output_format",
            type=click.Choice(display.EDIT_FORMATS),
            default="text",
            show_default=True,
            help="How failures and warnings are shown (stderr): text: a line and a help line; "
            "concise: the line alone; github: GitHub Actions annotations.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class _Run(NamedTuple):
    paths: tuple[str, ...]
    glob: str | None
    exclude: tuple[str, ...]
    jobs: int | None
    selection: Selection = Selection()

    def files(self) -> list[Path]:
        """The files the paths name. A path that does not exist, or a pattern that matches
        nothing, is a usage error (a typo must not pass as "no problems"); a directory without
        matching files is a warning (as black and ruff do)."""
        return [Path(name) for name in self.file_names()]

    def file_names(self) -> list[str]:
        """:meth:`files` as strings (what a long run keeps: a ``Path`` costs 5x the memory),
        found in one pass: each file once, however many paths named it."""
        nothing = [reason for reason in map(_names_nothing, self.paths) if reason]
        if nothing:
            for reason in nothing[:-1]:
                _stderr(f"error: {reason}")
            _usage_error(nothing[-1])
        try:
            found = bulk.find_file_names(
                self.paths,
                glob=self.glob or bulk.DEFAULT_GLOB,
                exclude=self.exclude,
                accept=None if self.glob else self._accept,
                unmatched=self._warn_unmatched,
            )
        except ConfigError as exc:
            _config_error(exc)
        self.selection.check(found)
        return found

    def _warn_unmatched(self, arg: object) -> None:
        _stderr(f"warning: {arg}: no matching files ({self._pattern()})")

    def _pattern(self) -> str:
        return f"--glob {self.glob}" if self.glob else "the configuration's include, else *.md"

    def _accept(self, path: str) -> bool:
        return self.selection.settings(path).takes(path)


def _names_nothing(arg: str) -> str | None:
    """Why ``arg`` names no file or directory (None when it names one, or is a pattern that
    matches something)."""
    if _exists(arg):
        return None
    if not any(char in arg for char in "*?["):
        return f"{arg}: no such file or directory"
    import glob  # only for an argument that names no path

    if glob.glob(arg, recursive=True):
        return None
    return f"{arg}: the pattern matches no file or directory"


def _exists(arg: str) -> bool:
    try:
        return os.path.lexists(arg)
    except (OSError, ValueError):
        return False


# -- commands ---------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(fq.__version__, "--version", prog_name="frontmatter-qt")
def main() -> None:
    """Lossless bulk edits of the front matter of Markdown files.

    PATHS are files, directories (searched recursively for *.md) or glob patterns. Settings
    come from [tool.frontmatter-qt] in the nearest pyproject.toml (see --config).
    """


def run() -> NoReturn:
    """The console script (``frontmatter-qt``, ``python -m frontmatter_qt``): :func:`main`, then
    :func:`exit_now`. Call ``main`` to run the command inside a program that goes on."""
    _print_names_as_on_disk()
    try:
        main(prog_name="frontmatter-qt")
    except SystemExit as exc:
        exit_now(exc.code)
    exit_now(0)  # not reached: click's standalone mode always exits


def _print_names_as_on_disk() -> None:
    """A file name that is not valid in the file system's encoding (``caf\\xe9.md`` on a UTF-8
    system) reaches Python as text with a lone surrogate for each such byte. With a UTF-8
    locale's strict stdout, printing it was a traceback; stderr printed it as ``\\udce9``. Both
    streams now write such a name's own bytes, as ``ls`` does, and anything else they cannot
    encode as a backslash escape (JSON output escapes the surrogates itself: see ``_dumps``)."""
    import codecs

    def own_bytes(error: UnicodeError) -> tuple[str | bytes, int]:
        if isinstance(error, UnicodeEncodeError):
            part = error.object[error.start : error.end]
            if all("\udc80" <= char <= "\udcff" for char in part):
                return bytes(ord(char) - 0xDC00 for char in part), error.end
        return codecs.backslashreplace_errors(error)

    codecs.register_error("frontmatter-qt", own_bytes)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):  # replaced by a non-text stream
            stream.reconfigure(errors="frontmatter-qt")  # type: ignore[union-attr]


def exit_now(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    A normal exit frees every object, module by module, and runs the collector over them: about
    50 ms after a bulk run's last file (measured on 1,000 files; 5% of the run), for a process
    about to vanish. So, as mypy does and as multiprocessing ends its workers: run the
    ``atexit`` handlers (a plug-in's log handler still flushes), flush stdout and stderr, and
    ``os._exit``. The ordinary exit is taken when something needs it: a code that is not a
    number (``sys.exit`` prints it), an output that cannot be flushed (a closed pipe: Python
    reports it), or another non-daemon thread still running (Python waits for it).
    """
    if code is not None and not isinstance(code, int):
        raise SystemExit(code)
    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon for t in threading.enumerate()):
        raise SystemExit(code)
    atexit._run_exitfuncs()  # first: what a handler writes is flushed below
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None  # the handlers ran once: Python runs them no more
    os._exit(code or 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(display.FORMATS),
    default="text",
    show_default=True,
    help="text: one line per problem and a help line; concise: the line alone; json: an array; "
    "github: GitHub Actions annotations.",
)
@click.option("--select", multiple=True, metavar="CODE", help="Only codes with this prefix.")
@click.option("--ignore", multiple=True, metavar="CODE", help="Skip codes with this prefix.")
@_model_option
@_file_options
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    model: str | None,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Parse, validate against the model (if one is selected) and lint; print
    `path:line:col: CODE message`; exit 1 on any finding."""
    selection = Selection(config, model)
    files = _Run(paths, glob, exclude, jobs, selection).files()
    _check_codes(selection, files, select, ignore)
    found: list[Diagnostic] = []
    task = CheckTask(selection, select, ignore)
    counts: Counter[str] = Counter()  # per code; the findings themselves only for json
    bad_files = 0
    checked = bulk.map_files(files, task, jobs=jobs)
    for _, problems in _progress(checked, len(files), "checking"):
        bad_files += bool(problems)
        counts.update(problem.code for problem in problems)
        for problem in problems:
            if output_format == "json":
                found.append(problem)
            else:
                for line in display.formatted(problem, output_format):
                    click.echo(line)
    if output_format == "json":
        click.echo(_dumps([p.as_json() for p in found], indent=2))
    _stderr(display.summary(len(files), bad_files, counts))
    sys.exit(1 if bad_files else 0)


def _check_codes(
    selection: Selection, files: Sequence[Path], select: Sequence[str], ignore: Sequence[str]
) -> None:
    """A ``--select``/``--ignore`` prefix, or a configuration's, that matches no code is a
    usage error: misspelled, it would turn checking off ("no problems"). The codes are the
    package's, the generic rules' and those of every model named (by ``--model`` or by any
    configuration of these files, whether or not a file of this run uses it: a pre-commit
    run on a few files must not fail for the files it was not given)."""
    from frontmatter_qt.config import check_codes
    from frontmatter_qt.lint import code_families, known_codes, unmatched

    directories = {os.path.dirname(str(path)) for path in files}
    settings = {selection.settings(os.path.join(d, "_")) for d in directories}  # one per config
    specs = {spec for found in settings for spec in found.models()}
    if selection.model is not None:
        specs.add(selection.model)
    try:
        known = known_codes(_plugin(spec) for spec in sorted(specs))
    except ValueError as exc:  # a configured model that does not load: said where it is named
        _usage_error(str(exc))
    for option, prefixes in (("--select", select), ("--ignore", ignore)):
        bad = unmatched(prefixes, known)
        if bad:
            _usage_error(f"{option} {bad[0]!r} is the prefix of no code ({code_families(known)})")
    try:
        for found in settings:
            check_codes(found, known)
    except ConfigError as exc:
        _config_error(exc)


_FIXED = ("fixed", "would fix")
_UPDATED = ("updated", "would update")


class _Output(NamedTuple):
    """How a writing command runs and what it shows: the library's write mode (``--check``:
    CHECK; ``--diff`` or ``--dry-run``: DRY_RUN; else WRITE), whether diffs are printed
    (``--diff``) instead of one line per changed file, and the ``--format`` of each file's
    failures and problems."""

    mode: bulk.WriteMode
    diff: bool
    respect_read_only: bool
    format: str

    @classmethod
    def of(
        cls,
        diff: bool,
        check: bool,
        dry_run: bool,
        respect_read_only: bool,
        output_format: str,
    ) -> _Output:
        if check:
            mode = bulk.WriteMode.CHECK
        elif diff or dry_run:
            mode = bulk.WriteMode.DRY_RUN
        else:
            mode = bulk.WriteMode.WRITE
        return cls(mode, diff, respect_read_only, output_format)


def _edit(
    run: _Run,
    edit: bulk.EditFunction,
    verbs: tuple[str, str],
    output: _Output,
    unchanged: str | None = None,
) -> None:
    """Run ``edit`` over the files; ``verbs`` is (done, would do): ("fixed", "would fix");
    ``unchanged``: list each file left unchanged, with this reason."""
    files = run.file_names()
    tally = bulk.Tally(output.mode)  # counts only: memory stays flat on any number of files
    results = bulk.iter_edit_files(
        files,
        edit,
        mode=output.mode,
        jobs=run.jobs,
        keep_diffs=output.diff,
        respect_read_only=output.respect_read_only,
        discover=False,  # found above, with the configuration's include and exclude
    )
    verb = verbs[0] if output.mode.writes else verbs[1]
    if not output.diff:  # diffs printed on a terminal would tear the bar
        results = _progress(results, len(files), "editing")
    shown = True  # stdout still open
    for result in results:
        tally.add(result)
        if shown:
            try:
                _print_result(result, verb, output, unchanged)
                continue
            except BrokenPipeError:
                if not output.mode.writes:
                    raise  # nothing is written: stop, as a reader piped into ``head`` does
                # Stopping would leave the tree part edited (each file whole, the job half
                # done) without a word (``set DIR ... | head -1``): the edits go on, unseen.
                shown = _stdout_closed()
        _print_result(result, verb, output, unchanged, shown=False)
    if not shown:
        _stderr("standard output was closed by its reader; the run went on to the last file")
    _stderr(tally.summary())
    sys.exit(0 if tally.ok else 1)


def _stdout_closed() -> bool:
    """Point stdout at the null device after its reader went away (what is buffered goes
    there too, so the exit does not report the closed pipe); returns False, "not shown"."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return False


def _print_result(
    result: bulk.FileResult,
    verb: str,
    output: _Output,
    unchanged: str | None,
    shown: bool = True,
) -> None:
    """A file's line (or diff) on stdout, unless ``shown`` is false (stdout was closed), then
    its failure and problems on stderr. The stdout line comes first, so that when it meets a
    closed pipe nothing has been reported yet and the call can be made again unshown."""
    if shown and result.status == "changed":
        if output.diff:
            _print_diff(result.diff or "")
        else:
            click.echo(f"{verb} {result.path}")
    elif shown and unchanged is not None and result.status == "unchanged":
        click.echo(f"unchanged {result.path} ({unchanged})")
    if result.status == "failed":
        assert result.error is not None
        _report(of_error(result.error, result.path), output.format)
    _report(result.problems, output.format)


def _print_diff(diff: str) -> None:
    """Plain when piped; on a terminal (or with FORCE_COLOR), coloured with the changed words
    marked."""
    if _may_be_terminal():
        from rich.console import Console  # the final word on colour (NO_COLOR, TERM=dumb ...)

        console = Console(highlight=False, soft_wrap=True)
        if console.is_terminal and console.color_system is not None:
            console.print(display.diff_text(diff), end="")
            return
    click.echo(diff, nl=False)


def _may_be_terminal() -> bool:
    """Whether rich could take stdout for a terminal: it is one, or the environment says to
    treat it as one (FORCE_COLOR, TTY_COMPATIBLE=1). Piped output then never imports rich."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    try:
        return sys.stdout.isatty()
    except ValueError:  # closed
        return False


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--encoding", is_flag=True, help="Repair mojibake (UTF-8 read as cp1252/latin-1).")
@click.option(
    "--newlines",
    is_flag=True,
    help="Turn literal \\n into line breaks (the model's Markdown fields, else every string).",
)
@click.option(
    "--dates",
    is_flag=True,
    help="Rewrite date fields (--field, else the model's, else `date`) in --date-style.",
)
@click.option(
    "--date-style",
    type=click.Choice(STYLES),
    default="iso",
    show_default=True,
    help="iso: YAML/TOML dates (2024-12-07); format: text in the file's own date_format; "
    "keep-type: ISO text for text, dates for dates.",
)
@click.option(
    "--field",
    "date_fields",
    multiple=True,
    metavar="KEY",
    help="With --dates: repair this key (repeatable: --field updated --field lastmod).",
)
@click.option("--all", "all_fixes", is_flag=True, help="All of the above.")
@click.option("--body", is_flag=True, help="With --encoding: repair the Markdown body too.")
@_model_option
@_write_options
@_file_options
def fix(
    paths: tuple[str, ...],
    encoding: bool,
    newlines: bool,
    dates: bool,
    date_style: DateStyle,
    date_fields: tuple[str, ...],
    all_fixes: bool,
    body: bool,
    model: str | None,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    output_format: str,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Apply the repair helpers; print `fixed PATH` per changed file."""
    if not (encoding or newlines or dates or all_fixes):
        raise click.UsageError("nothing to fix: pass --encoding, --newlines, --dates or --all")
    if date_fields and not (dates or all_fixes):
        raise click.UsageError("--field names the keys --dates repairs: pass --dates or --all")
    selection = Selection(config, model)
    keys = tuple(parse_key(key) for key in date_fields)
    edit = Fix(
        encoding or all_fixes,
        newlines or all_fixes,
        dates or all_fixes,
        body,
        selection,
        keys,
        date_style,
    )
    _edit(
        _Run(paths, glob, exclude, jobs, selection),
        edit,
        _FIXED,
        _Output.of(diff, check, dry_run, respect_read_only, output_format),
    )


def _is_path(arg: str) -> bool:
    """An existing path; an argument no file system can hold as a name (too long, a NUL) is
    not one."""
    try:
        return Path(arg).exists()
    except (OSError, ValueError):
        return False


def _is_file(arg: str) -> bool:
    try:
        return Path(arg).is_file()
    except (OSError, ValueError):
        return False


def _split_assignments(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """PATHS... KEY=VALUE...: assignments are the trailing arguments holding ``=`` (and are not
    existing paths)."""
    paths = list(args)
    assignments: list[str] = []
    while paths and "=" in paths[-1] and not _is_path(paths[-1]):
        assignments.insert(0, paths.pop())
    if not paths or not assignments:
        raise click.UsageError("expected PATHS... KEY=VALUE...")
    return paths, assignments


def _create_option(func: F) -> F:
    return click.option(
        "--create",
        is_flag=True,
        help="Give files without front matter a new block (default: such a file is an error "
        "and is left alone).",
    )(func)


@main.command(name="set")
@click.argument("args", nargs=-1, required=True, metavar="PATHS... KEY=VALUE...")
@click.option("--string", "as_string", is_flag=True, help="Take every VALUE as a literal string.")
@click.option("--key-sep", default=".", show_default=True, help="Separator of key segments.")
@click.option("--after", metavar="KEY", default=None, help="Put new keys right after KEY.")
@click.option("--before", metavar="KEY", default=None, help="Put new keys right before KEY.")
@_create_option
@_write_options
@_file_options
def set_command(
    args: tuple[str, ...],
    as_string: bool,
    key_sep: str,
    after: str | None,
    before: str | None,
    create: bool,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    output_format: str,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Set dotted keys (`seo.title=...`, `tags.0=...`); values are read as YAML scalars.

    `KEY+=VALUE` appends to a list (made if missing), `KEY-=VALUE` removes every equal item.
    `{dotted.key}` in a text value is that file's own value (`{{`, `}}`: literal braces)."""
    if after is not None and before is not None:
        raise click.UsageError("give --after or --before, not both")
    paths, raw = _split_assignments(args)
    assignments = []
    for item in raw:
        key, _, text = item.partition("=")
        op = "="
        if key.endswith(("+", "-")):
            key, op = key[:-1], key[-1] + "="
        value = parse_value(text, as_string)
        template = Template.parse(value, key_sep) if isinstance(value, str) else None
        assignments.append(Assignment(parse_key(key, key_sep), value, op, template))
    edit = SetValues(
        tuple(assignments),
        None if after is None else parse_key(after, key_sep),
        None if before is None else parse_key(before, key_sep),
        create,
    )
    run = _Run(tuple(paths), glob, exclude, jobs, Selection(config))
    _edit(run, edit, _UPDATED, _Output.of(diff, check, dry_run, respect_read_only, output_format))


@main.command()
@click.argument("args", nargs=-1, required=True, metavar="PATHS... OLD.KEY=NEW_KEY...")
@click.option("--key-sep", default=".", show_default=True, help="Separator of key segments.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the files left unchanged.")
@_create_option
@_write_options
@_file_options
def rename(
    args: tuple[str, ...],
    key_sep: str,
    verbose: bool,
    create: bool,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    output_format: str,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Rename keys in place (`seo.title=heading`): position, value, comments kept; files
    without the key are left unchanged."""
    paths, raw = _split_assignments(args)
    renames = []
    for item in raw:
        old_text, _, new_text = item.partition("=")
        old = parse_key(old_text, key_sep)
        new = parse_key(new_text, key_sep) if new_text else ()
        if not new or (len(new) > 1 and new[:-1] != old[:-1]):
            raise click.BadParameter(
                f"{item!r}: write OLD.KEY=NEW_KEY; a rename keeps the key in its mapping"
            )
        renames.append((old, new[-1]))
    edit = RenameKeys(tuple(renames), create)
    run = _Run(tuple(paths), glob, exclude, jobs, Selection(config))
    output = _Output.of(diff, check, dry_run, respect_read_only, output_format)
    names = ", ".join(keypath.format(old) for old, _ in renames)
    _edit(run, edit, _UPDATED, output, unchanged=f"no {names}" if verbose else None)


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
    output_format: str,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Delete a dotted key (its own lines only); files without it are left unchanged."""
    paths, key = _split_key(args)
    edit = UnsetKey(parse_key(key, key_sep))
    _edit(
        _Run(paths, glob, exclude, jobs, Selection(config)),
        edit,
        _UPDATED,
        _Output.of(diff, check, dry_run, respect_read_only, output_format),
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
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Print the value of a dotted key, one line per file."""
    paths, key = _split_key(args)
    task = GetTask(parse_key(key, key_sep))
    files = _Run(paths, glob, exclude, jobs, Selection(config)).files()
    if with_path is None:
        with_path = len(paths) > 1 or not _is_file(paths[0])
    failed = 0
    results = _progress(bulk.map_files(files, task, jobs=jobs), len(files), "reading")
    for path, (value, problems) in results:
        _report(problems)
        failed += bool(problems)
        if not problems:
            click.echo(_get_line(path, value, as_json, with_path))
    sys.exit(1 if failed else 0)


def _get_line(path: Path, value: Any, as_json: bool, with_path: bool) -> str:
    if as_json and with_path:
        return _json({"path": str(path), "value": value})
    shown = _show(value, as_json)
    return f"{path}: {shown}" if with_path else shown


def _indent(text: str) -> str:
    """``--indent``: a number of spaces (1-8) or ``tab``."""
    if text == "tab":
        return "\t"
    if text.isdigit() and text.isascii() and 1 <= int(text) <= 8:
        return " " * int(text)
    raise click.BadParameter(f"{text!r}: expected a number of spaces from 1 to 8, or tab")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--to",
    "target",
    type=click.Choice(["yaml", "toml", "json"]),
    required=True,
    help="The format to write the front matter in.",
)
@click.option(
    "--fence",
    type=click.Choice(["hugo", "eleventy"]),
    default="hugo",
    show_default=True,
    help="Delimiters: hugo (---, +++, a bare JSON object) or eleventy (---, ---toml, ---json).",
)
@click.option(
    "--dates-as-strings",
    is_flag=True,
    help="Write dates and times the target has no type for (JSON: all; YAML: times of day) as "
    "ISO 8601 text instead of refusing the file.",
)
@click.option(
    "--indent",
    default=None,
    metavar="N|tab",
    help="Indentation of JSON front matter: 1-8 spaces or tab [default: 2].",
)
@_write_options
@_file_options
def convert(
    paths: tuple[str, ...],
    target: str,
    fence: str,
    dates_as_strings: bool,
    indent: str | None,
    diff: bool,
    check: bool,
    dry_run: bool,
    respect_read_only: bool,
    output_format: str,
    glob: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    config: str | None,
) -> None:
    """Rewrite each file's front matter in another format; print `converted PATH` per file.

    The body, BOM and line endings stay; the data is verified to read back the same (types and
    key order). Comments go over where the target holds them; each one dropped is printed as a
    W001 warning. A value the target cannot hold (None in TOML, a date in JSON) fails that
    file, and nothing of it is written.
    """
    if indent is not None and target != "json":
        raise click.UsageError("--indent applies to --to json only")
    edit = fq.ConvertTo(target, fence, dates_as_strings, _indent(indent or "2"))
    _edit(
        _Run(paths, glob, exclude, jobs, Selection(config)),
        edit,
        ("converted", "would convert"),
        _Output.of(diff, check, dry_run, respect_read_only, output_format),
    )


@main.command()
@_model_option
@_config_option("Take the model from this pyproject.toml [default: the nearest one, from here].")
def schema(model: str | None, config: str | None) -> None:
    """Print the JSON Schema of the model (--model, else the configuration's)."""
    selection = Selection(config, model)
    here = Path.cwd() / "_"
    selection.check([here])
    plugin = selection.plugin(here)
    if plugin is not None and plugin.model is None:  # a plug-in of rules only
        given = f"--model {model}" if model is not None else f"the configuration's {plugin.name}"
        _usage_error(f"{given} is a plug-in without a model: it has no schema")
    if plugin is None or plugin.model is None:
        _usage_error(
            "no model: pass --model package.module:Class (or quicktakes), or set model in "
            "[tool.frontmatter-qt]"
        )
    from frontmatter_qt import models

    try:
        found = models.json_schema(plugin.model)
    except ConfigError as exc:  # about the model, not a place in a file
        _usage_error(f"{exc.code} {exc.message}\n  help: {exc.hint}")
    click.echo(_dumps(found, indent=2))


@main.command()
@_model_option
@_config_option()
@click.option(
    "--debounce",
    type=click.IntRange(min=0),
    default=300,
    show_default=True,
    metavar="MS",
    help="Quiet time after a change before the document is analysed.",
)
def lsp(model: str | None, config: str | None, debounce: int) -> None:
    """Run the language server on stdin/stdout (needs `pip install 'frontmatter_qt[lsp]'`).

    Each document is checked as `check` checks its file: the model and codes of the nearest
    [tool.frontmatter-qt] (or --config), --model winning over its model."""
    try:  # loaded only here: `import frontmatter_qt` must not need pygls
        from frontmatter_qt.lsp.server import serve
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in ("pygls", "lsprotocol"):
            raise
        raise click.ClickException(
            "the language server needs pygls: pip install 'frontmatter_qt[lsp]'"
        ) from None
    Selection(config, model).check([])  # a model that does not load is a usage error, now
    if config is not None:
        try:
            load_config(config)
        except ConfigError as exc:
            _config_error(exc)
    serve(model=model, config=config, delay=debounce / 1000)
