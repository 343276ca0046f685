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

from typing import Any, Protocol

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.patch import Patch
from frontmatter_qt.engine.tree import KeyPath


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


class Format(Protocol):
    """A front-matter syntax. Instances are stateless and shared."""

    #: ``"yaml"``, ``"toml"`` or ``"json"``.
    name: str
    #: The delimiter line written around new front matter (``---``, ``+++``; ``""`` for none).
    fence: str

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
        """A whole new front-matter text for ``data`` (a file that had none, a conversion)."""
        ...
