"""Property tests of the laws for JSON front matter, on generated documents (json_strategies).

1. Identity: an unmodified document dumps to exactly its input, as text and as bytes.
2. Locality: setting a value rewrites only the lines of that value.
3. Deletion: a deleted entry takes its own lines, and at most the comma on the line before.
4. Insertion: a new entry goes after its last sibling, indented like it; nothing else moves.
   Order: the file follows the data's key order (permutations, renames, inserts at a place);
   a moved entry moves as its own text, the others stay as they were.
5. Safety: after any edits the output reads back (with json.loads, split independently) as
   exactly the intended data, in the intended key order, with the body unchanged; a value JSON
   cannot hold is refused before anything is written.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from conftest import typed
from hypothesis import assume, given, note
from hypothesis import strategies as st
from json_strategies import (
    JsonDoc,
    fresh_values,
    get_path,
    json_documents,
    json_values,
    object_paths,
    reference,
    value_paths,
)
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.formats.json.scan import OBJECT, Node

NEW_KEY = "new key ü"


def checked_dump(doc: fq.Document, gen: JsonDoc) -> str:
    """Dump; the output is a valid document that reads back as intended, in the file's habits."""
    out = doc.dumps()
    note(f"output: {out!r}")
    assert doc.to_bytes() == out.encode("utf-8")
    data, body = reference(out)
    assert typed(data) == typed(doc.data), "the output does not read back as the data"
    assert body == doc.body
    assert fq.loads(out).dumps() == out
    assert out.startswith("\ufeff") == gen.text.startswith("\ufeff"), "BOM added or lost"
    if "\n" not in gen.text:
        pass  # no line break to follow (the document's newline is the default, LF)
    elif gen.newline == "\r\n":
        assert out.count("\n") == out.count("\r\n"), "bare LF written into a CRLF file"
    else:
        assert "\r" not in out, "CR written into an LF file"
    return out


def line_of(doc: fq.Document, offset: int) -> int:
    """0-based line (of the whole text) of a front-matter offset."""
    parts = doc._split
    return (parts.bom + parts.opening + parts.front_matter[:offset]).count("\n")


def node_of(doc: fq.Document, path: tuple[Any, ...]) -> Node:
    node = doc._parsed.node_at(path)  # type: ignore[attr-defined]
    assert node is not None
    return node  # type: ignore[no-any-return]


def assert_only_window_changed(before: str, after: str, first: int, last: int) -> None:
    """Lines before ``first`` and after ``last`` (0-based, inclusive) are byte-identical."""
    a, b = before.split("\n"), after.split("\n")
    assert b[:first] == a[:first], "a line before the edited lines changed"
    tail = len(a) - last - 1
    assert len(b) >= first + tail, "lines outside the window were removed"
    assert b[len(b) - tail :] == a[len(a) - tail :], "a line after the edited lines changed"


# -- 1. identity ------------------------------------------------------------------------------


@examples(100)
@given(json_documents())
def test_identity_text_and_bytes(gen: JsonDoc) -> None:
    doc = fq.loads(gen.text)
    assert doc.format == "json"
    assert doc.dumps() == gen.text
    assert doc.to_bytes() == gen.text.encode("utf-8")
    assert fq.loads(gen.text.encode("utf-8")).to_bytes() == gen.text.encode("utf-8")
    data, body = reference(gen.text)
    assert typed(doc.data) == typed(data) == typed(gen.data)
    assert doc.body == body


# -- 2. locality of one edit ------------------------------------------------------------------


@examples(100)
@given(json_documents(), st.data())
def test_setting_a_value_changes_only_its_lines(gen: JsonDoc, data: st.DataObject) -> None:
    paths = value_paths(gen.data)
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(fresh_values())
    doc = fq.loads(gen.text)
    node = node_of(doc, path)
    parent = get_path(doc.data, path[:-1])
    parent[path[-1]] = value
    out = checked_dump(doc, gen)
    assert_only_window_changed(gen.text, out, line_of(doc, node.start), line_of(doc, node.end))


