"""How the cost of edits touching MANY items grows: time per item at 1k, 10k and 40k items.

bench_scaling.py times ONE edit of each kind and fits the growth exponent; this one edits many
items at once, where a per-item cost that is not constant multiplies.

Every edit path should be linear (or n log n) in the size of the front matter, so the time per
item should stay about flat as the count grows; a quadratic path shows as a time per item that
grows with the count (removing every other item of 40,000 once took 15 s). Each case is one
load, one edit of many items, and one dumps (which includes the verification re-read).

Run: `.venv/bin/python bench/bench_many_edits.py` (or `--sizes 1000 10000`). Timings on a shared
machine vary; compare the columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import frontmatter_qt as fq

# Room for the largest cases (40,000 items of two keys each are 200,000 nodes).
LIMITS = fq.Limits(max_nodes=1_000_000, max_front_matter_chars=8 * 1024 * 1024)


def list_text(n: int) -> str:
    items = "".join(f"- item {i}  # note {i}\n" for i in range(n))
    return f"---\ntitle: scaling\nitems:\n{items}---\nbody\n"


def block_list_text(n: int) -> str:
    """Items that are mappings, each starting on the line after its dash."""
    items = "".join(f"-\n  id: {i}\n  name: n{i}\n" for i in range(n))
    return f"---\ntitle: scaling\nitems:\n{items}---\nbody\n"


def mapping_text(n: int) -> str:
    keys = "".join(f"key{i}: value {i}\n" for i in range(n))
    return f"---\n{keys}---\nbody\n"


def delete_every_other_item(doc: fq.Document) -> None:
    doc["items"] = doc["items"][::2]


def delete_every_other_key(doc: fq.Document) -> None:
    for key in list(doc.data)[::2]:
        del doc[key]


def insert_items_everywhere(doc: fq.Document) -> None:
    items = doc["items"]
    doc["items"] = [x for item in items for x in (item, f"new {item}")]


def add_many_keys(doc: fq.Document) -> None:
    for i in range(len(doc.data)):
        doc[f"new{i}"] = i


def set_every_nested_value(doc: fq.Document) -> None:
    for item in doc["items"]:
        item["name"] = item["name"] + "!"


def remove_one_append_one(doc: fq.Document) -> None:
    items = doc["items"]
    doc["items"] = [*items[1:], "appended"]


CASES: list[tuple[str, Callable[[int], str], Callable[[fq.Document], Any]]] = [
    ("delete every other list item", list_text, delete_every_other_item),
    ("insert an item after every item", list_text, insert_items_everywhere),
    ("remove the first item, append one", list_text, remove_one_append_one),
    ("delete every other key", mapping_text, delete_every_other_key),
    ("add as many keys again", mapping_text, add_many_keys),
    ("set a value in every item (dash alone)", block_list_text, set_every_nested_value),
]


def measure(make: Callable[[int], str], edit: Callable[[fq.Document], Any], n: int) -> float:
    text = make(n)
    started = time.perf_counter()
    doc = fq.loads(text, limits=LIMITS)
    edit(doc)
    out = doc.dumps()
    elapsed = time.perf_counter() - started
    if out == text:
        raise AssertionError("the edit changed nothing")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 40_000])
    args = parser.parse_args()
    sizes: list[int] = args.sizes
    header = f"{'case':<40}" + "".join(f"{n:>12,}" for n in sizes) + "   (us per item)"
    print(header)
    for name, make, edit in CASES:
        row = [measure(make, edit, n) / n * 1e6 for n in sizes]
        growth = row[-1] / row[0] if row[0] else float("nan")
        cells = "".join(f"{us:>12.1f}" for us in row)
        print(f"{name:<40}{cells}   x{growth:.1f} from first to last")


if __name__ == "__main__":
    main()
