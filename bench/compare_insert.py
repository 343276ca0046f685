"""Insert at a position: frontmatter_qt against ruamel.yaml's round trip (issue 12).

    .venv/bin/python bench/compare_insert.py [FILE]

Inserts ``updated: 2025-01-02`` right after ``date:`` in FILE (default: the seed article) and
prints how many of the file's lines each writer removes and adds (a unified diff, no context).
ruamel.yaml is run as a user would: ``YAML()`` (and with ``width=4096``), ``CommentedMap.insert``
at the position after ``date``, ``dump``. Not a timing: the counts do not depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import sys
from pathlib import Path

import ruamel.yaml
from ruamel.yaml import YAML

import frontmatter_qt as fq

SEED = Path(__file__).resolve().parents[1] / "tests/fixtures/corpus/quicktakes/000-seed.md"
VALUE = dt.date(2025, 1, 2)


def changed(before: str, after: str) -> tuple[int, int]:
    """(lines removed, lines added) by a unified diff of the two texts."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    return removed, added


def ours(text: str) -> str:
    doc = fq.loads(text)
    items = list(doc.items())
    doc.clear()
    for key, value in items:
        doc[key] = value
        if key == "date":
            doc["updated"] = VALUE
    return doc.dumps()


def ruamel_round_trip(text: str, width: int | None) -> str:
    _, front_matter, body = text.split("---\n", 2)
    yaml = YAML()
    if width is not None:
        yaml.width = width
    data = yaml.load(front_matter)
    data.insert(list(data).index("date") + 1, "updated", VALUE)
    out = io.StringIO()
    yaml.dump(data, out)
    return "---\n" + out.getvalue() + "---\n" + body


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    text = path.read_text("utf-8")
    print(f"{path.name}: {text.count(chr(10))} lines; ruamel.yaml {ruamel.yaml.__version__}")
    for name, out in [
        ("frontmatter_qt", ours(text)),
        ("ruamel.yaml YAML()", ruamel_round_trip(text, None)),
        ("ruamel.yaml YAML(), width=4096", ruamel_round_trip(text, 4096)),
    ]:
        removed, added = changed(text, out)
        print(f"{name:32} removed {removed:3}  added {added:3}  ({out.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
