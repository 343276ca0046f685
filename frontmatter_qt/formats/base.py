"""What every front-matter format (YAML, TOML, JSON) gives the document layer.

A format reads its front-matter text into a :class:`Parsed` tree (plain data plus where each key
and value stands), turns intended data back into :class:`~frontmatter_qt.engine.patch.Patch`
objects against its own original text, and re-reads a candidate output for verification. The
document layer (``document.py``) does the rest the same way for every format: split, position
errors, apply patches, verify, write atomically.

Offsets are character offsets into the front-matter text (``Split.front_matter``); the document
turns them into 1-based lines and columns. Errors found at an offset are raised as
:class:`~frontmatter_qt.engine.located.Located` (the document adds the file position); a value
the format cannot hold raises :class:`~frontmatter_qt.errors.UnrepresentableValueError`.

Key order is data: the order of a mapping's keys in the intended data is the order the file is
to have (formats that can move entries do; see each format's module for what it refuses).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from frontmatter_qt.engine.chars import Piece, align
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.keypath import KeyPath

__all__ = ["Format", "KeyOrder", "KeyPath", "Parsed", "ReadsPatched", "comments_outside"]


class Parsed(Protocol):
    """One parsed front matter: its data and the positions of its keys and values."""

    def to_data(self) -> dict[Any, Any]:
        """Fresh plain Python data (a new object every call; the caller owns it)."""
        ...

    def value_span(self, keys: KeyPath) -> tuple[int, int] | None:
        """``[start, end)`` of the value at ``keys`` (``()``: the whole mapping), or None."""
        ...

    def key_span(self, keys: KeyPath) -> tuple[int, int] | None:
        """``[start, end)`` of the key that ends ``keys`` (a mapping key), or None."""
        ...

    def char_span(
        self, text: str, keys: KeyPath, value: str, start: int, end: int
    ) -> tuple[int, int] | None:
        """``[from, to)`` in the front matter ``text`` of the characters ``[start, end)`` of
        the string ``value`` at ``keys`` (escapes, quotes and folding accounted for; see
        :mod:`frontmatter_qt.engine.chars`), or None when the file holds no such string there
        (another value, or none)."""
        ...


class _Spanned(Protocol):
    start: int
    end: int


NodeT = TypeVar("NodeT", bound=_Spanned)


class SpanTree(Generic[NodeT]):
    """The key-path walk of a ``Parsed`` that is a tree of nodes with ``start``/``end`` offsets:
    a format says which node is the child of a node at a key (``child``), where a key of a
    mapping node stands (``key_span_in``) and how a string scalar is written (``string_pieces``);
    paths, value spans, key spans and character spans follow."""

    __slots__ = ()
    root: NodeT | None

    def child(self, node: NodeT, key: Any) -> NodeT | None:
        raise NotImplementedError

    def key_span_in(self, node: NodeT, key: Any) -> tuple[int, int] | None:
        raise NotImplementedError

    def string_pieces(self, text: str, node: NodeT, value: str) -> Iterable[Piece] | None:
        """How the string ``value`` is written at ``node`` in ``text`` (see
        :mod:`frontmatter_qt.engine.chars`), or None when ``node`` holds no such string."""
        raise NotImplementedError

    def node_at(self, keys: KeyPath) -> NodeT | None:
        """The node of the value at ``keys``, or None."""
        node = self.root
        for key in keys:
            if node is None:
                return None
            node = self.child(node, key)
        return node

    def value_span(self, keys: KeyPath) -> tuple[int, int] | None:
        node = self.node_at(keys)
        return None if node is None else (node.start, node.end)

    def key_span(self, keys: KeyPath) -> tuple[int, int] | None:
        if not keys:
            return None
        parent = self.node_at(keys[:-1])
        return None if parent is None else self.key_span_in(parent, keys[-1])

    def char_span(
        self, text: str, keys: KeyPath, value: str, start: int, end: int
    ) -> tuple[int, int] | None:
        node = self.node_at(keys)
        pieces = None if node is None else self.string_pieces(text, node, value)
        return None if pieces is None else align(value, pieces, start, end)


def item_at(items: Sequence[NodeT], key: Any) -> NodeT | None:
    """The list item at an index (negative ones count from the end), or None."""
    if isinstance(key, int) and not isinstance(key, bool) and -len(items) <= key < len(items):
        return items[key]
    return None


class ReadsPatched(Protocol):
    """A format whose verification re-read can be had from the parts of an output its patches
    touch (YAML: :func:`frontmatter_qt.formats.yaml.data.reads_patched_as`). Optional: the
    document asks for it with ``getattr`` and re-reads the whole text when it is missing."""

    def reads_patched_as(
        self,
        text: str,
        parsed: Parsed,
        patches: list[Patch],
        new_text: str,
        limits: Limits,
        data: dict[Any, Any],
    ) -> bool | None:
        """Whether ``read(new_text)`` (``new_text`` being ``text`` with ``patches`` applied)
        is ``data``, type-exactly and with every mapping's keys in the same order; None when
        that cannot be told from the touched parts alone (then nothing is known either way)."""
        ...


class KeyOrder(Protocol):
    """A format that cannot always write the data's key order (TOML writes a table's
    key/value lines before its sections) and says which orders it may read back in. Optional:
    the document asks for it with ``getattr``; a format without it is held to the data's order
    exactly (YAML, JSON), as every conversion is."""

    def misordered(
        self,
        text: str,
        read: dict[Any, Any],
        data: dict[Any, Any],
        limits: Limits,
        parsed: Parsed | None = None,
    ) -> KeyPath | None:
        """The key path of the first mapping of ``read`` (``read(text)``, the same as ``data``
        but for key order) whose keys are in an order the format would not write ``data``'s
        in; None when there is none. ``parsed``: ``parse(text)``, when the caller has it."""
        ...


class Format(Protocol):
    """A front-matter syntax. Instances are stateless and shared."""

    #: ``"yaml"``, ``"toml"`` or ``"json"``.
    name: str
    #: The delimiter line written around new front matter (``---``, ``+++``; ``""`` for none).
    fence: str
    #: The date and time types it holds (``datetime.datetime`` is a ``datetime.date``).
    dates: tuple[type, ...]
    #: Whether its text may hold comments (``#`` lines: YAML, TOML; not JSON).
    has_comments: bool

    def parse(self, text: str, limits: Limits) -> Parsed:
        """Parse a front-matter text (limits enforced); raise ``Located`` when it is invalid
        or is not a mapping."""
        ...

    def read(self, text: str, limits: Limits) -> dict[Any, Any]:
        """The plain data of a front-matter text: the verification re-read of every output.
        Equal, type for type, to ``parse(text).to_data()``; raises what ``parse`` raises."""
        ...

    def patches(self, text: str, parsed: Parsed, data: dict[Any, Any], newline: str) -> list[Patch]:
        """Patches that turn ``text`` (parsed as ``parsed``) into front matter holding ``data``,
        touching only the spans of what differs. ``[]`` when nothing differs."""
        ...

    def render(self, data: dict[Any, Any], newline: str) -> str:
        """A whole new front-matter text for ``data`` (a file that had none, a conversion), its
        keys in the data's order, ending with a line break (``""`` for no data)."""
        ...

    def comments(self, text: str, parsed: Parsed) -> list[tuple[int, int]]:
        """``[start, end)`` of every comment of a front-matter text (from its ``#`` to the end
        of its line, line break excluded), in order; ``[]`` for a format without comments."""
        ...


