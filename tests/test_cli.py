"""End to end: the `frontmatter-qt` command on copies of the corpora.

Each test asserts exact stdout lines, exit codes, diffs and the bytes of the files afterwards.
``run`` calls the command in this process (click's runner, in the given directory): a new
interpreter per call cost most of this file's time. What only a real process shows (the
installed console script, ``python -m``, a terminal's colours, a kill mid-run, the pre-commit
hooks, two concurrent runs) goes through ``run_process``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import BAD, QUICKTAKES, ROOT

import frontmatter_qt as fq
from frontmatter_qt import bulk, cli
from frontmatter_qt.cli import parse_key, parse_value

BIN = Path(sys.executable).parent
FQ = shutil.which("frontmatter-qt", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
assert FQ is not None, "the console script is not installed: pip install -e ."
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "200"}
SLUG = "what-role-do-imaging-techniques-play-in-the-diagnosis-of-liver-cancer"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command with ``args``, run in ``cwd`` in this process: its exit code, stdout and
    stderr, as a subprocess would give them (an exception that escapes the command fails the
    test: the real script would print a traceback)."""
    with contextlib.chdir(cwd):
        done = CliRunner().invoke(
            cli.main,
            list(args),
            prog_name="frontmatter-qt",
            env={"COLUMNS": "200", "FORCE_COLOR": None, "NO_COLOR": None},
            catch_exceptions=False,
        )
    return subprocess.CompletedProcess(
        ["frontmatter-qt", *args], done.exit_code, done.stdout, done.stderr
    )


def run_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script in a subprocess."""
    assert FQ is not None
    return subprocess.run(
        [FQ, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=60, check=False
    )


QUICKTAKES_CONFIG = '[tool.frontmatter-qt]\nmodel = "quicktakes"\n'


@pytest.fixture
def qt(tmp_path: Path) -> Path:
    """A writable copy of the quicktakes corpus (the shared copy is read-only), configured as a
    QuickTakes site is: ``model = "quicktakes"`` in its pyproject.toml."""
    target = tmp_path / "qt"
    shutil.copytree(QUICKTAKES, target)
    for path in target.iterdir():
        path.chmod(0o644)
    (target / "pyproject.toml").write_text(QUICKTAKES_CONFIG, "utf-8")
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))}


# -- basics -----------------------------------------------------------------------------------


def test_version_and_help_everywhere(tmp_path: Path) -> None:
    done = run_process(tmp_path, "--version")
    assert (done.returncode, done.stdout) == (0, "frontmatter-qt, version 0.1.0\n")
    module = subprocess.run(
        [sys.executable, "-m", "frontmatter_qt", "--version"], capture_output=True, text=True
    )
    assert module.stdout == done.stdout
    for command in ("check", "fix", "set", "unset", "get", "convert", "schema"):
        helped = run(tmp_path, command, "--help")
        assert helped.returncode == 0
        assert helped.stdout.startswith(f"Usage: frontmatter-qt {command} ")


#: A plug-in that records how the process ended: its exit handler runs (``atexit``) and prints, its
#: module-level object is finalised only by the interpreter's teardown (``__del__``), and, with
#: FQ_THREAD set, a non-daemon thread still runs when the command is done.
EXIT_PROBE = """
import atexit, os, threading, time
from pathlib import Path
from pydantic import BaseModel

class Model(BaseModel):
    pass

class _Finalised:
    def __del__(self):
        Path("teardown-ran").write_text("yes")

_KEEP = _Finalised()
def _at_exit():
    Path("atexit-ran").write_text("yes")
    print("said at exit")  # stdout is a pipe: block-buffered, written only if flushed after

atexit.register(_at_exit)
if os.environ.get("FQ_THREAD"):
    def _late():
        time.sleep(0.3)
        Path("thread-done").write_text("yes")
    threading.Thread(target=_late).start()
