"""Start-up benchmark: the command on one file against python-frontmatter's one-liner.

    .venv/bin/python bench/bench_startup.py [--runs 30] [--instructions]

Contestants, each a fresh process on the same article (the seed: it holds mojibake and escaped
newlines, so ``check`` reports two findings; and a clean article):

- ``python -c "import frontmatter; frontmatter.load(f)"`` (the reference, 1.0x);
- ``frontmatter-qt check FILE`` (no configuration: generic lint rules, no model);
- ``frontmatter-qt --version``; ``python -c "import frontmatter_qt"``.

Runs are interleaved (one of each, round after round), so a neighbour's load falls on all of
them alike; the medians of wall time and of CPU time (user + system of the child) are shown,
with the ratio to the reference. ``--instructions`` also counts instructions with valgrind's
callgrind (slow, but the same on a busy machine). The package's bytecode is compiled first,
as an install would (a venv made with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every
module of frontmatter_qt on every run). Target (issue 14): the command within 3x the
reference.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from processes import BIN, ENV, QUICKTAKES, compile_package

TARGET = 3.0


def contestants(seed: Path, clean: Path) -> dict[str, list[str]]:
    python, command = str(BIN / "python"), str(BIN / "frontmatter-qt")
    return {
        "python-frontmatter load (reference)": [
            python,
            "-c",
            f"import frontmatter; frontmatter.load({str(seed)!r})",
        ],
        "frontmatter-qt check seed.md": [command, "check", str(seed)],
        "frontmatter-qt check clean.md": [command, "check", str(clean)],
        "frontmatter-qt --version": [command, "--version"],
        "import frontmatter_qt": [python, "-c", "import frontmatter_qt"],
    }


def run_once(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped above
    return wall, usage.ru_utime + usage.ru_stime


def instructions(argv: list[str], cwd: Path) -> float | None:
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found[1]) / 1e6 if found else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds of interleaved runs")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args(argv)
    compile_package()
    with tempfile.TemporaryDirectory(prefix="fq-startup-") as tmp:
        site = Path(tmp)  # no pyproject.toml above /tmp: no configuration, no model
        seed = Path(shutil.copy(QUICKTAKES / "000-seed.md", site / "seed.md"))
        clean = Path(shutil.copy(QUICKTAKES / "007-literal-answer.md", site / "clean.md"))
        runs = contestants(seed, clean)
        for command in runs.values():  # warm the file cache and the bytecode
            run_once(command, site)
        walls: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.runs):
            for name, command in runs.items():
                wall, cpu = run_once(command, site)
                walls[name].append(wall)
                cpus[name].append(cpu)
        counts = {n: instructions(c, site) for n, c in runs.items()} if args.instructions else {}
    load = os.getloadavg()
    print(f"{args.runs} interleaved rounds; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    reference = next(iter(runs))
    ref_wall = statistics.median(walls[reference])
    ref_cpu = statistics.median(cpus[reference])
    ref_count = counts.get(reference)
    print(f"{'':38} {'wall ms':>8} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}", end="")
    print(f" {'Minstr':>8} {'ratio':>6}" if counts else "")
    for name in runs:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        line = f"{name:38} {wall * 1e3:8.1f} {wall / ref_wall:5.2f}x {cpu * 1e3:8.1f}"
        line += f" {cpu / ref_cpu:5.2f}x"
        count = counts.get(name)
        if count is not None and ref_count:
            line += f" {count:8.1f} {count / ref_count:5.2f}x"
        print(line)
    worst = max(
        statistics.median(cpus[n]) / ref_cpu for n in runs if n.startswith("frontmatter-qt")
    )
    verdict = "meets" if worst <= TARGET else "MISSES"
    print(f"target: the command within {TARGET:.0f}x the reference (CPU time): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
