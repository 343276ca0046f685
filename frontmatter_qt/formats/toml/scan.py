"""A positioned scanner of TOML front matter: where every statement, key and value stands.

tomllib (``read.py``) decides whether a text is valid TOML and what data it holds; it records
no positions, and tomlkit's document records none either (see docs/architecture.md). This
scanner walks the same text once and builds the tree the editor and the error positions need:

* a :class:`Stmt` per line-level statement (``key = value``, ``[table]``, ``[[array]]``) with
  its line span, its key parts as written, and the key path it resolves to;
* a :class:`Table` per TOML table (the root, ``[header]`` tables, tables made by dotted keys or
  implied by a deeper header, ``[[array]]`` elements, inline tables) with its entries in order;
* a :class:`Value` per value written after ``=`` (a scalar token, ``[...]``, ``{...}``) with
  its span and, for arrays, each item's span and the text around it.

It relies on tomllib for validity: on a valid text it never fails. On an invalid one it is run
only to name the problem better (``diagnose``): it gives a ``Located`` for the mistakes it
understands (a duplicate key or table, an unterminated string, a trailing comma in an inline
table, a missing comma between array items) and stops quietly otherwise, leaving tomllib's own
message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Union

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    DepthLimitError,
    DuplicateKeyError,
    FrontMatterError,
    LimitExceededError,
    TOMLSyntaxError,
)

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = re.compile(r"[ \t]*")
# Everything a line may hold after a statement: blanks and a comment.
_TRAIL = re.compile(r"[ \t]*(?:#[^\n]*)?")
# A scalar that is not a string: a date-time may contain one space (RFC 3339 allows it).
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
    r"|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?"
)
# In a multi-line basic string: an escape (skipped whole) or the closing delimiter.
_ML_BASIC_END = re.compile(r'\\.|"""', re.S)
# What ends an array item's text: blanks, a comma, a bracket or brace, a comment. A bare
# value (a number, a boolean, a date) also ends at `=` or a quote; a token of an item (what a
# message quotes as "not a valid TOML value") runs to the edge only.
ITEM_EDGE = " \t\r\n,[]{}#"
ITEM_TOKEN = re.compile(f"[^{re.escape(ITEM_EDGE)}]+")
_BARE_VALUE = re.compile(f"[^{re.escape(ITEM_EDGE)}=\"']+")
# An integer as TOML spells one (a sign only in decimal), and the range TOML 1.0 allows: an
# integer it cannot hold losslessly "must" be an error, but tomllib reads any length.
_INTEGER = re.compile(r"[+-]?[0-9][0-9_]*|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+")
INT64 = (-(2**63), 2**63 - 1)


class Stop(Exception):
    """Internal: the scanner met text it does not understand (only on invalid TOML)."""


# ---------------------------------------------------------------------------------------------
# The tree


@dataclass(eq=False)
class KeyPart:
    """One part of a key as written: ``name`` is its value, ``[start, end)`` its text."""

    name: str
    start: int
    end: int


@dataclass(eq=False)
class Item:
    """One array item: ``lead`` is the text between the previous comma (or ``[``) and the
    item, ``gap`` the text between the item and its comma (``comma`` False: none follows)."""

    value: Value
    lead: str
    gap: str
    comma: bool


@dataclass(eq=False)
class Value:
    """A value written after ``=`` (or inside an array): ``kind`` is ``"scalar"``,
    ``"array"`` or ``"inline"``; ``style`` names a scalar's spelling (``basic``, ``literal``,
    ``ml-basic``, ``ml-literal``, ``bare``)."""

    kind: str
    start: int
    end: int
    style: str = "bare"
    items: list[Item] = field(default_factory=list)
    tail: str = ""  # array: text after the last item's comma (or the last item) before ``]``
    table: Table | None = None  # inline: its table


