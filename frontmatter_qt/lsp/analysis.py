"""The language server's one door into frontmatter_qt: text in, LSP answers out.

Given a document's text and path, :class:`Analysis` gives what an editor asks for: diagnostics
(exact range, the code and the message ``frontmatter-qt check`` prints), code actions (the
minimal text edit of each repair), hover text and completion items from the model's JSON Schema.
Nothing else in :mod:`frontmatter_qt.lsp` calls into the package, so when the generic model,
diagnostic and configuration API of issue 11 lands, only this module changes:

* the model: :func:`configured_model` is where ``[tool.frontmatter-qt]`` (``config.py``) plugs
  in; :class:`Analysis` takes the model class (``None``: syntax, encoding and generic findings
  only; the QuickTakes ``Article`` when configured; any pydantic model is validated the same way);
* validation: :meth:`Analysis._validate` (today ``model_validate`` + ``article_problems``, the
  same path ``doc.article`` takes; then ``doc.model(Model)`` and its problems' ``keys``);
* codes and messages: the command's (``cli.problems_of``, ``cli.error_code``), so the editor and
  the terminal say the same thing.

Only the front matter is analysed and repaired; the body is never touched.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pydantic import BaseModel, ValidationError

import frontmatter_qt as fq
from frontmatter_qt import cli
from frontmatter_qt.errors import ArticleValidationError, FrontMatterError
from frontmatter_qt.fixes._walk import lookup
from frontmatter_qt.lsp.positions import UTF16, Text, minimal_edits
from frontmatter_qt.models import _field_path, article_problems

__all__ = [
    "BUILTIN_MODELS",
    "GENERIC_CODES",
    "REPAIRS",
    "SOURCE",
    "Analysis",
    "Repair",
    "configured_model",
]

KeyPath = tuple[Any, ...]
Schema = dict[str, Any]

#: ``Diagnostic.source``: editors show it next to the code.
SOURCE = "frontmatter-qt"

#: Models known by name (``frontmatter-qt lsp --model quicktakes``).
BUILTIN_MODELS: dict[str, type[BaseModel]] = {"quicktakes": fq.Article}

#: Lint codes that hold for any front matter; without a model only these are reported (the
#: others are QuickTakes rules and would flood a Hugo or Jekyll site).
GENERIC_CODES = frozenset({"QT008", "QT009"})

_PLAIN_KEY = re.compile(r"[A-Za-z_][\w.-]*")
_TYPED_KEY = re.compile(r"( *)([^\s:#\"']*)")
_KEY_SYNTAX = {"yaml": "{key}: "}


def configured_model(path: str | None, name: str | None) -> type[BaseModel] | None:
    """The model a document is checked against: today the ``--model`` name only.

    ``[tool.frontmatter-qt]`` (the nearest ``pyproject.toml`` above ``path``, with its per-glob
    overrides) plugs in here once ``config.py`` exists; ``name`` then overrides it.
    """
    del path  # used by the configuration lookup
    return None if name is None else BUILTIN_MODELS[name]


@dataclass(frozen=True)
class Repair:
    """A code action's title and the document edit behind it (at one value's key path)."""

    title: str
    apply: Callable[[fq.Document, KeyPath], object]


def _repair_mojibake(doc: fq.Document, keys: KeyPath) -> None:
    for container, slot in lookup(doc.data, keys):
        if isinstance(container[slot], str):
            container[slot] = fq.repair_mojibake(container[slot])


#: The repairs offered for each fixable finding, by code.
REPAIRS: dict[str, Repair] = {
    "QT008": Repair("Fix mojibake", _repair_mojibake),
    "QT009": Repair(
        "Turn literal \\n into line breaks", lambda doc, keys: fq.fix_escaped_newlines(doc, [keys])
    ),
    "QT012": Repair("Normalise date", lambda doc, keys: fq.normalize_dates(doc, [keys])),
}
FIX_ALL_TITLE = "Fix all in file"


@dataclass(frozen=True)
class _Found:
    """One problem as the command prints it, and the key path of the value it is about."""

    problem: cli.Problem
    keys: KeyPath | None


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
        model: type[BaseModel] | None = None,
        encoding: str = UTF16,
    ) -> None:
        self.text = Text(text, encoding)
        self.path = path
        self.model = model

    # Each answer computes only what it needs (a completion request right after a keystroke
    # parses, but does not lint), once per analysis.

    @functools.cached_property
    def _loaded(self) -> fq.Document | Exception:
        try:
            return fq.loads(self.text.text, path=self.path)
        except Exception as exc:  # whatever the engine refuses is a diagnostic, never a crash
            return exc

    @property
    def doc(self) -> fq.Document | None:
        """The parsed document, or None when the engine refuses the text."""
        loaded = self._loaded
        return loaded if isinstance(loaded, fq.Document) else None

    @functools.cached_property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [self._diagnostic(found) for found in self._found]

    # -- diagnostics ----------------------------------------------------------------------------

    @functools.cached_property
    def _found(self) -> list[_Found]:
        where = Path(self.path or "<untitled>")
        loaded = self._loaded
        try:
            if not isinstance(loaded, fq.Document):
                raise loaded
            found = self._validate(loaded, where) + self._lint(loaded, where)
        except Exception as exc:
            found = [_Found(problem, None) for problem in cli.problems_of(where, exc)]
        # cli's own order, so the editor lists problems as the command prints them
        return sorted(found, key=lambda f: cli._order(f.problem))

    def _validate(self, doc: fq.Document, where: Path) -> list[_Found]:
        if self.model is None:
            return []
        if not doc.data:
            empty = cli.Problem(str(where), None, None, "V002", "", "no front matter")
            return [_Found(empty, None)]
        try:
            self.model.model_validate(doc.data)
        except ValidationError as exc:
            errors = exc.errors()
            error = ArticleValidationError(article_problems(doc, errors), path=where)
            lines = cli.problems_of(where, error)
            return [
                _Found(line, _located(doc, error["loc"]))
                for line, error in zip(lines, errors, strict=True)
            ]
        return []

    def _lint(self, doc: fq.Document, where: Path) -> list[_Found]:
        every = self.model is not None and issubclass(self.model, fq.Article)
        return [
            _Found(
                cli.Problem(str(where), f.line, f.column, f.code, f.field, f.message, f.fixable),
                f.path,
            )
            for f in fq.lint(doc)
            if every or f.code in GENERIC_CODES
        ]

    def _diagnostic(self, found: _Found) -> types.Diagnostic:
        problem = found.problem
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        severity = (
            types.DiagnosticSeverity.Warning
            if problem.code.startswith("QT")
            else types.DiagnosticSeverity.Error
        )
        return types.Diagnostic(
            range=self._range(found),
            message=message,
            severity=severity,
            code=problem.code,
            source=SOURCE,
        )

    def _range(self, found: _Found) -> types.Range:
        """From the command's line:column to the end of the value that starts there (trailing
        blanks and line breaks excluded), else to the end of that line."""
        start = self.text.engine_offset(found.problem.line, found.problem.column)
        span = None
        if self.doc is not None and found.keys is not None:
            span = _value_span(self.doc, found.keys)
        if span is not None and span[0] == start:
            end = span[1]
            while end > start and self.text.text[end - 1] in " \t\r\n":
                end -= 1
        else:
            end = self.text.line_end(self.text.position(start).line)
        return self.text.range(start, max(start, end))

    # -- code actions ---------------------------------------------------------------------------

    def code_actions(
        self, uri: str, within: types.Range, only: Sequence[str] | None = None
    ) -> list[types.CodeAction]:
        """A quick fix per fixable diagnostic touching ``within``, and "Fix all in file"
        (``source.fixAll`` when the client asks for that kind, e.g. on save)."""
        fixable = [
            (found, diagnostic)
            for found, diagnostic in zip(self._found, self.diagnostics, strict=True)
            if found.keys is not None and found.problem.code in REPAIRS
        ]
        actions: list[types.CodeAction] = []
        here = [(f, d) for f, d in fixable if _overlaps(d.range, within)]
        if _wanted(types.CodeActionKind.QuickFix, only):
            for found, diagnostic in here:
                edits = self._repaired([found])
                if edits:
                    title = REPAIRS[found.problem.code].title
                    kind = types.CodeActionKind.QuickFix
                    actions.append(_action(title, kind, uri, edits, diagnostic))
        fix_all_kind = (
            types.CodeActionKind.SourceFixAll
            if only and _wanted(types.CodeActionKind.SourceFixAll, only)
            else types.CodeActionKind.QuickFix
        )
        asked = here or fix_all_kind == types.CodeActionKind.SourceFixAll
        if fixable and asked and _wanted(fix_all_kind, only):
            edits = self._repaired([found for found, _ in fixable])
            if edits:
                actions.append(_action(FIX_ALL_TITLE, fix_all_kind, uri, edits))
        return actions

    def _repaired(self, found: list[_Found]) -> list[types.TextEdit]:
        """The minimal edits of applying the repairs of ``found`` to a fresh document (a repair
        the engine refuses, such as an ambiguous date, is left out)."""
        try:
            doc = fq.loads(self.text.text, path=self.path)
            for item in found:
                assert item.keys is not None
                try:
                    REPAIRS[item.problem.code].apply(doc, item.keys)
                except FrontMatterError:
                    continue
            return minimal_edits(self.text, doc.dumps())
        except FrontMatterError:
            return []

    # -- hover ----------------------------------------------------------------------------------

    def hover(self, position: types.Position) -> types.Hover | None:
        """The description and type of the model field whose key is at ``position``."""
        if self.doc is None or self.model is None:
            return None
        keys = _key_at(self.doc, self.text.offset(position))
        span = None if keys is None else _key_span(self.doc, keys)
        field = None if keys is None else _field(_schema(self.model), keys)
        if keys is None or span is None or field is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value=field.markdown(_field_path(keys))
            ),
            range=self.text.range(*span),
        )

    # -- completion -----------------------------------------------------------------------------

    def completions(self, position: types.Position) -> list[types.CompletionItem]:
        """Keys the model defines and the mapping at the cursor lacks, each inserted at the
        indentation that mapping already uses (or the file's indentation step under its key)."""
        if self.model is None:
            return []
        text = self.text.text
        offset = self.text.offset(position)
        line_start = self.text.line_start(position.line)
        typed = _TYPED_KEY.fullmatch(text, line_start, offset)
        if typed is None or text[offset : self.text.line_end(position.line)].strip():
            return []
        # A half-typed key is not valid front matter yet: read the file without it.
        blank = text[:line_start] + text[offset:]
        try:
            doc = fq.loads(blank, path=self.path)
        except FrontMatterError:
            return []
        syntax = _KEY_SYNTAX.get(doc.format)
        start, end = _front_matter_span(doc)
        if syntax is None or not start <= line_start < end:
            return []
        context = _context(doc, Text(blank), line_start, len(typed.group(1)))
        if context is None:
            return []
        keys, indent, step = context
        node = _field(_schema(self.model), keys) if keys else _root_field(self.model)
        present = _mapping_at(doc.data, keys)
        if node is None or present is None:
            return []
        items = []
        for index, (name, field) in enumerate(node.children()):
            if name in present:
                continue
            key = name if _PLAIN_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)
            insert = syntax.format(key=key)
            if field.is_mapping:
                insert = insert.rstrip() + doc.newline + " " * (indent + step)
            items.append(
                types.CompletionItem(
                    label=name,
                    kind=types.CompletionItemKind.Property,
                    detail=field.type_text,
                    documentation=types.MarkupContent(
                        kind=types.MarkupKind.Markdown, value=field.description
                    ),
                    sort_text=f"{0 if field.required else 1}{index:04d}",
                    filter_text=typed.group(1) + name,
                    text_edit=types.TextEdit(
                        self.text.range(line_start, offset), " " * indent + insert
                    ),
                )
            )
        return items


