"""TOML front matter: identity on the Rust-blog corpus and on every construct, positions of every
key, local edits in their own style, exact errors, values TOML cannot hold, key order."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import TOML, by_source, check_each
from strategies import typed  # mapping order is not compared: see test_key_order_*

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.diagnostics import Span
from frontmatter_qt.engine.text import split
from frontmatter_qt.formats.toml.read import tomllib  # tomli on Python 3.10
from frontmatter_qt.formats.toml.scan import Aot, Table, Value

TOML_FILES = sorted(p for p in TOML.glob("*.md") if p.name != "SOURCES.md")
POST = TOML / "content__Core-team-changes.md"

# Every construct of the brief, in one front matter (LF; the tests derive CRLF, BOM, ...).
KITCHEN = """\
# A comment line, then a blank line

title = "Basic \\"quoted\\" \\u00e9"
literal = 'C:\\Users\\nobody'   # a trailing comment
ml_basic = \"\"\"
Roses are red
Violets are \\"blue\\"\"\"\"
ml_literal = '''
The first newline is
trimmed in raw strings.
'''
hex = 0xDEAD_BEEF
octal = 0o755
binary = 0b1101
big = 1_000_000
plus = +42
float = 6.626e-34
pinf = +inf
ninf = -inf
nan = nan
yes = true
odt = 1979-05-27T07:32:00Z
odt_space = 1979-05-27 00:32:00.999-07:00
ldt = 1979-05-27T07:32:00.5
ld = 1979-05-27
lt = 07:32:00
"quoted key" = 1
'literal key' = 2
site.name = "dotted"
site . url = "spaced dots"
inline = { x = 1, y = "two", nested = { z = [1, 2] } }
authors = [
  "Ann",   # first
  "Bob",
  # a comment line inside the array
  "Cy",
]
mixed = [1, "two", 3.0, [4], { five = 5 }]
empty = []
empty_table = {}

[extra]
team = "Release"   # after a value
  indented = "yes"

[extra.deeper]
key = 'value'

[[links]]
name = "first"

[[links]]
name = "second"
[links.meta]
rank = 2

[a.b.c]
d = 1
"""


def with_fences(
    front_matter: str, nl: str = "\n", *, opener: str = "+++", closer: str = "+++"
) -> str:
    fm = front_matter.replace("\n", nl)
    return f"{opener}{nl}{fm}{closer}{nl}{nl}Body text.{nl}"


VARIANTS = {
    "lf": with_fences(KITCHEN),
    "crlf": with_fences(KITCHEN, "\r\n"),
    "bom": "\ufeff" + with_fences(KITCHEN),
    "bom-crlf": "\ufeff" + with_fences(KITCHEN, "\r\n"),
    "eleventy": with_fences(KITCHEN, opener="---toml", closer="---"),
    "no-final-newline": "+++\n" + KITCHEN + "+++",
    "no-final-newline-in-fm": "+++\nkey = 1 # no newline after me\n+++\nbody",
}


def front_matter(text: str) -> str:
    return split(text).front_matter


def reference(text: str) -> dict[str, Any]:
    """tomllib's reading of a file's front matter (the independent reference)."""
    return tomllib.loads(front_matter(text))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines removed from ``before`` and added in ``after`` (one contiguous change)."""
    a, b = before.split("\n"), after.split("\n")
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    return a[start:end_a], b[start:end_b]


# -- identity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("paths", by_source(TOML_FILES, most=50))
def test_corpus_round_trips_and_reads_like_tomllib(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        raw = path.read_bytes()
        doc = fq.loads(raw, path=path)
        assert doc.format == "toml"
        assert doc.to_bytes() == raw
        assert doc.data == reference(raw.decode("utf-8"))

    check_each(paths, check)


def test_the_corpus_is_all_there() -> None:
    assert len(TOML_FILES) == 150


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_construct_round_trips(name: str) -> None:
    text = VARIANTS[name]
    doc = fq.loads(text.encode("utf-8"))
    assert doc.dumps() == text
    assert doc.to_bytes() == text.encode("utf-8")
    assert doc.format == "toml"
    assert typed(doc.data) == typed(reference(text))
    assert doc.bom == text.startswith("\ufeff")


def test_data_is_plain_python_types() -> None:
    doc = fq.loads(VARIANTS["lf"])

    def walk(value: Any) -> None:
        assert type(value) in (dict, list, str, int, float, bool, dt.date, dt.datetime, dt.time)
        if isinstance(value, dict):
            for key, item in value.items():
                assert type(key) is str
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc.data)
    assert doc["odt"] == dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.timezone.utc)
    assert doc["ldt"] == dt.datetime(1979, 5, 27, 7, 32, 0, 500000)
    assert doc["ldt"].tzinfo is None
    assert doc["lt"] == dt.time(7, 32)
    assert doc["links"] == [{"name": "first"}, {"name": "second", "meta": {"rank": 2}}]


# -- positions --------------------------------------------------------------------------------


def key_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*prefix, key))
            found += key_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += key_paths(value, (*prefix, index))
    return found


def assert_positions(text: str) -> None:
    """The text at every key's span is that key as written; every value written after ``=``
    reads back (tomllib) as its value."""
    doc = fq.loads(text)
    fm = front_matter(text)
    parsed = doc._parsed
    for path in key_paths(doc.data):
        span = parsed.key_span(path)
        if not isinstance(path[-1], str):
            assert span is None
            continue
        assert span is not None, path
        written = fm[span[0] : span[1]]
        assert tomllib.loads(f"{written} = 0") == {path[-1]: 0}, (path, written)
        value = parsed.value_span(path)
        assert value is not None, path
        node = parsed.tree.node(path)  # type: ignore[attr-defined]
        if isinstance(node, Value):
            got = tomllib.loads("v = " + fm[value[0] : value[1]])["v"]
            inner: Any = doc.data
            for key in path:
                inner = inner[key]
            assert got == inner or (got != got and inner != inner), path
        else:
            assert isinstance(node, (Table, Aot))
        line, column = doc.key_position(*path)  # type: ignore[misc]
        lines = text.lstrip("\ufeff").split("\n")
        assert lines[line - 1][column - 1 :].startswith(written)


@pytest.mark.parametrize("paths", by_source(TOML_FILES[::5]))
def test_corpus_key_positions(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        assert_positions(path.read_text("utf-8"))

    check_each(paths, check)


@pytest.mark.parametrize("name", ["lf", "crlf", "bom", "eleventy"])
def test_every_construct_key_positions(name: str) -> None:
    assert_positions(VARIANTS[name])


def test_positions_of_headers_dotted_keys_and_array_items() -> None:
    doc = fq.loads(VARIANTS["lf"])
    assert doc.key_position("extra") == (43, 2)  # [extra]
    assert doc.key_position("extra", "deeper") == (47, 8)  # [extra.deeper]
    assert doc.key_position("site") == (30, 1)
    assert doc.key_position("site", "url") == (31, 8)
    assert doc.key_position("links") == (50, 3)
    assert doc.key_position("links", 1, "meta") == (55, 8)
    assert doc.position("authors", 2) == (37, 3)
    assert doc.position("inline", "nested", "z", 1) == (32, 49)
    assert doc.key_position("a", "b") == (58, 4)
    assert doc.position("missing") is None
    assert doc.key_position("authors", 0) is None


# -- edits ------------------------------------------------------------------------------------


def edited(text: str, change: Any) -> str:
    doc = fq.loads(text)
    change(doc.data)
    out = doc.dumps()
    assert typed(reference(out)) == typed(doc.data)
    assert fq.loads(out).dumps() == out
    return out


def test_set_title_on_a_rust_blog_post_exact_bytes() -> None:
    doc = fq.load(POST)
    doc["title"] = "x"
    raw = POST.read_bytes()
    assert doc.to_bytes() == raw.replace(
        b'title = "Changes in the core team"\n', b'title = "x"\n', 1
    )
    doc["draft"] = True
    assert doc.to_bytes() == raw.replace(
        b'title = "Changes in the core team"\n', b'title = "x"\n', 1
    ).replace(
        b'aliases = ["2019/02/22/Core-team-changes.html"]\n',
        b'aliases = ["2019/02/22/Core-team-changes.html"]\ndraft = true\n',
        1,
    )


SCALAR_EDITS = [
    ("title", "New", 'title = "New"'),
    ("title", "it's", 'title = "it\'s"'),
    ("literal", "D:\\x", "literal = 'D:\\x'   # a trailing comment"),
    ("literal", "has ' quote", 'literal = "has \' quote"   # a trailing comment'),
    ("hex", 255, "hex = 0xFF"),
    ("octal", 8, "octal = 0o10"),
    ("binary", 2, "binary = 0b10"),
    ("big", 2_500_000, "big = 2_500_000"),
    ("plus", 7, "plus = +7"),
    ("ninf", float("inf"), "ninf = inf"),
    ("float", 0.5, "float = 0.5"),
    ("yes", False, "yes = false"),
    ("odt", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), "odt = 2024-01-02T03:04:05Z"),
    (
        "odt_space",
        dt.datetime(2024, 1, 2, 3, 4, 5, 250000, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        "odt_space = 2024-01-02 03:04:05.250+02:00",
    ),
    ("ldt", dt.datetime(2024, 1, 2, 3, 4, 5), "ldt = 2024-01-02T03:04:05.0"),
    ("ld", dt.date(2024, 1, 2), "ld = 2024-01-02"),
    ("lt", dt.time(23, 59, 1), "lt = 23:59:01"),
    ("quoted key", 5, '"quoted key" = 5'),
    ("ld", "now a string", 'ld = "now a string"'),
]


@pytest.mark.parametrize(("key", "value", "line"), SCALAR_EDITS)
def test_scalar_edit_changes_only_its_line_in_its_style(key: str, value: Any, line: str) -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d.__setitem__(key, value))
    removed, added = changed_lines(text, out)
    assert len(removed) == 1 and added == [line]


