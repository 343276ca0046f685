"""Issue 12, the YAML engine's half: the file follows the data's key order (the fewest entries
move, each with its own lines), new keys go where the data's order puts them, a key replaced in
place by a new key holding the same value is renamed (only its text changes), and a deleted key
takes its attached comments. Exact bytes here; properties in test_properties.py, the real corpus
in test_real_corpus.py."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from typing import Any

import pytest
from conftest import reparse, seed_text
from hypothesis import given
from hypothesis import strategies as st

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.order import _plan, longest_increasing, plan_mapping, same_keys


def reordered(mapping: dict[Any, Any], order: list[Any]) -> None:
    """``mapping`` rebuilt, in place, with its keys in ``order``."""
    items = dict(mapping)
    mapping.clear()
    mapping.update({key: items[key] for key in order})


def renamed(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    """``mapping`` rebuilt with ``new`` in ``old``'s place, holding its value (doc.rename)."""
    items = list(mapping.items())
    mapping.clear()
    mapping.update({(new if key == old else key): value for key, value in items})


def inserted(mapping: dict[Any, Any], key: Any, value: Any, after: Any = None) -> None:
    """``key`` added right after ``after`` (first when None): doc.insert's data operation."""
    items = list(mapping.items())
    mapping.clear()
    if after is None:
        mapping[key] = value
    for old, item in items:
        mapping[old] = item
        if old == after:
            mapping[key] = value


def edited(text: str, change: Callable[[dict[Any, Any]], Any]) -> str:
    doc = fq.loads(text)
    change(doc.data)
    out = doc.dumps()
    assert same_in_order(reparse(out), doc.data)  # the reference reads it, in order
    assert fq.loads(out).dumps() == out
    return out


TEXT = (
    "---\n"
    "# about a\n"
    "a: 1 # one\n"
    "b:\n"
    "  x: 1\n"
    "  # about y\n"
    "  y: 2\n"
    "\n"
    "# a section, set off by a blank line\n"
    "\n"
    "c: [1, 2]\n"
    "d: |\n"
    "  text\n"
    "---\n"
    "body\n"
)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # the fewest entries move: d alone, with its lines
            lambda d: reordered(d, ["d", "a", "b", "c"]),
            "---\nd: |\n  text\n# about a\na: 1 # one\nb:\n  x: 1\n  # about y\n  y: 2\n\n"
            "# a section, set off by a blank line\n\nc: [1, 2]\n---\nbody\n",
        ),
        (  # a moves with its comment line and its key-line comment; the section stays
            lambda d: reordered(d, ["b", "c", "a", "d"]),
            "---\nb:\n  x: 1\n  # about y\n  y: 2\n\n# a section, set off by a blank line\n\n"
            "c: [1, 2]\n# about a\na: 1 # one\nd: |\n  text\n---\nbody\n",
        ),
        (  # nested: y moves with its attached comment
            lambda d: reordered(d["b"], ["y", "x"]),
            TEXT.replace("  x: 1\n  # about y\n  y: 2\n", "  # about y\n  y: 2\n  x: 1\n"),
        ),
        (  # a moved entry's own edits are made inside the moved text
            lambda d: (reordered(d, ["b", "a", "c", "d"]), d.__setitem__("a", 5)),
            TEXT.replace(
                "# about a\na: 1 # one\nb:\n  x: 1\n  # about y\n  y: 2\n",
                "b:\n  x: 1\n  # about y\n  y: 2\n# about a\na: 5 # one\n",
            ),
        ),
        (  # swapping two entries moves one (the later), right after the key before it
            lambda d: reordered(d, ["a", "b", "d", "c"]),
            TEXT.replace("  y: 2\n", "  y: 2\nd: |\n  text\n").replace("]\nd: |\n  text\n", "]\n"),
        ),
        (  # a new key goes right after the key before it in the data's order
            lambda d: inserted(d, "new", 5, after="a"),
            TEXT.replace("a: 1 # one\n", "a: 1 # one\nnew: 5\n"),
        ),
        (  # first in the data: before the first key and its attached comment
            lambda d: inserted(d, "new", {"p": 1}),
            TEXT.replace("# about a\n", "new:\n  p: 1\n# about a\n"),
        ),
        (  # in a nested mapping, with its siblings' indentation
            lambda d: inserted(d["b"], "w", [1], after="x"),
            TEXT.replace("  x: 1\n", "  x: 1\n  w:\n  - 1\n"),
        ),
        (  # after an entry whose value is a nested mapping: after all its lines
            lambda d: inserted(d, "new", "v", after="b"),
            TEXT.replace("  y: 2\n", "  y: 2\nnew: v\n"),
        ),
        (  # a moved entry and a new one in one run, in the data's order
            lambda d: (inserted(d, "new", 0), reordered(d, ["c", "new", "a", "b", "d"])),
            TEXT.replace("# about a\n", "c: [1, 2]\nnew: 0\n# about a\n", 1).replace(
                "\nc: [1, 2]\nd:", "\nd:"
            ),
        ),
        (  # rename: only the key's text changes (comments, value, place kept)
            lambda d: renamed(d, "a", "alpha"),
            TEXT.replace("a: 1 # one", "alpha: 1 # one"),
        ),
        (  # a rename that needs quotes
            lambda d: renamed(d["b"], "y", "why: not"),
            TEXT.replace("  y: 2\n", "  'why: not': 2\n"),
        ),
        (  # a rename and a reorder elsewhere at once
            lambda d: (renamed(d, "a", "A"), reordered(d, ["A", "b", "d", "c"])),
            TEXT.replace("a: 1", "A: 1")
            .replace("  y: 2\n", "  y: 2\nd: |\n  text\n")
            .replace("]\nd: |\n  text\n", "]\n"),
        ),
        (  # a renamed key whose neighbours in the order changed is not recognised as a
            # rename: a new entry goes where the data's order puts it (the old one's comments
            # go); D keeps its neighbours (c before it, nothing after): renamed
            lambda d: (
                renamed(d, "a", "A"),
                renamed(d, "d", "D"),
                reordered(d, ["b", "c", "A", "D"]),
            ),
            "---\nb:\n  x: 1\n  # about y\n  y: 2\n\n# a section, set off by a blank line\n\n"
            "c: [1, 2]\nA: 1\nD: |\n  text\n---\nbody\n",
        ),
        (  # a deleted key takes its attached comment line
            lambda d: d.__delitem__("a"),
            TEXT.replace("# about a\na: 1 # one\n", ""),
        ),
        (  # a comment block set off by a blank line stays
            lambda d: d.__delitem__("c"),
            TEXT.replace("c: [1, 2]\n", ""),
        ),
    ],
    ids=[
        "move-last-to-front",
        "move-with-comments",
        "nested-move",
        "moved-and-edited",
        "swap",
        "insert-after",
        "insert-first",
        "insert-nested",
        "insert-after-nested-map",
        "moved-and-new-run",
        "rename",
        "rename-quoted",
        "rename-and-reorder",
        "rename-among-moved-neighbours",
        "delete-takes-attached-comment",
        "delete-leaves-set-off-comment",
    ],
)
def test_order_edits_are_exact(change: Any, expected: str) -> None:
    assert edited(TEXT, change) == expected


