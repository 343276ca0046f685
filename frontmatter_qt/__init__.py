"""frontmatter_qt: lossless, typed editing of YAML front matter in Markdown article files."""

from __future__ import annotations

from frontmatter_qt import errors
from frontmatter_qt.bulk import FileResult, Report, edit_files, find_files, iter_edit_files
from frontmatter_qt.document import Document, dump, dumps, load, loads
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.fixes import (
    Change,
    fix_encoding,
    fix_escaped_newlines,
    format_date,
    normalize_dates,
    parse_date,
    repair_mojibake,
)
from frontmatter_qt.lint import RULES, Finding, lint
from frontmatter_qt.models import Article, RelatedArticle, Seo

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Article",
    "Change",
    "Document",
    "FileResult",
    "Finding",
    "Limits",
    "RelatedArticle",
    "Report",
    "Seo",
    "__version__",
    "dump",
    "dumps",
    "edit_files",
    "errors",
    "find_files",
    "fix_encoding",
    "fix_escaped_newlines",
    "format_date",
    "iter_edit_files",
    "lint",
    "load",
    "loads",
    "normalize_dates",
    "parse_date",
    "repair_mojibake",
]