def test_multiline_strings_keep_their_style() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d.__setitem__("ml_literal", "one\ntwo\n"))
    assert changed_lines(text, out) == (
        ["The first newline is", "trimmed in raw strings."],
        ["one", "two"],
    )
    out = edited(text, lambda d: d.__setitem__("ml_basic", 'a "b"\\ end"'))
    assert changed_lines(text, out)[1] == ['a "b"\\\\ end\\""""']
    crlf = VARIANTS["crlf"]
    out = edited(crlf, lambda d: d.__setitem__("ml_literal", "one\ntwo"))
    assert "ml_literal = '''\r\none\r\ntwo'''\r\n" in out
    assert out.count("\n") == out.count("\r\n")


def test_multiline_array_keeps_its_layout() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d["authors"].append("Dee"))
    assert changed_lines(text, out) == ([], ['  "Dee",'])
    out = edited(text, lambda d: d["authors"].remove("Bob"))
    assert changed_lines(text, out) == (['  "Bob",'], [])
    out = edited(text, lambda d: d["authors"].__setitem__(0, "Ana"))
    assert changed_lines(text, out) == (['  "Ann",   # first'], ['  "Ana",   # first'])
    out = edited(text, lambda d: d["authors"].insert(0, "Zed"))
    assert changed_lines(text, out) == ([], ['  "Zed",'])


def test_one_line_arrays_and_inline_tables() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d["mixed"].append(True))
    assert changed_lines(text, out)[1] == ['mixed = [1, "two", 3.0, [4], { five = 5 }, true]']
    out = edited(text, lambda d: d["mixed"].pop(1))
    assert changed_lines(text, out)[1] == ["mixed = [1, 3.0, [4], { five = 5 }]"]
    out = edited(text, lambda d: d["empty"].extend(["a", 1]))
    assert changed_lines(text, out)[1] == ['empty = ["a", 1]']
    out = edited(text, lambda d: d["inline"]["nested"]["z"].append(3))
    assert changed_lines(text, out)[1] == [
        'inline = { x = 1, y = "two", nested = { z = [1, 2, 3] } }'
    ]
    out = edited(text, lambda d: d["inline"].pop("x"))
    assert changed_lines(text, out)[1] == ['inline = { y = "two", nested = { z = [1, 2] } }']
    out = edited(text, lambda d: d["inline"].__setitem__("w", "new"))
    assert changed_lines(text, out)[1] == [
        'inline = { x = 1, y = "two", nested = { z = [1, 2] }, w = "new" }'
    ]
    out = edited(text, lambda d: d["empty_table"].__setitem__("k", 1))
    assert changed_lines(text, out)[1] == ["empty_table = { k = 1 }"]


def test_new_keys_go_after_their_siblings() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d["extra"].__setitem__("new", 1))
    assert changed_lines(text, out) == ([], ["  new = 1"])
    assert out.index("  new = 1") < out.index("[extra.deeper]")
    out = edited(text, lambda d: d["site"].__setitem__("lang", "en"))
    assert changed_lines(text, out) == ([], ['site . lang = "en"'])
    assert out.index('site . lang = "en"') == out.index('site . url = "spaced dots"\n') + 27
    out = edited(text, lambda d: d.__setitem__("draft", True))
    assert changed_lines(text, out) == ([], ["draft = true"])
    assert out.index("draft = true") < out.index("[extra]")
    out = edited(text, lambda d: d["links"][1].__setitem__("weight", 3))
    assert '[[links]]\nname = "second"\nweight = 3\n[links.meta]' in out
    out = edited(text, lambda d: d["a"].__setitem__("top", 0))
    assert changed_lines(text, out) == ([], ["[a]", "top = 0", ""])


def test_new_tables_and_array_elements_are_sections() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d.__setitem__("params", {"a": 1, "sub": {"b": [2]}}))
    assert out.endswith("d = 1\n\n[params]\na = 1\n\n[params.sub]\nb = [2]\n+++\n\nBody text.\n")
    out = edited(text, lambda d: d["extra"].__setitem__("more", {"k": "v"}))
    assert "key = 'value'\n\n[extra.more]\nk = \"v\"\n\n[[links]]" in out
    out = edited(text, lambda d: d["links"].append({"name": "third"}))
    assert 'rank = 2\n\n[[links]]\nname = "third"\n\n[a.b.c]' in out
    out = edited(text, lambda d: d.__setitem__("dict_first", {"t": {"u": 1}, "plain": 2}))
    assert out.endswith("[dict_first]\nt = { u = 1 }\nplain = 2\n+++\n\nBody text.\n")


def test_deleting_takes_only_the_key_lines() -> None:
    text = VARIANTS["lf"]
    assert changed_lines(text, edited(text, lambda d: d.pop("title"))) == (
        ['title = "Basic \\"quoted\\" \\u00e9"'],
        [],
    )
    removed, added = changed_lines(text, edited(text, lambda d: d.pop("authors")))
    assert removed[0] == "authors = [" and removed[-1] == "]" and added == []
    removed, _ = changed_lines(text, edited(text, lambda d: d["site"].pop("url")))
    assert removed == ['site . url = "spaced dots"']
    out = edited(text, lambda d: d.pop("extra"))
    assert "[extra" not in out and "team" not in out and "\n\n\n" not in out
    out = edited(text, lambda d: d["links"].pop(0))
    assert '[[links]]\nname = "second"' in out and 'name = "first"' not in out
    out = edited(text, lambda d: d.pop("links"))
    assert "links" not in out and "rank" not in out
    out = edited(text, lambda d: d["extra"].pop("deeper"))
    assert changed_lines(text, out) == (["[extra.deeper]", "key = 'value'", ""], [])


def test_a_table_becoming_a_value_and_back() -> None:
    text = VARIANTS["lf"]
    out = edited(text, lambda d: d.__setitem__("extra", "flat"))
    assert "[extra]" not in out and 'empty_table = {}\nextra = "flat"\n' in out
    out = edited(text, lambda d: d.__setitem__("title", {"main": "M"}))
    assert changed_lines(text, out)[1] == ['title = { main = "M" }']


EMPTIED = [
    ("a.b = 1\n", lambda d: d["a"].pop("b"), "a = {}\n"),
    (
        "x = 0\n# a's\na.b = 1\na.c = 2\nz = 3\n",
        lambda d: d["a"].clear(),
        "x = 0\n# a's\na = {}\nz = 3\n",
    ),
    ("a.b.c = 1\nz = 2\n", lambda d: d["a"]["b"].pop("c"), "a.b = {}\nz = 2\n"),
    ("title.c = 42\n", lambda d: d.__setitem__("title", {}), "title = {}\n"),
    ("[t]\n  a.b = 1\n  c = 2\n", lambda d: d["t"]["a"].pop("b"), "[t]\n  a = {}\n  c = 2\n"),
    ("[[p]]\na.b = 1\n", lambda d: d["p"][0]["a"].pop("b"), "[[p]]\na = {}\n"),
    ("[x.y]\nk = 1\n", lambda d: d["x"].pop("y"), "[x]\n"),
    (
        "s = 0\n\n[x.y]\nk = 1\n\n[x.w]\nq = 2\n\n[z]\nm = 1\n",
        lambda d: d.__setitem__("x", {}),
        "s = 0\n\n[x]\n\n[z]\nm = 1\n",
    ),
    (
        "[fruit]\napple.color = 1\n[fruit.apple.texture.x]\nsmooth = true\n",
        lambda d: d["fruit"]["apple"]["texture"].pop("x"),
        "[fruit]\napple.color = 1\n[fruit.apple.texture]\n",
    ),
]


