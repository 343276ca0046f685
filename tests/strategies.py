"""Shared hypothesis strategies and reference helpers for the property and fuzz tests.

Front matter is generated as *text*, line by line, never through a YAML dumper, so the style
variety is real: nested block mappings indented 2 or 4 spaces (chosen per mapping), scalars in
every YAML style, block sequences with dash offset 0 or 2, flow collections, comments, blank
lines, trailing blanks, CRLF or LF, an optional BOM and an optional missing final newline.

The *meaning* of a generated document is never computed here: the reference reading is
ruamel.yaml's safe loader on the front matter text, and generated documents it refuses are
filtered out with ``assume``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, assume, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

# ---------------------------------------------------------------------------------------------
# Profiles (FQ_FUZZ_PROFILE). Each test states its number of examples with ``examples(n)``:
# - ``default`` (``make test``, CI): a tenth of that (at least 10), 20 for a test that states
#   none, so the whole ``make test`` stays within about a minute on two cores (a quarter took
#   about half of the suite's time); every law keeps its test, ``full`` and ``long`` their depth;
# - ``full`` (``make properties``): the stated numbers, 150 for a test that states none;
# - ``long`` (``make fuzz``): 20,000 each, no deadline to speak of;
# - ``explore``: many examples, reported without shrinking, for investigating.
# The profile is loaded by tests/conftest.py, so tests without ``examples`` follow it too.

_SUPPRESS = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
settings.register_profile(
    "fq-default", max_examples=20, deadline=2000, suppress_health_check=_SUPPRESS
)
settings.register_profile(
    "fq-full", max_examples=150, deadline=2000, suppress_health_check=_SUPPRESS
)
settings.register_profile(
    "fq-long", max_examples=20_000, deadline=10_000, suppress_health_check=_SUPPRESS
)
settings.register_profile(  # for investigating: many examples, report without shrinking
    "fq-explore",
    max_examples=1000,
    deadline=None,
    suppress_health_check=_SUPPRESS,
    phases=[Phase.explicit, Phase.generate],
)
PROFILE = "fq-" + os.environ.get("FQ_FUZZ_PROFILE", "default")
if PROFILE not in ("fq-default", "fq-full", "fq-long", "fq-explore"):
    raise RuntimeError(
        f"unknown FQ_FUZZ_PROFILE {PROFILE[3:]!r}: use default, full, long or explore"
    )
settings.load_profile(PROFILE)


def examples(n: int) -> settings:
    """Settings for one test that wants ``n`` examples (see the profiles above)."""
    base = settings.get_profile(PROFILE)
    if PROFILE == "fq-default":
        return settings(base, max_examples=max(10, n // 10))
    if PROFILE == "fq-full":
        return settings(base, max_examples=n)
    return base


# The corpus tests' share of their edits. Under ``default`` a corpus test edits every
# KEY_STEP-th key of a file (which ones alternates from file to file), with one of its hard
# texts per key in turn; under ``full`` and ``long`` every key with every text.
KEY_STEP = 2
T = TypeVar("T")


def in_turn(items: Sequence[T], start: int, step: int) -> list[T]:
    """Under the default profile every ``step``-th of ``items`` from ``start % step`` on (a
    caller varies ``start`` from file to file and key to key, so every item is taken in turn),
    and at least one when there are any (a file with one key is still edited); under ``full``
    and ``long`` all of them."""
    if PROFILE != "fq-default":
        return list(items)
    return list(items[start % step :: step] or items[:1])


# ---------------------------------------------------------------------------------------------
# Reference reading and comparison


_SAFE = YAML(typ="safe")
_OPEN = re.compile(r"---[ \t]*\r?")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*\r?")


def reference_load(front_matter: str) -> Any:
    """The reference reading: ruamel.yaml's safe loader (YAML 1.2, libyaml parser)."""
    return _SAFE.load(front_matter)


