"""Converting front matter between YAML, TOML and JSON (``doc.convert``): exact output per pair,
delimiters, newlines, BOM and body kept, comments carried or reported, refusals at their
positions, the document afterwards, and every corpus file converted and read back."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKE_FILES, REAL_FILES, TOML, by_source, check_each, ids

import frontmatter_qt as fq
from frontmatter_qt import errors, formats, keypath
from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.text import split
from frontmatter_qt.formats.json import object_end  # formats.json is loaded on first use

JSON_FIXTURES = Path(__file__).parent / "fixtures" / "json"
JSON_FILES = sorted(JSON_FIXTURES.glob("*.md"))
TOML_FILES = sorted(p for p in TOML.glob("*.md") if p.name != "SOURCES.md")
YAML_FILES = QUICKTAKE_FILES + REAL_FILES

YAML_POST = """\
---
# Page settings
title: Hello, world   # shown in the browser tab
date: 2024-12-07
draft: false
tags:
  - rust   # the language
  - release
params:
  # per-page switches
  toc: true
  math: false
weight: 10

# Menus come last
menu:
  main:
    name: Hello
    weight: 2
---
Body *text*.
"""

TOML_POST = """\
+++
# Hugo page
title = "Release notes"  # the <title>
date = 2024-12-07T10:00:00+01:00
draft = false
tags = [
  "rust",  # the language
  "release",
]

[params]
# per-page switches
toc = true

[[resources]]
src = "a.png"  # first image

[[resources]]
src = "b.png"
+++

The body.
"""

JSON_POST = """\
{
  "title": "JSON page",
  "draft": true,
  "weight": 3,
  "params": {"toc": false, "series": null},
  "aliases": ["/old/"]
}
Body.
"""


def holds(fmt: str, data: dict[Any, Any]) -> bool:
    """Whether ``fmt`` can hold ``data`` (dates and times as ISO text where it has no type for
    them), by each format's data model, written here independently of the library."""
    for path, value in keypath.walk(data):
        if fmt != "yaml" and not all(isinstance(key, (str, int)) for key in path):
            return False  # a key that is not a string (list indexes are ints)
        if fmt != "yaml" and isinstance(value, dict) and not all(isinstance(k, str) for k in value):
            return False
        if fmt == "toml" and (value is None or isinstance(value, bytes)):
            return False
        if fmt == "toml" and type(value) is int and not -(2**63) <= value < 2**63:
            return False
        if fmt == "json" and isinstance(value, float) and not math.isfinite(value):
            return False
        if fmt == "json" and isinstance(value, bytes):
            return False
    return not (fmt != "yaml" and not all(isinstance(k, str) for k in data))


def converted(text: str, to: str, **options: Any) -> tuple[str, fq.Conversion]:
    doc = fq.loads(text, path="post.md")
    result = doc.convert(to, **options)
    return doc.dumps(), result


def warnings(result: fq.Conversion) -> list[str]:
    return [d.line_text() for d in result.dropped]


# -- each pair, exactly -----------------------------------------------------------------------


def test_yaml_to_toml() -> None:
    out, result = converted(YAML_POST, "toml")
    assert out == (
        "+++\n"
        "# Page settings\n"
        'title = "Hello, world"   # shown in the browser tab\n'
        "date = 2024-12-07\n"
        "draft = false\n"
        'tags = ["rust", "release"]\n'
        "# per-page switches\n"
        "params.toc = true\n"
        "params.math = false\n"
        "weight = 10\n"
        "\n"
        "# Menus come last\n"
        "[menu]\n"
        "\n"
        "[menu.main]\n"
        'name = "Hello"\n'
        "weight = 2\n"
        "+++\n"
        "Body *text*.\n"
    )
    assert (result.source, result.target, result.stringified) == ("yaml", "toml", ())
    assert warnings(result) == [
        "post.md:7:12: W001 tags[0]: comment not carried over (TOML writes tags[0] where no "
        "comment can follow it): # the language"
    ]
    [dropped] = result.dropped
    assert (dropped.severity, dropped.keys, dropped.end_line, dropped.end_column) == (
        "warning",
        ("tags", 0),
        7,
        26,
    )