@dataclass(eq=False)
class Stmt:
    """A statement: ``kind`` is ``"kv"`` (``key = value``, also inside an inline table),
    ``"table"`` (``[header]``) or ``"aot"`` (``[[header]]``).

    ``start``/``end``: the statement's own text (key to value, or ``[`` to ``]``);
    ``line``/``after``: its whole lines, from the start of its first line to after the line
    break that ends its last line (comments on that line included). ``path`` is the key path
    it resolves to, array-of-tables elements as indexes.
    """

    kind: str
    start: int
    end: int
    line: int
    after: int
    parts: list[KeyPart]
    path: tuple[str | int, ...]
    value: Value | None = None
    sep: str = " = "  # the text between the key and the value, as written
    indent: str = ""


@dataclass(eq=False)
class Table:
    """A TOML table. ``how``: ``"root"``, ``"header"`` (``[x]``), ``"element"`` (``[[x]]``),
    ``"dotted"`` (made by dotted keys), ``"implicit"`` (implied by a deeper header) or
    ``"inline"`` (``{...}``). ``stmts`` are the statements written in its own section (for a
    header table: the key/value lines under its header; inline: its key/value pairs)."""

    how: str
    path: tuple[str | int, ...]
    entries: dict[str, Entry] = field(default_factory=dict)
    header: Stmt | None = None
    stmts: list[Stmt] = field(default_factory=list)


@dataclass(eq=False)
class Aot:
    """An array of tables (``[[x]]``): its element tables in order."""

    path: tuple[str | int, ...]
    elements: list[Table] = field(default_factory=list)


Node = Union[Table, Aot, Value]  # noqa: UP007 (a runtime alias, Python 3.10)


@dataclass(eq=False)
class Entry:
    """A key of a table: the first place its key is written, and its value."""

    key: KeyPart
    node: Node
    stmt: Stmt | None = None  # the key/value statement that holds the value (a Value node)


@dataclass(eq=False)
class Tree:
    """A scanned front matter: the root table and every line-level statement in order."""

    root: Table
    stmts: list[Stmt]
    text: str
    # The indexes in ``stmts`` of the statements at or under each key path: built on the first
    # look-up, in one pass over the statements (see ``under``).
    _under: dict[tuple[str | int, ...], list[int]] | None = field(
        default=None, init=False, repr=False
    )

    def node(self, keys: tuple[object, ...]) -> Node | None:
        """The node at a key path (``int`` indexes into arrays and arrays of tables)."""
        node: Node = self.root
        for key in keys:
            if isinstance(node, Table) and isinstance(key, str):
                entry = node.entries.get(key)
                if entry is None:
                    return None
                node = entry.node
            elif isinstance(node, Aot) and type(key) is int and -len(node.elements) <= key:
                if key >= len(node.elements):
                    return None
                node = node.elements[key]
            elif isinstance(node, Value) and node.kind == "inline" and isinstance(key, str):
                assert node.table is not None
                entry = node.table.entries.get(key)
                if entry is None:
                    return None
                node = entry.node
            elif isinstance(node, Value) and node.kind == "array" and type(key) is int:
                if not -len(node.items) <= key < len(node.items):
                    return None
                node = node.items[key].value
            else:
                return None
        return node

    def table_of(self, keys: tuple[object, ...]) -> Table | None:
        """The table at a key path (an inline table's too), or None."""
        node = self.node(keys)
        if isinstance(node, Value) and node.kind == "inline":
            return node.table
        return node if isinstance(node, Table) else None

    def span(self, node: Node) -> tuple[int, int] | None:
        """``[start, end)`` of a node's text: a value's own text; a table's or array of
        tables' statements, first to last (None for an empty root)."""
        if isinstance(node, Value):
            return node.start, node.end
        found = self.under(node.path)  # the root's path is (): every statement
        if not found:
            return None
        return self.stmts[found[0]].start, self.stmts[found[-1]].end

    def under(self, path: tuple[str | int, ...]) -> list[int]:
        """The indexes in ``stmts`` (increasing: text order) of the statements that write at
        or under ``path`` (line-level: an inline table's pairs are its statement's). Indexed
        for every path at once: a search of the statements per table would make editing,
        deleting, renaming or placing the problems of many tables quadratic."""
        if self._under is None:
            self._under = {}
            for index, stmt in enumerate(self.stmts):
                for depth in range(len(stmt.path) + 1):
                    self._under.setdefault(stmt.path[:depth], []).append(index)
        return self._under.get(path, [])


