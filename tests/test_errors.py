"""Bad input: a specific FrontMatterError subclass with file, line and column; never a crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import BAD, BAD_FILES, EXPECT

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.diagnostics import Diagnostic

POWERSHELL_51 = "real-PowerShell-Docs__reference__5.1__Microsoft.PowerShell.Core__ForEach-Object.md"
POWERSHELL_76 = "real-PowerShell-Docs__reference__7.6__Microsoft.PowerShell.Core__ForEach-Object.md"

EXPECTED: dict[str, tuple[type[errors.FrontMatterError], int, int, str]] = {
    "alias-bomb.md": (errors.AliasLimitError, 6, 4, "expands to more than 100000 nodes"),
    "bad-indent.md": (errors.YAMLSyntaxError, 12, 4, "indented unlike its neighbours"),
    "duplicate-key.md": (errors.DuplicateKeyError, 18, 1, "duplicate key 'author'"),
    "latin1.md": (errors.DecodeError, 2, 11, "byte 0xe9 is byte 15 of the file (offset 14)"),
    "not-a-mapping.md": (errors.NotAMappingError, 2, 1, "not a sequence"),
    "nul-bytes.md": (errors.BinaryFileError, 2, 9, "NUL byte at byte 13"),
    "python-tag.md": (errors.UnsafeTagError, 17, 9, "python/object/apply:os.system"),
    POWERSHELL_51: (errors.YAMLSyntaxError, 9, 5, "cannot start any token"),
    POWERSHELL_76: (errors.YAMLSyntaxError, 9, 5, "cannot start any token"),
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
        ("---\na: [1, 2\n---\n", errors.YAMLSyntaxError, 3, 1),
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