def test_yaml_to_json_refuses_a_date_unless_asked() -> None:
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        converted(YAML_POST, "json")
    assert str(caught.value) == (
        "post.md:4:7: cannot convert to JSON: date: cannot write a date value to JSON front "
        "matter (JSON holds strings, numbers, true/false, null, arrays and objects)"
    )
    assert caught.value.hint == DATES
    assert caught.value.keys == ("date",)
    out, result = converted(YAML_POST, "json", dates_as_strings=True)
    assert out == (
        "{\n"
        '  "title": "Hello, world",\n'
        '  "date": "2024-12-07",\n'
        '  "draft": false,\n'
        '  "tags": [\n'
        '    "rust",\n'
        '    "release"\n'
        "  ],\n"
        '  "params": {\n'
        '    "toc": true,\n'
        '    "math": false\n'
        "  },\n"
        '  "weight": 10,\n'
        '  "menu": {\n'
        '    "main": {\n'
        '      "name": "Hello",\n'
        '      "weight": 2\n'
        "    }\n"
        "  }\n"
        "}\n"
        "Body *text*.\n"
    )
    assert result.stringified == (("date",),)
    assert [(d.line, d.column, d.keys) for d in result.dropped] == [
        (2, 1, ("title",)),
        (3, 23, ("title",)),
        (7, 12, ("tags", 0)),
        (10, 3, ("params", "toc")),
        (15, 1, ("menu",)),
    ]
    assert {d.message.split(":")[0] for d in result.dropped} == {
        "comment not carried over (JSON has no comments)"
    }


def test_toml_to_yaml() -> None:
    out, result = converted(TOML_POST, "yaml")
    assert out == (
        "---\n"
        "# Hugo page\n"
        "title: Release notes  # the <title>\n"
        "date: 2024-12-07 10:00:00+01:00\n"
        "draft: false\n"
        "tags:\n"
        "- rust  # the language\n"
        "- release\n"
        "params:\n"
        "  # per-page switches\n"
        "  toc: true\n"
        "resources:\n"
        "- src: a.png  # first image\n"
        "- src: b.png\n"
        "---\n"
        "\n"
        "The body.\n"
    )
    assert result.dropped == ()


def test_toml_to_json_with_tabs() -> None:
    out, result = converted(TOML_POST, "json", dates_as_strings=True, indent="\t")
    assert out == (
        '{\n\t"title": "Release notes",\n\t"date": "2024-12-07T10:00:00+01:00",\n'
        '\t"draft": false,\n\t"tags": [\n\t\t"rust",\n\t\t"release"\n\t],\n'
        '\t"params": {\n\t\t"toc": true\n\t},\n\t"resources": [\n\t\t{\n\t\t\t"src": "a.png"\n'
        '\t\t},\n\t\t{\n\t\t\t"src": "b.png"\n\t\t}\n\t]\n}\n\nThe body.\n'
    )
    assert warnings(result) == [
        "post.md:2:1: W001 title: comment not carried over (JSON has no comments): # Hugo page",
        "post.md:3:26: W001 title: comment not carried over (JSON has no comments): # the <title>",
        "post.md:7:12: W001 tags[0]: comment not carried over (JSON has no comments): # the "
        "language",
        "post.md:12:1: W001 params.toc: comment not carried over (JSON has no comments): # "
        "per-page switches",
        "post.md:16:16: W001 resources[0].src: comment not carried over (JSON has no "
        "comments): # first image",
    ]


