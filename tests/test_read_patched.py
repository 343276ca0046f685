"""The verification of an edit that re-reads only the touched entries (``_data.read_patched``)
agrees with the full re-read (``_data.read_data``) whenever it answers.

``read_patched`` answers with data or says it cannot tell (None: the document then re-reads the
whole text, so errors and refusals are the full re-read's). The law checked here: when it
answers, the full re-read of the same text succeeds and gives the same data, type for type and
in the same key order. It is checked on the engine's own edits of generated front matter, on
hostile texts spliced into generated and corpus front matter (unclosed quotes and brackets,
document markers, keys pulled onto a line, block indicators, anchors...), and on every corpus
file; and the fast path is shown to be taken where it should be (else it would prove nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKE_FILES, REAL_FILES, by_source, check_each
from hypothesis import assume, event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from strategies import (
    KEY_STEP,
    TRICKY_STRINGS,
    Generated,
    documents,
    examples,
    get_path,
    in_turn,
    leaf_paths,
    new_keys,
    scalar_values,
    set_path,
    values,
)

import frontmatter_qt as fq
from frontmatter_qt.engine import text as _text
from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch, apply
from frontmatter_qt.errors import FrontMatterError
from frontmatter_qt.formats.yaml import data as _data
from frontmatter_qt.formats.yaml import nodes as _nodes

LIMITS = Limits()


def answers(
    source: str, patches: list[Patch], limits: Limits = LIMITS, turn: int | None = None
) -> bool:
    """Whether ``read_patched`` answers for these patches; when it does, the full re-read
    must give the same data in the same order (the law). ``turn``: the default profile
    checks every ``MISS_STEP``-th near miss from ``turn`` on (see the corpus test), not all."""
    try:
        root = _nodes.parse(source, limits)
    except Located:
        return False
    text = apply(source, patches)
    fast = _data.read_patched(source, root, patches, text, limits)
    if currently_in_test_context():  # how often it answers: --hypothesis-show-statistics
        event(f"read_patched answered: {fast is not None}")
    if fast is None:
        return False
    full = _data.read_data(text, limits)  # raising here would break the law too
    assert type(full) is dict
    assert same_in_order(fast, full), (fast, full)
    # reads_patched_as answers whether read_patched's data is the wanted data, comparing the
    # untouched entries' tree nodes directly: it must agree with same_in_order on that data,
    # for the data itself and for wanted data that differs in one place or in key order
    misses = _near_misses(full)
    if turn is not None:
        misses = in_turn(misses, turn, MISS_STEP)
    for wanted in [full, *misses]:
        answer = _data.reads_patched_as(source, root, patches, text, limits, wanted)
        assert answer is same_in_order(fast, wanted), (fast, wanted)
    return True


_CHANGED = "\x00changed"
# A file with k keys has about 2k near misses for each of its k edits (k² checks, most of the
# corpus test's time): under the default profile the corpus test checks one in MISS_STEP of
# them, a different slice at each edit, so a file edited eight times or more has every near
# miss checked at one of its edits; under full and long, all of them at every edit.
MISS_STEP = 8


def _near_misses(data: dict[Any, Any]) -> list[dict[Any, Any]]:
    """Data that differs from ``data`` in one place: each top-level value replaced, a nested
    value replaced or an item added, a scalar's type changed, the first two keys swapped, a
    key dropped, a key added."""
    out: list[dict[Any, Any]] = []
    keys = list(data)
    for key in keys:
        value = data[key]
        out.append({**data, key: _CHANGED})
        if isinstance(value, dict) and value:
            inner = next(iter(value))
            out.append({**data, key: {**value, inner: _CHANGED}})
            out.append({**data, key: dict(reversed(list(value.items())))})
        elif isinstance(value, list):
            out.append({**data, key: [*value, _CHANGED]})
            if value:
                out.append({**data, key: [_CHANGED, *value[1:]]})
        elif isinstance(value, str):
            out.append({**data, key: [value]})
        elif isinstance(value, bool):
            out.append({**data, key: int(value)})
        elif isinstance(value, int):
            out.append({**data, key: float(value)})
    if len(keys) > 1:
        swapped = [keys[1], keys[0], *keys[2:]]
        out.append({key: data[key] for key in swapped})
        out.append({key: data[key] for key in keys[1:]})
    out.append({**data, _CHANGED: None})
    return out


def edit_patches(text: str, edit: Any) -> tuple[str, list[Patch]] | None:
    """The loaded front matter and the engine's patches for ``edit(doc.data)``."""
    doc = fq.loads(text)
    edit(doc.data)
    split = doc._split
    try:
        patches = doc._format.patches(split.front_matter, doc._parsed, doc.data, doc.newline)
    except FrontMatterError:
        return None
    return split.front_matter, patches


