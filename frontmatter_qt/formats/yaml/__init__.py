"""The lossless YAML engine: libyaml events → positioned node tree → patches → verified text.

:class:`YamlFormat` is the YAML side of :class:`frontmatter_qt.formats.base.Format`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from frontmatter_qt.engine.chars import Piece
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import Patch, apply
from frontmatter_qt.errors import NotAMappingError, RoundTripError, UnrepresentableValueError
from frontmatter_qt.formats.base import (
    Parsed,
    SpanTree,
    comments_outside,
    item_at,
    mapping_or_refused,
)
from frontmatter_qt.formats.yaml.chars import pieces
from frontmatter_qt.formats.yaml.data import (
    UNICODE_BREAKS,
    EditPatches,
    read_data,
    reads_patched_as,
)
from frontmatter_qt.formats.yaml.edit import Editor
from frontmatter_qt.formats.yaml.nodes import (
    ALIAS,
    MAPPING,
    SCALAR,
    SEQUENCE,
    Node,
    parse,
    to_python,
    walk,
)
from frontmatter_qt.formats.yaml.render import first_unrepresentable

__all__ = ["YAML", "YAML_PURE", "YamlFormat", "YamlParsed"]


class YamlParsed(SpanTree[Node]):
    """A YAML front matter: its root node (``None`` when the text holds no node)."""

    __slots__ = ("root",)

    def __init__(self, root: Node | None) -> None:
        self.root = root

    def to_data(self) -> dict[Any, Any]:
        if self.root is None:
            return {}
        data: dict[Any, Any] = to_python(self.root)
        return data

    def child(self, node: Node, key: Any) -> Node | None:
        """One indexed step (``Node.pair``; aliases followed), so a look-up costs the path's
        depth, not the mappings' sizes."""
        node = node.resolved()
        if node.kind == MAPPING:
            pair = node.pair(key)
            return None if pair is None else pair[1]
        return item_at(node.items, key) if node.kind == SEQUENCE else None

    def key_span_in(self, node: Node, key: Any) -> tuple[int, int] | None:
        node = node.resolved()
        if node.kind != MAPPING:
            return None
        pair = node.pair(key)
        return None if pair is None else (pair[0].start, pair[0].end)

    def string_pieces(self, text: str, node: Node, value: str) -> Iterable[Piece] | None:
        node = node.resolved()  # an alias: where its anchor's text is written
        return pieces(text, node) if node.kind == SCALAR and node.value == value else None


class YamlFormat:
    """YAML front matter between ``---`` lines. ``pure=True`` uses ruamel.yaml's pure-Python
    parser instead of libyaml (same data and positions; kept for testing and as a fallback)."""

    name = "yaml"
    fence = "---"
    dates: tuple[type, ...] = (
        dt.date,
    )  # dates and date-times (with or without an offset); no time of day
    has_comments = True

    def __init__(self, *, pure: bool = False) -> None:
        self.pure = pure

    def parse(self, text: str, limits: Limits) -> YamlParsed:
        root = parse(text, limits, pure=self.pure)
        if root is not None and root.resolved().kind != MAPPING:
            kind = root.resolved().kind
            raise Located(
                NotAMappingError,
                f"front matter must be a mapping of keys to values, not a {kind}",
                root.start,
            )
        return YamlParsed(root)

    def read(self, text: str, limits: Limits) -> dict[Any, Any]:
        return mapping_or_refused(read_data(text, limits), lambda: self.parse(text, limits))

    def reads_patched_as(
        self,
        text: str,
        parsed: Parsed,
        patches: list[Patch],
        new_text: str,
        limits: Limits,
        data: dict[Any, Any],
    ) -> bool | None:
        """Whether ``read(new_text)``, ``new_text`` being ``text`` with ``patches`` applied, is
        ``data`` (keys in order), told by re-reading only the entries the patches touch; None
        when that cannot tell (see :func:`data.reads_patched_as`)."""
        root = parsed.root if isinstance(parsed, YamlParsed) else None
        return reads_patched_as(text, root, patches, new_text, limits, data)

    def patches(self, text: str, parsed: Parsed, data: dict[Any, Any], newline: str) -> list[Patch]:
        if not isinstance(parsed, YamlParsed):
            raise TypeError(f"not a YAML front matter: {parsed!r}")
        editor = Editor(text, newline)
        try:
            patches = editor.diff_root(parsed.root, data)
        except UnrepresentableValueError:
            raise first_unrepresentable(data) from None
        # Substring searches, not _UNICODE_BREAK.search: a character class has no
        # literal to search for, so the regular expression tries every position of the text
        # (40 us of a QuickTakes front matter, 9% of a load + edit + dumps; these take 0.5 us)
        if patches and any(char in text for char in UNICODE_BREAKS):
            _refuse_unicode_breaks(text, parsed.root)
        return EditPatches(patches, editor.equal)

    def render(self, data: dict[Any, Any], newline: str) -> str:
        try:
            return apply("", Editor("", newline).diff_root(None, data))
        except UnrepresentableValueError:
            raise first_unrepresentable(data) from None

    def comments(self, text: str, parsed: Parsed) -> list[tuple[int, int]]:
        if not isinstance(parsed, YamlParsed):
            raise TypeError(f"not a YAML front matter: {parsed!r}")
        return comments_outside(text, _scalar_spans(text, parsed.root), after_blank=True)


_UNICODE_BREAK = re.compile(f"[{''.join(UNICODE_BREAKS)}]")


def _refuse_unicode_breaks(text: str, root: Node | None) -> None:
    """Refuse to edit front matter where a NEL, U+2028 or U+2029 breaks a line: libyaml reads
    it as a line break, the editor would not, and would misplace an edit (as a lone CR, see
    :meth:`Document._refuse_lone_cr`). Inside a quoted scalar it only folds the text, which a
    patch replaces whole: such files (mojibake in a quoted value) stay editable."""
    quoted = sorted(
        (node.start, node.end)
        for node in walk(root)
        if node.kind == SCALAR and node.style in ('"', "'")
    )
    starts = [start for start, _ in quoted]
    for found in _UNICODE_BREAK.finditer(text):
        at = found.start()
        inside = bisect.bisect_right(starts, at) - 1
        if inside >= 0 and at < quoted[inside][1]:
            continue
        name = UNICODE_BREAKS[found.group()]
        raise Located(
            RoundTripError,
            f"refusing to edit: the front matter has a line break made of {name}, which YAML "
            "reads as a line break; convert it to LF first",
            at,
            hint="replace the character with a line break (LF), or quote the value it is in",
        )


def _scalar_spans(text: str, root: Node | None) -> list[tuple[int, int]]:
    """Where a ``#`` is text, not a comment: every scalar (keys too) and alias. A block
    scalar's header line (``|-  # note``) may end with a comment: its span starts on the
    next line."""
    spans: list[tuple[int, int]] = []
    for node in walk(root):
        if node.kind == SCALAR or node.kind == ALIAS:
            start = node.start
            if node.style in ("|", ">"):
                line_break = text.find("\n", start, node.end)
                start = node.end if line_break == -1 else line_break
            spans.append((start, node.end))
    return spans


YAML = YamlFormat()
YAML_PURE = YamlFormat(pure=True)
