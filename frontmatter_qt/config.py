"""Configuration, as ruff and black do it: ``[tool.frontmatter-qt]`` in ``pyproject.toml``.

The settings of a file come from the nearest ``pyproject.toml`` that has a
``[tool.frontmatter-qt]`` table, walking up from the file's directory (``--config`` names one
for every file instead)::

    [tool.frontmatter-qt]
    model = "quicktakes"              # or "package.module:Class" (a pydantic model or a Plugin)
    select = ["E", "V", "QT"]         # code prefixes to report (default: all)
    ignore = ["QT007"]                # code prefixes never to report
    include = ["content/**/*.md"]     # files to take from directories (default: *.md)
    exclude = ["drafts", "*.old.md"]  # paths to leave out

    [[tool.frontmatter-qt.overrides]]
    include = ["content/blog/**"]     # files (relative to this pyproject.toml) ...
    model = "site.schema:BlogPost"    # ... that fit another model

Without a model a file gets syntax, encoding and the generic lint rules only. An invalid
configuration (a TOML error, an unknown key, a wrong type, a model that does not import or is
not a model) raises :class:`~frontmatter_qt.errors.ConfigError` naming the file, line and column.

:func:`config_for` is what the command and the language server call.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from frontmatter_qt.errors import ConfigError, FrontMatterError

__all__ = ["PYPROJECT", "Override", "Settings", "config_for", "find_config", "load_config"]

PYPROJECT = "pyproject.toml"
TABLE = "frontmatter-qt"
DEFAULT_INCLUDE = ("*.md",)
_KEYS = ("model", "select", "ignore", "include", "exclude", "overrides")
_OVERRIDE_KEYS = ("include", "model")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Override:
    """Files matching ``include`` (relative to the configuration's directory) use ``model``."""

    include: tuple[str, ...]
    model: str | None


@dataclass(frozen=True)
class Settings:
    """The settings that apply below one configuration file (all defaults without one)."""

    model: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    source: Path | None = None

    @property
    def root(self) -> Path | None:
        """The directory the patterns are relative to (the configuration file's)."""
        return None if self.source is None else self.source.parent

    @cached_property
    def _name_matches(self) -> Callable[[str], object] | None:
        """When ``takes`` needs a file's name only (no pattern with a ``/``, no exclude), one
        expression for every ``include`` pattern (``fnmatchcase`` of any of them): discovery
        asks per file, so the path is not made relative to the configuration, nor each
        pattern tried in turn. None when the path is needed."""
        if self.exclude or any("/" in pattern for pattern in self.include):
            return None
        if not self.include:
            return lambda name: None  # no pattern: nothing is taken
        return re.compile("|".join(map(fnmatch.translate, self.include))).match

    def model_for(self, path: str | Path) -> str | None:
        """The model (plug-in spec) of ``path``: the last matching override's, else ``model``."""
        found = self.model
        for override in self.overrides:
            if _matches(self._relative(path), override.include):
                found = override.model
        return found

    def models(self) -> set[str]:
        """Every model (plug-in spec) these settings name, for any file."""
        named = {self.model, *(override.model for override in self.overrides)}
        return {spec for spec in named if spec is not None}

    def takes(self, path: str | Path) -> bool:
        """Whether a file found in a directory is taken: it matches ``include`` and no
        ``exclude`` pattern."""
        matches = self._name_matches
        if matches is not None:  # the usual settings (`*.md`): the name alone says it
            return matches(os.path.basename(path)) is not None
        relative = self._relative(path)
        return _matches(relative, self.include) and not _excluded(relative, self.exclude)

    def _relative(self, path: str | Path) -> PurePosixPath:
        full = Path(path).absolute()
        root = self.root
        if root is not None:
            try:
                return PurePosixPath(full.relative_to(root.absolute()).as_posix())
            except ValueError:
                pass
        return PurePosixPath(full.as_posix())


def _matches(path: PurePosixPath, patterns: Sequence[str]) -> bool:
    """A pattern without ``/`` matches the file name; with ``/``, the path relative to the
    configuration (``**`` spans directories, ``*`` does not)."""
    return any(_match(path, pattern) for pattern in patterns)


def _match(path: PurePosixPath, pattern: str) -> bool:
    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.name, pattern)
    return _glob_regex(pattern.strip("/")).fullmatch(path.as_posix()) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: ``*``/``?``/``[...]`` stay within one directory, a ``**``
    segment spans any number of them."""
    segments = pattern.split("/")
    regex = ""
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            regex += ".*" if last else "(?:[^/]+/)*"
        else:
            regex += _segment_regex(segment) + ("" if last else "/")
    return re.compile(regex)


def _segment_regex(segment: str) -> str:
    out = ""
    index = 0
    while index < len(segment):
        char = segment[index]
        closing = segment.find("]", index + 2) if char == "[" else -1
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif closing > 0:
            inner = segment[index + 1 : closing]
            out += "[" + ("^" + inner[1:] if inner.startswith("!") else inner) + "]"
            index = closing
        else:
            out += re.escape(char)
        index += 1
    return out


def _excluded(path: PurePosixPath, patterns: Sequence[str]) -> bool:
    return any(
        _match(path, pattern) or any(fnmatch.fnmatchcase(part, pattern) for part in path.parts)
        for pattern in patterns
    )


# -- finding and reading ---------------------------------------------------------------------------


def find_config(start: str | Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.frontmatter-qt]`` table, from ``start``
    (a file or a directory) up to the filesystem root; ``None`` if there is none."""
    directory = Path(start).absolute()
    if not directory.is_dir():
        directory = directory.parent
    return _find_from(directory)