# -- the engine's own edits --------------------------------------------------------------------


@examples(600)
@given(documents(avoid_known_bugs=False), st.data())
def test_engine_edits_read_the_same(gen: Generated, data: st.DataObject) -> None:
    doc = fq.loads(gen.text)
    assume(doc.data)
    paths = leaf_paths(doc.data)
    kind = data.draw(st.sampled_from(["scalar", "subtree", "add", "delete", "several"]))
    new_values = scalar_values if kind == "scalar" else values
    chosen = [data.draw(st.sampled_from(paths))] if paths else []
    if kind == "several" and paths:
        chosen += data.draw(st.lists(st.sampled_from(paths), max_size=3))
    written = [data.draw(new_values) for _ in chosen]
    added = data.draw(new_keys)
    top = data.draw(st.sampled_from(list(doc.data)))

    def edit(intended: dict[Any, Any]) -> None:
        if kind == "add":
            intended[added] = written[0] if written else 1
        elif kind == "delete":
            del intended[top]
        else:
            for path, value in zip(chosen, written, strict=True):
                if path and isinstance(get_path(intended, path[:-1]), (dict, list)):
                    set_path(intended, path, value)

    found = edit_patches(gen.text, edit)
    if found is not None and found[1]:
        answers(*found)


@examples(300)
@given(documents(avoid_known_bugs=False), st.data())
def test_the_editors_answers_change_no_verdict(gen: Generated, data: st.DataObject) -> None:
    """reads_patched_as given the editor's EditPatches (its answers for the entries it found
    unchanged taken, not recomputed) says what it says given the bare patches: for the data
    the edit wanted and for data that differs from it in one place (sharing the other
    values' objects, so the editor's answers are offered for them)."""
    doc = fq.loads(gen.text)
    assume(doc.data)
    keys = list(doc.data)
    doc.data[data.draw(st.sampled_from(keys))] = data.draw(values)
    source = doc._split.front_matter
    try:
        patches = doc._format.patches(source, doc._parsed, doc.data, doc.newline)
    except FrontMatterError:
        return
    assert isinstance(patches, _data.EditPatches)
    assume(patches)
    root = doc._parsed.root
    text = apply(source, patches)
    bare = list(patches)
    for wanted in [doc.data, *_near_misses(doc.data)]:
        answer = _data.reads_patched_as(source, root, patches, text, LIMITS, wanted)
        assert answer is _data.reads_patched_as(source, root, bare, text, LIMITS, wanted)
    if patches.equal:  # the editor found unchanged entries: they were offered
        event("the editor's answers were offered")


