"""JSON front matter through the Document API: identity, exact edits, refusals, positions.

Fixtures: tests/fixtures/json (one file per construct: Hugo's bare object in 2/4-space, tab,
compact, padded and mixed layouts; ``---json`` blocks; CRLF, BOM, no final newline, escapes,
number spellings) and tests/fixtures/json/bad (one refusal each). The real YAML corpus is turned
into JSON documents in three styles to test identity and locality at scale.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL_FILES, ROOT, typed
from json_strategies import TRICKY_STRINGS, reference

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.engine.text import Split
from frontmatter_qt.formats import split
from frontmatter_qt.formats.json import JSON

FIXTURES = ROOT / "tests" / "fixtures" / "json"
GOOD = sorted(FIXTURES.glob("*.md"))
BAD = sorted((FIXTURES / "bad").glob("*.md"))


def load(name: str) -> fq.Document:
    return fq.load(FIXTURES / name)


def text_of(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def edited(name: str, edit: Any) -> str:
    doc = load(name)
    edit(doc)
    out = doc.dumps()
    data, body = reference(out)
    assert typed(data) == typed(doc.data), "the output does not read back as the data"
    assert body == doc.body
    assert fq.loads(out).dumps() == out
    return out


# -- identity ---------------------------------------------------------------------------------


def test_fixture_counts() -> None:
    assert len(GOOD) == 20
    assert len(BAD) == 19


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
def test_unedited_fixtures_are_byte_identical(path: Path) -> None:
    raw = path.read_bytes()
    doc = fq.load(path)
    assert doc.format == "json"
    assert doc.to_bytes() == raw
    assert fq.loads(raw.decode("utf-8")).dumps() == raw.decode("utf-8")
    data, body = reference(raw.decode("utf-8"))
    assert typed(doc.data) == typed(data)
    assert doc.body == body


def test_how_a_bare_object_is_split() -> None:
    pretty = split(text_of("hugo-2-spaces.md"))
    assert (pretty.opening, pretty.closing, pretty.format) == ("", "\n", "json")
    assert pretty.front_matter.startswith("{\n") and pretty.front_matter.endswith("\n}")
    assert pretty.body == "\nSpring is here.\n"
    crlf = split(text_of("hugo-crlf.md"))
    assert (crlf.closing, crlf.newline) == ("\r\n", "\r\n")
    assert crlf.body == "\r\nLine endings are CRLF.\r\n"
    same_line = split(text_of("hugo-body-same-line.md"))
    assert same_line.front_matter == '{"title": "Same line"}'
    assert (same_line.closing, same_line.body) == ("", " Body starts on the closing line.\n")
    at_end = split(text_of("hugo-no-final-newline.md"))
    assert (at_end.closing, at_end.body) == ("", "")
    bom = split(text_of("hugo-bom.md"))
    assert (bom.bom, bom.opening, bom.front_matter[:1]) == ("\ufeff", "", "{")
    fenced = split(text_of("eleventy.md"))
    assert (fenced.opening, fenced.closing, fenced.format) == ("---json\n", "---\n", "json")
    for parts in (pretty, crlf, same_line, at_end, bom, fenced):
        assert parts.has_front_matter


def test_without_the_hook_the_engine_reads_no_json() -> None:
    from frontmatter_qt.engine import text as engine_text

    parts = engine_text.split('{"a": 1}\nBody\n')
    assert (parts.has_front_matter, parts.body) == (False, '{"a": 1}\nBody\n')


def test_facts_of_json_documents() -> None:
    doc = load("hugo-bom.md")
    assert (doc.bom, doc.newline, doc.has_front_matter) == (True, "\n", True)
    assert load("hugo-crlf.md").newline == "\r\n"
    empty = load("hugo-empty-object.md")
    assert (empty.data, empty.has_front_matter, empty.body) == (
        {},
        True,
        "Nothing in the front matter.\n",
    )
    numbers = load("numbers.md").data
    assert [type(v).__name__ for v in numbers.values()] == [
        "int", "float", "float", "float", "int", "float", "int", "float", "float", "float",
        "float",
    ]  # fmt: skip
    assert numbers["big"] == 123456789012345678901234567890
    assert numbers["huge"] == float("inf")  # 1e400, as json.loads reads it
    assert load("escapes.md")["emoji"] == "\U0001f600"
    assert load("eleventy-empty.md").data == {}


# -- refusals ---------------------------------------------------------------------------------

EXPECTED_ERRORS: dict[str, tuple[type[errors.FrontMatterError], int, int]] = {
    "bad-escape.md": (errors.JSONSyntaxError, 2, 14),
    "bare-word.md": (errors.JSONSyntaxError, 2, 12),
    "block-comment.md": (errors.JSONSyntaxError, 2, 3),
    "comment.md": (errors.JSONSyntaxError, 2, 17),
    "control-character.md": (errors.JSONSyntaxError, 2, 14),
    "duplicate-key.md": (errors.DuplicateKeyError, 4, 3),
    "eleventy-unclosed.md": (errors.UnterminatedFrontMatterError, 1, 1),
    "extra-data.md": (errors.JSONSyntaxError, 2, 10),
    "infinity.md": (errors.JSONSyntaxError, 2, 11),
    "missing-colon.md": (errors.JSONSyntaxError, 2, 10),  # right after the key
    "missing-comma.md": (errors.JSONSyntaxError, 2, 15),  # right after the value before
    "nan.md": (errors.JSONSyntaxError, 3, 12),
    "not-an-object.md": (errors.NotAMappingError, 2, 1),
    "single-quoted-value.md": (errors.JSONSyntaxError, 2, 12),
    "single-quotes.md": (errors.JSONSyntaxError, 2, 3),
    "trailing-comma-object.md": (errors.JSONSyntaxError, 3, 9),
    "trailing-comma.md": (errors.JSONSyntaxError, 3, 20),
    "unterminated-object.md": (errors.UnterminatedFrontMatterError, 1, 1),
    "unterminated-string.md": (errors.UnterminatedFrontMatterError, 2, 12),
}


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(EXPECTED_ERRORS) == [p.name for p in BAD]


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_bad_json_is_refused_with_its_position(path: Path) -> None:
    error, line, column = EXPECTED_ERRORS[path.name]
    with pytest.raises(errors.FrontMatterError) as caught:
        fq.load(path)
    assert type(caught.value) is error
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), line, column)
    assert str(caught.value).startswith(f"{path}:{line}:{column}: ")


# The usual mistakes, as sentences at the mistake, with a hint that shows the fix: (file, error,
# line, column, message, hint).
COMMA_HINT = "JSON separates the entries of an object, and the items of an array, with commas"
NO_COMMENTS = (
    "remove the comment: JSON has none (YAML front matter, between --- lines, has # comments)"
)
SYNTAX = [
    (
        '{\n  "a": 1,\n}\n',
        errors.JSONSyntaxError,
        2,
        9,
        "a comma after the last entry: JSON allows none",
        "remove this comma (only the closing '}' follows it)",
    ),
    (
        '---json\n{"tags": [1, 2,]}\n---\n',
        errors.JSONSyntaxError,
        2,
        15,
        "a comma after the last item: JSON allows none",
        "remove this comma (only the closing ']' follows it)",
    ),
    (
        '{\n  "a": 1 // note\n}\n',
        errors.JSONSyntaxError,
        2,
        10,
        "comments are not allowed in JSON",
        NO_COMMENTS,
    ),
    (
        '{\n  /* note */\n  "a": 1\n}\n',
        errors.JSONSyntaxError,
        2,
        3,
        "comments are not allowed in JSON",
        NO_COMMENTS,
    ),
    (
        "{\n  'title': 1\n}\n",
        errors.JSONSyntaxError,
        2,
        3,
        "JSON keys are written in double quotes, not single quotes",
        'write "title"',
    ),
    (
        '{\n  "a": \'it\\\'s "new"\'\n}\n',
        errors.JSONSyntaxError,
        2,
        8,
        "JSON strings are written in double quotes, not single quotes",
        'write "it\'s \\"new\\""',
    ),
    (
        '{\n  "score": NaN\n}\n',
        errors.JSONSyntaxError,
        2,
        12,
        "NaN and Infinity are not JSON numbers",
        'write null, or the text in double quotes: "NaN"',
    ),
    (
        '{\n  "score": -Infinity\n}\n',
        errors.JSONSyntaxError,
        2,
        12,
        "NaN and Infinity are not JSON numbers",
        'write null, or the text in double quotes: "-Infinity"',
    ),
    (
        '{\n  "a": 1\n  "b": 2\n}\n',
        errors.JSONSyntaxError,
        2,
        9,
        "a comma is missing here, between two entries",
        f"add ',' at the end of this line: {COMMA_HINT}",
    ),
    (
        '{"tags": ["a" "b"]}\n',
        errors.JSONSyntaxError,
        1,
        14,
        "a comma is missing here, between two items",
        f"add ',' here: {COMMA_HINT}",
    ),
    (
        '{\n  "a" 1\n}\n',
        errors.JSONSyntaxError,
        2,
        6,
        "a ':' is missing after the key 'a'",
        'write "a": value',
    ),
    (
        '{\n  "draft"\n}\n',
        errors.JSONSyntaxError,
        2,
        10,
        "the key 'draft' has no value",
        'write "draft": and its value ("" for empty text, or null), or remove the key',
    ),
    (
        '{\n  "title": "Hello\n}\n',
        errors.UnterminatedFrontMatterError,
        2,
        12,
        "the JSON front matter never closes: the string that starts here has no closing quote "
        "on its line",
        'end the string with " on its line (a " inside it is written \\")',
    ),
    (
        '---json\n{\n  "title": "Hello\n}\n---\n',
        errors.JSONSyntaxError,
        3,
        12,
        "this string is not closed on its line",
        'end it with " on the same line (a line break inside a string is written \\n)',
    ),
    (
        '---json\n{"title": "Hello',
        errors.UnterminatedFrontMatterError,
        1,
        1,
        "front matter opened with '---json' on line 1 is never closed by a '---' line",
        "end the front matter with a line holding only `---` (`+++` for TOML)",
    ),
    (
        '{\n  "path": "C:\\Users\\me"\n}\n',
        errors.JSONSyntaxError,
        2,
        14,
        "'\\\\U' is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)",
        "write a backslash as \\\\ (a Windows path: C:\\\\Users)",
    ),
    (
        '{\n  "a": "\\u00e"\n}\n',
        errors.JSONSyntaxError,
        2,
        9,
        "\\u starts a character code, and four hexadecimal digits must follow it (\\u00e9)",
        "write the four digits, or a backslash itself as \\\\",
    ),
    (
        '{"a": "x\ty"}\n',
        errors.JSONSyntaxError,
        1,
        9,
        "a raw control character (U+0009) inside a string",
        "write it as the escape \\t",
    ),
    (
        '{\n  title: "x"\n}\n',
        errors.JSONSyntaxError,
        2,
        3,
        "a key must be written in double quotes",
        'write "title"',
    ),
    (
        '{\n  "title": Hello world, "b": 1\n}\n',
        errors.JSONSyntaxError,
        2,
        12,
        "text must be written in double quotes in JSON",
        'write "Hello world"',
    ),
    (
        '{\n  "draft": True\n}\n',
        errors.JSONSyntaxError,
        2,
        12,
        "'True' is not a JSON value",
        "write true (JSON's true, false and null are lowercase)",
    ),
    (
        '{\n  "a": None\n}\n',
        errors.JSONSyntaxError,
        2,
        8,
        "'None' is not a JSON value",
        "write null (JSON's true, false and null are lowercase)",
    ),
    (
        '{\n  "a": }\n',
        errors.JSONSyntaxError,
        2,
        8,
        "expected a value (a string, number, object, array, true, false or null)",
        'write a value ("" for empty text, or null)',
    ),
    (
        '{\n  "a": "x" y\n}\n',
        errors.JSONSyntaxError,
        2,
        12,
        "text after a value, where ',' or '}' should be",
        "put the whole text inside the value's double quotes, or separate the values with commas",
    ),
    (
        '---json\n{\n  "tags": [1, 2\n}\n---\n',
        errors.JSONSyntaxError,
        3,
        11,
        "this '[' array is never closed with ']'",
        "close it with ']' after its last item",
    ),
    (
        '---json\n{\n  "a": 1\n---\n',
        errors.JSONSyntaxError,
        2,
        1,
        "this '{' object is never closed with '}'",
        "close it with '}' after its last entry",
    ),
    (
        '{\n  "a": [1, 2\n',
        errors.UnterminatedFrontMatterError,
        1,
        1,
        "the JSON front matter object that opens here is never closed by a matching '}'",
        "close the object with '}' (and each '{' and '[' inside it with its '}' or ']')",
    ),
    (
        '---json\n{"a": 1}\nmore\n---\n',
        errors.JSONSyntaxError,
        3,
        1,
        "text after the end of the JSON object",
        "the front matter is one JSON object: remove this text, or move it into the body, after "
        "the closing line",
    ),
    (
        "{{< toc >}}\n",
        errors.JSONSyntaxError,
        1,
        2,
        "'{{' starts a template tag, not JSON: front matter that starts with '{' must be a "
        "JSON object (Hugo's JSON front matter)",
        "start the file with a front matter (--- lines) before the template, or with something "
        "else than '{'",
    ),
]


@pytest.mark.parametrize(("text", "error_type", "line", "column", "message", "hint"), SYNTAX)
def test_syntax_errors_are_sentences_at_the_mistake_with_a_hint(
    text: str,
    error_type: type[errors.FrontMatterError],
    line: int,
    column: int,
    message: str,
    hint: str,
) -> None:
    with pytest.raises(error_type) as caught:
        fq.loads(text, path="post.md")
    error = caught.value
    assert type(error) is error_type
    assert (error.line, error.column, error.message, error.hint) == (line, column, message, hint)
    assert str(error) == f"post.md:{line}:{column}: {message}"


def test_findings_inside_json_strings_point_at_their_characters() -> None:
    """Mojibake and literal \\n findings start at the escapes that spell them."""
    text = '{\n  "title": "caf\\u00c3\\u00a9 au lait",\n  "answer": "one\\\\ntwo"\n}\nBody\n'
    doc = fq.loads(text, path="post.md")
    assert (doc["title"], doc["answer"]) == ("caf\u00c3\u00a9 au lait", "one\\ntwo")
    found = [(d.line_text(), d.end_line, d.end_column) for d in fq.lint(doc)]
    assert found == [
        (
            "post.md:2:16: FQ001 title: mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it should "
            "read 'é')",
            2,
            28,  # both six-character escapes
        ),
        ("post.md:3:17: FQ002 answer: 1 literal \\n escape(s) outside code spans", 3, 20),
    ]


def test_errors_are_positioned_after_a_bom_and_an_opening_line() -> None:
    with pytest.raises(errors.JSONSyntaxError) as caught:
        fq.loads('\ufeff---json\r\n{\r\n  "a": 1,\r\n}\r\n---\r\n')
    assert (caught.value.line, caught.value.column) == (3, 9)
    with pytest.raises(errors.DuplicateKeyError) as dup:
        fq.loads('\ufeff{"é": 1, "é": 2}\n')
    assert (dup.value.line, dup.value.column, dup.value.message) == (
        1,
        10,
        "duplicate key 'é' (first on line 1)",
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "first"),
    [
        # a bare object starts on the file's first line; a fenced one on the second
        ('{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}\nBody\n', 4, 3, 2),
        ('\ufeff---json\r\n{\r\n  "a": 1,\r\n  "b": 2,\r\n  "a": 3\r\n}\r\n---\r\n', 5, 3, 3),
        ('---json\n{"x": {"a": 1,\n"a": 2}}\n---\n', 3, 1, 2),
    ],
)
def test_a_duplicate_key_names_the_line_of_the_first(
    text: str, line: int, column: int, first: int
) -> None:
    with pytest.raises(errors.DuplicateKeyError) as dup:
        fq.loads(text)
    assert (dup.value.line, dup.value.column, dup.value.message) == (
        line,
        column,
        f"duplicate key 'a' (first on line {first})",
    )


def test_limits_apply_to_json() -> None:
    with pytest.raises(errors.DepthLimitError) as deep:
        fq.loads('{"a": ' + "[" * 70 + "]" * 70 + "}\n")
    assert (deep.value.line, deep.value.column) == (1, 70)
    with pytest.raises(errors.SizeLimitError):
        fq.loads('{"a": "' + "x" * 100 + '"}\n', limits=fq.Limits(max_front_matter_chars=50))
    with pytest.raises(errors.LimitExceededError):
        fq.loads('{"a": [' + "1," * 50 + "1]}\n", limits=fq.Limits(max_nodes=20))
    with pytest.raises(errors.DepthLimitError):  # never a RecursionError
        fq.loads("{" + '"a": {' * 50_000 + "}" * 50_001 + "\n")


# -- exact edits ------------------------------------------------------------------------------


def test_setting_a_scalar_changes_only_its_text() -> None:
    text = text_of("hugo-2-spaces.md")
    out = edited("hugo-2-spaces.md", lambda d: d.update(title="Autumn"))
    assert out == text.replace('"Spring cleaning"', '"Autumn"')
    out = edited("hugo-2-spaces.md", lambda d: d["params"]["series"].update(part=3))
    assert out == text.replace('"part": 2', '"part": 3')
    out = edited("hugo-2-spaces.md", lambda d: d.update(draft=None, weight=2.5))
    assert out == text.replace('"draft": false', '"draft": null').replace(
        '"weight": 10', '"weight": 2.5'
    )


@pytest.mark.parametrize("name", [p.name for p in GOOD if load(p.name).data])
def test_every_top_level_value_can_be_set_locally(name: str) -> None:
    """Each top-level value set to each tricky string changes only that value's lines."""
    original = load(name)
    before = original.original_text
    for key in original.data:
        start, end = original._parsed.value_span((key,)) or (0, 0)
        offset = len(original._split.bom + original._split.opening)
        first = before[: offset + start].count("\n")
        last = before[: offset + end].count("\n")
        for value in [*TRICKY_STRINGS, 7, -0.5, True, None, [1, "x"], {"k": [True]}]:
            doc = load(name)
            doc[key] = value
            out = doc.dumps()
            data, body = reference(out)
            assert typed(data) == typed(doc.data)
            assert body == original.body
            a, b = before.split("\n"), out.split("\n")
            assert b[:first] == a[:first], (key, value)
            tail = len(a) - last - 1
            assert b[len(b) - tail :] == a[len(a) - tail :], (key, value)