# ---------------------------------------------------------------------------------------------
# The scanner


class Scanner:
    def __init__(self, text: str, limits: Limits) -> None:
        self.src = text
        self.pos = 0
        self.limits = limits
        self.nodes = 0
        self.root = Table("root", ())
        self.current = self.root
        self.stmts: list[Stmt] = []
        # Where each explicitly defined table was first written, for "defined twice" errors.
        self.defined: dict[int, Stmt] = {}

    # -- errors and small lexing helpers ------------------------------------------------------

    def fail(
        self, error: type[FrontMatterError], msg: str, at: int, hint: str | None = None
    ) -> Located:
        return Located(error, msg, at, hint)

    def line_of(self, offset: int) -> int:
        """The file line of an offset, for messages: front matter always starts on the file's
        second line (after the one opening line ``+++`` or ``---toml``)."""
        return self.src.count("\n", 0, offset) + 2

    def count(self, at: int, nodes: int = 1) -> None:
        """Count keys and values against ``max_nodes`` as the writer does
        (``engine.tree.find_unwritable``) and the YAML and JSON readers do: each key, each
        value and each table or array once (the root too); a text under the limit can then be
        written back under it."""
        self.nodes += nodes
        if self.nodes > self.limits.max_nodes:
            raise Located(
                LimitExceededError,
                f"front matter has more than {self.limits.max_nodes} keys and values",
                at,
            )

    def skip_ws(self) -> None:
        self.pos = _WS.match(self.src, self.pos).end()  # type: ignore[union-attr]

    def peek(self, n: int = 1) -> str:
        return self.src[self.pos : self.pos + n]

    def line_start(self, at: int) -> int:
        return self.src.rfind("\n", 0, at) + 1

    def end_of_line(self) -> int:
        """After the statement: blanks, a comment, then a line break (or the end). Returns
        the offset after the line break."""
        found = _TRAIL.match(self.src, self.pos)
        assert found is not None
        self.pos = found.end()
        if self.src.startswith("\r\n", self.pos):
            self.pos += 2
        elif self.src.startswith("\n", self.pos):
            self.pos += 1
        elif self.pos < len(self.src):
            raise Stop
        return self.pos

    # -- top level ----------------------------------------------------------------------------

    def run(self) -> Tree:
        src, n = self.src, len(self.src)
        self.count(0)  # the root table
        while self.pos < n:
            self.skip_ws()
            c = self.peek()
            if c in ("#", "\n", "\r", ""):
                self.end_of_line()
            elif c == "[":
                self.header()
            else:
                self.keyval_line()
        del src
        return Tree(self.root, self.stmts, self.src)

    def header(self) -> None:
        start = self.pos
        aot = self.src.startswith("[[", start)
        self.pos += 2 if aot else 1
        self.skip_ws()
        parts = self.key(start)
        self.skip_ws()
        close = "]]" if aot else "]"
        if not self.src.startswith(close, self.pos):
            raise Stop
        self.pos += len(close)
        end = self.pos
        after = self.end_of_line()
        stmt = Stmt("aot" if aot else "table", start, end, self.line_start(start), after, parts, ())
        self.stmts.append(stmt)
        table = self.root
        for part in parts[:-1]:
            table = self.descend_for_header(table, part)
        last = parts[-1]
        entry = table.entries.get(last.name)
        if entry is not None and isinstance(entry.node, Value):
            raise self.holds_a_value(entry, last)
        if aot:
            if entry is None:
                array = Aot((*table.path, last.name))
                table.entries[last.name] = Entry(last, array)
            elif isinstance(entry.node, Aot):
                array = entry.node
            else:
                raise self.duplicate(parts, entry, start)
            element = Table("element", (*array.path, len(array.elements)), header=stmt)
            self.count(start, 1 if entry is not None else 3)  # the first: its key and array too
            array.elements.append(element)
            self.current = element
        else:
            if entry is None:
                new = Table("header", (*table.path, last.name), header=stmt)
                self.count(start, 2)  # its key and the table
                table.entries[last.name] = Entry(last, new)
                self.current = new
            elif isinstance(entry.node, Table) and entry.node.how == "implicit":
                entry.node.how, entry.node.header = "header", stmt
                self.current = entry.node
            else:
                raise self.duplicate(parts, entry, start)
        stmt.path = self.current.path
        self.check_depth(stmt.path, start, "tables")

    def descend_for_header(self, table: Table, part: KeyPart) -> Table:
        entry = table.entries.get(part.name)
        if entry is None:
            new = Table("implicit", (*table.path, part.name))
            self.count(part.start, 2)  # its key and the table
            table.entries[part.name] = Entry(part, new)
            return new
        node = entry.node
        if isinstance(node, Aot):
            return node.elements[-1]
        if isinstance(node, Table) and node.how != "inline":
            return node
        raise self.holds_a_value(entry, part)

    def holds_a_value(self, entry: Entry, part: KeyPart) -> Located:
        """A key (``part``) used as a table where ``entry`` gave it a value."""
        return self.fail(
            DuplicateKeyError,
            f"key {part.name!r} already holds a value (line {self.line_of(entry.key.start)}); "
            "it cannot also be a table",
            part.start,
        )

    def duplicate(self, parts: list[KeyPart], entry: Entry, at: int) -> Located:
        name = ".".join(p.name for p in parts)
        message = f"table [{name}] is defined twice"
        return Located(DuplicateKeyError, message, at, first=self.first_of(entry))

    def first_of(self, entry: Entry) -> int:
        """Where ``entry`` was first written: its table's header, or its key."""
        node = entry.node
        if isinstance(node, Table) and node.header is not None:
            return node.header.start
        return entry.key.start

    def keyval_line(self) -> None:
        line = self.line_start(self.pos)
        stmt = self.keyval(self.current)
        stmt.line = line
        stmt.indent = self.src[line : stmt.start]
        stmt.after = self.end_of_line()
        self.stmts.append(stmt)
        self.current.stmts.append(stmt)

    def keyval(self, table: Table) -> Stmt:
        """``key = value`` into ``table`` (dotted keys make or extend tables on the way)."""
        start = self.pos
        parts = self.key(start)
        key_end = self.pos
        self.skip_ws()
        if self.peek() != "=":
            raise Stop
        self.pos += 1
        self.skip_ws()
        sep = self.src[key_end : self.pos]
        target = table
        for part in parts[:-1]:
            entry = target.entries.get(part.name)
            if entry is None:
                how = "inline" if table.how == "inline" else "dotted"
                new = Table(how, (*target.path, part.name))
                self.count(part.start, 2)  # its key and the table
                target.entries[part.name] = Entry(part, new)
                target = new
            elif isinstance(entry.node, Table) and entry.node.how in ("dotted", "inline"):
                target = entry.node
            elif isinstance(entry.node, Table) and entry.node.how in ("header", "implicit"):
                target = entry.node  # tomllib decides whether this is allowed
            else:
                raise self.holds_a_value(entry, part)
        if len(parts) > 1:
            self.check_depth(target.path, start, "tables")
        last = parts[-1]
        if last.name in target.entries:
            raise Located(
                DuplicateKeyError,
                f"duplicate key {'.'.join(p.name for p in parts)!r}",
                last.start,
                first=target.entries[last.name].key.start,
            )
        self.count(last.start)  # the key (its value counts itself)
        value = self.value((*target.path, last.name))
        stmt = Stmt(
            "kv", start, value.end, start, start, parts, (*target.path, last.name), value, sep
        )
        target.entries[last.name] = Entry(last, value, stmt)
        return stmt

    # -- keys ---------------------------------------------------------------------------------

    def key(self, at: int) -> list[KeyPart]:
        """A key of at most ``max_depth`` parts (each part is a table deeper), else
        DepthLimitError at ``at``: refused as soon as the limit is passed, not after a hostile
        key's last part (``check_depth`` then places the exact limit, the tables around the key
        counted)."""
        parts = [self.simple_key()]
        while True:
            if len(parts) > self.limits.max_depth:
                raise Located(
                    DepthLimitError, f"tables nested deeper than {self.limits.max_depth} levels", at
                )
            save = self.pos
            self.skip_ws()
            if self.peek() != ".":
                self.pos = save
                return parts
            self.pos += 1
            self.skip_ws()
            parts.append(self.simple_key())

    def simple_key(self) -> KeyPart:
        start = self.pos
        c = self.peek()
        if c == '"':
            name = self.basic_string(start)
        elif c == "'":
            name = self.literal_string(start)
        else:
            found = _BARE_KEY.match(self.src, start)
            if found is None:
                raise Stop
            self.pos = found.end()
            name = found.group()
        return KeyPart(name, start, self.pos)

    # -- values -------------------------------------------------------------------------------

    def value(self, path: tuple[str | int, ...]) -> Value:
        start = self.pos
        self.count(start)
        src = self.src
        if src.startswith('"""', start):
            self.ml_string(start, '"')
            return Value("scalar", start, self.pos, "ml-basic")
        if src.startswith("'''", start):
            self.ml_string(start, "'")
            return Value("scalar", start, self.pos, "ml-literal")
        c = self.peek()
        if c == '"':
            self.basic_string(start)
            return Value("scalar", start, self.pos, "basic")
        if c == "'":
            self.literal_string(start)
            return Value("scalar", start, self.pos, "literal")
        if c == "[":
            return self.array(path)
        if c == "{":
            return self.inline_table(path)
        found = _DATETIME.match(src, start)
        if found is not None:
            _check_datetime(found.group(), start)
        else:
            found = _BARE_VALUE.match(src, start)
        if found is None:
            raise Stop
        if found.end() - start > 18:  # 64 bits hold every integer of up to 18 digits
            _check_integer(found.group(), start)
        self.pos = found.end()
        return Value("scalar", start, self.pos)

    def check_depth(self, path: tuple[str | int, ...], at: int, what: str) -> None:
        """Refuse a table or array at ``path`` nested as the writer refuses it
        (``engine.tree.find_unwritable``: the root is one level): a text that loads under
        ``max_depth`` can be written back under it, and the reader needs no second walk."""
        if len(path) >= self.limits.max_depth:
            raise Located(
                DepthLimitError, f"{what} nested deeper than {self.limits.max_depth} levels", at
            )

    def array(self, path: tuple[str | int, ...]) -> Value:
        start = self.pos
        self.check_depth(path, start, "arrays and tables")
        self.pos += 1
        node = Value("array", start, start)
        lead_start = self.pos
        while True:
            self.skip_space_and_comments()
            if self.peek() == "]":
                node.tail = self.src[lead_start : self.pos]
                self.pos += 1
                node.end = self.pos
                return node
            lead = self.src[lead_start : self.pos]
            item = self.value((*path, len(node.items)))
            gap_start = self.pos
            self.skip_space_and_comments()
            gap = self.src[gap_start : self.pos]
            comma = self.peek() == ","
            if comma:
                self.pos += 1
                lead_start = self.pos
            elif self.peek() != "]":
                if gap and self.src[self.pos - 1] in " \t" and self.peek() not in ("}", ""):
                    # another item after blanks: the comma between them is missing
                    raise Located(
                        TOMLSyntaxError,
                        "a comma is missing before this array item",
                        self.pos,
                        "separate the items of an array with commas",
                    )
                raise Stop
            else:
                lead_start = gap_start  # no comma: the gap is the array's tail
                gap = ""
            node.items.append(Item(item, lead, gap, comma))

    def skip_space_and_comments(self) -> None:
        """Blanks, line breaks and comments (inside an array)."""
        src = self.src
        while True:
            self.skip_ws()
            c = self.peek()
            if c == "#":
                end = src.find("\n", self.pos)
                self.pos = len(src) if end == -1 else end
            elif c == "\n":
                self.pos += 1
            elif src.startswith("\r\n", self.pos):
                self.pos += 2
            else:
                return

    def inline_table(self, path: tuple[str | int, ...]) -> Value:
        start = self.pos
        self.check_depth(path, start, "arrays and tables")
        self.pos += 1
        table = Table("inline", path)
        node = Value("inline", start, start, table=table)
        self.skip_ws()
        if self.peek() == "}":
            self.pos += 1
            node.end = self.pos
            return node
        while True:
            self.skip_ws()
            stmt = self.keyval(table)
            stmt.line = stmt.after = stmt.start
            table.stmts.append(stmt)
            self.skip_ws()
            c = self.peek()
            if c == "}":
                self.pos += 1
                node.end = self.pos
                return node
            if c != ",":
                raise Stop
            comma = self.pos
            self.pos += 1
            self.skip_ws()
            if self.peek() == "}":
                raise self.fail(
                    TOMLSyntaxError,
                    "trailing comma in an inline table (TOML allows none after the last pair)",
                    comma,
                    "remove the comma after the last pair",
                )

    # -- strings ------------------------------------------------------------------------------

    def basic_string(self, start: int) -> str:
        """A ``"..."`` string from ``start``; returns its raw inside (escapes not decoded:
        keys compare by their decoded value, which :func:`decode_key` gives)."""
        src = self.src
        pos = start + 1
        while True:
            c = src[pos : pos + 1]
            if c == '"':
                self.pos = pos + 1
                return decode_basic(src[start + 1 : pos])
            if c in ("", "\n", "\r"):
                raise self.fail(
                    TOMLSyntaxError,
                    "unterminated string: the closing '\"' is missing on this line",
                    start,
                    'end the string with " on the same line (a " inside it is written \\"); '
                    'text over several lines goes in """triple quotes"""',
                )
            pos += 2 if c == "\\" else 1

    def literal_string(self, start: int) -> str:
        src = self.src
        end = start + 1
        while True:
            c = src[end : end + 1]
            if c == "'":
                self.pos = end + 1
                return src[start + 1 : end]
            if c in ("", "\n", "\r"):
                raise self.fail(
                    TOMLSyntaxError,
                    'unterminated string: the closing "\'" is missing on this line',
                    start,
                    "end the string with ' on the same line; text over several lines goes in "
                    "'''triple quotes'''",
                )
            end += 1

    def ml_string(self, start: int, quote: str) -> None:
        src = self.src
        delimiter = quote * 3
        if quote == '"':
            found = _ML_BASIC_END.search(src, start + 3)
            while found is not None and found.group() != '"""':
                found = _ML_BASIC_END.search(src, found.end())
            at = -1 if found is None else found.start()
        else:
            at = src.find(delimiter, start + 3)
        if at == -1:
            raise self.fail(
                TOMLSyntaxError,
                f"unterminated multi-line string: no closing {delimiter} before the end of the "
                "front matter",
                start,
                f"end the string with {delimiter}",
            )
        # Up to two more quotes right before the delimiter belong to the string.
        end = at + 3
        while end < at + 5 and src.startswith(quote, end):
            end += 1
        self.pos = end


