"""The QuickTakes plug-in: the article model, its lint rules and its repair settings.

Selected with ``model = "quicktakes"`` in ``[tool.frontmatter-qt]`` (or ``--model quicktakes``).
The engine below knows none of it; ``doc.article`` is a shortcut for ``doc.model(Article)``.
"""

from __future__ import annotations

from frontmatter_qt.fixes import FixSettings
from frontmatter_qt.plugins import Plugin
from frontmatter_qt.quicktakes.models import Article, RelatedArticle, Seo
from frontmatter_qt.quicktakes.rules import RELATED_KEY_RE, RULES, related_number, slugify

__all__ = [
    "FIXES",
    "PLUGIN",
    "RELATED_KEY_RE",
    "RULES",
    "Article",
    "RelatedArticle",
    "Seo",
    "related_number",
    "slugify",
]

#: The fields QuickTakes repairs work on: escaped newlines in the Markdown ``answer``, the
#: ``date``, and the article's own ``date_format`` (validated before dates are rewritten).
FIXES = FixSettings(
    newline_fields=(("answer",),),
    date_fields=(("date",),),
    date_format_field=("date_format",),
)

PLUGIN = Plugin(name="quicktakes", model=Article, rules=RULES, fixes=FIXES)
