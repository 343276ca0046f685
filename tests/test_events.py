"""The event source (frontmatter_qt/formats/yaml/events.py): PyYAML's libyaml binding builds
the same node trees as ruamel.yaml.clib's, and where the two libyaml versions differ the
engine reads as YAML 1.2 says."""

from __future__ import annotations

from typing import Any

import _ruamel_yaml
import pytest
from conftest import BAD_FILES, QUICKTAKE_FILES, REAL_FILES, reference_load, typed

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.text import decode, split
from frontmatter_qt.formats.yaml import events, nodes
from frontmatter_qt.formats.yaml.nodes import Node

_ATTRIBUTES = ("kind", "start", "body", "end", "style", "flow", "tag", "anchor", "size")
_ATTRIBUTES += ("height", "aliased")


def _shape(node: Node | None) -> Any:
    """Everything the engine reads of a node tree, as plain comparable data."""
    if node is None:
        return None
    own = tuple(getattr(node, name) for name in _ATTRIBUTES)
    value = typed(node.value) if node.kind == nodes.SCALAR else None
    pairs = [(_shape(key), _shape(item)) for key, item in node.pairs]
    return (own, value, pairs, [_shape(item) for item in node.items], _shape(node.target))


def _front_matters() -> list[tuple[str, str]]:
    found = []
    for path in QUICKTAKE_FILES + REAL_FILES + BAD_FILES:
        try:
            parts = split(decode(path.read_bytes()))
        except errors.FrontMatterError:  # not text, or no closing delimiter: nothing to parse
            continue
        if parts.has_front_matter:
            found.append((path.name, parts.front_matter))
    return found


def _parse_or_error(text: str) -> Any:
    try:
        return _shape(nodes.parse(text, Limits()))
    except Exception as exc:  # compared by type and position below
        return (type(exc).__name__, getattr(exc, "error_type", None), getattr(exc, "offset", 0))


def test_the_engine_parses_with_pyyamls_libyaml_binding() -> None:
    import yaml._yaml

    assert events.CParser is yaml._yaml.CParser
    assert yaml._yaml.get_version_string() >= "0.2.5"


def test_both_libyaml_bindings_build_the_same_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every front matter of the corpus (good and bad): the same tree, or the same refusal at
    the same place, through PyYAML's binding and through ruamel.yaml.clib's (libyaml 0.1.7)."""
    texts = _front_matters()
    assert len(texts) > 400
    ours = [_parse_or_error(text) for _, text in texts]
    monkeypatch.setattr(nodes, "CParser", _ruamel_yaml.CParser)
    monkeypatch.setattr(nodes, "C_EVENTS", events.PURE_EVENTS)
    theirs = [_parse_or_error(text) for _, text in texts]
    differing = [name for (name, _), a, b in zip(texts, ours, theirs, strict=True) if a != b]
    assert differing == []
    assert any(type(shape) is tuple and shape[0] == "Located" for shape in ours)  # bad files


@pytest.mark.parametrize(
    ("front_matter", "data"),
    [
        # libyaml 0.1.7 refuses these; libyaml 0.2 and ruamel.yaml's pure-Python (YAML 1.2)
        # parser read them
        ("a: [?]\n", {"a": [{None: None}]}),
        ("a: [a:b]\n", {"a": ["a:b"]}),
        ("a: {a:b}\n", {"a": {"a:b": None}}),
        ("a: [a?b, ?x]\n", {"a": ["a?b", {"x": None}]}),
        # a tag ends at a comma in a flow collection (YAML 1.2: ns-tag-char excludes flow
        # indicators); libyaml 0.1.7 took the comma into the tag
        ("a: [x, !!str, y]\n", {"a": ["x", "", "y"]}),
    ],
)
def test_texts_only_newer_libyaml_reads(front_matter: str, data: Any) -> None:
    text = f"---\n{front_matter}---\n"
    doc = fq.loads(text)
    assert typed(doc.data) == typed(data)
    assert doc.dumps() == text
    assert typed(reference_load(front_matter.replace("!!str,", "!!str ,"))) == typed(data)


@pytest.mark.parametrize(
    ("front_matter", "line", "column"),
    [
        ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", 2, 4 + 63),
        ("a: " + "{a: " * 2_000 + "}" * 2_000 + "\n", 2, 4 + 63 * 4),
        ("".join(" " * i + "a:\n" for i in range(1_200)) + "x\n", 66, 65),
        ("".join(" " * i + "-\n" for i in range(1_200)), 66, 65),
    ],
)
def test_nesting_past_libyamls_own_limit_is_refused_at_ours(
    front_matter: str, line: int, column: int
) -> None:
    """libyaml 0.2 refuses nesting past 1,000 levels while scanning ahead; the error is still
    the DepthLimitError at the level that passes ``max_depth`` (64)."""
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(f"---\n{front_matter}---\n")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert "nested deeper than 64 levels" in caught.value.message
