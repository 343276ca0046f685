"""Issue 10 item 11: command-line parsing never ends in a traceback.

Every input is a clean usage error (exit 2), a per-file error (exit 1, a positioned line on
stderr) or a success; the key parser, the value parser, argument splitting and slot resolution
are fuzzed in process, and the whole `set`/`get`/`unset` commands through click's runner.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.cli import _split_assignments, main, parse_key, parse_value

FRONT = "---\ntitle: x\nn: 1.5\ntags: [a, b]\nseo:\n  title: T\n7: seven\n---\nbody\n"
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40
)
TRICKY = st.sampled_from(
    ["", "=", "<<", "==", "2024-02-30", "'", '"', "[", "{", "²", "٣", "-1", "0", ".", "..", "a.",
     "x" * 300, "#", ": ", "- ", "!!int x", "&a", "*a", "|", ">", "\t", "\r\n", "~", ".nan"]
)  # fmt: skip
PIECE = st.one_of(TRICKY, TEXT)
ARG = st.lists(PIECE, min_size=1, max_size=3).map("".join)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "f.md"
    path.write_text(FRONT, "utf-8")
    return path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def assert_clean(result: Any) -> None:
    """Exit 0, 1 or 2 through ``sys.exit``; never an exception escaping the command."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback: {result.exception!r}\n{result.output}")
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output


# -- the examples the issue names -----------------------------------------------------------------


def test_a_value_longer_than_a_file_name_is_a_value(article: Path) -> None:
    long = "t" * 300
    result = invoke("set", str(article), f"title={long}")
    assert_clean(result)
    assert result.exit_code == 0
    assert fq.load(article)["title"] == long


@pytest.mark.parametrize(("raw", "value"), [("<<", "<<"), ("=", "="), ("==", "=="), ("a=b", "a=b")])
def test_yaml_1_1_leftovers_are_strings(article: Path, raw: str, value: str) -> None:
    assert parse_value(raw) == value
    result = invoke("set", str(article), f"n={raw}")
    assert_clean(result)
    assert fq.load(article)["n"] == value


def test_an_impossible_date_is_a_usage_error(article: Path) -> None:
    result = invoke("set", str(article), "n=2024-02-30")
    assert result.exit_code == 2
    assert "'2024-02-30' is not a valid timestamp (day is out of range for month)" in result.output
    assert article.read_text("utf-8") == FRONT
    assert parse_value("'2024-02-30'") == "2024-02-30"


def test_get_json_is_strict_json(article: Path) -> None:
    doc = fq.load(article)
    doc["n"] = [math.nan, math.inf, -math.inf, 1.5]
    doc["d"] = {dt.date(2024, 1, 2): True, 3: None}
    fq.dump(doc)
    result = invoke("get", str(article), "n", "--json")
    assert result.output == '[".nan", ".inf", "-.inf", 1.5]\n'
    assert json.loads(invoke("get", str(article), "d", "--json").output) == {
        "2024-01-02": True,
        "3": None,
    }


def test_get_shows_binary_values_and_times_of_day(tmp_path: Path) -> None:
    # (found by a hunt: both were tracebacks, "Object of type bytes/time is not JSON
    # serializable", and a directory run stopped at the first such file)
    (tmp_path / "y.md").write_text("---\nlogo: !!binary aGk=\nl: [!!binary aGk=]\n---\n", "utf-8")
    (tmp_path / "t.md").write_text("+++\nstart = 07:32:00\nm = {t = 07:32:00}\n+++\n", "utf-8")
    assert invoke("get", str(tmp_path / "y.md"), "logo").output == "aGk=\n"
    assert invoke("get", str(tmp_path / "y.md"), "l", "--json").output == '["aGk="]\n'
    assert invoke("get", str(tmp_path / "t.md"), "start").output == "07:32:00\n"
    assert invoke("get", str(tmp_path / "t.md"), "m", "--json").output == '{"t": "07:32:00"}\n'
    both = invoke("get", str(tmp_path), "start", "--json")
    assert both.exit_code == 1
    assert f'{{"path": "{tmp_path / "t.md"}", "value": "07:32:00"}}\n' in both.output
    assert f"{tmp_path / 'y.md'}:1:1: E022 key not found: start\n" in both.output


def test_a_non_ascii_digit_segment_is_a_key(article: Path) -> None:
    result = invoke("get", str(article), "tags.²")
    assert result.exit_code == 1
    assert result.output.endswith(": E022 key not found: tags.²\n")
    assert invoke("get", str(article), "7").output == "seven\n"
    assert invoke("get", str(article), "tags.-1").output == "b\n"


# -- fuzzing --------------------------------------------------------------------------------------


@examples(300)
@given(text=ARG, sep=st.one_of(st.just("."), st.just("/"), PIECE))
def test_key_parser_only_raises_usage_errors(text: str, sep: str) -> None:
    try:
        segments = parse_key(text, sep)
    except click.BadParameter:
        return
    assert segments and all(isinstance(s, str) for s in segments)
    data = fq.loads(FRONT).data
    keys = keypath.resolve(data, segments)
    try:
        keypath.get(data, keys)
    except fq.errors.KeyPathError as exc:
        assert exc.code == "E022"


@examples(300)
@given(raw=ARG)
def test_value_parser_only_raises_usage_errors(raw: str) -> None:
    try:
        value = parse_value(raw)
    except click.BadParameter:
        return
    doc = fq.loads(FRONT)
    doc["v"] = value
    try:
        assert fq.loads(doc.dumps())["v"] == value or value != value
    except fq.errors.FrontMatterError as exc:  # a value the engine refuses, with a position
        assert exc.code.startswith("E")


@examples(300)
@given(args=st.lists(ARG, max_size=5))
def test_argument_splitting_only_raises_usage_errors(args: list[str]) -> None:
    try:
        paths, assignments = _split_assignments(args)
    except click.UsageError:
        return
    assert paths + assignments == args and all("=" in a for a in assignments)


_SIXTY = examples(60)  # the profile's share of 60 (tests/strategies.py)


@settings(
    _SIXTY,
    deadline=None,
    # the article fixture is one file for all examples: each run leaves it as it was
    suppress_health_check=[*_SIXTY.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(["set", "get", "unset"]), pieces=st.lists(ARG, min_size=1, max_size=3)
)
def test_commands_end_cleanly_on_any_arguments(
    article: Path, command: str, pieces: list[str]
) -> None:
    extra = ["--json"] if command == "get" else ["--diff"]
    result = invoke(command, str(article), *pieces, *extra)
    assert_clean(result)
    assert article.read_text("utf-8") == FRONT