@dataclass(frozen=True)
class RefSplit:
    """An independent delimiter split of a file's text, in ``\\n``-separated lines."""

    front_matter: str
    first_line: int  # index of the first front matter line
    closing_line: int  # index of the closing delimiter line
    body: str


def split_reference(text: str) -> RefSplit | None:
    """Jekyll's rule, written independently of the engine: ``---`` opens on line 1, the first
    later ``---`` or ``...`` line (trailing blanks allowed) closes."""
    rest = text[1:] if text.startswith("\ufeff") else text
    lines = rest.split("\n")
    if len(lines) < 2 or not _OPEN.fullmatch(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _CLOSE.fullmatch(lines[index]):
            fm = "".join(line + "\n" for line in lines[1:index])
            return RefSplit(fm, 1, index, "\n".join(lines[index + 1 :]))
    return None


def reparse(text: str) -> Any:
    """Front matter data of a whole file as the reference reads it ({} when absent/empty)."""
    found = split_reference(text)
    if found is None:
        return {}
    data = reference_load(found.front_matter)
    return {} if data is None else data


def typed(value: Any) -> Any:
    """Data with every scalar tagged by its type, so 1, 1.0 and True differ (mapping order is
    not data; tests that care about order check it themselves)."""
    if isinstance(value, dict):
        return ("dict", sorted(((typed(k), typed(v)) for k, v in value.items()), key=repr))
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float):  # repr tells -0.0 from 0.0 and reads NaN as NaN
        return ("float", repr(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value, value.utcoffset())
    return (type(value).__name__, value)


# Edit tests that check locality keep aliases out of the documents: editing an anchored value
# also writes out the aliases that refer to it (so they keep their values), and those lines
# legitimately change (test_properties.py::test_edit_anchored_value_with_live_alias checks it).
# Identity and fuzz tests, which do not check locality, get aliases.
AVOID_KNOWN_BUGS = True


# ---------------------------------------------------------------------------------------------
# Scalars, each written in one style (the text is ours; validity is the reference's call)

_WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüß肝癌"
words = st.text(alphabet=_WORD_CHARS, min_size=1, max_size=8)
sentence = st.lists(words, min_size=1, max_size=6).map(" ".join)

PLAIN_POOL = [
    "QuickTakes",
    "Posted on",
    "MMM DD, YYYY",
    "QuickTakes | Medicine",
    "97068",
    "-3",
    "0",
    "014",
    "0.5",
    "-1.5e3",
    "1e3",
    "0o17",
    "0x1F",
    ".inf",
    "-.inf",
    ".nan",
    "true",
    "false",
    "True",
    "FALSE",
    "yes",
    "no",
    "on",
    "null",
    "Null",
    "~",
    "2024-12-07",
    "2024-12-07T10:11:12Z",
    "2024-12-07 10:11:12.5 +02:00",
    "2001-12-14t21:59:43.10-05:00",
    "1:20",
    "a-b_c.d",
    "http://example.com/a?b=c#frag",
    "caf\u00e9 \u2265 2 cm \u2014 \u809d\u764c \U0001fa7a",
    "it's fine",
    'say "hi"',
    "100%",
    "C++",
    "a,b,c",
    "x=y",
]

_QUOTED_CHARS = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc", "Zl", "Zp"),
    exclude_characters="\ufeff\x85",
)


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_DQ_ESCAPES = ["\\n", "\\t", "\\\\", '\\"', "\\u00e9", "\\x41", "\\/", "\\0", "\\ ", "\\e"]


@st.composite
def double_quoted(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.text(_QUOTED_CHARS, max_size=10).map(
                    lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
                ),
                st.sampled_from(_DQ_ESCAPES),
            ),
            max_size=5,
        )
    )
    return '"' + "".join(parts) + '"'


plain_scalar = st.one_of(st.sampled_from(PLAIN_POOL), sentence)
inline_scalar = st.one_of(
    plain_scalar,
    plain_scalar,
    st.text(_QUOTED_CHARS, max_size=20).map(_single_quoted),
    double_quoted(),
)
comment_text = st.text(alphabet=_WORD_CHARS + " #:'\"-", max_size=20)