def test_json_to_yaml_and_toml() -> None:
    out, result = converted(JSON_POST, "yaml")
    assert out == (
        "---\ntitle: JSON page\ndraft: true\nweight: 3\nparams:\n  toc: false\n  series: null\n"
        "aliases:\n- /old/\n---\nBody.\n"
    )
    assert result == fq.Conversion("json", "yaml")
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        converted(JSON_POST, "toml")
    assert str(caught.value) == (
        "post.md:5:38: cannot convert to TOML: params.series: cannot write this value to TOML "
        "front matter: TOML has no null (None): delete the key instead"
    )
    doc = fq.loads(JSON_POST)
    del doc["params"]["series"]
    doc.convert("toml")
    assert doc.dumps() == (
        '+++\ntitle = "JSON page"\ndraft = true\nweight = 3\nparams.toc = false\n'
        'aliases = ["/old/"]\n+++\nBody.\n'
    )


def test_toml_keeps_key_order_with_tables_between_values() -> None:
    """A table before a plain value cannot be a [section] without moving after it: dotted keys
    (or an inline value) keep the order; trailing tables are sections."""
    text = (
        "---\na: 1\nseo:\n  title: T\n  deep:\n    k: 1\nb: 2\nlinks:\n- x: 1\n- x: 2\nempty: {}\n"
        "c: 3\nlast:\n  z: 1\nitems:\n- n: 1\n---\n"
    )
    out, _ = converted(text, "toml")
    assert out == (
        '+++\na = 1\nseo.title = "T"\nseo.deep.k = 1\nb = 2\nlinks = [{ x = 1 }, { x = 2 }]\n'
        "empty = {}\nc = 3\n\n[last]\nz = 1\n\n[[items]]\nn = 1\n+++\n"
    )
    doc = fq.loads(out)
    assert list(doc) == ["a", "seo", "b", "links", "empty", "c", "last", "items"]
    assert same_in_order(doc.data, fq.loads(text).data)


# -- delimiters, newlines, BOM, body ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "to", "fence", "expected"),
    [
        ("+++\n# c\nx = 1 # t\n+++\nB\n", "toml", "eleventy", "---toml\n# c\nx = 1 # t\n---\nB\n"),
        ("---toml\n# c\nx = 1 # t\n---\nB\n", "toml", "hugo", "+++\n# c\nx = 1 # t\n+++\nB\n"),
        ('---json\n{\n  "a": 1\n}\n---\nB\n', "json", "hugo", '{\n  "a": 1\n}\nB\n'),
        ('{"a": 1}\nB\n', "json", "eleventy", '---json\n{"a": 1}\n---\nB\n'),
        ("---yaml\na: 1 # c\n---\nB\n", "yaml", "hugo", "---\na: 1 # c\n---\nB\n"),
        ("---\na: 1\n---\nB\n", "toml", "eleventy", "---toml\na = 1\n---\nB\n"),
        ("---\na: 1\n---\nB\n", "json", "eleventy", '---json\n{\n  "a": 1\n}\n---\nB\n'),
        ('{"a": 1}B\n', "yaml", "hugo", "---\na: 1\n---\nB\n"),
        ('{"a": 1}\n\nB\n', "yaml", "hugo", "---\na: 1\n---\n\nB\n"),
        ("---\na: 1\n---\n\nB\n", "json", "hugo", '{\n  "a": 1\n}\n\nB\n'),
        ("---\na: 1\n...\nB\n", "toml", "hugo", "+++\na = 1\n+++\nB\n"),
        ("---\n---\nB\n", "toml", "hugo", "+++\n+++\nB\n"),
        ("---\n---\nB\n", "json", "hugo", "{}\nB\n"),
        ("---\n---\nB\n", "json", "eleventy", "---json\n{}\n---\nB\n"),
    ],
)
def test_delimiters(source: str, to: str, fence: str, expected: str) -> None:
    out, result = converted(source, to, fence=fence)
    assert out == expected
    assert result.dropped == ()
    assert fq.loads(out).format == to