"""


@pytest.mark.parametrize("thread", [False, True])
def test_the_command_skips_teardown_only_when_nothing_needs_it(
    tmp_path: Path, thread: bool
) -> None:
    """The console script ends without the interpreter's teardown (``cli.exit_now``), yet
    output is complete, exit codes and exit handlers are kept, and a running non-daemon thread
    is waited for (then the ordinary exit, teardown included, is taken)."""
    shutil.copy(QUICKTAKES / "000-seed.md", tmp_path)
    (tmp_path / "probe.py").write_text(EXIT_PROBE)
    env = {k: v for k, v in ENV.items() if k != "PYTHONUNBUFFERED"}  # block-buffered pipes
    if thread:
        env["FQ_THREAD"] = "1"
    done = subprocess.run(
        [FQ, "check", "--model", "probe:Model", "--format", "concise", "000-seed.md"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    expected = run(tmp_path, "check", "--format", "concise", "000-seed.md")  # in this process
    assert (done.returncode, done.stderr) == (1, expected.stderr)
    assert done.stdout == expected.stdout + "said at exit\n"
    assert expected.stdout.count("\n") == 2  # the seed's findings, whole lines
    assert done.stderr == "1 of 1 file with problems (FQ001: 1, FQ002: 1)\n"
    ended = {p.name for p in tmp_path.iterdir()} - {"000-seed.md", "probe.py", "__pycache__"}
    if thread:
        assert ended == {"atexit-ran", "thread-done", "teardown-ran"}
    else:
        assert ended == {"atexit-ran"}


def test_exit_codes_of_the_console_script(tmp_path: Path) -> None:
    shutil.copy(QUICKTAKES / "007-literal-answer.md", tmp_path)
    clean = run_process(tmp_path, "check", "007-literal-answer.md")
    assert (clean.returncode, clean.stdout) == (0, "")
    missing = run_process(tmp_path, "check", "nothing-here.md")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "error: nothing-here.md: no such file or directory\n"
    usage = run_process(tmp_path, "set", "007-literal-answer.md")
    assert usage.returncode == 2
    assert usage.stderr.endswith("Error: expected PATHS... KEY=VALUE...\n")


def test_schema_prints_the_article_json_schema(tmp_path: Path, qt: Path) -> None:
    done = run(tmp_path, "schema", "--model", "quicktakes")
    assert done.returncode == 0
    assert json.loads(done.stdout) == fq.Article.model_json_schema()
    assert run(qt, "schema").stdout == done.stdout  # the model from the configuration
    none = run(tmp_path, "schema")
    assert (none.returncode, none.stdout) == (2, "")
    assert none.stderr.startswith("error: no model: pass --model")


def test_schema_of_a_plugin_without_a_model_says_so(tmp_path: Path) -> None:
    # (found by a hunt: it said "no model: pass --model ..." to a --model that was passed)
    (tmp_path / "rulesonly.py").write_text(
        "from frontmatter_qt.lint import RuleSet\n"
        "from frontmatter_qt.plugins import Plugin\n"
        'PLUGIN = Plugin("rules-only", rules=RuleSet("r"))\n',
        "utf-8",
    )
    done = run_process(tmp_path, "schema", "--model", "rulesonly:PLUGIN")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: --model rulesonly:PLUGIN is a plug-in without a model: it has no schema\n"
    )


def test_schema_of_a_model_pydantic_cannot_describe_is_a_usage_error(tmp_path: Path) -> None:
    # (found by a hunt: a PydanticInvalidForJsonSchema traceback)
    (tmp_path / "arb.py").write_text(
        "from pydantic import BaseModel, ConfigDict\n"
        "class Thing: pass\n"
        "class M(BaseModel):\n"
        "    model_config = ConfigDict(arbitrary_types_allowed=True)\n"
        "    t: Thing | None = None\n",
        "utf-8",
    )
    done = run_process(tmp_path, "schema", "--model", "arb:M")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "error: E050 the model arb:M has no JSON Schema: Cannot generate a JsonSchema for "
        "core_schema.IsInstanceSchema (<class 'arb.Thing'>)",
        "  help: give its fields types pydantic can describe, or a json_schema_extra",
    ]


@pytest.mark.skipif(sys.platform != "linux", reason="a file name that is not UTF-8: Linux")
def test_a_file_name_that_is_not_utf8_is_printed_as_its_own_bytes(tmp_path: Path) -> None:
    # (found by a hunt: with a strict UTF-8 stdout, as in an en_US.UTF-8 locale, `check` was a
    # traceback; JSON output was not UTF-8; stderr showed the name as `caf\\udce9.md`)
    name = b"caf\xe9.md"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as out:
        out.write(b'---\ntitle: "A\n---\n')
    strict = {**ENV, "PYTHONIOENCODING": "utf-8:strict"}

    def command(*args: str) -> subprocess.CompletedProcess[bytes]:
        assert FQ is not None
        return subprocess.run(
            [FQ, *args], cwd=tmp_path, env=strict, capture_output=True, timeout=60, check=False
        )

    problem = b"caf\xe9.md:2:8: E004 this quote is never closed\n"
    text = command("check", ".")
    assert (text.returncode, text.stdout.splitlines(keepends=True)[0]) == (1, problem)
    as_json = command("check", "--format", "json", ".")
    assert json.loads(as_json.stdout.decode("utf-8"))[0]["path"] == os.fsdecode(name)
    assert b"\\udce9" in as_json.stdout
    failed = command("set", ".", "title=B")
    assert (failed.returncode, failed.stderr.splitlines(keepends=True)[0]) == (1, problem)


# -- check ------------------------------------------------------------------------------------


def test_check_the_seed(qt: Path) -> None:
    done = run(qt, "check", "000-seed.md")
    assert done.returncode == 1
    # Each finding at the characters it is about, inside the 2,600-character answer.
    assert done.stdout.splitlines() == [
        "000-seed.md:21:255: QT009 answer: 14 literal \\n escape(s) outside code spans",
        "  help: frontmatter-qt fix --newlines repairs it",
        "000-seed.md:21:616: QT008 answer: mojibake 'â‰¥' (UTF-8 read as cp1252/latin-1; it "
        "should read '≥')",
        "  help: frontmatter-qt fix --encoding repairs it",
    ]
    assert done.stderr == "1 of 1 file with problems (QT008: 1, QT009: 1)\n"
    concise = run(qt, "check", "--format", "concise", "000-seed.md")
    assert concise.stdout.splitlines() == done.stdout.splitlines()[::2]


def test_check_github_annotations(qt: Path) -> None:
    done = run(qt, "check", "--output-format", "github", "000-seed.md", "012-date-string.md")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::warning file=000-seed.md,line=21,col=255,endLine=21,endColumn=257,title=QT009::"
        "answer: 14 literal \\n escape(s) outside code spans%0Ahelp: frontmatter-qt fix "
        "--newlines repairs it",
        "::warning file=000-seed.md,line=21,col=616,endLine=21,endColumn=619,title=QT008::"
        "answer: mojibake 'â‰¥' (UTF-8 read as cp1252/latin-1; it should read '≥')%0Ahelp: "
        "frontmatter-qt fix --encoding repairs it",
        "::warning file=012-date-string.md,line=4,col=7,endLine=4,endColumn=19,title=QT012::"
        "date: string 'Dec 07, 2024' where a YAML date is expected%0Ahelp: frontmatter-qt fix "
        "--dates repairs it",
        "::warning file=012-date-string.md,line=21,col=255,endLine=21,endColumn=257,title=QT009::"
        "answer: 14 literal \\n escape(s) outside code spans%0Ahelp: frontmatter-qt fix "
        "--newlines repairs it",
        "::warning file=012-date-string.md,line=21,col=616,endLine=21,endColumn=619,title=QT008::"
        "answer: mojibake 'â‰¥' (UTF-8 read as cp1252/latin-1; it should read '≥')%0Ahelp: "
        "frontmatter-qt fix --encoding repairs it",
    ]
    assert done.stderr == "2 of 2 files with problems (QT008: 2, QT009: 2, QT012: 1)\n"


def test_check_a_clean_file(qt: Path) -> None:
    done = run(qt, "check", "007-literal-answer.md")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file checked, no problems\n")


BAD_CODES = {
    "alias-bomb.md": "E012",
    "bad-indent.md": "E004",
    "duplicate-key.md": "E006",
    "latin1.md": "E001",
    "not-a-mapping.md": "E009",
    "nul-bytes.md": "E002",
    "python-tag.md": "E007",
    "tab-indent.md": "E005",
    "unterminated.md": "E003",
}


def test_check_reports_every_refused_file_with_its_code_and_position(tmp_path: Path) -> None:
    done = run(BAD.parent, "check", "bad")
    assert done.returncode == 1
    expected = []
    for path in sorted(BAD.glob("*.md")):
        with pytest.raises(fq.errors.FrontMatterError) as caught:
            fq.load(path)
        error = caught.value
        code = BAD_CODES.get(path.name, "E004")
        expected.append(f"bad/{path.name}:{error.line}:{error.column}: {code} {error.message}")
        assert error.hint is not None, path.name  # every refusal says how to fix it
        expected.append(f"  help: {error.hint}")
    assert done.stdout.splitlines() == expected
    assert done.stderr == (
        "11 of 11 files with problems (E004: 3, E001: 1, E002: 1, E003: 1, E005: 1, E006: 1, "
        "E007: 1, E009: 1, E012: 1)\n"
    )


def test_check_files_without_front_matter(qt: Path) -> None:
    done = run(qt, "check", "018-no-front-matter.md", "020-empty-file.md")
    assert done.stdout.splitlines() == [
        "018-no-front-matter.md:1:1: V002 no front matter",
        "020-empty-file.md:1:1: V002 no front matter",
    ]
    assert done.returncode == 1


@pytest.mark.parametrize("command", [["check"], ["fix", "--all"], ["unset"], ["get"]])
def test_paths_that_name_nothing_are_usage_errors(qt: Path, command: list[str]) -> None:
    """A typo in CI must not pass as "no problems": exit 2, naming each path."""
    key = ["title"] if command[0] in ("unset", "get") else []
    done = run(qt, *command, "000-seed.md", "missing.md", "drafts/*.md", *key)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: missing.md: no such file or directory\n"
        "error: drafts/*.md: the pattern matches no file or directory\n"
    )


def test_a_directory_without_matching_files_is_a_warning(qt: Path) -> None:
    (qt / "empty").mkdir()
    done = run(qt, "check", "empty", "000-seed.md", "--select", "QT012")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == (
        "warning: empty: no matching files (the configuration's include, else *.md)\n"
        "1 file checked, no problems\n"
    )


def test_check_validation_problems_are_located(qt: Path) -> None:
    path = qt / "000-seed.md"
    text = path.read_text("utf-8").replace("id: 97057", "id: first", 1)
    path.write_text(text.replace("\nsubject: Medicine\n", "\n"), "utf-8")
    done = run(qt, "check", "000-seed.md", "--ignore", "QT")
    # In position order: a missing top-level field is reported at the opening delimiter.
    assert done.stdout.splitlines() == [
        "000-seed.md:1:1: V001 subject: Field required",
        "000-seed.md:26:9: V001 related_article1.id: Input should be a valid integer, "
        "unable to parse string as an integer",
    ]


MOJIBAKE = "mojibake '{}' (UTF-8 read as cp1252/latin-1; it should read '{}')"


def test_a_select_or_ignore_that_matches_no_code_is_a_usage_error(qt: Path) -> None:
    # A misspelled prefix used to turn checking off: "1 file checked, no problems", exit 0.
    families = "codes start with E, FQ, QT, V or W"
    for option, prefix in [("--select", "ZZZ"), ("--ignore", ""), ("--select", "QT9")]:
        done = run(qt, "check", "010-mojibake.md", option, prefix)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == f"error: {option} {prefix!r} is the prefix of no code ({families})\n"
    (qt / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nmodel = "quicktakes"\n\nignore = ["QT007", "QT07"]\n', "utf-8"
    )
    done = run_process(qt, "check", "010-mojibake.md")  # a process: configurations are cached
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "error: pyproject.toml:4:1: E050 [tool.frontmatter-qt] ignore: 'QT07' is the prefix of no "
        "code\n  help: codes start with E, FQ, QT, V or W\n"
    )


def test_codes_of_a_model_the_configuration_names_are_known_for_any_file(qt: Path) -> None:
    # The QuickTakes model applies to articles/ only; a run (a pre-commit hook's) on another
    # file still knows its codes, so the shared --select does not fail it.
    (qt / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nignore = ["QT007"]\n\n[[tool.frontmatter-qt.overrides]]\n'
        'include = ["articles/*.md"]\nmodel = "quicktakes"\n',
        "utf-8",
    )
    done = run_process(qt, "check", "007-literal-answer.md", "--select", "QT")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file checked, no problems\n")
    (qt / "pyproject.toml").write_text('[tool.frontmatter-qt]\nignore = ["QT007"]\n', "utf-8")
    done = run_process(qt, "check", "007-literal-answer.md")
    assert done.returncode == 2
    assert "E050 [tool.frontmatter-qt] ignore: 'QT007' is the prefix of no code" in done.stderr


def test_check_json_select_and_ignore(qt: Path) -> None:
    done = run(qt, "check", "010-mojibake.md", "--format", "json", "--select", "QT008")
    assert done.returncode == 1
    assert json.loads(done.stdout) == [
        {
            "path": "010-mojibake.md",
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "code": "QT008",
            "field": field,
            "message": message,
            "type": "mojibake",
            "hint": "frontmatter-qt fix --encoding repairs it",
            "fixable": True,
            "severity": "warning",
        }
        for line, column, end_line, end_column, field, message in [
            # The range of the broken characters, inside a folded value too.
            (14, 7, 14, 10, "seo.page_description", MOJIBAKE.format("â€™", "\u2019")),
            (21, 616, 21, 619, "answer", MOJIBAKE.format("â‰¥", "≥")),
            (29, 13, 29, 16, "related_article1.title", MOJIBAKE.format("â€™", "\u2019")),
        ]
    ]
    quiet = run(qt, "check", "000-seed.md", "--ignore", "QT008", "--ignore", "QT009")
    assert (quiet.returncode, quiet.stdout) == (0, "")


def test_glob_exclude_and_empty_runs(qt: Path) -> None:
    done = run(
        qt.parent, "check", "qt", "--exclude", "00*", "--select", "QT012", "--format", "concise"
    )
    assert done.stdout.splitlines() == [
        "qt/012-date-string.md:4:7: QT012 date: string 'Dec 07, 2024' where a YAML date is "
        "expected",
        "qt/013-datetime.md:4:7: QT012 date: datetime 2024-12-07T10:30:00+08:00 where a date is "
        "expected",
    ]
    nothing = run(qt.parent, "check", "qt", "--glob", "*.markdown")
    assert (nothing.returncode, nothing.stdout) == (0, "")
    assert nothing.stderr == (
        "warning: qt: no matching files (--glob *.markdown)\n0 files checked, no problems\n"
    )


# -- fix --------------------------------------------------------------------------------------


def test_fix_check_exit_codes(qt: Path) -> None:
    before = snapshot(qt)
    dirty = run(qt, "fix", "--check", "--encoding", "010-mojibake.md")
    assert (dirty.returncode, dirty.stdout) == (1, "would fix 010-mojibake.md\n")
    assert dirty.stderr == "1 file would change, 0 unchanged, 0 failed\n"
    clean = run(qt, "fix", "--check", "--encoding", "011-clean-unicode.md")
    assert (clean.returncode, clean.stdout) == (0, "")
    assert snapshot(qt) == before


DATE_DIFF = """\
--- a/{name}
+++ b/{name}
@@ -1,7 +1,7 @@
 ---
 _schema: default
 id: 97068
