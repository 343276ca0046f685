"""The language server's one door into frontmatter_qt: text in, LSP answers out.

Given a document's text and path, :class:`Analysis` gives what an editor asks for: diagnostics,
code actions (the minimal text edit of each repair), hover text and completion items from the
model's JSON Schema. Everything comes from the package's public API:

* what applies to a file: :func:`setup_for` reads ``[tool.frontmatter-qt]`` with
  :func:`frontmatter_qt.config.config_for` (the nearest ``pyproject.toml``, its overrides
  applied); the server's ``--model`` wins over the configuration's model, as on the command line;
* diagnostics: :func:`frontmatter_qt.checks.check_file`, the function ``frontmatter-qt check``
  runs per file, so the editor and the terminal report the same codes, messages (with their
  ``help:`` line) and order; each :class:`~frontmatter_qt.diagnostics.Diagnostic`'s start and
  end become the LSP range (for a finding inside a string value, the characters it is about);
* repairs: the fix a finding's ``hint`` names (``frontmatter-qt fix --encoding`` ...), applied to
  its key path with the plug-in's fix settings, then diffed into whole-line edits;
* positions of keys and values: ``Document.span`` / ``Document.key_span``;
* hover and completion: :func:`frontmatter_qt.models.json_schema` of the configured model.

Only the front matter is analysed and repaired; the body is never touched.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.checks import check_file
from frontmatter_qt.config import Settings, check_codes, config_for
from frontmatter_qt.diagnostics import Diagnostic, Span, of_error
from frontmatter_qt.errors import ConfigError, FrontMatterError
from frontmatter_qt.fixes import FixSettings
from frontmatter_qt.keypath import KeyPath
from frontmatter_qt.lint import FIX_DATES, FIX_ENCODING, FIX_NEWLINES, known_codes
from frontmatter_qt.lsp.positions import UTF16, Text, minimal_edits
from frontmatter_qt.lsp.schema import Schema, field_at

if TYPE_CHECKING:
    from pydantic import BaseModel

    from frontmatter_qt.plugins import Plugin

__all__ = ["REPAIRS", "SOURCE", "Analysis", "Repair", "Setup", "setup_for"]

#: ``Diagnostic.source``: editors show it next to the code.
SOURCE = "frontmatter-qt"

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

# What may stand on a line before the cursor for a key to be completed there: indentation and
# the start of a key (not a value, a comment, a quoted key, a TOML header or flow collection).
_TYPED_KEY = re.compile(r"([ \t]*)([^\s:=#\"'\[\]{}]*)")
# JSON: a key is typed starting with its opening quote (or not yet).
_TYPED_JSON_KEY = re.compile(r'([ \t]*)"?([^\s:"\\\[\]{},]*)')
# Keys written without quotes; any other is written as a JSON string, which YAML (double
# quotes) and TOML (basic strings) both read.
_PLAIN_KEY = {
    "yaml": re.compile(r"[A-Za-z_][\w.-]*"),  # and it reads back as text: see _written_plain
    "toml": re.compile(r"[A-Za-z0-9_-]+"),
    "json": re.compile(r"(?!)"),  # every JSON key is a string in quotes
}


def _written_plain(name: str, fmt: str) -> bool:
    """Whether a completed key is written without quotes: a plain word that reads back as this
    text (in YAML, not a word read as a boolean, null or number: ``true: `` is the key True)."""
    if not _PLAIN_KEY[fmt].fullmatch(name):
        return False
    if fmt != "yaml":
        return True
    from frontmatter_qt.formats.yaml.values import is_plain_string

    return is_plain_string(name)


_KEY_SYNTAX = {"yaml": "{key}: ", "toml": "{key} = ", "json": "{key}: "}
_TOML_HEADER = re.compile(r"[ \t]*\[")


# -- what applies to a document -------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What applies to one document: the plug-in (model, rules, fix settings; None: syntax,
    encoding and the generic rules only), the codes to report, and a configuration problem to
    show on the document (a ``pyproject.toml`` or model that cannot be used)."""

    plugin: Plugin | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    problem: Diagnostic | None = None

    @property
    def model(self) -> type[BaseModel] | None:
        return None if self.plugin is None else self.plugin.model

    @property
    def fixes(self) -> FixSettings:
        return FixSettings() if self.plugin is None else self.plugin.fixes


