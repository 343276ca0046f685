"""What a YAML parse costs before the engine builds anything: libyaml alone, and libyaml's
events made into Python objects by each binding (PyYAML's, which the engine uses, and
ruamel.yaml.clib's). See frontmatter_qt/formats/yaml/events.py for why this decides the
binding.

    .venv/bin/python bench/bench_events.py [--rounds 5]

Front matters of the carried QuickTakes articles; interleaved rounds, the best one counts (CPU
time per article).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import _ruamel_yaml
import yaml._yaml

from frontmatter_qt.engine.text import decode, split

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus" / "quicktakes"


def front_matters() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*.md")):
        parts = split(decode(path.read_bytes()))
        if parts.has_front_matter and parts.front_matter.strip():
            texts.append(parts.front_matter)
    return texts


def raw(texts: list[str]) -> None:
    for text in texts:
        parser = yaml._yaml.CParser(text)
        parser.raw_parse()  # libyaml's events, counted in C: no Python object made
        parser.dispose()


def drain(binding: Callable[[str], object]) -> Callable[[list[str]], None]:
    def run(texts: list[str]) -> None:
        for text in texts:
            parser: object = binding(text)
            next_event = parser.get_event  # type: ignore[attr-defined]
            while type(next_event()).__name__ != "StreamEndEvent":
                pass
            parser.dispose()  # type: ignore[attr-defined]

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=50, help="passes over the corpus per round")
    args = parser.parse_args()
    texts = front_matters() * args.repeat
    runners = {
        "libyaml alone (raw_parse)": raw,
        "PyYAML binding (events)": drain(yaml._yaml.CParser),
        "ruamel.yaml.clib binding (events)": drain(_ruamel_yaml.CParser),
    }
    best = dict.fromkeys(runners, float("inf"))
    load = os.getloadavg()[0]
    for _ in range(args.rounds):
        for name, run in runners.items():
            started = time.process_time()
            run(texts)
            best[name] = min(best[name], (time.process_time() - started) / len(texts))
    count = len(texts) // args.repeat
    print(f"{count} front matters x {args.repeat}, best of {args.rounds} rounds")
    print(f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}; CPU ms per front matter:")
    for name, seconds in best.items():
        print(f"  {name:36s} {seconds * 1e3:7.3f}")
    print(
        f"  libyaml versions: PyYAML {yaml._yaml.get_version_string()}, ruamel.yaml.clib "
        f"{_ruamel_yaml.get_version_string()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
