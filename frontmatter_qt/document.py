"""The Document: original text + node tree + live data; load, edit, and write back losslessly."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from frontmatter_qt import formats, keypath
from frontmatter_qt.diagnostics import Diagnostic, Span, of_error
from frontmatter_qt.engine import atomic as _atomic
from frontmatter_qt.engine import files as _files
from frontmatter_qt.engine import text as _text
from frontmatter_qt.engine.equality import first_difference, same_in_order, same_value
from frontmatter_qt.engine.files import FileState
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import OverlappingPatches, Patch, apply
from frontmatter_qt.engine.text import LONE_SURROGATE, LineIndex, Split
from frontmatter_qt.engine.tree import copy_tree, find_unwritable
from frontmatter_qt.errors import (
    NO_FRONT_MATTER,
    FrontMatterError,
    KeyExistsError,
    KeyPathError,
    ModelValidationError,
    PlacementError,
    ReadError,
    RoundTripError,
    SizeLimitError,
    UnrepresentableValueError,
)
from frontmatter_qt.formats.base import Format, Parsed
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from pydantic import BaseModel

    from frontmatter_qt.conversion import Conversion
    from frontmatter_qt.quicktakes import Article

    M = TypeVar("M", bound=BaseModel)

E = TypeVar("E", bound=FrontMatterError)

Key = Any
DEFAULT_LIMITS = Limits()
_LONE_CR = re.compile(r"\r(?!\n)")


class _Expected(NamedTuple):  # (not a frozen dataclass: creating one costs ~2 ms of each import)
    """What a text must read back as: this format, data (in this key order when ``ordered``),
    and body."""

    format: Format
    data: dict[Key, Any]
    body: str
    ordered: bool


class Document(MutableMapping[Key, Any]):
    """One article file. Behaves like the dict of its front matter; ``body`` is the rest.

    ``data`` is ordinary Python data (dict, list, str, int, float, bool, None, date, datetime):
    change it any way you like. ``dumps()`` compares it with what the file was parsed into and
    rewrites only the values that differ, in their original style; everything else is kept
    byte for byte. The output is re-parsed and checked before it is returned.
    """

    def __init__(
        self,
        split: Split,
        parsed: Parsed,
        data: dict[Key, Any],
        *,
        fmt: Format,
        path: str | Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        source: FileState | None = None,
        strict: bool = False,
    ) -> None:
        self._split = split
        self._parsed = parsed
        self._format = fmt
        self._lines: LineIndex | None = None
        self._limits = limits
        #: What the document's own file (``path``) held when last read or written by it.
        self.source = source
        self.data = data
        self.body = split.body
        self.path = Path(path) if path is not None else None
        # Absolute at load time: a later chdir must not change which file is "its own".
        self._abspath = os.path.abspath(path) if path is not None else None
        self.strict = strict
        # (model, strict) -> (the data it was validated from, the validated instance)
        self._model_cache: dict[tuple[type[Any], bool], tuple[dict[Key, Any], Any]] = {}

    # -- mapping protocol ---------------------------------------------------------------------

    def __getitem__(self, key: Key) -> Any:
        return self.data[key]

    def __setitem__(self, key: Key, value: Any) -> None:
        self.data[key] = value

    def __delitem__(self, key: Key) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        where = f" {str(self.path)!r}" if self.path else ""
        return f"<Document{where} keys={list(self.data)!r}>"

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """``doc.update(model)`` writes a pydantic model back (only what differs from the file
        is assigned, see :func:`frontmatter_qt.models.write_back`); otherwise ``dict.update``."""
        if _is_model(other) and not kwargs:
            from frontmatter_qt import models

            models.write_back(self.data, other)
            return
        self.data.update(other, **kwargs)

    # -- structure edits (data operations: the file follows the data's key order) ------------

    def insert(
        self,
        key_or_path: Key | tuple[Key, ...],
        value: Any,
        *,
        after: Key = None,
        before: Key = None,
    ) -> None:
        """Add a new entry: ``key_or_path`` is a key or a tuple path (``("seo", "robots")``),
        placed right after the sibling key ``after``, right before ``before``, or (neither) at
        the end of its mapping; in a list, the path ends with the new item's index.

        ``KeyExistsError`` (a ``KeyError``) if the key exists; ``KeyPathError`` if the sibling
        or the parent is missing; ``PlacementError`` for both ``after`` and ``before``, or a list
        position out of range. ``dumps()`` writes the new entry at its place, with its
        siblings' indentation."""
        keys = _keys(key_or_path)
        self._structure(keypath.insert, keys, value, after=after, before=before)

    def rename(self, key_or_path: Key | tuple[Key, ...], new_key: Key) -> None:
        """Give an entry another key, in place: its position, value, comments and layout are
        kept, only the key's text is written anew. ``KeyPathError`` if the entry is missing,
        ``KeyExistsError`` if ``new_key`` exists (both ``KeyError``)."""
        self._structure(keypath.rename, _keys(key_or_path), new_key)

    def move(
        self, key_or_path: Key | tuple[Key, ...], *, after: Key = None, before: Key = None
    ) -> None:
        """Move an entry right after the sibling ``after``, right before ``before``, or
        (neither) to the end of its mapping; it moves in the file with its own lines (comments
        directly above it included). In a list, the path ends with the item's index and
        ``after``/``before`` name another index."""
        self._structure(keypath.move, _keys(key_or_path), after=after, before=before)

    def _structure(
        self, edit: Callable[..., None], keys: KeyPath, *args: Any, **place: Any
    ) -> None:
        """Run a walker's structure edit on ``data``; its error is placed in this file (at the
        nearest part of the path the file has)."""
        try:
            edit(self.data, keys, *args, **place)
        except (KeyPathError, KeyExistsError) as exc:
            raise self.positioned(exc) from None
        except PlacementError as exc:
            raise self.positioned(exc, keys) from None

    def positioned(self, error: E, keys: Sequence[Key] | None = None) -> E:
        """``error`` (raised on plain data) placed in this file: its path, and the line and
        column of ``keys`` (default: the error's own ``keys``) as :meth:`locate` finds them."""
        span = self.locate(getattr(error, "keys", ()) if keys is None else keys)
        return error.at(self.path, span.line, span.column)

    # -- typed view ---------------------------------------------------------------------------

    def model(self, model: type[M], *, strict: bool = False) -> M:
        """The front matter validated as ``model`` (any pydantic v2 ``BaseModel`` subclass).

        Invalid data raises :class:`~frontmatter_qt.errors.ModelValidationError` (or the
        model's own subclass of it) listing every problem with its position. Validation is
        cached until the data changes; each call returns a fresh copy, so an instance changed
        but never written back (``doc.update``) does not leak into the next call.
        """
        key = (model, strict)
        cached = self._model_cache.get(key)
        if cached is not None and same_value(cached[0], self.data):
            instance: M = cached[1].model_copy(deep=True)
            return instance
        from frontmatter_qt import models

        path = None if self.path is None else str(self.path)
        validated = models.validate(
            model, self.data, strict=strict, path=path, locate=self.locate, locate_key=self.key_span
        )
        self._model_cache[key] = (copy_tree(self.data), validated)
        return validated.model_copy(deep=True)

    def problems(self, model: type[BaseModel], *, strict: bool = False) -> list[Diagnostic]:
        """Every reason the front matter does not fit ``model`` (``[]`` when it does).

        Empty front matter that the model refuses is one ``V002`` problem ("no front matter")
        rather than one "field required" per field.
        """
        try:
            self.model(model, strict=strict)
        except ModelValidationError as exc:
            if self.data:
                return list(exc.problems)
            return [self._diagnostic((), NO_FRONT_MATTER, "no front matter", "no_front_matter")]
        return []

    @property
    def article(self) -> Article:
        """Shortcut for ``doc.model(Article)`` with the QuickTakes plug-in's ``Article`` (strict
        when loaded with ``strict=True``). The plug-in is imported on first use only: this is
        the one place the document names it, kept for the QuickTakes users' code."""
        from frontmatter_qt.quicktakes import Article

        return self.model(Article, strict=self.strict)

    @article.setter
    def article(self, article: Article) -> None:
        self.update(article)

    @property
    def article_strict(self) -> Article:
        """The QuickTakes ``Article`` validated strictly (``id: "97068"`` is refused)."""
        from frontmatter_qt.quicktakes import Article

        return self.model(Article, strict=True)

    # -- python-frontmatter names -------------------------------------------------------------

    @property
    def metadata(self) -> dict[Key, Any]:
        """Alias of ``data`` (python-frontmatter's name)."""
        return self.data

    @property
    def content(self) -> str:
        """Alias of ``body`` (python-frontmatter's name); here it is the exact text."""
        return self.body

    @content.setter
    def content(self, value: str) -> None:
        self.body = value

    # -- facts about the file -----------------------------------------------------------------

    @property
    def format(self) -> str:
        """The front-matter format: ``"yaml"``, ``"toml"`` or ``"json"`` (for a file without front
        matter, the one new front matter is written in)."""
        return self._format.name

    @property
    def has_front_matter(self) -> bool:
        return self._split.has_front_matter or bool(self.data)

    @property
    def newline(self) -> str:
        return self._split.newline

    @property
    def bom(self) -> bool:
        return bool(self._split.bom)

    @property
    def original_text(self) -> str:
        return self._split.join()

    def to_dict(self) -> dict[Key, Any]:
        """A deep copy of the front matter as plain Python data."""
        copied: dict[Key, Any] = copy_tree(self.data)
        return copied

    def position(self, *keys: Key) -> tuple[int, int] | None:
        """(line, column), 1-based, of the value at ``keys`` as the file was loaded."""
        span = self._parsed.value_span(keys)
        return None if span is None else self._position_of(span[0])

    def key_position(self, *keys: Key) -> tuple[int, int] | None:
        """(line, column), 1-based, of the key at the end of ``keys`` as loaded."""
        span = self._parsed.key_span(keys)
        return None if span is None else self._position_of(span[0])

    def span(self, keys: Sequence[Key] = ()) -> Span | None:
        """Where the value at ``keys`` stands as the file was loaded, start to end, or None when
        the file has no value there (:meth:`locate` falls back to the nearest part instead;
        this does not). ``()``: the whole front-matter text between the delimiters (None for a
        file without front matter)."""
        keys = tuple(keys)
        if not keys:
            if not self._split.has_front_matter:
                return None
            end = len(self._split.front_matter)
            return Span(*self._position_of(0), *self._position_of(end))
        found = self._parsed.value_span(keys)
        return None if found is None else self._span_of(*found)

    def key_span(self, keys: Sequence[Key]) -> Span | None:
        """Where the mapping key that ends ``keys`` is written (the first place, in TOML, where
        a table is named in several headers), or None."""
        keys = tuple(keys)
        found = self._parsed.key_span(keys) if keys else None
        return None if found is None else self._span_of(*found)

    def locate(self, keys: Sequence[Key] = (), inside: tuple[int, int] | None = None) -> Span:
        """Where to report a problem about ``keys`` (positions as the file was loaded).

        ``inside``: ``(start, end)`` of some characters of the string value at ``keys``; the
        span is then theirs, where they are written in the file (through quotes, escapes and
        folded lines; see :mod:`frontmatter_qt.engine.chars`), or the whole value's when that
        cannot be told.

        The value at ``keys`` when the file has it. Otherwise the nearest part of the path that
        the file has: below a scalar (``x`` where ``x.y`` was expected), that value; a missing
        entry of a mapping, the key of that mapping (``seo:`` for a missing ``seo.title``); a
        missing entry of a list item, that item's value; a missing top-level key, or ``keys``
        ``()``, the opening delimiter (``1:1`` in a file without front matter).
        """
        keys = tuple(keys)
        if inside is not None:
            value = keypath.get(self.data, keys) if keypath.has(self.data, keys) else None
            if isinstance(value, str):
                text = self._split.front_matter
                found = self._parsed.char_span(text, keys, value, *inside)
                if found is not None:
                    return self._span_of(*found)
        for end in range(len(keys), 0, -1):
            found = self._parsed.value_span(keys[:end])
            if found is None:
                continue
            if end < len(keys) and _is_container(self.data, keys[:end]):
                named = self._parsed.key_span(keys[:end])
                found = named if named is not None else found
            return self._span_of(*found)
        return self._opening_span()

    def _span_of(self, start: int, end: int) -> Span:
        # A block scalar's span takes its last line break; an editor's range ends on the text.
        # (Stepped back in place: slicing a large table's text per problem would cost its size.)
        text = self._split.front_matter
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        line, column = self._position_of(start)
        end_line, end_column = self._position_of(end)
        return Span(line, column, end_line, end_column)

    def _opening_span(self) -> Span:
        fence = self._split.opening.rstrip("\r\n")
        return Span(1, 1, 1, 1 + len(fence))

    def _diagnostic(self, keys: KeyPath, code: str, message: str, kind: str) -> Diagnostic:
        span = self.locate(keys)
        path = None if self.path is None else str(self.path)
        return Diagnostic(
            path,
            span.line,
            span.column,
            code,
            message,
            keys=keys,
            end_line=span.end_line,
            end_column=span.end_column,
            type=kind,
        )

    def _position_of(self, fm_offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = LineIndex(self._split.join()[len(self._split.bom) :])
        return self._lines.position(self._split.front_matter_offset + fm_offset)

    # -- writing ------------------------------------------------------------------------------

    def dumps(self) -> str:
        """The file's text with the current data and body; verified before it is returned."""
        text, patches = self._render()
        if not self._unedited(text, patches):
            self._verify(text, patches=patches)
        return text

    def _unedited(self, text: str, patches: list[Patch] | None) -> bool:
        """Whether the output is the loaded text with nothing asked of the editor, so there is
        nothing to verify. Patches that leave the text as it was mean an edit the editor did
        not write: the re-read refuses it rather than return the old text as if it held it."""
        return text == self.original_text and not patches

    def to_bytes(self) -> bytes:
        """``dumps()`` as UTF-8 (a lone surrogate is an UnrepresentableValueError)."""
        return _text.encode(self.dumps(), self.path)

    @property
    def raw_digest(self) -> str | None:
        """Digest of the bytes the document's own file held when last read or written."""
        return None if self.source is None else self.source.digest

    def _owns(self, target: Path) -> bool:
        """Whether ``target`` names the document's own file, however it is spelled: the same
        file now (device and inode; hard links and symlinks included), or the same resolved
        path (the file may have been replaced or removed since)."""
        if self._abspath is None:
            return False
        source = self.source
        if source is not None and source.inode is not None:
            try:
                if source.is_file(os.stat(target)):
                    return True
            except (OSError, ValueError):
                pass
        return self._same_path(target)

    def _same_path(self, target: Path) -> bool:
        assert self._abspath is not None
        try:
            return os.path.realpath(target) == os.path.realpath(self._abspath)
        except (OSError, ValueError):
            return False

    def _render(self) -> tuple[str, list[Patch] | None]:
        """The output text, and the patches that made its front matter from the loaded one
        (None when it was written anew)."""
        self._check_writable()
        try:
            return self._render_unchecked()
        except (UnrepresentableValueError, RoundTripError) as exc:
            # The format names the key path (a value it cannot hold, entries it cannot move);
            # the document adds the file.
            raise exc.with_path(self.path) from None
        except Located as exc:  # a format's refusal at a place in the front matter
            raise _positioned(exc, self._split, self.path) from None
        except OverlappingPatches as exc:
            raise RoundTripError(
                f"refusing to write: the engine could not place these edits ({exc})",
                path=self.path,
            ) from None

    def _render_unchecked(self) -> tuple[str, list[Patch] | None]:
        split, fmt = self._split, self._format
        if not split.has_front_matter:
            if not self.data:
                return split.bom + self.body, None
            nl = split.newline
            fence = fmt.fence + nl if fmt.fence else ""  # JSON: a bare object, no fence lines
            return split.bom + fence + fmt.render(self.data, nl) + fence + self.body, None
        patches = fmt.patches(split.front_matter, self._parsed, self.data, split.newline)
        if patches:
            self._refuse_lone_cr()
        front_matter = apply(split.front_matter, patches) if patches else split.front_matter
        closing = split.closing
        if not closing.endswith("\n") and (
            (self.body and not split.body) or self.body.startswith(("\n", "\r\n"))
        ):
            # Front matter at the end of the file gains a body: it needs a line break first. A
            # bare JSON object may have its body on the same line (kept), but the split takes
            # the line break right after `}` as the closing, so a body that starts with one
            # needs another before it.
            closing += split.newline
        return split.bom + split.opening + front_matter + closing + self.body, patches

    def _check_writable(self) -> None:
        """Refuse data no file can hold (see :func:`engine.tree.find_unwritable`) before
        anything walks it: a self-reference, nesting past ``max_depth``, an unknown type; and
        ``data`` or ``body`` replaced by something no file is made of (a list, ``None``)."""
        if not isinstance(self.data, dict):
            raise UnrepresentableValueError(
                "<root>: the front matter must be a dict (keys and their values), not "
                f"{type(self.data).__name__}; nothing was written",
                path=self.path,
                hint="assign a dict to doc.data (an empty one for no keys)",
            )
        if not isinstance(self.body, str):
            raise UnrepresentableValueError(
                f"the body must be text (str), not {type(self.body).__name__}; nothing was written",
                path=self.path,
                hint='assign a str to doc.body ("" for none)',
            )
        limits = self._limits
        found = find_unwritable(
            self.data,
            max_depth=limits.max_depth,
            max_nodes=limits.max_nodes,
            # Types are each format's to refuse (with its own words): here only what no format
            # can write — self-reference, depth, size, ints too long to print.
            scalar_types=(object,),
            key_types=(object,),
        )
        if found is not None:
            where, problem = found
            raise UnrepresentableValueError(
                f"{keypath.format(where) or '<root>'}: {problem}; nothing was written",
                path=self.path,
            )

    def _refuse_lone_cr(self) -> None:
        """YAML reads a lone CR as a line break; the editor finds lines by LF. Refuse to edit
        such front matter rather than misplace an edit (loading and identity are unaffected)."""
        found = _LONE_CR.search(self._split.front_matter)
        if found is not None:
            line, column = self._position_of(found.start())
            raise RoundTripError(
                "refusing to edit: the front matter has a line break made of a lone CR (old Mac "
                "style); convert its line breaks to LF or CRLF first",
                path=self.path,
                line=line,
                column=column,
            )

    def _verify(
        self,
        text: str,
        *,
        tree: bool = False,
        expect: _Expected | None = None,
        patches: list[Patch] | None = None,
    ) -> tuple[Split, Parsed | None]:
        """Raise RoundTripError unless ``text`` reads back as this document's data and body
        (``expect``: as that format, data in that key order, and body; a conversion).

        The re-read builds plain data only; ``tree=True`` parses the node tree instead (and
        returns it), for a caller that adopts the text afterwards. ``patches``: those that
        made ``text``'s front matter from the loaded one; when the format can re-read just
        the parts they touch and that reads as the data, the text is accepted without a full
        re-read (anything else, errors included, goes the full way).
        """
        wanted = expect or _Expected(self._format, self.data, self.body, ordered=False)
        if patches and not tree and expect is None and self._reads_patched(text, patches):
            return self._split, None
        parsed: Parsed | None = None
        try:
            if tree:
                split, fmt, parsed = _parse(text, self.path, self._limits)
                reread = parsed.to_data()
            else:
                split, fmt, reread = _read_back(text, self.path, self._limits)
        except FrontMatterError as exc:
            self._refuse_unwritable(expect)
            raise RoundTripError(
                f"refusing to write: the output would not parse ({exc.message})",
                path=self.path,
                line=exc.line,
                column=exc.column,
            ) from exc
        if fmt.name != wanted.format.name:
            raise RoundTripError(
                f"refusing to write: the output would read as {fmt.name} front matter, not "
                f"{wanted.format.name}",
                path=self.path,
            )
        # Formats whose editor writes the data's key order are held to it (issue 12), and so is
        # a conversion; TOML writes a table's keys where TOML must, and says which orders
        # those are (KeyOrder): any other is refused as well.
        misordered = None if wanted.ordered else _key_order(wanted.format)
        same = same_in_order if misordered is None else same_value
        matches = same(reread, wanted.data)
        if matches and misordered is not None:
            where = misordered(split.front_matter, reread, wanted.data, self._limits, parsed)
        else:
            where = None
        if where is not None:
            at = self.locate(where)  # the misordered table as loaded, or its nearest part
            raise RoundTripError(
                "refusing to write: the output would re-parse with its keys in another order",
                path=self.path,
                line=at.line,
                column=at.column,
            )
        if not matches:
            self._refuse_unwritable(expect)
            where = first_difference(reread, wanted.data) or ()
            # Anchors and aliases are YAML's: in TOML or JSON only the engine can be at fault.
            cause = (
                "an edited anchor with aliases, or a value the engine cannot write faithfully"
                if wanted.format.name == "yaml"
                else "a value the engine cannot write faithfully in " + wanted.format.name.upper()
            )
            at = self.locate(where)  # the key as loaded, or the nearest part the file has
            raise RoundTripError(
                "refusing to write: the output would re-parse to different data at "
                f"{keypath.format(where) or '<root>'} ({cause})"
                if not same_value(reread, wanted.data)
                else "refusing to write: the output would re-parse with its keys in another order",
                path=self.path,
                line=at.line,
                column=at.column,
            )
        if split.body != wanted.body:
            raise RoundTripError(
                "refusing to write: the body would not read back unchanged", path=self.path
            )
        return split, parsed

    def _reads_patched(self, text: str, patches: list[Patch]) -> bool:
        """Whether ``text`` (the loaded text with ``patches`` in its front matter) is known to
        read back as the data and body, from the touched parts of its front matter alone."""
        reads_patched_as = getattr(self._format, "reads_patched_as", None)
        # the touched-parts answer compares keys in order: for the formats held to the data's
        # order (_verify), the same question the full re-read answers
        if reads_patched_as is None or _key_order(self._format) is not None:
            return False
        old, limits = self._split, self._limits
        front_matter = apply(old.front_matter, patches)
        # The text must split as the loaded one did, with the patched front matter and the
        # current body (splits_as: one search, as split makes, without cutting the parts
        # again). What split would refuse goes the full way, which refuses it in its own
        # words: a NUL the patches or a new body bring (the rest was split when loaded), a
        # size over the limits.
        if (
            len(text) > limits.max_file_bytes
            or len(front_matter) > limits.max_front_matter_chars
            or any("\x00" in patch.text for patch in patches)
            or (self.body is not old.body and "\x00" in self.body)
            or not _text.splits_as(text, old, front_matter, self.body)
        ):
            return False
        return bool(
            reads_patched_as(
                old.front_matter, self._parsed, patches, front_matter, limits, self.data
            )
        )

    def convert(
        self,
        to: str,
        *,
        fence: str = "hugo",
        dates_as_strings: bool = False,
        indent: str | int = "  ",
    ) -> Conversion:
        """Rewrite the front matter in another format (``"yaml"``, ``"toml"``, ``"json"``).

        The whole front matter (the current data, edits included) is written anew by the
        target's renderer, keys in order, between the ``fence`` style's delimiters (``"hugo"``:
        ``---``, ``+++``, a bare JSON object; ``"eleventy"``: ``---``, ``---toml``, ``---json``);
        BOM, newline style and body stay. Comments go over where the target holds them; the
        returned :class:`~frontmatter_qt.conversion.Conversion` lists those that did not
        (``dropped``). ``indent``: one level of new JSON (spaces or a tab, or a number of
        spaces). A file already in the target format keeps its text (only its delimiters
        change, if the style asks for others).

        The new text is read back (type-exact, key order included) before the document takes it
        as its own; ``dumps()``/``dump()`` then write it. A value the target cannot hold raises
        ``UnrepresentableValueError`` at its position, and nothing changes: None and non-string
        keys in TOML, dates in JSON (``dates_as_strings=True`` writes those as ISO 8601 text),
        times of day in YAML.
        """
        from frontmatter_qt import conversion

        # What no format can write (self-reference, depth, long ints) is refused before the
        # converter walks the data, as before any dumps.
        self._check_writable()
        plan = conversion.plan(
            self,
            self._split,
            self._parsed,
            self._format,
            to,
            fence=fence,
            dates_as_strings=dates_as_strings,
            indent=indent,
        )
        if plan.text is None:
            if not self._split.has_front_matter:  # new front matter: in the target format
                self._split = dataclasses.replace(self._split, format=plan.format.name)
                self._format = plan.format
            return plan.conversion
        expect = _Expected(plan.format, plan.data, plan.body, ordered=True)
        result = plan.conversion
        try:
            split, parsed = self._verify(plan.text, tree=True, expect=expect)
        except RoundTripError:
            if plan.uncommented is None:
                raise
            # Placing the comments broke the text (a bug, never seen in the tests): the
            # conversion without them, every one reported as dropped.
            split, parsed = self._verify(plan.uncommented, tree=True, expect=expect)
            dropped = sorted([*result.dropped, *plan.carried], key=Diagnostic.sort_key)
            result = dataclasses.replace(result, dropped=tuple(dropped))
        assert parsed is not None
        self._split, self._parsed, self._lines = split, parsed, None
        self._format = formats.of(split, path=self.path)
        if result.source != result.target:  # else only the delimiters moved: edits stay live
            self.data = plan.data
        return result

    def _refuse_unwritable(self, conversion: _Expected | None = None) -> None:
        """When the output does not read back: blame a value no file can hold (a lone
        surrogate, which YAML cannot escape), at the value's (or key's) loaded position, if
        there is one; worded as the other refusals of a ``conversion`` are."""
        found = _first_lone_surrogate(self.data)
        if found is not None:
            at, key, surrogate = found
            place = self.position(*at) if key is None else self.key_position(*at, key)
            line, column = place or (None, None)
            what = "value" if key is None else "key"
            prefix = (
                ""
                if conversion is None
                else f"cannot convert to {conversion.format.name.upper()}: "
            )
            raise UnrepresentableValueError(
                f"{prefix}{keypath.format(at) or '<root>'}: a lone surrogate "
                f"(U+{ord(surrogate):04X}) in a {what} cannot be written as UTF-8",
                path=self.path,
                line=line,
                column=column,
                hint="a lone surrogate is half of a character: write the whole character (its "
                "pair), or remove it",
            )

    def _verified_for_writing(self) -> tuple[str, tuple[Split, Parsed | None] | None]:
        """The output text, and its parse when it differs from the original (else None)."""
        text, patches = self._render()
        if self._unedited(text, patches):
            return text, None
        return text, self._verify(text, tree=True)

    def _adopt(
        self,
        text: str,
        verified: tuple[Split, Parsed | None] | None,
        target: Path,
        written: FileState,
    ) -> None:
        """After a write: the written text becomes the new original (data objects kept); when
        it went to the document's own path, what that file holds now is its new ``source``."""
        if verified is not None and verified[1] is not None:
            self._split, self._parsed = verified[0], verified[1]
            self._lines = None
        elif text != self.original_text:
            self._split, _, self._parsed = _parse(text, self.path, self._limits)
            self._lines = None
        if self._abspath is not None and self._same_path(target):
            self.source = written


def loads(
    text: str | bytes,
    *,
    path: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    pure: bool = False,
    strict: bool = False,
) -> Document:
    """Parse an article from text or bytes (UTF-8, optional BOM).

    ``strict=True`` makes ``doc.article`` validate without coercion; ``pure=True`` parses YAML
    with ruamel.yaml's pure-Python parser instead of libyaml.
    """
    source = None
    if isinstance(text, bytes):
        _files.refuse_oversized(len(text), limits.max_file_bytes, path)
        source = FileState.of(text)
        text = _text.decode(text, path)
    split, fmt, parsed = _parse(text, path, limits, pure)
    return Document(
        split,
        parsed,
        parsed.to_data(),
        fmt=fmt,
        path=path,
        limits=limits,
        source=source,
        strict=strict,
    )


def _key_order(fmt: Format) -> Callable[..., KeyPath | None] | None:
    """The format's ``misordered`` (:class:`~frontmatter_qt.formats.base.KeyOrder`), or None
    for a format held to the data's key order exactly."""
    found: Callable[..., KeyPath | None] | None = getattr(fmt, "misordered", None)
    return found


def _parse(
    text: str, path: str | Path | None, limits: Limits, pure: bool = False
) -> tuple[Split, Format, Parsed]:
    """Split a decoded text and parse its front matter (limits checked on the way)."""
    split = _split_within_limits(text, path, limits)
    fmt = formats.of(split, pure=pure, path=path)
    try:
        return split, fmt, fmt.parse(split.front_matter, limits)
    except Located as exc:
        raise _positioned(exc, split, path) from None


def _read_back(
    text: str, path: str | Path | None, limits: Limits
) -> tuple[Split, Format, dict[Key, Any]]:
    """Split a text and read its front matter as plain data (the verification re-read)."""
    split = _split_within_limits(text, path, limits)
    fmt = formats.of(split, path=path)
    try:
        return split, fmt, fmt.read(split.front_matter, limits)
    except Located as exc:
        raise _positioned(exc, split, path) from None


def _split_within_limits(text: str, path: str | Path | None, limits: Limits) -> Split:
    _files.refuse_oversized(len(text), limits.max_file_bytes, path)
    split = formats.split(text, path)
    if len(split.front_matter) > limits.max_front_matter_chars:
        raise SizeLimitError(
            f"front matter is {len(split.front_matter)} characters, over the limit of "
            f"{limits.max_front_matter_chars}",
            path=path,
            line=2,
            column=1,
        )
    return split


def _first_lone_surrogate(data: Any) -> tuple[KeyPath, str | None, str] | None:
    """The first key or value holding a lone surrogate (no UTF-8 file can hold one): the key
    path of its value or of the mapping that has the key, the key (None for a value), and the
    surrogate; None if there is none."""
    stack: list[tuple[KeyPath, Any]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key in value:
                found = LONE_SURROGATE.search(key) if isinstance(key, str) else None
                if found is not None:
                    return where, key, found.group()
            stack.extend(((*where, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*where, i), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str) and (found := LONE_SURROGATE.search(value)) is not None:
            return where, None, found.group()
    return None


def _keys(key_or_path: Any) -> KeyPath:
    """A tuple is a path; anything else one key."""
    return key_or_path if isinstance(key_or_path, tuple) else (key_or_path,)


def _is_model(value: Any) -> bool:
    """A pydantic model instance (without importing pydantic: if it is not loaded, no value is
    a model)."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, pydantic.BaseModel)


def _is_container(data: Any, keys: KeyPath) -> bool:
    try:
        return isinstance(keypath.get(data, keys), (dict, list))
    except FrontMatterError:
        return True


def validate(
    source: Document | str | os.PathLike[str], model: type[BaseModel], *, strict: bool = False
) -> list[Diagnostic]:
    """Every reason ``source`` (a document, or a file to load) does not fit ``model``, as
    positioned diagnostics; ``[]`` when it fits. Never raises for a problem of the file: one
    that cannot be read or parsed is returned as its diagnostic, and so is whatever else a
    validator of the model raises on its data (``E999``; pydantic turns only ``ValueError``
    and ``AssertionError`` into validation errors). ``doc.model`` and ``doc.problems`` let
    such an exception through, as pydantic does: it is the model's code failing."""
    if not isinstance(source, Document):
        path = os.fspath(source)
        try:
            source = load(path)
        except (FrontMatterError, OSError) as exc:
            return of_error(exc, path)
    try:
        return source.problems(model, strict=strict)
    except Exception as exc:
        return of_error(exc, source.path)


def _positioned(exc: Located, split: Split, path: str | Path | None) -> FrontMatterError:
    line, column = _locate(split, exc.offset)
    message = exc.message_with_lines(lambda offset: _locate(split, offset)[0])
    return exc.error_type(message, path=path, line=line, column=column, hint=exc.hint)


def _locate(split: Split, fm_offset: int) -> tuple[int, int]:
    text = split.opening + split.front_matter
    return LineIndex(text).position(split.front_matter_offset + fm_offset)


def load(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, pure: bool = False, strict: bool = False
) -> Document:
    """Read and parse an article file.

    Only a regular file is read (symlinks followed), and only if it is within
    ``limits.max_file_bytes``: both are checked before reading (``NotARegularFileError``,
    ``SizeLimitError``). An OS refusal is a ``ReadError`` (``MissingFileError``,
    ``ReadPermissionError``), which is also the matching ``OSError``.
    """
    raw, state = _files.read_file(path, limits.max_file_bytes)
    doc = loads(raw, path=path, limits=limits, pure=pure, strict=strict)
    doc.source = state  # with the file's identity, which loads() cannot know
    return doc


def dumps(doc: Document) -> str:
    return doc.dumps()


def dump(
    doc: Document,
    path: str | Path | None = None,
    *,
    check_unchanged: bool = False,
    respect_read_only: bool = False,
) -> bool:
    """Write ``doc`` atomically to ``path`` (default: where it was loaded from).

    Returns False, and writes nothing, when the file already holds exactly these bytes.

    ``check_unchanged`` guards the document's own file (the one it was loaded from), however
    ``path`` spells it (relative or absolute, through a symlink or a hard link): it is written
    only if it still holds exactly the bytes the document last read from it or wrote to it,
    else ``ConcurrentModificationError``. The check and the replacement are one step for this
    library's writers (see docs/architecture.md). Writing to another file (a copy) is not
    checked, and does not change what the document expects of its own file.

    A file this process may not write is refused (``WriteError``); ``respect_read_only`` also
    refuses, for root, a file without its write bit. A target that is not a regular file (a
    directory, a FIFO, a device), a symlink loop or a missing directory is a ``WriteError``; a
    value no UTF-8 can hold (a lone surrogate) an ``UnrepresentableValueError``. Nothing is
    written then.
    """
    target = Path(path) if path is not None else doc.path
    if target is None:
        raise FrontMatterError("no path to write to: pass one, or load the document from a file")
    text, parsed = doc._verified_for_writing()
    data = _text.encode(text, target)
    try:  # at most one byte more than the new text, and only from a regular file
        current, state = _files.read_file(target, len(data))
    except (ReadError, SizeLimitError):
        current = None
    if current == data:  # nothing to write; the file as it is becomes what is expected of it
        doc._adopt(text, parsed, target, state)
        return False
    expect = doc.source if check_unchanged and doc._owns(target) else None
    written = _atomic.write_atomic(target, data, expect=expect, respect_read_only=respect_read_only)
    doc._adopt(text, parsed, target, written)
    return True