def setup_for(path: str | None, *, model: str | None = None, config: str | None = None) -> Setup:
    """The settings of the document at ``path`` (an untitled one: those of the working
    directory): ``[tool.frontmatter-qt]`` of ``config``, else of the nearest ``pyproject.toml``
    with that table, overrides applied; ``model`` (the server's ``--model``) wins over it.

    A configuration that cannot be used does not stop the editor: it is left out (the defaults,
    and ``model`` if given, apply), and the reason is the document's first diagnostic (``E050``
    at 1:1, naming the configuration's file, line and column).
    """
    from frontmatter_qt import plugins

    where = Path(path) if path is not None else Path.cwd() / "_"
    problem, hint = None, None
    try:
        settings = config_for(where, config=config)
    except ConfigError as exc:
        settings = Settings()
        problem, hint = f"configuration ignored: {of_error(exc)[0]}", exc.hint
    spec = model or settings.model_for(where)
    try:
        plugin = None if spec is None else plugins.load(spec)
    except ValueError as exc:  # the server's own --model (checked when it started)
        plugin, problem, hint = None, f"--model: {exc}", None
    select, ignore = settings.select, settings.ignore
    if problem is None:
        try:
            check_codes(settings, known_codes(_named_plugins(settings, model)))
        except ConfigError as exc:  # misspelled, it would hide every diagnostic: all shown
            select, ignore = (), ()
            problem, hint = f"select and ignore ignored: {of_error(exc)[0]}", exc.hint
    shown = None
    if problem is not None:
        shown = Diagnostic(
            path, 1, 1, ConfigError.code, problem, type=ConfigError.__name__, hint=hint
        )
    return Setup(plugin, select, ignore, shown)


def _named_plugins(settings: Settings, model: str | None) -> list[Plugin]:
    """The plug-ins of every model the settings (or the server's ``--model``) name, whose codes
    ``select`` and ``ignore`` may name; one that does not load brings none."""
    from frontmatter_qt import plugins

    found = []
    for spec in sorted(settings.models() | ({model} if model else set())):
        with contextlib.suppress(ValueError):
            found.append(plugins.load(spec))
    return found


# -- repairs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repair:
    """A code action's title and the document edit behind it (at one value's key path)."""

    title: str
    apply: Callable[[fq.Document, KeyPath, FixSettings], object]


def _repair_mojibake(doc: fq.Document, keys: KeyPath, fixes: FixSettings) -> None:
    value = keypath.get(doc.data, keys)
    if isinstance(value, str):
        keypath.assign(doc.data, keys, fq.repair_mojibake(value))


#: The repair behind each fix a lint rule's ``hint`` names, so a plug-in's own rule with one of
#: these hints gets its quick fix too. Dates are normalised as ``frontmatter-qt fix --dates``
#: does, with the plug-in's ``date_format_field`` checked first.
REPAIRS: dict[str, Repair] = {
    FIX_ENCODING: Repair("Fix mojibake", _repair_mojibake),
    FIX_NEWLINES: Repair(
        "Turn literal \\n into line breaks",
        lambda doc, keys, fixes: fq.fix_escaped_newlines(doc, [keys]),
    ),
    FIX_DATES: Repair(
        "Normalise date",
        lambda doc, keys, fixes: fq.normalize_dates(
            doc, [keys], format_field=fixes.date_format_field
        ),
    ),
}
FIX_ALL_TITLE = "Fix all in file"


def _repairable(problem: Diagnostic) -> bool:
    return bool(problem.keys) and problem.hint in REPAIRS


# -- the analysis ---------------------------------------------------------------------------------


