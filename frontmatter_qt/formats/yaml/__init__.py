"""The lossless YAML engine: libyaml events → positioned node tree → patches → verified text.

:class:`YamlFormat` is the YAML side of :class:`frontmatter_qt.formats.base.Format`.
"""

from __future__ import annotations

from typing import Any

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch, apply
from frontmatter_qt.engine.tree import KeyPath
from frontmatter_qt.errors import NotAMappingError
from frontmatter_qt.formats.base import Parsed
from frontmatter_qt.formats.yaml.data import read_data
from frontmatter_qt.formats.yaml.edit import Editor
from frontmatter_qt.formats.yaml.nodes import MAPPING, SEQUENCE, Node, parse, to_python

__all__ = ["YAML", "YAML_PURE", "YamlFormat", "YamlParsed"]


class YamlParsed:
    """A YAML front matter: its root node (``None`` when the text holds no node)."""

    __slots__ = ("root",)

    def __init__(self, root: Node | None) -> None:
        self.root = root

    def to_data(self) -> dict[Any, Any]:
        if self.root is None:
            return {}
        data: dict[Any, Any] = to_python(self.root)
        return data

    def node_at(self, keys: KeyPath) -> Node | None:
        """The node of the value at ``keys`` (aliases followed on the way), or None."""
        node = self.root
        for key in keys:
            if node is None:
                return None
            node = node.resolved()
            if node.kind == MAPPING:
                node = next((v for k, v in node.pairs if k.value == key), None)
            elif node.kind == SEQUENCE and isinstance(key, int) and -len(node.items) <= key:
                node = node.items[key] if key < len(node.items) else None
            else:
                return None
        return node

    def value_span(self, keys: KeyPath) -> tuple[int, int] | None:
        node = self.node_at(keys)
        return None if node is None else (node.start, node.end)

    def key_span(self, keys: KeyPath) -> tuple[int, int] | None:
        if not keys:
            return None
        parent = self.node_at(keys[:-1])
        if parent is None or parent.resolved().kind != MAPPING:
            return None
        for key, _ in parent.resolved().pairs:
            if key.value == keys[-1]:
                return key.start, key.end
        return None


class YamlFormat:
    """YAML front matter between ``---`` lines. ``pure=True`` uses ruamel.yaml's pure-Python
    parser instead of libyaml (same data and positions; kept for testing and as a fallback)."""

    name = "yaml"
    fence = "---"

    def __init__(self, *, pure: bool = False) -> None:
        self.pure = pure

    def parse(self, text: str, limits: Limits) -> YamlParsed:
        root = parse(text, limits, pure=self.pure)
        if root is not None and root.resolved().kind != MAPPING:
            kind = root.resolved().kind
            raise Located(
                NotAMappingError,
                f"front matter must be a mapping of keys to values, not a {kind}",
                root.start,
            )
        return YamlParsed(root)

    def read(self, text: str, limits: Limits) -> dict[Any, Any]:
        data = read_data(text, limits)
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.parse(text, limits)  # raises NotAMappingError at the root's position
        result: dict[Any, Any] = data
        return result

    def patches(self, text: str, parsed: Parsed, data: dict[Any, Any], newline: str) -> list[Patch]:
        if not isinstance(parsed, YamlParsed):
            raise TypeError(f"not a YAML front matter: {parsed!r}")
        return Editor(text, newline).diff_root(parsed.root, data)

    def render(self, data: dict[Any, Any], newline: str) -> str:
        return apply("", Editor("", newline).diff_root(None, data))


YAML = YamlFormat()
YAML_PURE = YamlFormat(pure=True)