# -- engine positions ---------------------------------------------------------------------------
# ``Document`` exposes start positions only; spans come from the format's ``Parsed`` tree
# (formats.base), which every format implements, and from its ``Split``. These helpers are the
# only readers of those private attributes.


def _front_matter_start(doc: fq.Document) -> int:
    """Offset of the front matter in the document's text (BOM included)."""
    return len(doc._split.bom) + doc._split.front_matter_offset


def _front_matter_span(doc: fq.Document) -> tuple[int, int]:
    start = _front_matter_start(doc)
    return start, start + len(doc._split.front_matter)


def _value_span(doc: fq.Document, keys: KeyPath) -> tuple[int, int] | None:
    span = doc._parsed.value_span(keys)
    base = _front_matter_start(doc)
    return None if span is None else (base + span[0], base + span[1])


def _key_span(doc: fq.Document, keys: KeyPath) -> tuple[int, int] | None:
    span = doc._parsed.key_span(keys)
    base = _front_matter_start(doc)
    return None if span is None else (base + span[0], base + span[1])


def _located(doc: fq.Document, loc: tuple[int | str, ...]) -> KeyPath | None:
    """The longest prefix of a validation error's location that the file holds (the value the
    command's line:column points at)."""
    for end in range(len(loc), 0, -1):
        if doc.position(*loc[:end]) is not None:
            return tuple(loc[:end])
    return None