def _check_datetime(text: str, at: int) -> None:
    """A date or time that has the shape but not the values of one (``1979-13-01``): tomllib
    reports it as a stray character after a number; say what it is."""
    date, _, time = text.replace("t", "T").replace(" ", "T").partition("T")
    if ":" in date:
        date, time = "", date
    try:
        if date:
            dt.date.fromisoformat(date)
        if time:
            clock = re.match(r"(\d{2}):(\d{2})(?::(\d{2}))?", time)
            assert clock is not None
            dt.time(int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0))
            zone = re.search(r"[+-](\d{2}):(\d{2})$", time)
            if zone is not None and (int(zone.group(1)) > 23 or int(zone.group(2)) > 59):
                raise ValueError(text)
    except ValueError:
        raise Located(
            TOMLSyntaxError,
            f"{text!r} is not a valid date or time",
            at,
            "write a real date (YYYY-MM-DD) or time (HH:MM:SS), or quote the text",
        ) from None


def _check_integer(text: str, at: int) -> None:
    """An integer outside TOML's 64 bits, which tomllib reads as a Python int: the file could
    be read but never written back (and TOML 1.0 requires an error)."""
    if _INTEGER.fullmatch(text) is None:
        return
    try:
        number = int(text, 0)
    except ValueError:  # leading zeros, misplaced `_`: tomllib names the mistake
        return
    if not INT64[0] <= number <= INT64[1]:
        raise Located(
            TOMLSyntaxError,
            f"the integer {text} does not fit in 64 bits (TOML integers go from {INT64[0]} to "
            f"{INT64[1]})",
            at,
            f'write it as text ("{text}"), or as a float if an approximate number will do',
        )


