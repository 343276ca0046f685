"""Bad input: a specific FrontMatterError subclass with file, line and column; never a crash."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from conftest import BAD, BAD_FILES, EXPECT

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.diagnostics import Diagnostic, of_error

POWERSHELL_51 = "real-PowerShell-Docs__reference__5.1__Microsoft.PowerShell.Core__ForEach-Object.md"
POWERSHELL_76 = "real-PowerShell-Docs__reference__7.6__Microsoft.PowerShell.Core__ForEach-Object.md"

EXPECTED: dict[str, tuple[type[errors.FrontMatterError], int, int, str]] = {
    "alias-bomb.md": (errors.AliasLimitError, 6, 4, "expands to more than 100000 nodes"),
    "bad-indent.md": (errors.YAMLSyntaxError, 12, 4, "indented unlike its neighbours"),
    "duplicate-key.md": (
        errors.DuplicateKeyError,
        18,
        1,
        "duplicate key 'author' (first on line 17)",
    ),
    "latin1.md": (errors.DecodeError, 2, 11, "byte 0xe9 is byte 15 of the file (offset 14)"),
    "not-a-mapping.md": (errors.NotAMappingError, 2, 1, "not a sequence"),
    "nul-bytes.md": (errors.BinaryFileError, 2, 9, "NUL byte at byte 13"),
    "python-tag.md": (errors.UnsafeTagError, 17, 9, "python/object/apply:os.system"),
    POWERSHELL_51: (errors.YAMLSyntaxError, 9, 5, "cannot start with a percent sign `%`"),
    POWERSHELL_76: (errors.YAMLSyntaxError, 9, 5, "cannot start with a percent sign `%`"),
    "tab-indent.md": (errors.TabIndentationError, 3, 1, "tab character"),
    "unterminated.md": (errors.UnterminatedFrontMatterError, 1, 1, "never closed"),
}


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD_FILES) == sorted(EXPECTED)
    for name in EXPECTED:
        if name in EXPECT:
            assert EXPECT[name]["ok"] is False


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_position(name: str) -> None:
    error_type, line, column, words = EXPECTED[name]
    path = BAD / name
    started = time.perf_counter()
    with pytest.raises(error_type) as caught:
        fq.load(path)
    assert time.perf_counter() - started < 1.0  # refused quickly, never expanded
    error = caught.value
    assert type(error) is error_type
    assert (error.path, error.line, error.column) == (str(path), line, column)
    assert words in error.message
    assert str(error).startswith(f"{path}:{line}:{column}: ")


def test_bad_indent_line_matches_expectation() -> None:
    with pytest.raises(errors.YAMLSyntaxError) as caught:
        fq.load(BAD / "bad-indent.md")
    assert caught.value.line == EXPECT["bad-indent.md"]["line"]


def test_latin1_byte_offset_matches_expectation() -> None:
    with pytest.raises(errors.DecodeError) as caught:
        fq.load(BAD / "latin1.md")
    assert caught.value.byte_offset + 1 == EXPECT["latin1.md"]["byte"]


def test_unsafe_tag_constructs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\na: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    with pytest.raises(errors.UnsafeTagError):
        fq.loads(text)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "error_type", "line", "column"),
    [
        ("---\na: !custom x\n---\n", errors.UnsafeTagError, 2, 4),
        ("---\na: !!set {x}\n---\n", errors.UnsafeTagError, 2, 4),
        ("---\na: =\n---\n", errors.UnsafeTagError, 2, 4),
        ("---\na: 1\n--- x\nb: 2\n---\n", errors.UnsupportedYAMLError, 3, 1),
        ("---\nbase: &b {x: 1}\nc:\n  <<: *b\n---\n", errors.UnsupportedYAMLError, 4, 3),
        ("---\n? [a, b]\n: 1\n---\n", errors.UnsupportedYAMLError, 2, 3),
        ("---\na: *nope\n---\n", errors.YAMLSyntaxError, 2, 4),
        ("---\njust a string\n---\n", errors.NotAMappingError, 2, 1),
        ("---\na: [1, 2\n---\n", errors.YAMLSyntaxError, 2, 4),
        ("---\n1: a\ntrue: b\n---\n", errors.DuplicateKeyError, 3, 1),
        ("---\nn: !!int x\n---\n", errors.YAMLSyntaxError, 2, 4),
    ],
)
def test_refusals_with_positions(
    text: str, error_type: type[errors.FrontMatterError], line: int, column: int
) -> None:
    with pytest.raises(error_type) as caught:
        fq.loads(text)
    assert type(caught.value) is error_type
    assert (caught.value.line, caught.value.column) == (line, column)


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        (
            "m: {1: x, true: y}",
            "key True is the same key as 1 to Python (True == 1): quote one of them to keep both,"
            " as text (first on line 2)",
        ),
        (
            "a: 0\nm:\n  1: x\n  1.0: y",
            "key 1.0 is the same key as 1 to Python (1.0 == 1): quote one of them to keep both, as"
            " text (first on line 4)",
        ),
        ("a: 1\nb: 2\na: 3", "duplicate key 'a' (first on line 2)"),
        ("1: a\n'1': b\n1: c", "duplicate key 1 (first on line 2)"),
    ],
)
def test_duplicate_keys_say_when_python_merges_two_yaml_keys(
    front_matter: str, message: str
) -> None:
    # YAML's 1, 1.0 and true are three keys; a Python dict holds them as one.
    with pytest.raises(errors.DuplicateKeyError) as caught:
        fq.loads(f"---\n{front_matter}\n---\n")
    assert caught.value.message == message


# The parser's usual complaints, as sentences at the place of the mistake, with a hint.
SYNTAX = [
    (
        'title: "Hello\nauthor: me\n',
        errors.YAMLSyntaxError,
        2,
        8,
        "this quote is never closed",
        'end the value with " (a " inside it is written \\"), or write the value without quotes',
    ),
    (
        "title: 'Hello\nauthor: me\n",
        errors.YAMLSyntaxError,
        2,
        8,
        "this quote is never closed",
        "end the value with ' (a ' inside it is written ''), or write the value without quotes",
    ),
    (
        "aliases:\n  - %\n  - foreach\n",
        errors.YAMLSyntaxError,
        3,
        5,
        "a value cannot start with a percent sign `%` unless it is quoted",
        "quote the value: '%'",
    ),
    (
        "x: @user\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "a value cannot start with an at sign `@` unless it is quoted",
        "quote the value: '@user'",
    ),
    (
        "x: `code` # a comment\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "a value cannot start with a backtick (`) unless it is quoted",
        "quote the value: '`code`'",
    ),
    (
        "x: *\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "a value cannot start with an asterisk `*` (which starts an alias) unless it is quoted",
        "quote the value: '*'",
    ),
    (
        "x: ]\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "a value cannot start with a `]` unless it is quoted",
        "quote the value: ']'",
    ),
    (
        "title: Re: it's done\n",
        errors.YAMLSyntaxError,
        2,
        10,
        "a value that is not quoted cannot contain `: `",
        "quote the value: 'Re: it''s done'",
    ),
    (
        "a: 1\n  b: 2\n",
        errors.YAMLSyntaxError,
        3,
        3,
        "this line is indented more than the line above, so it continues that value, and a "
        "value that is not quoted cannot contain `: `",
        "indent it like the other keys of its mapping",
    ),
    (
        'title: "a" b\n',
        errors.YAMLSyntaxError,
        2,
        12,
        'text follows the closing " of a quoted value',
        'put the whole value inside the quotes (a " inside it is written \\")',
    ),
    (
        "x: 'it's'\n",
        errors.YAMLSyntaxError,
        2,
        8,
        "text follows the closing ' of a quoted value",
        "put the whole value inside the quotes (a ' inside it is written '')",
    ),
    (
        "title: a\nbroken line\nz: 1\n",
        errors.YAMLSyntaxError,
        3,
        1,
        "this line is neither a `key: value` pair nor the continuation of a value",
        "add `: ` after the key, indent the line to continue the value above, or start it "
        "with # to make it a comment",
    ),
    (
        "tags: [a, b\nz: 1\n",
        errors.YAMLSyntaxError,
        2,
        7,
        "this `[` list is not closed with `]` (or a comma is missing)",
        "close it with `]` and separate its items with commas; a text that starts with `[` "
        "must be quoted: '[a, b'",
    ),
    (
        "tags: {a: 1\nz: 1\n",
        errors.YAMLSyntaxError,
        2,
        7,
        "this `{` mapping is not closed with `}` (or a comma is missing)",
        "close it with `}` and separate its items with commas; a text that starts with `{` "
        "must be quoted: '{a: 1'",
    ),
    (
        'path: "C:\\Users"\n',
        errors.YAMLSyntaxError,
        2,
        10,
        "`\\U` starts a character code (\\UXXXXXXXX) in a double-quoted value, and no code follows",
        "write a backslash as \\\\, or use single quotes, where a backslash is just a backslash",
    ),
    (
        'x: "a\\qb"\n',
        errors.YAMLSyntaxError,
        2,
        6,
        "`\\q` is not an escape YAML knows in a double-quoted value",
        "write a backslash as \\\\, or use single quotes, where a backslash is just a backslash",
    ),
    (
        "a:\n\tb: 1\n",
        errors.TabIndentationError,
        3,
        1,
        "a tab character is used for indentation; YAML indents with spaces only",
        "replace the tab with spaces",
    ),
    (
        "x: |x\n  a\n",
        errors.YAMLSyntaxError,
        2,
        5,
        "text follows `|` on its line; a block value starts on the next line",
        "put the text on the lines below `|`, indented, or quote the value: '|x'",
    ),
    (
        "- a\nb: 1\n",
        errors.YAMLSyntaxError,
        3,
        1,
        "a `key:` where the next `- ` list item was expected",
        "a list and the keys of a mapping cannot share an indentation; indent the list under "
        "its key",
    ),
    (
        "a: 1\n- b\n",
        errors.YAMLSyntaxError,
        3,
        1,
        "a list item where a `key:` was expected",
        "indent the list under the key it belongs to",
    ),
    (
        "x: - a\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "a `- ` list cannot start on the same line as its key",
        "put each `- item` on its own line below the key, or quote the value: '- a'",
    ),
    (
        "a:\n  b: 1\n     c: 2\n  d: 3\n",
        errors.YAMLSyntaxError,
        4,
        6,
        "this line is indented more than the line above, so it continues that value, and a "
        "value that is not quoted cannot contain `: `",
        "indent it like the other keys of its mapping",
    ),
    (
        "title: a\nx: 1\ntitle: b\n",
        errors.DuplicateKeyError,
        4,
        1,
        "duplicate key 'title' (first on line 2)",
        "remove one of the two, or rename one: a mapping holds each key once",
    ),
    (
        "x: *nope\n",
        errors.YAMLSyntaxError,
        2,
        4,
        "*nope refers to an anchor &nope that is not defined above",
        "define &nope on an earlier value, or quote the value: '*nope'",
    ),
    (
        "x: a\x01b\n",
        errors.YAMLSyntaxError,
        2,
        5,
        "the character U+0001 is not allowed in YAML",
        "remove it (often an invisible control character pasted from elsewhere)",
    ),
]


@pytest.mark.parametrize(("fm", "error_type", "line", "column", "message", "hint"), SYNTAX)
@pytest.mark.parametrize("pure", [False, True])
def test_syntax_errors_are_sentences_at_the_mistake(
    fm: str,
    error_type: type[errors.FrontMatterError],
    line: int,
    column: int,
    message: str,
    hint: str,
    pure: bool,
) -> None:
    """Both parsers (libyaml and the pure-Python one) get the same sentence and place."""
    with pytest.raises(error_type) as caught:
        fq.loads(f"---\n{fm}---\n", path="post.md", pure=pure)
    error = caught.value
    assert type(error) is error_type
    assert (error.line, error.column, error.message, error.hint) == (line, column, message, hint)
    assert str(error) == f"post.md:{line}:{column}: {message}"
    [shown] = of_error(error)
    assert (shown.code, shown.hint) == (error.code, hint)


def test_unrecognised_parser_errors_keep_the_parsers_words() -> None:
    with pytest.raises(errors.YAMLSyntaxError) as caught:
        fq.loads("---\nx: ?\n---\n")
    assert caught.value.message == (
        "YAML syntax error: mapping keys are not allowed in this context"
    )
    assert caught.value.hint is None


def test_each_error_class_carries_a_default_hint_an_error_may_replace() -> None:
    assert errors.DecodeError("x", byte_offset=0).hint == errors.DecodeError.hint
    assert errors.WriteError("x", hint="free some space").hint == "free some space"
    assert errors.WriteError.hint is not None
    assert errors.FrontMatterError("x").hint is None


def test_positions_count_characters_not_bytes_on_non_ascii_and_crlf() -> None:
    text = "---\r\ntitle: 肝癌 🩺 ≥\r\nb: x\r\n  c: [\r\n---\r\n"
    with pytest.raises(errors.YAMLSyntaxError) as caught:
        fq.loads(text.encode("utf-8"))
    assert caught.value.line == 4
    doc = fq.loads("\ufeff---\r\ntitle: 肝癌 🩺\r\nnext: é\r\n---\r\n")
    assert doc.position("title") == (2, 8)
    assert doc.position("next") == (3, 7)
    assert doc.key_position("next") == (3, 1)


def test_u2028_is_a_line_break_to_yaml_but_not_to_our_positions() -> None:
    doc = fq.loads('---\na: "x\\u2028y"\nb: 1\n---\n')
    assert doc["a"] == "x\u2028y"
    assert doc.position("b") == (3, 4)
    doc = fq.loads("---\na: 'x\u2028y'\nb: 1\n---\n")
    assert doc.position("b") == (3, 4)


@pytest.mark.parametrize(
    ("text", "change", "where", "name"),
    [
        ("a: 1 #c\x85b: 2\n", lambda d: d.__delitem__("b"), (2, 8), "NEL (U+0085)"),
        ("a: 1\x85b: 2\nc: 3\n", lambda d: d.__delitem__("a"), (2, 5), "NEL (U+0085)"),
        ("a: 1\u2028b: 2\nc: 3\n", lambda d: d.insert("z", 1, after="a"), (2, 5), "U+2028"),
        ("a: x\nc: 3\u2029d: 4\n", lambda d: d.__setitem__("a", "y"), (3, 5), "U+2029"),
    ],
    ids=["nel-in-comment", "nel", "u2028", "u2029"],
)
def test_edit_where_a_unicode_line_break_breaks_a_line_is_refused_at_it(
    text: str, change: Any, where: tuple[int, int], name: str
) -> None:
    """libyaml reads NEL, U+2028 and U+2029 as line breaks; the editor finds lines by LF: an
    edit is refused up front, at the character, as for a lone CR. Loading and identity stay."""
    doc = fq.loads(f"---\n{text}---\n")
    assert doc.dumps() == f"---\n{text}---\n"
    change(doc)
    with pytest.raises(errors.RoundTripError) as caught:
        doc.dumps()
    assert (caught.value.line, caught.value.column) == where
    assert caught.value.message == (
        f"refusing to edit: the front matter has a line break made of {name}, which YAML "
        "reads as a line break; convert it to LF first"
    )


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unicode_line_break_inside_a_quoted_value_keeps_the_file_editable(quote: str) -> None:
    text = f"---\na: {quote}x\x85y\u2028z{quote}\nc: 3\n---\n"
    doc = fq.loads(text)
    doc["c"] = 4
    assert doc.dumps() == text.replace("c: 3", "c: 4")
    doc["a"] = "w"
    assert doc.dumps() == f"---\na: {quote}w{quote}\nc: 4\n---\n"


def test_alias_limits_are_configurable() -> None:
    text = "---\na: &a [1, 2]\nb: [*a, *a, *a]\n---\n"
    assert fq.loads(text)["b"] == [[1, 2]] * 3
    with pytest.raises(errors.AliasLimitError) as caught:
        fq.loads(text, limits=fq.Limits(max_aliases=2))
    assert (caught.value.line, caught.value.column) == (3, 13)
    doc = fq.loads(text)
    doc["b"][0].append(3)
    assert doc["b"][1] == [1, 2], "aliases load as independent copies"


def test_depth_limit_is_quick() -> None:
    deep = "---\na: " + "[" * 10_000 + "]" * 10_000 + "\n---\n"
    started = time.perf_counter()
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(deep)
    assert time.perf_counter() - started < 1.0
    assert (caught.value.line, caught.value.column) == (2, 4 + 63)  # the root mapping is level 1
    assert fq.loads("---\na: [[1]]\n---\n", limits=fq.Limits(max_depth=3))["a"] == [[1]]
    with pytest.raises(errors.DepthLimitError):
        fq.loads("---\na: [[1]]\n---\n", limits=fq.Limits(max_depth=2))


def test_size_limits_are_quick() -> None:
    huge = b"---\na: 1\n---\n" + b"x" * 50_000_000
    started = time.perf_counter()
    with pytest.raises(errors.SizeLimitError, match="over the limit"):
        fq.loads(huge)
    assert time.perf_counter() - started < 1.0
    big_front = "---\na: '" + "x" * 2_000_000 + "'\n---\n"
    with pytest.raises(errors.SizeLimitError, match="front matter is 2000006 characters"):
        fq.loads(big_front)
    assert (
        fq.loads(big_front, limits=fq.Limits(max_front_matter_chars=3_000_000))["a"]
        == "x" * 2_000_000
    )


def test_every_error_is_a_front_matter_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, Exception):
            assert issubclass(cls, errors.FrontMatterError), name


def test_errors_survive_pickling() -> None:
    import pickle

    samples: list[errors.FrontMatterError] = [
        errors.DecodeError("m", byte_offset=5, path="p", line=1, column=2),
        errors.YAMLSyntaxError("m", path="p", line=1, column=2),
        errors.ArticleValidationError(
            [Diagnostic("p", 1, 2, "V001", "m", keys=("f",), type="missing")], path="p"
        ),
        errors.RoundTripError("no path"),
    ]
    for error in samples:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)
