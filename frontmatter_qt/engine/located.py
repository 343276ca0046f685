"""An error found at an offset of the front matter, before its file position is known."""

from __future__ import annotations

from collections.abc import Callable

from frontmatter_qt.errors import FrontMatterError


class Located(Exception):
    """Internal: an error message (and a hint on how to fix it) with an offset into the front
    matter, positioned later. ``first``: for what is written twice (a duplicate key, a table
    defined twice), the offset of the first place, whose line the positioned message names."""

    def __init__(
        self,
        error_type: type[FrontMatterError],
        message: str,
        offset: int,
        hint: str | None = None,
        *,
        first: int | None = None,
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.offset = offset
        self.hint = hint
        self.first = first

    def message_with_lines(self, line_of: Callable[[int], int]) -> str:
        """The message, ending with the line of ``first`` when there is one (``line_of``: the
        file line of a front-matter offset, which only the caller knows: the front matter
        starts on the first line of a bare JSON object, on the second after a fence)."""
        if self.first is None:
            return self.message
        return f"{self.message} (first on line {line_of(self.first)})"
