"""The generic typed engine: any pydantic v2 model over front matter, with file positions.

- :func:`validate` validates plain front-matter data as a model; its errors become positioned
  :class:`~frontmatter_qt.diagnostics.Diagnostic` problems of a
  :class:`~frontmatter_qt.errors.ModelValidationError`.
- :func:`write_back` assigns a model instance back into the live data, changing only what
  differs from the file, so the engine re-renders only those lines.
- :func:`load_model` imports ``package.module:Class``; :func:`json_schema` is a model's schema.

The document reaches this module through ``doc.model`` / ``doc.update`` / ``fq.validate``; it is
imported on first use, so ``import frontmatter_qt`` does not import pydantic. Nothing here knows
a site or a field: a model says what it wants, the data is whatever the format read (YAML today,
TOML or JSON the same way).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any, TypeVar, get_args

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from frontmatter_qt.diagnostics import Diagnostic, Span
from frontmatter_qt.engine.equality import same_value
from frontmatter_qt.errors import ConfigError, ModelValidationError
from frontmatter_qt.keypath import KeyPath

__all__ = ["json_schema", "load_model", "problems", "validate", "write_back"]

M = TypeVar("M", bound=BaseModel)
Locate = Callable[[KeyPath], Span]
LocateKey = Callable[[KeyPath], "Span | None"]

#: Scalar types the front matter holds as they are; any other leaf a model dumps (an enum, a
#: URL, a Decimal) is written in its JSON form.
_PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime)


# -- validation -----------------------------------------------------------------------------------


def validate(
    model: type[M],
    data: Mapping[Any, Any],
    *,
    strict: bool,
    path: str | None,
    locate: Locate,
    locate_key: LocateKey | None = None,
) -> M:
    """``model`` validated from ``data``; a positioned ``ModelValidationError`` (or the
    subclass the model names in a ``frontmatter_error`` class variable) when it does not fit."""
    try:
        return model.model_validate(data, strict=strict)
    except ValidationError as exc:
        error_class = getattr(model, "frontmatter_error", ModelValidationError)
        found = problems(exc, model, data, path=path, locate=locate, locate_key=locate_key)
        raise error_class(found, path=path) from None


def problems(
    exc: ValidationError,
    model: type[BaseModel],
    data: Mapping[Any, Any],
    *,
    path: str | None,
    locate: Locate,
    locate_key: LocateKey | None = None,
) -> list[Diagnostic]:
    """One ``V001`` diagnostic per pydantic error, at the offending value (see
    ``Document.locate`` for a missing one), or at the key for a mapping key the model refused
    (with ``locate_key``). ``keys`` is the path in the file: pydantic's location without the
    steps that name no key (the union member tried, ``[key]``), each key spelled as the file
    spells it (a field given by name where the model's alias is ``_x``)."""
    found = []
    labels = _labels(model)
    for error in exc.errors(include_url=False):
        loc, about_key = _in_data(model, tuple(error["loc"]), labels)
        keys = _as_spelled(model, data, loc)
        span = (locate_key(keys) if about_key and locate_key is not None else None) or locate(keys)
        found.append(
            Diagnostic(
                path,
                span.line,
                span.column,
                ModelValidationError.code,
                error["msg"],
                keys=keys,
                end_line=span.end_line,
                end_column=span.end_column,
                type=error["type"],
            )
        )
    return found


def _in_data(model: type[BaseModel], loc: KeyPath, labels: dict[int, str]) -> tuple[KeyPath, bool]:
    """pydantic's error location ``loc`` as a path into the data, and whether the error is
    about the mapping key the path ends with (pydantic's ``[key]`` step).

    A location holds steps that are no key of the data: the member of a union that was tried
    (its label, ``Cat`` or ``list[int]``; a discriminated union's tag), and ``[key]`` after a
    dict key. Which steps those are is read off the model's core schema along ``loc``; where
    the schema is of a kind not followed here, the rest of ``loc`` is taken as keys.
    ``labels`` caches each union member's label (what pydantic calls it), per model.
    """
    node: Any = model.__pydantic_core_schema__
    definitions: dict[str, Any] = {}
    keys: list[Any] = []
    index = 0
    while index < len(loc) and node is not None:
        node = _unwrapped(node, definitions)
        kind = None if node is None else node.get("type")
        step = loc[index]
        if kind == "tagged-union":  # the step is the discriminator's value
            choices = node["choices"]
            if step not in choices:
                break
            node, index = choices[step], index + 1
        elif kind == "union":  # the step is the label of the member tried
            node = _member(node["choices"], step, definitions, labels)
            index += 1
        elif kind in ("model-fields", "typed-dict"):
            field = _schema_field(node["fields"].items(), step)
            node = field["schema"] if field is not None else node.get("extras_schema")
            keys.append(step)
            index += 1
        elif kind == "dataclass-args":
            pairs = [(field["name"], field) for field in node["fields"]]
            found = _schema_field(pairs, step)
            node = None if found is None else found["schema"]
            keys.append(step)
            index += 1
        elif kind in ("list", "set", "frozenset", "generator", "tuple"):
            items = node.get("items_schema")
            if isinstance(items, list):  # a tuple: one schema per position
                items = (
                    items[min(step, len(items) - 1)] if isinstance(step, int) and items else None
                )
            node = items
            keys.append(step)
            index += 1
        elif kind == "dict":
            keys.append(step)
            index += 1
            if index < len(loc) and loc[index] == "[key]":
                return tuple(keys), True
            node = node.get("values_schema")
        else:
            break
    return (*keys, *loc[index:]), False


def _unwrapped(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema that reads the value at a step of a location: through definitions and
    references, and through wrappers that add no step of their own (defaults, ``None``,
    validator functions, strict/lax and JSON/Python variants, a model's fields)."""
    for _ in range(64):  # a reference cycle without a step in between cannot loop forever
        if not isinstance(node, dict):
            return None
        if "ref" in node:
            definitions.setdefault(node["ref"], node)
        kind = node.get("type")
        if kind == "definitions":
            for definition in node["definitions"]:
                definitions.setdefault(definition.get("ref"), definition)
            node = node["schema"]
        elif kind == "definition-ref":
            node = definitions.get(node["schema_ref"])
        elif kind in _WRAPPERS:
            node = node.get("schema")
        elif kind == "lax-or-strict":
            node = node.get("lax_schema")
        elif kind == "json-or-python":
            node = node.get("python_schema")
        else:
            return node
    return None


# Schemas whose value is read by their inner ``schema``, with no step of the location.
_WRAPPERS = frozenset(
    (
        "model",
        "dataclass",
        "default",
        "nullable",
        "function-after",
        "function-before",
        "function-wrap",
    )
)


def _schema_field(fields: Any, step: Any) -> Any:
    """The field of a core schema's fields that location ``step`` names (its name, or its
    validation alias), or None."""
    for name, field in fields:
        alias = field.get("validation_alias")
        if step in (name, alias) or (isinstance(alias, list) and [step] in alias):
            return field
    return None


def _member(
    choices: list[Any], label: Any, definitions: dict[str, Any], labels: dict[int, str]
) -> Any:
    """The member of a union that pydantic calls ``label`` (a member with its own tag, or
    what its validator is named: ``Cat``, ``int``, ``list[int]``), or None."""
    from pydantic_core import SchemaValidator, core_schema

    for choice in choices:
        if isinstance(choice, tuple):
            if choice[1] == label:
                return choice[0]
            continue
        if id(choice) not in labels:
            with_definitions = core_schema.definitions_schema(choice, list(definitions.values()))
            try:
                labels[id(choice)] = SchemaValidator(with_definitions).title
            except Exception:  # a member pydantic-core cannot build alone: no label to match
                labels[id(choice)] = ""
        if labels[id(choice)] == label:
            return choice
    return None


def _as_spelled(model: type[BaseModel], data: Any, loc: KeyPath) -> KeyPath:
    spellings = _spellings(model)
    keys: list[Any] = []
    node = data
    for step in loc:
        if isinstance(node, Mapping) and step not in node:
            step = next((s for s in spellings.get(step, ()) if s in node), step)
        keys.append(step)
        if isinstance(node, Mapping):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and -len(node) <= step < len(node):
            node = node[step]
        else:
            node = None
    return tuple(keys)


@lru_cache(maxsize=256)
def _labels(model: type[BaseModel]) -> dict[int, str]:
    """The label of each union member of ``model``'s core schema met so far, by the member's
    ``id`` (the schema lives as long as the model this cache holds): a member's validator is
    compiled to learn its label once per model, not once per failing file."""
    return {}


@lru_cache(maxsize=256)
def _spellings(model: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Every way a field of ``model`` (or of a model nested in it) may be spelled in a file,
    by each of its spellings."""
    found: dict[str, tuple[str, ...]] = {}
    for nested in _models_in(model, set()):
        for name, info in nested.model_fields.items():
            names = _field_spellings(nested, name, info)
            for spelling in names:
                found.setdefault(spelling, names)
    return found


def _models_in(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if model in seen:
        return
    seen.add(model)
    yield model
    for info in model.model_fields.values():
        for inner in _types_in(info.annotation):
            yield from _models_in(inner, seen)


def _types_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _types_in(arg)


def _field_spellings(model: type[BaseModel], name: str, info: FieldInfo) -> tuple[str, ...]:
    """The keys a file may use for a field, in pydantic's order of precedence."""
    names: list[str] = []
    alias = info.validation_alias
    if isinstance(alias, str):
        names.append(alias)
    elif isinstance(alias, AliasChoices):
        names += [choice for choice in alias.choices if isinstance(choice, str)]
    if info.alias and info.alias not in names:
        names.append(info.alias)
    config = model.model_config
    by_name = config.get("populate_by_name") or config.get("validate_by_name")
    if not names or by_name:
        names.append(name)
    return tuple(dict.fromkeys(names))


# -- writing back ---------------------------------------------------------------------------------


def write_back(data: dict[Any, Any], obj: BaseModel) -> None:
    """Make the live front matter ``data`` hold ``obj``, assigning only what really changed.

    - A value is unchanged when it equals, type-exactly, the value in the file or the value
      validation made of it (an untouched ``id: "97068"`` validated as ``97068`` stays quoted).
    - Each field is written under the key the file already uses for it (its alias, or its name
      where the model accepts names); a new one under its alias (``by_alias``).
    - Nested models and lists are compared item by item, so one changed nested value is one
      changed line. Keys the model does not know are kept; with ``extra="allow"`` the model
      knows every key, so a key deleted from its extras is deleted from the file.
    - A field the file lacks is added only when it was set on the model or no longer holds its
      default (a bare default is never invented).
    """
    new = dump(obj)
    try:
        base: Any = dump(type(obj).model_validate(data))
    except ValidationError:
        base = _MISSING
    _merge_model(data, obj, new, base)


def dump(obj: BaseModel) -> dict[str, Any]:
    """``obj`` as front-matter data: ``model_dump(by_alias=True)``, with every leaf that is not
    a plain scalar taken from the JSON-mode dump (an enum's value, a URL's text)."""
    plain: dict[str, Any] = _plain(
        obj.model_dump(by_alias=True), obj.model_dump(by_alias=True, mode="json")
    )
    return plain


def _plain(value: Any, as_json: Any) -> Any:
    if isinstance(value, dict) and isinstance(as_json, dict):
        pairs = zip(value.items(), as_json.values(), strict=False)
        return {key: _plain(item, json_item) for (key, item), json_item in pairs}
    if isinstance(value, (list, tuple)) and isinstance(as_json, list):
        return [_plain(item, json_item) for item, json_item in zip(value, as_json, strict=False)]
    return value if type(value) in _PLAIN else as_json


def _merge_model(current: dict[Any, Any], obj: BaseModel, new: dict[str, Any], base: Any) -> None:
    if base is not _MISSING and same_value(new, base):
        return  # nothing changed since the file was read: keep every spelling as it is
    model = type(obj)
    known: set[Any] = set()
    for name, info in model.model_fields.items():
        spellings = _field_spellings(model, name, info)
        written = _serialized_key(name, info)
        known.update((*spellings, written))
        if written not in new:
            continue  # excluded from dumps
        value = new[written]
        in_file = next((key for key in (*spellings, written) if key in current), _MISSING)
        if in_file is _MISSING:
            if name in obj.model_fields_set or not _is_default(info, value):
                current[written] = value
            continue
        _merge_value(current, in_file, value, _get(base, written), getattr(obj, name, None))
    extra = obj.__pydantic_extra__
    if extra is None:
        return
    for key in [key for key in current if key not in known and key not in extra]:
        del current[key]
    for key, instance in extra.items():
        if key not in new:
            continue
        if key in current:
            _merge_value(current, key, new[key], _get(base, key), instance)
        else:
            current[key] = new[key]


def _merge_value(container: Any, slot: Any, new: Any, base: Any, instance: Any) -> None:
    old = container[slot]
    if same_value(new, old) or (base is not _MISSING and same_value(new, base)):
        return
    if isinstance(instance, BaseModel) and isinstance(old, dict) and isinstance(new, dict):
        _merge_model(old, instance, new, base if isinstance(base, dict) else _MISSING)
    elif isinstance(old, list) and isinstance(new, list):
        items = instance if isinstance(instance, (list, tuple)) else ()
        for index in range(min(len(old), len(new))):
            item = items[index] if index < len(items) else None
            _merge_value(old, index, new[index], _get(base, index), item)
        del old[len(new) :]
        old.extend(new[len(old) :])
    elif isinstance(old, dict) and isinstance(new, dict):
        inner = instance if isinstance(instance, Mapping) else {}
        for key in [key for key in old if key not in new]:
            del old[key]
        for key, value in new.items():
            if key in old:
                _merge_value(old, key, value, _get(base, key), inner.get(key))
            else:
                old[key] = value
    else:
        container[slot] = new


def _serialized_key(name: str, info: FieldInfo) -> str:
    return info.serialization_alias or info.alias or name


def _is_default(info: FieldInfo, value: Any) -> bool:
    try:
        default = info.get_default(call_default_factory=True)
    except TypeError:  # a default factory that wants the validated data
        return False
    if default is PydanticUndefined:
        return False
    if isinstance(default, BaseModel):
        default = dump(default)
    return same_value(value, default)


def _get(container: Any, key: Any) -> Any:
    if isinstance(container, dict):
        return container.get(key, _MISSING)
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return _MISSING


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


# -- models by name, and their schema -------------------------------------------------------------


def load_model(spec: str) -> type[BaseModel]:
    """The class ``spec`` names (``package.module:Class``, attributes dotted after the colon).

    Raises ``ValueError`` with a plain sentence when it does not import or is not a pydantic
    model; the configuration and the command add where the name was given.
    """
    found = import_object(spec)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise ValueError(f"{spec} is not a pydantic model (a BaseModel subclass)")
    return found


def import_object(spec: str) -> Any:
    """The object ``package.module:attribute`` names; ``ValueError`` when it cannot be found."""
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"{spec!r} is not of the form package.module:Name")
    try:
        found: Any = importlib.import_module(module_name)
    except Exception as exc:  # an import runs arbitrary code: report whatever it raised
        raise ValueError(f"cannot import {module_name}: {type(exc).__name__}: {exc}") from None
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise ValueError(f"{module_name} has no attribute {attribute}") from None
    return found


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of ``model`` for the keys a file holds (aliases, validation mode).

    A model pydantic can validate with but has no schema for (a field of an arbitrary class,
    ``arbitrary_types_allowed``) is a ConfigError naming the model and pydantic's reason."""
    from pydantic import PydanticUserError

    try:
        return model.model_json_schema(by_alias=True, mode="validation")
    except PydanticUserError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(
            f"the model {model.__module__}:{model.__qualname__} has no JSON Schema: {reason}",
            hint="give its fields types pydantic can describe, or a json_schema_extra",
        ) from None