def mapping_or_refused(data: Any, parse: Callable[[], object]) -> dict[Any, Any]:
    """What ``Format.read`` returns for the plain data of a front matter: ``{}`` for none
    (``None``), a mapping as it is; anything else is refused by ``parse()``, the full parse, which
    knows where the root stands (it raises ``NotAMappingError`` there)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        parse()
    result: dict[Any, Any] = data
    return result


def comments_outside(
    text: str, covered: Iterable[tuple[int, int]], *, after_blank: bool
) -> list[tuple[int, int]]:
    """The comments of a text whose strings (and whatever else may hold a ``#``) stand at
    ``covered`` spans: a ``#`` outside them starts a comment that runs to the end of its line.
    ``after_blank``: only a ``#`` at the start of a line or after a space or tab does (YAML:
    ``a#b`` is text); TOML starts a comment at any ``#`` outside a string."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(covered):  # merged: a look-up finds the one span around a `#`
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    starts = [start for start, _ in spans]
    found: list[tuple[int, int]] = []
    pos = 0
    while (at := text.find("#", pos)) != -1:
        index = bisect.bisect_right(starts, at) - 1
        if index >= 0 and spans[index][0] <= at < spans[index][1]:
            pos = spans[index][1]  # inside a string: go on after it
            continue
        if after_blank and at > 0 and text[at - 1] not in " \t\n":
            pos = at + 1
            continue
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        if end > at and text[end - 1] == "\r":
            end -= 1
        found.append((at, end))
        pos = end
    return found