def test_strings_keep_their_own_escaping() -> None:
    text = text_of("escapes.md")
    out = edited("escapes.md", lambda d: d.update(title="Déjà vu"))
    assert out == text.replace(
        '"Caf\\u00e9 \\u2014 \\"quoted\\""', '"D\\u00e9j\\u00e0 vu"'
    )  # the old value wrote \u escapes: the new one does too
    out = edited("escapes.md", lambda d: d.update(raw="Déjà vu"))
    assert out == text.replace('"Café — raw"', '"Déjà vu"')
    out = edited("escapes.md", lambda d: d.update(path="/tags/json/"))
    assert out == text.replace('"\\/blog\\/2024\\/"', '"\\/tags\\/json\\/"')
    out = edited("escapes.md", lambda d: d.update(emoji="\ud800"))  # lone surrogate: escaped
    assert out == text.replace('"\\ud83d\\ude00"', '"\\ud800"')
    out.encode("utf-8")


def test_new_values_follow_the_files_escaping() -> None:
    ascii_only = fq.loads('{\n  "a": "\\u00e9"\n}\n')
    ascii_only["b"] = "ü"
    assert ascii_only.dumps() == '{\n  "a": "\\u00e9",\n  "b": "\\u00fc"\n}\n'
    raw = fq.loads('{\n  "a": "é"\n}\n')
    raw["b"] = "ü"
    assert raw.dumps() == '{\n  "a": "é",\n  "b": "ü"\n}\n'