class _Counter:
    """Numbers comments so a test can check every one of them survives an edit."""

    def __init__(self) -> None:
        self.n = 0

    def comment(self, draw: st.DrawFn) -> str:
        self.n += 1
        return f"# c{self.n}:" + draw(comment_text)


@dataclass
class _Ctx:
    counter: _Counter
    draw: st.DrawFn
    nl_ws: bool  # trailing blanks allowed
    aliases: bool  # aliases (*a0) to earlier anchors allowed
    avoid: bool  # avoid the inputs that trigger the known engine bugs
    anchors: list[str] = field(default_factory=list)

    def trailing(self) -> str:
        if self.nl_ws and self.draw(st.integers(0, 5)) == 0:
            return " " * self.draw(st.integers(1, 3))
        return ""

    def maybe_comment(self) -> str:
        if self.draw(st.integers(0, 3)) == 0:
            return " " * self.draw(st.integers(1, 3)) + self.counter.comment(self.draw)
        return ""


def _block_scalar_lines(ctx: _Ctx, col: int) -> tuple[str, list[str]]:
    """A block scalar header and its content lines (absolute indentation)."""
    draw = ctx.draw
    kind = draw(st.sampled_from("|>"))
    chomp = draw(st.sampled_from(["", "-", "+"]))
    step = draw(st.sampled_from([1, 2, 2, 4]))
    indicator = draw(st.booleans())
    header = kind + (f"{step}{chomp}" if indicator else chomp)
    pad = " " * (col + step)
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if lines and draw(st.integers(0, 3)) == 0:
            lines.append("")  # paragraph break (or a kept blank line)
        extra = " " * draw(st.sampled_from([0, 0, 0, 2])) if (indicator and lines) else ""
        lines.append(pad + extra + draw(sentence) + ctx.trailing())
    if chomp == "+" and draw(st.booleans()):
        lines.append("")
    return header, lines


# (not the non-specific tag "! ": the engine and the reference disagree on it, see
# test_properties.py::test_non_specific_tag_reads_like_the_reference)
_TAGS = ["!!str ", "!!int ", "!!float ", "!!bool ", "!!null "]


def _inline_entry(ctx: _Ctx, col: int, key: str) -> list[str]:
    draw = ctx.draw
    sep = draw(st.sampled_from([" ", " ", "  "]))
    value = draw(inline_scalar)
    roll = draw(st.integers(0, 19))
    if roll == 0:  # an anchor, unique in the document
        ctx.anchors.append(f"a{len(ctx.anchors)}")
        value = "&" + ctx.anchors[-1] + " " + value
    elif roll == 1 and ctx.aliases and ctx.anchors:
        value = "*" + draw(st.sampled_from(ctx.anchors))
    elif roll == 2:
        value = draw(st.sampled_from(_TAGS)) + value
    return [" " * col + key + ":" + sep + value + ctx.maybe_comment() + ctx.trailing()]


def _multiline_flow_scalar(ctx: _Ctx, col: int, key: str) -> list[str]:
    """A plain or double-quoted scalar wrapped over several lines (folded by YAML)."""
    draw = ctx.draw
    pieces = draw(st.lists(sentence, min_size=2, max_size=4))
    pad = " " * (col + draw(st.sampled_from([1, 2, 4])))
    quote = draw(st.sampled_from(["", '"', "'"]))
    first = " " * col + key + ": " + quote + pieces[0]
    rest = [pad + piece for piece in pieces[1:]]
    rest[-1] += quote
    return [first, *rest]


def _flow_collection(ctx: _Ctx) -> str:
    draw = ctx.draw
    items = draw(st.lists(inline_scalar, max_size=4))
    if draw(st.booleans()):
        return "[" + ", ".join(items) + "]"
    keys = draw(st.lists(st.sampled_from(_KEY_POOL), max_size=3, unique=True))
    return "{" + ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=False)) + "}"