@lru_cache(maxsize=1024)
def _find_from(directory: Path) -> Path | None:
    candidate = directory / PYPROJECT
    if candidate.is_file() and _has_table(candidate):
        return candidate
    if directory.parent == directory:
        return None
    return _find_from(directory.parent)


def _has_table(path: Path) -> bool:
    # A cheap look before parsing: most pyproject.toml files on the way have no such table. One
    # that may have it but cannot be read, or is not UTF-8 (so not TOML), is an error: skipping
    # it would run with another configuration (a parent's, or none) without a word.
    raw = _bytes_of(path)
    return TABLE.encode() in raw and _table(path, _text_of(path, raw)) is not None


def _bytes_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the configuration: {exc.strerror or exc}", path=path
        ) from None


def _text_of(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"cannot read the configuration: byte 0x{raw[exc.start]:02X} is not UTF-8 "
            "(TOML files are UTF-8)",
            path=path,
            line=raw.count(b"\n", 0, exc.start) + 1,
            column=exc.start - line_start + 1,
            hint="save the file as UTF-8",
        ) from None


def _table(path: Path, text: str) -> dict[str, Any] | None:
    """``[tool.frontmatter-qt]`` of the text, None when it has none; a value there that is not
    a table is an error (checking it as one would read a string's letters as keys)."""
    tool = _read(path, text).get("tool")
    table = tool.get(TABLE) if isinstance(tool, dict) else None
    if table is None or isinstance(table, dict):
        return table
    raise _Checker(path, text)._error(
        f"{TABLE} must be a table of settings, not {type(table).__name__}",
        "tool",
        0,
        TABLE,
        f"write [tool.{TABLE}] with its settings on the lines below it",
    )


def config_for(path: str | Path, *, config: str | Path | None = None) -> Settings:
    """The settings of ``path``: from ``config`` when given, else from the nearest
    ``pyproject.toml`` with a ``[tool.frontmatter-qt]`` table, else the defaults."""
    source = Path(config) if config is not None else find_config(path)
    return Settings() if source is None else load_config(source)


def check_codes(settings: Settings, known: Iterable[str]) -> None:
    """Refuse (``ConfigError``, at the key) a ``select`` or ``ignore`` prefix of ``settings``
    that matches none of the ``known`` codes: checked once the models are loaded, since a
    plug-in brings its own codes."""
    from frontmatter_qt.lint import code_families, unmatched

    codes = frozenset(known)
    for key in ("select", "ignore"):
        bad = unmatched(getattr(settings, key), codes)
        if bad and settings.source is not None:
            text = _text_of(settings.source, _bytes_of(settings.source))
            checker = _Checker(settings.source, text)
            raise checker._error(
                f"{key}: {bad[0]!r} is the prefix of no code",
                f"tool.{TABLE}",
                0,
                key,
                code_families(codes),
            )


def load_config(path: str | Path) -> Settings:
    """Read and check ``[tool.frontmatter-qt]`` of ``path`` (missing table: the defaults)."""
    return _load(Path(path).absolute())


@lru_cache(maxsize=64)
def _load(path: Path) -> Settings:
    text = _text_of(path, _bytes_of(path))
    table = _table(path, text)
    if table is None:
        return Settings(source=path)
    return _Checker(path, text).settings(table)


def _read(path: Path, text: str) -> dict[str, Any]:
    # Imported here: most runs find no pyproject.toml with our table, or none at all.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        message = _TOML_POSITION.sub("", str(exc)).strip()
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line, column=column) from None
    return data