class Analysis:
    """Everything the editor asks about one version of one document.

    ``encoding`` is the negotiated LSP position encoding (``utf-16`` unless the client offered
    ``utf-8`` or ``utf-32``); every position in and out is in its code units.
    """

    def __init__(
        self,
        text: str,
        path: str | None = None,
        *,
        setup: Setup | None = None,
        encoding: str = UTF16,
    ) -> None:
        self.text = Text(text, encoding)
        self.path = path
        self.setup = setup if setup is not None else Setup()

    # Each answer computes only what it needs (a completion request right after a keystroke
    # parses, but does not lint), once per analysis.

    @functools.cached_property
    def _checked(self) -> tuple[fq.Document | None, list[Diagnostic]]:
        setup = self.setup
        doc, found = check_file(
            self.path, setup.plugin, text=self.text.text, select=setup.select, ignore=setup.ignore
        )
        return doc, found if setup.problem is None else [setup.problem, *found]

    @functools.cached_property
    def doc(self) -> fq.Document | None:
        """The parsed document, or None when the engine refuses the text."""
        if "_checked" in self.__dict__:  # already parsed for the diagnostics
            return self._checked[0]
        try:
            return fq.loads(self.text.text, path=self.path)
        except Exception:  # whatever the engine refuses is a diagnostic, never a crash
            return None

    @property
    def problems(self) -> list[Diagnostic]:
        """What ``frontmatter-qt check`` reports for this text, in its order."""
        return self._checked[1]

    @functools.cached_property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [self._diagnostic(problem) for problem in self.problems]

    def _diagnostic(self, problem: Diagnostic) -> types.Diagnostic:
        return types.Diagnostic(
            range=self._range(problem),
            message=problem.explained,  # the command's help line too
            severity=SEVERITY.get(problem.severity, types.DiagnosticSeverity.Error),
            code=problem.code,
            source=SOURCE,
        )

    def _range(self, problem: Diagnostic) -> types.Range:
        """The problem's start to its end; without an end (an error the engine raised), to the
        end of the start's line."""
        start = self.text.engine_offset(problem.line, problem.column)
        if problem.end_line is not None and problem.end_column is not None:
            end = self.text.engine_offset(problem.end_line, problem.end_column)
        else:
            end = self.text.line_end(self.text.position(start).line)
        return self.text.range(start, max(start, end))

    # -- code actions ---------------------------------------------------------------------------

    def code_actions(
        self, uri: str, within: types.Range, only: Sequence[str] | None = None
    ) -> list[types.CodeAction]:
        """A quick fix per repairable diagnostic touching ``within`` (its range, the characters
        it is about, or the value its repair rewrites), and "Fix all in file" (``source.fixAll``
        when the client asks for that kind, e.g. on save)."""
        fixable = [
            (problem, diagnostic)
            for problem, diagnostic in zip(self.problems, self.diagnostics, strict=True)
            if _repairable(problem)
        ]
        actions: list[types.CodeAction] = []
        here = [
            (p, d)
            for p, d in fixable
            if _overlaps(d.range, within) or _overlaps(self._value_range(p, d.range), within)
        ]
        if _wanted(types.CodeActionKind.QuickFix, only):
            for problem, diagnostic in here:
                edits = self._repaired([problem])
                if edits:
                    title = REPAIRS[str(problem.hint)].title
                    kind = types.CodeActionKind.QuickFix
                    actions.append(_action(title, kind, uri, edits, diagnostic))
        fix_all_kind = (
            types.CodeActionKind.SourceFixAll
            if only and _wanted(types.CodeActionKind.SourceFixAll, only)
            else types.CodeActionKind.QuickFix
        )
        asked = here or fix_all_kind == types.CodeActionKind.SourceFixAll
        if fixable and asked and _wanted(fix_all_kind, only):
            edits = self._repaired([problem for problem, _ in fixable])
            if edits:
                actions.append(_action(FIX_ALL_TITLE, fix_all_kind, uri, edits))
        return actions

    def _value_range(self, problem: Diagnostic, otherwise: types.Range) -> types.Range:
        """The whole value ``problem`` is about, as the document was loaded (``otherwise`` when
        there is none)."""
        span = None if self.doc is None else self.doc.span(problem.keys)
        if span is None:
            return otherwise
        start = self.text.engine_offset(span.line, span.column)
        return self.text.range(start, self.text.engine_offset(span.end_line, span.end_column))

    def _repaired(self, problems: list[Diagnostic]) -> list[types.TextEdit]:
        """The minimal edits of applying the repairs of ``problems`` to a fresh document (a
        repair the engine refuses, such as an ambiguous date, is left out)."""
        try:
            doc = fq.loads(self.text.text, path=self.path)
            for problem in problems:
                try:
                    REPAIRS[str(problem.hint)].apply(doc, problem.keys, self.setup.fixes)
                except FrontMatterError:
                    continue
            return minimal_edits(self.text, doc.dumps())
        except FrontMatterError:
            return []

    # -- hover ----------------------------------------------------------------------------------

    def hover(self, position: types.Position) -> types.Hover | None:
        """The description and type of the model field whose key is at ``position``."""
        model = self.setup.model
        if self.doc is None or model is None:
            return None
        schema = _schema(model)
        if schema is None:
            return None
        where = _Where(self.doc, self.text)
        keys = where.key_at(self.text.offset(position))
        span = None if keys is None else where.key(keys)
        found = None if keys is None else field_at(schema, keys)
        if keys is None or span is None or found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value=found.markdown(keypath.format(keys))
            ),
            range=self.text.range(*span),
        )

    # -- completion -----------------------------------------------------------------------------

    def completions(self, position: types.Position) -> list[types.CompletionItem]:
        """Keys the model defines and the mapping at the cursor lacks, each written as the
        file's format writes a key (``key: `` in YAML, ``key = `` in TOML) at the indentation
        that mapping already uses (a new YAML mapping: the file's indentation step under it)."""
        model = self.setup.model
        if model is None:
            return []
        text = self.text.text
        offset = self.text.offset(position)
        line_start = self.text.line_start(position.line)
        typed = _TYPED_KEY.fullmatch(text, line_start, offset) or _TYPED_JSON_KEY.fullmatch(
            text, line_start, offset
        )
        if typed is None or text[offset : self.text.line_end(position.line)].strip():
            return []
        # A half-typed key is not valid front matter yet: read the file without it.
        blank = _without_dangling_comma(text[:line_start] + text[offset:], line_start)
        try:
            doc = fq.loads(blank, path=self.path)
        except FrontMatterError:
            return []
        syntax = _KEY_SYNTAX.get(doc.format)
        if doc.format == "json":
            typed = _TYPED_JSON_KEY.fullmatch(text, line_start, offset)
        elif typed.re is _TYPED_JSON_KEY:
            return []  # a quote typed where keys are not quoted
        if typed is None:
            return []
        where = _Where(doc, Text(blank))
        region = where.value(())
        if syntax is None or region is None or not region[0] <= line_start < region[1]:
            return []
        context = where.context(line_start, typed.group(1))
        if context is None:
            return []
        schema = _schema(model)
        node = None if schema is None else field_at(schema, context.keys)
        present = _mapping_at(doc.data, context.keys)
        if node is None or present is None:
            return []
        items = []
        for index, (name, found) in enumerate(node.children(present)):
            if name in present:
                continue
            key = name if _written_plain(name, doc.format) else json.dumps(name, ensure_ascii=False)
            insert = syntax.format(key=key)
            if found.is_mapping and context.nested is not None:
                insert = insert.rstrip() + doc.newline + context.nested
            items.append(
                types.CompletionItem(
                    label=name,
                    kind=types.CompletionItemKind.Property,
                    detail=found.type_text,
                    documentation=types.MarkupContent(
                        kind=types.MarkupKind.Markdown, value=found.description
                    ),
                    sort_text=f"{0 if found.required else 1}{index:04d}",
                    filter_text=typed.group(1) + name,
                    text_edit=types.TextEdit(
                        self.text.range(line_start, offset), context.indent + insert
                    ),
                )
            )
        return items


