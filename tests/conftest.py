"""Shared paths and helpers. The test corpus is carried in tests/fixtures/corpus (see SOURCES)."""

from __future__ import annotations

import json
import math
import traceback
from collections.abc import Callable, Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
import strategies  # noqa: F401  (registers and loads the hypothesis profile for every test)
from strategies import reference_load  # the one reference reading, re-exported for the tests

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
REAL = CORPUS / "real"
TOML = CORPUS / "toml"
BAD = CORPUS / "bad"

if not QUICKTAKES.is_dir():  # never pass silently without the corpus
    raise RuntimeError(f"test corpus not found at {CORPUS}")

EXPECT: dict[str, dict[str, Any]] = json.loads((CORPUS / "EXPECT.json").read_text("utf-8"))
QUICKTAKE_FILES = sorted(QUICKTAKES.glob("*.md"))
REAL_FILES = sorted(REAL.rglob("*.md"))
BAD_FILES = sorted(BAD.glob("*.md"))


def split_reference(text: str) -> tuple[str, int, int] | None:
    """Independent delimiter split: (front matter, first fm line index, closing line index)."""
    body = text[1:] if text.startswith("\ufeff") else text
    lines = body.split("\n")
    if lines[0].rstrip("\r") != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]) + "\n", 1, index
    return None


def reparse(text: str) -> Any:
    """Front matter data of ``text`` as the reference reads it ({} when empty or absent)."""
    found = split_reference(text)
    if found is None:
        return {}
    return reference_load(found[0]) or {}


def seed_text() -> str:
    return (QUICKTAKES / "000-seed.md").read_bytes().decode("utf-8")


@pytest.fixture
def seed() -> str:
    return seed_text()


def ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# -- corpus files checked in groups -----------------------------------------------------------
# A test item costs pytest and pytest-xdist a few milliseconds (collecting it in every worker,
# its setup and teardown, its report sent to the controller): ~6,000 one-file items were a
# sizeable part of the suite's time. A corpus law is therefore one item per source (or per
# slice of a large source) that checks every file and fails at the end naming each file that
# failed and how; every file is checked, with the same assertions, whatever happens to another.


def by_source(paths: Iterable[Path], most: int = 1000) -> list[Any]:
    """``paths`` as pytest params, one per source directory (split in slices of at most
    ``most`` files, so no item keeps one xdist worker busy long), each named after its source:
    ``quicktakes``, ``GoogleChrome__developer.chrome.com-2of5``."""
    params = []
    for parent, group in groupby(
        sorted(paths, key=lambda p: (p.parent, p.name)), lambda p: p.parent
    ):
        files = list(group)
        count = math.ceil(len(files) / most)
        size = math.ceil(len(files) / count)
        for index in range(count):
            name = parent.name if count == 1 else f"{parent.name}-{index + 1}of{count}"
            params.append(pytest.param(files[index * size : (index + 1) * size], id=name))
    return params


def check_each(paths: Iterable[Path], check: Callable[[Path], object]) -> None:
    """``check(path)`` on every file; then fail once if any failed, with each failing file's
    name and its assertion message (pytest's, with the exact difference) or its traceback."""
    failures = []
    checked = 0
    for path in paths:
        checked += 1
        try:
            check(path)
        except (Exception, pytest.fail.Exception) as exc:
            failures.append(f"{path.parent.name}/{path.name}: {_failure(exc)}")
    assert checked, "no file to check"
    if failures:
        pytest.fail(f"{len(failures)} of {checked} files failed:\n\n" + "\n\n".join(failures))


def _failure(exc: BaseException) -> str:
    if isinstance(exc, (AssertionError, pytest.fail.Exception)):
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{Path(frame.filename).name}:{frame.lineno}: {type(exc).__name__}: {exc}"
    return "".join(traceback.format_exception(exc))


def typed(value: Any) -> Any:
    """Data with every scalar tagged by its type, so 1, 1.0 and True compare unequal."""
    if isinstance(value, dict):
        return {"dict": [(typed(k), typed(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"list": [typed(v) for v in value]}
    if isinstance(value, float):  # repr tells -0.0 from 0.0 and reads NaN as NaN
        return ("float", repr(value))
    return (type(value).__name__, value)


@pytest.fixture(autouse=True)
def _fresh_memos() -> None:
    """Each test starts with empty memos, so a test that patches a renderer sees it called."""
    from frontmatter_qt.engine.memo import forget_all

    forget_all()


def attached_start(lines: list[str], start: int) -> int:
    """The first line of the comment lines directly above line ``start`` (a key's line), with
    no blank line between and not indented deeper than the key: the entry's attached comments,
    which move and are deleted with it (issue 12). ``start`` itself when there are none."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    while start > 0:
        above = lines[start - 1]
        comment = above.lstrip(" \t")
        if not comment.startswith("#") or len(above) - len(comment) > indent:
            break
        start -= 1
    return start
