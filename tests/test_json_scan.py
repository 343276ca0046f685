"""The positioned JSON scanner (formats/json/scan.py) and the bare-object end finder.

The scanner must accept exactly what ``json.loads`` accepts and read it to the same data, type
for type and in the same key order, with two deliberate refusals (duplicate keys, NaN/Infinity);
checked on generated texts, on mutations of them and on hand-picked corner cases. Every key and
value span it reports must cut out text that reads back as that key or value.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import typed
from hypothesis import given, note
from hypothesis import strategies as st
from json_strategies import (
    JsonStyle,
    json_documents,
    json_values,
    mutated,
    reference_loads,
    write,
)
from strategies import examples

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    DepthLimitError,
    DuplicateKeyError,
    JSONSyntaxError,
    LimitExceededError,
    UnterminatedFrontMatterError,
)
from frontmatter_qt.formats.json import JSON, JsonParsed
from frontmatter_qt.formats.json.scan import OBJECT, Node, brace_end, object_end, parse, read

UNLIMITED = Limits(max_depth=10**6, max_nodes=10**9)
JSON_WHITESPACE = " \t\n\r"


def ours(text: str) -> tuple[Any, ...]:
    try:
        node = parse(text, UNLIMITED)
    except Located as exc:
        assert 0 <= exc.offset <= len(text)
        return ("refused",)
    return ("empty",) if node is None else ("value", typed(node.value))


def theirs(text: str) -> tuple[Any, ...]:
    if not text.strip(JSON_WHITESPACE):
        return ("empty",)  # the library reads an empty `---json` block as {}; json.loads refuses
    try:
        return ("value", typed(reference_loads(text)))
    except (ValueError, RecursionError):
        return ("refused",)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    style = JsonStyle(
        unit=draw(st.sampled_from(["  ", "\t", "    "])),
        key_value=draw(st.sampled_from([": ", ":", " :\t"])),
        separator=draw(st.sampled_from([", ", ",", " ,\r\n "])),
        padding=draw(st.sampled_from(["", " ", "\n"])),
        ensure_ascii=draw(st.booleans()),
        newline=draw(st.sampled_from(["\n", "\r\n"])),
    )
    around = st.sampled_from(["", " ", "\n", "\r\n\t"])
    value = draw(json_values(16))
    return draw(around) + write(draw, value, style, "", True) + draw(around)


# -- agreement with json.loads ----------------------------------------------------------------


@examples(100)
@given(json_texts())
def test_scanner_reads_generated_json_as_json_loads_does(text: str) -> None:
    assert ours(text) == theirs(text) != ("refused",)


@examples(200)
@given(st.data())
def test_scanner_accepts_exactly_what_json_loads_accepts(data: st.DataObject) -> None:
    text = data.draw(mutated(data.draw(json_texts())))
    note(f"text: {text!r}")
    assert ours(text) == theirs(text)


CORNERS = [
    "1\u0661",  # a Unicode digit: the pure-Python json scanner reads 11, json.loads refuses
    "[1\u0661]",
    "01",
    "-",
    "1.",
    ".5",
    "1e",
    "1e+",
    "-0",
    "-0.0",
    "1E400",
    "-1e400",
    "1" * 5000,  # longer than int() reads: json.loads raises ValueError
    "NaN",
    "-Infinity",
    "[Infinity]",
    "true",
    "tru",
    "nul",
    "\ufeff{}",
    '"\\ud800"',
    '"\\u00e9\\/"',
    '"a\tb"',
    '"\\x41"',
    '{"a":1,"a":2}',
    '{"a":1,}',
    "[1,]",
    "[,1]",
    "[1 2]",
    "{,}",
    '{"a"}',
    '{"a":}',
    '{"a" 1}',
    "{'a': 1}",
    '{"a": 1} x',
    "[] []",
    "[[[[]]]]",
    '{"": {"": [{}, []]}}',
    "\u00a0[]",
    "[]\u00a0",
    "\x0b[]",
    "[\u2028]",
    "",
    " \t\r\n",
]


@pytest.mark.parametrize("text", CORNERS, ids=[repr(t)[:30] for t in CORNERS])
def test_corner_cases_agree_with_json_loads(text: str) -> None:
    assert ours(text) == theirs(text)


# -- the fast re-read and the fast end finder agree with the scanner ---------------------------


def outcome(function: Any, *args: Any) -> tuple[Any, ...]:
    try:
        result = function(*args)
    except Located as exc:
        return ("refused", exc.error_type, exc.offset, exc.message)
    if isinstance(result, Node):
        result = result.value
    return ("read", typed(result))


@examples(200)
@given(st.data(), st.sampled_from([Limits(), Limits(max_depth=3, max_nodes=12)]))
def test_the_re_read_agrees_with_the_scanner(data: st.DataObject, limits: Limits) -> None:
    text = data.draw(json_texts())
    if data.draw(st.booleans()):
        text = data.draw(mutated(text))
    note(f"text: {text!r}")
    assert outcome(read, text, limits) == outcome(parse, text, limits)


@examples(100)
@given(st.data())
def test_the_fast_end_is_the_brace_matched_end(data: st.DataObject) -> None:
    text = '{"k": ' + data.draw(json_texts()) + "}"
    if data.draw(st.booleans()):
        text = "{" + data.draw(mutated(text))[1:]
    text += data.draw(st.sampled_from(["", "\n", "}\n", '\n"body"}', "\r\n# T"]))
    note(f"text: {text!r}")
    assert outcome(object_end, text, 0) == outcome(brace_end, text, 0)


# -- spans ------------------------------------------------------------------------------------


def walk(node: Node, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Node]]:
    found = [(path, node)]
    keys = [k for k, _, _ in node.keys] if node.kind == OBJECT else range(len(node.items))
    for key, item in zip(keys, node.items, strict=True):
        found += walk(item, (*path, key))
    return found


@examples(80)
@given(json_documents())
def test_every_span_cuts_out_its_key_or_value(doc: Any) -> None:
    from frontmatter_qt.formats import split

    front_matter = split(doc.text).front_matter
    parsed = JSON.parse(front_matter, UNLIMITED)
    if parsed.root is None:
        assert doc.data == {}
        return
    for path, node in walk(parsed.root):
        span = parsed.value_span(path)
        assert span == (node.start, node.end)
        assert typed(json.loads(front_matter[span[0] : span[1]])) == typed(node.value)
        if path and isinstance(path[-1], str):
            key_span = parsed.key_span(path)
            assert key_span is not None
            assert json.loads(front_matter[key_span[0] : key_span[1]]) == path[-1]
    assert typed(parsed.to_data()) == typed(doc.data)


def test_spans_of_a_small_document() -> None:
    text = '{\n  "a": [1, {"b": "x"}],\n  "c": null\n}'
    parsed = JSON.parse(text, Limits())
    assert isinstance(parsed, JsonParsed)
    assert parsed.value_span(()) == (0, len(text))
    assert parsed.key_span(("a",)) == (4, 7)
    assert parsed.value_span(("a",)) == (9, 24)
    assert parsed.value_span(("a", 1, "b")) == (19, 22)
    assert parsed.value_span(("a", -1)) == (13, 23)
    assert parsed.key_span(("a", 1, "b")) == (14, 17)
    assert parsed.value_span(("c",)) == (33, 37)
    assert parsed.value_span(("a", 2)) is None
    assert parsed.value_span(("missing",)) is None
    assert parsed.value_span(("c", "x")) is None
    assert parsed.key_span(("a", 0)) is None
    assert parsed.key_span(()) is None


def test_to_data_is_a_fresh_copy_every_time() -> None:
    parsed = JSON.parse('{"a": {"b": [1, 2]}}', Limits())
    first = parsed.to_data()
    first["a"]["b"].append(3)
    assert parsed.to_data() == {"a": {"b": [1, 2]}}
    assert JSON.read('{"a": {"b": [1, 2]}}', Limits()) == {"a": {"b": [1, 2]}}


# -- the end of a bare object -----------------------------------------------------------------


@examples(100)
@given(json_texts(), st.text(max_size=20))
def test_object_end_finds_the_end_of_any_object(text: str, body: str) -> None:
    obj = text.strip(JSON_WHITESPACE)
    if not obj.startswith("{"):
        obj = '{"x": ' + obj + "}"
    assert object_end(obj + body, 0) == len(obj)


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("{}", 2),
        ("{}}", 2),
        ('{"}": "{"} tail', 10),
        ('{"a\\"}": 1}', 11),
        ('{"a\\\\": "}"}', 12),
        ('{"a": {"b": {}}}\n{"c": 1}', 16),
        ("{\n}\n", 3),
    ],
)
def test_object_end_skips_strings_and_escapes(text: str, end: int) -> None:
    assert object_end(text, 0) == end


@pytest.mark.parametrize(
    ("text", "offset", "words"),
    [
        ('{"a": 1', 0, "never closed by a matching '}'"),
        ('{"a": {"b": 1}\nbody', 0, "never closed"),
        ('{"a": "x}\n"b": 2}', 6, "no closing quote on its line"),
        ('{"a": "x\\', 6, "no closing quote"),
    ],
)
def test_an_object_that_never_closes(text: str, offset: int, words: str) -> None:
    with pytest.raises(Located) as caught:
        object_end(text, 0)
    assert caught.value.error_type is UnterminatedFrontMatterError
    assert caught.value.offset == offset
    assert words in caught.value.message


# -- errors and limits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error", "offset", "words"),
    [
        ('{"a": 1,}', JSONSyntaxError, 7, "comma after the last entry"),
        ("[1, 2 ,\n]", JSONSyntaxError, 6, "comma after the last item"),
        ('{"a": 1 "b": 2}', JSONSyntaxError, 7, "a comma is missing here"),
        ('{"a": 1 // c\n}', JSONSyntaxError, 8, "comments are not allowed"),
        ('{/* c */ "a": 1}', JSONSyntaxError, 1, "comments are not allowed"),
        ("{'a': 1}", JSONSyntaxError, 1, "double quotes, not single quotes"),
        ("{\"a\": 'x'}", JSONSyntaxError, 6, "double quotes, not single quotes"),
        ('{"a": 1, "b": 2, "a": 3}', DuplicateKeyError, 17, "duplicate key 'a'"),
        ('{"a": NaN}', JSONSyntaxError, 6, "NaN and Infinity are not JSON"),
        ('{"a": "x\\qy"}', JSONSyntaxError, 8, "'\\\\q' is not an escape JSON knows"),
        ('{"a": "\\u12"}', JSONSyntaxError, 7, "four hexadecimal digits must follow"),
        ('{"a": "x\ny"}', JSONSyntaxError, 6, "not closed on its line"),
        ('{"a": "x\ty"}', JSONSyntaxError, 8, "raw control character (U+0009)"),
        ('{"a": "x', JSONSyntaxError, 6, "never closed"),
        ('{"a" 1}', JSONSyntaxError, 4, "a ':' is missing after the key 'a'"),
        ('{"a": }', JSONSyntaxError, 6, "expected a value"),
        ('{"a": 1', JSONSyntaxError, 0, "this '{' object is never closed with '}'"),
        ('{"a": ', JSONSyntaxError, 6, "ends here, where a value is expected"),
        ('{"a": 1} {}', JSONSyntaxError, 9, "text after the end"),
        ("{{< toc >}}", JSONSyntaxError, 1, "'{{' starts a template tag, not JSON"),
        ("{% include x %}", JSONSyntaxError, 1, "'{%' starts a template tag, not JSON"),
        ('{"a": ' + "1" * 5000 + "}", LimitExceededError, 6, "too long to read"),
    ],
)
def test_syntax_errors_are_located(
    text: str, error: type[Exception], offset: int, words: str
) -> None:
    with pytest.raises(Located) as caught:
        parse(text, Limits())
    assert (caught.value.error_type, caught.value.offset) == (error, offset)
    assert words in caught.value.message


def test_depth_limit_is_exact_and_never_a_recursion_error() -> None:
    limits = Limits(max_depth=3)
    assert parse('{"a": [{}]}', limits) is not None
    with pytest.raises(Located) as caught:
        parse('{"a": [{"b": []}]}', limits)
    assert (caught.value.error_type, caught.value.offset) == (DepthLimitError, 13)
    deep = "[" * 20_000 + "]" * 20_000
    with pytest.raises(Located) as caught:
        parse(deep, Limits())
    assert (caught.value.error_type, caught.value.offset) == (DepthLimitError, 64)
    # Unlimited depth: the scanner and the copy never recurse.
    root = parse(deep, UNLIMITED)
    assert root is not None and root.kind == "array"
    data = JsonParsed(parse('{"a": ' + deep + "}", UNLIMITED)).to_data()
    for _ in range(20_000):
        data = data["a"] if isinstance(data, dict) else data[0] if data else data
    assert data == []


def test_node_limit_counts_keys_and_values() -> None:
    assert parse('{"a": [1, 2]}', Limits(max_nodes=5)) is not None  # {}, "a", [], 1, 2
    with pytest.raises(Located) as caught:
        parse('{"a": [1, 2, 3]}', Limits(max_nodes=5))
    assert (caught.value.error_type, caught.value.offset) == (LimitExceededError, 13)