# -- 3. deletion ------------------------------------------------------------------------------


def containers(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if data else []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, (dict, list)):
            found += containers(value, (*prefix, key))
    return found


@examples(100)
@given(json_documents(), st.data())
def test_deleting_an_entry_takes_only_its_lines(gen: JsonDoc, data: st.DataObject) -> None:
    paths = containers(gen.data)
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    doc = fq.loads(gen.text)
    container = get_path(doc.data, path)
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    index = data.draw(st.integers(0, len(keys) - 1))
    node = node_of(doc, path)
    start = node.entry_start(index)
    first = line_of(doc, node.items[index - 1].end if index else start)
    last = line_of(doc, node.entry_start(index + 1) if index + 1 < len(keys) else node.end)
    if len(keys) == 1:  # the container empties: it is written `{}` or `[]`
        first, last = line_of(doc, node.start), line_of(doc, node.end)
    del container[keys[index]]
    out = checked_dump(doc, gen)
    assert_only_window_changed(gen.text, out, first, last)
    own_lines = line_of(doc, node.items[index].end) - line_of(doc, start) + 1
    if len(keys) > 1:
        assert out.count("\n") >= gen.text.count("\n") - own_lines, "more than its lines went"


# -- 4. insertion -----------------------------------------------------------------------------


@examples(100)
@given(json_documents(), st.data())
def test_a_new_entry_goes_after_its_siblings_like_them(gen: JsonDoc, data: st.DataObject) -> None:
    paths = [p for p in containers(gen.data) if isinstance(get_path(gen.data, p), list)]
    paths += [p for p in object_paths(gen.data) if NEW_KEY not in get_path(gen.data, p)]
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    value = data.draw(json_values(6))
    doc = fq.loads(gen.text)
    container = get_path(doc.data, path)
    node = node_of(doc, path)
    if isinstance(container, dict):
        container[NEW_KEY] = value
    else:
        container.append(value)
    out = checked_dump(doc, gen)
    first = line_of(doc, node.items[-1].end if node.items else node.start)
    assert_only_window_changed(gen.text, out, first, line_of(doc, node.end))
    if len(node.items) > 1 and line_of(doc, node.entry_start(0)) > line_of(doc, node.start):
        # Entries on lines of their own: the new one is on a new line, indented like them.
        sibling = gen.text.split("\n")[line_of(doc, node.entry_start(len(node.items) - 1))]
        indent = sibling[: len(sibling) - len(sibling.lstrip(" \t"))]
        new_line = out.split("\n")[line_of(doc, node.items[-1].end) + 1]
        assert new_line.startswith(indent) and not new_line[len(indent)].isspace()


# -- 5. safety --------------------------------------------------------------------------------