_KEY_POOL = [
    "title",
    "id",
    "date",
    "seo",
    "tags",
    "answer",
    "question",
    "author",
    "related",
    "url",
    "a",
    "b",
    "x_y",
    "page-keywords",
    "Title",
    "ключ",
    '"quoted key"',
    "'single key'",
    "2024",
    "yes",
    "n",
    "1",
    "0.0",
    "true",
    "=",
]


def _gap_lines(ctx: _Ctx, col: int) -> list[str]:
    """Comment and blank lines between entries."""
    draw = ctx.draw
    out: list[str] = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        if draw(st.booleans()):
            out.append(" " * draw(st.sampled_from([0, col, col])) + ctx.counter.comment(draw))
        else:
            out.append(ctx.trailing())
    return out


def _sequence_lines(ctx: _Ctx, col: int, depth: int, dash_col: int | None = None) -> list[str]:
    """A block sequence whose dashes stand at ``dash_col`` (else ``col`` or 2 past it)."""
    draw = ctx.draw
    if dash_col is None:
        dash_col = col + draw(st.sampled_from([0, 2]))
    dash = " " * dash_col + "-"
    # the blanks after each dash (`-   x`, the habit of files indented by 4): 1 to 4
    lead = dash + " " * draw(st.sampled_from([1, 1, 1, 2, 3, 4]))
    content_col = len(lead)
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        roll = draw(st.integers(0, 12))
        if depth < 3 and roll < 3:
            inner = _mapping_lines(ctx, content_col, depth + 1, max_entries=3, allow_gaps=False)
            out.append(lead + inner[0][content_col:])
            out += inner[1:]
        elif depth < 3 and roll == 12:  # a sequence nested beside the item's dash (`- - x`)
            inner = _sequence_lines(ctx, content_col, depth + 1, dash_col=content_col)
            out.append(lead + inner[0][content_col:])
            out += inner[1:]
        elif depth < 3 and roll < 5:
            # the item starts on the line after its dash (`-` alone, or `- # comment`)
            out.append(dash + ctx.maybe_comment())
            inner_col = dash_col + draw(st.sampled_from([2, 2, 4]))
            if draw(st.booleans()):
                out += _mapping_lines(ctx, inner_col, depth + 1, max_entries=3, allow_gaps=False)
            else:
                out.append(" " * inner_col + draw(inline_scalar) + ctx.maybe_comment())
        elif roll == 5:
            out.append(dash + ctx.maybe_comment())  # a null item
        else:
            out.append(lead + draw(inline_scalar) + ctx.maybe_comment())
    return out


def _mapping_lines(
    ctx: _Ctx, col: int, depth: int, max_entries: int = 6, allow_gaps: bool = True
) -> list[str]:
    draw = ctx.draw
    keys = draw(
        st.lists(
            st.sampled_from(_KEY_POOL),
            min_size=1,
            max_size=max_entries,
            unique_by=lambda k: k.strip("'\""),
        )
    )
    out: list[str] = []
    for index, key in enumerate(keys):
        if index and allow_gaps:
            out += _gap_lines(ctx, col)
        choices = ["inline"] * 6 + ["block", "block", "wrapped", "empty", "flow", "explicit"]
        if depth < 3:
            choices += ["map", "map", "seq", "seq"]
        kind = draw(st.sampled_from(choices))
        head = " " * col + key + ":"
        if kind == "inline":
            out += _inline_entry(ctx, col, key)
        elif kind == "block":
            header, lines = _block_scalar_lines(ctx, col)
            out.append(head + " " + header + ctx.maybe_comment())
            out += lines
        elif kind == "wrapped":
            out += _multiline_flow_scalar(ctx, col, key)
        elif kind == "empty":
            out.append(head + ctx.maybe_comment() + ctx.trailing())
        elif kind == "flow":
            out.append(head + " " + _flow_collection(ctx) + ctx.maybe_comment())
        elif kind == "explicit":  # `? key` / `: value`, as the engine writes long keys
            out.append(" " * col + "? " + key + ctx.maybe_comment())
            if draw(st.integers(0, 3)):  # else `? key` alone: its value is null
                out.append(" " * col + ": " + draw(inline_scalar) + ctx.maybe_comment())
        elif kind == "map":
            out.append(head + ctx.maybe_comment() + ctx.trailing())
            step = draw(st.sampled_from([2, 4]))
            out += _mapping_lines(ctx, col + step, depth + 1, max_entries=4)
        else:
            out.append(head + ctx.maybe_comment())
            out += _sequence_lines(ctx, col, depth)
    return out


