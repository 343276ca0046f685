"""What one load + edit + dumps costs the processor, counted: instructions, branch mispredictions
and first-level cache misses per file, for frontmatter_qt and python-frontmatter, under
valgrind's cachegrind (its simulated processor: counts, not times).

On a shared virtual machine the CPU-time ratio of ``bench_engine.py`` moves by 10-20% from one
process to the next; these counts move by 1-2%, so they tell whether a change to the engine
helps before the timed benchmark can. They are not the target (issue 14's targets are times,
``bench_engine.py``), and the ratio of instructions is larger than the ratio of times: the
interpreter's indirect jumps mispredict, and a file costs frontmatter_qt more mispredictions per
instruction than python-frontmatter (which spends more of its work in libyaml's C emitter).

    .venv/bin/python bench/bench_instructions.py [--files 170]

Each contestant runs in a fresh process twice (the same warm-up, then ``--files`` files or
none): the difference, divided by ``--files``, is the cost per file. Needs valgrind on PATH
(about five minutes); exits 2 without it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

COUNTERS = {
    "instructions": r"I\s+refs:\s+([\d,]+)",
    "mispredicted branches": r"Mispredicts:\s+([\d,]+)",
    "I1 cache misses": r"I1\s+misses:\s+([\d,]+)",
    "D1 cache misses": r"D1\s+misses:\s+([\d,]+)",
}
WARM_UP_ROUNDS = 30  # each memo holds what a long run would have met


def loop(contestant: str, files: int) -> None:
    """The measured work, in this process: a warm-up, then ``files`` load + edit + dumps."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_engine import corpus_texts

    texts = corpus_texts()
    if contestant == "frontmatter_qt":
        import frontmatter_qt as fq

        def once(text: str, title: str) -> None:
            doc = fq.loads(text)
            doc["title"] = title
            doc.dumps()
    else:
        import frontmatter

        def once(text: str, title: str) -> None:
            post = frontmatter.loads(text)
            post["title"] = title
            frontmatter.dumps(post)

    for n in range(WARM_UP_ROUNDS * len(texts)):
        once(texts[n % len(texts)], f"Warm-up title {n}")
    for n in range(files):
        once(texts[n % len(texts)], f"Edited title {n}")


def counted(contestant: str, files: int) -> dict[str, int]:
    """Cachegrind's totals for one fresh process running ``loop``."""
    argv = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=yes",
        "--branch-sim=yes",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--loop",
        contestant,
        f"--files={files}",
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stderr
    totals = {}
    for name, pattern in COUNTERS.items():
        found = re.search(pattern, out)
        if found is None:
            raise SystemExit(f"cachegrind printed no {name}:\n{out[-2000:]}")
        totals[name] = int(found.group(1).replace(",", ""))
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=170, help="files counted per contestant")
    parser.add_argument("--loop", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop:
        loop(args.loop, args.files)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not on PATH: nothing counted", file=sys.stderr)
        return 2
    per_file: dict[str, dict[str, float]] = {}
    for contestant in ("frontmatter_qt", "python-frontmatter"):
        base, full = counted(contestant, 0), counted(contestant, args.files)
        per_file[contestant] = {k: (full[k] - base[k]) / args.files for k in COUNTERS}
    print(f"per file (cachegrind, {args.files} files after the same warm-up)")
    print(f"{'':24s} {'frontmatter_qt':>15s} {'python-frontmatter':>19s} {'ratio':>7s}")
    for name in COUNTERS:
        ours, theirs = per_file["frontmatter_qt"][name], per_file["python-frontmatter"][name]
        print(f"{name:24s} {ours:15,.0f} {theirs:19,.0f} {theirs / ours:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