@pytest.mark.parametrize(("before", "change", "after"), EMPTIED)
def test_a_table_written_only_by_its_keys_can_be_emptied(
    before: str, change: Any, after: str
) -> None:
    """A table that exists only through dotted keys or deeper headers, emptied: removing those
    lines would remove the table too (the edit used to be refused); it is written as ``a = {}``
    where its first line was, or keeps a ``[header]`` where its first section was."""
    assert edited(f"+++\n{before}+++\n", change) == f"+++\n{after}+++\n"


INLINE_DOTTED = "f = { g = 1, h.i = [],  h.j = 'x' }\n"


@pytest.mark.parametrize(
    ("change", "after"),
    [
        (
            lambda d: d["f"]["h"].__setitem__("n", 1),
            'f = { g = 1, h = { i = [], j = "x", n = 1 } }\n',
        ),
        (lambda d: d["f"]["h"].pop("i"), 'f = { g = 1, h = { j = "x" } }\n'),
        (lambda d: d["f"]["h"].clear(), "f = { g = 1, h = {} }\n"),
        (lambda d: d["f"].__setitem__("h", 5), "f = { g = 1, h = 5 }\n"),
        (lambda d: d["f"]["h"].__setitem__("i", 2), "f = { g = 1, h.i = 2,  h.j = 'x' }\n"),
    ],
)
def test_an_inline_tables_dotted_tables_change_shape(change: Any, after: str) -> None:
    """An inline table's dotted keys are patched in place only while every table they write
    keeps its keys; else the inline table is written anew (in the default style). (A key
    added to ``h`` was dropped without a word, since the text did not change; a key removed,
    or ``h`` become a value, raised a raw KeyError or TypeError.)"""
    assert edited(f"+++\n{INLINE_DOTTED}+++\n", change) == f"+++\n{after}+++\n"


FRUIT = "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n"
DOTTED_WITH_SECTIONS = [
    (
        FRUIT,
        lambda d: d["fruit"]["apple"].__setitem__("taste", "sweet"),
        FRUIT.replace("'red'\n", "'red'\napple.taste = \"sweet\"\n"),
    ),
    (
        FRUIT,
        lambda d: d["fruit"].__setitem__("seeds", 3),
        FRUIT.replace("'red'\n", "'red'\nseeds = 3\n"),
    ),
    (
        FRUIT.replace("[fruit]\n", "").replace("fruit.", ""),
        lambda d: d["apple"].__setitem__("taste", "sweet"),
        "apple.color = 'red'\napple.taste = \"sweet\"\n[apple.texture]\nsmooth = true\n",
    ),
    (
        "[s]\na.b = 1\nc = 0\n[s.a.x]\nq = 1\n[[s.a.y]]\nr = 1\n",
        lambda d: d["s"]["a"].__setitem__("n", 2),
        "[s]\na.b = 1\na.n = 2\nc = 0\n[s.a.x]\nq = 1\n[[s.a.y]]\nr = 1\n",
    ),
]


@pytest.mark.parametrize(("before", "change", "after"), DOTTED_WITH_SECTIONS)
def test_a_dotted_table_with_sections_of_its_own_gets_keys_with_its_prefix(
    before: str, change: Any, after: str
) -> None:
    """The TOML spec's ``fruit.apple`` example: a table of dotted keys that also has a section
    (``[fruit.apple.texture]``). Its lines are its dotted keys only; the section's lines belong
    to the section's table (a new key was written without its ``apple.`` prefix, or after the
    section's lines, and refused)."""
    assert edited(f"+++\n{before}+++\n", change) == f"+++\n{after}+++\n"


@pytest.mark.parametrize(
    ("value", "line"), [(5, "b = 5"), ([1], "b = [1]"), ({}, "b = {}"), ("v", 'b = "v"')]
)
def test_a_table_of_dotted_keys_becoming_a_value_keeps_its_place(value: Any, line: str) -> None:
    """Its dotted lines go and its key/value line comes where the first of them was (it used
    to go after the table's last key/value line: a silent reorder)."""
    text = "+++\na = 1\n# about b\nb.x = 1\nc = 3\nb.y = 2\n[s]\nk = 1\n+++\n"
    out = edited(text, lambda d: d.__setitem__("b", value))
    assert out == f"+++\na = 1\n# about b\n{line}\nc = 3\n[s]\nk = 1\n+++\n"
    assert list(fq.loads(out).data) == ["a", "b", "c", "s"]
    indented = "+++\n[s]\n  a = 1\n  b.x = 1\n  c = 3\n+++\n"
    out = edited(indented, lambda d: d["s"].__setitem__("b", value))
    assert out == f"+++\n[s]\n  a = 1\n  {line}\n  c = 3\n+++\n"


@pytest.mark.parametrize(
    ("before", "edit", "after"),
    [
        ("b.x = 1\na = 2\nb.y = 3\n", lambda d: d["b"].pop("x"), "b.y = 3\na = 2\n"),
        (
            "[t]\nb.x = 1\na = 2\nb.y = 3\n",
            lambda d: d["t"]["b"].pop("x"),
            "[t]\nb.y = 3\na = 2\n",
        ),
        ("b.c.x = 1\na = 2\nb.c.y = 3\n", lambda d: d["b"]["c"].pop("x"), "b.c.y = 3\na = 2\n"),
        (  # nothing between: only the line goes
            "b.x = 1\nb.y = 2\na = 3\n",
            lambda d: d["b"].pop("x"),
            "b.y = 2\na = 3\n",
        ),
        (  # comments go with their lines; the moved line keeps its edit, new lines stay last
            "# bx\nb.x = 1\na = 2\n# by\nb.y = 3 # t\nb.z = 4\n",
            lambda d: (d["b"].pop("x"), d["b"].__setitem__("y", 9), d["b"].__setitem__("w", 1)),
            "# by\nb.y = 9 # t\na = 2\nb.z = 4\nb.w = 1\n",
        ),
        (  # a deeper table of dotted keys deleted whole: the next line of ``b`` moves
            "b.c.x = 1\na = 2\nb.d = 3\n",
            lambda d: d["b"].pop("c"),
            "b.d = 3\na = 2\n",
        ),
    ],
    ids=["reproducer", "in-a-section", "deeper", "nothing-between", "comments-edits", "subtable"],
)
def test_a_table_of_dotted_keys_whose_first_line_goes_keeps_its_place(
    before: str, edit: Any, after: str
) -> None:
    """TOML orders keys by where each is first written: once ``b.x`` goes, ``b`` would read
    back after ``a`` from ``b.y``'s line (the edit was refused). ``b.y`` moves to ``b.x``'s
    place."""
    doc = fq.loads(f"+++\n{before}+++\n")
    edit(doc.data)
    out = doc.dumps()
    assert out == f"+++\n{after}+++\n"
    assert list(fq.loads(out).data) == list(doc.data)


def test_a_new_key_before_a_table_of_dotted_keys_becoming_a_value() -> None:
    """``b`` replaced by ``nt`` at its place, and ``m``'s dotted lines replaced by a value: both
    lines go where ``m.n`` stood, ``nt`` first (``m``'s line was inserted there first: ``nt``
    read back after ``m``; before that, the two touching deletions were refused)."""
    doc = fq.loads("+++\nb.d = 1\nm.n = 1\n+++\n")
    entries = [("nt", 1) if key == "b" else (key, value) for key, value in doc.data.items()]
    doc.data.clear()
    doc.data.update(entries)
    doc["m"] = 5
    out = doc.dumps()
    assert out == "+++\nnt = 1\nm = 5\n+++\n"
    assert list(fq.loads(out).data) == ["nt", "m"]


def test_a_new_key_after_a_table_of_dotted_keys_written_apart() -> None:
    """``b``'s dotted keys stand on lines 1 and 3: a new key after ``b`` (and before ``a``) goes
    before ``a``'s line (it used to follow ``b``'s last line, after ``a``: a silent reorder)."""
    doc = fq.loads("+++\nb.x = 1\n# about a\na = 2\nb.y = 3\n+++\n")
    doc.insert("n", 5, after="b")
    out = doc.dumps()
    assert out == "+++\nb.x = 1\nn = 5\n# about a\na = 2\nb.y = 3\n+++\n"
    assert list(fq.loads(out).data) == ["b", "n", "a"]


