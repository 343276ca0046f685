"""frontmatter_qt: lossless, typed editing of the front matter of Markdown files.

The engine (load, edit, write back byte for byte) is imported at once; everything above it
(bulk runs, pydantic models, lint rules, repairs with ftfy and arrow, the QuickTakes plug-in) is
imported on first use of one of its names, so ``import frontmatter_qt`` stays light (a test in
tests/test_startup.py names what it must not import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontmatter_qt import errors
from frontmatter_qt._lazy import lazy_names
from frontmatter_qt.diagnostics import Diagnostic, Problem
from frontmatter_qt.document import Document, dump, dumps, load, loads, validate
from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.keypath import KeyPath

# Not lazy: importing the module frontmatter_qt.lint (the command does) would set this package's
# attribute ``lint`` to that module, hiding the function of the same name.
from frontmatter_qt.lint import lint

if TYPE_CHECKING:
    from frontmatter_qt.bulk import (
        FileResult,
        Report,
        WriteMode,
        edit_files,
        find_files,
        iter_edit_files,
    )
    from frontmatter_qt.conversion import Conversion, ConvertTo
    from frontmatter_qt.fixes import (
        Change,
        FixSettings,
        fix_encoding,
        fix_escaped_newlines,
        format_date,
        normalize_dates,
        parse_date,
        repair_mojibake,
    )
    from frontmatter_qt.lint import Finding, Rule, RuleSet
    from frontmatter_qt.plugins import Plugin
    from frontmatter_qt.quicktakes import RULES, Article, RelatedArticle, Seo

__version__ = "0.1.0"

# name -> module that defines it, imported on first access (module-level __getattr__, PEP 562).
_LAZY = {
    **dict.fromkeys(
        ["FileResult", "Report", "WriteMode", "edit_files", "find_files", "iter_edit_files"],
        "frontmatter_qt.bulk",
    ),
    **dict.fromkeys(["Conversion", "ConvertTo"], "frontmatter_qt.conversion"),
    **dict.fromkeys(
        [
            "Change",
            "FixSettings",
            "fix_encoding",
            "fix_escaped_newlines",
            "format_date",
            "normalize_dates",
            "parse_date",
            "repair_mojibake",
        ],
        "frontmatter_qt.fixes",
    ),
    **dict.fromkeys(["Finding", "Rule", "RuleSet"], "frontmatter_qt.lint"),
    "Plugin": "frontmatter_qt.plugins",
    **dict.fromkeys(["RULES", "Article", "RelatedArticle", "Seo"], "frontmatter_qt.quicktakes"),
}


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "RULES",
    "Article",
    "Change",
    "Conversion",
    "ConvertTo",
    "Diagnostic",
    "Document",
    "FileResult",
    "Finding",
    "FixSettings",
    "KeyPath",
    "Limits",
    "Plugin",
    "Problem",
    "RelatedArticle",
    "Report",
    "Rule",
    "RuleSet",
    "Seo",
    "WriteMode",
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
    "validate",
]
