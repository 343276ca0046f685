"""Property tests of conversion between YAML, TOML and JSON front matter.

For generated data every pair of formats can hold: A → B → A gives the same data, type-exact
and in the same key order, both ways; with no comments involved, B → A → B gives the first B
text back byte for byte; the body, BOM and newline style never change. For generated YAML and
TOML documents with comments: the data converts exactly and every comment is either carried
(found again in the output) or reported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, note, reject
from hypothesis import strategies as st
from strategies import documents, examples
from test_toml_properties import toml_documents

import frontmatter_qt as fq
from frontmatter_qt import errors, formats
from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.text import split

PAIRS = [("yaml", "toml"), ("yaml", "json"), ("toml", "json")]

# Strings that need care in some format: quotes, escapes, YAML indicators, line breaks of every
# kind, a BOM, control characters, TOML and JSON syntax.
TRICKY = [
    "",
    "plain",
    "needs: quoting # here",
    "- dash",
    'say "hi"',
    "it's",
    "back\\slash",
    "line\nbreak\r\n",
    "nel\x85ls\u2028ps\u2029",
    "bom\ufeffinside",
    "\x00\x01\x7f",
    "tab\there",
    "true",
    "null",
    "1979-05-27",
    "07:32:00",
    "0x10",
    "[not, a, list]",
    "{a = 1}",
    '"""',
    "'''",
    "Café — 肝癌 😀",
    "  spaces  ",
    "#hash",
    "---",
    "+++",
]
KEYS = st.one_of(
    st.sampled_from(["title", "date", "a.b", "with space", "", "x-y", 'q"k', "é", "1"]),
    st.text(max_size=6),
)
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
DATETIMES = st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 1, 1))


def scalars(pair: tuple[str, str]) -> st.SearchStrategy[Any]:
    """Scalars both formats of ``pair`` hold (no time of day: only TOML has one)."""
    options: list[st.SearchStrategy[Any]] = [
        st.sampled_from(TRICKY),
        st.text(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan="json" not in pair, allow_infinity="json" not in pair),
    ]
    if "toml" not in pair:
        options += [st.none(), st.integers()]
    if "json" not in pair:
        options += [
            st.dates(),
            DATETIMES,
            st.builds(lambda d, tz: d.replace(tzinfo=tz), DATETIMES, OFFSETS),
        ]
    return st.one_of(options)


def data_for(pair: tuple[str, str]) -> st.SearchStrategy[dict[str, Any]]:
    values = st.recursive(
        scalars(pair),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)
        ),
        max_leaves=12,
    )
    return st.dictionaries(KEYS, values, max_size=6)


@st.composite
def files(draw: st.DrawFn, fmt: str, data: dict[str, Any]) -> str:
    """A file holding ``data`` in ``fmt`` (the format's own renderer: the source need not look
    like anything in particular), with a drawn newline style, BOM, fence style and body."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    opening, closing = draw(st.sampled_from(_fences(fmt)))
    body = draw(st.sampled_from(["", "Body.", "Body." + nl, nl + "# Heading" + nl + nl]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    front = formats.named(fmt).render(data, nl)
    if not opening:  # Hugo's bare JSON object
        return bom + front.removesuffix(nl) + (nl if body or draw(st.booleans()) else "") + body
    end = nl if body or draw(st.booleans()) else ""
    return bom + opening + nl + front + closing + end + body


def _fences(fmt: str) -> list[tuple[str, str]]:
    return {
        "yaml": [("---", "---")],
        "toml": [("+++", "+++"), ("---toml", "---")],
        "json": [("", ""), ("---json", "---")],
    }[fmt]


def converted(text: str, to: str, fence: str) -> str:
    doc = fq.loads(text)
    result = doc.convert(to, fence=fence)
    assert result.dropped == ()
    return doc.dumps()


@pytest.mark.parametrize("pair", PAIRS + [(b, a) for a, b in PAIRS], ids="-".join)
@given(data=st.data())
@examples(60)
def test_there_and_back(pair: tuple[str, str], data: st.DataObject) -> None:
    a, b = pair
    wanted = data.draw(data_for(pair), label="data")
    text = data.draw(files(a, wanted), label="text")
    source = fq.loads(text)
    assert same_in_order(source.data, wanted)  # the source holds the data (a sanity check)
    fence = data.draw(st.sampled_from(["hugo", "eleventy"]), label="fence")

    there = converted(text, b, fence)
    note(f"there: {there!r}")
    doc = fq.loads(there)
    assert doc.format == b
    assert same_in_order(doc.data, wanted)
    assert doc.body == source.body and doc.bom == source.bom
    if source.newline == "\r\n":  # every line break in the newline style of the file
        assert there.count("\n") == there.count("\r\n")
    else:
        assert "\r" not in there

    back = converted(there, a, fence)
    note(f"back: {back!r}")
    assert same_in_order(fq.loads(back).data, wanted)
    assert fq.loads(back).body == source.body

    again = converted(back, b, fence)
    if "\n" not in back:  # `{}` alone says nothing of the newline style: LF is written
        there = there.replace("\r\n", "\n")
    assert again == there  # B → A → B: the same bytes


def _comments(text: str) -> list[str]:
    parts = split(text, object_end=formats.json.object_end)
    fmt = formats.named(parts.format)
    parsed = fmt.parse(parts.front_matter, fq.Limits())
    return [parts.front_matter[a:b].rstrip() for a, b in fmt.comments(parts.front_matter, parsed)]


def _accounted(text: str, to: str) -> None:
    source = fq.loads(text)
    doc = fq.loads(text)
    try:
        result = doc.convert(to, dates_as_strings=True)
    except errors.UnrepresentableValueError:
        reject()  # None or a non-string key on the way to TOML
    out = doc.dumps()
    note(f"out: {out!r}")
    assert fq.loads(out).body == source.body
    if not result.stringified:
        assert same_in_order(fq.loads(out).data, source.data)
    found = _comments(text)
    carried = _comments(out)
    dropped = [d.message.split("): ", 1)[1] for d in result.dropped]
    assert sorted(carried + dropped) == sorted(found)


@given(gen=documents(allow_empty=True))
@examples(150)
def test_yaml_comments_are_carried_to_toml_or_reported(gen: Any) -> None:
    _accounted(gen.text, "toml")


@given(gen=toml_documents())
@examples(150)
def test_toml_comments_are_carried_to_yaml_or_reported(gen: Any) -> None:
    _accounted(gen.text, "yaml")