-date: {old}
+date: 2024-12-07
 title: >-
     What role do imaging techniques play in the diagnosis of liver cancer?
 article_title: >-
"""


def test_fix_diff_prints_exact_diffs_and_writes_nothing(qt: Path) -> None:
    before = snapshot(qt)
    done = run(qt, "fix", "--diff", "--dates", ".")
    assert done.returncode == 0
    assert done.stdout == DATE_DIFF.format(
        name="012-date-string.md", old="Dec 07, 2024"
    ) + DATE_DIFF.format(name="013-datetime.md", old="2024-12-07T10:30:00+08:00")
    assert done.stderr == "2 files would change, 19 unchanged, 0 failed\n"
    assert snapshot(qt) == before
    encoding = run(qt, "fix", "--diff", "--encoding", "010-mojibake.md")
    repaired = "+    It’s a ‘first-line’ test — lesions ≥ 2 cm; café resolution 5 µm"  # noqa: RUF001
    assert repaired in encoding.stdout
    assert snapshot(qt) == before


def fixed_by_api(path: Path) -> bytes:
    doc = fq.load(path)
    fq.fix_encoding(doc)
    fq.fix_escaped_newlines(doc)
    fq.normalize_dates(doc)
    return doc.to_bytes()


def test_fix_all_writes_byte_exact_files_and_is_idempotent(qt: Path) -> None:
    expected = {p.name: fixed_by_api(p) for p in sorted(qt.glob("*.md"))}
    changed = [name for name, data in expected.items() if data != (qt / name).read_bytes()]
    done = run(qt, "fix", "--all", ".")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"fixed {name}" for name in changed]
    assert done.stderr == f"{len(changed)} files changed, {21 - len(changed)} unchanged, 0 failed\n"
    assert {p.name: p.read_bytes() for p in qt.glob("*.md")} == expected
    assert b"\xe2\x89\xa5 2 cm" in (qt / "000-seed.md").read_bytes()
    again = run(qt, "fix", "--check", "--all", ".")
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr == "0 files would change, 21 unchanged, 0 failed\n"


def test_fix_needs_something_to_fix(qt: Path) -> None:
    done = run(qt, "fix", "000-seed.md")
    assert done.returncode == 2
    assert "nothing to fix: pass --encoding, --newlines, --dates or --all" in done.stderr


def test_each_repair_succeeds_or_fails_on_its_own(qt: Path) -> None:
    """A strftime date_format does not stop the mojibake and \\n repairs, nor the ISO date: it
    is reported at its place, and the run exits 1."""
    path = qt / "012-date-string.md"
    before = path.read_text("utf-8")
    path.write_text(before.replace("date_format: DD MMM YYYY", 'date_format: "%b %d, %Y"'))
    done = run(qt, "fix", "--all", "012-date-string.md")
    assert (done.returncode, done.stdout) == (1, "fixed 012-date-string.md\n")
    assert done.stderr == (
        "012-date-string.md:9:14: E032 date_format: date_format '%b %d, %Y' is written for "
        "strftime (%-codes), but date_format takes arrow's tokens\n"
        "  help: write it as 'MMM DD, YYYY'\n"
        "1 file changed, 0 unchanged, 0 failed, 1 with problems\n"
    )
    doc = fq.load(path)
    assert doc["date"] == dt.date(2024, 12, 7)
    assert "\\n" not in doc["answer"] and "≥ 2 cm" in doc["answer"]
    assert doc["date_format"] == "%b %d, %Y"


def test_fix_dates_styles_and_fields(tmp_path: Path) -> None:
    text = (
        "---\ndate: Dec 07, 2024\nupdated: 2024-31-12\nlastmod: 2024-13-40\n"
        "date_format: MMMM D, YYYY\n---\n"
    )
    path = tmp_path / "post.md"
    path.write_text(text, "utf-8")
    only_date = run(tmp_path, "fix", "--dates", "--diff", "post.md")
    changed = [line for line in only_date.stdout.splitlines() if line[:1] in "+-"]
    assert changed[2:] == ["-date: Dec 07, 2024", "+date: 2024-12-07"]  # after the headers
    fields = ["--field", "updated", "--field", "lastmod", "--field", "date"]
    done = run(tmp_path, "fix", "--dates", *fields, "post.md")
    assert done.returncode == 1  # lastmod cannot be repaired; the others are
    assert done.stderr == (
        "post.md:4:10: E030 lastmod: not a valid date: '2024-13-40' (month must be in 1..12)\n"
        "  help: write the date as YYYY-MM-DD\n"
        "1 file changed, 0 unchanged, 0 failed, 1 with problems\n"
    )
    assert path.read_text("utf-8") == text.replace("Dec 07, 2024", "2024-12-07").replace(
        "2024-31-12", "2024-12-31"
    )
    style = ["--date-style", "format", "--field", "updated"]
    unnamed = run(tmp_path, "fix", "--dates", *style, ".")
    assert unnamed.returncode == 1
    assert unnamed.stderr.splitlines()[:2] == [
        "post.md:3:10: E032 updated: cannot write the date in the document's format: no date "
        "format field is configured",
        "  help: a model's plug-in names the field holding the format (QuickTakes: "
        "date_format), or write ISO dates (--date-style iso)",
    ]
    # The QuickTakes plug-in names its format field, date_format.
    styled = run(tmp_path, "fix", "--dates", *style, "--model", "quicktakes", ".")
    assert styled.returncode == 0
    assert "updated: December 31, 2024\n" in path.read_text("utf-8")
    path.write_text(text, "utf-8")
    kept = run(tmp_path, "fix", "--dates", "--date-style", "keep-type", "post.md")
    assert kept.returncode == 0
    assert path.read_text("utf-8") == text.replace("Dec 07, 2024", "'2024-12-07'")
    lone = run(tmp_path, "fix", "--encoding", "--field", "updated", "post.md")
    assert lone.returncode == 2
    assert "--field names the keys --dates repairs: pass --dates or --all" in lone.stderr


def test_an_unclosed_quote_and_an_impossible_date_in_check(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: "Hello\nauthor: me\n---\n', "utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\ndate: 2024-13-40\n---\n", "utf-8")
    done = run(tmp_path, "check", ".")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "a.md:2:8: E004 this quote is never closed",
        '  help: end the value with " (a " inside it is written \\"), or write the value '
        "without quotes",
        "b.md:3:7: FQ003 date: not a valid date: '2024-13-40' (month must be in 1..12)",
        "  help: write a real date (YYYY-MM-DD)",
    ]
    assert done.stderr == "2 of 2 files with problems (E004: 1, FQ003: 1)\n"


def test_diffs_on_a_terminal_mark_the_changed_words(qt: Path) -> None:
    """FORCE_COLOR makes rich treat the pipe as a terminal: the escape codes mark exactly the
    changed characters of the 2,600-character line; piped without it, the diff is plain."""
    colour = subprocess.run(
        [FQ or "", "fix", "--encoding", "--diff", "000-seed.md"],
        cwd=qt,
        env={**ENV, "FORCE_COLOR": "1", "TERM": "xterm-256color"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert colour.returncode == 0
    removed = "\x1b[1;37;41mâ‰¥\x1b[0m\x1b[31m 2 cm"
    added = "\x1b[1;30;42m≥\x1b[0m\x1b[32m 2 cm"
    assert removed in colour.stdout and added in colour.stdout
    assert colour.stdout.count("\x1b[1;37;41m") == colour.stdout.count("\x1b[1;30;42m") == 1
    plain = run(qt, "fix", "--encoding", "--diff", "000-seed.md")
    assert "\x1b" not in plain.stdout
    assert plain.stdout.startswith("--- a/000-seed.md\n+++ b/000-seed.md\n@@ -18,7 +18,7 @@\n")


def test_fix_reports_failures_and_goes_on(tmp_path: Path) -> None:
    shutil.copy(BAD / "latin1.md", tmp_path / "a.md")
    shutil.copy(QUICKTAKES / "012-date-string.md", tmp_path / "b.md")
    for path in tmp_path.iterdir():
        path.chmod(0o644)
    done = run(tmp_path, "fix", "--dates", ".")
    assert done.returncode == 1
    assert done.stdout == "fixed b.md\n"
    assert done.stderr == (
        "a.md:2:11: E001 not valid UTF-8: byte 0xe9 is byte 15 of the file (offset 14)\n"
        "  help: save the file as UTF-8 (text from Windows is often cp1252: "
        "`iconv -f cp1252 -t utf-8`)\n"
        "1 file changed, 0 unchanged, 1 failed\n"
    )
    assert (tmp_path / "a.md").read_bytes() == (BAD / "latin1.md").read_bytes()


# -- set, unset, get --------------------------------------------------------------------------


def test_set_changes_only_that_line(qt: Path) -> None:
    before = (qt / "000-seed.md").read_bytes()
    done = run(qt, "set", "000-seed.md", "seo.title=QuickTakes | Oncology")
    assert (done.returncode, done.stdout) == (0, "updated 000-seed.md\n")
    assert (qt / "000-seed.md").read_bytes() == before.replace(
        b"  title: QuickTakes | Medicine\n", b"  title: QuickTakes | Oncology\n"
    )
    same = run(qt, "set", "000-seed.md", "seo.title=QuickTakes | Oncology")
    assert (same.returncode, same.stdout) == (0, "")
    assert same.stderr == "0 files changed, 1 unchanged, 0 failed\n"


def test_set_reads_values_as_yaml_scalars(qt: Path) -> None:
    path = qt / "000-seed.md"
    before = path.read_text("utf-8")
    done = run(
        qt,
        "set",
        "000-seed.md",
        "score=4.5",
        "id=97069",
        "date=2025-01-02",
        "related_article2.url=/learn/x",
        "post_on_text=#posted",
        "article_title='123'",
        "draft=false",
        "tags=[liver, imaging]",
    )
    assert done.returncode == 0
    expected = (
        before.replace("id: 97068\n", "id: 97069\n")
        .replace("date: 2024-12-07\n", "date: 2025-01-02\n")
        .replace("post_on_text: Posted on\n", "post_on_text: '#posted'\n")
        .replace(
            "article_title: >-\n    What role do imaging techniques play in the diagnosis of "
            "liver cancer?\n",
            "article_title: >-\n    123\n",
        )
        .replace("score: -1.0\n", "score: 4.5\n")
        .replace(
            "url: /learn/medicine/questions/how-is-hepatomegaly-clinically-approached\n",
            "url: /learn/x\n",
        )
        .replace("\n---\n", "\ndraft: false\ntags:\n- liver\n- imaging\n---\n")
    )
    assert path.read_text("utf-8") == expected
    data = fq.load(path).data
    assert (data["score"], data["id"], data["article_title"], data["draft"]) == (
        4.5,
        97069,
        "123",
        False,
    )


def test_set_string_key_separators_and_list_items(qt: Path) -> None:
    path = qt / "008-extra-keys.md"
    run(qt, "set", "008-extra-keys.md", "--string", "id=97069", "tags=[x]")
    data = fq.load(path).data
    assert (data["id"], data["tags"]) == ("97069", "[x]")
    run(qt, "set", "008-extra-keys.md", '"site.version".major=2', "seo/x.y=1")
    run(qt, "set", "008-extra-keys.md", "--key-sep", "/", "seo/x.y=1")
    data = fq.load(path).data
    assert data["site.version"] == {"major": 2}
    assert data["seo/x"] == {"y": 1} and data["seo"]["x.y"] == 1
    run(qt, "set", "000-seed.md", "tags=[a, b, c]")
    done = run(qt, "set", "000-seed.md", "tags.1=B")
    assert done.returncode == 0
    assert fq.load(qt / "000-seed.md").data["tags"] == ["a", "B", "c"]


def test_set_errors_are_located_and_change_nothing(qt: Path) -> None:
    before = snapshot(qt)
    done = run(qt, "set", "000-seed.md", "seo.title.x=1")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "000-seed.md:12:10: E022 seo.title is a str, not a mapping\n"
        "0 files changed, 0 unchanged, 1 failed\n"
    )
    no_item = run(qt, "set", "008-extra-keys.md", "tags.9=x")
    assert no_item.returncode == 1 and "E022 no list item tags[9]" in no_item.stderr
    usage = run(qt, "set", "000-seed.md")
    assert usage.returncode == 2 and "expected PATHS... KEY=VALUE..." in usage.stderr
    assert snapshot(qt) == before


def test_unset_takes_only_the_key_lines(qt: Path) -> None:
    path = qt / "000-seed.md"
    before = path.read_text("utf-8")
    done = run(qt, "unset", "000-seed.md", "related_article4")
    assert (done.returncode, done.stdout) == (0, "updated 000-seed.md\n")
    start = before.index("related_article4:")
    assert path.read_text("utf-8") == before[:start] + before[before.index("---\n", start) :]
    missing = run(qt, "unset", "000-seed.md", "related_article4")
    assert (missing.returncode, missing.stdout) == (0, "")
    assert missing.stderr == "0 files changed, 1 unchanged, 0 failed\n"


def test_unset_of_a_list_item_past_the_end_is_refused_as_set_refuses_it(qt: Path) -> None:
    # A missing key is left alone, but a list item past the end is a script naming an item
    # that is not there (it used to pass as "unchanged").
    run(qt, "set", "000-seed.md", "tags=[a, b]")
    before = snapshot(qt)
    past = run(qt, "unset", "000-seed.md", "tags.2")
    set_past = run(qt, "set", "000-seed.md", "tags.2=c")
    assert (past.returncode, past.stdout) == (1, "")
    line = (qt / "000-seed.md").read_text("utf-8").splitlines().index("tags:") + 1
    assert past.stderr == (
        f"000-seed.md:{line}:1: E022 no list item tags[2] (tags has 2 items)\n"
        "0 files changed, 0 unchanged, 1 failed\n"
    )
    assert set_past.stderr == past.stderr
    deeper = run(qt, "unset", "000-seed.md", "tags.5.name")  # at any step of the path
    assert deeper.stderr == past.stderr.replace("tags[2]", "tags[5]")
    for missing in ("nope.2", "seo.x", "seo.2"):  # no list there: nothing to do
        gone = run(qt, "unset", "000-seed.md", missing)
        assert (gone.returncode, gone.stderr) == (0, "0 files changed, 1 unchanged, 0 failed\n")
    assert snapshot(qt) == before
    assert run(qt, "unset", "000-seed.md", "tags.1").returncode == 0
    assert fq.load(qt / "000-seed.md")["tags"] == ["a"]


def test_get_prints_one_line_per_file(qt: Path) -> None:
    assert run(qt, "get", "000-seed.md", "id", "--json").stdout == "97068\n"
    assert run(qt, "get", "000-seed.md", "seo.title").stdout == "QuickTakes | Medicine\n"
    assert run(qt, "get", "009-many-related.md", "date").stdout == "2024-12-07\n"
    assert (
        run(qt, "get", "013-datetime.md", "date", "--json").stdout
        == '"2024-12-07T10:30:00+08:00"\n'
    )
    assert run(qt, "get", "000-seed.md", "score").stdout == "-1.0\n"
    assert run(qt, "get", "000-seed.md", "seo", "--json").stdout.startswith('{"title": "QuickTakes')
    both = run(qt, "get", "000-seed.md", "017-biology.md", "subject")
    assert both.stdout == "000-seed.md: Medicine\n017-biology.md: Biology\n"
    tagged = run(qt, "get", "000-seed.md", "010-mojibake.md", "related_article1.id", "--json")
    assert [json.loads(line) for line in tagged.stdout.splitlines()] == [
        {"path": "000-seed.md", "value": 97057},
        {"path": "010-mojibake.md", "value": 97057},
    ]
    missing = run(qt, "get", "000-seed.md", "018-no-front-matter.md", "id")
    assert missing.returncode == 1
    assert missing.stdout == "000-seed.md: 97068\n"
    assert missing.stderr == "018-no-front-matter.md:1:1: E022 key not found: id\n"


# -- pre-commit -------------------------------------------------------------------------------


def test_pre_commit_hooks_run_as_declared(qt: Path) -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").open())}
    assert set(hooks) == {"frontmatter-qt-fix-check", "frontmatter-qt-fix", "frontmatter-qt-check"}
    entry = shlex.split(hooks["frontmatter-qt-fix-check"]["entry"])
    assert entry[0] == "frontmatter-qt"
    assert run(qt, *entry[1:], "010-mojibake.md").returncode == 1
    assert run(qt, *entry[1:], "007-literal-answer.md").returncode == 0
    fix = shlex.split(hooks["frontmatter-qt-fix"]["entry"])
    assert run(qt, *fix[1:], "010-mojibake.md").returncode == 0
    assert run(qt, *entry[1:], "010-mojibake.md").returncode == 0


def _with_stdout_closed(cwd: Path, *args: str) -> tuple[int, str]:
    """Run the command with a stdout whose reader has gone before the first line (as in
    ``frontmatter-qt ... | head -0``): its exit code and stderr."""
    assert FQ is not None
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [FQ, *args], cwd=cwd, env=ENV, stdout=write, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write)
    return done.returncode, done.stderr


def test_a_writing_run_goes_on_when_its_stdout_closes(tmp_path: Path) -> None:
    # ``set DIR ... | head -1`` used to stop at the first line it could not print, leaving the
    # tree part edited without a word.
    seed = (QUICKTAKES / "000-seed.md").read_bytes()
    for n in range(20):
        (tmp_path / f"{n:02}.md").write_bytes(seed)
    (tmp_path / "bad.md").write_bytes(b"---\ntitle: [\n---\n")
    code, stderr = _with_stdout_closed(tmp_path, "set", ".", "title=X", "--jobs", "2")
    assert all(fq.load(tmp_path / f"{n:02}.md")["title"] == "X" for n in range(20))
    assert code == 1  # bad.md failed: the run's own status, not the closed pipe's
    lines = stderr.splitlines()
    assert lines[0].startswith("bad.md:")  # a failure is still reported, on stderr
    assert lines[-2:] == [
        "standard output was closed by its reader; the run went on to the last file",
        "20 files changed, 0 unchanged, 1 failed",
    ]
    (tmp_path / "bad.md").unlink()
    assert _with_stdout_closed(tmp_path, "set", ".", "title=Y") == (
        0,
        "standard output was closed by its reader; the run went on to the last file\n"
        "20 files changed, 0 unchanged, 0 failed\n",
    )


def test_a_run_that_writes_nothing_stops_when_its_stdout_closes(tmp_path: Path) -> None:
    seed = (QUICKTAKES / "000-seed.md").read_bytes()
    for n in range(20):
        (tmp_path / f"{n:02}.md").write_bytes(seed)
    code, stderr = _with_stdout_closed(tmp_path, "set", ".", "title=X", "--diff", "--jobs", "1")
    assert (code, stderr) == (1, "")  # click's quiet exit on a closed pipe
    assert all((tmp_path / f"{n:02}.md").read_bytes() == seed for n in range(20))


# -- crash safety -----------------------------------------------------------------------------


def test_sigkill_mid_run_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    seed = (QUICKTAKES / "000-seed.md").read_bytes()
    assert seed.count(b"\nid: 97068\n") == 1
    doc = fq.loads(seed)
    doc["title"] = "X"
    edited = doc.to_bytes()
    tree = tmp_path / "site"
    tree.mkdir()
    # The kill lands once the first file is new: one or two chunks (bulk.MAX_CHUNK files each)
    # are renamed by then. 1,000 files leave most of the run unwritten at the kill and for the
    # re-run; 2,000 proved nothing more and doubled the re-run, the test's main cost.
    files = 1000
    old, new = {}, {}
    for n in range(files):
        ident = f"\nid: {n}\n".encode()
        old[n], new[n] = (b.replace(b"\nid: 97068\n", ident) for b in (seed, edited))
        (tree / f"{n:04}.md").write_bytes(old[n])
    assert FQ is not None
    proc = subprocess.Popen(
        [FQ, "set", str(tree), "title=X", "--jobs", "2"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while (tree / "0000.md").read_bytes() != new[0] and time.monotonic() < deadline:
            time.sleep(0.002)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        # The workers die a moment after the parent: one may still finish a rename. Look at the
        # files only once no process of the run is left (else a file seen "old" turns "new"
        # before the re-run, which then has one file fewer to write than counted).
        _wait_until_group_is_gone(proc.pid)
    states = [_state((tree / f"{n:04}.md").read_bytes(), old[n], new[n]) for n in range(files)]
    assert "torn" not in states
    assert 0 < states.count("new") < files, "the kill must land in the middle of the run"
    strays = [p.name for p in tree.iterdir() if not p.name.endswith(".md")]
    # Each of the two workers stages at most one chunk of files before renaming them.
    assert len(strays) <= 2 * bulk.MAX_CHUNK
    assert all(s.startswith(".") and s.endswith(".tmp") for s in strays)
    rerun = run(tmp_path, "set", "site", "title=X")
    assert rerun.returncode == 0
    assert len(rerun.stdout.splitlines()) == states.count("old")
    assert all((tree / f"{n:04}.md").read_bytes() == new[n] for n in range(files))


def _wait_until_group_is_gone(group: int, timeout: float = 10.0) -> None:
    """Wait until no live process (zombies aside) belongs to the process group ``group``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _live_members(group):
            return
        time.sleep(0.005)
    raise AssertionError(f"processes of group {group} still alive after {timeout} s")


