"""Property tests of the laws on generated TOML front matter (identity, locality of an edit, a
deletion and an insertion, safety).

Documents are generated as text, line by line, in varied styles (every string style, integer
bases and digit groups, date-time spellings, one-line and multi-line arrays with comments and
trailing commas, inline tables, dotted keys, ``[tables]``, ``[[arrays of tables]]``, comments,
blank lines, CRLF, BOM, ``+++`` or ``---toml``, a missing final newline). The generator records
each key's line window; the meaning is tomllib's (documents it refuses are filtered out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hypothesis import assume, given, note
from hypothesis import strategies as st
from strategies import examples, typed

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.engine.equality import same_in_order
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.text import split
from frontmatter_qt.formats.toml.read import tomllib
from frontmatter_qt.formats.toml.scan import prescan

Path = tuple[Any, ...]

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé 肝-_", min_size=1, max_size=10)
_SECTIONS = ("extra", "params", "links")  # the tables generated as [sections]
_KEYS = ["title", "date", "draft", "tags", "n", "x-y", "under_score", "'lit key'", '"q key"']

SCALAR_TEXTS = st.one_of(
    _WORDS.map(lambda w: '"' + w + '"'),
    st.sampled_from(['"tab\\there"', '"quote \\" and \\\\"', '"\\u00e9\\U0001F600"', '""']),
    _WORDS.map(lambda w: "'" + w + "'"),
    st.sampled_from(["'C:\\path'", "''"]),
    st.lists(_WORDS, min_size=1, max_size=3).map(lambda ls: '"""\n' + "\n".join(ls) + '"""'),
    st.lists(_WORDS, min_size=1, max_size=3).map(lambda ls: "'''\n" + "\n".join(ls) + "\n'''"),
    st.sampled_from(
        ["0", "42", "+7", "-17", "1_000", "0xDEAD_beef", "0o755", "0b101", "9223372036854775807"]
    ),
    st.sampled_from(["1.5", "-0.0", "6.02e23", "1e-7", "inf", "+inf", "-inf", "nan", "3_141.5"]),
    st.sampled_from(["true", "false"]),
    st.sampled_from(
        [
            "1979-05-27",
            "1979-05-27T07:32:00Z",
            "1979-05-27 07:32:00.999-07:00",
            "1979-05-27T00:32:00.5",
            "07:32:00",
            "2024-02-29t10:00:00+05:30",
        ]
    ),
)


def comment(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "", "", "  # note", " #c"]))


@st.composite
def array_text(draw: st.DrawFn, nl: str) -> str:
    items = draw(st.lists(SCALAR_TEXTS, max_size=4))
    if not items or draw(st.booleans()):
        return "[" + draw(st.sampled_from([", ", ","])).join(items) + "]"
    indent = draw(st.sampled_from(["  ", "    "]))
    lines = [indent + item + "," + comment(draw) for item in items]
    if not draw(st.booleans()):
        lines[-1] = indent + items[-1] + comment(draw)
    if draw(st.integers(0, 3)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), indent + "# inside")
    return "[" + nl + nl.join(lines) + nl + "]"


@st.composite
def value_text(draw: st.DrawFn, nl: str) -> str:
    kind = draw(st.sampled_from(["scalar"] * 5 + ["array", "array", "inline"]))
    if kind == "scalar":
        return draw(SCALAR_TEXTS)
    if kind == "array":
        return draw(array_text(nl))
    keys = draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))
    pairs = [f"{k} = {draw(SCALAR_TEXTS.filter(lambda t: chr(10) not in t))}" for k in keys]
    return "{ " + ", ".join(pairs) + " }" if pairs else "{}"


@dataclass(frozen=True)
class Generated:
    text: str
    newline: str
    windows: dict[Path, tuple[int, int]]  # file line windows [start, end) of edit targets
    owns: dict[Path, tuple[int, int]]  # the same with the comment line directly above, if any

    def __repr__(self) -> str:
        return f"Generated(text={self.text!r})"


def _name(key: str) -> str:
    return key.strip("'\"")


@st.composite
def toml_documents(draw: st.DrawFn) -> Generated:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    opener, closer = draw(st.sampled_from([("+++", "+++"), ("+++", "+++"), ("---toml", "---")]))
    lines: list[str] = []
    windows: dict[Path, tuple[int, int]] = {}
    owns: dict[Path, tuple[int, int]] = {}

    def entries(prefix: Path, keys: list[str]) -> None:
        for key in keys:
            above = ""
            if draw(st.integers(0, 4)) == 0:
                above = draw(st.sampled_from(["", "# a comment", "  # indented comment"]))
                lines.append(above)
            sep = draw(st.sampled_from([" = ", " = ", "=", "  =  "]))
            value = draw(value_text(nl)).replace("\r\n", "\n").replace("\n", nl)
            text = key + sep + value + comment(draw)
            first = len(lines) + 1  # file line index (the opener is line 0)
            lines.extend(text.split(nl))
            windows[(*prefix, _name(key))] = (first, len(lines) + 1)
            # Its own lines: a comment line directly above belongs to it.
            owns[(*prefix, _name(key))] = (first - bool(above.strip()), len(lines) + 1)

    root_keys = draw(st.lists(st.sampled_from(_KEYS), unique_by=_name, max_size=5))
    entries((), root_keys)
    if draw(st.booleans()):
        lines.append("site.name = " + draw(SCALAR_TEXTS.filter(lambda t: "\n" not in t)))
        lines.append("site . url = 'u'")
    for section in draw(st.lists(st.sampled_from(["extra", "params"]), unique=True, max_size=2)):
        if lines and draw(st.booleans()):
            lines.append("")
        lines.append(f"[{section}]" + comment(draw))
        entries((section,), draw(st.lists(st.sampled_from(_KEYS), unique_by=_name, max_size=3)))
    for index in range(draw(st.integers(0, 2))):
        lines += ["", "[[links]]"]
        entries(("links", index), ["url"])
    front = "".join(line + nl for line in lines)
    if draw(st.integers(0, 5)) == 0 and front:
        front = front[: -len(nl)] + "  # a comment on the last line" + nl
    body = draw(st.sampled_from(["", "Body.", "Body." + nl, nl + "# Heading" + nl]))
    bom = "\ufeff" if draw(st.integers(0, 6)) == 0 else ""
    end = nl if body or draw(st.booleans()) else ""
    text = bom + opener + nl + front + closer + end + body
    try:
        tomllib.loads(front)
    except tomllib.TOMLDecodeError:
        assume(False)
    return Generated(text, nl, windows, owns)


TOML_SCALARS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["it's", 'say "hi"', "a\nb", "back\\slash", "'''", '"""', "x\r\ny", ""]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=-7))])),
    st.times(),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["k", "a b", "é"]), inner)
    ),
    max_leaves=6,
)