def _last_at_or_before(
    slots: Sequence[Any], start: Callable[[Any], int | None], offset: int
) -> Any | None:
    """The last of ``slots`` (in document order) whose span starts at or before ``offset``.

    A binary search: one engine look-up costs as much as the mapping has keys, so a scan of
    every key would make hover and completion quadratic on a large front matter.
    """
    low, high = 0, len(slots)
    while low < high:
        middle = (low + high) // 2
        found = start(slots[middle])
        if found is not None and found <= offset:
            low = middle + 1
        else:
            high = middle
    return slots[low - 1] if low else None


def _last_key(doc: fq.Document, prefix: KeyPath, mapping: dict[Any, Any], offset: int) -> Any:
    """The last key of the mapping at ``prefix`` that starts at or before ``offset``."""
    return _last_at_or_before(list(mapping), lambda k: _start(_key_span(doc, (*prefix, k))), offset)


def _last_item(doc: fq.Document, prefix: KeyPath, items: list[Any], offset: int) -> Any:
    """The index of the last item of the list at ``prefix`` starting at or before ``offset``."""
    return _last_at_or_before(
        range(len(items)), lambda i: _start(_value_span(doc, (*prefix, i))), offset
    )


def _key_at(doc: fq.Document, offset: int) -> KeyPath | None:
    """The key path of the mapping key at ``offset`` (cursor inside it or just after it)."""
    prefix: KeyPath = ()
    value: Any = doc.data
    while isinstance(value, (dict, list)):
        if isinstance(value, dict):
            slot = _last_key(doc, prefix, value, offset)
        else:
            slot = _last_item(doc, prefix, value, offset)
        if slot is None:
            return None
        keys = (*prefix, slot)
        key = _key_span(doc, keys) if isinstance(value, dict) else None
        if key is not None and key[0] <= offset <= key[1]:
            return keys
        inner = _value_span(doc, keys)
        if inner is None or not inner[0] <= offset <= inner[1]:
            return None
        prefix, value = keys, value[slot]
    return None


