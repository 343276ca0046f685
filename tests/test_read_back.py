"""The verification re-read (``_data.read_data``) gives exactly what the full parser gives.

Every output is checked with this faster reader, so it must agree with ``to_python(parse())``
type for type on everything, and raise the full parser's own positioned error on everything it
does not handle itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKE_FILES, REAL_FILES, by_source, check_each
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from strategies import Generated, documents, examples, mutated

import frontmatter_qt as fq
from frontmatter_qt.engine import text as _text
from frontmatter_qt.engine.equality import same_value
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    AliasLimitError,
    DepthLimitError,
    DuplicateKeyError,
    FrontMatterError,
    UnsafeTagError,
    UnsupportedYAMLError,
    YAMLSyntaxError,
)
from frontmatter_qt.formats.yaml import data as _data
from frontmatter_qt.formats.yaml import nodes as _nodes

LIMITS = Limits()


def full_read(front_matter: str, limits: Limits = LIMITS) -> Any:
    root = _nodes.parse(front_matter, limits)
    return None if root is None else _nodes.to_python(root)


def outcome(read: Any, front_matter: str, limits: Limits = LIMITS) -> Any:
    """("data", value) or ("error", class, message, offset)."""
    try:
        return ("data", read(front_matter, limits))
    except Located as exc:
        return ("error", exc.error_type, exc.message, exc.offset)


def assert_same_outcome(front_matter: str, limits: Limits = LIMITS) -> None:
    fast = outcome(_data.read_data, front_matter, limits)
    full = outcome(full_read, front_matter, limits)
    if fast[0] == "data" and full[0] == "data":
        assert same_value(fast[1], full[1]), (fast, full)
    else:
        assert fast == full


def front_matter_of(path: Path) -> str:
    return _text.split(path.read_bytes().decode("utf-8-sig")).front_matter


@pytest.mark.parametrize("paths", by_source(QUICKTAKE_FILES + REAL_FILES))
def test_corpus_reads_the_same(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        assert_same_outcome(front_matter_of(path))

    check_each(paths, check)


@examples(150)
@given(documents(allow_empty=True, avoid_known_bugs=False))
def test_generated_front_matter_reads_the_same(gen: Generated) -> None:
    assert_same_outcome(gen.front_matter)


@examples(300)
@given(mutated(st.sampled_from([p.read_bytes() for p in QUICKTAKE_FILES[:12]])))
def test_mutated_front_matter_reads_the_same(raw: bytes) -> None:
    try:
        front_matter = _text.split(raw.decode("utf-8")).front_matter
    except (UnicodeDecodeError, FrontMatterError):
        return
    assert_same_outcome(front_matter)


@pytest.mark.parametrize(
    ("front_matter", "error", "offset"),
    [
        ("a: 1\na: 2\n", DuplicateKeyError, 5),
        ("a: !!python/object:os.system x\n", UnsafeTagError, 3),
        ("<<: {a: 1}\n", UnsupportedYAMLError, 0),
        ("[1]: x\n", UnsupportedYAMLError, 0),
        ("a: [1\n", YAMLSyntaxError, 3),
        ("a: 1\n---\nb: 2\n", UnsupportedYAMLError, 5),
        ("a: !!timestamp 2024-02-30\n", YAMLSyntaxError, 3),
    ],
)
def test_refusals_are_the_full_parsers(front_matter: str, error: type, offset: int) -> None:
    with pytest.raises(Located) as caught:
        _data.read_data(front_matter, LIMITS)
    assert (caught.value.error_type, caught.value.offset) == (error, offset)
    assert_same_outcome(front_matter)


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        # Written like dates, but no real ones: read as the text they are (docs/guarantees.md).
        (
            "a: 2024-13-40\nb: 2024-02-30 10:00\nc: ! 2024-02-30\n",
            {"a": "2024-13-40", "b": "2024-02-30 10:00", "c": "2024-02-30"},
        ),
        ("a: &x 1\nb: *x\n", {"a": 1, "b": 1}),
        ("a: !!str 014\nb: ! 014\n", {"a": "014", "b": 14}),
        ("\ufeffa: 1\n", {"a": 1}),
        ("a: '1'\nb: 1\nc: 1.0\nd: true\ne: ~\nf: 2024-01-02\n", None),
        ("", None),
        ("# only a comment\n", None),
        ("a:\n  - [x, {y: 'z'}]\n  - |\n    text\n", None),
    ],
)
def test_readings(front_matter: str, expected: Any) -> None:
    if expected is not None:
        assert same_value(_data.read_data(front_matter, LIMITS), expected)
    assert_same_outcome(front_matter)


def test_limits_are_the_full_parsers() -> None:
    deep = "a: " + "[" * 70 + "]" * 70 + "\n"
    with pytest.raises(Located) as caught:
        _data.read_data(deep, LIMITS)
    assert caught.value.error_type is DepthLimitError
    wide = "a: [" + ", ".join("x" for _ in range(50)) + "]\n"
    with pytest.raises(Located) as caught:
        _data.read_data(wide, Limits(max_nodes=20))
    assert caught.value.error_type is AliasLimitError
    assert_same_outcome(wide, Limits(max_nodes=20))
    assert same_value(_data.read_data(wide, Limits(max_nodes=60)), full_read(wide))


def test_a_scalar_root_is_data_not_an_error() -> None:
    # The document layer turns a non-mapping root into NotAMappingError with its position.
    assert _data.read_data("just text\n", LIMITS) == "just text"
    doc = fq.loads("---\na: 1\n---\n")
    with pytest.raises(fq.errors.RoundTripError, match="must be a mapping") as caught:
        doc._verify("---\njust text\n---\n")
    assert (caught.value.line, caught.value.column) == (2, 1)


@pytest.mark.parametrize("path", QUICKTAKE_FILES[:12], ids=lambda p: p.name)
def test_plain_articles_need_no_node_tree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = full_read(front_matter_of(path))

    def no_full_parse(*_: Any) -> None:
        raise AssertionError("fell back to the full parser")

    monkeypatch.setattr(_data, "parse", no_full_parse)
    assert same_value(_data.read_data(front_matter_of(path), LIMITS), expected)


def test_memoised_scalars_keep_type_and_sign() -> None:
    import math

    text = "---\na: 0.0\nb: -0.0\nc: 1.0\nd: 1\ne: true\nf: 2024-01-02\ng: 0.0\n---\n"
    for _ in range(2):  # the second load reads from the memos
        data = fq.loads(text).data
        assert [type(data[k]) for k in "abcdefg"] == [
            float,
            float,
            float,
            int,
            bool,
            type(data["f"]),
            float,
        ]
        assert math.copysign(1, data["a"]) == 1 and math.copysign(1, data["b"]) == -1
        assert str(data["f"]) == "2024-01-02"


def test_an_invalid_scalar_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(YAMLSyntaxError) as caught:
            fq.loads("---\na: !!timestamp 2024-02-30\n---\n")
        assert (caught.value.line, caught.value.column) == (2, 4)


def test_forget_all_empties_every_memo_of_the_engine() -> None:
    from frontmatter_qt.engine.memo import _ALL, forget_all
    from frontmatter_qt.formats.yaml import patches as _patches
    from frontmatter_qt.formats.yaml import values as _values

    doc = fq.loads("---\na: 1\nb: x\n---\n")
    doc["b"] = "y"
    doc.dumps()
    memos = [_patches._EMITTED, _values._RESOLVED, _values._CONSTRUCTED]
    assert _patches._EMITTED.results and set(memos) <= set(_ALL)  # the edit was rendered
    forget_all()
    assert not any(memo.results for memo in _ALL)


# -- the verification's split check ------------------------------------------------------------

_OPENINGS = ["---\n", "---\r\n", "--- \t\n", "+++\n", "---yaml\n", "---toml\n", "---json\n"]
_CLOSINGS = ["---\n", "---\r\n", "...\n", "+++\n", "---", "--- \t\n", "...\r\n"]
_PIECES = [
    "a: 1", "\n", "\r\n", "---", "...", "+++", "--- x", "---\n", "\n---", "\n...", "\n+++",
    " ---", "\t", "é", "{", "# c", "",
]  # fmt: skip
_text_of_pieces = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@examples(3000)
@given(
    st.sampled_from(["", "\ufeff"]),
    st.sampled_from(_OPENINGS),
    _text_of_pieces,
    st.sampled_from(_CLOSINGS),
    _text_of_pieces,
    _text_of_pieces,
    _text_of_pieces,
    st.integers(0, 3),
)
def test_splits_as_is_what_split_says(
    bom: str,
    opening: str,
    front_matter: str,
    closing: str,
    body: str,
    new_front_matter: str,
    new_body: str,
    change: int,
) -> None:
    """The law: ``splits_as(text, like, fm, body)`` is ``split(text) == like`` with ``fm`` and
    ``body`` in place, for texts that are those parts joined (the verification's case) and
    texts that are not (one changed at either end, or cut short)."""
    try:
        like = _text.split(bom + opening + front_matter + closing + body)
    except FrontMatterError:
        return
    joined = like.bom + like.opening + new_front_matter + like.closing + new_body
    text = [joined, joined + "x", "x" + joined, joined[:-1]][change]
    try:
        again = _text.split(text)
    except FrontMatterError:
        again = None
    wanted = _text.Split(
        like.bom, like.opening, new_front_matter, like.closing, new_body, like.newline, like.format
    )
    answer = _text.splits_as(text, like, new_front_matter, new_body)
    if currently_in_test_context():  # --hypothesis-show-statistics: both answers are met
        event(f"splits_as: {answer}, split: {'same' if again == wanted else 'other'}")
    # a bare JSON object (no opening line) is never answered for: the full split decides
    assert answer is (again == wanted and like.opening != ""), (like, again)