def _live_members(group: int) -> bool:
    proc = Path("/proc")
    if not proc.is_dir():  # no procfs: signal 0 says whether any member (zombie or not) exists
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        # after the command name: state, ppid, pgrp, ...
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def _state(data: bytes, old: bytes, new: bytes) -> str:
    return "old" if data == old else "new" if data == new else "torn"


# -- the parsers behind set/get (in process) --------------------------------------------------


def test_values_are_read_as_yaml_would_read_them() -> None:
    assert parse_value("4.5") == 4.5 and parse_value("014") == 14 and parse_value("true") is True
    assert parse_value("") is None and parse_value("null") is None
    assert parse_value("2025-01-02") == dt.date(2025, 1, 2)
    assert parse_value("no") == "no" and parse_value("#tag") == "#tag"
    assert parse_value("a: b # c") == "a: b # c"
    assert parse_value("'123'") == "123" and parse_value('"a\\tb"') == "a\tb"
    assert parse_value("[1, x]") == [1, "x"] and parse_value("{k: v}") == {"k": "v"}
    assert parse_value("4.5", as_string=True) == "4.5"
    for raw, message in [
        (
            "'unclosed",
            '"\'unclosed" starts like a YAML quoted text but is not one (this quote is never '
            "closed); to set it as text, pass --string",
        ),
        (
            "[]T",
            "'[]T' starts like a YAML list but is not one (text follows the closing `]` of a "
            "list); to set it as text, pass --string",
        ),
        ("[a]\nb: 1", "'[a]\\nb: 1' is not one YAML value; to set it as text, pass --string"),
    ]:
        with pytest.raises(click.BadParameter) as caught:
            parse_value(raw)
        assert caught.value.message == message
    assert parse_value("[]T", as_string=True) == "[]T"


def test_set_suggests_string_for_a_value_that_is_not_yaml(qt: Path) -> None:
    done = run(qt, "set", "000-seed.md", "returnType=[]T")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: Invalid value: '[]T' starts like a YAML list but is not one (text follows the "
        "closing `]` of a list); to set it as text, pass --string"
    )
    done = run(qt, "set", "--string", "000-seed.md", "returnType=[]T")
    assert done.returncode == 0
    assert fq.load(qt / "000-seed.md")["returnType"] == "[]T"


def test_key_paths() -> None:
    assert parse_key("seo.title") == ("seo", "title")
    assert parse_key('"a.b".c') == ("a.b", "c") and parse_key("a::b.c", "::") == ("a", "b.c")
    for bad, sep in (("a..b", "."), ("'a", "."), ("a", "")):
        with pytest.raises(click.BadParameter):
            parse_key(bad, sep)