# TOML 1.0's escapes (what tomllib reads; it refuses any other before this runs).
ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def decode_basic(raw: str) -> str:
    """The value of a one-line basic string's inside (a quoted key's name)."""
    if "\\" not in raw:
        return raw

    def one(found: re.Match[str]) -> str:
        code = found.group(1) or found.group(2)
        if code is not None:
            return chr(int(code, 16))
        return ESCAPES.get(found.group(3), found.group(0))

    return _ESCAPE.sub(one, raw)


def scan(text: str, limits: Limits) -> Tree:
    """The positioned tree of a valid TOML text (``Located`` for limits)."""
    found = attempt(text, limits)
    if isinstance(found, Tree):
        return found
    raise unpositioned() if found is None else found


def unpositioned() -> Located:
    """tomllib accepted a text the scanner does not understand: a construct this scanner does
    not know. Never guess."""
    return Located(TOMLSyntaxError, "TOML this library cannot position yet (please report it)", 0)


def attempt(text: str, limits: Limits) -> Tree | Located | None:
    """The scanner's reading of a text: its tree; else the mistake it understands (``Located``),
    or None where it stopped at text it does not understand (only on invalid TOML)."""
    try:
        return Scanner(text, limits).run()
    except Stop:
        return None
    except Located as found:
        return found


def prescan(text: str, limits: Limits) -> Tree | Located | None:
    """:func:`attempt` on a text not yet read by tomllib, which decides whether the text is
    valid (a ``Located`` is a mistake only if tomllib agrees: ``read.located`` reuses it). A
    limit is raised here, before tomllib reads the text: tomllib takes quadratic time over a
    long dotted key or header path (an 80 KB key: 42 s) and unbounded memory over many keys,
    and the scanner is linear."""
    found = attempt(text, limits)
    if isinstance(found, Located) and issubclass(found.error_type, LimitExceededError):
        raise found
    return found


def diagnose(text: str, limits: Limits) -> Located | None:
    """The first mistake the scanner understands in an invalid text, or None."""
    found = attempt(text, limits)
    return found if isinstance(found, Located) else None