@pytest.mark.parametrize(
    ("value", "line"),
    [(5, "main = 5"), ([1, 2], "main = [1, 2]"), ([{"a": 1}], "main = [{ a = 1 }]")],
)
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a = 1\n\n[menu.main]\nk = 1\n", "a = 1\n\n[menu]\n{line}\n"),
        ("a = 1\n[menu.main]\nk = 1\n", "a = 1\n[menu]\n{line}\n"),
        (
            "a = 1\n\n\n[menu.main]\nk = 1\n\n[menu.more]\nx = 2\n",
            "a = 1\n\n\n[menu]\n{line}\n\n[menu.more]\nx = 2\n",
        ),
    ],
)
def test_a_section_under_an_implied_table_becoming_a_value(
    before: str, after: str, value: Any, line: str
) -> None:
    """``[menu.main]`` replaced by a plain value: its section goes, and ``[menu]`` (implied until
    now) gets a header of its own where the section was, set off by the same blank lines (the
    header used to be inserted inside the section's deleted blank lines: overlapping patches)."""
    doc = fq.loads(f"+++\n{before}+++\n")
    doc["menu"]["main"] = value
    assert doc.dumps() == f"+++\n{after.format(line=line)}+++\n"


def _pop(*path: Any) -> Any:
    def edit(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return edit


@pytest.mark.parametrize(
    ("before", "edit", "after"),
    [
        (  # a header table emptied: its header moves up to where its first section was
            "[a.b]\ny = 2\n\n[s]\nz = 3\n\n[a]  # head\nx = 1\n",
            lambda d: d["a"].clear(),
            "[a]  # head\n\n[s]\nz = 3\n",
        ),
        (  # its first section deleted: its own section (edits made) moves up with its comment
            "[a.b]\ny = 2\n\n[s]\nz = 3\n\n# about a\n[a]\nx = 1\nw = 0\n",
            lambda d: (d["a"].pop("b"), d["a"].pop("w"), d["a"].__setitem__("x", 9)),
            "# about a\n[a]\nx = 9\n\n[s]\nz = 3\n",
        ),
        (  # an implied table: a header of its own where its first section was
            "[a.b]\ny = 2\n\n[s]\nz = 3\n\n[a.c]\nx = 1\n",
            _pop("a", "b"),
            "[a]\n\n[s]\nz = 3\n\n[a.c]\nx = 1\n",
        ),
        (  # at two levels: [p.a] moves up, which keeps `p` before `q` too
            "[p.a.b]\n[q]\n[p.a]\nx = 1\n",
            lambda d: d["p"]["a"].clear(),
            "[p.a]\n[q]\n",
        ),
        (  # an array of tables' first element deleted: the next one moves up, not its [[v.w]]
            "[[v]]\nn = 0\n[s.t]\nm = 1\n# two\n[[v]]  # 2\nn = 2\n[[v.w]]\n[s]\n",
            _pop("v", 0),
            "# two\n[[v]]  # 2\nn = 2\n[s.t]\nm = 1\n[[v.w]]\n[s]\n",
        ),
        (  # nothing between: nothing moves
            "[a.b]\ny = 2\n[a]\nx = 1\n[s]\n",
            _pop("a", "b"),
            "[a]\nx = 1\n[s]\n",
        ),
        (  # two tables' first sections, touching: each section goes where its first one was,
            # between the two deletions (was refused: overlapping patches)
            "[a.b]\nx = 1\n[c.d]\nx = 1\n[a]\ny = 1\n[c]\ny = 1\n",
            lambda d: (d["a"].pop("b"), d["c"].pop("d")),
            "[a]\ny = 1\n[c]\ny = 1\n",
        ),
        (  # beside another deletion, touching it
            "[x]\nq = 1\n[a.b]\nk = 1\n[s]\nv = 1\n[a]\nz = 1\n",
            lambda d: (d.pop("x"), d["a"].pop("b")),
            "[a]\nz = 1\n[s]\nv = 1\n",
        ),
    ],
    ids=[
        "emptied",
        "first-deleted",
        "implied",
        "two-levels",
        "array-of-tables",
        "in-place",
        "two-tables",
        "beside-a-deletion",
    ],
)
def test_a_table_whose_first_section_goes_keeps_its_place(
    before: str, edit: Any, after: str
) -> None:
    """TOML orders keys by where each is first written: a table whose first section is deleted
    or emptied (``[a.b]`` before ``[s]``, ``[a]`` after it) used to read back after ``s``."""
    doc = fq.loads(f"+++\n{before}+++\n")
    edit(doc.data)
    out = doc.dumps()
    assert out == f"+++\n{after}+++\n"
    assert list(fq.loads(out).data) == list(doc.data)


def _new_table_before_a(data: Any) -> None:
    """A new table ``z`` right before ``a`` in the data's order."""
    entries = list(data.items())
    data.clear()
    for key, value in entries:
        if key == "a":
            data["z"] = {"q": 1}
        data[key] = value


@pytest.mark.parametrize(
    ("before", "edit", "after"),
    [
        (  # the new table goes before [a]'s new place, not after it
            "[a.b]\ny = 2\n[s]\n[a]\nx = 1\n",
            lambda d: (_new_table_before_a(d), d["a"].pop("b")),
            "[z]\nq = 1\n[a]\nx = 1\n[s]\n",
        ),
        (  # before [a], which stays: not inside the deleted [a.b] (refused: overlapping patches)
            "t = 1\n\n[a.b]\ny = 2\n[a]\nx = 1\n",
            lambda d: (_new_table_before_a(d), d["a"].pop("b")),
            "t = 1\n[z]\nq = 1\n[a]\nx = 1\n",
        ),
        (  # a new plain key goes with the plain keys, before [a]'s new place (was refused: it
            # read back inside [a])
            "t = 1\n[a.b]\ny = 2\n[s]\n[a]\nx = 1\n",
            lambda d: (d["a"].pop("b"), d.__setitem__("n", 1)),
            "t = 1\nn = 1\n[a]\nx = 1\n[s]\n",
        ),
    ],
    ids=["new-table-before", "new-table-before-kept", "new-plain-key"],
)
def test_new_entries_around_a_table_whose_first_section_goes(
    before: str, edit: Any, after: str
) -> None:
    doc = fq.loads(f"+++\n{before}+++\n")
    edit(doc.data)
    out = doc.dumps()
    assert out == f"+++\n{after}+++\n"
    assert typed(tomllib.loads(after)) == typed(doc.data)


@pytest.mark.parametrize("name", ["crlf", "bom-crlf", "no-final-newline", "eleventy"])
def test_edits_keep_newlines_bom_and_fences(name: str) -> None:
    text = VARIANTS[name]
    out = edited(text, lambda d: (d.__setitem__("zz", [1, 2]), d["extra"].__setitem__("q", 1)))
    assert out.startswith("\ufeff") == text.startswith("\ufeff")
    if "crlf" in name:
        assert out.count("\n") == out.count("\r\n")
    else:
        assert "\r" not in out
    assert out.split("\n", 1)[0] == text.split("\n", 1)[0]
    assert out.endswith(text[text.rindex("+++") if "+++" in text[-30:] else text.rindex("---") :])


def test_file_without_front_matter_gets_toml() -> None:
    doc = fq.loads("+++\n+++\nbody\n")
    doc["title"] = "T"
    doc["extra"] = {"a": 1}
    assert doc.dumps() == '+++\ntitle = "T"\n\n[extra]\na = 1\n+++\nbody\n'
    assert fq.formats.toml.TOML.render({"x": {"y": 1}}, "\r\n") == "[x]\r\ny = 1\r\n"


# -- corpus locality --------------------------------------------------------------------------


def top_windows(fm: str) -> dict[str, tuple[int, int]]:
    """Line windows [start, end) of top-level keys, found with a regex (independent of the
    scanner): a key/value line runs to the next statement, a [table] from the blank lines
    above its header to the next header."""
    lines = fm.split("\n")
    starts: list[tuple[int, str, bool]] = []
    section = None
    for index, line in enumerate(lines):
        header = re.match(r"\[\[?\s*([A-Za-z0-9_-]+)", line)
        if header:
            section = header.group(1)
            starts.append((index, section, True))
        elif section is None and (kv := re.match(r"([A-Za-z0-9_-]+)\s*[.=]", line)):
            starts.append((index, kv.group(1), False))
    windows: dict[str, tuple[int, int]] = {}
    for n, (index, key, is_header) in enumerate(starts):
        end = len(lines) - 1
        for later, _, later_header in starts[n + 1 :]:
            if later_header or not is_header:
                end = later
                break
        if is_header:  # a deleted section takes the blank lines that set it off with it
            while index > 1 and not lines[index - 1].strip():
                index -= 1
        first = windows.get(key, (index, end))[0]
        windows[key] = (first, end)
    return windows


def new_value_for(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " (edited)"
    if isinstance(value, list):
        return [*value, "added"]
    if isinstance(value, dict):
        return {**value, "added": 1}
    return value


@pytest.mark.parametrize("paths", by_source(TOML_FILES, most=50))
def test_corpus_edits_and_deletions_stay_local(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_text("utf-8")
        fm = front_matter(text)
        offset = text.index(fm) if fm else 0
        first_line = text[:offset].count("\n")
        windows = top_windows(fm)
        for key in fq.loads(text).data:
            start, end = windows[key]
            for change in ("edit", "delete"):
                doc = fq.loads(text)
                if change == "edit":
                    doc[key] = new_value_for(doc[key])
                else:
                    del doc[key]
                out = doc.dumps()
                assert reference(out) == doc.data
                a, b = text.split("\n"), out.split("\n")
                lo, hi = first_line + start, first_line + end
                assert b[:lo] == a[:lo], (key, change)
                tail = a[hi:]
                assert b[len(b) - len(tail) :] == tail, (key, change)
                diff = list(difflib.unified_diff(a, b, lineterm="", n=0))
                assert diff, (key, change)

    check_each(paths, check)


# -- errors -----------------------------------------------------------------------------------

BAD = [
    ('title = "abc\n', errors.TOMLSyntaxError, 2, 9, "unterminated string"),
    ("title = '''abc\n", errors.TOMLSyntaxError, 2, 9, "unterminated multi-line string"),
    ("a = 1\na = 2\n", errors.DuplicateKeyError, 3, 1, "duplicate key 'a' (first on line 2)"),
    ("a.b = 1\na.b = 2\n", errors.DuplicateKeyError, 3, 3, "duplicate key 'a.b'"),
    ("t = {x = 1,}\n", errors.TOMLSyntaxError, 2, 11, "trailing comma in an inline table"),
    ("t = {x = 1, x = 2}\n", errors.DuplicateKeyError, 2, 13, "duplicate key 'x'"),
    ("[a]\nx = 1\n[a]\n", errors.DuplicateKeyError, 4, 1, "table [a] is defined twice"),
    ("a = 1\n[a]\n", errors.DuplicateKeyError, 3, 2, "key 'a' already holds a value (line 2)"),
    ("a = 1\n[[a]]\n", errors.DuplicateKeyError, 3, 3, "key 'a' already holds a value"),
    ("[[a]]\n[a]\n", errors.DuplicateKeyError, 3, 1, "table [a] is defined twice"),
    ("a = 1\n[a.b]\n", errors.DuplicateKeyError, 3, 2, "key 'a' already holds a value"),
    ("a = tru\n", errors.TOMLSyntaxError, 2, 5, "a text value must be quoted in TOML"),
    ("a = 1 b = 2\n", errors.TOMLSyntaxError, 2, 7, "the value ends before this, but the line"),
    ("a = [1, 2\n", errors.TOMLSyntaxError, 2, 5, "this `[` array is not closed with `]`"),
    ("a = [1, 2\nb = 3\n", errors.TOMLSyntaxError, 2, 5, "this `[` array is not closed with"),
    # a bad value or a missing comma inside a closed array, at its place
    ("f = [inf, -0., 1e10]\n", errors.TOMLSyntaxError, 2, 11, "'-0.' is not a valid TOML value"),
    ("f = [inf, 1e1s]\n", errors.TOMLSyntaxError, 2, 11, "'1e1s' is not a valid TOML value"),
    ("f = [1 2, 3]\n", errors.TOMLSyntaxError, 2, 8, "a comma is missing before this array item"),
    ("f = [1,\n 2 # c\n 3]\n", errors.TOMLSyntaxError, 4, 2, "a comma is missing before this"),
    ('a = "\\q"\n', errors.TOMLSyntaxError, 2, 6, 'a backslash in a "basic string" must'),
    ("a = 1979-13-01\n", errors.TOMLSyntaxError, 2, 5, "'1979-13-01' is not a valid date or"),
    ("a = 07:61:00\n", errors.TOMLSyntaxError, 2, 5, "'07:61:00' is not a valid date or time"),
    ("= 1\n", errors.TOMLSyntaxError, 2, 1, "this line is not `key = value`, a `[table]`"),
    ("x =\n", errors.TOMLSyntaxError, 2, 4, "a key without a value"),
    ('title: "a"\n', errors.TOMLSyntaxError, 2, 6, "`key: value` is YAML; TOML writes"),
    ("t = {a = 1,\n b = 2}\n", errors.TOMLSyntaxError, 2, 12, "a key cannot start here"),
    ("a = 1\nb = c d\n", errors.TOMLSyntaxError, 3, 5, "a text value must be quoted in TOML"),
    # TOML 1.0: an integer that 64 bits cannot hold must be an error (tomllib reads it)
    ("a = 1\nbig = 99999999999999999999\n", errors.TOMLSyntaxError, 3, 7, "does not fit in 64"),
    ("big = -9223372036854775809\n", errors.TOMLSyntaxError, 2, 7, "does not fit in 64 bits"),
    ("a = [1, 0xFFFF_FFFF_FFFF_FFFF]\n", errors.TOMLSyntaxError, 2, 9, "does not fit in 64"),
    ("t = {x = 10_000_000_000_000_000_000}\n", errors.TOMLSyntaxError, 2, 10, "does not fit"),
]


@pytest.mark.parametrize(("fm", "error", "line", "column", "words"), BAD)
def test_bad_toml_is_refused_with_class_and_position(
    fm: str, error: type[errors.FrontMatterError], line: int, column: int, words: str
) -> None:
    with pytest.raises(errors.FrontMatterError) as caught:
        fq.loads(f"+++\n{fm}+++\nbody\n", path="post.md")
    assert type(caught.value) is error
    assert (caught.value.path, caught.value.line, caught.value.column) == ("post.md", line, column)
    assert words in caught.value.message
    assert str(caught.value).startswith(f"post.md:{line}:{column}: ")


@pytest.mark.parametrize(
    ("fm", "hint"),
    [
        ("title = Hello world\n", 'write title = "Hello world"'),
        ("draft = tru\n", 'write draft = "tru" (or draft = true: booleans are lowercase)'),
        ('title: "a"\n', "write title = ..., or open the front matter with --- to write YAML"),
        ("t = {x = 1,}\n", "remove the comma after the last pair"),
        ("a = 1\na = 2\n", errors.DuplicateKeyError.hint),
        (
            "title = 'abc\n",
            "end the string with ' on the same line; text over several lines goes in "
            "'''triple quotes'''",
        ),
    ],
)
def test_toml_errors_say_how_to_fix_them(fm: str, hint: str) -> None:
    with pytest.raises(errors.FrontMatterError) as caught:
        fq.loads(f"+++\n{fm}+++\n")
    assert caught.value.hint == hint


def test_an_integer_beyond_64_bits_is_refused_where_it_is_written(tmp_path: Path) -> None:
    """tomllib reads any integer, but no TOML file can hold one beyond 64 bits (TOML 1.0: it
    must be an error): a file that loaded with one could never be written back, even unedited.
    The limits themselves load and write back; ``check`` reports the number at its place."""
    from test_cli import run

    with pytest.raises(errors.TOMLSyntaxError) as caught:
        fq.loads('+++\ntitle = "A"\nbig = 99999999999999999999\n+++\nBody\n', path="big.md")
    assert str(caught.value) == (
        "big.md:3:7: the integer 99999999999999999999 does not fit in 64 bits (TOML integers "
        "go from -9223372036854775808 to 9223372036854775807)"
    )
    assert caught.value.hint == (
        'write it as text ("99999999999999999999"), or as a float if an approximate number will do'
    )
    edges = "+++\nlow = -9223372036854775808\nhigh = 9_223_372_036_854_775_807\n+++\n"
    assert fq.loads(edges).data == {"low": -(2**63), "high": 2**63 - 1}
    assert fq.loads(edges).dumps() == edges
    (tmp_path / "big.md").write_text("+++\nbig = 99999999999999999999\n+++\n")
    done = run(tmp_path, "check", "big.md")
    assert done.returncode == 1
    assert "big.md:2:7: E014 the integer 99999999999999999999 does not fit" in done.stdout


def test_limits_apply_to_toml() -> None:
    deep = "a = " + "[" * 70 + "]" * 70 + "\n"
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(f"+++\n{deep}+++\n")
    assert (caught.value.line, caught.value.column) == (2, 68)  # the 64th "[" is level 65
    very_deep = "a = " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(errors.DepthLimitError):
        fq.loads(f"+++\n{very_deep}+++\n")
    header = "[" + ".".join(["k"] * 70) + "]\n"
    with pytest.raises(errors.DepthLimitError):
        fq.loads(f"+++\n{header}+++\n")
    many = "".join(f"k{i} = {i}\n" for i in range(50))
    with pytest.raises(errors.LimitExceededError) as limit:
        fq.loads(f"+++\n{many}+++\n", limits=fq.Limits(max_nodes=40))
    assert "more than 40 keys and values" in limit.value.message
    with pytest.raises(errors.SizeLimitError):
        fq.loads(f"+++\n{many}+++\n", limits=fq.Limits(max_front_matter_chars=100))


def test_the_node_limit_counts_keys_and_values_as_the_writer_does() -> None:
    """Each key, value and table counts once (the root too), as the writer counts: 4 pairs are
    9 nodes and load and write back under max_nodes=10; a 5th pair's value is the 11th node,
    refused at load (it used to load, then fail to be written back unedited)."""
    limits = fq.Limits(max_nodes=10)
    four = "+++\n" + "".join(f"k{i} = {i}\n" for i in range(4)) + "+++\n"
    assert fq.loads(four, limits=limits).dumps() == four
    five = "+++\n" + "".join(f"k{i} = {i}\n" for i in range(5)) + "+++\n"
    with pytest.raises(errors.LimitExceededError) as caught:
        fq.loads(five, limits=limits)
    assert type(caught.value) is errors.LimitExceededError
    assert (caught.value.code, caught.value.line, caught.value.column) == ("E013", 6, 6)
    assert caught.value.message == "front matter has more than 10 keys and values"
    # tables made by headers, dotted keys and arrays of tables: a key and a table each
    tables = "+++\n[a.b]\nc.d = 1\n[[e]]\n+++\n"  # root, a, b, c, d, 1, e: 1 + 2 * 5 + 1
    assert fq.loads(tables, limits=fq.Limits(max_nodes=12)).dumps() == tables
    with pytest.raises(errors.LimitExceededError) as caught:
        fq.loads(tables, limits=fq.Limits(max_nodes=11))
    assert (caught.value.line, caught.value.column) == (4, 1)  # the [[e]] element


@pytest.mark.parametrize(
    ("fm", "column"),
    [
        (".".join(["a"] * 100_000) + " = 1\n", 1),  # a 200 KB dotted key
        ("[" + ".".join(["a"] * 100_000) + "]\n", 1),  # a 200 KB header path
        ("[[" + ".".join(["a"] * 100_000) + "]]\n", 1),
        ("t = {" + ".".join(["a"] * 100_000) + " = 1}\n", 6),
    ],
)
def test_long_key_paths_are_refused_before_tomllib_reads_them(
    fm: str, column: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tomllib takes quadratic time over a long dotted key or header path (80 KB: 42 s): the
    depth limit is checked first, by the scanner, as soon as the 65th part is read. Asserted by
    what tomllib is given (nothing), not by timing."""
    from frontmatter_qt.formats.toml import read

    def never(text: str) -> None:
        raise AssertionError("tomllib was given the hostile text")

    fake = types.SimpleNamespace(loads=never, TOMLDecodeError=tomllib.TOMLDecodeError)
    monkeypatch.setattr(read, "tomllib", fake)
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(f"+++\n{fm}+++\n", path="hostile.md")
    assert (caught.value.path, caught.value.line, caught.value.column) == ("hostile.md", 2, column)
    assert caught.value.message == "tables nested deeper than 64 levels"


@pytest.mark.parametrize(
    ("fm", "message"),
    [
        ("a = [1 2]\n", "a comma is missing before this array item"),  # the scanner's place
        ('a = "x\n', "unterminated string: the closing '\"' is missing on this line"),
        ("a = tru\n", "a text value must be quoted in TOML"),  # tomllib's, in plain words
        ("x = 99999999999999999999\n", "the integer 99999999999999999999 does not fit in 64 bits"),
    ],
)
def test_a_mistake_is_scanned_once(fm: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner's reading before tomllib's is reused to place tomllib's error, and to raise
    its own when tomllib accepts the text: the scanner used to run two or three times."""
    from frontmatter_qt.formats.toml.scan import Scanner

    runs = []
    run = Scanner.run
    monkeypatch.setattr(Scanner, "run", lambda self: (runs.append(1), run(self))[1])
    with pytest.raises(errors.TOMLSyntaxError) as caught:
        fq.loads(f"+++\n{fm}+++\n")
    assert caught.value.message.startswith(message)
    assert len(runs) == 1


def test_depth_is_counted_as_the_writer_counts_it_and_placed() -> None:
    """A value's depth counts its section's tables (it used to be counted from the root, and a
    second, unpositioned walk refused it at the front matter's first line); an inline table in
    a dotted key is no deeper than the writer counts it (it used to be refused one level early)."""
    deep = "+++\nt = 1\n[a.b]\nx = [[1]]\n+++\n"  # the root, a, b, x, x[0]: five levels
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(deep, limits=fq.Limits(max_depth=4))
    assert (caught.value.line, caught.value.column) == (4, 6)
    assert caught.value.message == "arrays and tables nested deeper than 4 levels"
    assert fq.loads(deep, limits=fq.Limits(max_depth=5)).dumps() == deep
    inline = "+++\na.b = { c = 1 }\n+++\n"  # the root, a, b: three levels
    assert fq.loads(inline, limits=fq.Limits(max_depth=3)).data == {"a": {"b": {"c": 1}}}
    with pytest.raises(errors.DepthLimitError) as caught:
        fq.loads(inline, limits=fq.Limits(max_depth=2))
    assert (caught.value.line, caught.value.column) == (2, 7)  # at its `{`
    assert caught.value.message == "arrays and tables nested deeper than 2 levels"


# -- values TOML cannot hold, and key order ---------------------------------------------------

UNWRITABLE = [
    (("title",), None, "title: cannot write this value to TOML front matter: TOML has no null"),
    (("extra", "x"), [1, None], "extra.x.1: "),
    (("n",), 2**63, "does not fit TOML's 64-bit integers"),
    (("n",), -(2**63) - 1, "does not fit"),
    (("t",), dt.time(1, 2, tzinfo=dt.timezone.utc), "a TOML local time has no offset"),
    (
        ("d",),
        dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))),
        "whole minutes",
    ),
    (("s",), "\ud800", "lone surrogate"),
    (("extra",), {1: "x"}, "extra: cannot write this value to TOML front matter: a key must be"),
    (("b",), b"bytes", "TOML cannot hold a bytes"),
    (("s",), {1, 2}, "TOML cannot hold a set"),
]


@pytest.mark.parametrize(("path", "value", "words"), UNWRITABLE)
def test_values_toml_cannot_hold_are_refused_before_writing(
    tmp_path: Path, path: tuple[str, ...], value: Any, words: str
) -> None:
    target = tmp_path / "post.md"
    raw = VARIANTS["lf"].encode("utf-8")
    target.write_bytes(raw)
    doc = fq.load(target)
    inner = doc.data
    for key in path[:-1]:
        inner = inner[key]
    inner[path[-1]] = value
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        fq.dump(doc)
    assert words in caught.value.message
    assert caught.value.path == str(target)
    assert target.read_bytes() == raw


def test_largest_ints_and_offsets_are_fine() -> None:
    india = dt.timezone(-dt.timedelta(hours=9, minutes=30))
    for value in (2**63 - 1, -(2**63), dt.datetime(2024, 1, 1, tzinfo=india)):
        doc = fq.loads(VARIANTS["lf"])
        doc["plus"] = value
        assert reference(doc.dumps())["plus"] == value


# -- key order: moves within a section, renames, inserts at a place ---------------------------

ORDERED = """title = "A"  # on its line
date = 2024-01-02
# about tags
tags = ["a", "b"]
draft = false
inline = { x = 1, y = "two" }

[extra]
  team = "Release"
  level = 2

[[links]]
name = "first"
"""


def test_a_key_moves_within_its_section_with_its_comments() -> None:
    doc = fq.loads(with_fences(ORDERED))
    doc.move("tags", before="title")
    doc["tags"].append("c")  # its own edit, applied inside the moved lines
    doc.move(("extra", "level"), before="team")
    assert doc.dumps() == with_fences(
        ORDERED.replace('# about tags\ntags = ["a", "b"]\n', "")
        .replace('title = "A"', '# about tags\ntags = ["a", "b", "c"]\ntitle = "A"')
        .replace('  team = "Release"\n  level = 2', '  level = 2\n  team = "Release"')
    )


def test_insert_at_a_place_takes_the_sections_layout() -> None:
    doc = fq.loads(with_fences(ORDERED))
    doc.insert("updated", dt.date(2024, 2, 3), after="date")
    doc.insert(("extra", "lead"), "Ann", before="team")
    doc.insert("id", 7, before="title")
    assert doc.dumps() == with_fences(
        "id = 7\n"
        + ORDERED.replace(
            "date = 2024-01-02\n", "date = 2024-01-02\nupdated = 2024-02-03\n"
        ).replace('  team = "Release"', '  lead = "Ann"\n  team = "Release"')
    )


def test_renames_write_only_the_key_text() -> None:
    doc = fq.loads(with_fences(ORDERED))
    doc.rename("tags", "labels")
    doc.rename("extra", "params")
    doc.rename(("links", 0, "name"), "title")
    doc.rename(("inline", "y"), "why")
    assert doc.dumps() == with_fences(
        ORDERED.replace("tags =", "labels =")
        .replace("[extra]", "[params]")
        .replace('name = "first"', 'title = "first"')
        .replace('y = "two"', 'why = "two"')
    )


def test_renaming_a_table_renames_every_header_and_dotted_key_naming_it() -> None:
    doc = fq.loads(VARIANTS["lf"])
    doc.rename("extra", "params")
    doc.rename("site", "web")
    doc.rename("a", "A")
    out = doc.dumps()
    assert out == (
        VARIANTS["lf"]
        .replace("[extra]", "[params]")
        .replace("[extra.deeper]", "[params.deeper]")
        .replace("site.name", "web.name")
        .replace("site . url", "web . url")
        .replace("[a.b.c]", "[A.b.c]")
    )
    assert list(reference(out)) == list(doc.data)


def test_an_inline_table_is_rebuilt_in_the_new_order() -> None:
    doc = fq.loads(VARIANTS["lf"])
    doc["inline"] = {"y": "two", "x": 1, "nested": {"z": [1, 2]}}
    assert doc.dumps() == VARIANTS["lf"].replace(
        'inline = { x = 1, y = "two", nested', 'inline = { y = "two", x = 1, nested'
    )


def test_deleting_a_key_takes_its_comment_lines() -> None:
    doc = fq.loads(with_fences(ORDERED))
    del doc["tags"]
    assert doc.dumps() == with_fences(ORDERED.replace('# about tags\ntags = ["a", "b"]\n', ""))


def test_an_order_toml_cannot_write_is_refused_at_the_key() -> None:
    text = with_fences(ORDERED)
    doc = fq.loads(text, path="post.md")
    doc.move("title", after="extra")
    with pytest.raises(errors.OrderError) as caught:
        doc.dumps()
    assert isinstance(caught.value, errors.RoundTripError) and caught.value.code == "E026"
    assert str(caught.value) == (
        "post.md:2:1: refusing to write: 'title' would follow the table 'extra' in the top "
        "level, and TOML writes a table's plain keys before its [sections] (a key after a "
        "header belongs to that header's table)"
    )
    doc = fq.loads(text, path="post.md")
    doc.move("links", before="extra")
    with pytest.raises(errors.OrderError) as caught:
        doc.dumps()
    assert str(caught.value) == (
        "post.md:9:2: refusing to write: the table 'extra' of the top level would come after "
        "'links'; moving TOML [sections] is not supported"
    )
    doc = fq.loads(VARIANTS["lf"], path="post.md")
    doc.move("site", before="hex")
    with pytest.raises(errors.OrderError, match=r"moving the dotted keys site\.\* \(several"):
        doc.dumps()


def test_a_key_the_file_writes_after_a_section_can_stay_there() -> None:
    """``[s.t]`` written before ``[s]``: s's plain key ``a`` follows the table ``t`` in the data,
    as in the file; an edit of ``s`` keeps it there (it was refused as a plain key after a
    section). Moving it there from before the section is still refused."""
    text = "+++\n[s.t.u]\n[s]\na = 1\n+++\n"
    out = edited(text, lambda d: d["s"].__setitem__("nk", 1))
    assert out == "+++\n[s.t.u]\n[s]\na = 1\nnk = 1\n+++\n"
    assert list(fq.loads(out).data["s"]) == ["t", "a", "nk"]
    doc = fq.loads("+++\n[s]\na = 1\n[s.t]\n+++\n")
    doc["s"] = {"t": {}, "a": 1}
    with pytest.raises(errors.OrderError) as caught:
        doc.dumps()
    assert (caught.value.line, caught.value.column) == (3, 1)


def test_a_new_table_before_a_kept_section_is_written_before_it() -> None:
    """A new table (or array of tables) that the data puts before an existing [section] is
    written just before that section's lines (its comment lines above included), so it reads
    back in the data's order; one after every section still goes at the end. Found by
    hypothesis (test_a_sections_keys_follow_a_new_order): ``title = {}`` renamed and moved
    after ``date`` was written as ``[renamed]`` after ``[[links]]``."""
    text = with_fences(ORDERED.replace("[extra]", "# about extra\n[extra]"))
    doc = fq.loads(text)
    items = list(doc.data.items())
    doc.data.clear()
    doc.data.update(items[:5])
    doc["new"] = {"k": 1}
    doc["extra"] = items[5][1]
    doc["runs"] = [{"n": 1}, {"n": 2}]
    doc["links"] = items[6][1]
    doc["last"] = {"z": True}
    out = doc.dumps()
    assert out == with_fences(
        ORDERED.replace("[extra]", "[new]\nk = 1\n\n# about extra\n[extra]").replace(
            "[[links]]", "[[runs]]\nn = 1\n\n[[runs]]\nn = 2\n\n[[links]]"
        )
        + "[last]\nz = true\n"  # the gap the file has before its first header: none
    )
    assert list(reference(out)) == list(doc.data)
    # the case hypothesis found: an empty inline table renamed into the sections' place
    found = '\ufeff+++\ntitle = {}\ndate = "_"\n\n[[links]]\n\nurl = "_"  # c\n+++'
    doc = fq.loads(found)
    links = doc["links"]
    doc.data.clear()
    doc.data.update([("date", "_"), ("renamed_k", {}), ("links", links)])
    out = doc.dumps()
    assert out == '\ufeff+++\ndate = "_"\n\n[renamed_k]\n\n[[links]]\n\nurl = "_"  # c\n+++'
    assert list(reference(out)) == ["date", "renamed_k", "links"]


def test_a_new_plain_key_after_the_tables_goes_with_the_plain_keys() -> None:
    """TOML has one place for a table's plain keys, before its [sections]: a new key that
    follows a table in the data is written there (and reads back there)."""
    doc = fq.loads(with_fences(ORDERED))
    doc["new"] = 1
    assert doc.dumps() == with_fences(ORDERED.replace("}\n\n[extra]", "}\nnew = 1\n\n[extra]"))


def test_an_output_read_back_in_another_key_order_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verification re-read holds TOML to the data's key order, but for what TOML forces
    (see ``formats/toml/order.py``): with the editor's ``keep_dotted_place`` switched off (the
    editor as it was before it), a dotted table whose first line goes would read back after the
    plain key the data puts after it, and nothing is written."""
    from frontmatter_qt.formats.toml.edit import Editor

    monkeypatch.setattr(Editor, "keep_dotted_place", lambda self, table: None)
    target = tmp_path / "post.md"
    raw = b"+++\nb.x = 1\na = 2\nb.y = 3\n+++\nbody\n"
    target.write_bytes(raw)
    doc = fq.load(target)
    del doc["b"]["x"]
    with pytest.raises(errors.RoundTripError) as caught:
        fq.dump(doc)
    assert type(caught.value) is errors.RoundTripError
    assert str(caught.value) == (
        f"{target}:1:1: refusing to write: the output would re-parse with its keys in another order"
    )
    assert target.read_bytes() == raw


@pytest.mark.parametrize(
    ("text", "data", "where"),
    [
        # a line ahead of the section the data puts before it: TOML's own order
        ("z = 1\n[t]\na = 1\n", {"t": {"a": 1}, "z": 1}, None),
        ("[t.s]\nx = 1\n[t]\na = 1\nn = 2\n", {"t": {"s": {"x": 1}, "a": 1, "n": 2}}, None),
        # a file may write [t.s] first (t reads s, a): not every line comes before every section
        ("z = 1\n[t.s]\n[t]\na = 1\n", {"t": {"s": {}, "a": 1}, "z": 1}, None),
        # lines among themselves, sections among themselves, keep the data's order
        ("a = 2\nb.y = 3\n", {"b": {"y": 3}, "a": 2}, ()),
        ("[u]\n[t]\n", {"t": {}, "u": {}}, ()),
        ("[[u]]\n[t.x.y]\n", {"t": {"x": {"y": {}}}, "u": [{}]}, ()),
        # a section never reads back ahead of a line the data puts before it
        ("[t.s]\nx = 1\n[t]\na = 1\n", {"t": {"a": 1, "s": {"x": 1}}}, ("t",)),
        ("[t.s]\n[t]\na = 1\nb = 2\n", {"t": {"a": 1, "s": {}, "b": 2}}, ("t",)),
        # inside arrays of tables and inline tables too, at the table's path
        ("[[e]]\n[[e]]\nb = 1\na = 2\n", {"e": [{}, {"a": 2, "b": 1}]}, ("e", 1)),
        ("v = [{ b = 1, a = 2 }]\n", {"v": [{"a": 2, "b": 1}]}, ("v", 0)),
    ],
)
def test_key_orders_toml_forces_and_the_others(
    text: str, data: dict[str, Any], where: tuple[Any, ...] | None
) -> None:
    from frontmatter_qt.engine.limits import Limits
    from frontmatter_qt.formats.toml import TOML as toml_format

    read = tomllib.loads(text)
    assert read == data  # (the check is asked only of data equal but for key order)
    assert toml_format.misordered(text, read, data, Limits()) == where


def test_a_section_becoming_a_value_takes_its_place_among_the_lines() -> None:
    """A ``[section]`` replaced by a plain value is written as a key/value line of its table
    where the data's order puts it among the others (after them, ``s`` would read back after
    ``a``, which the data puts after it: refused by the order check)."""
    out = edited("+++\n[t.s]\nx = 1\n[t]\na = 1\n+++\n", lambda d: d["t"].__setitem__("s", 5))
    assert out == "+++\n[t]\ns = 5\na = 1\n+++\n"
    assert list(reference(out)["t"]) == ["s", "a"]
    out = edited("+++\n[[s]]\nx = 1\n[t]\n+++\n", lambda d: d.__setitem__("s", []))
    assert out == "+++\ns = []\n[t]\n+++\n"


# -- the engine stays lazy, the command works -------------------------------------------------


def test_toml_support_loads_lazily() -> None:
    code = (
        "import sys, frontmatter_qt as fq\n"
        "assert 'tomlkit' not in sys.modules and 'frontmatter_qt.formats.toml' not in sys.modules\n"
        "doc = fq.loads('+++\\ntitle = \"a\"\\n+++\\n')\n"
        "assert 'tomlkit' not in sys.modules\n"
        "doc['title'] = 'b'\n"
        "assert doc.dumps() == '+++\\ntitle = \"b\"\\n+++\\n'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cli_set_get_unset_on_toml(tmp_path: Path) -> None:
    from test_cli import run

    target = tmp_path / "post.md"
    raw = POST.read_bytes()
    target.write_bytes(raw)
    assert run(tmp_path, "get", "post.md", "title").stdout == "Changes in the core team\n"
    done = run(tmp_path, "set", "post.md", "draft=true")
    assert (done.returncode, done.stdout) == (0, "updated post.md\n")
    assert target.read_bytes() == raw.replace(b'.html"]\n', b'.html"]\ndraft = true\n', 1)
    assert run(tmp_path, "get", "post.md", "draft", "--json").stdout == "true\n"
    done = run(tmp_path, "unset", "post.md", "draft")
    assert (done.returncode, done.stdout) == (0, "updated post.md\n")
    assert target.read_bytes() == raw
    refused = run(tmp_path, "set", "post.md", "title=null")
    assert refused.returncode != 0
    assert "has no null" in refused.stdout + refused.stderr
    assert target.read_bytes() == raw


def test_spans_of_tables_run_from_their_first_statement_to_their_last() -> None:
    """``doc.span`` of a table (indexed once per document): from the first statement written
    at or under its path to the end of the last one, wherever its header is."""
    text = VARIANTS["lf"]
    doc = fq.loads(text)

    def at(needle: str, end: bool = False) -> tuple[int, int]:
        offset = text.index(needle) + (len(needle) if end else 0)
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def span(first: str, last: str) -> Span:
        return Span(*at(first), *at(last, end=True))

    assert doc.span(("extra",)) == span("[extra]", "key = 'value'")
    assert doc.span(("extra", "deeper")) == span("[extra.deeper]", "key = 'value'")
    assert doc.span(("links",)) == span("[[links]]", "rank = 2")
    assert doc.span(("links", 1)) == span('[[links]]\nname = "second"', "rank = 2")
    assert doc.span(("links", 0)) == span("[[links]]", 'name = "first"')
    assert doc.span(("a",)) == doc.span(("a", "b")) == span("[a.b.c]", "\nd = 1")
    assert doc.span(("site",)) == span("site.name", '"spaced dots"')
    assert doc.span(("inline", "nested")) == span("{ z = [1, 2] }", "{ z = [1, 2] }")
    assert doc.key_span(("extra", "deeper")) == span("deeper]", "deeper")
    assert doc.span(("missing",)) is None and doc.key_span(("links", 0)) is None
    # (): the whole front matter between the fences, its last line break included
    assert doc.span(()) == Span(2, 1, text.count("\n", 0, text.rindex("+++")) + 1, 1)
    # locate falls back where span does not: a missing key of a table is reported at its key
    assert doc.locate(("extra", "nope")) == span("extra]", "extra")


# -- key order on the real corpus -------------------------------------------------------------


def _own_lines(lines: list[str], first: int, count: int) -> tuple[int, int]:
    """``[start, end)`` of a statement's lines with the comment lines directly above it."""
    start = first
    while start > 1 and lines[start - 1].lstrip(" \t").startswith("#"):
        start -= 1
    return start, first + count


