"""A model's JSON Schema as an editor asks about it: the field at a key path, its type, its
description, the fields a mapping may hold.

The schema is what ``frontmatter-qt schema`` prints (:func:`frontmatter_qt.models.json_schema`:
keys as the file spells them, aliases included), so hover and completion name the keys a file
holds. ``$ref`` is resolved against the schema's ``$defs``; unions (``anyOf``: an optional
field, ``oneOf``: a discriminated union) and ``additionalProperties``/``patternProperties`` are
followed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontmatter_qt.keypath import KeyPath

__all__ = ["Field", "Schema", "field_at"]

Schema = dict[str, Any]


@dataclass(frozen=True)
class Field:
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
    def branches(self) -> list[Field]:
        """The members of a union (``anyOf``; ``oneOf``, as pydantic writes a discriminated
        one), or the field itself."""
        node = self.resolved
        choices = node.get("anyOf", node.get("oneOf"))
        if not isinstance(choices, list):
            return [self]
        return [Field(choice, self.root, self.required) for choice in choices]

    @property
    def is_mapping(self) -> bool:
        return any("properties" in b.resolved for b in self.branches)

    @property
    def description(self) -> str:
        return str(self.resolved.get("description", ""))

    @property
    def type_text(self) -> str:
        return _type_text(self.node)

    def child(self, key: Any) -> Field | None:
        for branch in self.branches:
            node = branch.resolved
            if isinstance(key, int):
                items = node.get("items")
                if isinstance(items, dict):
                    return Field(items, self.root)
                continue
            properties = node.get("properties", {})
            if key in properties:
                return Field(properties[key], self.root, key in node.get("required", []))
            for pattern, sub in node.get("patternProperties", {}).items():
                if re.search(pattern, str(key)):
                    return Field(sub, self.root)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                return Field(extra, self.root)
        return None

    def children(self, present: Mapping[Any, Any] | None = None) -> list[tuple[str, Field]]:
        """The fields of the mapping; of a union, those of the member that fits the keys
        ``present`` best (a discriminated union: the member its tag names)."""
        members = [branch.resolved for branch in self.branches]
        members = [node for node in members if "properties" in node]
        if not members:
            return []
        node = max(members, key=lambda node: _fit(node["properties"], present or {}))
        required = node.get("required", [])
        return [
            (name, Field(sub, self.root, name in required))
            for name, sub in node["properties"].items()
        ]

    def markdown(self, name: str) -> str:
        need = " (required)" if self.required else ""
        head = f"**{name}**: `{self.type_text}`{need}"
        return f"{head}\n\n{self.description}" if self.description else head


def _fit(properties: Schema, present: Mapping[Any, Any]) -> int:
    """How well a mapping holding ``present`` fits a union member with ``properties``: one
    point per key it defines, and never a member whose constant (a tag) the mapping contradicts
    (``max`` keeps the first of equals: the union's order)."""
    score = 0
    for key, value in present.items():
        sub = properties.get(key) if isinstance(key, str) else None
        if isinstance(sub, dict):
            score += 1
            if "const" in sub and sub["const"] != value:
                score -= len(present) + 1
    return score


def _type_text(node: Schema) -> str:
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1]
    for union in ("anyOf", "oneOf"):
        if isinstance(node.get(union), list):
            return " | ".join(_type_text(choice) for choice in node[union])
    kind = node.get("type")
    if kind == "array":
        return f"array of {_type_text(node.get('items', {}))}"
    if isinstance(kind, list):
        return " | ".join(map(str, kind))
    if kind is None:
        return "any"
    return f"{kind} ({node['format']})" if "format" in node else str(kind)


def field_at(schema: Schema, keys: KeyPath) -> Field | None:
    """The schema of the value at ``keys`` (``()``: the model itself), or None where the
    schema says nothing about it."""
    field: Field | None = Field(schema, schema)
    for key in keys:
        if field is None:
            return None
        field = field.child(key)
    return field
