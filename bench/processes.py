"""What the benchmarks that start processes share: the environment and compiled bytecode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUICKTAKES = ROOT / "tests" / "fixtures" / "corpus" / "quicktakes"  # the carried copy
BIN = Path(sys.executable).parent
#: The child processes' environment: bytecode may be written (as after an install).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_package() -> None:
    """Compile frontmatter_qt's bytecode, as an install would: a venv used with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "frontmatter_qt")],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
