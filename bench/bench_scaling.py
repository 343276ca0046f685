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


def toml_mapping(n: int) -> str:
    return "+++\n" + "".join(f'key{i} = "value {i}"\n' for i in range(n)) + "+++\nbody\n"


def toml_array(n: int) -> str:
    items = "".join(f'  "item {i}",\n' for i in range(n))
    return f'+++\ntitle = "t"\nitems = [\n{items}]\n+++\n'


def toml_tables(n: int) -> str:
    return "+++\n" + "".join(f'[k{i}]\na = {i}\nb = "x{i}"\n' for i in range(n)) + "+++\n"


def toml_dotted(n: int) -> str:
    return "+++\n" + "".join(f'k{i}.a = {i}\nk{i}.b = "x{i}"\n' for i in range(n)) + "+++\n"


def toml_first_sections(n: int) -> str:
    """Each table's first section (``[kI.a]``) before every table's own (``[kI]``)."""
    firsts = "".join(f"[k{i}.a]\nx = {i}\n" for i in range(n))
    return "+++\n" + firsts + "".join(f'[k{i}]\nb = "x{i}"\n' for i in range(n)) + "+++\n"


def toml_elements(n: int) -> str:
    return "+++\n" + "".join(f'[[items]]\na = {i}\nb = "x{i}"\n' for i in range(n)) + "+++\n"


def _delete_all(doc: fq.Document) -> None:
    for key in list(doc):
        del doc[key]


def _first_element_only(doc: fq.Document) -> None:
    doc["items"] = doc["items"][:1]


def _delete_first_sections(doc: fq.Document) -> None:
    # every table's own section moves up to where its deleted first one was (keep_place)
    for key in list(doc):
        del doc[key]["a"]


def _add_as_many_keys(doc: fq.Document) -> None:
    for i in range(len(doc)):
        doc[f"added{i}"] = i


def _rename_all(doc: fq.Document) -> None:
    # each key replaced at its place by one holding the same value: renamed in one edit
    # (doc.rename per key would time keypath.rename, which rebuilds the mapping each time)
    entries = [(f"r{key}", value) for key, value in doc.data.items()]
    doc.data.clear()
    doc.data.update(entries)


def toml_inline_dotted(n: int) -> str:
    return "+++\nt = { " + ", ".join(f"k{i}.v = {i}" for i in range(n)) + " }\n+++\n"


def _inline_value(doc: fq.Document) -> None:
    doc["t"][f"k{len(doc['t']) // 2}"]["v"] = -1


def json_mapping(n: int) -> str:
    entries = ",\n".join(f'  "key{i}": "value {i}"' for i in range(n))
    return "{\n" + entries + "\n}\nbody\n"


def json_list(n: int) -> str:
    items = ",\n".join(f'    "item {i}"' for i in range(n))
    return '{\n  "title": "t",\n  "items": [\n' + items + "\n  ]\n}\n"


def json_nested(n: int) -> str:
    entries = ",\n".join(f'  "k{i}": {{"a": {i}, "b": "x{i}"}}' for i in range(n))
    return "{\n" + entries + "\n}\n"


def _rename_middle_key(doc: fq.Document) -> None:
    doc.rename(f"key{len(doc) // 2}", "renamed")


def _insert_after_middle_key(doc: fq.Document) -> None:
    doc.insert("inserted", "new", after=f"key{len(doc) // 2}")


def _move_first_key_to_end(doc: fq.Document) -> None:
    doc.move("key0")


def _to_toml(doc: fq.Document) -> None:
    doc.convert("toml")


def _to_json(doc: fq.Document) -> None:
    doc.convert("json")


def _to_yaml(doc: fq.Document) -> None:
    doc.convert("yaml")


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
    ("rename one key of N", mapping, _rename_middle_key),
    ("insert a key after one of N", mapping, _insert_after_middle_key),
    ("move the first of N keys to the end", mapping, _move_first_key_to_end),
    ("convert N keys to TOML", mapping, _to_toml),
    ("convert N keys to JSON", mapping, _to_json),
    ("TOML: load + dumps, no edit", toml_mapping, _nothing),
    ("TOML: set one key of N", toml_mapping, _set_middle),
    ("TOML: delete one key of N", toml_mapping, _delete_middle_key),
    ("TOML: add a key to N", toml_mapping, _add_key),
    ("TOML: set all N keys", toml_mapping, _every_value),
    ("TOML: rename one key of N", toml_mapping, _rename_middle_key),
    ("TOML: insert a key after one of N", toml_mapping, _insert_after_middle_key),
    ("TOML: move the first of N keys to the end", toml_mapping, _move_first_key_to_end),
    ("TOML: append to an array of N", toml_array, _list_append),
    ("TOML: delete the first of N array items", toml_array, _list_delete_first),
    ("TOML: set one of N array items", toml_array, _list_set_middle),
    ("TOML: set one value in N tables", toml_tables, _nested_set),
    ("TOML: set one value in N dotted tables", toml_dotted, _nested_set),
    ("TOML: set one of N dotted keys in an inline table", toml_inline_dotted, _inline_value),
    ("TOML: add N keys to N", toml_mapping, _add_as_many_keys),
    ("TOML: delete all N tables", toml_tables, _delete_all),
    ("TOML: delete all N dotted tables", toml_dotted, _delete_all),
    ("TOML: delete N-1 of N [[array]] tables", toml_elements, _first_element_only),
    ("TOML: rename all N tables", toml_tables, _rename_all),
    ("TOML: delete N tables' first sections", toml_first_sections, _delete_first_sections),
    ("TOML: convert N keys to YAML", toml_mapping, _to_yaml),
    ("JSON: load + dumps, no edit", json_mapping, _nothing),
    ("JSON: set one key of N", json_mapping, _set_middle),
    ("JSON: delete one key of N", json_mapping, _delete_middle_key),
    ("JSON: add a key to N", json_mapping, _add_key),
    ("JSON: set all N keys", json_mapping, _every_value),
    ("JSON: rename one key of N", json_mapping, _rename_middle_key),
    ("JSON: insert a key after one of N", json_mapping, _insert_after_middle_key),
    ("JSON: move the first of N keys to the end", json_mapping, _move_first_key_to_end),
    ("JSON: append to a list of N", json_list, _list_append),
    ("JSON: delete the first of N list items", json_list, _list_delete_first),
    ("JSON: set one of N list items", json_list, _list_set_middle),
    ("JSON: set one value in N nested objects", json_nested, _nested_set),
    ("JSON: convert N keys to YAML", json_mapping, _to_yaml),
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