def test_rename_keeps_anchor_comment_and_value_bytes() -> None:
    text = "---\nbase: &b  # shared\n  k: 'v'   # quoted\nother: *b\nz: >-\n  folded\n  text\n---\n"
    out = edited(text, lambda d: (renamed(d, "base", "common"), renamed(d, "z", "zed")))
    assert out == text.replace("base: &b", "common: &b").replace("z: >-", "zed: >-")


def test_comment_lines_below_an_entry_indented_deeper_are_its_own() -> None:
    text = "---\ntags:\n  - a\n  # - b (commented out)\ndate: x\n---\n"
    assert edited(text, lambda d: reordered(d, ["date", "tags"])) == (
        "---\ndate: x\ntags:\n  - a\n  # - b (commented out)\n---\n"
    )
    assert edited(text, lambda d: d.__delitem__("tags")) == "---\ndate: x\n---\n"


LIST = "---\nl:\n- a: 1 # one\n  # about b\n  b: 2\n  c: 3\n---\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (  # the entry beside the dash stays; c moves up
            lambda d: reordered(d["l"][0], ["a", "c", "b"]),
            "---\nl:\n- a: 1 # one\n  c: 3\n  # about b\n  b: 2\n---\n",
        ),
        (  # a new first entry goes beside the dash
            lambda d: inserted(d["l"][0], "z", 0),
            "---\nl:\n- z: 0\n  a: 1 # one\n  # about b\n  b: 2\n  c: 3\n---\n",
        ),
        (  # a moves away: b moves up beside the dash, its comment on the dash line
            lambda d: reordered(d["l"][0], ["b", "c", "a"]),
            "---\nl:\n- # about b\n  b: 2\n  c: 3\n  a: 1 # one\n---\n",
        ),
        (  # c moves to the front, beside the dash
            lambda d: reordered(d["l"][0], ["c", "a", "b"]),
            "---\nl:\n- c: 3\n  a: 1 # one\n  # about b\n  b: 2\n---\n",
        ),
        (
            lambda d: renamed(d["l"][0], "a", "first"),
            "---\nl:\n- first: 1 # one\n  # about b\n  b: 2\n  c: 3\n---\n",
        ),
        (  # deleting the entry beside the dash: the next takes its place, with its comment
            lambda d: d["l"][0].__delitem__("a"),
            "---\nl:\n- # about b\n  b: 2\n  c: 3\n---\n",
        ),
    ],
    ids=["move-inside", "insert-first", "first-moves-away", "move-to-front", "rename", "delete"],
)
def test_mappings_in_list_items(change: Any, expected: str) -> None:
    assert edited(LIST, change) == expected


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (  # rename in a flow mapping: the key's text (a glued `"b":2` gets its space)
            '---\nm: {a: 1, "b":2, c: [3]}  # c\n---\n',
            lambda d: renamed(d["m"], "b", "z: q"),
            "---\nm: {a: 1, 'z: q': 2, c: [3]}  # c\n---\n",
        ),
        (  # a reordered flow mapping is written anew in flow style, in the data's order
            "---\nm: {a: 1, b: 2}  # c\n---\n",
            lambda d: reordered(d["m"], ["b", "a"]),
            "---\nm: {b: 2, a: 1}  # c\n---\n",
        ),
        (  # an explicit key (`? key`) is renamed in place too
            "---\n? a\n: 1\nb: 2\n---\n",
            lambda d: renamed(d, "a", "x"),
            "---\n? x\n: 1\nb: 2\n---\n",
        ),
        (  # a key that must be written `? key` is a new entry in the old one's place
            "---\na: 1 # c\nb: 2\n---\n",
            lambda d: renamed(d, "a", "k" * 130),
            f"---\n? {'k' * 130}\n: 1\nb: 2\n---\n",
        ),
        (  # the same value under a key of another type, in place: a rename
            "---\n1: x  # one\n2: y\n---\n",
            lambda d: renamed(d, 1, True),
            "---\ntrue: x  # one\n2: y\n---\n",
        ),
        (  # a new value with the new key is not a rename: the entry is replaced in place
            "---\na: 1 # c\nb: 2\n---\n",
            lambda d: (renamed(d, "a", "x"), d.__setitem__("x", 9)),
            "---\nx: 9\nb: 2\n---\n",
        ),
        (  # an alias value: a new entry (written out) in the old one's place
            "---\na: &v [1, 2]\nb: *v\nc: 3\n---\n",
            lambda d: renamed(d, "b", "x"),
            "---\na: &v [1, 2]\nx: [1, 2]\nc: 3\n---\n",
        ),
        (  # front matter opening with a BOM: the BOM stays first
            "---\n\ufeffa: 1\nb: 2\n---\n",
            lambda d: reordered(d, ["b", "a"]),
            "---\n\ufeffb: 2\na: 1\n---\n",
        ),
        (
            "---\r\na: 1\r\n# about b\r\nb: 2\r\n---\r\n",
            lambda d: reordered(d, ["b", "a"]),
            "---\r\n# about b\r\nb: 2\r\na: 1\r\n---\r\n",
        ),
        (  # anchors move freely where no alias reads them
            "---\na: &x 1\nb: 2\n---\n",
            lambda d: reordered(d, ["b", "a"]),
            "---\nb: 2\na: &x 1\n---\n",
        ),
        (  # a moved `|+` value goes past the blank line a moved-away entry leaves behind
            # (found by the order property test: it was refused, the line joining the value)
            "---\na: |+\n 0\nb: x\nc: y\nd: z\n\n---\n",
            lambda d: reordered(d, ["b", "d", "c", "a"]),
            "---\nb: x\nd: z\nc: y\n\na: |+\n 0\n---\n",
        ),
    ],
    ids=[
        "flow-rename",
        "flow-reorder",
        "explicit-key-rename",
        "rename-to-long-key",
        "rename-key-type",
        "not-a-rename",
        "alias-value",
        "bom",
        "crlf",
        "anchor-without-alias",
        "keep-block-past-moved-away-blank-line",
    ],
)
def test_order_edits_in_other_shapes(text: str, change: Any, expected: str) -> None:
    assert edited(text, change) == expected


