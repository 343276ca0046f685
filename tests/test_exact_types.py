"""Type-exact edits and refusals of data no file can hold (issue 10, items 3 and 10).

Python says ``1 == 1.0 == True`` and ``0.0 == -0.0``, and a dict cannot hold both ``1`` and
``True``; the file can say each of them. Replacing key ``1`` by ``True`` is ``del d[1];
d[True] = v``, and must be written. Data that cannot be written (a list inside itself, nesting
past the depth limit, an int too long to print, an unknown type) is refused with
``UnrepresentableValueError`` naming its key path, never a raw exception.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from collections.abc import Callable
from typing import Any

import pytest
from strategies import reparse, typed

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.engine.equality import (
    ExactKeys,
    first_difference,
    key_token,
    same_in_order,
    same_value,
)
from frontmatter_qt.engine.limits import DEPTH_CEILING
from frontmatter_qt.formats.yaml.nodes import to_python


def edited(text: str, change: Callable[[dict[Any, Any]], Any]) -> str:
    doc = fq.loads(text)
    change(doc.data)
    out = doc.dumps()
    assert typed(reparse(out)) == typed(doc.data)  # the reference reads what was intended
    return out


def rekey(old: Any, new: Any) -> Callable[[dict[Any, Any]], None]:
    def change(data: dict[Any, Any]) -> None:
        value = data.pop(old)
        data[new] = value

    return change


# -- item 3: keys whose type changes while Python's == says they are equal ---------------------


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        ("---\n1: x\nb: 2\n---\n", 1, True, "---\nb: 2\ntrue: x\n---\n"),
        ("---\n1: x\nb: 2\n---\n", 1, 1.0, "---\nb: 2\n1.0: x\n---\n"),
        ("---\n0: x\nb: 2\n---\n", 0, False, "---\nb: 2\nfalse: x\n---\n"),
        ("---\ntrue: x\nb: 2\n---\n", True, 1, "---\nb: 2\n1: x\n---\n"),
        ("---\n0.0: x\nb: 2\n---\n", 0.0, -0.0, "---\nb: 2\n-0.0: x\n---\n"),
        ("---\n1.0: x\nb: 2\n---\n", 1.0, 1, "---\nb: 2\n1: x\n---\n"),
    ],
)
def test_key_whose_type_changes_is_rewritten(text: str, old: Any, new: Any, expected: str) -> None:
    out = edited(text, rekey(old, new))
    assert out == expected
    assert typed(list(reparse(out))) == typed(["b", new])


def test_nested_key_type_change_in_place_is_a_rename() -> None:
    """The new key stands where the old one stood, holding its value: only the key's text
    changes (issue 12: before, the entry was deleted and appended, losing its comment)."""
    text = "---\nm:  # map\n  1: x  # one\n  2: y  # two\nz: 0\n---\n"
    out = edited(text, lambda d: d.__setitem__("m", {True: "x", 2: "y"}))
    assert out == "---\nm:  # map\n  true: x  # one\n  2: y  # two\nz: 0\n---\n"


def test_key_type_change_in_flow_mapping() -> None:
    out = edited("---\nm: {1: x, 2: y}\n---\n", lambda d: d.__setitem__("m", {True: "x", 2: "y"}))
    assert out == "---\nm: {true: x, 2: y}\n---\n"  # a flow mapping is written in data order


@pytest.mark.parametrize(
    ("old", "new", "written"),
    [(0.0, -0.0, "-0.0"), (-0.0, 0.0, "0.0"), (1, 1.0, "1.0"), (1, True, "true")],
)
def test_value_that_stays_equal_in_python_is_rewritten(old: Any, new: Any, written: str) -> None:
    text = f"---\na: {old!r}\nb: 1\n---\n".replace("True", "true")
    out = edited(text, lambda d: d.__setitem__("a", new))
    assert out == f"---\na: {written}\nb: 1\n---\n"


def test_verification_catches_a_key_of_another_type() -> None:
    """Law 4 for keys: an output re-read with key ``1`` where ``True`` was intended is refused."""
    doc = fq.loads("---\n1: x\n---\n")
    doc.data = {True: "x"}
    doc._verify("---\ntrue: x\n---\n")  # what the engine writes passes
    with pytest.raises(errors.RoundTripError, match='re-parse to different data at "True" '):
        doc._verify("---\n1: x\n---\n")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({1: "x"}, {True: "x"}, False),
        ({1: "x"}, {1.0: "x"}, False),
        ({0.0: "x"}, {-0.0: "x"}, False),
        ({float("nan"): "x"}, {float("nan"): "x"}, True),
        ({"a": 0.0}, {"a": -0.0}, False),
        ({"a": [1, {2: 0.0}]}, {"a": [1, {2: 0.0}]}, True),
        ({"a": [1, {2: 0.0}]}, {"a": [1, {2.0: 0.0}]}, False),
        (
            {dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc): 1},
            {dt.datetime(2024, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=1))): 1},
            False,
        ),
    ],
)
def test_same_value_is_type_exact_for_keys(a: Any, b: Any, expected: bool) -> None:
    assert same_value(a, b) is expected
    assert same_value(b, a) is expected
    assert same_in_order(a, b) is expected  # one key per mapping: order cannot differ
    assert same_in_order(b, a) is expected
    assert (first_difference(a, b) is None) is expected


class _Text(str):
    pass


@pytest.mark.parametrize(
    ("a", "b", "unordered", "ordered"),
    [
        ({"a": "x", "b": "y"}, {"a": "x", "b": "y"}, True, True),
        ({"a": "x", "b": "y"}, {"b": "y", "a": "x"}, True, False),
        ({"a": "x", "b": "y"}, {"a": "x", "b": "z"}, False, False),
        ({"a": "x", "b": "y"}, {"a": "x", "c": "y"}, False, False),
        ({"a": ["x", {"k": "v"}]}, {"a": ["x", {"k": "w"}]}, False, False),
        ({"a": "1"}, {"a": 1}, False, False),
        ({"a": "x"}, {"a": _Text("x")}, True, True),  # a str subclass value is its str
    ],
)
def test_strings_compare_alike_in_and_out_of_order(
    a: Any, b: Any, unordered: bool, ordered: bool
) -> None:
    # same_in_order compares two strs inline; these hold it to same_scalar's answer
    assert same_value(a, b) is unordered and same_value(b, a) is unordered
    assert same_in_order(a, b) is ordered and same_in_order(b, a) is ordered


def test_first_difference_names_the_key_path() -> None:
    assert first_difference({"a": {1: [0, 0.0]}}, {"a": {1: [0, -0.0]}}) == ("a", 1, 1)
    assert first_difference({"a": {1: "x"}}, {"a": {True: "x"}}) == ("a", True)
    assert first_difference({"a": None}, {}) == ("a",)
    assert first_difference({}, {"a": None}) == ("a",)
    assert first_difference([1, 2], [1, 2, 3]) == ()


def test_exact_keys_and_tokens() -> None:
    exact = ExactKeys({1: "int", "s": "str", 0.0: "zero"})
    assert exact.get(1) == "int"
    assert exact.get(True) is None
    assert exact.get(1.0) is None
    assert exact.get(-0.0) is None
    assert exact.get(0.0) == "zero"
    assert "s" in exact and "t" not in exact
    assert len({key_token(k) for k in (1, 1.0, True, 0.0, -0.0, "1", None)}) == 7


def test_same_value_on_self_referencing_data_ends() -> None:
    loop: list[Any] = []
    loop.append(loop)
    other: list[Any] = []
    other.append(other)
    assert same_value(loop, other) is False  # past the depth ceiling nothing is "the same"
    assert first_difference(loop, other) is not None


# -- item 10: values no file can hold, refused with their key path ----------------------------


class Color(enum.IntEnum):
    RED = 1
    BLUE = 2


class Ratio(float):
    def __repr__(self) -> str:
        return "Ratio!"


class Name(str):
    def __str__(self) -> str:
        return "not this"


class Stamp(dt.datetime):
    pass


@pytest.mark.parametrize(
    ("value", "written", "reads"),
    [
        (Color.BLUE, "2", 2),
        (Ratio(1.5), "1.5", 1.5),
        (Name("plain"), "plain", "plain"),
        (Stamp(2024, 5, 6, 7, 8, 9), "2024-05-06 07:08:09", dt.datetime(2024, 5, 6, 7, 8, 9)),
        (dt.date(2024, 5, 6), "2024-05-06", dt.date(2024, 5, 6)),
    ],
)
def test_subclass_values_are_written_as_their_base_value(
    value: Any, written: str, reads: Any
) -> None:
    doc = fq.loads("---\na: 0\nb: 1\n---\n")
    doc["a"] = value
    out = doc.dumps()
    assert out == f"---\na: {written}\nb: 1\n---\n"
    assert typed(reparse(out)) == typed({"a": reads, "b": 1})
    assert doc["a"] is value  # the data keeps the caller's object


def test_int_enum_key_and_unchanged_enum_value() -> None:
    doc = fq.loads("---\na: 1\n---\n")
    doc["a"] = Color.RED  # the same value as before: nothing to write
    assert doc.dumps() == "---\na: 1\n---\n"
    doc[Color.BLUE] = "blue"
    assert doc.dumps() == "---\na: 1\n2: blue\n---\n"


def test_bytes_key_is_written_as_binary() -> None:
    doc = fq.loads("---\na: 1\n---\n")
    doc[b"xyz"] = 5
    assert doc.dumps() == "---\na: 1\n? !!binary |\n  eHl6\n: 5\n---\n"


def deep_list(levels: int) -> list[Any]:
    root: list[Any] = []
    current = root
    for _ in range(levels - 1):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    return root


# A UTC offset with seconds: Python allows it, a YAML timestamp cannot say it.
_OFFSET_30S = dt.timezone(dt.timedelta(seconds=30))


def self_referencing() -> list[Any]:
    loop: list[Any] = [1]
    loop.append(loop)
    return loop


DIGITS = "(Python's limit, sys.get_int_max_str_digits())"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (self_referencing, "a[1]: the value contains itself (a list or dict inside itself)"),
        (
            lambda: {"k": [self_referencing()]},
            "a.k[0][1]: the value contains itself (a list or dict inside itself)",
        ),
        (
            lambda: deep_list(1000),
            "a" + "[0]" * 63 + ": nested deeper than 64 levels (the depth limit)",
        ),
        (
            lambda: deep_list(64),
            "a" + "[0]" * 63 + ": nested deeper than 64 levels (the depth limit)",
        ),
        (lambda: 10**5000, f"a: cannot write an int value with more than 4300 digits {DIGITS}"),
        (
            lambda: {"n": [object()]},
            "a.n[0]: cannot write a value of type object to YAML front matter",
        ),
        (lambda: {(1, 2): 1}, "a: cannot write a key of type tuple to YAML front matter"),
        (lambda: {10**5000: 1}, f"a: cannot write an int key with more than 4300 digits {DIGITS}"),
        (lambda: {1, 2}, "a: cannot write a value of type set to YAML front matter"),
        (
            lambda: {"n": [1, dt.datetime(2024, 1, 1, tzinfo=_OFFSET_30S)]},
            "a.n[1]: cannot write this value to YAML front matter: YAML offsets are whole "
            "minutes, not 0:00:30",
        ),
        (
            lambda: {dt.datetime(2024, 1, 1, tzinfo=_OFFSET_30S): 1},
            'a."2024-01-01 00:00:00+00:00:30": cannot write this key to YAML front matter: '
            "YAML offsets are whole minutes, not 0:00:30",
        ),
    ],
    ids=[
        "self-reference",
        "nested-self-reference",
        "1000-deep",
        "65-deep",
        "huge-int",
        "object",
        "tuple-key",
        "huge-int-key",
        "set",
        "offset-with-seconds",
        "offset-with-seconds-key",
    ],
)
def test_unwritable_data_is_refused_with_its_key_path(
    make: Callable[[], Any], message: str
) -> None:
    doc = fq.loads("---\na: 1\nb: 2\n---\n")
    doc["a"] = make()
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.dumps()
    assert type(caught.value) is errors.UnrepresentableValueError
    # what no format can write is refused before anything walks the data ("nothing was
    # written"); a type YAML has no spelling for, by the YAML format in its own words
    ending = "" if "YAML front matter" in message else "; nothing was written"
    assert caught.value.message == message + ending
    assert (caught.value.path, caught.value.line, caught.value.column) == (None, None, None)


def test_depth_limit_is_the_limits_max_depth() -> None:
    text = "---\na: 1\n---\n"
    doc = fq.loads(text, limits=fq.Limits(max_depth=3))
    doc["a"] = [[1]]  # the root mapping, a, a.0: three levels
    assert doc.dumps() == "---\na:\n- - 1\n---\n"
    doc["a"] = [[[1]]]
    with pytest.raises(errors.UnrepresentableValueError, match=r"^<string>: a\[0\]\[0\]: nested"):
        doc.dumps()


def test_node_limit_applies_to_written_data() -> None:
    doc = fq.loads("---\na: 1\n---\n", limits=fq.Limits(max_nodes=50))
    doc["a"] = list(range(100))
    with pytest.raises(errors.UnrepresentableValueError, match="more than 50 keys and values"):
        doc.dumps()


def test_node_limit_counts_as_the_parser_counts() -> None:
    """A file at the node limit loads, and its data (with a changed value) is written."""
    # the root, a, its mapping, b, [1, 2] (three), c, {d: 3} (three): 11 nodes
    text = "---\na:\n  b: [1, 2]\n  c: {d: 3}\n---\n"
    limits = fq.Limits(max_nodes=11)
    doc = fq.loads(text, limits=limits)
    doc["a"]["c"]["d"] = 4
    assert doc.dumps() == text.replace("d: 3", "d: 4")
    doc["a"]["c"]["e"] = 5
    with pytest.raises(errors.UnrepresentableValueError, match="more than 11 keys and values"):
        doc.dumps()
    with pytest.raises(errors.AliasLimitError):
        fq.loads(text, limits=fq.Limits(max_nodes=10))


def test_nothing_is_written_for_unwritable_data(tmp_path: Any) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\na: 1\n---\n", encoding="utf-8")
    doc = fq.load(path)
    doc["a"] = self_referencing()
    with pytest.raises(errors.UnrepresentableValueError):
        fq.dump(doc)
    assert path.read_text(encoding="utf-8") == "---\na: 1\n---\n"


def test_deepest_allowed_nesting_loads_edits_and_dumps_without_recursion_error() -> None:
    """At the depth ceiling every walk (parse, diff, render, verify) stays within the stack."""
    limits = fq.Limits(max_depth=DEPTH_CEILING)
    levels = DEPTH_CEILING - 1  # the root mapping is one level
    block = "".join("  " * i + "k:\n" for i in range(levels - 1)) + "  " * (levels - 1) + "k: 1\n"
    doc = fq.loads(f"---\n{block}---\n", limits=limits)
    inner = doc.data
    for _ in range(levels - 1):
        inner = inner["k"]
    inner["k"] = 2
    inner["new"] = "x"
    out = doc.dumps()
    assert out.endswith("  " * (levels - 1) + "k: 2\n" + "  " * (levels - 1) + "new: x\n---\n")
    doc = fq.loads("---\na: 1\n---\n", limits=limits)
    doc["a"] = deep_list(levels)
    assert fq.loads(doc.dumps(), limits=limits)["a"] == deep_list(levels)
    doc["a"] = deep_list(levels + 1)
    with pytest.raises(errors.UnrepresentableValueError, match="nested deeper than 200 levels"):
        doc.dumps()


def test_max_depth_cannot_exceed_the_ceiling() -> None:
    with pytest.raises(ValueError, match=f"max_depth must be between 1 and {DEPTH_CEILING}"):
        fq.Limits(max_depth=DEPTH_CEILING + 1)
    with pytest.raises(ValueError):
        fq.Limits(max_depth=0)


def test_aliases_cannot_nest_data_past_the_depth_limit() -> None:
    """Each anchored value nests 11 lists around an alias of the one before: the alias on line
    7 (``*a4``, 55 levels deep itself, inside 12) would make the data 67 levels deep."""
    lines = [
        f"a{i}: &a{i} " + "[" * 11 + (f"*a{i - 1}" if i else "1") + "]" * 11 for i in range(20)
    ]
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads("---\n" + "\n".join(lines) + "\n---\n")
    assert (caught.value.line, caught.value.column) == (7, 20)
    assert caught.value.message == (
        "collections nested deeper than 64 levels (through the alias *a4)"
    )


def test_to_python_of_alias_heavy_tree_is_iterative() -> None:
    lines = [f"a{i}: &a{i} [[[" + (f"*a{i - 1}" if i else "1") + "]]]" for i in range(20)]
    limits = fq.Limits(max_depth=DEPTH_CEILING)
    doc = fq.loads("---\n" + "\n".join(lines) + "\n---\n", limits=limits)
    value = doc["a19"]
    for _ in range(60):
        value = value[0]
    assert value == 1
    assert to_python(doc._parsed.root) == doc.data  # type: ignore[attr-defined]


def test_int_digit_limit_follows_python() -> None:
    assert sys.get_int_max_str_digits() == 4300  # the messages above name it


def test_to_dict_copies_deep_and_self_referencing_data() -> None:
    doc = fq.loads("---\na: 1\n---\n")
    doc["a"] = deep_list(1000)
    doc["b"] = loop = self_referencing()
    shared = {"x": [1.5, dt.date(2024, 1, 1)]}
    doc["c"] = [shared, shared]
    copied = doc.to_dict()
    levels, inner = 1, copied["a"]
    while inner:
        assert inner is not doc["a"]
        levels, inner = levels + 1, inner[0]
    assert levels == 1000
    assert copied["b"][1] is copied["b"] and copied["b"] is not loop
    assert copied["c"][0] is copied["c"][1] and copied["c"][0] is not shared
    assert copied["c"][0] == shared


# -- the same guarantees in every format ------------------------------------------------------

FORMAT_TEXTS = {
    "yaml": "---\na: 1\n---\nbody\n",
    "toml": "+++\na = 1\n+++\nbody\n",
    "json": '{\n  "a": 1\n}\nbody\n',
}


def _deep_dict(levels: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    inner = root
    for _ in range(levels - 1):
        inner["k"] = {}
        inner = inner["k"]
    return root


@pytest.mark.parametrize("fmt", sorted(FORMAT_TEXTS))
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: deep_list(1000), "a" + "[0]" * 63 + ": nested deeper than 64 levels"),
        (lambda: _deep_dict(1000), "a" + ".k" * 63 + ": nested deeper than 64 levels"),
        (self_referencing, "a[1]: the value contains itself"),
        (lambda: 10**5000, "a: cannot write an int value with more than 4300 digits"),
    ],
    ids=["1000-deep-list", "1000-deep-dict", "self-reference", "huge-int"],
)
def test_what_no_format_can_write_is_refused_the_same_in_every_format(
    fmt: str, make: Callable[[], Any], message: str
) -> None:
    """One check before any format walks the data: the same refusal, the same words, for YAML,
    TOML and JSON (no RecursionError or ValueError from a format's own walk)."""
    doc = fq.loads(FORMAT_TEXTS[fmt])
    doc["a"] = make()
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.dumps()
    assert caught.value.message.startswith(message)
    assert caught.value.message.endswith("; nothing was written")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("yaml", "---\na: 1\nb: 1.5\n---\nbody\n"),
        ("toml", "+++\na = 1\nb = 1.5\n+++\nbody\n"),
        ("json", '{\n  "a": 1,\n  "b": 1.5\n}\nbody\n'),
    ],
)
def test_int_enum_and_float_subclass_values_are_written_as_their_plain_values(
    fmt: str, expected: str
) -> None:
    class Level(enum.IntEnum):
        ONE = 1

    class Ratio(float):
        pass

    doc = fq.loads(FORMAT_TEXTS[fmt])
    doc["a"] = Level.ONE
    doc["b"] = Ratio(1.5)
    assert doc.dumps() == expected