BODY_LINES = [
    "",
    "# Heading",
    "Some *Markdown* text.",
    "---",
    "...",
    "- item",
    "key: value",
    "    indented code",
    "caf\u00e9 \u809d\u764c \U0001fa7a",
    "--- not a delimiter",
    "> quote",
]


@dataclass(frozen=True)
class Generated:
    """One generated article and the facts the generator knows about it."""

    text: str
    newline: str
    front_matter: str  # exactly as it stands in the file
    n_comments: int

    def __repr__(self) -> str:  # hypothesis prints this on failure: make it copy-pasteable
        return f"Generated(text={self.text!r})"


@st.composite
def documents(
    draw: st.DrawFn,
    *,
    allow_empty: bool = False,
    trailing_blanks: bool = True,
    avoid_known_bugs: bool = AVOID_KNOWN_BUGS,
) -> Generated:
    """A whole article file whose front matter the reference parser accepts as a mapping.

    Edit tests leave ``avoid_known_bugs`` at its default; tests that do not edit (identity,
    fuzzing) turn it off to get the full variety (aliases, keep chomping, blank-ish lines).
    """
    counter = _Counter()
    ctx = _Ctx(counter, draw, trailing_blanks, not avoid_known_bugs, avoid_known_bugs)
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    if allow_empty and draw(st.integers(0, 9)) == 0:
        fm_lines: list[str] = []
    else:
        top = draw(st.sampled_from([0, 0, 0, 0, 1, 2]))  # a top level indented a little
        fm_lines = _gap_lines(ctx, top) + _mapping_lines(ctx, top, 0) + _gap_lines(ctx, top)
    front_matter = "".join(line + nl for line in fm_lines)
    if front_matter and draw(st.integers(0, 15)) == 0:
        front_matter = "\ufeff" + front_matter  # a BOM opening the front matter (YAML skips it)
    opening = "---" + (" " if trailing_blanks and draw(st.integers(0, 9)) == 0 else "")
    closing = draw(st.sampled_from(["---", "---", "---", "..."]))
    body_lines = draw(st.lists(st.sampled_from(BODY_LINES), max_size=6))
    body = nl.join(body_lines)
    if body_lines and draw(st.integers(0, 3)):
        body += nl  # the usual final newline; sometimes missing
    after_closing = nl if body or draw(st.integers(0, 3)) else ""
    bom = "\ufeff" if draw(st.integers(0, 7)) == 0 else ""
    text = bom + opening + nl + front_matter + closing + after_closing + body
    try:
        data = reference_load(front_matter)
    except Exception:  # any refusal by the reference filters the example out
        data = "refused"
    assume(isinstance(data, dict) or (data is None and not fm_lines))
    return Generated(text, nl, front_matter, counter.n)


# ---------------------------------------------------------------------------------------------
# New values for edits

