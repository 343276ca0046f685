"""Hypothesis strategies and reference helpers for JSON front matter.

Documents are generated as *text*: plain JSON data drawn first, then written by a small writer
of this module (never by the library) in a style drawn per document and per container: one-line
or multi-line containers, an indentation of 2, 3 or 4 spaces or a tab, ``": "``/``":"``/``" : "``
after keys, ``", "``/``","`` between one-line entries, padding inside one-line brackets, ``\\u``
escapes or raw characters, LF or CRLF, a BOM, Hugo's bare object or a ``---json`` block, with
or without a final newline and a body.

The *meaning* of a text is never computed by the library under test: ``reference`` splits it
independently and reads it with ``json.loads`` (``json.JSONDecoder.raw_decode`` for a bare
object), refusing duplicate keys and NaN/Infinity as the library does.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

Path = tuple[Any, ...]

# Strings that need care in JSON: quotes, backslashes, slashes, control characters, non-ASCII,
# astral characters (surrogate pairs when escaped), a lone surrogate, U+2028.
TRICKY_STRINGS = [
    "",
    'say "hi"',
    "back\\slash",
    "a/b/c",
    "tab\there",
    "line\nbreak\r\n",
    "\x00\x1f\x7f",
    "Café — naïve",
    "😀 astral",
    "\ud800 lone surrogate",
    "\u2028\u2029",
    "}{][,:",
    "   spaces   ",
    "null",
]

_KEY_CHARS = st.sampled_from([*'abcxyz_-. é"\\/{}:,', "😀", "\n", "\t"])
keys = st.one_of(
    st.sampled_from(["title", "tags", "date", "draft", "seo", "a", "b", ""]),
    st.text(_KEY_CHARS, min_size=1, max_size=6),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(TRICKY_STRINGS),
)


@functools.cache  # building a recursive strategy is costly: once per shape
def json_values(max_leaves: int = 12, key_prefix: str = "") -> st.SearchStrategy[Any]:
    """JSON data; ``key_prefix`` (``"n:"``, which generated keys never start with) makes every
    object's keys new, so the value cannot reorder the keys of one it replaces."""
    object_keys = keys.map(lambda key: key_prefix + key) if key_prefix else keys
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(object_keys, inner, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def fresh_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """A value to set somewhere: its objects share no key with anything generated."""
    return json_values(max_leaves, key_prefix="n:")


front_matter_data = st.dictionaries(keys, json_values(), max_size=6)


@dataclass(frozen=True)
class JsonStyle:
    unit: str
    key_value: str
    separator: str
    padding: str
    ensure_ascii: bool
    newline: str


@dataclass(frozen=True)
class JsonDoc:
    text: str
    data: dict[str, Any]
    newline: str
    fenced: bool

    def __repr__(self) -> str:  # hypothesis prints this on failure: make it copy-pasteable
        return f"JsonDoc(text={self.text!r}, fenced={self.fenced})"


def dumps(value: Any, ensure_ascii: bool) -> str:
    """A scalar as JSON; a lone surrogate (no UTF-8 for it) is always escaped."""
    text = json.dumps(value, ensure_ascii=ensure_ascii)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value)
    return text


def write(draw: st.DrawFn, value: Any, style: JsonStyle, indent: str, multiline: bool) -> str:
    """``value`` as JSON text whose first line starts at ``indent`` (containers' layout drawn)."""
    if isinstance(value, dict):
        parts = [(dumps(k, style.ensure_ascii), v) for k, v in value.items()]
        brackets = "{}"
    elif isinstance(value, list):
        parts = [(None, v) for v in value]
        brackets = "[]"
    else:
        return dumps(value, style.ensure_ascii)
    if not parts:
        return brackets
    lines = multiline and draw(st.booleans())
    inner = indent + style.unit if lines else indent
    texts = []
    for key, item in parts:
        text = write(draw, item, style, inner, lines)
        texts.append(text if key is None else key + style.key_value + text)
    if lines:
        nl = style.newline
        body = ("," + nl).join(inner + text for text in texts)
        return brackets[0] + nl + body + nl + indent + brackets[1]
    pad = style.padding
    return brackets[0] + pad + style.separator.join(texts) + pad + brackets[1]