@pytest.mark.parametrize(
    ("source", "to", "expected"),
    [
        ('{"a": 1}', "yaml", "---\na: 1\n---"),
        ("---\na: 1\n---", "json", '{\n  "a": 1\n}'),
        ("\ufeff---\r\na: 1\r\n---", "toml", "\ufeff+++\r\na = 1\r\n+++"),
        (
            "\ufeff---\r\na: [1, 2]\r\n---\r\n\r\nBody\r\n",
            "json",
            '\ufeff{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n\r\nBody\r\n',
        ),
        (
            '\ufeff+++\r\n# c\r\nt = "x"  # d\r\n[s]\r\nk = 1\r\n+++\r\nB',
            "yaml",
            "\ufeff---\r\n# c\r\nt: x  # d\r\ns:\r\n  k: 1\r\n---\r\nB",
        ),
    ],
)
def test_newlines_bom_and_missing_final_newline_are_kept(
    source: str, to: str, expected: str
) -> None:
    assert converted(source, to)[0] == expected


@pytest.mark.parametrize("to", formats.NAMES)
@pytest.mark.parametrize("path", JSON_FILES, ids=ids(JSON_FILES))
def test_json_fixtures_keep_bom_newlines_and_body(path: Path, to: str) -> None:
    raw = path.read_bytes().decode("utf-8")
    doc = fq.loads(raw)
    body, bom, newline = doc.body, doc.bom, doc.newline
    if to != doc.format and not holds(
        to, doc.data
    ):  # None or an integer beyond 64 bits in TOML, inf in JSON
        with pytest.raises(errors.UnrepresentableValueError, match="cannot convert to"):
            doc.convert(to)
        return
    doc.convert(to, dates_as_strings=True)
    out = doc.dumps()
    again = split(out)
    assert fq.loads(out).body == body
    assert again.bom == ("\ufeff" if bom else "")
    lines = out.count("\n")
    assert out.count("\r\n") == (lines if newline == "\r\n" else 0) or body.count("\r") > 0
    assert same_in_order(fq.loads(out).data, fq.loads(raw).data)


# -- refusals ---------------------------------------------------------------------------------


DATES = "--dates-as-strings (in Python, dates_as_strings=True) writes it as ISO 8601 text"
TOML_HOLDS = "give it a value TOML holds, or leave this file in YAML"
SURROGATE = (
    "a lone surrogate is half of a character: write the whole character (its pair), or remove it"
)


@pytest.mark.parametrize(
    ("source", "to", "message", "hint"),
    [
        (
            "---\na: 1\n3: x\n---\n",
            "toml",
            "x.md:3:1: cannot convert to TOML: <root>: cannot write this value to TOML front "
            "matter: a key must be a string, not an int 3",
            "use the key as a string: '3'",
        ),
        (
            "---\na: 1\nb:\n  2024-01-01: x\n---\n",
            "json",
            "x.md:4:3: cannot convert to JSON: b: cannot write the key datetime.date(2024, 1, 1) "
            "(of type date) to JSON front matter: JSON keys are strings",
            "use the key as a string: '2024-01-01'",
        ),
        (
            "+++\na = 07:32:00\n+++\n",
            "yaml",
            "x.md:2:5: cannot convert to YAML: a: cannot write a value of type time to YAML front "
            "matter",
            DATES,
        ),
        (
            "---\nb: !!binary aGVsbG8=\n---\n",
            "toml",
            "x.md:2:4: cannot convert to TOML: b: cannot write this value to TOML front matter: "
            "TOML cannot hold a bytes",
            TOML_HOLDS,
        ),
        (
            "---\nn: 18446744073709551616\n---\n",
            "toml",
            "x.md:2:4: cannot convert to TOML: n: cannot write this value to TOML front matter: "
            "18446744073709551616 does not fit TOML's 64-bit integers",
            TOML_HOLDS,
        ),
        # a lone surrogate in a key: at the key (it was at the root, or had no position)
        (
            '{"a": {"\\ud800": 1}}\n',
            "yaml",
            "x.md:1:8: cannot convert to YAML: a: a lone surrogate (U+D800) in a key cannot be "
            "written as UTF-8",
            SURROGATE,
        ),
        (
            '{"\\ud800": 1}\n',
            "toml",
            "x.md:1:2: cannot convert to TOML: <root>: cannot write this value to TOML front "
            "matter: the key holds a lone surrogate (not UTF-8)",
            "give it a value TOML holds, or leave this file in JSON",
        ),
        (
            '{"a": "x\\udc00"}\n',
            "yaml",
            "x.md:1:7: cannot convert to YAML: a: a lone surrogate (U+DC00) in a value cannot be "
            "written as UTF-8",
            SURROGATE,
        ),
        (
            "---\nx: [1, .nan]\n---\n",
            "json",
            "x.md:2:8: cannot convert to JSON: x.1: cannot write nan to JSON front matter: NaN "
            "and Infinity are not JSON numbers",
            "write null, or a string ('nan')",
        ),
    ],
)
def test_values_the_target_cannot_hold_are_refused_at_their_place(
    source: str, to: str, message: str, hint: str
) -> None:
    doc = fq.loads(source, path="x.md")
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.convert(to)
    assert str(caught.value) == message
    assert caught.value.hint == hint
    assert caught.value.code == "E020"
    # Nothing changed: the document still writes its own text in its own format.
    assert doc.dumps() == source
    assert doc.format == split(source, object_end=object_end).format


