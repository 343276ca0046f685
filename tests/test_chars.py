"""Characters inside a value, back to where they are written: every written character of every
string maps to its own spelling in the source (itself, or its escape), in order, whatever the
style (plain, quoted, escaped, folded, literal; YAML, TOML and JSON)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import tomllib
import yaml
from hypothesis import given
from hypothesis import strategies as st
from json_strategies import JsonDoc, json_documents
from strategies import TRICKY_STRINGS, documents, examples

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.engine.chars import Piece, align
from frontmatter_qt.formats import of, split


def spelled(source: str, value_char: str, fmt: str) -> bool:
    """``source`` (the span a character maps to) spells ``value_char``."""
    if source == value_char or (source == "''" and value_char == "'"):
        return True
    if source == "\r\n" and value_char == "\n":
        return True
    if source.startswith("\\"):
        if fmt == "toml":
            return bool(tomllib.loads(f'v = "{source}"')["v"] == value_char)
        if fmt == "json":
            return bool(json.loads(f'"{source}"') == value_char)
        return bool(yaml.safe_load(f'"{source}"') == value_char)
    return False


def check_every_character(text: str) -> int:
    """Assert the law on every string of a whole file; the number of characters checked."""
    parts = split(text)
    fmt = of(parts)
    parsed = fmt.parse(parts.front_matter, fq.Limits())
    front_matter = parts.front_matter
    checked = 0
    for keys, value in keypath.strings(parsed.to_data()):
        previous = -1
        for index, char in enumerate(value):
            if char.isspace() and fmt.name != "json":  # JSON has no folding: every one counts
                continue
            span = parsed.char_span(front_matter, keys, value, index, index + 1)
            assert span is not None, (keys, index, value)
            start, end = span
            assert spelled(front_matter[start:end], char, fmt.name), (keys, index, span)
            assert start > previous  # in order
            previous = start
            checked += 1
    return checked


@examples(200)
@given(documents(avoid_known_bugs=False))
def test_every_written_character_maps_to_its_spelling(gen: Any) -> None:
    check_every_character(gen.text)


@examples(150)
@given(
    st.sampled_from(
        ["x: a\n", "x: 'a'\n", 'x: "a"\n', "x: >-\n  a\n", "x: |\n    a\n", "- x: a\n"]
    ),
    st.one_of(st.sampled_from(TRICKY_STRINGS), st.text(max_size=300)),
)
def test_values_the_engine_writes_map_back_too(template: str, value: str) -> None:
    key: tuple[Any, ...] = (0, "x") if template.startswith("-") else ("x",)
    doc = fq.loads(
        f"---\nroot:\n  {template.replace(chr(10), chr(10) + '  ')}---\n".replace("  ---", "---")
    )
    keypath.assign(doc.data, ("root", *key), value)
    try:
        text = doc.dumps()
    except fq.errors.FrontMatterError:
        return  # a value front matter cannot hold (a lone surrogate)
    check_every_character(text)


@pytest.mark.parametrize(
    "text",
    [
        '+++\na = "caf\\u00e9 \\"q\\" \\\\ x"\nb = \'lit\\eral\'\n+++\n',
        "+++\nc = \"\"\"\nline one \\\n    continued\r\nnext\"\"\"\nd = '''\nraw\\n'''\n+++\n",
    ],
)
def test_toml_strings_map_back(text: str) -> None:
    assert check_every_character(text) > 10


@examples(200)
@given(json_documents())
def test_every_character_of_a_json_string_maps_to_its_spelling(doc: JsonDoc) -> None:
    check_every_character(doc.text)


def test_json_escapes_map_to_their_backslash() -> None:
    text = '{"t": "caf\\u00c3\\u00a9 \\"q\\" \\\\ \\/ \\n\\ud83d\\ude00 \\ud800 x"}\nBody\n'
    doc = fq.loads(text)
    assert doc["t"] == 'caf\u00c3\u00a9 "q" \\ / \n\U0001f600 \ud800 x'
    assert check_every_character(text) == len(doc["t"])
    front_matter = split(text).front_matter
    parsed, value = of(split(text)).parse(front_matter, fq.Limits()), doc["t"]
    assert parsed.char_span(front_matter, ("t",), value, 3, 5) == (10, 22)  # both escapes
    emoji = value.index("\U0001f600")
    start, end = parsed.char_span(front_matter, ("t",), value, emoji, emoji + 1) or (0, 0)
    assert front_matter[start:end] == "\\ud83d\\ude00"
    assert parsed.char_span(front_matter, ("t",), "other", 0, 1) is None


def test_align_refuses_pieces_that_do_not_spell_the_value() -> None:
    pieces = [Piece(0, 2, "ab"), Piece(2, 4, "u"), Piece(4, 5, " ")]  # "u" written as an escape
    assert align("abu ", pieces, 0, 2) == (0, 2)
    assert align("abu ", pieces, 1, 3) == (1, 4)  # into the escape: all of it
    assert align("xbu ", pieces, 0, 1) is None
    assert align("abx", pieces, 0, 1) == (0, 1)  # spelled up to there
    assert align("abx", pieces, 2, 3) is None
    assert align("abu x", pieces, 4, 5) is None  # the pieces end before
    assert align("ab", pieces, 1, 1) is None  # an empty range