def reference(text: str) -> dict[str, Any]:
    return tomllib.loads(split(text).front_matter)


def checked(doc: fq.Document, gen: Generated) -> str:
    out = doc.dumps()
    note(f"output: {out!r}")
    assert typed(reference(out)) == typed(doc.data)
    assert fq.loads(out).dumps() == out
    assert out.startswith("\ufeff") == gen.text.startswith("\ufeff")
    if gen.newline == "\r\n":
        assert out.count("\n") == out.count("\r\n"), "bare LF written into a CRLF file"
    else:
        assert "\r" not in out.replace("x\r\ny", ""), "CR written into an LF file"
    return out


def outside_unchanged(before: str, after: str, window: tuple[int, int]) -> None:
    a, b = before.split("\n"), after.split("\n")
    start, end = window
    assert b[:start] == a[:start], "a line before the edited key changed"
    tail = a[end:]
    assert b[len(b) - len(tail) :] == tail, "a line after the edited key changed"


def set_in(data: Any, path: Path, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@examples(60)
@given(toml_documents())
def test_identity(gen: Generated) -> None:
    doc = fq.loads(gen.text.encode("utf-8"))
    assert doc.to_bytes() == gen.text.encode("utf-8")
    assert doc.dumps() == gen.text


@examples(60)
@given(toml_documents(), st.data())
def test_one_edit_changes_only_its_lines(gen: Generated, data: st.DataObject) -> None:
    assume(gen.windows)
    path = data.draw(st.sampled_from(sorted(gen.windows, key=repr)))
    value = data.draw(TOML_VALUES)
    doc = fq.loads(gen.text)
    set_in(doc.data, path, value)
    out = checked(doc, gen)
    outside_unchanged(gen.text, out, gen.windows[path])


@examples(40)
@given(toml_documents(), st.data())
def test_deleting_a_key_removes_only_its_lines(gen: Generated, data: st.DataObject) -> None:
    assume(gen.windows)
    path = data.draw(st.sampled_from(sorted(gen.windows, key=repr)))
    doc = fq.loads(gen.text)
    parent: Any = doc.data
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    out = checked(doc, gen)
    outside_unchanged(gen.text, out, gen.owns[path])  # its comment line directly above goes too
    assert len(out.split("\n")) < len(gen.text.split("\n"))


@examples(40)
@given(toml_documents(), st.sampled_from(["new_key", "zz", "New Key", "ключ"]), TOML_VALUES)
def test_inserting_a_key_adds_one_block_of_lines(gen: Generated, key: str, value: Any) -> None:
    doc = fq.loads(gen.text)
    assume(key not in doc.data)
    doc[key] = value
    out = checked(doc, gen)
    a, b = gen.text.split("\n"), out.split("\n")
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    extra = len(b) - len(a)
    assert extra >= 1 or (extra == 0 and i == len(a) - 1)  # a last line without newline
    assert b[i + extra :] == a[i:] or a[i:] == [a[-1]]


def _holds_unwritable(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_holds_unwritable(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_unwritable(v) for v in value)
    # TOML integers are 64-bit: -(2**63) is the smallest one (a long run found the oracle
    # calling it unwritable)
    return isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63


@examples(60)
@given(
    toml_documents(),
    st.data(),
    st.recursive(
        st.one_of(TOML_SCALARS, st.none(), st.sampled_from([2**63, -(2**63) - 1, -(2**63)])),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.just("k"), inner)),
        max_leaves=4,
    ),
)
def test_safety_output_reads_back_or_nothing_is_written(
    gen: Generated, data: st.DataObject, value: Any
) -> None:
    doc = fq.loads(gen.text)
    paths = sorted(gen.windows, key=repr) or [("fresh",)]
    set_in(doc.data, data.draw(st.sampled_from(paths)), value)
    if _holds_unwritable(value):
        try:
            doc.dumps()
        except errors.UnrepresentableValueError as exc:
            assert "cannot write this value to TOML front matter" in exc.message
        else:
            raise AssertionError("an unwritable value was written")
    else:
        checked(doc, gen)


