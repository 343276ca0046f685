"""Fuzzing: every input either loads and round-trips exactly, or raises a FrontMatterError
subclass; never another exception type, never a hang, never output that re-parses to
different data.

Inputs are corpus files and generated documents, mutated at the byte level (truncation,
random bytes, stray ``---``, tabs, CR-only and mixed line endings, U+2028/U+0085/U+FEFF, huge
lines, deep nesting). ``FQ_FUZZ_PROFILE=long`` (``make fuzz``) runs far more examples; the
hypothesis deadline bounds the time of every example in both profiles.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from strategies import (
    container_paths,
    documents,
    examples,
    leaf_paths,
    mutated,
    reference_load,
    reparse,
    set_path,
    split_reference,
    typed,
)

import frontmatter_qt as fq
from frontmatter_qt.errors import FrontMatterError

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "quicktakes"
CORPUS_BYTES = [path.read_bytes() for path in sorted(CORPUS.glob("*.md"))]
corpus_bytes = st.sampled_from(CORPUS_BYTES)
generated_bytes = documents(allow_empty=True, avoid_known_bugs=False).map(
    lambda gen: gen.text.encode("utf-8")
)


# ---------------------------------------------------------------------------------------------
# The law for one input


def reference_reading(text: str) -> tuple[bool, Any]:
    """(accepted, data) as the reference reads the file's front matter."""
    found = split_reference(text)
    if found is None:
        return True, {}
    try:
        data = reference_load(found.front_matter)
    except Exception:  # any refusal of the reference
        return False, None
    return True, {} if data is None else data


def load_or_refuse(raw: bytes) -> fq.Document | None:
    """The document, or None when the engine refused it with a FrontMatterError."""
    try:
        return fq.loads(raw)
    except FrontMatterError as exc:
        assert str(exc)  # renders as path:line:column: message
        return None


def check_input(raw: bytes) -> None:
    """Load, round-trip, compare with the reference, then edit and check the output."""
    doc = load_or_refuse(raw)
    if doc is None:
        return
    assert doc.to_bytes() == raw
    text = raw.decode("utf-8")
    assert fq.loads(text).dumps() == text
    accepted, data = reference_reading(text)
    assert accepted, "the engine accepted front matter the reference parser refuses"
    assert typed(doc.data) == typed(data), "the engine reads different data than the reference"
    check_edit(doc, text)


def check_edit(doc: fq.Document, text: str) -> None:
    """One scalar set and one added key: the output re-parses to the intended data, or the
    engine refuses with a FrontMatterError."""
    intended = copy.deepcopy(doc.data)
    leaves = leaf_paths(doc.data)
    if leaves:
        path = leaves[len(text) % len(leaves)]
        set_path(doc.data, path, "fuzzed: value # not a comment")
        set_path(intended, path, "fuzzed: value # not a comment")
    maps = container_paths(doc.data, dict)
    target = maps[len(text) % len(maps)]
    new = {"added": ["one", 2, None], "when": "2024-12-07"}
    set_path(doc.data, (*target, "fuzz_added_key"), copy.deepcopy(new))
    set_path(intended, (*target, "fuzz_added_key"), new)
    try:
        out = doc.dumps()
    except FrontMatterError:
        return
    note(f"edited output: {out!r}")
    assert typed(reparse(out)) == typed(intended), "the output re-parses to different data"
    assert fq.loads(out).body == doc.body


# ---------------------------------------------------------------------------------------------
# Fuzz tests


@examples(300)
@given(mutated(corpus_bytes))
def test_mutated_corpus_files(raw: bytes) -> None:
    check_input(raw)


@examples(300)
@given(mutated(generated_bytes))
def test_mutated_generated_documents(raw: bytes) -> None:
    check_input(raw)


@examples(150)
@given(generated_bytes)
def test_generated_documents_unmutated(raw: bytes) -> None:
    check_input(raw)


