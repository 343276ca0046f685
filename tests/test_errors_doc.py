"""docs/errors.md is true: every code the package has is documented there, every documented
code exists, and every example in it is run and prints exactly what the page shows. So are the
command-line examples of the README (run in a copy of ``examples/``).

A section ``## CODE ...`` holds its example: files (a fenced block whose info string names them,
```` ```yaml file=post.md ````), shell sessions (```` ```console ````: ``$ frontmatter-qt ...``
runs the command in process, its stdout and stderr as they interleave must equal the lines
below it; other ``$`` lines, such as ``printf`` or ``chmod``, run in a shell) and Python
sessions (```` ```pycon ````, run as doctests). Each section runs in its own empty directory.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

import frontmatter_qt as fq
from frontmatter_qt import cli, errors
from frontmatter_qt.lint import GENERIC
from frontmatter_qt.quicktakes import RULES as QUICKTAKES_RULES

PAGE = ROOT / "docs" / "errors.md"
_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.S | re.M)
_HEADING = re.compile(r"^## ([A-Z]+[0-9]{3})\b", re.M)


@dataclass
class Section:
    code: str
    text: str
    files: dict[str, str] = field(default_factory=dict)
    sessions: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)


def sections() -> dict[str, Section]:
    page = PAGE.read_text("utf-8")
    starts = list(_HEADING.finditer(page))
    found: dict[str, Section] = {}
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        text = page[here.start() : after.start() if after else len(page)]
        section = Section(here.group(1), text)
        for block in _FENCE.finditer(text):
            kind, info, body = block.group(1), block.group(2), block.group(3)
            name = re.search(r"file=(\S+)", info)
            if name is not None:
                section.files[name.group(1)] = body
            elif kind in ("console", "pycon"):
                section.sessions.append((kind, body))
        assert section.code not in found, f"{section.code} is documented twice"
        found[section.code] = section
    return found


def package_codes() -> set[str]:
    """Every code the package can report: its error classes, the codes no exception carries,
    the generic lint rules and those of the QuickTakes plug-in."""
    classes = [getattr(errors, name) for name in errors.__all__]
    codes = {
        c.code for c in classes if isinstance(c, type) and issubclass(c, errors.FrontMatterError)
    }
    codes |= set(errors.SITUATION_CODES)
    return codes | set(GENERIC) | set(QUICKTAKES_RULES)


SECTIONS = sections()


def test_every_code_is_documented_and_every_documented_code_exists() -> None:
    assert sorted(SECTIONS) == sorted(package_codes())


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_each_section_says_what_it_means_and_how_to_fix_it(code: str) -> None:
    section = SECTIONS[code]
    assert section.sessions, f"{code} has no example"
    assert "**How to fix:**" in section.text, code
    shown = "\n".join(body for _, body in section.sessions)
    raised = re.findall(r"^frontmatter_qt\.errors\.(\w+):", shown, re.M)
    codes = {getattr(errors, name).code for name in raised}
    assert code in shown or code in codes, f"the example of {code} does not show it"


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_each_example_prints_what_the_page_shows(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = SECTIONS[code]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.syspath_prepend(str(tmp_path))  # --model imports from here, before any other
    monkeypatch.delitem(sys.modules, "site_schema", raising=False)  # another test's
    cli._plugin.cache_clear()
    cli._settings.cache_clear()
    for name, body in section.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, "utf-8")
    try:
        for kind, body in section.sessions:
            if kind == "console":
                run_console(body, tmp_path)
            else:
                run_doctest(code, body, tmp_path)
    finally:  # the example's own model module must not outlive it
        sys.modules.pop("site_schema", None)
        cli._plugin.cache_clear()


def run_console(session: str, where: Path) -> None:
    steps = re.split(r"^\$ ", session, flags=re.M)[1:]
    for step in steps:
        command, _, expected = step.partition("\n")
        if command.startswith("frontmatter-qt "):
            result = CliRunner().invoke(cli.main, shlex.split(command)[1:])
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                result.exception
            )
            assert result.output == expected, command
        else:
            done = subprocess.run(command, shell=True, cwd=where, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            assert done.stdout + done.stderr == expected, command


def run_doctest(code: str, session: str, where: Path) -> None:
    test = doctest.DocTestParser().get_doctest(
        session, {"fq": fq, "errors": errors}, f"docs/errors.md {code}", str(PAGE), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"the Python example of {code} fails (see the output above)"


def test_the_readmes_command_line_examples_are_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(where)
    cli._settings.cache_clear()
    readme = (ROOT / "README.md").read_text("utf-8")
    sessions = [m.group(3) for m in _FENCE.finditer(readme) if m.group(1) == "console"]
    assert sessions
    for session in sessions:
        run_console(session, where)