# -- order: the file follows the data's key order within a section ----------------------------


@examples(80)
@given(toml_documents(), st.data())
def test_a_sections_keys_follow_a_new_order(gen: Generated, data: st.DataObject) -> None:
    """A section's generated key/value lines permuted, one renamed, a new key inserted at a
    random place among them: the output reads back in exactly that order; lines outside the
    section's key/value lines are unchanged."""
    sections = sorted({path[:-1] for path in gen.owns if len(path) < 3}, key=repr)
    assume(sections)
    prefix = data.draw(st.sampled_from(sections))
    doc = fq.loads(gen.text)
    parent: Any = doc.data
    for key in prefix:
        parent = parent[key]
    ours = [k for k in parent if (*prefix, k) in gen.owns]
    order = data.draw(st.permutations(ours))
    slots = iter(order)
    keys = [next(slots) if k in ours else k for k in parent]  # others keep their places
    items = [(k, parent[k]) for k in keys]
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(items) - 1))
        if (*prefix, items[at][0]) in gen.owns:
            items[at] = ("renamed_k", items[at][1])
    if data.draw(st.booleans()):
        sections = [i for i, (k, _) in enumerate(items) if not prefix and k in _SECTIONS]
        plain = sections[0] if sections else len(items)  # TOML: plain keys before [sections]
        items.insert(data.draw(st.integers(0, plain)), ("new_key", data.draw(TOML_SCALARS)))
    parent.clear()
    parent.update(items)
    try:
        out = checked(doc, gen)
    except errors.OrderError as exc:  # moving `site.name`/`site . url` (two lines) is refused
        assert "moving the dotted keys site.*" in exc.message
        return
    read: Any = reference(out)
    for key in prefix:
        read = read[key]
    assert list(read) == [k for k, _ in items], "the section is not in the intended order"
    first = min(gen.owns[(*prefix, k)][0] for k in ours)
    last = max(gen.owns[(*prefix, k)][1] for k in ours)
    lines = gen.text.split(gen.newline)
    while last < len(lines) and not lines[last].startswith(("[", "+++", "---")):
        last += 1  # the section's other key/value lines (a new key may follow them)
    outside_unchanged(gen.text, out, (first, last))