@examples(200)
@given(st.binary(max_size=300).map(lambda b: b"---\n" + b) | st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    check_input(raw)


@examples(200)
@given(
    st.lists(
        st.sampled_from(
            [*"ab:- #'\"[]{},&*!|>?%@`\t\n\r", "---", "\n---\n", "\u2028", "\x85", "\ufeff"]
        ),
        max_size=80,
    ).map("".join)
)
def test_yaml_punctuation_soup(text: str) -> None:
    check_input(("---\n" + text + "\n---\nbody\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Resource limits: refused quickly, with the right error


def _timed_refusal(raw: bytes | str, error: type[FrontMatterError], seconds: float = 2.0) -> None:
    start = time.perf_counter()
    with pytest.raises(error):
        fq.loads(raw)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f}s to refuse"


def _front(body: str) -> str:
    return "---\n" + body + "\n---\nbody\n"


DEEP = 10_000
DEEP_BLOCK = 1_000  # block nesting needs deeper indentation on each line: keep it under 1 MB


@pytest.mark.parametrize(
    "front_matter",
    [
        "a: " + "[" * DEEP + "]" * DEEP,
        "a: " + "[" * DEEP,  # unclosed as well
        "a: " + "{a: " * DEEP + "1" + "}" * DEEP,
        "".join(" " * i + "a:\n" for i in range(DEEP_BLOCK)) + " " * DEEP_BLOCK + "a: 1",
        "a:\n" + "".join(" " * i + "-\n" for i in range(DEEP_BLOCK)) + " " * DEEP_BLOCK + "x",
        "a:\n" + "- " * DEEP + "x",
    ],
    ids=["flow-seq", "flow-seq-unclosed", "flow-map", "block-map", "block-seq", "compact-seq"],
)
def test_deep_nesting_raises_depth_limit_quickly(front_matter: str) -> None:
    _timed_refusal(_front(front_matter), fq.errors.DepthLimitError)
    _timed_refusal(_front(front_matter).encode("utf-8"), fq.errors.DepthLimitError)


def test_depth_limit_boundary() -> None:
    limit = fq.Limits().max_depth
    at_limit = "a: " + "[" * (limit - 1) + "]" * (limit - 1)  # the root mapping is one level
    assert fq.loads(_front(at_limit)).dumps() == _front(at_limit)
    over = "a: " + "[" * limit + "]" * limit
    with pytest.raises(fq.errors.DepthLimitError) as caught:
        fq.loads(_front(over))
    assert caught.value.line == 2


def test_fifty_megabytes_raises_size_limit_quickly() -> None:
    raw = b"---\ntitle: x\n---\n" + b"word " * (10 * 1024 * 1024)
    assert len(raw) > 50_000_000
    _timed_refusal(raw, fq.errors.SizeLimitError, seconds=1.0)
    _timed_refusal(raw.decode("ascii"), fq.errors.SizeLimitError, seconds=1.0)


def test_fifty_megabyte_front_matter_value_raises_size_limit_quickly() -> None:
    raw = b"---\ntitle: " + b"x" * 50_000_000 + b"\n---\n"
    _timed_refusal(raw, fq.errors.SizeLimitError, seconds=1.0)


def test_front_matter_over_its_own_limit() -> None:
    limits = fq.Limits()
    text = _front("title: " + "x" * limits.max_front_matter_chars)
    assert len(text.encode()) < limits.max_file_bytes
    _timed_refusal(text, fq.errors.SizeLimitError)
    body_only = "---\ntitle: x\n---\n" + "x" * limits.max_front_matter_chars * 2
    assert fq.loads(body_only).dumps() == body_only  # a large body is fine


def test_custom_limits_are_honoured() -> None:
    small = fq.Limits(max_file_bytes=100, max_front_matter_chars=50, max_depth=3)
    with pytest.raises(fq.errors.SizeLimitError):
        fq.loads(b"---\nt: x\n---\n" + b"b" * 100, limits=small)
    with pytest.raises(fq.errors.SizeLimitError):
        fq.loads(_front("t: " + "x" * 60), limits=small)
    with pytest.raises(fq.errors.DepthLimitError):
        fq.loads(_front("a: [[[1]]]"), limits=small)
    assert fq.loads(_front("a: [[1]]"), limits=small).data == {"a": [[1]]}


def test_billion_laughs_raises_alias_limit_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    _timed_refusal(_front("\n".join(lines)), fq.errors.AliasLimitError)


def test_too_many_aliases_raises_alias_limit() -> None:
    limit = fq.Limits().max_aliases
    lines = ["x: &x 1"] + [f"k{i}: *x" for i in range(limit + 1)]
    _timed_refusal(_front("\n".join(lines)), fq.errors.AliasLimitError)
    ok = ["x: &x 1"] + [f"k{i}: *x" for i in range(limit)]
    assert fq.loads(_front("\n".join(ok))).data["k0"] == 1


def test_node_limit() -> None:
    limits = fq.Limits(max_nodes=50)
    with pytest.raises(fq.errors.AliasLimitError):
        fq.loads(_front("a: [" + ", ".join(["1"] * 60) + "]"), limits=limits)


def test_huge_line_in_body_and_value_round_trips() -> None:
    value = "word " * 100_000
    text = "---\ntitle: " + value.strip() + "\n---\n" + "y" * 1_000_000 + "\n"
    start = time.perf_counter()
    doc = fq.loads(text)
    assert doc.dumps() == text
    doc["title"] = "short"
    out = doc.dumps()
    assert out == "---\ntitle: short\n---\n" + "y" * 1_000_000 + "\n"
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------------------
# Engine bugs found by fuzzing (fixed; kept as regressions)


# Regression (was an engine bug): YAML reads a lone CR as a line break, the editor finds lines by
# LF, so an entry added after a block scalar ending in `\r` landed inside the next key's span and
# fq.dumps raised ValueError (overlapping patches). Found by test_mutated_generated_documents
# (long profile). Edits of such front matter are now refused with a position.
def test_edit_of_front_matter_with_a_lone_cr_is_refused_with_its_position() -> None:
    raw = b"---\nid:\n  answer: |2-\n    0 1\r  x: 1\rtags:\r- 97068\n---\nbody\n"
    doc = fq.loads(raw)
    assert doc.dumps().encode() == raw
    doc["id"]["new"] = 1
    with pytest.raises(fq.errors.RoundTripError, match="lone CR") as caught:
        doc.dumps()
    assert (caught.value.line, caught.value.column) == (4, 8)


# The input the long profile found (fq.dumps raised ValueError on it).
LONE_CR_FOUND_BY_FUZZING = (
    b"---\n"
    b"# c1:\n"
    b"\n"
    b"title: MMM DD, YYYY\n"
    b"\n"
    b"# c2:0\n"
    b"id:\n"
    b'  date: {id: 0o17, \xd0\xba\xd0\xbb\xd1\x8e\xd1\x87: 0o17, b: "000000"}\n'
    b"\n"
    b"  # c3:0000000\n"
    b"  title: |1   # c4:000000000\n"
    b"   0\n"
    b"   00\n"
    b"   0000\n"
    b"   0000\n"
    b"  # c5:H0\xe7\x99\x8c00040#07'\n"
    b"\n"
    b"  related: |+\n"
    b"    00000000   \n"
    b"\n"
    b"    0 00\n"
    b"\n"
    b"    000 00000000\n"
    b"    0 00 000000\n"
    b"\n"
    b"  answer: |2-\r\n"
    b"    0 FS0\xe7\x99\x8c \xe8\x82\x9d69U0YTT\r\n"
    b"    00 00 00000 0000000   \rtags:\r- 97068\r\n"
    b"- 014\n"
    b"- Posted on # c6:\r\n"
    b"date:  '0000000000'\r\n"
    b"\r\n"
    b'x_y:  "\\n\\n"   \r\n'
    b"---\r\n"
)


def test_the_lone_cr_input_found_by_fuzzing_is_loaded_and_its_edit_refused() -> None:
    check_input(LONE_CR_FOUND_BY_FUZZING)


# Regression (was an engine bug): an unedited document whose front matter holds aliases and a
# lone CR was re-rendered in part (the walk into collections holding aliases misread the lone
# CR), so loads(t).dumps() != t. Found by test_mutated_generated_documents (long profile).
def test_unedited_document_with_aliases_and_a_lone_cr_is_its_own_text() -> None:
    raw = (
        b"---\nid:\n- title: &a0 QuickTakes\ndate: *a0\nseo:\n- title:\n    title: *a0\n"
        b"  date:\n    title: | # c4:\n     0\r- QuickTakes # c5:\ntags: x\n---"
    )
    assert fq.loads(raw).to_bytes() == raw


def test_a_lone_cr_in_the_body_does_not_stop_edits() -> None:
    doc = fq.loads(b"---\na: 1\n---\nold\rmac\r\n")
    doc["a"] = 2
    assert doc.to_bytes() == b"---\na: 2\n---\nold\rmac\r\n"


def test_overlapping_patches_are_a_refusal_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from frontmatter_qt.engine.patch import Patch
    from frontmatter_qt.formats.yaml.edit import Editor

    def overlapping(self: Any, root: Any, data: Any) -> list[Any]:
        return [Patch(0, 3, "x"), Patch(1, 2, "y")]

    monkeypatch.setattr(Editor, "diff_root", overlapping)
    doc = fq.loads("---\na: 1\n---\n")
    doc["a"] = 2
    with pytest.raises(fq.errors.RoundTripError, match="could not place these edits"):
        doc.dumps()


# Regression (was an engine bug): an anchor defined twice (`&a` ... `&a`) is accepted; the
# reference loader (ruamel.yaml safe) refuses it with "found duplicate anchor". Found by
# test_mutated_generated_documents (long profile).
def test_duplicate_anchor_is_refused_like_the_reference() -> None:
    raw = b"---\na: &x 1\nb: &x 2\nc: *x\n---\n"
    assert not reference_reading(raw.decode())[0]
    with pytest.raises(FrontMatterError):
        fq.loads(raw)


# Regression (was an engine bug): a control character in the front matter (U+0001-U+0008, U+000B,
# U+000C, U+000E-U+001F, U+007F-U+0084, U+0086-U+009F, U+FFFE, U+FFFF) escapes from fq.loads as
# ruamel.yaml.reader.ReaderError, which is not a FrontMatterError (_nodes.parse only converts
# MarkedYAMLError). Found by test_mutated_corpus_files.
@pytest.mark.parametrize("char", ["\x04", "\x0b", "\x1b", "\x7f", "\x9f", "\ufffe"])
def test_control_character_in_front_matter_raises_front_matter_error(char: str) -> None:
    raw = ("---\ntitle: a" + char + "b\n---\nbody\n").encode("utf-8")
    with pytest.raises(FrontMatterError) as caught:
        fq.loads(raw)
    assert caught.value.line == 2
