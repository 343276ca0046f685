"""Positions at scale: check (lint + validation), the language server's diagnostics, hover and
completion on one front matter with N findings.

Every finding is positioned through ``doc.locate`` (YAML: a key index per mapping, built on
the first look-up; TOML: the tables' spans, indexed in one pass), so the cost per finding must
not grow with N. Before the index, 20,000 findings took 24 s in the language server, and
10,000 took 7 s in ``fq.lint`` alone: a search of the mapping per look-up.

Prints seconds per N and the growth of the cost per finding from the smallest N to the largest
(1.0: linear; x10 for N x10 would be quadratic). Hover reads the indexes (built on the first
look-up of a document version); completion re-parses the text without the half-typed key, so
it costs a parse. Timings are wall clock (best of three for check and locate): run it alone.
Run: `make bench` or `.venv/bin/python bench/bench_positions.py [--sizes 2000 20000]`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from pydantic import ConfigDict, create_model

import frontmatter_qt as fq
from frontmatter_qt.checks import check_document
from frontmatter_qt.plugins import Plugin

#: The cost per finding may grow this much from the smallest size to the largest: noise on a
#: shared machine (quadratic work grows it as much as N grows: x10 for the default sizes).
MAX_GROWTH = 3.0


def yaml_flat(n: int) -> str:
    return "---\n" + "".join(f"k{i}: cafÃ© {i}\n" for i in range(n)) + "---\nbody\n"


def yaml_nested(n: int) -> str:
    return "---\nm:\n" + "".join(f"  k{i}: cafÃ© {i}\n" for i in range(n)) + "---\nbody\n"


def toml_table(n: int) -> str:
    return "+++\n[m]\n" + "".join(f'k{i} = "cafÃ© {i}"\n' for i in range(n)) + "+++\nbody\n"


def loose(n: int) -> Plugin:
    """A model every case fits, with a field to complete at the root and in ``m``."""
    inner = create_model("Inner", __config__=ConfigDict(extra="allow"), note=(str | None, None))
    return Plugin(
        "bench", model=create_model("Loose", title=(str | None, None), m=(inner | None, None))
    )


def missing_in_table(n: int) -> Plugin:
    """A model whose ``m`` wants n/10 fields the table lacks: each problem is located at the
    table (its span), not at a value."""
    inner = create_model("Inner", **{f"x{i}": (int, ...) for i in range(max(1, n // 10))})  # type: ignore[call-overload]
    return Plugin("bench", model=create_model("Outer", m=(inner, ...)))


def timed(call: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The best of ``repeat`` runs (other work on the machine only ever adds time)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    sizes = parser.parse_args().sizes
    try:
        from lsprotocol import types

        from frontmatter_qt.lsp.analysis import Analysis, Setup
    except ImportError:  # the lsp extra is not installed: the library part only
        Analysis = None  # type: ignore[assignment,misc]

    cases = {
        "yaml flat": (yaml_flat, loose),
        "yaml nested": (yaml_nested, loose),
        "toml table": (toml_table, loose),
        "toml missing": (toml_table, missing_in_table),
    }
    print(
        f"{'case':<14}{'N':>7}{'findings':>10}{'check s':>9}{'locate s':>10}{'lsp s':>8}"
        f"{'hover ms':>10}{'complete ms':>13}"
    )
    worst = 0.0
    for name, (make, model) in cases.items():
        per_finding: list[tuple[float, float]] = []
        for n in sizes:
            text = make(n)
            plugin = model(n)
            doc = fq.loads(text)
            check, found = timed(lambda: check_document(doc, plugin), 3)  # noqa: B023
            paths = [d.keys for d in found]
            locate, _ = timed(lambda: [doc.locate(k) for k in paths], 3)  # noqa: B023
            lsp = hover = complete = float("nan")
            if Analysis is not None:
                setup = Setup(plugin)
                analysis = Analysis(text, setup=setup)
                lsp, _ = timed(lambda: analysis.diagnostics)  # noqa: B023
                middle = types.Position(n // 2 + 2, 3)
                hover, _ = timed(lambda: analysis.hover(middle))  # noqa: B023
                # a blank line at the end of the front matter, the cursor on it
                blank = text.replace("\n---\nbody", "\n\n---\nbody").replace(
                    "\n+++\nbody", "\n\n+++\nbody"
                )
                end = types.Position(blank[: blank.index("\n\n") + 1].count("\n"), 0)
                complete, items = timed(
                    lambda: Analysis(blank, setup=setup).completions(end)  # noqa: B023
                )
                assert items, name  # it did complete
            per_finding.append((check / max(1, len(found)), locate / max(1, len(found))))
            print(
                f"{name:<14}{n:>7}{len(found):>10}{check:>9.2f}{locate:>10.3f}{lsp:>8.2f}"
                f"{hover * 1000:>10.1f}{complete * 1000:>13.1f}"
            )
        check_growth = per_finding[-1][0] / per_finding[0][0]
        locate_growth = per_finding[-1][1] / per_finding[0][1]
        worst = max(worst, check_growth, locate_growth)
        print(
            f"{name:<14} cost per finding from N={sizes[0]} to N={sizes[-1]}: "
            f"check x{check_growth:.2f}, locate x{locate_growth:.2f}"
        )
    verdict = "ok" if worst <= MAX_GROWTH else "FAIL"
    print(
        f"worst growth of the cost per finding: x{worst:.2f} (target <= x{MAX_GROWTH}): {verdict}"
    )


if __name__ == "__main__":
    main()