def test_number_spellings_are_kept_unless_edited() -> None:
    text = text_of("numbers.md")
    out = edited("numbers.md", lambda d: d.update(int=2))
    assert out == text.replace('"int": 1,', '"int": 2,')
    out = edited("numbers.md", lambda d: d.update(exp=2e5, big=10**30))
    assert out == text.replace("1e5", "200000.0").replace(
        "123456789012345678901234567890", str(10**30)
    )
    # 1.0 and 1 are different values: an int written over a float is a real change.
    out = edited("numbers.md", lambda d: d.update(float=1))
    assert out == text.replace('"float": 1.0', '"float": 1')


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "hugo-2-spaces.md",
            '  "params": {\n    "author": "Ana",\n    "series": {\n      "name": "Tidy",\n'
            '      "part": 2\n    }\n  },\n  "summary": "New",\n  "links": [\n    "a",\n'
            '    "b"\n  ],\n  "meta": {\n    "x": 1\n  }\n}\n',
        ),
        (
            "hugo-tabs.md",
            '\t\t\t"weight": 3\n\t\t}\n\t},\n\t"summary": "New",\n\t"links": [\n\t\t"a",\n'
            '\t\t"b"\n\t],\n\t"meta": {\n\t\t"x": 1\n\t}\n}\n',
        ),
        (
            "compact.md",
            '"seo":{"title":"x","noindex":false},"summary":"New","links":["a","b"],'
            '"meta":{"x":1}}\n',
        ),
        (
            "compact-spaces.md",
            '"seo": {"title": "x"}, "summary": "New", "links": ["a", "b"], "meta": {"x": 1}}\n',
        ),
        (
            "padded.md",
            '"tags": [ "a", "b" ], "summary": "New", "links": [ "a", "b" ], "meta": { "x": 1 } }\n',
        ),
        (
            "mixed-layout.md",
            '      "deeper": [1, [2, [3]]]\n    }\n  },\n  "summary": "New",\n'
            '  "links": ["a", "b"],\n  "meta": {"x": 1}\n}\n',
        ),
        (
            "hugo-crlf.md",
            '  "count": 3,\r\n  "summary": "New",\r\n  "links": [\r\n    "a",\r\n    "b"\r\n'
            '  ],\r\n  "meta": {\r\n    "x": 1\r\n  }\r\n}\r\n',
        ),
    ],
)
def test_new_keys_go_after_their_siblings_in_the_files_style(name: str, expected: str) -> None:
    text = text_of(name)
    out = edited(name, lambda d: d.update(summary="New", links=["a", "b"], meta={"x": 1}))
    fm = split(out).front_matter + split(out).closing
    assert fm.endswith(expected)
    # Everything before the last old entry's end is unchanged.
    old = split(text)
    last_end = JSON.parse(old.front_matter, fq.Limits()).root.items[-1].end  # type: ignore[union-attr]
    assert out.startswith(text[: len(old.bom + old.opening) + last_end])
    assert out.endswith(old.body)