@examples(60)
@given(toml_documents(), st.data())
def test_rename_changes_only_the_key_text(gen: Generated, data: st.DataObject) -> None:
    assume(gen.windows)
    path = data.draw(st.sampled_from(sorted(gen.windows, key=repr)))
    doc = fq.loads(gen.text)
    doc.rename(path, "renamed_k")
    out = checked(doc, gen)
    a, b = gen.text.split("\n"), out.split("\n")
    assert len(a) == len(b)
    changed = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    assert changed == [gen.windows[path][0]], "only the key's line changes"
    read: Any = reference(out)
    intended: Any = doc.data
    for key in path[:-1]:
        read, intended = read[key], intended[key]
    assert list(read) == list(intended), "the renamed key is not at its place"


# -- limits: what loads under a limit can be written back under it ----------------------------

# Statements that make tables every way TOML can (dotted keys, headers with implied parents,
# arrays of tables, inline tables with dotted keys, nested arrays), mixed at random below.
_STRUCTURES = [
    "a = 1",
    'b.c = "x"',
    "b.d.e = [1, 2]",
    "f = { g = 1, h.i = [] }",
    "j = [[1], { k = 2 }]",
    "[s]",
    "[s.t.u]",
    "[[v]]",
    "[[v.w]]",
    "[b.d.x]",
    "m.n = {}",
    "",
    "# a comment",
    "p.q = 'r'",
    "[s.p]",
    "[x.y]",  # a deeper header first, its table's own header later (keep_place)
    "[x]",
]


@st.composite
def structured_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(_STRUCTURES), max_size=10))
    front = "".join(line + "\n" for line in lines)
    try:
        tomllib.loads(front)
    except tomllib.TOMLDecodeError:
        assume(False)
    return "+++\n" + front + "+++\n"


def _refused_by_the_scanner(text: str, limits: fq.Limits, error: type[Exception]) -> None:
    """The positioned scanner, before tomllib reads the text, refuses it (so the reader needs
    no second, unpositioned walk of the data)."""
    try:
        prescan(split(text).front_matter, limits)
    except Located as found:
        assert found.error_type is error
    else:
        raise AssertionError("the scanner let through what the limits refuse")


