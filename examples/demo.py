"""`make demo`: load the bundled example articles, edit them in memory, print the diffs.

Nothing is written: the diffs show exactly which lines an edit touches (and that nothing else
moves: indentation, folded blocks, comments, CRLF line endings all stay as they were).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import frontmatter_qt as fq

ARTICLES = Path(__file__).resolve().parent / "articles"


def show_diff(path: Path, before: str, after: str) -> None:
    diff = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path.name}",
        tofile=f"b/{path.name}",
    )
    sys.stdout.writelines(line.replace("\r\n", "\n") for line in diff)


def main() -> int:
    for path in sorted(ARTICLES.glob("*.md")):
        doc = fq.load(path)
        before = doc.original_text
        doc["seo"]["title"] = f"QuickTakes | {doc['subject']} (reviewed)"
        doc["related_article1"]["subject"] = "Oncology"
        doc["score"] = 4.5
        print(f"== {path.name}: {len(doc)} keys, newline {doc.newline!r}")
        show_diff(path, before, doc.dumps())
    return 0


if __name__ == "__main__":
    sys.exit(main())
