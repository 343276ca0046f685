"""The one key-path home: parser, formatter, resolution and walker; the one error-code home."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

import frontmatter_qt as fq
from frontmatter_qt import errors, keypath
from frontmatter_qt.diagnostics import Diagnostic, of_error
from frontmatter_qt.errors import KeyPathError, KeySyntaxError

DATA: dict[Any, Any] = {
    "seo": {"title": "T", "og": {"image": "x.png"}},
    "tags": ["a", "b"],
    "a.b": {"c": 1},
    7: "seven",
    "n": None,
}


def test_parse_and_format() -> None:
    assert keypath.parse("seo.title") == ("seo", "title")
    assert keypath.parse('"a.b".c') == ("a.b", "c")
    assert keypath.parse("a::b.c", "::") == ("a", "b.c")
    assert keypath.parse("''.x") == ("", "x")  # a quoted empty key is a key
    assert keypath.format(("seo", "title")) == "seo.title"
    assert keypath.format(("tags", 0)) == "tags[0]"
    assert keypath.format(("a.b", "c")) == '"a.b".c'
    assert keypath.format((dt.date(2024, 1, 2), True)) == '"2024-01-02"."True"'
    assert keypath.format(()) == ""
    for bad, sep in (("a..b", "."), ("'a", "."), ("a", ""), ("", "."), ("a.", ".")):
        with pytest.raises(KeySyntaxError):
            keypath.parse(bad, sep)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\"'."), min_size=1)))
def test_formatted_string_paths_parse_back(keys: list[str]) -> None:
    if keys:
        assert keypath.parse(keypath.format(tuple(keys))) == tuple(keys)


def test_resolve_reads_digits_as_indexes_and_int_keys_ascii_only() -> None:
    assert keypath.resolve(DATA, ("tags", "1")) == ("tags", 1)
    assert keypath.resolve(DATA, ("tags", "-1")) == ("tags", -1)
    assert keypath.resolve(DATA, ("7",)) == (7,)
    assert keypath.resolve(DATA, ("²",)) == ("²",)  # str.isdigit() is true for it
    assert keypath.resolve(DATA, ("tags", "٣")) == ("tags", "٣")
    assert keypath.resolve(DATA, ("missing", "0")) == ("missing", "0")


def test_get_deepest_and_errors() -> None:
    assert keypath.get(DATA, ("seo", "og", "image")) == "x.png"
    assert keypath.get(DATA, ("tags", -1)) == "b"
    assert keypath.get(DATA, ()) is DATA
    assert keypath.deepest(DATA, ("seo", "og", "nope", "x")) == ("seo", "og")
    assert keypath.deepest(DATA, ("seo", "title", "x")) == ("seo", "title")
    assert keypath.deepest(DATA, ("tags", 5)) == ("tags",)
    assert keypath.has(DATA, ("n",)) and not keypath.has(DATA, ("n", "x"))
    with pytest.raises(KeyPathError, match=r"key not found: seo\.nope") as missing:
        keypath.get(DATA, ("seo", "nope"))
    assert missing.value.keys == ("seo", "nope") and isinstance(missing.value, KeyError)
    with pytest.raises(KeyPathError, match=r"seo\.title is a str, not a mapping"):
        keypath.get(DATA, ("seo", "title", "x"))
    with pytest.raises(KeyPathError, match=re.escape("no list item tags[2] (tags has 2 items)")):
        keypath.get(DATA, ("tags", 2, "x"))


def test_assign_creates_mappings_never_list_items() -> None:
    data: dict[Any, Any] = {"tags": ["a"], "s": "x"}
    keypath.assign(data, ("seo", "og", "image"), "y.png")
    keypath.assign(data, ("tags", 0), "A")
    assert data == {"tags": ["A"], "s": "x", "seo": {"og": {"image": "y.png"}}}
    with pytest.raises(KeyPathError, match=re.escape("no list item tags[3]")):
        keypath.assign(data, ("tags", 3), "z")
    with pytest.raises(KeyPathError, match="s is a str, not a mapping"):
        keypath.assign(data, ("s", "x"), 1)
    with pytest.raises(KeyPathError, match="key not found: new"):
        keypath.assign(data, ("new", "x"), 1, create=False)
    with pytest.raises(KeyPathError, match="empty key path"):
        keypath.assign(data, (), 1)


def test_delete_and_strings() -> None:
    data: dict[Any, Any] = {"a": {"b": "x", "c": [1, "y", {"d": "z"}]}, "e": 2}
    assert list(keypath.strings(data)) == [
        (("a", "b"), "x"),
        (("a", "c", 1), "y"),
        (("a", "c", 2, "d"), "z"),
    ]
    assert keypath.delete(data, ("a", "c", 0)) is True
    assert keypath.delete(data, ("a", "nope")) is False
    assert keypath.delete(data, ("e", "x")) is False
    assert data == {"a": {"b": "x", "c": ["y", {"d": "z"}]}, "e": 2}


def test_key_path_errors_are_positioned_by_the_document() -> None:
    doc = fq.loads("---\nseo:\n  title: T\ntags:\n  - a\n---\n")
    assert doc.locate(("seo", "title")) == doc.locate(("seo", "title", "x"))
    assert (doc.locate(("seo", "title")).line, doc.locate(("seo", "title")).column) == (3, 10)
    missing = doc.locate(("seo", "nope"))
    assert (missing.line, missing.column, missing.end_line, missing.end_column) == (2, 1, 2, 4)
    item = doc.locate(("tags", 0, "x"))
    assert (item.line, item.column) == (5, 5)
    top = doc.locate(("nope",))
    assert (top.line, top.column, top.end_line, top.end_column) == (1, 1, 1, 4)


# -- codes ----------------------------------------------------------------------------------------


def error_classes() -> list[type[errors.FrontMatterError]]:
    found = [getattr(errors, name) for name in errors.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, errors.FrontMatterError)]


def test_every_error_class_carries_a_documented_code() -> None:
    cookbook = (ROOT / "docs" / "errors.md").read_text("utf-8")  # every code's own page
    codes: dict[str, list[str]] = {}
    for cls in error_classes():
        assert re.fullmatch(r"[EV][0-9]{3}", cls.code), cls
        codes.setdefault(cls.code, []).append(cls.__name__)
        assert cls.code in cookbook, cls
    # One code per class, except a subclass that only names its parent's use.
    assert {code: names for code, names in codes.items() if len(names) > 1} == {
        "V001": ["ArticleValidationError", "ModelValidationError"],
        "E902": ["MissingFileError", "ReadError", "ReadPermissionError"],
    }
    for code in errors.SITUATION_CODES:
        assert code in cookbook


def test_the_codes_the_command_has_always_printed_keep_their_meaning() -> None:
    stable = {
        "DecodeError": "E001",
        "BinaryFileError": "E002",
        "UnterminatedFrontMatterError": "E003",
        "YAMLSyntaxError": "E004",
        "TabIndentationError": "E005",
        "DuplicateKeyError": "E006",
        "UnsafeTagError": "E007",
        "UnsupportedYAMLError": "E008",
        "NotAMappingError": "E009",
        "SizeLimitError": "E010",
        "DepthLimitError": "E011",
        "AliasLimitError": "E012",
        "LimitExceededError": "E013",
        "UnrepresentableValueError": "E020",
        "RoundTripError": "E021",
        "KeyPathError": "E022",
        "DateParseError": "E030",
        "AmbiguousDateError": "E031",
        "DateFormatError": "E032",
        "WriteError": "E040",
        "ConcurrentModificationError": "E041",
        "ArticleValidationError": "V001",
        "FrontMatterError": "E099",
    }
    assert {name: getattr(errors, name).code for name in stable} == stable
    assert errors.code_of(FileNotFoundError(2, "No such file")) == "E902"
    assert errors.code_of(RuntimeError("boom")) == "E999"


def test_of_error_gives_one_diagnostic_type_for_every_failure(tmp_path: Path) -> None:
    error = errors.YAMLSyntaxError("bad", path="a.md", line=2, column=3)
    assert of_error(error) == [Diagnostic("a.md", 2, 3, "E004", "bad", type="YAMLSyntaxError")]
    assert of_error(OSError(13, "Permission denied"), "b.md") == [
        Diagnostic("b.md", None, None, "E902", "Permission denied", type="PermissionError")
    ]
    [boom] = of_error(ValueError("boom"), "c.md")
    assert boom.line_text() == "c.md:1:1: E999 ValueError: boom"