TRICKY_STRINGS = [
    "plain",
    "needs: quoting # here",
    "- starts like item",
    'it\'s "quoted"',
    "line one\nline two\n\npara",
    "\u2265 caf\u00e9 \u809d\u764c \U0001fa7a",
    "A long sentence that goes on and on " * 7 + "and ends.",
    "",
    "  spaces  ",
    "true",
    "123",
    "2024-12-07",
    "@at `tick`",
    "trailing colon:",
    "null",
    "~",
    "#hash",
    "line\n",
    "\nleading newline",
    "trailing newlines\n\n",
    "tab\there",
    "back\\slash",
    "'",
    '"',
    "---",
    "...",
    "key: value",
    "{not: a map}",
    "[not, a, list]",
    "*alias",
    "&anchor",
    "!tag",
    "%percent",
    "| pipe",
    "> gt",
    "0x10",
    "1e3",
    ".inf",
    "yes",
    "caf\u00e9\u2028next",
    "nel\x85next",
    "bom\ufeffinside",
    "cr\rinside",
]

_SAFE_DATETIMES = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))

scalar_values = st.one_of(
    st.sampled_from(TRICKY_STRINGS),
    st.sampled_from(TRICKY_STRINGS),
    st.text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
    _SAFE_DATETIMES,
)
"""Every kind of scalar a user may assign."""

ordinary_scalar_values = st.one_of(
    st.sampled_from(TRICKY_STRINGS[:19]),
    sentence,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 1, 1)),
)
"""The issue's value pool: the engine must never refuse these with a RoundTripError."""

new_keys = st.one_of(
    st.sampled_from(["new_key", "zz", "New Key", "tags2", "x-y", "n2", "with: colon", "#h"]),
    words,
)

values = st.recursive(
    ordinary_scalar_values,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["k", "title", "url", "n", "a b"]), inner, max_size=3),
    ),
    max_leaves=8,
)
"""Scalars, lists and dicts for added keys and replaced subtrees."""


# ---------------------------------------------------------------------------------------------
# Paths into data


Path = tuple[Any, ...]