def test_a_new_key_in_the_middle_goes_where_the_data_puts_it() -> None:
    doc = fq.loads('{\n  "a": 1,\n  "c": 3\n}\n')
    doc.data = {"a": 1, "b": 2, "c": 3}
    assert doc.dumps() == '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n'
    doc.data = {"z": 0, "a": 1, "c": 3}
    assert doc.dumps() == '{\n  "z": 0,\n  "a": 1,\n  "c": 3\n}\n'
    inline = fq.loads('{"a": 1, "c": 3}')
    inline.data = {"z": 0, "a": 1, "b": 2, "c": 3, "d": 4}
    assert inline.dumps() == '{"z": 0, "a": 1, "b": 2, "c": 3, "d": 4}'


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("title", '{\n  "date": "2024-04-02T10:00:00Z",\n  "draft": false,'),
        ("draft", '  "date": "2024-04-02T10:00:00Z",\n  "weight": 10,\n'),
        ("tags", '  "weight": 10,\n  "params": {\n'),
        ("params", '  "tags": [\n    "hugo",\n    "json"\n  ]\n}\n\nSpring'),
    ],
)
def test_deleting_a_key_takes_its_lines_and_fixes_the_commas(key: str, expected: str) -> None:
    text = text_of("hugo-2-spaces.md")
    out = edited("hugo-2-spaces.md", lambda d: d.pop(key))
    assert expected in out
    before, after = text.split("\n"), out.split("\n")
    removed = len(before) - len(after)
    assert removed == {"title": 1, "draft": 1, "tags": 4, "params": 7}[key]
    # Every remaining line is an original line, except the comma taken off the line before a
    # deleted last entry.
    changed = [line for line in after if line not in before]
    assert changed == (['    "json"', "  ]"][1:] if key == "params" else [])


