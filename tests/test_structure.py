"""Structure edits as data operations: ``doc.insert``, ``doc.rename``, ``doc.move`` (and the
walker's ``keypath.insert/rename/move`` they call) rebuild a mapping in the intended key order.

Unit tests pin each case and each error (type, code, message, position); property tests check
the operations against a model that keeps a mapping as a list of pairs: the result holds the
same values, in exactly the order the operation names, and nothing else changes.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.errors import KeyExistsError, KeyPathError, PlacementError

TEXT = "---\ntitle: A\ndate: 2024-01-02\nseo:\n  title: S\n  robots: none\ntags: [a, b, c]\n---\n"


def doc() -> fq.Document:
    return fq.loads(TEXT, path="post.md")


# -- insert -------------------------------------------------------------------------------------


def test_insert_after_before_and_at_the_end() -> None:
    d = doc()
    d.insert("updated", "2024-02-03", after="date")
    d.insert("id", 7, before="title")
    d.insert("draft", False)
    assert list(d.data) == ["id", "title", "date", "updated", "seo", "tags", "draft"]
    assert d["updated"] == "2024-02-03" and d["id"] == 7 and d["draft"] is False


def test_insert_a_path_into_a_nested_mapping() -> None:
    d = doc()
    seo = d["seo"]
    d.insert(("seo", "description"), "D", after="title")
    assert d["seo"] is seo, "the nested mapping is the same object, rebuilt in place"
    assert list(seo.items()) == [("title", "S"), ("description", "D"), ("robots", "none")]


def test_insert_creates_missing_mappings_only_without_a_sibling() -> None:
    d = doc()
    d.insert(("social", "twitter"), "@qt")
    assert d["social"] == {"twitter": "@qt"}
    with pytest.raises(KeyPathError) as info:
        d.insert(("links", "home"), "/", after="x")
    assert str(info.value) == "post.md:1:1: key not found: links"


def test_inserting_an_existing_key_is_a_key_error() -> None:
    d = doc()
    with pytest.raises(KeyError) as info:
        d.insert("date", "2025-01-01", after="title")
    error = info.value
    assert isinstance(error, KeyExistsError) and error.code == "E024"
    assert str(error) == "post.md:3:7: date already exists; nothing was inserted"
    assert error.keys == ("date",)
    assert d["date"].isoformat() == "2024-01-02"


def test_a_missing_sibling_is_a_key_path_error_at_its_mapping() -> None:
    d = doc()
    with pytest.raises(KeyPathError) as info:
        d.insert(("seo", "x"), 1, after="nope")
    assert str(info.value) == "post.md:4:1: key not found: seo.nope"
    assert "x" not in d["seo"]


def test_after_and_before_together_are_refused() -> None:
    d = doc()
    with pytest.raises(PlacementError) as info:
        d.insert("x", 1, after="title", before="date")
    assert info.value.code == "E025"
    assert str(info.value) == "post.md:1:1: x: give after or before, not both"
    with pytest.raises(PlacementError):
        d.move("title", after="date", before="seo")
    assert list(d.data) == ["title", "date", "seo", "tags"]


def test_insert_into_a_list_at_an_index() -> None:
    d = doc()
    d.insert(("tags", 0), "z")
    d.insert(("tags", 4), "end")
    assert d["tags"] == ["z", "a", "b", "c", "end"]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (
            -1,
            "tags[-1]: negative list index -1 (counted from the end); tags has 3 items: "
            "positions 0 to 3",
        ),
        (4, "tags[4]: list position 4 is out of range; tags has 3 items: positions 0 to 3"),
    ],
)
def test_a_list_position_out_of_range_is_refused(index: int, message: str) -> None:
    d = doc()
    with pytest.raises(PlacementError) as info:
        d.insert(("tags", index), "z")
    assert info.value.message == message
    assert d["tags"] == ["a", "b", "c"]


def test_a_list_insert_takes_no_sibling() -> None:
    with pytest.raises(PlacementError, match="in a list the index in the path is the place"):
        doc().insert(("tags", 1), "z", after=0)


# -- rename -------------------------------------------------------------------------------------


def test_rename_keeps_the_place_and_the_value() -> None:
    d = doc()
    value = d["seo"]
    d.rename("seo", "meta")
    assert list(d.data) == ["title", "date", "meta", "tags"]
    assert d["meta"] is value
    d.rename(("meta", "robots"), "index")
    assert list(d["meta"].items()) == [("title", "S"), ("index", "none")]


def test_rename_to_itself_changes_nothing_and_to_another_type_changes_the_key() -> None:
    d = fq.loads("---\n1: one\nb: 2\n---\n")
    d.rename(1, 1)
    assert list(d.data) == [1, "b"]
    d.rename(1, 1.5)
    assert list(d.data) == [1.5, "b"]
    d2 = fq.loads("---\n1: one\nb: 2\n---\n")
    d2.rename(1, 1.0)  # the same dict slot, another key: the file writes 1.0
    assert [type(k) for k in d2.data] == [float, str]


def test_rename_errors_are_key_errors() -> None:
    d = doc()
    with pytest.raises(KeyError) as missing:
        d.rename("subtitle", "x")
    assert isinstance(missing.value, KeyPathError)
    assert str(missing.value) == "post.md:1:1: key not found: subtitle"
    with pytest.raises(KeyError) as exists:
        d.rename("title", "date")
    assert isinstance(exists.value, KeyExistsError)
    assert str(exists.value) == "post.md:3:7: cannot rename title to date: that key exists"
    with pytest.raises(PlacementError, match=r"tags\[0\] is a list item: it has no key"):
        d.rename(("tags", 0), "x")
    assert list(d.data) == ["title", "date", "seo", "tags"]


# -- move ---------------------------------------------------------------------------------------


def test_move_after_before_and_to_the_end() -> None:
    d = doc()
    d.move("tags", after="title")
    assert list(d.data) == ["title", "tags", "date", "seo"]
    d.move("seo", before="title")
    assert list(d.data) == ["seo", "title", "tags", "date"]
    d.move("seo")
    assert list(d.data) == ["title", "tags", "date", "seo"]
    d.move("date", after="date")
    assert list(d.data) == ["title", "tags", "date", "seo"]


def test_move_in_a_nested_mapping_and_a_list() -> None:
    d = doc()
    d.move(("seo", "robots"), before="title")
    assert list(d["seo"]) == ["robots", "title"]
    d.move(("tags", 0), after=2)
    assert d["tags"] == ["b", "c", "a"]
    d.move(("tags", 2), before=0)
    assert d["tags"] == ["a", "b", "c"]
    d.move(("tags", 0))
    assert d["tags"] == ["b", "c", "a"]


def test_move_errors() -> None:
    d = doc()
    with pytest.raises(KeyPathError, match="key not found: nope"):
        d.move("nope", after="title")
    with pytest.raises(KeyPathError, match="key not found: nope"):
        d.move("title", after="nope")
    with pytest.raises(
        PlacementError,
        match=r"tags\[3\]: list position 3 is out of range; "
        r"tags has 3 items: positions 0 to 2",
    ):
        d.move(("tags", 3))
    with pytest.raises(PlacementError, match=r"tags\[-1\]: negative list index"):
        d.move(("tags", 0), after=-1)
    assert list(d.data) == ["title", "date", "seo", "tags"]


def test_structure_errors_pickle_with_their_keys() -> None:
    error = KeyExistsError("x already exists", keys=("x",), path="p.md", line=2, column=1)
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is KeyExistsError and back.keys == ("x",) and str(back) == str(error)


# -- properties against a model: a mapping as a list of pairs -----------------------------------

KEYS = st.text("abcdefg", min_size=1, max_size=2)
MAPPINGS = st.dictionaries(KEYS, st.integers(0, 9), min_size=1, max_size=8)


def pairs(mapping: dict[Any, Any]) -> list[tuple[Any, Any]]:
    return list(mapping.items())


@examples(200)
@given(MAPPINGS, KEYS, st.integers(), st.data())
def test_insert_matches_the_model(
    mapping: dict[str, int], key: str, value: int, data: st.DataObject
) -> None:
    original = copy.deepcopy(mapping)
    where = data.draw(st.sampled_from(["after", "before", "end"]))
    sibling = data.draw(st.sampled_from(list(mapping)))
    place = {where: sibling} if where != "end" else {}
    if key in mapping:
        with pytest.raises(KeyExistsError):
            keypath.insert(mapping, (key,), value, **place)
        assert pairs(mapping) == pairs(original)
        return
    keypath.insert(mapping, (key,), value, **place)
    model = pairs(original)
    at = len(model) if where == "end" else list(original).index(sibling) + (where == "after")
    model.insert(at, (key, value))
    assert pairs(mapping) == model


@examples(200)
@given(MAPPINGS, KEYS, st.data())
def test_rename_matches_the_model(mapping: dict[str, int], new: str, data: st.DataObject) -> None:
    original = copy.deepcopy(mapping)
    old = data.draw(st.sampled_from(list(mapping)))
    if new in mapping and new != old:
        with pytest.raises(KeyExistsError):
            keypath.rename(mapping, (old,), new)
        assert pairs(mapping) == pairs(original)
        return
    keypath.rename(mapping, (old,), new)
    assert pairs(mapping) == [((new if k == old else k), v) for k, v in original.items()]


@examples(200)
@given(MAPPINGS, st.data())
def test_move_matches_the_model(mapping: dict[str, int], data: st.DataObject) -> None:
    original = copy.deepcopy(mapping)
    key = data.draw(st.sampled_from(list(mapping)))
    where = data.draw(st.sampled_from(["after", "before", "end"]))
    sibling = data.draw(st.sampled_from(list(mapping)))
    keypath.move(mapping, (key,), **({where: sibling} if where != "end" else {}))
    model = [(k, v) for k, v in original.items() if k != key]
    if where == "end":
        model.append((key, original[key]))
    elif sibling == key:
        model = pairs(original)
    else:
        at = [k for k, _ in model].index(sibling) + (where == "after")
        model.insert(at, (key, original[key]))
    assert pairs(mapping) == model


@examples(200)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=8), st.data())
def test_list_move_matches_the_model(items: list[int], data: st.DataObject) -> None:
    tagged = [(i, v) for i, v in enumerate(items)]  # tell equal items apart
    index = data.draw(st.integers(0, len(items) - 1))
    where = data.draw(st.sampled_from(["after", "before", "end"]))
    sibling = data.draw(st.integers(0, len(items) - 1))
    moved = list(tagged)
    keypath.move({"l": moved}, ("l", index), **({where: sibling} if where != "end" else {}))
    model = [t for t in tagged if t[0] != index]
    if where == "end":
        model.append(tagged[index])
    elif sibling == index:
        model = list(tagged)
    else:
        at = [t[0] for t in model].index(sibling) + (where == "after")
        model.insert(at, tagged[index])
    assert moved == model


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc.insert(["a"], 1),
        lambda doc: doc.insert("z", 1, after={"x": 1}),
        lambda doc: doc.rename("title", ["x"]),
        lambda doc: doc.rename("title", {}),
        lambda doc: doc.move("title", after=["x"]),
    ],
    ids=[
        "insert-list-key",
        "insert-after-dict",
        "rename-to-list",
        "rename-to-dict",
        "move-after-list",
    ],
)
def test_a_key_no_mapping_can_hold_is_a_key_path_error(edit: Any) -> None:
    doc = fq.loads("---\ntitle: A\nb: 2\n---\n")
    with pytest.raises(fq.errors.KeyPathError, match="cannot be a key: a key is text"):
        edit(doc)
    assert doc.dumps() == "---\ntitle: A\nb: 2\n---\n"
