"""An error found at an offset of the front matter, before its file position is known."""

from __future__ import annotations

from frontmatter_qt.errors import FrontMatterError


class Located(Exception):
    """Internal: an error message (and a hint on how to fix it) with an offset into the front
    matter, positioned later."""

    def __init__(
        self,
        error_type: type[FrontMatterError],
        message: str,
        offset: int,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.offset = offset
        self.hint = hint