def test_deleting_keys_from_one_line_objects() -> None:
    assert edited("compact.md", lambda d: d.pop("title")).startswith('{"tags":["a","b"],"n":1,')
    out = edited("compact.md", lambda d: d.pop("seo"))
    assert out.startswith('{"title":"Compact","tags":["a","b"],"n":1}\n')
    out = edited("compact-spaces.md", lambda d: (d.pop("tags"), d.pop("n")))
    assert out.startswith('{"title": "Spaced", "seo": {"title": "x"}}\n')
    out = edited("padded.md", lambda d: d.pop("title"))
    assert out.startswith('{ "tags": [ "a", "b" ] }\n')


def test_deleting_every_key_leaves_an_empty_object() -> None:
    out = edited("hugo-2-spaces.md", lambda d: d.clear())
    assert out == "{}\n\nSpring is here.\n"
    out = edited("eleventy.md", lambda d: d.clear())
    assert out == "---json\n{}\n---\nEleventy reads JSON front matter after ---json.\n"


def test_list_edits_touch_only_their_items() -> None:
    text = text_of("hugo-4-spaces.md")
    out = edited("hugo-4-spaces.md", lambda d: d["categories"].append("Go"))
    assert out == text.replace('"VIM"\n', '"VIM",\n        "Go"\n')
    out = edited("hugo-4-spaces.md", lambda d: d["categories"].insert(0, "Go"))
    assert out == text.replace('        "Development"', '        "Go",\n        "Development"')
    out = edited("hugo-4-spaces.md", lambda d: d["categories"].pop(0))
    assert out == text.replace('        "Development",\n', "")
    out = edited("hugo-4-spaces.md", lambda d: d["categories"].pop())
    assert out == text.replace('"Development",\n        "VIM"', '"Development"')
    out = edited("hugo-4-spaces.md", lambda d: d["empty_list"].extend([1, 2]))
    assert out == text.replace('"empty_list": []', '"empty_list": [\n        1,\n        2\n    ]')
    out = edited("hugo-4-spaces.md", lambda d: d["empty_map"].update(k="v"))
    assert out == text.replace('"empty_map": {}', '"empty_map": {\n        "k": "v"\n    }')
    inline = text_of("mixed-layout.md")
    out = edited("mixed-layout.md", lambda d: d["tags"].insert(1, "new"))
    assert out == inline.replace('["inline", "array"]', '["inline", "new", "array"]')
    out = edited("mixed-layout.md", lambda d: d["authors"][1]["roles"].append("author"))
    assert out == inline.replace('"roles": []}', '"roles": ["author"]}')
    out = edited("mixed-layout.md", lambda d: d["authors"].pop(0))
    assert out == inline.replace('    {"name": "Ana", "roles": ["editor"]},\n', "")
    out = edited("mixed-layout.md", lambda d: d["nested"]["deep"]["deeper"][1][1].append(4))
    assert out == inline.replace("[1, [2, [3]]]", "[1, [2, [3, 4]]]")