def _start(span: tuple[int, int] | None) -> int | None:
    return None if span is None else span[0]


def _mapping_at(data: dict[Any, Any], keys: KeyPath) -> dict[Any, Any] | None:
    """The mapping at ``keys`` (``{}`` for a key whose value is still empty), or None."""
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


def _context(
    doc: fq.Document, text: Text, offset: int, indent: int
) -> tuple[KeyPath, int, int] | None:
    """Which block mapping a new key typed at ``indent`` on the line starting at ``offset``
    belongs to: ``(its keys, the indentation of its keys, the file's indentation step)``, or
    None where no key can go (inside a scalar, a list or a flow collection)."""

    def column(keys: KeyPath) -> int | None:
        span = _key_span(doc, keys)
        return None if span is None else span[0] - text.line_start(text.position(span[0]).line)

    def line(keys: KeyPath) -> int | None:
        span = _key_span(doc, keys)
        return None if span is None else text.position(span[0]).line

    step = 2  # the file's step: that of its first nested block mapping
    for key, value in doc.data.items():
        if isinstance(value, dict) and value:
            outer, inner = column((key,)), column((key, next(iter(value))))
            if outer is not None and inner is not None and inner > outer:
                step = inner - outer
                break
    data = doc.data
    top = column((next(iter(data)),)) if data else 0
    if top is None or indent <= top:
        return (), top or 0, step
    prefix: KeyPath = ()
    mapping: dict[Any, Any] = data
    children = top
    while True:
        key = _last_key(doc, prefix, mapping, offset)
        if key is None:  # above the mapping's first key
            return (prefix, children, step) if prefix else None
        below = column((*prefix, key))
        if below is None:
            return None
        if below >= indent:  # a sibling of ``key``: the new key goes into this mapping
            return (prefix, below, step) if prefix else None
        keys, value = (*prefix, key), mapping[key]
        if value is None:  # ``seo:`` with nothing under it yet
            return keys, below + step, step
        if not isinstance(value, dict) or not value:
            return None  # inside a scalar or a list; ``{}`` is a flow mapping
        first = (*keys, next(iter(value)))
        found = column(first)
        if found is None or line(first) == line(keys):  # flow: block keys cannot join it
            return None
        prefix, mapping, children = keys, value, found


