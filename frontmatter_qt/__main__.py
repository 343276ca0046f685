"""``python -m frontmatter_qt``: the ``frontmatter-qt`` command."""

from __future__ import annotations

from frontmatter_qt.cli import run

if __name__ == "__main__":
    run()