@pytest.mark.parametrize("paths", by_source(QUICKTAKE_FILES + REAL_FILES, most=60))
def test_corpus_edits_read_the_same(paths: list[Path]) -> None:
    """Every top-level key of every corpus file (every other one under the default profile) set
    to a tricky string (each of them under the full profile), and a nested key set where there
    is a mapping: when the fast path answers, it agrees (with the full re-read always; with
    ``reads_patched_as`` on one near miss in ``MISS_STEP`` under the default profile, on all
    under full and long)."""

    def check(path: Path) -> None:
        raw = path.read_bytes()
        try:
            doc = fq.loads(raw)
        except FrontMatterError:
            return
        # the default profile: every other key, one of the strings per key, in turn (every
        # string meets every source many times); FQ_FUZZ_PROFILE=full or long: all of them on
        # every key
        for turn, key in enumerate(in_turn(list(doc.data), len(raw), KEY_STEP)):
            for value in in_turn(TRICKY_STRINGS, turn + len(raw), len(TRICKY_STRINGS)):

                def edit(data: dict[Any, Any], key: Any = key, value: Any = value) -> None:
                    if isinstance(data[key], dict) and data[key]:
                        data[key][next(iter(data[key]))] = value
                    else:
                        data[key] = value

                found = edit_patches(raw.decode("utf-8-sig"), edit)
                if found is not None and found[1]:
                    answers(*found, turn=turn)

    check_each(paths, check)


def test_the_fast_path_is_taken_on_the_articles() -> None:
    """A title edit, and a nested ``seo.title`` edit, of every QuickTakes article that has
    them are verified by the fast path (LF, CRLF and a BOM before the opening line alike)."""
    taken = 0
    for path in QUICKTAKE_FILES:
        raw = path.read_bytes()
        try:
            doc = fq.loads(raw)
        except FrontMatterError:
            continue
        if "title" not in doc.data or not isinstance(doc.data.get("seo"), dict):
            continue
        for edit in (
            lambda data: data.__setitem__("title", "Edited title"),
            lambda data: data["seo"].__setitem__("title", "Edited | title"),
        ):
            found = edit_patches(raw.decode("utf-8-sig"), edit)
            assert found is not None and found[1]
            assert answers(*found), path.name
            taken += 1
    assert taken >= 30


# -- hostile texts spliced into an entry ------------------------------------------------------

_HOSTILE_PIECES = [
    "a", "b c", " ", "  ", "\n", "\n ", "\n  ", "\r\n", ":", ": ", "#", " #c", "-", "- ",
    "'", '"', "''", "[", "]", "{", "}", ",", "|", "|+", "|-", ">", ">-", "|2", "&a ", "*a",
    "!!str ", "!x ", "%", "?", "? ", "\n---", "\n...", "\n--- ", "\n... x", "\t", "\\",
    "\nk: v", "\nk:", "\n- x", "1", "true", "~", "2024-01-02", "\u2028", "\x85", "\ufeff",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(_HOSTILE_PIECES), max_size=8).map("".join)


def splice(source: str, data: st.DataObject) -> list[Patch] | None:
    """A patch inside one top-level entry (after its ``key:``, or over it keeping it)."""
    try:
        root = _nodes.parse(source, LIMITS)
    except Located:
        return None
    if root is None or root.kind != _nodes.MAPPING or not root.pairs:
        return None
    index = data.draw(st.integers(0, len(root.pairs) - 1))
    key = root.pairs[index][0]
    end = root.pairs[index + 1][0].start if index + 1 < len(root.pairs) else len(source)
    head = source[key.start : key.end + 1]
    if data.draw(st.booleans()) or key.end + 1 > end:  # over the key, keeping its `key:`
        stop = data.draw(st.integers(key.start, end))
        return [Patch(key.start, stop, head + data.draw(hostile_text))]
    start = data.draw(st.integers(key.end + 1, end))
    stop = data.draw(st.integers(start, end))
    patches = [Patch(start, stop, data.draw(hostile_text))]
    if data.draw(st.booleans()) and index + 1 < len(root.pairs):  # and one in the next entry
        following = root.pairs[index + 1][0]
        after = following.end + 1
        last = root.pairs[index + 2][0].start if index + 2 < len(root.pairs) else len(source)
        if after <= last:
            at = data.draw(st.integers(after, last))
            patches.append(Patch(at, at, data.draw(hostile_text)))
    return patches


