"""Rendering shortcuts agree with ruamel.yaml's emitter, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from strategies import TRICKY_STRINGS, examples

from frontmatter_qt.formats.yaml import render
from frontmatter_qt.formats.yaml import values as _values
from frontmatter_qt.formats.yaml.nodes import ALIAS, SCALAR, SEQUENCE, Node
from frontmatter_qt.formats.yaml.render import UNLIMITED_WIDTH, Layout

# The shortcut's alphabet, the characters YAML cares about, and words that resolve to other
# types when plain.
_CHARS = "aZ09 .,;()/?!'|&+=*$%@_-" + ':#"\\[]{}`>~\t\n\xe9'
_SIMPLE_CHARS = "aZ09 .,;()/?!'|&+=*$%@_-"
_WORDS = ["yes", "No", "null", "true", "1e3", "0x1F", "12", "1_000", ".5", "2024-01-02", "=", "~"]
strings = st.one_of(
    st.text(alphabet=_CHARS, max_size=30),
    st.text(alphabet=_SIMPLE_CHARS, max_size=30),
    st.lists(st.sampled_from([*_WORDS, "a", " ", "it's"]), max_size=4).map("".join),
    st.sampled_from(TRICKY_STRINGS + _WORDS),
)


def template(style: str | None, tag: str) -> Node | None:
    if style is None:
        return None
    if style == "seq":
        return Node(SEQUENCE, 0, 0, "", _values.SEQ)
    node = Node(SCALAR, 0, 0, style, tag, "x")
    if tag == "alias":
        alias = Node(ALIAS, 0, 0)
        alias.target = Node(SCALAR, 0, 0, style, _values.STR, "x")
        return alias
    return node


templates = st.builds(
    template,
    st.sampled_from([None, "", "'", '"', ">", "|", "seq"]),
    st.sampled_from([_values.STR, _values.STR, _values.YAML_TAG + "int", "alias"]),
)


@examples(3000)
@given(
    strings,
    templates,
    st.integers(1, 9),
    st.integers(1, 40),
    st.sampled_from([UNLIMITED_WIDTH, UNLIMITED_WIDTH, 20, 80]),
)
def test_simple_strings_render_as_the_emitter_writes_them(
    value: str, node: Node | None, indent: int, key_width: int, width: int
) -> None:
    layout = Layout(indent, 0, width)
    fast = render._simple_string(value, node, layout)
    event(f"shortcut taken: {fast is not None}")
    if fast is not None:
        assert fast == render._emitted_value(value, node, layout, key_width)


@pytest.mark.parametrize(
    ("value", "style", "taken"),
    [
        ("Edited title 12", ">", True),
        ("it's (maybe) 50% off, A&B | C?", "'", True),
        ("Edited title", "", True),
        ("true", "", False),  # a boolean when plain: the emitter quotes it
        ("yes", "", True),  # YAML 1.2: a string
        ("a: b", "", False),
        ("trailing ", '"', False),
        ("caf\xe9", ">", False),  # not ASCII: the emitter decides
    ],
)
def test_which_strings_take_the_shortcut(value: str, style: str, taken: bool) -> None:
    node: Any = template(style, _values.STR)
    layout = Layout(4, 0)
    fast = render._simple_string(value, node, layout)
    assert (fast is not None) == taken
    assert render.emit_value(value, node, layout) == render._emitted_value(value, node, layout, 1)