def test_a_value_that_changes_kind_is_written_in_the_old_values_style() -> None:
    text = text_of("hugo-2-spaces.md")
    out = edited("hugo-2-spaces.md", lambda d: d.update(weight={"a": [1]}))
    assert out == text.replace('"weight": 10', '"weight": {\n    "a": [\n      1\n    ]\n  }')
    out = edited("hugo-2-spaces.md", lambda d: d.update(tags="one"))
    assert out == text.replace('[\n    "hugo",\n    "json"\n  ]', '"one"')
    out = edited("hugo-2-spaces.md", lambda d: d.update(tags={"x": 1, "y": 2}))
    assert out == text.replace('[\n    "hugo",\n    "json"\n  ]', '{\n    "x": 1,\n    "y": 2\n  }')
    out = edited("compact.md", lambda d: d.update(n=[1, {"a": 2}]))
    assert out.startswith('{"title":"Compact","tags":["a","b"],"n":[1,{"a":2}],"seo":')


def test_edits_keep_crlf_bom_and_the_missing_final_newline() -> None:
    out = edited("eleventy-crlf-bom.md", lambda d: d["tags"].append("b"))
    assert out == text_of("eleventy-crlf-bom.md").replace('"a"\r\n', '"a",\r\n        "b"\r\n')
    out = edited("hugo-no-final-newline.md", lambda d: d.update(n=2))
    assert out == '{\n  "title": "No final newline",\n  "n": 2\n}'
    out = edited("eleventy-no-final-newline.md", lambda d: d.update(title="New end"))
    assert out == '---json\n{"title": "New end"}\n---'


def test_body_edits_of_bare_objects() -> None:
    doc = load("hugo-no-final-newline.md")
    doc.body = "Now a body.\n"
    assert doc.dumps() == text_of("hugo-no-final-newline.md") + "\nNow a body.\n"
    same_line = load("hugo-body-same-line.md")
    same_line.body = " Another body.\n"
    same_line["title"] = "Still one line"
    assert same_line.dumps() == '{"title": "Still one line"} Another body.\n'
    same_line.body = "\nStarts with a line break.\n"
    assert same_line.dumps() == '{"title": "Still one line"}\n\nStarts with a line break.\n'
    assert fq.loads(same_line.dumps()).body == "\nStarts with a line break.\n"


def test_filling_empty_json_front_matter() -> None:
    out = edited("eleventy-empty.md", lambda d: d.update(title="T", tags=["a"]))
    assert out == '---json\n{\n  "title": "T",\n  "tags": [\n    "a"\n  ]\n}\n---\nNo data yet.\n'
    out = edited("hugo-empty-object.md", lambda d: d.update(title="T"))
    assert out == '{\n  "title": "T"\n}\nNothing in the front matter.\n'
    out = edited("eleventy-whitespace.md", lambda d: d.update(n=1))
    assert out == (
        '---json\n\n  {\n    "title": "Surrounded by blank lines",\n    "n": 1\n  }\n\n---\nBody.\n'
    )


def test_new_json_front_matter_is_a_bare_object() -> None:
    """A document without front matter whose format is JSON (what `convert` will make)."""
    parts = Split("", "", "", "", "Body.\n", "\n", format="json")
    doc = fq.Document(parts, JSON.parse("", fq.Limits()), {}, fmt=JSON)
    assert doc.dumps() == "Body.\n"
    doc["title"] = "T"
    doc["tags"] = ["a", "b"]
    assert doc.dumps() == '{\n  "title": "T",\n  "tags": [\n    "a",\n    "b"\n  ]\n}\nBody.\n'
    assert JSON.render({"a": {"b": []}}, "\r\n") == '{\r\n  "a": {\r\n    "b": []\r\n  }\r\n}\r\n'


# -- values JSON cannot hold ------------------------------------------------------------------


ANY_JSON = "assign a string, a number, true/false, None, a list or a dict"


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        (
            dt.date(2024, 1, 2),
            "<string>: seo.when: cannot write a date value to JSON front matter (JSON holds "
            "strings, numbers, true/false, null, arrays and objects)",
            "write it as a string ('2024-01-02'; on the command line, `set --string`)",
        ),
        (
            dt.datetime(2024, 1, 2, 3, 4),
            "<string>: seo.when: cannot write a datetime value to JSON front matter (JSON holds "
            "strings, numbers, true/false, null, arrays and objects)",
            "write it as a string ('2024-01-02T03:04:00'; on the command line, `set --string`)",
        ),
        (
            float("nan"),
            "<string>: seo.when: cannot write nan to JSON front matter: NaN and Infinity are "
            "not JSON numbers",
            "write null, or a string ('nan')",
        ),
        (
            [1, float("-inf")],
            "<string>: seo.when.1: cannot write -inf to JSON front matter: NaN and Infinity "
            "are not JSON numbers",
            "write null, or a string ('-inf')",
        ),
        (
            {"ok": {2: "x"}},
            "<string>: seo.when.ok: cannot write the key 2 (of type int) to JSON front matter: "
            "JSON keys are strings",
            "use the key as a string: '2'",
        ),
        (
            (1, 2),
            "<string>: seo.when: cannot write a tuple value to JSON front matter (JSON holds "
            "strings, numbers, true/false, null, arrays and objects)",
            ANY_JSON,
        ),
        (
            b"x",
            "<string>: seo.when: cannot write a bytes value to JSON front matter (JSON holds "
            "strings, numbers, true/false, null, arrays and objects)",
            ANY_JSON,
        ),
    ],
)
def test_values_json_cannot_hold_are_refused_by_key_path(
    value: Any, message: str, hint: str
) -> None:
    doc = fq.loads('{"seo": {"title": "x"}}\n')
    doc["seo"]["when"] = value
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.dumps()
    assert (str(caught.value), caught.value.hint) == (message, hint)