@st.composite
def json_documents(draw: st.DrawFn, data: st.SearchStrategy[Any] = front_matter_data) -> JsonDoc:
    value = draw(data)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    style = JsonStyle(
        unit=draw(st.sampled_from(["  ", "    ", "\t", "   "])),
        key_value=draw(st.sampled_from([": ", ":", " : "])),
        separator=draw(st.sampled_from([", ", ","])),
        padding=draw(st.sampled_from(["", "", " "])),
        ensure_ascii=draw(st.booleans()),
        newline=newline,
    )
    front_matter = write(draw, value, style, "", draw(st.integers(0, 3)) > 0)
    fenced = draw(st.booleans())
    body = draw(st.sampled_from(["", "Body.", "Body." + newline, newline + "# Title" + newline]))
    bom = "\ufeff" if draw(st.integers(0, 4)) == 0 else ""
    if fenced:
        closing = "---" + (newline if body or draw(st.booleans()) else "")
        text = bom + "---json" + newline + front_matter + newline + closing + body
    else:
        after = newline if body or draw(st.booleans()) else ""
        text = bom + front_matter + after + body
    return JsonDoc(text, value, newline, fenced)


# -- the reference reading --------------------------------------------------------------------


class Refused(ValueError):
    """The reference refuses what the library refuses beyond json.loads."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise Refused(f"duplicate key {key!r}")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise Refused(f"{name} is not JSON")


def reference_decoder() -> json.JSONDecoder:
    return json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def reference_loads(text: str) -> Any:
    """``json.loads`` with the library's two refusals (duplicate keys, NaN/Infinity)."""
    return reference_decoder().decode(text)


_FENCED = re.compile(r"---json[ \t]*\r?\n")
_FENCE_END = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r?\n")


def reference(text: str) -> tuple[Any, str]:
    """(data, body) of a JSON front-matter document, read independently of the library."""
    rest = text[1:] if text.startswith("\ufeff") else text
    if rest.startswith("{"):
        data, end = reference_decoder().raw_decode(rest)
        after = _LINE_BREAK.match(rest, end)
        return data, rest[after.end() if after else end :]
    opening = _FENCED.match(rest)
    assert opening is not None, "not a JSON front-matter document"
    closing = _FENCE_END.search(rest, opening.end())
    assert closing is not None, "the ---json block is never closed"
    inner = rest[opening.end() : closing.start()]
    data = reference_loads(inner) if inner.strip() else {}
    return data, rest[closing.end() :]


# -- paths ------------------------------------------------------------------------------------


def value_paths(data: Any, prefix: Path = ()) -> list[Path]:
    """Every path below the root, in document order (containers before their contents)."""
    found: list[Path] = []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        found.append((*prefix, key))
        if isinstance(value, (dict, list)):
            found += value_paths(value, (*prefix, key))
    return found


def object_paths(data: Any, prefix: Path = ()) -> list[Path]:
    """Every object (the root ``()`` included)."""
    found = [prefix] if isinstance(data, dict) else []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        if isinstance(value, (dict, list)):
            found += object_paths(value, (*prefix, key))
    return found


def get_path(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


# -- mutation ---------------------------------------------------------------------------------

_NOISE = [
    *"{}[]\",:\\/ \t\r\n0123456789.eE+-tfnul'",
    "\u0661",  # ARABIC-INDIC DIGIT ONE: \d matches it, JSON does not
    "\x00",
    "\x1f",
    "\ufeff",
    "\u00a0",
    "NaN",
    "Infinity",
    "//",
    "/*",
    "\\u",
    "\\ud800",
    "true",
    "null",
    "1e400",
    "-0",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three random edits: deletion, insertion, replacement, cut."""
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            text = draw(st.sampled_from(_NOISE))
            continue
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "cut", "duplicate"]))
        noise = draw(st.sampled_from(_NOISE))
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "insert":
            text = text[:at] + noise + text[at:]
        elif kind == "replace":
            text = text[:at] + noise + text[at + 1 :]
        elif kind == "cut":
            text = text[:at]
        else:
            end = draw(st.integers(at, len(text)))
            text = text[:end] + text[at:end] + text[end:]
    return text