@pytest.mark.parametrize("paths", by_source(TOML_FILES, most=50))
def test_corpus_move_each_plain_key_to_the_front_and_rename_each_key(paths: list[Path]) -> None:
    """Exact line changes: a moved key's own lines open the front matter and every other line
    keeps its order; a rename changes only the lines that write the key, only in the key."""

    def check(path: Path) -> None:
        text = path.read_text("utf-8")
        doc = fq.loads(text)
        tree = doc._parsed.tree  # type: ignore[attr-defined]
        fm = front_matter(text)
        lines = text.split("\n")

        def span(key: str) -> tuple[int, int]:
            stmt = tree.root.entries[key].stmt
            first = fm.count("\n", 0, stmt.line) + 1  # the opener is line 0
            return _own_lines(lines, first, fm.count("\n", stmt.line, stmt.after))

        plain = [key for key, entry in tree.root.entries.items() if entry.stmt is not None]
        for key in plain[1:]:
            moved = fq.loads(text)
            moved.move(key, before=plain[0])
            out = moved.dumps()
            assert list(reference(out))[: len(plain)] == [key] + [k for k in plain if k != key]
            (top, _), (start, end) = span(plain[0]), span(key)
            expected = lines[:top] + lines[start:end] + lines[top:start] + lines[end:]
            assert out.split("\n") == expected
        for key in tree.root.entries:
            renamed = fq.loads(text)
            renamed.rename(key, "renamed_key")
            out = renamed.dumps()
            assert list(reference(out)) == [("renamed_key" if k == key else k) for k in doc.data]
            after = out.split("\n")
            assert len(after) == len(lines)
            changed = [i for i, (a, b) in enumerate(zip(lines, after, strict=True)) if a != b]
            assert changed, "the key's text was not written"
            assert all(after[i] == lines[i].replace(key, "renamed_key", 1) for i in changed)

    check_each(paths, check)