def test_a_refused_value_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b'{\n  "title": "x"\n}\nBody\n')
    doc = fq.load(path)
    doc["title"] = "y"
    doc["date"] = dt.date(2024, 1, 2)
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        fq.dump(doc)
    assert caught.value.path == str(path)
    assert path.read_bytes() == b'{\n  "title": "x"\n}\nBody\n'
    assert list(tmp_path.iterdir()) == [path]


def test_unedited_infinity_is_kept_but_never_written_anew() -> None:
    doc = load("numbers.md")
    doc["int"] = 5
    assert "1e400" in doc.dumps()
    doc["other"] = doc["huge"]
    with pytest.raises(errors.UnrepresentableValueError, match="other: cannot write inf"):
        doc.dumps()


def test_the_file_follows_the_data_order() -> None:
    text = '{\n  "a": 1,\n  "b": {"x": 1, "y": 2},\n  "c": [1, 2],\n  "d": "D"\n}\n'
    doc = fq.loads(text)
    doc["b"] = {"y": 2, "x": 1}
    doc["a"] = doc.pop("a")
    assert doc.dumps() == '{\n  "b": {"y": 2, "x": 1},\n  "c": [1, 2],\n  "d": "D",\n  "a": 1\n}\n'


def test_move_insert_and_rename_write_only_their_entries() -> None:
    text = (
        '{\n  "title": "A",\n  "date": "2024-01-02",\n  "tags": ["x"],\n  "draft": true\n}\nBody\n'
    )
    doc = fq.loads(text)
    doc.insert("updated", "2024-02-03", after="date")
    assert doc.dumps() == text.replace('-02",\n', '-02",\n  "updated": "2024-02-03",\n')
    doc = fq.loads(text)
    doc.rename("tags", "labels")
    assert doc.dumps() == text.replace('"tags"', '"labels"')
    doc = fq.loads(text)
    doc.move("draft", before="title")
    doc["tags"].append("y")  # a moved entry's own edit is applied inside its moved text
    assert doc.dumps() == (
        '{\n  "draft": true,\n  "title": "A",\n  "date": "2024-01-02",\n  "tags": ["x", "y"]\n}'
        "\nBody\n"
    )
    doc = fq.loads(text)
    doc.move("title")  # the last entry gains a comma, the moved one loses its own
    assert doc.dumps() == (
        '{\n  "date": "2024-01-02",\n  "tags": ["x"],\n  "draft": true,\n  "title": "A"\n}\nBody\n'
    )


def test_one_line_objects_move_with_their_separators() -> None:
    doc = fq.loads('---json\n{"a": 1, "b": 2, "c": 3}\n---\n')
    doc.move("c", before="a")
    doc.insert("z", 0, after="c")
    doc.rename("b", "B")
    assert doc.dumps() == '---json\n{"c": 3, "z": 0, "a": 1, "B": 2}\n---\n'


def test_a_replaced_key_is_a_rename_only_at_its_place_with_its_value() -> None:
    text = '{"a": 1, "b": 2, "c": 3}\n'
    doc = fq.loads(text)
    doc.data = {"a": 1, "B": 2, "c": 3}  # same place, same value: the key's text changes
    assert doc.dumps() == '{"a": 1, "B": 2, "c": 3}\n'
    doc = fq.loads(text)
    doc.data = {"a": 1, "B": 2.0, "c": 3}  # another value (type-exact): delete and insert
    assert doc.dumps() == '{"a": 1, "B": 2.0, "c": 3}\n'
    doc = fq.loads(text)
    doc.data = {"B": 2, "a": 1, "c": 3}  # another place: a new key, b deleted
    assert doc.dumps() == '{"B": 2, "a": 1, "c": 3}\n'


# -- positions --------------------------------------------------------------------------------


def test_positions_of_keys_and_values() -> None:
    doc = load("eleventy-crlf-bom.md")
    assert doc.position("title") == (3, 14)
    assert doc.key_position("title") == (3, 5)
    assert doc.position("tags", 0) == (5, 9)
    assert doc.position("missing") is None
    bare = load("hugo-bom.md")
    assert bare.position() == (1, 1)
    assert bare.key_position("lang") == (3, 3)


# -- the real corpus as JSON ------------------------------------------------------------------


