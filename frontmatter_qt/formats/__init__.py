"""Front-matter formats behind one interface (:mod:`frontmatter_qt.formats.base`).

Each parses its text into positioned data and writes edits back as patches of its own text.
``split(text)`` cuts a file at the delimiters every format announces (the engine's split, with
JSON's end finder for Hugo's bare ``{`` object); ``of(split)`` picks the format they announce.
"""

from __future__ import annotations

from pathlib import Path

from frontmatter_qt.engine import text as _text
from frontmatter_qt.engine.text import Split
from frontmatter_qt.errors import UnknownFormatError
from frontmatter_qt.formats.base import Format
from frontmatter_qt.formats.yaml import YAML, YAML_PURE

__all__ = ["NAMES", "named", "of", "split"]


def split(text: str, path: str | Path | None = None) -> Split:
    """``engine.text.split`` with every format's opener: the engine matches the delimiter
    lines itself and asks JSON where a bare object ends (it knows no JSON syntax)."""
    return _text.split(text, path, object_end=_object_end)


def _object_end(text: str, start: int) -> int:
    """JSON's end finder, imported when a text first starts with ``{``: a run that meets no
    JSON front matter never loads the JSON engine (about 11 ms of every command's start-up)."""
    from frontmatter_qt.formats.json.scan import object_end

    return object_end(text, start)


#: The formats' names, in the order the documentation lists them.
NAMES = ("yaml", "toml", "json")


def of(split: Split, *, pure: bool = False, path: str | Path | None = None) -> Format:
    """The format of a split file (``pure``: YAML through the pure-Python parser)."""
    if split.format == "yaml" and pure:
        return YAML_PURE
    try:
        return named(split.format)
    except ValueError:
        raise UnknownFormatError(
            f"{split.format} front matter is not supported yet", path=path, line=1, column=1
        ) from None


def named(name: str) -> Format:
    """The format called ``name`` (``"yaml"``, ``"toml"``, ``"json"``); ``UnknownFormatError``
    (a ValueError) for others."""
    if name == "yaml":
        return YAML
    if name == "toml":
        # Imported on first use: a YAML-only run never loads the TOML engine.
        from frontmatter_qt.formats.toml import TOML

        return TOML
    if name == "json":
        from frontmatter_qt.formats.json import JSON  # imported on first use, as TOML

        return JSON
    raise UnknownFormatError(
        f"unknown front-matter format {name!r}: expected one of {', '.join(NAMES)}"
    )