# -- the model's JSON Schema --------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _schema(model: type[BaseModel]) -> Schema:
    return model.model_json_schema()


@dataclass(frozen=True)
class _Field:
    """One node of the model's JSON Schema, ``$ref`` resolved against ``root``."""

    node: Schema
    root: Schema
    required: bool = False

    @property
    def resolved(self) -> Schema:
        node, seen = self.node, set()
        while "$ref" in node and node["$ref"] not in seen:
            seen.add(node["$ref"])
            target = self.root.get("$defs", {}).get(node["$ref"].rsplit("/", 1)[-1])
            if target is None:
                break
            # The field's own description outranks its type's.
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    @property
    def branches(self) -> list[_Field]:
        """``anyOf`` alternatives (an optional field), or the field itself."""
        choices = self.resolved.get("anyOf")
        if not isinstance(choices, list):
            return [self]
        return [_Field(choice, self.root, self.required) for choice in choices]

    @property
    def is_mapping(self) -> bool:
        return any("properties" in b.resolved for b in self.branches)

    @property
    def description(self) -> str:
        return str(self.resolved.get("description", ""))

    @property
    def type_text(self) -> str:
        return _type_text(self.node)

    def child(self, key: Any) -> _Field | None:
        for branch in self.branches:
            node = branch.resolved
            if isinstance(key, int):
                items = node.get("items")
                if isinstance(items, dict):
                    return _Field(items, self.root)
                continue
            properties = node.get("properties", {})
            if key in properties:
                return _Field(properties[key], self.root, key in node.get("required", []))
            for pattern, sub in node.get("patternProperties", {}).items():
                if re.search(pattern, str(key)):
                    return _Field(sub, self.root)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                return _Field(extra, self.root)
        return None

    def children(self) -> list[tuple[str, _Field]]:
        for branch in self.branches:
            node = branch.resolved
            if "properties" in node:
                required = node.get("required", [])
                return [
                    (name, _Field(sub, self.root, name in required))
                    for name, sub in node["properties"].items()
                ]
        return []

    def markdown(self, name: str) -> str:
        need = " (required)" if self.required else ""
        head = f"**{name}**: `{self.type_text}`{need}"
        return f"{head}\n\n{self.description}" if self.description else head


def _type_text(node: Schema) -> str:
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    if isinstance(node.get("anyOf"), list):
        return " | ".join(_type_text(choice) for choice in node["anyOf"])
    kind = node.get("type")
    if kind == "array":
        return f"array of {_type_text(node.get('items', {}))}"
    if isinstance(kind, list):
        return " | ".join(map(str, kind))
    if kind is None:
        return "any"
    return f"{kind} ({node['format']})" if "format" in node else str(kind)


def _root_field(model: type[BaseModel]) -> _Field:
    schema = _schema(model)
    return _Field(schema, schema)


def _field(schema: Schema, keys: KeyPath) -> _Field | None:
    field: _Field | None = _Field(schema, schema)
    for key in keys:
        if field is None:
            return None
        field = field.child(key)
    return field


# -- LSP shapes ---------------------------------------------------------------------------------


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
