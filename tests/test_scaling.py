"""Edit paths grow linearly with the front matter, in every format (issue 10, item 15; issue 14).

Not timed (timings belong in ``bench/bench_scaling.py``): each case counts the function calls
(Python and built-in) one load + edit + dumps makes at two sizes, and the larger must not cost
more than its share. A quadratic path (``items.index`` per deleted item, every patch checked
against every insertion point) shows as a count that grows four times when the size doubles.
Built-in calls count too: a loop over every statement per deleted table calls only ``len``
(the TOML deletion of many tables was quadratic and made no more Python calls than a linear one).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt.engine.order import pair_changes, shortest_edit
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.formats.yaml.edit import _settle, _Spans, _touches

LIMITS = fq.Limits(max_nodes=1_000_000)


def calls(
    make: Callable[[int], str], edit: Callable[[fq.Document], Any], n: int, lines: bool = False
) -> int:
    """Python and built-in calls; with ``lines``, Python lines run too (each turn of a loop,
    a comprehension's included: a scan that calls nothing per item counts). Lines are counted
    only where a case needs it: tracing them makes a case several times slower."""
    text = make(n)
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    def trace(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.setprofile(profile)
    if lines:
        sys.settrace(trace)
    try:
        doc = fq.loads(text, limits=LIMITS)
        edit(doc)
        out = doc.dumps()
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    assert out != text
    return count


def items(n: int) -> str:
    return "---\nl:\n" + "".join(f"- item {i}  # c{i}\n" for i in range(n)) + "---\n"


def dash_alone_items(n: int) -> str:
    return "---\nl:\n" + "".join(f"-\n  id: {i}\n" for i in range(n)) + "---\n"


def keys(n: int) -> str:
    return "---\n" + "".join(f"k{i}: {i}\n" for i in range(n)) + "---\n"


def toml_items(n: int) -> str:
    return "+++\nl = [\n" + "".join(f'  "item {i}",  # c{i}\n' for i in range(n)) + "]\n+++\n"


def toml_keys(n: int) -> str:
    return "+++\n" + "".join(f"k{i} = {i}\n" for i in range(n)) + "+++\n"


def toml_tables(n: int) -> str:
    return "+++\n" + "".join(f"[t{i}]\na = {i}\n\n" for i in range(n)) + "+++\n"


def toml_dotted(n: int) -> str:
    return "+++\n" + "".join(f"t{i}.a = {i}\nt{i}.b = 'x'\n" for i in range(n)) + "+++\n"


def toml_first_sections(n: int) -> str:
    """Each table's first section (``[tI.a]``) before every table's own (``[tI]``)."""
    firsts = "".join(f"[t{i}.a]\nx = {i}\n" for i in range(n))
    return "+++\n" + firsts + "".join(f"[t{i}]\ny = {i}\n" for i in range(n)) + "+++\n"


def toml_elements(n: int) -> str:
    return "+++\n" + "".join(f"[[l]]\nid = {i}\n" for i in range(n)) + "+++\n"


def json_items(n: int) -> str:
    return '{\n  "l": [\n' + ",\n".join(f'    "item {i}"' for i in range(n)) + "\n  ]\n}\n"


def json_keys(n: int) -> str:
    return "{\n" + ",\n".join(f'  "k{i}": {i}' for i in range(n)) + "\n}\n"


def every_other_item(doc: fq.Document) -> None:
    doc["l"] = doc["l"][1::2]


def item_after_each(doc: fq.Document) -> None:
    doc["l"] = [x for item in doc["l"] for x in (item, "new")]


def remove_first_append_one(doc: fq.Document) -> None:
    doc["l"] = [*doc["l"][1:], "end"]


def all_keys(doc: fq.Document) -> None:
    for key in list(doc):
        del doc[key]


def first_element_only(doc: fq.Document) -> None:
    doc["l"] = doc["l"][:1]


def every_other_key(doc: fq.Document) -> None:
    for key in list(doc.data)[::2]:
        del doc[key]


def many_new_keys(doc: fq.Document) -> None:
    for i in range(len(doc.data)):
        doc[f"n{i}"] = [i]


def reversed_items(doc: fq.Document) -> None:
    doc["l"] = doc["l"][::-1]


def reversed_keys(doc: fq.Document) -> None:
    entries = list(doc.data.items())[::-1]
    doc.data.clear()
    doc.data.update(entries)


def renamed_keys(doc: fq.Document) -> None:
    for key in list(doc.data)[::2]:
        doc.rename(key, f"r{key}")


def first_sections(doc: fq.Document) -> None:
    """Each table's first section deleted: every table's own section moves up to its place
    (a scan of every patch per table moved was quadratic)."""
    for key in list(doc.data):
        del doc[key]["a"]


def every_nested_value(doc: fq.Document) -> None:
    for item in doc["l"]:
        item["id"] = -item["id"]


@pytest.mark.parametrize(
    ("make", "edit"),
    [
        (items, every_other_item),
        (items, item_after_each),
        (items, remove_first_append_one),
        (keys, every_other_key),
        (keys, many_new_keys),
        (dash_alone_items, every_nested_value),
        (items, reversed_items),
        (keys, reversed_keys),
        (keys, renamed_keys),
        (toml_items, every_other_item),
        (toml_items, item_after_each),
        (toml_items, reversed_items),
        (toml_keys, every_other_key),
        (toml_keys, many_new_keys),
        (toml_keys, reversed_keys),
        (toml_keys, renamed_keys),
        (toml_tables, all_keys),
        (toml_dotted, all_keys),
        (toml_elements, first_element_only),
        (toml_tables, renamed_keys),
        (json_items, every_other_item),
        (json_items, item_after_each),
        (json_items, reversed_items),
        (json_keys, every_other_key),
        (json_keys, many_new_keys),
        (json_keys, reversed_keys),
        (json_keys, renamed_keys),
    ],
    ids=[
        "delete-every-other",
        "insert-after-each",
        "shift",
        "delete-keys",
        "add-keys",
        "set-all",
        "reverse-items",
        "reverse-keys",
        "rename-keys",
        "toml-delete-every-other",
        "toml-insert-after-each",
        "toml-reverse-items",
        "toml-delete-keys",
        "toml-add-keys",
        "toml-reverse-keys",
        "toml-rename-keys",
        "toml-delete-tables",
        "toml-delete-dotted-tables",
        "toml-delete-array-tables",
        "toml-rename-tables",
        "json-delete-every-other",
        "json-insert-after-each",
        "json-reverse-items",
        "json-delete-keys",
        "json-add-keys",
        "json-reverse-keys",
        "json-rename-keys",
    ],
)
def test_edit_cost_grows_linearly(
    make: Callable[[int], str], edit: Callable[[fq.Document], Any]
) -> None:
    small, large = calls(make, edit, 300), calls(make, edit, 1200)
    assert large <= 4.4 * small, (small, large)


def test_moving_many_tables_back_grows_linearly() -> None:
    """Every table's first section deleted, every table's own section moved up to its place:
    its edits were found by a scan of every patch made so far, which calls nothing per patch
    (a comprehension), so lines are counted too."""
    small = calls(toml_first_sections, first_sections, 300, lines=True)
    large = calls(toml_first_sections, first_sections, 1200, lines=True)
    assert large <= 4.4 * small, (small, large)


# -- the linear helpers agree with the obvious quadratic ones ---------------------------------


@st.composite
def patch_sets(draw: st.DrawFn) -> list[Patch]:
    """Non-overlapping patches: replacements, deletions and insertion points."""
    patches, pos = [], 0
    for _ in range(draw(st.integers(0, 8))):
        pos += draw(st.integers(0, 4))
        length = draw(st.sampled_from([0, 0, 1, 2, 5]))
        patches.append(Patch(pos, pos + length, draw(st.sampled_from(["", "x"]))))
        pos += length
    return patches


@examples(300)
@given(patch_sets(), st.integers(0, 40), st.integers(0, 12))
def test_spans_touch_like_the_linear_scan(patches: list[Patch], low: int, width: int) -> None:
    high = low + width
    assert _Spans(patches).touch(low, high) == any(_touches(p, low, high) for p in patches)


@st.composite
def settle_sets(draw: st.DrawFn) -> list[Patch]:
    """What ``_settle`` is given: non-overlapping deletions and replacements, and insertion
    points anywhere, also strictly inside them (a deletion that swallowed blank lines past
    a point, a value written anew that took the blank lines after it)."""
    spans = [p for p in draw(patch_sets()) if p.end > p.start]
    end = max((p.end for p in spans), default=0)
    points = [Patch(at, at, "new") for at in draw(st.lists(st.integers(0, end + 1), max_size=6))]
    return draw(st.permutations(spans + points))


def _past(end: int) -> int:
    """A stand-in for ``Geometry.after_line``: past every drawn patch."""
    return end + 100


@examples(300)
@given(settle_sets())
def test_settle_keeps_patches_clear_of_insertion_points(patches: list[Patch]) -> None:
    points = sorted(p.start for p in patches if p.start == p.end)
    moved = {
        at: _past(p.end)
        for p in patches
        if p.text and p.end > p.start
        for at in points
        if p.start < at < p.end
    }
    for before, after in zip(patches, _settle(patches, _past), strict=True):
        inside = [at for at in points if before.start < at < before.end]
        if inside and not before.text:  # a deletion stops at the first point inside it
            assert after == Patch(before.start, inside[0], "")
        elif before.start == before.end and before.start in moved:  # a point moves past
            assert after == Patch(moved[before.start], moved[before.start], before.text)
        else:
            assert after == before


def _lcs(a: list[int], b: list[int]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


small_lists = st.lists(st.integers(0, 3), max_size=9)


@examples(400)
@given(small_lists, small_lists, st.integers(0, 20))
def test_shortest_edit_is_shortest_and_correct(a: list[int], b: list[int], limit: int) -> None:
    path = shortest_edit(a, b, limit)
    distance = len(a) + len(b) - 2 * _lcs(a, b)
    if distance > limit:
        assert path is None
        return
    assert path is not None
    assert sum(1 for i, j in path if i is None or j is None) == distance
    assert [i for i, _ in path if i is not None] == list(range(len(a)))
    assert [j for _, j in path if j is not None] == list(range(len(b)))
    assert all(a[i] == b[j] for i, j in path if i is not None and j is not None)
    paired = pair_changes(path)
    assert [i for i, _ in paired if i is not None] == list(range(len(a)))
    assert [j for _, j in paired if j is not None] == list(range(len(b)))