@examples(2000)
@given(documents(avoid_known_bugs=False), st.data())
def test_hostile_splices_in_generated_front_matter(gen: Generated, data: st.DataObject) -> None:
    patches = splice(gen.front_matter, data)
    if patches:
        answers(gen.front_matter, patches)


_ARTICLES = [
    _text.split(p.read_bytes().decode("utf-8-sig")).front_matter for p in QUICKTAKE_FILES[:15]
]


@examples(2000)
@given(st.sampled_from(_ARTICLES), st.data())
def test_hostile_splices_in_articles(source: str, data: st.DataObject) -> None:
    patches = splice(source, data)
    if patches:
        answers(source, patches)


# -- what it must leave to the full re-read ----------------------------------------------------


@pytest.mark.parametrize(
    ("source", "patch"),
    [
        # `...` ends the document alone; in place, the next key starts a second one
        ("a: 1\nb: 2\n", Patch(3, 4, "1\n...")),
        ("a: 1\nb: 2\n", Patch(3, 4, "1\n---")),
        # the entry no longer ends its line: the next key would join it
        ("a: 1\nb: 2\n", Patch(3, 5, "x ")),
        # an unclosed quote reads to the end of the text alone, and swallows the next key
        ("a: 1\nb: 2\n", Patch(3, 4, '"x')),
        # anchors and aliases: one entry may speak for another
        ("a: &x 1\nb: *x\n", Patch(6, 7, "2")),
        ("a: &x 1\nb: 2\n", Patch(6, 7, "3")),
        # an explicit document, a directive
        ("--- \na: 1\n", Patch(8, 9, "2")),
        ("%YAML 1.2\n---\na: 1\n", Patch(17, 18, "2")),
        # a deleted entry, a new key before the first, a key rewritten
        ("a: 1\nb: 2\n", Patch(0, 5, "")),
        ("a: 1\nb: 2\n", Patch(0, 0, "z: 0\n")),
        ("a: 1\nb: 2\n", Patch(0, 4, "c: 1")),
        # an indented top level, a flow one, an explicit key, a key spaced from its colon
        ("  a: 1\n  b: 2\n", Patch(5, 6, "2")),
        ("{a: 1}\n", Patch(4, 5, "2")),
        ("? a\n: 1\n", Patch(6, 7, "2")),
        ("a : 1\nb: 2\n", Patch(4, 5, "2")),
        # line breaks YAML sees and this module would not
        ("a: 1\nb: 2\n", Patch(3, 4, "1\u2028c: 3")),
        ("a: 1\rb: 2\n", Patch(3, 4, "2")),
        ("a: 1\nb: 2\n", Patch(3, 4, "x\x85y")),
        ("a: 1\nb: 2\n", Patch(3, 4, "x\ufeffy")),
    ],
)
def test_cases_left_to_the_full_re_read(source: str, patch: Patch) -> None:
    assert not answers(source, [patch])


@pytest.mark.parametrize(
    ("patches", "text", "full"),
    [
        # the same anchor in two touched entries: each reads alone, the whole text does not
        (
            [Patch(3, 4, "&x 1"), Patch(8, 9, "&x 2")],
            "a: &x 1\nb: &x 2\nc: 3\n",
            "duplicate anchor &x",
        ),
        # an anchor in one touched entry, its alias in another: the alias reads alone as
        # nothing it refers to (an error), so the entry is not taken alone either way
        ([Patch(3, 4, "&x 1"), Patch(8, 9, "*x")], "a: &x 1\nb: *x\nc: 3\n", None),
    ],
)
def test_anchors_in_touched_entries_are_left_to_the_full_re_read(
    patches: list[Patch], text: str, full: str | None
) -> None:
    """Found by test_hostile_splices_in_articles: ``: &a `` spliced into two entries read
    alone as two fine entries, while the text they make refuses to load."""
    source = "a: 1\nb: 2\nc: 3\n"
    assert apply(source, patches) == text
    root = _nodes.parse(source, LIMITS)
    assert _data.read_patched(source, root, patches, text, LIMITS) is None
    if full is None:
        assert _data.read_data(text, LIMITS) == {"a": 1, "b": 1, "c": 3}
    else:
        with pytest.raises(Located, match=full):
            _data.read_data(text, LIMITS)


