"""Scaling benchmark: is every edit path linear in the size of the front matter?

    .venv/bin/python bench/bench_scaling.py [--sizes 250 500 1000 2000] [--repeat 5]

For each edit kind, front matter with N entries is loaded, edited once and dumped (verified),
for growing N; the best of ``--repeat`` runs of CPU time (``time.process_time``: less
disturbed by a busy machine than wall time) is kept. The growth exponent is the slope of
log(time) over log(N), fitted over all sizes: about 1.0 is linear, 2.0 quadratic. Exponents
under 1.3 count as linear (noise).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable

import frontmatter_qt as fq
from frontmatter_qt.engine.memo import forget_all

LINEAR = 1.3


def mapping(n: int) -> str:
    return "---\n" + "".join(f"key{i}: value {i}\n" for i in range(n)) + "---\nbody\n"


def block_list(n: int) -> str:
    return "---\ntitle: t\nitems:\n" + "".join(f"  - item {i}\n" for i in range(n)) + "---\n"


def flow_list(n: int) -> str:
    return "---\ntitle: t\nitems: [" + ", ".join(f"i{i}" for i in range(n)) + "]\n---\n"


def nested(n: int) -> str:
    return "---\n" + "".join(f"k{i}:\n  a: {i}\n  b: x{i}\n" for i in range(n)) + "---\n"


def _set_middle(doc: fq.Document) -> None:
    doc[f"key{len(doc) // 2}"] = "changed"


def _delete_middle_key(doc: fq.Document) -> None:
    del doc[f"key{len(doc) // 2}"]


def _add_key(doc: fq.Document) -> None:
    doc["added"] = "new"


def _every_value(doc: fq.Document) -> None:
    for key in list(doc):
        doc[key] = f"{doc[key]}!"


def _list_append(doc: fq.Document) -> None:
    doc["items"].append("appended")


def _list_delete_first(doc: fq.Document) -> None:
    del doc["items"][0]


def _list_delete_half(doc: fq.Document) -> None:
    del doc["items"][::2]


def _list_set_middle(doc: fq.Document) -> None:
    items = doc["items"]
    items[len(items) // 2] = "changed"


def _nested_set(doc: fq.Document) -> None:
    doc[f"k{len(doc) // 2}"]["b"] = "changed"


def _nothing(doc: fq.Document) -> None:
    pass


CASES: list[tuple[str, Callable[[int], str], Callable[[fq.Document], None]]] = [
    ("load + dumps, no edit", mapping, _nothing),
    ("set one key of N", mapping, _set_middle),
    ("delete one key of N", mapping, _delete_middle_key),
    ("add a key to N", mapping, _add_key),
    ("set all N keys", mapping, _every_value),
    ("append to a block list of N", block_list, _list_append),
    ("delete the first of N list items", block_list, _list_delete_first),
    ("delete every other of N list items", block_list, _list_delete_half),
    ("set one of N list items", block_list, _list_set_middle),
    ("set one item of a flow list of N", flow_list, _list_set_middle),
    ("set one value in N nested maps", nested, _nested_set),
]


def best_time(text: str, edit: Callable[[fq.Document], None], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        forget_all()  # a repeat must not reuse the rendering of the one before
        start = time.process_time()
        doc = fq.loads(text)
        edit(doc)
        doc.dumps()
        best = min(best, time.process_time() - start)
    return best


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    print(f"{'edit':38}" + "".join(f"{'N=' + str(n):>10}" for n in sizes) + "  exponent")
    slow = []
    for name, make, edit in CASES:
        times = [best_time(make(n), edit, args.repeat) for n in sizes]
        exponent = slope([math.log(n) for n in sizes], [math.log(t) for t in times])
        cells = "".join(f"{t * 1e3:8.2f}ms" for t in times)
        flag = "" if exponent < LINEAR else "  NOT LINEAR"
        print(f"{name:38}{cells}  {exponent:6.2f}{flag}")
        if flag:
            slow.append(name)
    print("every edit path linear" if not slow else f"not linear: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
