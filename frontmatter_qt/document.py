"""The Document: original text + node tree + live data; load, edit, and write back losslessly."""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from frontmatter_qt import formats
from frontmatter_qt.engine import atomic as _atomic
from frontmatter_qt.engine import text as _text
from frontmatter_qt.engine.equality import first_difference, same_value
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.engine.patch import OverlappingPatches, apply
from frontmatter_qt.engine.text import LineIndex, Split
from frontmatter_qt.engine.tree import copy_tree, find_unwritable, format_path
from frontmatter_qt.errors import (
    FrontMatterError,
    RoundTripError,
    SizeLimitError,
    UnrepresentableValueError,
)
from frontmatter_qt.formats.base import Format, Parsed
from frontmatter_qt.formats.yaml.render import SCALAR_TYPES
from frontmatter_qt.models import Article, article_of, write_article

Key = Any
DEFAULT_LIMITS = Limits()
_LONE_CR = re.compile(r"\r(?!\n)")


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
        raw_digest: str | None = None,
        strict: bool = False,
    ) -> None:
        self._split = split
        self._parsed = parsed
        self._format = fmt
        self._lines: LineIndex | None = None
        self._limits = limits
        self.raw_digest = raw_digest
        self.data = data
        self.body = split.body
        self.path = Path(path) if path is not None else None
        self.strict = strict
        self._article_cache: tuple[bool, dict[Key, Any], Article] | None = None

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
        """``doc.update(article)`` writes a model back; otherwise ``dict.update`` semantics."""
        if isinstance(other, Article):
            self.article = other
            return
        self.data.update(other, **kwargs)

    # -- typed view ---------------------------------------------------------------------------

    @property
    def article(self) -> Article:
        """The front matter validated as an ``Article`` (lax, or strict if loaded strict=True).

        Validation is cached until the data changes; each access returns a fresh copy, so an
        article changed but never written back does not leak into the next access.
        """
        return self._validated(self.strict)

    @article.setter
    def article(self, article: Article) -> None:
        write_article(self, article)
        self._article_cache = None

    @property
    def article_strict(self) -> Article:
        """The front matter validated strictly (no coercion: ``id: "97068"`` is refused)."""
        return self._validated(True)

    def _validated(self, strict: bool) -> Article:
        cached = self._article_cache
        if cached is not None and cached[0] == strict and same_value(cached[1], self.data):
            return cached[2].model_copy(deep=True)
        article = article_of(self, strict=strict)
        self._article_cache = (strict, copy_tree(self.data), article)
        return article.model_copy(deep=True)

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

    def _position_of(self, fm_offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = LineIndex(self._split.join()[len(self._split.bom) :])
        return self._lines.position(self._split.front_matter_offset + fm_offset)

    # -- writing ------------------------------------------------------------------------------

    def dumps(self) -> str:
        """The file's text with the current data and body; verified before it is returned."""
        text = self._render()
        if text != self.original_text:
            self._verify(text)
        return text

    def to_bytes(self) -> bytes:
        return self.dumps().encode("utf-8")

    def _render(self) -> str:
        self._check_writable()
        try:
            return self._render_unchecked()
        except UnrepresentableValueError as exc:  # pragma: no cover - the check above sees it
            raise exc.with_path(self.path) from None
        except OverlappingPatches as exc:
            raise RoundTripError(
                f"refusing to write: the engine could not place these edits ({exc})",
                path=self.path,
            ) from None

    def _render_unchecked(self) -> str:
        split, fmt = self._split, self._format
        if not split.has_front_matter:
            if not self.data:
                return split.bom + self.body
            nl = split.newline
            fence = fmt.fence + nl
            return split.bom + fence + fmt.render(self.data, nl) + fence + self.body
        patches = fmt.patches(split.front_matter, self._parsed, self.data, split.newline)
        if patches:
            self._refuse_lone_cr()
        front_matter = apply(split.front_matter, patches) if patches else split.front_matter
        closing = split.closing
        if self.body and not closing.endswith("\n"):
            closing += split.newline
        return split.bom + split.opening + front_matter + closing + self.body

    def _check_writable(self) -> None:
        """Refuse data no file can hold (see :func:`engine.tree.find_unwritable`) before
        anything walks it: a self-reference, nesting past ``max_depth``, an unknown type."""
        limits = self._limits
        found = find_unwritable(
            self.data,
            max_depth=limits.max_depth,
            max_nodes=limits.max_nodes,
            scalar_types=SCALAR_TYPES,
            key_types=SCALAR_TYPES,
        )
        if found is not None:
            where, problem = found
            raise UnrepresentableValueError(
                f"{format_path(where)}: {problem}; nothing was written",
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

    def _verify(self, text: str, *, tree: bool = False) -> tuple[Split, Parsed | None]:
        """Raise RoundTripError unless ``text`` reads back as this document's data and body.

        The re-read builds plain data only; ``tree=True`` parses the node tree instead (and
        returns it), for a caller that adopts the text afterwards.
        """
        parsed: Parsed | None = None
        try:
            if tree:
                split, fmt, parsed = _parse(text, self.path, self._limits)
                reread = parsed.to_data()
            else:
                split, fmt, reread = _read_back(text, self.path, self._limits)
        except FrontMatterError as exc:
            raise RoundTripError(
                f"refusing to write: the output would not parse ({exc.message})",
                path=self.path,
                line=exc.line,
                column=exc.column,
            ) from exc
        if fmt.name != self._format.name:
            raise RoundTripError(
                f"refusing to write: the output would read as {fmt.name} front matter, not "
                f"{self._format.name}",
                path=self.path,
            )
        if not same_value(reread, self.data):
            where = first_difference(reread, self.data) or ()
            raise RoundTripError(
                "refusing to write: the output would re-parse to different data at "
                f"{format_path(where)} (an edited anchor with aliases, "
                "or a value the engine cannot write faithfully)",
                path=self.path,
            )
        if split.body != self.body:
            raise RoundTripError(
                "refusing to write: the body would not read back unchanged", path=self.path
            )
        return split, parsed

    def _verified_for_writing(self) -> tuple[str, tuple[Split, Parsed | None] | None]:
        """The output text, and its parse when it differs from the original (else None)."""
        text = self._render()
        if text == self.original_text:
            return text, None
        return text, self._verify(text, tree=True)

    def _adopt(self, text: str, verified: tuple[Split, Parsed | None] | None) -> None:
        """After a write: the written text becomes the new original (data objects kept)."""
        if verified is not None and verified[1] is not None:
            self._split, self._parsed = verified[0], verified[1]
            self._lines = None
        elif text != self.original_text:
            self._split, _, self._parsed = _parse(text, self.path, self._limits)
            self._lines = None
        self.raw_digest = _atomic.digest(text.encode("utf-8"))


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
    digest = None
    if isinstance(text, bytes):
        _check_size(len(text), limits, path)
        digest = _atomic.digest(text)
        text = _text.decode(text, path)
    split, fmt, parsed = _parse(text, path, limits, pure)
    return Document(
        split,
        parsed,
        parsed.to_data(),
        fmt=fmt,
        path=path,
        limits=limits,
        raw_digest=digest,
        strict=strict,
    )


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
    _check_size(len(text), limits, path)
    split = _text.split(text, path)
    if len(split.front_matter) > limits.max_front_matter_chars:
        raise SizeLimitError(
            f"front matter is {len(split.front_matter)} characters, over the limit of "
            f"{limits.max_front_matter_chars}",
            path=path,
            line=2,
            column=1,
        )
    return split


def _check_size(size: int, limits: Limits, path: str | Path | None) -> None:
    if size > limits.max_file_bytes:
        raise SizeLimitError(
            f"file is {size} bytes, over the limit of {limits.max_file_bytes}", path=path
        )


def _positioned(exc: Located, split: Split, path: str | Path | None) -> FrontMatterError:
    line, column = _locate(split, exc.offset)
    return exc.error_type(exc.message, path=path, line=line, column=column)


def _locate(split: Split, fm_offset: int) -> tuple[int, int]:
    text = split.opening + split.front_matter
    return LineIndex(text).position(split.front_matter_offset + fm_offset)


def load(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, pure: bool = False, strict: bool = False
) -> Document:
    """Read and parse an article file."""
    raw = Path(path).read_bytes()
    return loads(raw, path=path, limits=limits, pure=pure, strict=strict)


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

    Returns False, and writes nothing, when the file already holds exactly these bytes. With
    ``check_unchanged``, a file that changed on disk since it was loaded is not overwritten.
    A file this process may not write is refused (``WriteError``); ``respect_read_only`` also
    refuses, for root, a file without its write bit.
    """
    target = Path(path) if path is not None else doc.path
    if target is None:
        raise FrontMatterError("no path to write to: pass one, or load the document from a file")
    text, parsed = doc._verified_for_writing()
    data = text.encode("utf-8")
    if target.exists() and target.read_bytes() == data:
        return False
    expect = doc.raw_digest if check_unchanged and target == doc.path else None
    _atomic.write_atomic(target, data, expect_digest=expect, respect_read_only=respect_read_only)
    doc._adopt(text, parsed)
    return True