class _Checker:
    """Checks the table and finds the line of each key it complains about (tomllib keeps no
    positions): the key's line inside the right ``[tool.frontmatter-qt]`` table."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.lines = text.splitlines()

    def settings(self, table: Any) -> Settings:
        header = f"tool.{TABLE}"
        self._expect_keys(table, _KEYS, header, 0)
        overrides = table.get("overrides", [])
        if not isinstance(overrides, list) or not all(isinstance(o, dict) for o in overrides):
            raise self._error("overrides must be an array of tables", header, 0, "overrides")
        settings = Settings(
            model=self._model(table, header, 0),
            select=self._strings(table, "select", header, 0),
            ignore=self._strings(table, "ignore", header, 0),
            include=self._strings(table, "include", header, 0) or DEFAULT_INCLUDE,
            exclude=self._strings(table, "exclude", header, 0),
            overrides=tuple(self._override(o, n) for n, o in enumerate(overrides)),
            source=self.path,
        )
        return settings

    def _override(self, table: dict[str, Any], index: int) -> Override:
        header = f"tool.{TABLE}.overrides"
        self._expect_keys(table, _OVERRIDE_KEYS, header, index)
        include = self._strings(table, "include", header, index)
        if not include:
            raise self._error("an override needs include = [...] patterns", header, index, None)
        return Override(include, self._model(table, header, index))

    def _expect_keys(
        self, table: dict[str, Any], known: Sequence[str], header: str, index: int
    ) -> None:
        for key in table:
            if key not in known:
                expected = ", ".join(known)
                import difflib  # only for a configuration with a mistake

                meant = difflib.get_close_matches(key, known, n=1)
                raise self._error(
                    f"unknown key {key!r} (expected: {expected})",
                    header,
                    index,
                    key,
                    f"did you mean {meant[0]!r}?" if meant else None,
                )

    def _strings(self, table: dict[str, Any], key: str, header: str, index: int) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._error(f"{key} must be a list of strings", header, index, key)
        return tuple(value)

    def _model(self, table: dict[str, Any], header: str, index: int) -> str | None:
        value = table.get("model")
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise self._error("model must be a string", header, index, "model")
        try:
            _check_model(value, self.path.parent)
        except ValueError as exc:
            raise self._error(str(exc), header, index, "model") from None
        return value

    def _error(
        self, message: str, header: str, index: int, key: str | None, hint: str | None = None
    ) -> ConfigError:
        line, column = self._position(header, index, key)
        return ConfigError(
            f"[{header}] {message}", path=self.path, line=line, column=column, hint=hint
        )

    def _position(self, header: str, index: int, key: str | None) -> tuple[int | None, int | None]:
        if key is not None:
            found = self._key_position(header, index, key)
            if found is not None:
                return found
        start = self._table_line(header, index)
        return (None, None) if start is None else (start + 1, 1)

    def _key_position(self, header: str, index: int, key: str) -> tuple[int, int] | None:
        """Line and column of ``key`` in the ``index``-th ``[header]`` table as the TOML engine
        places it, for every spelling TOML allows (a header, dotted keys, a sub-table, an
        inline table): the error path only, so the second parse costs nothing otherwise."""
        from frontmatter_qt.engine.limits import Limits
        from frontmatter_qt.engine.located import Located
        from frontmatter_qt.formats.toml import TOML

        path: tuple[str | int, ...] = tuple(header.split("."))
        if path[-1] == "overrides":
            path = (*path, index)
        try:
            span = TOML.parse(self.text, Limits()).key_span((*path, key))
        except (Located, FrontMatterError):  # tomllib read it: a limit, say
            return None
        if span is None:
            return None
        start = span[0]
        return self.text.count("\n", 0, start) + 1, start - self.text.rfind("\n", 0, start)

    def _table_line(self, header: str, index: int) -> int | None:
        """0-based line of the ``index``-th ``[header]`` or ``[[header]]`` line."""
        wanted = header.replace(" ", "")
        seen = 0
        for number, text in enumerate(self.lines):
            stripped = text.split("#", 1)[0].strip().replace(" ", "").replace('"', "")
            if stripped in (f"[{wanted}]", f"[[{wanted}]]"):
                if seen == index:
                    return number
                seen += 1
        return None


def _check_model(spec: str, directory: Path) -> None:
    """Raise ``ValueError`` unless ``spec`` loads as a plug-in (imports it, and so pydantic).

    The configuration's directory is importable, as a project's root is for pytest: a site
    keeps its model beside its pyproject.toml (``model = "schema:Page"`` for ``schema.py``).
    """
    from frontmatter_qt import plugins

    importable(directory)
    plugins.load(spec)


def importable(directory: Path) -> None:
    """Put ``directory`` on ``sys.path`` (at the end, so it shadows nothing installed)."""
    entry = str(directory.absolute())
    if entry not in sys.path:
        sys.path.append(entry)
