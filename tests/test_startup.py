"""Start-up stays light: which modules the library and the command do NOT import.

Timings belong to bench/bench_startup.py; these tests pin the cause of a slow start (a heavy
import on the way) in a fresh interpreter, where it cannot hide behind the test process's
own imports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import QUICKTAKES

# Loaded on first use only: typed models, repairs, the progress bar, TOML writing, the local
# process pool, diffs, and the first write's helpers.
HEAVY = (
    "pydantic",
    "ftfy",
    "arrow",
    "rich",
    "tomlkit",
    "concurrent.futures.process",
    "multiprocessing",
    "difflib",
    "tempfile",
    "ctypes",
)

PROBE = """
import json, os, sys
from frontmatter_qt.cli import main
sys.argv = ["frontmatter-qt", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
with open(os.environ["FQ_MODULES"], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def imported_by_command(tmp_path: Path, *args: str) -> set[str]:
    """The modules a ``frontmatter-qt ARGS`` run has imported when it ends."""
    record = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp_path,
        env={"FQ_MODULES": str(record), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
    )
    return set(json.loads(record.read_text()))


def heavy(modules: set[str], *allowed: str) -> list[str]:
    return sorted(
        name
        for name in modules
        if any(name == h or name.startswith(h + ".") for h in HEAVY if h not in allowed)
    )


def test_import_frontmatter_qt_loads_the_engine_only() -> None:
    code = "import sys, json, frontmatter_qt as fq; fq.loads('---\\na: 1\\n---\\n'); "
    code += "print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stdout))
    assert heavy(modules) == []
    assert "frontmatter_qt.document" in modules
    assert not {m for m in modules if m.startswith(("frontmatter_qt.bulk", "frontmatter_qt.fix"))}
    assert "click" not in modules and "tomllib" not in modules


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The seed article (mojibake and escaped newlines included) and a clean one, no config."""
    shutil.copy(QUICKTAKES / "000-seed.md", tmp_path / "seed.md")
    shutil.copy(QUICKTAKES / "007-literal-answer.md", tmp_path / "clean.md")
    return tmp_path


def test_version_loads_nothing_heavy(site: Path) -> None:
    assert heavy(imported_by_command(site, "--version")) == []


@pytest.mark.parametrize("name", ["seed.md", "clean.md"])
def test_check_of_one_file_loads_nothing_heavy(site: Path, name: str) -> None:
    # The seed's mojibake (a misread three-byte symbol) is proven without ftfy.
    modules = imported_by_command(site, "check", name)
    assert heavy(modules) == []
    assert "tomllib" not in modules, "no pyproject.toml here: nothing to parse"
    # YAML front matter only: the TOML and JSON engines are not loaded
    assert [
        m
        for m in modules
        if m.startswith(("frontmatter_qt.formats.json", "frontmatter_qt.formats.toml"))
    ] == []


def test_check_loads_ftfy_for_mojibake_only_ftfy_can_judge(site: Path) -> None:
    (site / "latin.md").write_text("---\ntitle: cafÃ© crÃ¨me\n---\n", encoding="utf-8")
    modules = imported_by_command(site, "check", "latin.md")
    assert heavy(modules, "ftfy") == []
    assert "ftfy" in modules


def test_set_and_diff_load_what_they_write_with_only(site: Path) -> None:
    written = imported_by_command(site, "set", "clean.md", "title=New")
    assert heavy(written) == [], "one file is written without tempfile (or its shutil, random, "
    "bz2, lzma) and synced without ctypes"
    assert b"\ntitle: >-\n    New\n" in (site / "clean.md").read_bytes()
    diffed = imported_by_command(site, "set", "seed.md", "title=New", "--diff")
    assert heavy(diffed, "difflib") == []