def _as_json_data(value: Any) -> Any:
    """The YAML data with dates written as strings (as Hugo's JSON front matter has them)."""
    if isinstance(value, dict):
        return {str(k): _as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_data(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


STYLES = [
    lambda data: json.dumps(data, indent=2, ensure_ascii=False) + "\n",
    lambda data: json.dumps(data, indent="\t") + "\n",
    lambda data: "---json\n" + json.dumps(data, separators=(",", ":")) + "\n---\n",
]


@cache  # built when a test first asks, not at import (that would be in every xdist worker)
def real_json_documents() -> list[tuple[str, str, str]]:
    found = []
    for index, path in enumerate(REAL_FILES):
        doc = fq.load(path)
        if not doc.data:
            continue
        style = STYLES[index % len(STYLES)]
        found.append((path.name, style(_as_json_data(doc.data)), doc.body))
    return found


def test_the_real_corpus_as_json_round_trips_and_edits_locally() -> None:
    assert len(real_json_documents()) == 397
    edits = 0
    for name, front_matter, body in real_json_documents():
        text = front_matter + body
        original = fq.loads(text)
        assert original.dumps() == text, name
        lines = text.split("\n")
        for key in list(original.data):
            start, end = original._parsed.value_span((key,)) or (0, 0)
            offset = len(original._split.opening)
            first = text[: offset + start].count("\n")
            tail = len(lines) - text[: offset + end].count("\n") - 1
            for value in ('a "quoted" value: with / and é\n', 42):
                doc = fq.loads(text)
                doc[key] = value
                out = doc.dumps()
                data, out_body = reference(out)
                assert typed(data) == typed(doc.data), (name, key)
                assert out_body == body
                after = out.split("\n")
                assert after[:first] == lines[:first], (name, key)
                assert after[len(after) - tail :] == lines[len(lines) - tail :], (name, key)
                edits += 1
    assert edits == 4932


def test_deleting_each_top_level_key_of_the_real_corpus_as_json() -> None:
    for name, front_matter, body in real_json_documents()[::3]:  # the indent=2 style
        text = front_matter + body
        for key in fq.loads(text).data:
            doc = fq.loads(text)
            del doc[key]
            out = doc.dumps()
            assert typed(reference(out)[0]) == typed(doc.data), (name, key)
            after, before = out.split("\n"), text.split("\n")
            # Only the key's own lines went, and at most one line (the comma) changed.
            assert len([line for line in after if line not in before]) <= 1, (name, key)


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the JSON fixtures."""
    for path in GOOD:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def test_cli_set_get_unset_on_json_files(site: Path) -> None:
    from test_cli import run

    text = text_of("hugo-2-spaces.md")
    done = run(site, "set", "hugo-2-spaces.md", "title=Autumn", "params.series.part=3")
    assert (done.returncode, done.stdout) == (0, "updated hugo-2-spaces.md\n")
    expected = text.replace('"Spring cleaning"', '"Autumn"').replace('"part": 2', '"part": 3')
    assert (site / "hugo-2-spaces.md").read_text("utf-8") == expected
    assert run(site, "get", "hugo-2-spaces.md", "title").stdout == "Autumn\n"
    assert run(site, "get", "hugo-2-spaces.md", "tags", "--json").stdout == '["hugo", "json"]\n'
    gone = run(site, "unset", "eleventy.md", "eleventyNavigation")
    assert (gone.returncode, gone.stdout) == (0, "updated eleventy.md\n")
    assert (site / "eleventy.md").read_text("utf-8") == text_of("eleventy.md").replace(
        '"tags": ["post", "json"],\n  "eleventyNavigation": {\n    "key": "Eleventy",\n'
        '    "order": 3\n  }\n',
        '"tags": ["post", "json"]\n',
    )
    added = run(site, "set", "compact.md", "tags.1=z", "seo.noindex=true", "new=[1, 2]")
    assert added.returncode == 0
    assert (site / "compact.md").read_text("utf-8") == text_of("compact.md").replace(
        '["a","b"]', '["a","z"]'
    ).replace('"noindex":false}}', '"noindex":true},"new":[1,2]}')


def test_cli_refuses_what_json_cannot_hold_and_writes_nothing(site: Path) -> None:
    from test_cli import run, snapshot

    before = snapshot(site)
    done = run(site, "set", "hugo-bom.md", "date=2024-01-02")
    assert done.returncode == 1
    assert done.stderr == (
        "hugo-bom.md:1:1: E020 date: cannot write a date value to JSON front matter (JSON holds "
        "strings, numbers, true/false, null, arrays and objects)\n"
        "  help: write it as a string ('2024-01-02'; on the command line, `set --string`)\n"
        "0 files changed, 0 unchanged, 1 failed\n"
    )
    as_string = run(site, "set", "--string", "hugo-bom.md", "date=2024-01-02")
    assert as_string.returncode == 0, as_string.stderr
    assert (site / "hugo-bom.md").read_text("utf-8") == text_of("hugo-bom.md").replace(
        '"lang": "fr"\n', '"lang": "fr",\n  "date": "2024-01-02"\n'
    )
    del before["hugo-bom.md"]
    after = snapshot(site)
    del after["hugo-bom.md"]
    assert after == before


def test_cli_fix_all_repairs_json_mojibake_and_dates_together(tmp_path: Path) -> None:
    from test_cli import run

    (tmp_path / "a.md").write_text(
        '{\n  "title": "caf\\u00c3\\u00a9",\n  "date": "Dec 07, 2024"\n}\nBody\n', "utf-8"
    )
    done = run(tmp_path, "fix", "--all", "a.md")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "fixed a.md\n",
        "1 file changed, 0 unchanged, 0 failed\n",
    )
    assert (tmp_path / "a.md").read_text("utf-8") == (
        '{\n  "title": "caf\\u00e9",\n  "date": "2024-12-07"\n}\nBody\n'
    )


def test_cli_check_reports_bad_json_with_code_and_position(tmp_path: Path) -> None:
    from test_cli import run

    (tmp_path / "bad.md").write_bytes((FIXTURES / "bad" / "trailing-comma.md").read_bytes())
    (tmp_path / "dup.md").write_bytes((FIXTURES / "bad" / "duplicate-key.md").read_bytes())
    done = run(tmp_path, "check", ".")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "bad.md:3:20: E015 a comma after the last item: JSON allows none",
        "  help: remove this comma (only the closing ']' follows it)",
        "dup.md:4:3: E006 duplicate key 'title' (first on line 2)",
        "  help: remove one of the two, or rename one: a mapping holds each key once",
    ]