def test_unknown_format_and_fence() -> None:
    doc = fq.loads("---\na: 1\n---\n")
    with pytest.raises(ValueError, match="unknown front-matter format 'xml'"):
        doc.convert("xml")
    with pytest.raises(ValueError, match="unknown fence style 'jekyll'"):
        doc.convert("toml", fence="jekyll")


# -- comments -----------------------------------------------------------------------------------


def test_comments_that_cannot_be_placed_are_reported() -> None:
    text = (
        "---\n"
        "# about a\n"  # above a key that the edit deletes
        "a: 1\n"
        "list: [1,  # inside a flow list\n"
        "  2]\n"
        "b: 2\n"
        "\n"
        "# the end\n"
        "---\n"
    )
    doc = fq.loads(text, path="c.md")
    del doc["a"]
    result = doc.convert("toml")
    assert doc.dumps() == "+++\nlist = [1, 2]\nb = 2\n\n# the end\n+++\n"
    assert warnings(result) == [
        "c.md:2:1: W001 a: comment not carried over (its key is no longer in the data): # about a",
        "c.md:4:12: W001 list[0]: comment not carried over (TOML writes list[0] where no "
        "comment can follow it): # inside a flow list",
    ]


def test_comments_go_above_toml_headers_and_array_elements() -> None:
    text = (
        "---\ntitle: T\n# the parameters\nparams:\n  toc: true  # a table of contents\n"
        "# the links\nlinks:\n  # first link\n  - url: /a\n  - url: /b  # second\n---\n"
    )
    out, result = converted(text, "toml")
    assert out == (
        '+++\ntitle = "T"\n\n# the parameters\n[params]\ntoc = true  # a table of contents\n\n'
        '# the links\n# first link\n[[links]]\nurl = "/a"\n\n[[links]]\nurl = "/b"  # second\n'
        "+++\n"
    )
    assert result.dropped == ()
    back, result = converted(out, "yaml")
    assert back == (
        "---\ntitle: T\n\n# the parameters\nparams:\n  toc: true  # a table of contents\n\n"
        "# the links\n# first link\nlinks:\n- url: /a\n- url: /b  # second\n---\n"
    )


