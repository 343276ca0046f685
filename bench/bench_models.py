"""Benchmark: ``fq.loads`` + ``doc.model(Article)`` per file vs a ruamel.yaml round-trip load.

Run from the repository root: ``.venv/bin/python bench/bench_models.py [--files N] [--rounds R]``.
The article fixtures of ../shared/corpus/quicktakes (those that validate) are repeated until at
least ``--files`` documents are processed; each side's time is the best of ``--rounds`` passes,
with the sides interleaved so that drift hits both alike.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import frontmatter_qt as fq  # noqa: E402
from frontmatter_qt.errors import ArticleValidationError  # noqa: E402
from frontmatter_qt.quicktakes import Article  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "quicktakes"


def front_matter(text: str) -> str:
    """The YAML between the opening ``---`` line and the next ``---`` line."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "".join(lines[1:end])


def article_texts() -> tuple[list[str], list[str]]:
    """Texts of the fixtures both sides can load, and the names of those skipped.

    Skipped: files that hold no article, and 016-trailing-ws.md, whose ``Medicine<TAB>`` the
    pure-Python round-trip scanner rejects (libyaml and the YAML spec accept it).
    """
    texts, skipped = [], []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text("utf-8")
        try:
            fq.loads(text).model(Article)
            YAML().load(io.StringIO(front_matter(text)))
        except (ArticleValidationError, YAMLError):
            skipped.append(path.name)
            continue
        texts.append(text)
    return texts, skipped


def engine_load(texts: list[str]) -> None:
    for text in texts:
        fq.loads(text)


def engine_validate(texts: list[str]) -> None:
    for text in texts:
        Article.model_validate(fq.loads(text).data)


def engine_article(texts: list[str]) -> None:
    """The API: validation plus the cache's data snapshot and the copy each call returns."""
    for text in texts:
        fq.loads(text).model(Article)


def make_ruamel_load(texts: list[str]) -> tuple[Callable[[list[str]], None], list[str]]:
    yaml = YAML()  # round-trip

    def ruamel_load(yamls: list[str]) -> None:
        for source in yamls:
            yaml.load(io.StringIO(source))

    return ruamel_load, [front_matter(t) for t in texts]


def best_per_file(runs: list[float], count: int) -> float:
    """Best pass time divided by the number of files, in microseconds."""
    return min(runs) / count * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000, help="minimum documents per pass")
    parser.add_argument("--rounds", type=int, default=3, help="passes per side (best is kept)")
    args = parser.parse_args(argv)

    base, skipped = article_texts()
    texts = base * math.ceil(args.files / len(base))
    ruamel_load, yamls = make_ruamel_load(texts)
    sides: dict[str, tuple[Callable[[list[str]], None], list[str]]] = {
        "fq.loads": (engine_load, texts),
        "fq.loads + Article.model_validate": (engine_validate, texts),
        "fq.loads + doc.model(Article)": (engine_article, texts),
        "ruamel YAML() round-trip load": (ruamel_load, yamls),
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, (run, inputs) in sides.items():
            start = time.perf_counter()
            run(inputs)
            times[name].append(time.perf_counter() - start)

    print(f"{len(texts)} documents per pass ({len(base)} fixtures), best of {args.rounds} passes")
    print(f"skipped: {', '.join(skipped)}")
    per_file = {name: best_per_file(runs, len(texts)) for name, runs in times.items()}
    for name, micros in per_file.items():
        print(f"  {name:<34} {micros:9.1f} us/file")
    ratio = per_file["fq.loads + doc.model(Article)"] / per_file["ruamel YAML() round-trip load"]
    validation = per_file["fq.loads + Article.model_validate"] - per_file["fq.loads"]
    api = per_file["fq.loads + doc.model(Article)"] - per_file["fq.loads"]
    print(f"  {'validation alone (difference)':<34} {validation:9.1f} us/file")
    print(f"  {'doc.model alone (difference)':<34} {api:9.1f} us/file")
    print(f"ratio (fq.loads + doc.model) / ruamel round-trip load: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