def test_moving_an_alias_before_its_anchor_is_refused() -> None:
    doc = fq.loads("---\na: &x 1\nb: *x\nc: 2\n---\n")
    reordered(doc.data, ["b", "a", "c"])
    with pytest.raises(errors.RoundTripError, match="the entry 'b' would move, and it holds an"):
        doc.dumps()
    doc = fq.loads("---\na: &x 1\nb: *x\nc: 2\n---\n")
    reordered(doc.data, ["c", "a", "b"])  # c moves, the anchor and its alias stay
    assert doc.dumps() == "---\nc: 2\na: &x 1\nb: *x\n---\n"


def test_a_reorder_is_never_silently_ignored() -> None:
    """Before issue 12 a reordered mapping was written in the file's order, without a word."""
    doc = fq.loads(TEXT)
    reordered(doc.data, list(reversed(doc.data)))
    out = doc.dumps()
    assert list(reparse(out)) == ["d", "c", "b", "a"]
    reordered(doc.data["b"], ["y", "x"])
    assert list(reparse(doc.dumps())["b"]) == ["y", "x"]


def test_verification_compares_key_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor that wrote the right data in the wrong order would be caught before writing."""
    from frontmatter_qt.formats.yaml import edit as _edit

    def in_file_order(self: Any, node: Any, new: Any, plan: Any, inner: Any) -> list[Any]:
        return [patch for patches in inner.values() for patch in patches]

    monkeypatch.setattr(_edit.Editor, "arrange", in_file_order)
    doc = fq.loads("---\na: 1\nb: 2\n---\n")
    reordered(doc.data, ["b", "a"])
    doc["a"] = 5  # so that the output differs from the input, and is verified
    with pytest.raises(errors.RoundTripError, match="re-parse with its keys in another order"):
        doc.dumps()


def test_inserting_updated_after_date_in_the_seed_is_a_one_line_diff() -> None:
    """The issue's example (ruamel.yaml's round trip rewrites much of the file: see
    bench/compare_insert.py and docs/guarantees.md)."""
    seed = seed_text()
    doc = fq.loads(seed)
    inserted(doc.data, "updated", dt.date(2025, 1, 2), after="date")
    out = doc.dumps()
    diff = [
        line
        for line in difflib.unified_diff(seed.splitlines(), out.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == ["+updated: 2025-01-02"]
    assert out.split("\n")[3:5] == ["date: 2024-12-07", "updated: 2025-01-02"]


@pytest.mark.parametrize(
    ("values", "kept"),
    [
        ([], []),
        ([0, 1, 2], [0, 1, 2]),
        ([1, 0], [0]),  # a tie keeps the earlier position
        ([2, 0, 1], [1, 2]),
        ([3, 1, 2, 0, 4], [1, 2, 4]),
        ([4, 3, 2, 1, 0], [0]),
    ],
)
def test_longest_increasing(values: list[int], kept: list[int]) -> None:
    keep = longest_increasing(values)
    assert [i for i, k in enumerate(keep) if k] == kept


# Keys that Python's dict equality merges or tells apart in ways the plan must not follow.
_TRICKY_KEYS = st.sampled_from(
    ["a", "b", "1", 1, True, 1.0, 0.0, -0.0, float("nan"), None, dt.date(2024, 1, 1)]
)


def _distinct(keys: list[Any]) -> list[Any]:
    """Keys as a mapping holds them: no two equal under Python's dict equality."""
    out: dict[Any, None] = {}
    for key in keys:
        out.setdefault(key, None)
    return list(out)