def leaf_paths(data: Any, prefix: Path = ()) -> list[Path]:
    """Paths of every scalar leaf (through mappings and sequences)."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in leaf_paths(v, (*prefix, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in leaf_paths(v, (*prefix, i))]
    return [prefix] if prefix else []


def container_paths(data: Any, kind: type, prefix: Path = ()) -> list[Path]:
    """Paths of every dict (or list) inside ``data``, the root mapping included."""
    found = [prefix] if isinstance(data, kind) else []
    if isinstance(data, dict):
        for k, v in data.items():
            found += container_paths(v, kind, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += container_paths(v, kind, (*prefix, i))
    return found


def get_path(data: Any, path: Path) -> Any:
    for key in path:
        data = data[key]
    return data


def set_path(data: Any, path: Path, value: Any) -> None:
    get_path(data, path[:-1])[path[-1]] = value


def del_path(data: Any, path: Path) -> None:
    del get_path(data, path[:-1])[path[-1]]


# ---------------------------------------------------------------------------------------------
# Line windows, read with ruamel.yaml's round-trip loader (as /work/shared/tools/qtcheck.py does)


def line_windows(text: str) -> dict[Path, tuple[int, int]] | None:
    """File line windows ``[start, end)`` of every mapping key and sequence item.

    A key's window runs from its own line to the next sibling's line (or the end of its
    parent's window); the root's window ``()`` is the whole front matter. ``None`` when the
    round-trip loader cannot read the front matter.
    """
    found = split_reference(text)
    if found is None:
        return None
    try:
        data = YAML().load(found.front_matter)
    except Exception:  # the pure round-trip loader is stricter in corner cases
        return None
    first = found.first_line
    windows: dict[Path, tuple[int, int]] = {(): (first, found.closing_line)}

    def walk(node: Any, prefix: Path, end_line: int) -> None:
        if isinstance(node, dict):
            keys = list(node.keys())
            starts = [node.lc.key(k)[0] + first for k in keys]
            entries: list[tuple[Any, Any]] = [(k, node[k]) for k in keys]
        elif isinstance(node, list):
            starts = [node.lc.item(i)[0] + first for i in range(len(node))]
            entries = list(enumerate(node))
        else:
            return
        for i, (k, v) in enumerate(entries):
            nxt = starts[i + 1] if i + 1 < len(starts) else end_line
            nxt = max(nxt, starts[i] + 1)  # flow collections: several entries on one line
            windows[(*prefix, k)] = (starts[i], nxt)
            walk(v, (*prefix, k), nxt)

    walk(data, (), found.closing_line)
    return windows


def is_flow(text: str, path: Path) -> bool:
    """True if the collection at ``path`` is written in flow style ([...] or {...})."""
    found = split_reference(text)
    assert found is not None
    node = YAML().load(found.front_matter)
    for key in path:
        node = node[key]
    return bool(node.fa.flow_style())


# ---------------------------------------------------------------------------------------------
# Mutations


_INSERTS = [
    b"---\n",
    b"...\n",
    b"\t",
    b"\t\t- x\n",
    b"\r",
    b"\r\n",
    b"\n",
    "\u2028".encode(),
    "\u2029".encode(),
    "\x85".encode(),
    "\ufeff".encode(),
    b"\x00",
    b"\xff",
    b"\xc3",
    b": ",
    b"#",
    b"&a ",
    b"*a ",
    b"!!python/object:os.system ",
    b"<<: *a\n",
    b"? ",
    b"- ",
    b"[",
    b"{",
    b"'",
    b'"',
    b"|",
    b">-\n",
    b"%YAML 1.1\n",
    b"key: value\n",
    b"dup: 1\ndup: 2\n",
]


@st.composite
def mutated(draw: st.DrawFn, source: st.SearchStrategy[bytes]) -> bytes:
    """``source`` bytes with one to three mutations."""
    raw = draw(source)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(raw)))
        op = draw(
            st.sampled_from(
                [
                    "truncate",
                    "insert",
                    "insert",
                    "random",
                    "overwrite",
                    "line-endings",
                    "tab-indent",
                    "delete-line",
                    "duplicate-line",
                    "huge-line",
                    "deep",
                ]
            )
        )
        if op == "truncate":
            raw = raw[:at]
        elif op == "insert":
            raw = raw[:at] + draw(st.sampled_from(_INSERTS)) + raw[at:]
        elif op == "random":
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
        elif op == "overwrite" and at < len(raw):
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
        elif op == "line-endings":
            style = draw(st.sampled_from(["cr", "crlf", "mixed"]))
            lf = raw.replace(b"\r\n", b"\n")
            if style == "cr":
                raw = lf.replace(b"\n", b"\r")
            elif style == "crlf":
                raw = lf.replace(b"\n", b"\r\n")
            else:
                parts = lf.split(b"\n")
                ends = [draw(st.sampled_from([b"\n", b"\r\n", b"\r"])) for _ in parts[1:]]
                raw = parts[0] + b"".join(e + p for e, p in zip(ends, parts[1:], strict=True))
        elif op == "tab-indent":
            lines = raw.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            stripped = lines[i].lstrip(b" ")
            lines[i] = b"\t" * draw(st.integers(1, 2)) + stripped
            raw = b"\n".join(lines)
        elif op in ("delete-line", "duplicate-line"):
            lines = raw.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i : i + 1] = [] if op == "delete-line" else [lines[i], lines[i]]
            raw = b"\n".join(lines)
        elif op == "huge-line":
            raw = raw[:at] + b"x" * draw(st.sampled_from([10_000, 300_000])) + raw[at:]
        elif op == "deep":
            depth = draw(st.sampled_from([30, 63, 64, 65, 200, 3_000]))
            snippet = draw(
                st.sampled_from(
                    [
                        b"[" * depth + b"]" * depth,
                        b"{a: " * depth + b"1" + b"}" * depth,
                        b"".join(b"  " * i + b"a:\n" for i in range(depth)),
                        b"- " * depth + b"x\n",
                    ]
                )
            )
            raw = raw[:at] + snippet + raw[at:]
    return raw