def test_comments_in_flow_lists_and_after_block_keys() -> None:
    text = (
        "---\n"
        "seo:  # search engines\n"
        "  t: 1\n"
        "list: [1,\n"
        "  # above an item\n"
        "  2,\n"
        "  # above no key\n"
        "  ]\n"
        "---\n"
    )
    out, result = converted(text, "toml")
    # `seo` is written on the one line `seo.t = 1`: the comment after it follows that line.
    assert out == "+++\nseo.t = 1  # search engines\nlist = [1, 2]\n+++\n"
    assert [d.message for d in result.dropped] == [
        "comment not carried over (TOML writes list[1] inside a one-line value): # above an item",
        "comment not carried over (it stands above no key): # above no key",
    ]
    out, result = converted(text.replace("list: [1,", "z: 0\nlist: [1,"), "yaml")
    assert out == text.replace("list: [1,", "z: 0\nlist: [1,")  # YAML to YAML: unchanged
    toml = "+++\nz = 0\n\n[seo]  # search engines\nt = 1\n+++\n"
    out, result = converted(toml, "yaml")
    assert out == "---\nz: 0\nseo:  # search engines\n  t: 1\n---\n"
    assert converted(out, "toml")[0] == toml


def test_a_comment_a_target_comment_cannot_hold_is_dropped() -> None:
    text = '+++\n# line\u2028separator\nt = "x"\n+++\n'
    out, result = converted(text, "yaml")
    assert out == "---\nt: x\n---\n"
    assert warnings(result) == [
        "post.md:2:1: W001 t: comment not carried over (it holds a character a YAML comment "
        "cannot carry): # line\u2028separator"
    ]


def test_a_block_scalar_header_comment_is_found() -> None:
    text = "---\nnote: |  # verbatim\n  # not a comment\n  text\n---\n"
    out, result = converted(text, "toml")
    assert out == '+++\nnote = "# not a comment\\ntext\\n"  # verbatim\n+++\n'
    assert result.dropped == ()


# -- the document after a conversion --------------------------------------------------------------


def test_edits_before_and_after_a_conversion(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(YAML_POST, "utf-8")
    doc = fq.load(path)
    doc["draft"] = True  # before: converted with the rest
    doc.convert("toml")
    assert doc.format == "toml"
    assert doc.position("draft") == (5, 9)  # positions now describe the converted text
    doc["weight"] = 11  # after: a local patch of the converted text
    out = doc.dumps()
    assert "draft = true\n" in out and "weight = 11\n" in out
    assert (
        out.replace("weight = 11", "weight = 10").replace("draft = true", "draft = false")
        == (converted(YAML_POST, "toml")[0])
    )
    assert fq.dump(doc, check_unchanged=True) is True
    assert path.read_text("utf-8") == out
    assert fq.load(path).data == doc.data


def test_a_file_changed_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(YAML_POST, "utf-8")
    doc = fq.load(path)
    doc.convert("toml")
    path.write_text(YAML_POST + "more\n", "utf-8")
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, check_unchanged=True)
    assert path.read_text("utf-8") == YAML_POST + "more\n"


def test_a_file_without_front_matter_gets_the_target_format() -> None:
    doc = fq.loads("Just a body\n")
    assert doc.convert("toml") == fq.Conversion("yaml", "toml")
    assert doc.dumps() == "Just a body\n"
    doc["title"] = "T"
    assert doc.dumps() == '+++\ntitle = "T"\n+++\nJust a body\n'


def test_converting_to_the_same_format_changes_nothing() -> None:
    doc = fq.loads(YAML_POST)
    doc["weight"] = 11
    assert doc.convert("yaml") == fq.Conversion("yaml", "yaml")
    assert doc.dumps() == YAML_POST.replace("weight: 10", "weight: 11")


def test_a_refenced_document_keeps_its_edits() -> None:
    doc = fq.loads("+++\n# c\nx = 1\n+++\nB\n")
    doc["x"] = 2
    doc.convert("toml", fence="eleventy")
    assert doc.dumps() == "---toml\n# c\nx = 2\n---\nB\n"