@st.composite
def edits(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` after one to four random edits (moves and renames of keys included)."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        targets = [(), *value_paths(data)]
        path = draw(st.sampled_from(targets))
        target = get_path(data, path)
        kind = draw(st.sampled_from(["set", "delete", "insert", "clear", "move", "rename"]))
        if kind == "set" and path:
            get_path(data, path[:-1])[path[-1]] = draw(fresh_values())
        elif kind == "delete" and isinstance(target, (dict, list)) and target:
            keys = list(target) if isinstance(target, dict) else list(range(len(target)))
            del target[draw(st.sampled_from(keys))]
        elif kind == "insert" and isinstance(target, dict):
            target.setdefault("n:" + draw(st.text(max_size=4)), draw(json_values(4)))
        elif kind == "insert" and isinstance(target, list):
            target.insert(draw(st.integers(0, len(target))), draw(json_values(4)))
        elif kind == "clear" and isinstance(target, (dict, list)):
            target.clear()
        elif kind == "move" and isinstance(target, dict) and target:
            key = draw(st.sampled_from(list(target)))
            target[key] = target.pop(key)  # to the end
        elif kind == "rename" and isinstance(target, dict) and target:
            key = draw(st.sampled_from(list(target)))
            fresh = "r:" + draw(st.text(max_size=4))
            if fresh not in target:
                keypath.rename(target, (key,), fresh)
    return data


@examples(150)
@given(json_documents(), st.data())
def test_any_edits_read_back_exactly(gen: JsonDoc, data: st.DataObject) -> None:
    intended = data.draw(edits(gen.data))
    doc = fq.loads(gen.text)
    doc.data = copy.deepcopy(intended)
    if data.draw(st.booleans()):
        bodies = ["", "New body.", "x" + gen.newline, gen.newline + "x"]
        doc.body = data.draw(st.sampled_from(bodies))
    out = checked_dump(doc, gen)
    assert typed(reference(out)[0]) == typed(intended)  # typed() keeps key order


@examples(100)
@given(json_documents(), st.data())
def test_the_file_follows_a_new_key_order(gen: JsonDoc, data: st.DataObject) -> None:
    """An object's keys permuted, one renamed in place and a new one inserted at a random
    place: the output reads back in exactly that order; lines outside the object are kept."""
    paths = [p for p in object_paths(gen.data) if len(get_path(gen.data, p)) > 1]
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    doc = fq.loads(gen.text)
    node = node_of(doc, path)
    target = get_path(doc.data, path)
    order = data.draw(st.permutations(list(target)))
    items = [(key, target[key]) for key in order]
    if data.draw(st.booleans()):  # a rename at its (new) place
        at = data.draw(st.integers(0, len(items) - 1))
        items[at] = ("n:renamed", items[at][1])
    if data.draw(st.booleans()):
        items.insert(data.draw(st.integers(0, len(items))), (NEW_KEY, data.draw(json_values(4))))
    target.clear()
    target.update(items)
    intended = copy.deepcopy(doc.data)
    out = checked_dump(doc, gen)
    assert typed(reference(out)[0]) == typed(intended)  # typed() keeps key order
    assert_only_window_changed(gen.text, out, line_of(doc, node.start), line_of(doc, node.end))


@examples(100)
@given(json_documents(), st.data())
def test_moving_one_entry_moves_only_its_text(gen: JsonDoc, data: st.DataObject) -> None:
    """``doc.move``: the entries that stay keep their text byte for byte, in order."""
    paths = [p for p in object_paths(gen.data) if len(get_path(gen.data, p)) > 1]
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    doc = fq.loads(gen.text)
    node = node_of(doc, path)
    keys = list(get_path(doc.data, path))
    key = data.draw(st.sampled_from(keys))
    sibling = data.draw(st.sampled_from([k for k in keys if k != key]))
    where = data.draw(st.sampled_from(["after", "before"]))
    doc.move((*path, key), **{where: sibling})
    intended = copy.deepcopy(doc.data)
    out = checked_dump(doc, gen)
    assert typed(reference(out)[0]) == typed(intended)
    before, after = doc._split.front_matter, fq.loads(out)._split.front_matter
    texts = [before[node.entry_start(i) : node.items[i].end] for i in range(len(keys))]
    moved = keys.index(key)
    assert texts[moved] in after
    position = 0
    for i, text in enumerate(texts):  # the others: in order, each as it was
        if i != moved:
            position = after.index(text, position) + len(text)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@examples(20)
@given(gen=json_documents())
def test_nan_and_infinity_are_refused_before_writing(gen: JsonDoc, bad: float) -> None:
    doc = fq.loads(gen.text)
    doc["score"] = bad
    with pytest.raises(fq.errors.UnrepresentableValueError, match="score: cannot write"):
        doc.dumps()
    assert doc.original_text == gen.text


def test_node_helpers_match_the_data() -> None:
    doc = fq.loads('{"a": [1, {"b": 2}]}')
    assert node_of(doc, ("a", 1)).kind == OBJECT
    assert containers(doc.data) == [(), ("a",), ("a", 1)]