@pytest.mark.parametrize(
    ("source", "patch", "expected"),
    [
        ("a: 1\nb: 2\n", Patch(3, 4, "3"), {"a": 3, "b": 2}),
        ("a: 1\nb: 2\n", Patch(3, 4, "|-\n  x\n  y"), {"a": "x\ny", "b": 2}),
        ("a: 1\r\nb: 2\r\n", Patch(9, 10, "[1, 2]"), {"a": 1, "b": [1, 2]}),
        ("# c\na:\n  x: 1\nb: 2\n", Patch(12, 13, "2\n  y: 3"), {"a": {"x": 2, "y": 3}, "b": 2}),
        ("a: 1\nb: 2\n", Patch(0, 4, "a:\n  - 1"), {"a": [1], "b": 2}),
        # new keys after the last entry read with it
        ("a: 1\nb: 2\n", Patch(10, 10, "c: 3\n"), {"a": 1, "b": 2, "c": 3}),
        ("a: 1\nb: 2\n", Patch(10, 10, "b: 3\n"), None),  # a duplicate: the full re-read's
    ],
)
def test_answers_with_the_data(source: str, patch: Patch, expected: Any) -> None:
    root = _nodes.parse(source, LIMITS)
    text = apply(source, [patch])
    found = _data.read_patched(source, root, [patch], text, LIMITS)
    assert found == expected
    if expected is not None:
        assert answers(source, [patch])


def test_node_limit_is_the_full_re_reads() -> None:
    """An edit that takes the text over the node limit is left to the full re-read (which
    refuses it); one just within it is answered."""
    source = "a: 1\nb: 2\n"
    patch = Patch(3, 4, "[1, 2, 3]")  # 5 nodes become 8
    text = apply(source, [patch])
    root = _nodes.parse(source, LIMITS)
    assert _data.read_patched(source, root, [patch], text, Limits(max_nodes=7)) is None
    assert _data.read_patched(source, root, [patch], text, Limits(max_nodes=8)) == {
        "a": [1, 2, 3],
        "b": 2,
    }
    with pytest.raises(Located):
        _data.read_data(text, Limits(max_nodes=7))


#: the characters the two expressions turn on, among ordinary ones
_LOCALITY_TEXT = st.lists(
    st.sampled_from(
        [*"-.%\n\r \tabé\x85\u2028\u2029\ufeff", "---", "...", "\r\n", "\n---", "\n...", "\n%"]
    ),
    max_size=20,
).map("".join)


@examples(1000)
@given(entry=_LOCALITY_TEXT)
def test_not_local_is_the_two_expressions(entry: str) -> None:
    """The substring screens before the expressions change no answer."""
    found = (
        _data._NOT_LOCAL.search(entry) is not None or _data._ODD_BREAKS.search(entry) is not None
    )
    assert _data.not_local(entry) is found


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("a: 1\n", False),
        ("---\n", True),
        ("a: 1\n...\n", True),
        ("a: 1\n...x\n", False),  # not a document end: `...` then text
        ("a: 1\n%YAML 1.2\n", True),
        ("a: 1\r\nb: 2\r\n", False),
        ("a: 1\rb: 2\n", True),
        ("a: é\n", False),
        ("a: x\u2028y\n", True),
        ("a: \ufeffx\n", True),
        ("a: ---\n", False),  # not at a line's start
    ],
)
def test_not_local_examples(entry: str, expected: bool) -> None:
    assert _data.not_local(entry) is expected