def _without_dangling_comma(text: str, at: int) -> str:
    """JSON being typed after the last entry of an object (``"a": 1,`` then a new line): the
    comma before ``at`` has no entry after it yet, so the text is read with a blank in its
    place (a blank keeps every offset)."""
    before = text[:at].rstrip()
    after = text[at:].lstrip()
    if before.endswith(",") and after.startswith("}"):
        comma = len(before) - 1
        return text[:comma] + " " + text[comma + 1 :]
    return text


@functools.lru_cache(maxsize=16)
def _schema(model: type[BaseModel]) -> Schema | None:
    """The model's JSON Schema, or None when pydantic cannot make one (an arbitrary type):
    such a model still validates, it only has nothing to say in hover and completion
    (``frontmatter-qt schema`` says why)."""
    from frontmatter_qt import models

    try:
        return models.json_schema(model)
    except ConfigError:
        return None


def _mapping_at(data: dict[Any, Any], keys: KeyPath) -> dict[Any, Any] | None:
    """The mapping at ``keys`` (``{}`` for a key whose value is still empty), or None."""
    value = keypath.get(data, keys) if keypath.has(data, keys) else None
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


# -- where keys and values stand ------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """Where a new key typed on a line goes: the mapping's key path, the indentation to write
    before the key, and (YAML) the indentation of the first key of a new mapping under it."""

    keys: KeyPath
    indent: str
    nested: str | None = None


@dataclass
class _Where:
    """Offsets into ``text`` (the text ``doc`` was loaded from) of the document's keys and
    values, from its public spans."""

    doc: fq.Document
    text: Text

    def _offsets(self, span: Span | None) -> tuple[int, int] | None:
        if span is None:
            return None
        start = self.text.engine_offset(span.line, span.column)
        return start, self.text.engine_offset(span.end_line, span.end_column)

    def key(self, keys: KeyPath) -> tuple[int, int] | None:
        return self._offsets(self.doc.key_span(keys))

    def value(self, keys: KeyPath) -> tuple[int, int] | None:
        """The value at ``keys``; ``()``: the whole front-matter text."""
        return self._offsets(self.doc.span(keys))

    def _line_start(self, offset: int) -> int:
        return self.text.line_start(self.text.position(offset).line)

    def column(self, keys: KeyPath) -> int | None:
        """How far into its line the key that ends ``keys`` starts (characters)."""
        span = self.key(keys)
        return None if span is None else span[0] - self._line_start(span[0])

    def line(self, keys: KeyPath) -> int | None:
        span = self.key(keys)
        return None if span is None else self.text.position(span[0]).line

    # Binary searches: each look-up costs the path's depth, so hover and completion on a
    # large front matter cost a logarithm of its size, not its size.

    def last_key(self, prefix: KeyPath, mapping: dict[Any, Any], offset: int) -> Any:
        """The last key of the mapping at ``prefix`` that starts at or before ``offset``."""
        return _last_at_or_before(list(mapping), lambda k: _start(self.key((*prefix, k))), offset)

    def last_item(self, prefix: KeyPath, items: list[Any], offset: int) -> Any:
        """The index of the last item of the list at ``prefix`` starting at or before
        ``offset``."""
        return _last_at_or_before(
            range(len(items)), lambda i: _start(self.value((*prefix, i))), offset
        )

    def key_at(self, offset: int) -> KeyPath | None:
        """The key path of the mapping key at ``offset`` (cursor inside it or just after it)."""
        prefix: KeyPath = ()
        value: Any = self.doc.data
        while isinstance(value, (dict, list)):
            if isinstance(value, dict):
                slot = self.last_key(prefix, value, offset)
            else:
                slot = self.last_item(prefix, value, offset)
            if slot is None:
                return None
            keys = (*prefix, slot)
            key = self.key(keys) if isinstance(value, dict) else None
            if key is not None and key[0] <= offset <= key[1]:
                return keys
            inner = self.value(keys)
            if inner is None or not inner[0] <= offset <= inner[1]:
                return None
            prefix, value = keys, value[slot]
        return None

    def context(self, offset: int, typed: str) -> _Context | None:
        """Which mapping a key typed after ``typed`` (blanks) on the line starting at
        ``offset`` belongs to, or None where no key can go (inside a value, a list, a flow
        collection)."""
        if self.doc.format == "toml":
            return self._toml_context(offset, typed)
        if self.doc.format == "json":
            return self._json_context(offset, typed)
        if "\t" in typed:  # YAML indents with spaces only
            return None
        return self._yaml_context(offset, len(typed))

    # -- YAML: the mapping is the indentation's ------------------------------------------------

    def _yaml_step(self) -> int:
        """The file's indentation step: that of its first nested block mapping (else 2)."""
        for key, value in self.doc.data.items():
            if isinstance(value, dict) and value:
                outer, inner = self.column((key,)), self.column((key, next(iter(value))))
                if outer is not None and inner is not None and inner > outer:
                    return inner - outer
        return 2

    def _yaml_context(self, offset: int, indent: int) -> _Context | None:
        step = self._yaml_step()

        def at(keys: KeyPath, column: int) -> _Context:
            return _Context(keys, " " * column, " " * (column + step))

        data = self.doc.data
        top = self.column((next(iter(data)),)) if data else 0
        if top is None or indent <= top:
            return at((), top or 0)
        prefix: KeyPath = ()
        mapping: dict[Any, Any] = data
        children = top
        while True:
            key = self.last_key(prefix, mapping, offset)
            if key is None:  # above the mapping's first key
                return at(prefix, children) if prefix else None
            below = self.column((*prefix, key))
            if below is None:
                return None
            if below >= indent:  # a sibling of ``key``: the new key goes into this mapping
                return at(prefix, below) if prefix else None
            keys, value = (*prefix, key), mapping[key]
            if value is None:  # ``seo:`` with nothing under it yet
                return at(keys, below + step)
            if not isinstance(value, dict) or not value:
                return None  # inside a scalar or a list; ``{}`` is a flow mapping
            first = (*keys, next(iter(value)))
            found = self.column(first)
            if found is None or self.line(first) == self.line(keys):  # flow: no block keys
                return None
            prefix, mapping, children = keys, value, found

    # -- JSON: the mapping is the innermost object around the cursor -----------------------------

    def _json_context(self, offset: int, typed: str) -> _Context | None:
        keys: KeyPath = ()
        mapping: dict[Any, Any] = self.doc.data
        while True:
            last = self.last_key(keys, mapping, offset)
            if last is None:
                break
            value = self.value((*keys, last))
            if value is None or value[1] <= offset:
                break  # after the last entry that starts before the cursor: in this object
            inner = mapping[last]
            if not isinstance(inner, dict) or value[0] >= offset:
                return None  # inside a scalar or an array
            keys, mapping = (*keys, last), inner
        indent = typed
        if mapping:  # the object's own keys' indentation (the first key's line)
            first = self.key((*keys, next(iter(mapping))))
            if first is not None:
                before = self.text.text[self._line_start(first[0]) : first[0]]
                if not before.strip():
                    indent = before
        return _Context(keys, indent)

    # -- TOML: the mapping is the last table header's ------------------------------------------

    def _toml_context(self, offset: int, typed: str) -> _Context | None:
        line = self.text.position(offset).line
        region = self.value(())
        assert region is not None  # the caller checked that the cursor is inside it
        keys: KeyPath = ()
        header = None
        for number in range(line - 1, self.text.position(region[0]).line - 1, -1):
            if _TOML_HEADER.match(self.text.text, self.text.line_start(number)):
                found = self._table_of_header(region[0], number)
                if found is not None:
                    keys, header = found, number
                    break
        mapping = _mapping_at(self.doc.data, keys)
        if mapping is None:
            return None
        indent = typed
        last = self.last_key(keys, mapping, offset)
        if last is not None:
            value = self.value((*keys, last))
            if value is not None and value[1] > offset:
                return None  # inside a value (a multi-line string or array)
            sibling = self.key((*keys, last))
            if sibling is not None and (header is None or self.line((*keys, last)) != header):
                before = self.text.text[self._line_start(sibling[0]) : sibling[0]]
                indent = before if not before.strip() else indent  # the section's own keys'
        return _Context(keys, indent)

    def _table_of_header(self, region: int, number: int) -> KeyPath | None:
        """The key path of the table whose ``[header]`` or ``[[header]]`` is on line
        ``number`` (an element of an array of tables by its index), or None when that line is
        no header (a line of a multi-line string or array that looks like one).

        The engine reads the line alone (the header's key parts, unquoted) and the front matter
        up to the end of that line: a real header ends a valid TOML text, and the table it
        opens is the last one there (in an array of tables: its last element).
        """
        end = self.text.line_end(number)
        try:
            alone: Any = fq.loads(
                f"+++\n{self.text.text[self.text.line_start(number) : end]}\n+++\n"
            )
            before = fq.loads(f"+++\n{self.text.text[region:end]}\n+++\n")
        except FrontMatterError:
            return None
        parts: list[Any] = []
        alone = alone.data
        while isinstance(alone, dict) and len(alone) == 1:
            part, alone = next(iter(alone.items()))
            parts.append(part)
            if isinstance(alone, list) and len(alone) == 1:
                alone = alone[0]
        if alone != {} or not parts:
            return None
        keys: KeyPath = ()
        value: Any = before.data
        for part in parts:
            if not isinstance(value, dict) or part not in value:
                return None
            keys, value = (*keys, part), value[part]
            if isinstance(value, list) and value:  # an array of tables: its last element
                keys, value = (*keys, len(value) - 1), value[-1]
        return keys if isinstance(value, dict) else None


def _last_at_or_before(
    slots: Sequence[Any], start: Callable[[Any], int | None], offset: int
) -> Any | None:
    """The last of ``slots`` (in document order) whose span starts at or before ``offset``."""
    low, high = 0, len(slots)
    while low < high:
        middle = (low + high) // 2
        found = start(slots[middle])
        if found is not None and found <= offset:
            low = middle + 1
        else:
            high = middle
    return slots[low - 1] if low else None


def _start(span: tuple[int, int] | None) -> int | None:
    return None if span is None else span[0]


# -- LSP shapes -----------------------------------------------------------------------------------


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return p.line, p.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client's ``only`` filter (kind prefixes) admits ``kind``."""
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _action(
    title: str,
    kind: types.CodeActionKind,
    uri: str,
    edits: list[types.TextEdit],
    diagnostic: types.Diagnostic | None = None,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=kind,
        edit=types.WorkspaceEdit(changes={uri: edits}),
        diagnostics=None if diagnostic is None else [diagnostic],
        is_preferred=True if diagnostic is not None else None,
    )
