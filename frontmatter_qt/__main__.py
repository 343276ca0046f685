"""``python -m frontmatter_qt``: the ``frontmatter-qt`` command."""

from __future__ import annotations

from frontmatter_qt.cli import main

if __name__ == "__main__":
    main(prog_name="frontmatter-qt")