def test_bulk_conversion_reports_dropped_comments_as_warnings(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(YAML_POST, "utf-8")
    (tmp_path / "b.md").write_text(TOML_POST, "utf-8")
    (tmp_path / "c.md").write_text("---\nx: ~\n---\n", "utf-8")
    report = fq.edit_files(tmp_path, fq.ConvertTo("toml"), jobs=1)
    assert report.changed == [tmp_path / "a.md"]
    assert report.unchanged == [tmp_path / "b.md"]
    assert list(report.failed) == [tmp_path / "c.md"]
    assert isinstance(report.failed[tmp_path / "c.md"], errors.UnrepresentableValueError)
    assert [d.line_text() for d in report.problems[tmp_path / "a.md"]] == [
        f"{tmp_path / 'a.md'}:7:12: W001 tags[0]: comment not carried over (TOML writes tags[0] "
        "where no comment can follow it): # the language"
    ]
    assert (tmp_path / "a.md").read_text("utf-8") == converted(YAML_POST, "toml")[0]
    assert (tmp_path / "c.md").read_text("utf-8") == "---\nx: ~\n---\n"


def test_bulk_warnings_cross_processes(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    for index in range(4):
        (tmp_path / f"{index}.md").write_text(YAML_POST, "utf-8")
    with ProcessPoolExecutor(2) as pool:
        edit = fq.ConvertTo("json", dates_as_strings=True)
        report = fq.edit_files(tmp_path, edit, executor=pool, jobs=2)
    assert len(report.changed) == 4
    expected = converted(YAML_POST, "json", dates_as_strings=True)[1].dropped
    for index in range(4):
        path = tmp_path / f"{index}.md"
        assert report.problems[path] == [d.with_path(path) for d in expected]


# -- every corpus file, there and back ------------------------------------------------------------


def comments_of(text: str) -> list[str]:
    doc = fq.loads(text)
    parts = split(text, object_end=object_end)
    fmt = formats.named(doc.format)
    parsed = fmt.parse(parts.front_matter, fq.Limits())
    return [parts.front_matter[a:b].rstrip() for a, b in fmt.comments(parts.front_matter, parsed)]


def round_trip(path: Path, there: str) -> None:
    """Convert ``path`` to ``there`` and back: the data, type-exact and in order, both ways;
    every comment carried (found again in the output) or reported."""
    raw = path.read_bytes().decode("utf-8")
    source = fq.loads(raw)
    if not source.has_front_matter:
        return
    doc = fq.loads(raw, path=path)
    if not holds(there, source.data):
        with pytest.raises(errors.UnrepresentableValueError, match="cannot convert to"):
            doc.convert(there, dates_as_strings=True)
        return
    result = doc.convert(there, dates_as_strings=True)
    out = doc.dumps()
    assert fq.loads(out).body == source.body
    wanted = source.data if not result.stringified else doc.data
    assert same_in_order(fq.loads(out).data, wanted)
    found = comments_of(raw)
    carried = comments_of(out)
    dropped = [d.message.split("): ", 1)[1] for d in result.dropped]
    assert sorted(carried + dropped) == sorted(found)
    back = fq.loads(out, path=path)
    if not holds(source.format, back.data):  # JSON's 1e400 is inf, which JSON cannot write
        with pytest.raises(errors.UnrepresentableValueError, match="cannot convert to"):
            back.convert(source.format, dates_as_strings=True)
        return
    back.convert(source.format, dates_as_strings=True)
    assert same_in_order(fq.loads(back.dumps()).data, fq.loads(out).data)
    assert fq.loads(back.dumps()).body == source.body


@pytest.mark.parametrize("there", ["toml", "json"])
@pytest.mark.parametrize("paths", by_source(YAML_FILES, most=100))
def test_yaml_corpus_round_trips(paths: list[Path], there: str) -> None:
    check_each(paths, lambda path: round_trip(path, there))


@pytest.mark.parametrize("there", ["yaml", "json"])
@pytest.mark.parametrize("paths", by_source(TOML_FILES, most=100))
def test_toml_corpus_round_trips(paths: list[Path], there: str) -> None:
    check_each(paths, lambda path: round_trip(path, there))


@pytest.mark.parametrize("there", ["yaml", "toml"])
@pytest.mark.parametrize("path", JSON_FILES, ids=ids(JSON_FILES))
def test_json_fixtures_round_trip(path: Path, there: str) -> None:
    round_trip(path, there)


def test_the_toml_corpus_in_yaml_and_back_is_byte_identical() -> None:
    """TOML → YAML → TOML of the Rust blog: its front matter is plain keys and strings, so the
    second TOML is the first conversion's text exactly (B → A → B)."""
    for path in TOML_FILES:
        yaml = fq.loads(path.read_bytes().decode("utf-8"))
        yaml.convert("yaml")
        toml = fq.loads(yaml.dumps())
        toml.convert("toml")
        first = toml.dumps()
        again = fq.loads(first)
        again.convert("yaml")
        again = fq.loads(again.dumps())
        again.convert("toml")
        assert again.dumps() == first, path.name


def test_dates_as_strings_in_yaml_only_touch_times_of_day() -> None:
    doc = fq.loads("+++\nd = 2024-01-02\nt = 07:32:00\nodt = 2024-01-02T03:04:05Z\n+++\n")
    result = doc.convert("yaml", dates_as_strings=True)
    assert result.stringified == (("t",),)
    assert doc.data == {
        "d": dt.date(2024, 1, 2),
        "t": "07:32:00",
        "odt": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
    }
    assert doc.dumps() == "---\nd: 2024-01-02\nt: 07:32:00\nodt: 2024-01-02 03:04:05+00:00\n---\n"


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"to": "xml"}, "UnknownFormatError", "unknown front-matter format 'xml'"),
        ({"to": "YAML"}, "UnknownFormatError", "unknown front-matter format 'YAML'"),
        ({"to": "json", "fence": "jekyll"}, "UnknownFormatError", "unknown fence style 'jekyll'"),
        ({"to": "json", "indent": "x"}, "FrontMatterError", "indent must be spaces or a tab"),
        ({"to": "json", "indent": True}, "FrontMatterError", "indent must be spaces or a tab"),
    ],
)
def test_convert_arguments_that_name_nothing_are_front_matter_errors(
    arguments: dict[str, Any], error: str, message: str
) -> None:
    doc = fq.loads("---\ntitle: A\n---\nb\n")
    with pytest.raises(fq.errors.FrontMatterError) as caught:
        doc.convert(**arguments)
    assert type(caught.value).__name__ == error
    assert caught.value.message.startswith(message)
    assert doc.dumps() == "---\ntitle: A\n---\nb\n"


def test_convert_takes_a_number_of_spaces_as_the_json_indent() -> None:
    doc = fq.loads("---\ntitle: A\nn: 1\n---\nb\n")
    doc.convert("json", indent=4)
    assert doc.dumps() == '{\n    "title": "A",\n    "n": 1\n}\nb\n'


def _self_referencing() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


def _deep(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("to", ["yaml", "toml", "json"])
@pytest.mark.parametrize("dates_as_strings", [False, True])
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_self_referencing, "a[1]: the value contains itself"),
        (lambda: _deep(1000), "a" + "[0]" * 63 + ": nested deeper than 64 levels"),
    ],
    ids=["self-reference", "1000-deep"],
)
def test_convert_refuses_what_no_format_can_write_before_walking_it(
    to: str, dates_as_strings: bool, make: Any, message: str
) -> None:
    """No converter walk meets data that contains itself or nests too deep (no hang, no
    RecursionError): the document's one check refuses it first."""
    source = "+++\ntitle = 'A'\n+++\nb\n" if to == "yaml" else "---\ntitle: A\n---\nb\n"
    doc = fq.loads(source)
    doc["a"] = make()
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.convert(to, dates_as_strings=dates_as_strings)
    assert caught.value.message.startswith(message)
