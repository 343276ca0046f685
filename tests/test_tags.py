"""Standard tags and plain scalars read as the reference reads them (issue 10, items 9 and 14).

The reference reading is ruamel.yaml's safe loader. Where it reads a text, the engine reads the
same data, type for type, and writes the text back unchanged. Where it fails, the engine raises
a ``FrontMatterError``: a malformed value of a standard tag (``!!bool maybe``, an empty
``!!int``, ``!!str`` on a list) is a ``YAMLSyntaxError`` at the position of the tagged value,
where the reference raises ``KeyError``, ``IndexError``, ``ValueError`` or its own errors.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, example, given, note
from hypothesis import strategies as st
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.parser import ParserError
from ruamel.yaml.scanner import ScannerError
from strategies import examples, reference_load, typed

import frontmatter_qt as fq
from frontmatter_qt import errors, keypath
from frontmatter_qt.formats.yaml.values import TIMESTAMP, real_date, resolve_plain


def load_both(front_matter: str) -> tuple[Any, BaseException | None, Any, BaseException | None]:
    """(reference data, reference error, engine data, engine error) for one front matter."""
    ours: Any = None
    our_error: BaseException | None = None
    reference: Any = None
    reference_error: BaseException | None = None
    try:
        reference = reference_load(front_matter)
    except Exception as exc:  # the reference fails in many ways; each is recorded
        reference_error = exc
    try:
        ours = fq.loads(f"---\n{front_matter}---\n")
    except errors.FrontMatterError as exc:
        our_error = exc
    return reference, reference_error, ours, our_error


# -- item 9: malformed standard-tag values ----------------------------------------------------


@pytest.mark.parametrize(
    ("front_matter", "line", "column", "message"),
    [
        ("a: !!bool maybe\n", 2, 4, "invalid !!bool value 'maybe'"),
        ("a: !!bool\n", 2, 4, "empty !!bool value"),
        ("a: !!int\n", 2, 4, "empty !!int value"),
        ("a: !!float\n", 2, 4, "empty !!float value"),
        ("a: !!int ''\n", 2, 4, "empty !!int value"),
        (
            "a: !!int 1.5\n",
            2,
            4,
            "invalid !!int value '1.5' (invalid literal for int() with base 10: '1.5')",
        ),
        (
            "a: !!float abc\n",
            2,
            4,
            "invalid !!float value 'abc' (could not convert string to float: 'abc')",
        ),
        (
            "a: !!timestamp x\n",
            2,
            4,
            "invalid !!timestamp value 'x' (failed to construct timestamp from \"x\")",
        ),
        (
            "a: !!timestamp 2024-02-30\n",
            2,
            4,
            "invalid !!timestamp value '2024-02-30' (day is out of range for month)",
        ),
        (
            "a: !!binary x\n",
            2,
            4,
            "invalid !!binary value 'x' (failed to decode base64 data: "
            "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a "
            "multiple of 4)",
        ),
        ("!!bool maybe: 1\n", 2, 1, "invalid !!bool value 'maybe'"),
        ("!!int '': 1\n", 2, 1, "empty !!int value"),
        (
            "a: [1, !!int x]\n",
            2,
            8,
            "invalid !!int value 'x' (invalid literal for int() with base 10: 'x')",
        ),
        ("a: {k: !!bool 2}\n", 2, 8, "invalid !!bool value '2'"),
        ("a:\n- !!float\n", 3, 3, "empty !!float value"),
        ("a: !!str [1]\n", 2, 4, "a !!str tag on a sequence"),
        ("a: !!int {b: 1}\n", 2, 4, "a !!int tag on a mapping"),
        ("a: !!seq {b: 1}\n", 2, 4, "a !!seq tag on a mapping"),
        ("a: !!map x\n", 2, 4, "a !!map tag on a scalar ('x')"),
        ("a: !!seq\n", 2, 4, "a !!seq tag on a scalar ('')"),
        ("a: !<tag:yaml.org,2002:bool> maybe\n", 2, 4, "invalid !!bool value 'maybe'"),
        (
            "a: !!int " + "1" * 5000 + "\n",
            2,
            4,
            "invalid !!int value '1111111111111111111111111111111111111...' (Exceeds the limit "
            "(4300 digits) for integer string conversion: value has 5000 digits; use "
            "sys.set_int_max_str_digits() to increase the limit)",
        ),
    ],
)
def test_malformed_standard_tag_value_is_a_syntax_error_at_the_value(
    front_matter: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(errors.YAMLSyntaxError) as caught:
        fq.loads(f"---\n{front_matter}---\n", path="a.md")
    error = caught.value
    assert type(error) is errors.YAMLSyntaxError
    assert (error.path, error.line, error.column, error.message) == ("a.md", line, column, message)


@pytest.mark.parametrize(
    ("front_matter", "data"),
    [
        ("a: !!null x\n", {"a": None}),
        ("a: !!bool yes\n", {"a": True}),
        ("a: !!float 1\n", {"a": 1.0}),
        ("a: !!int 1_000\n", {"a": 1000}),
        ("a: !!binary aGk=\n", {"a": b"hi"}),
        ("a: !!str\n", {"a": ""}),
        ("!!binary aGk=: 1\n", {b"hi": 1}),
    ],
)
def test_standard_tags_read_as_the_reference_reads_them(front_matter: str, data: Any) -> None:
    text = f"---\n{front_matter}---\n"
    assert typed(fq.loads(text).data) == typed(data) == typed(reference_load(front_matter))
    assert fq.loads(text).dumps() == text


@pytest.mark.parametrize("tag", ["!!omap", "!!set", "!!pairs", "!!python/tuple", "!foo"])
def test_other_tags_are_refused_as_unsafe(tag: str) -> None:
    with pytest.raises(errors.UnsafeTagError) as caught:
        fq.loads(f"---\na: {tag} []\n---\n")
    assert (caught.value.line, caught.value.column) == (2, 4)


STANDARD_TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!timestamp",
    "!!binary",
    "!!map",
    "!!seq",
    "!!omap",
    "!!set",
    "!!pairs",
    "!!merge",
    "!!value",
    "!!yaml",
    "!<tag:yaml.org,2002:int>",
    "!",
]
# The tags the engine reads; a value of one of them that the reference cannot construct is a
# YAMLSyntaxError at the value. The others are refused as unsafe or unsupported.
READ_TAGS = {"!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary"}
READ_TAGS |= {"!!map", "!!seq", "!<tag:yaml.org,2002:int>"}

_PLAIN_CHARS = "0123456789abcdefxobnulrtyAEFNOTY.+-_:~= "
tag_bodies = st.one_of(
    st.text(_PLAIN_CHARS, max_size=12).map(str.strip),
    st.text(_PLAIN_CHARS + "'\"\\", max_size=8).map(lambda s: "'" + s.replace("'", "''") + "'"),
    st.text(_PLAIN_CHARS, max_size=8).map(lambda s: '"' + s + '"'),
    st.sampled_from(["[]", "{}", "[1, 2]", "{k: v}", "aGk=", "2024-01-02", "0x1F", ".nan"]),
)

# Where a tagged node stands: (front matter with {node} for it, its line, its column).
CONTEXTS = [
    ("a: {node}\n", 2, 4),
    ("{node}: 1\n", 2, 1),
    ("a:\n- {node}\n", 3, 3),
    ("a: [{node}]\n", 2, 5),
    ("a: [x, {node}, y]\n", 2, 8),
    ("a: {{k: {node}}}\n", 2, 8),
    ("a: {{{node}: 1}}\n", 2, 5),
]


@examples(400)
@given(st.sampled_from(STANDARD_TAGS), tag_bodies, st.sampled_from(CONTEXTS))
def test_fuzz_standard_tags(tag: str, body: str, context: tuple[str, int, int]) -> None:
    """Every standard tag on generated texts, in block and flow context, as key and value."""
    template, line, column = context
    node = f"{tag} {body}".rstrip() if body else tag
    front_matter = template.format(node=node)
    note(f"front matter: {front_matter!r}")
    reference, reference_error, ours, our_error = load_both(front_matter)
    if our_error is None:
        assert reference_error is None, f"read what the reference refuses: {reference_error!r}"
        assert typed(ours.data) == typed(reference)
        assert ours.dumps() == f"---\n{front_matter}---\n"
        return
    assert isinstance(our_error, errors.FrontMatterError)
    collection_key = template.startswith(("{node}", "a: {{{node}")) and body[:1] in ("[", "{")
    if reference_error is None:
        # refused although the reference reads it: only the documented refusals (tags of
        # other types, merge keys, collections as keys)
        refused_tag = tag in ("!!omap", "!!set", "!!pairs", "!!merge", "!!value")
        assert refused_tag or collection_key, repr(our_error)
        if not refused_tag:
            assert isinstance(our_error, errors.UnsupportedYAMLError), repr(our_error)
        return
    construction = _is_construction(reference_error)
    if construction and tag in READ_TAGS and not collection_key:
        # the text parses, but is not a value of its tag: refused at the tagged value
        assert isinstance(our_error, errors.YAMLSyntaxError), repr(our_error)
        assert (our_error.line, our_error.column) == (line, column)
    else:  # a syntax error (met wherever the stream first goes wrong), or a refused tag or key
        assert isinstance(
            our_error,
            (errors.YAMLSyntaxError, errors.UnsafeTagError, errors.UnsupportedYAMLError),
        ), repr(our_error)


def _is_construction(error: BaseException) -> bool:
    """A reference error raised while building values, not while scanning or parsing (those
    are ruamel.yaml's MarkedYAMLErrors from its scanner and parser)."""
    if isinstance(error, (ScannerError, ParserError)):
        return False
    return not isinstance(error, MarkedYAMLError) or "constructor" in type(error).__module__


# -- item 14: plain scalars (and keys) read as the reference reads them ------------------------


def test_plain_equals_key_reads_as_the_string() -> None:
    text = "---\n=: 1\nb: =x\nc: {=: 2}\n---\n"
    doc = fq.loads(text)
    assert typed(doc.data) == typed({"=": 1, "b": "=x", "c": {"=": 2}})
    assert typed(doc.data) == typed(reference_load(text[4:-4]))
    assert doc.dumps() == text
    doc["="] = 5
    del doc["b"]
    assert doc.dumps() == "---\n=: 5\nc: {=: 2}\n---\n"
    doc["c"]["="] = "="
    assert doc.dumps() == "---\n=: 5\nc: {=: '='}\n---\n"


@pytest.mark.parametrize(
    ("front_matter", "column"), [("a: =\n", 4), ("a: [=]\n", 5), ("a:\n- =\n", 3)]
)
def test_plain_equals_value_is_refused_as_the_reference_refuses_it(
    front_matter: str, column: int
) -> None:
    with pytest.raises(errors.UnsafeTagError) as caught:
        fq.loads(f"---\n{front_matter}---\n")
    assert caught.value.column == column
    assert "plain value '=' resolves to tag:yaml.org,2002:value" in caught.value.message
    with pytest.raises(Exception, match="could not determine a constructor"):
        reference_load(front_matter)


def test_explicitly_tagged_value_key_reads_as_its_text() -> None:
    text = "---\n!!value x: 1\n---\n"
    assert fq.loads(text).data == {"x": 1} == reference_load("!!value x: 1\n")


_SCALAR_CHARS = "0123456789abcdefxoinNIlLuUtTrRsSEFAYyO.+-_:~=<>!@$%^&*()?/\\|' \"`#,[]{}"
plain_texts = st.one_of(
    st.text(_SCALAR_CHARS, min_size=1, max_size=10),
    st.sampled_from(
        [
            "=",
            "<<",
            "~",
            "null",
            ".NaN",
            "-.inf",
            "0o7",
            "0x_1",
            "1_0",
            "1e3",
            "2001-12-14t21:59:43.10-05:00",
            "2024-02-30",
            "+1",
            "-0",
            "0.",
            "._1",
            "12:30",
            "1:2:3",
            "Yes",
            "TRUE",
            "0b101",
            "0777",
        ]
    ),
)
PLAIN_CONTEXTS = [
    "a: {text}\n",
    "{text}: 1\n",
    "a:\n- {text}\n",
    "a: [{text}]\n",
    "a: {{{text}: 1}}\n",
    "a: {{k: {text}}}\n",
]


def _all_texts(data: Any) -> set[Any]:
    """Every key and every string value anywhere in ``data``."""
    found = {text for _, text in keypath.strings(data)}
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            found.update(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return found


@examples(500)
@given(plain_texts, st.sampled_from(PLAIN_CONTEXTS))
@example("[]", "{text}: 1\n")  # a collection as a key (found by a long run)
@example("0000-00-00", "{text}: 1\n")  # an impossible date as a key
def test_plain_scalars_read_like_the_reference(text: str, context: str) -> None:
    """Whatever the reference reads, the engine reads the same, type for type, and writes back
    unchanged; whatever it refuses, the engine refuses with a FrontMatterError."""
    front_matter = context.format(text=text)
    assume(not front_matter.startswith(("---", "...")))  # a delimiter line, not front matter
    note(f"front matter: {front_matter!r}")
    reference, reference_error, ours, our_error = load_both(front_matter)
    if reference_error is not None:
        if our_error is None and resolve_plain(text) == TIMESTAMP:
            # documented difference: a plain impossible date (`0000-00-00`, `2024-02-30`) reads
            # as its text, so that `check` can say where it is (FQ003), and is written back as is
            assert not real_date(text), text
            assert text.strip() in _all_texts(ours.data)
            assert ours.dumps() == f"---\n{front_matter}---\n"
            return
        assert our_error is not None, f"read what the reference refuses: {reference_error!r}"
        return
    if our_error is not None:
        # documented refusals: merge keys, keys that are collections, and front matter that is
        # not a mapping (a comment can leave just a scalar: `0 #: 1`); everything else the
        # reference reads is read
        if not isinstance(reference, (dict, type(None))):
            assert isinstance(our_error, errors.NotAMappingError), repr(our_error)
        elif reference and any(isinstance(key, (tuple, frozenset)) for key in reference):
            # `[]: 1`: the reference makes a tuple key; front matter keys are scalars
            assert isinstance(our_error, errors.UnsupportedYAMLError), repr(our_error)
            assert "only scalar mapping keys" in our_error.message
        else:
            assert isinstance(our_error, errors.UnsupportedYAMLError), repr(our_error)
            assert "merge keys" in our_error.message
        return
    assert typed(ours.data) == typed(reference if reference is not None else {})
    assert ours.dumps() == f"---\n{front_matter}---\n"