@given(
    st.lists(_TRICKY_KEYS, max_size=8).map(_distinct),
    st.lists(_TRICKY_KEYS, max_size=8).map(_distinct),
    st.booleans(),
    st.booleans(),
)
def test_plan_mapping_shortcut_agrees_with_the_general_plan(
    keys: list[Any], other: list[Any], same: bool, renames: bool
) -> None:
    # plan_mapping answers the same keys in the same order without the general plan: the two
    # must agree everywhere (the same keys, other keys, type-exact near misses like 1 / True)
    new_keys = list(keys) if same else other
    renamable: Callable[[int, int], bool] = lambda i, j: renames  # noqa: E731
    assert plan_mapping(keys, new_keys, renamable) == _plan(keys, new_keys, renamable)


def test_plan_mapping_shortcut_is_type_exact() -> None:
    never: Callable[[int, int], bool] = lambda i, j: False  # noqa: E731
    assert plan_mapping([1, "a"], [1, "a"], never).unchanged
    assert not plan_mapping([1, "a"], [True, "a"], never).unchanged
    assert not plan_mapping([0.0], [-0.0], never).unchanged
    assert not plan_mapping(["a", "b"], ["b", "a"], never).unchanged
    # same_keys tells equal lists of exact strs with ==; a str subclass (== to its text, not
    # the same key type-exactly) and NaN (never == to another NaN) take the general loop
    subclass = type("Text", (str,), {})("a")
    assert plan_mapping(["a"], [subclass], never) == _plan(["a"], [subclass], never)
    assert not same_keys(["a"], [subclass]) and not same_keys([subclass], ["a"])
    assert same_keys(["a", "b"], ["a", "b"]) and not same_keys(["a"], ["a", "b"])
    assert same_keys([float("nan")], [float("nan")])
