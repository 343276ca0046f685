"""frontmatter_qt: lossless, typed editing of YAML front matter in Markdown article files."""

from __future__ import annotations

from frontmatter_qt import errors
from frontmatter_qt._nodes import Limits
from frontmatter_qt.document import Document, dump, dumps, load, loads

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Limits",
    "__version__",
    "dump",
    "dumps",
    "errors",
    "load",
    "loads",
]