def _writer_count(value: Any) -> int:
    """Keys, values, tables and arrays, each once: what the writer counts against max_nodes."""
    if isinstance(value, dict):
        return 1 + sum(1 + _writer_count(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(_writer_count(item) for item in value)
    return 1


@examples(80)
@given(st.one_of(toml_documents().map(lambda gen: gen.text), structured_texts()), st.data())
def test_what_loads_under_a_node_limit_is_written_back_under_it(
    text: str, data: st.DataObject
) -> None:
    """The reader counts keys and values as the writer does: a text loads under
    ``max_nodes=n`` exactly when its data fits ``n``, and then the unedited document is
    written back byte for byte under the same limits; else ``LimitExceededError`` at load."""
    needed = _writer_count(fq.loads(text).data)
    limit = data.draw(st.integers(1, needed + 2), label="max_nodes")
    limits = fq.Limits(max_nodes=limit)
    try:
        doc = fq.loads(text, limits=limits)
    except errors.LimitExceededError as exc:
        assert limit < needed
        assert exc.code == "E013"
        assert exc.line is not None and exc.column is not None
        _refused_by_the_scanner(text, limits, errors.LimitExceededError)
    else:
        assert limit >= needed
        assert doc.dumps() == text


def _writer_depth(value: Any) -> int:
    """How deep the writer counts ``value``'s nesting (the root is one level)."""
    if isinstance(value, dict):
        return 1 + max(map(_writer_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_writer_depth, value), default=0)
    return 0


@examples(80)
@given(st.one_of(toml_documents().map(lambda gen: gen.text), structured_texts()), st.data())
def test_what_loads_under_a_depth_limit_is_written_back_under_it(
    text: str, data: st.DataObject
) -> None:
    """The scanner measures depth as the writer does (headers, dotted keys, arrays of tables'
    elements, arrays and inline tables, in any section): a text loads under ``max_depth=n``
    exactly when its data fits ``n``, and is then written back byte for byte; else a
    positioned ``DepthLimitError`` at load (the scanner's, not an unpositioned second walk)."""
    needed = _writer_depth(fq.loads(text).data)
    limit = data.draw(st.integers(1, needed + 1), label="max_depth")
    try:
        doc = fq.loads(text, limits=fq.Limits(max_depth=limit))
    except errors.DepthLimitError as exc:
        assert limit < needed
        assert exc.line is not None and exc.column is not None
        _refused_by_the_scanner(text, fq.Limits(max_depth=limit), errors.DepthLimitError)
    else:
        assert limit >= needed
        assert doc.dumps() == text


def _tables(data: Any, path: Path = ()) -> list[Path]:
    """The key path of every table in ``data`` (arrays of tables' elements included)."""
    found: list[Path] = [path] if isinstance(data, dict) else []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found += _tables(value, (*path, key))
    return found


@examples(200)
@given(structured_texts(), st.data())
def test_every_table_of_every_shape_can_be_edited(text: str, data: st.DataObject) -> None:
    """Tables made every way TOML makes them (headers, implied parents, dotted keys, dotted keys
    with sections of their own, arrays of tables, inline tables): a key added, the table
    emptied, deleted (or replaced by a new table at its place), or replaced by a plain value,
    is written (never refused), other tables deleted in the same edit or not, and reads back
    as the data; in the data's key order when any table is emptied or deleted (a table whose
    first section went keeps its place: ``[a.b]``, ``[s]``, ``[a]``, and a new table placed
    before it goes before it; two such tables, their first sections touching, each keep
    theirs), or when one of dotted keys or an inline one becomes a value (it is written where
    it was; a [section] that becomes a value moves to its table's plain keys, where TOML must
    write it)."""
    doc = fq.loads(text)
    paths = [p for p in _tables(doc.data) if p]
    assume(paths)
    path = data.draw(st.sampled_from(paths), label="table")
    edit = data.draw(
        st.sampled_from(["add", "empty", "delete", "replace", "scalar", "list"]), label="edit"
    )
    node = doc._parsed.tree.node(path)  # type: ignore[attr-defined]
    how = getattr(node, "how", "inline")  # a Value: an inline table
    in_place = how in ("dotted", "inline") or edit in ("empty", "delete", "replace")
    table: Any = doc.data
    for key in path[:-1]:
        table = table[key]
    if edit == "add":
        table[path[-1]]["nk"] = 1
    elif edit == "empty":
        table[path[-1]].clear()
    elif edit == "delete":
        del table[path[-1]]  # an array of tables' element too
        if table == []:  # its last element: `v = []` is a plain value, written with the others
            in_place = False
    elif edit == "replace":
        # deleted, and a new table at its place: written before the next kept section
        assume(isinstance(path[-1], str) and "nt" not in table)
        entries = [("nt", {"k": 1}) if k == path[-1] else (k, v) for k, v in table.items()]
        table.clear()
        table.update(entries)
    elif isinstance(path[-1], str):
        table[path[-1]] = 5 if edit == "scalar" else [1, 2]
    else:
        assume(False)  # an array of tables' element: replacing it is the array's edit
    # Other tables deleted in the same edit (named by keys, none inside another or the edited
    # one): the first sections of two tables, each kept by a later one, can go together
    # (``[x.y]``, ``[s.p]``, ``[x]``, ``[s]``), and the sections put back touch.
    deleted = [path]
    for other in data.draw(st.lists(st.sampled_from(paths), max_size=3), label="also deleted"):
        if all(isinstance(key, str) for key in other) and not any(
            other[: len(gone)] == gone or gone[: len(other)] == other for gone in deleted
        ):
            deleted.append(other)
            parent: Any = doc.data
            for key in other[:-1]:
                parent = parent[key]
            del parent[other[-1]]
    out = doc.dumps()
    note(f"output: {out!r}")
    assert typed(reference(out)) == typed(doc.data)
    assert fq.loads(out).dumps() == out
    if in_place and edit != "add":
        assert same_in_order(reference(out), doc.data)
