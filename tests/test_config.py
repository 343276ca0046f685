"""Configuration ([tool.frontmatter-qt]) and model selection, in the library and the command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import QUICKTAKES, REAL
from hypothesis import given
from hypothesis import strategies as st
from test_cli import run

from frontmatter_qt.config import Settings, _match, config_for, find_config, load_config
from frontmatter_qt.errors import ConfigError

HUGO = REAL / "gohugoio__hugoDocs"
SITE_MODEL = """\
import datetime as dt

from pydantic import BaseModel, ConfigDict


class Page(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    date: dt.date


class Note(BaseModel):
    title: str


NOT_A_MODEL = 42
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site with its own model module beside its pyproject.toml."""
    root = tmp_path / "site"
    write(root / "site_schema.py", SITE_MODEL)
    write(root / "content" / "good.md", "---\ntitle: Good\ndate: 2024-01-02\n---\n")
    write(root / "content" / "bad.md", "---\ntitle: Bad\ndate: someday\nextra: 1\n---\n")
    write(root / "content" / "notes" / "n.md", "---\ntitle: Note\n---\n")
    write(root / "content" / "readme.txt", "not front matter\n")
    write(
        root / "pyproject.toml",
        """\
        [project]
        name = "site"

        [tool.frontmatter-qt]
        model = "site_schema:Page"
        exclude = ["drafts"]

        [[tool.frontmatter-qt.overrides]]
        include = ["content/notes/**"]
        model = "site_schema:Note"
        """,
    )
    write(root / "content" / "drafts" / "d.md", "---\nbroken: [\n---\n")
    return root


# -- the library ----------------------------------------------------------------------------------


def test_the_nearest_pyproject_with_the_table_wins(site: Path) -> None:
    write(site / "content" / "pyproject.toml", '[project]\nname = "no table here"\n')
    assert find_config(site / "content" / "notes" / "n.md") == site / "pyproject.toml"
    settings = config_for(site / "content" / "good.md")
    assert settings.model == "site_schema:Page" and settings.source == site / "pyproject.toml"
    assert settings.model_for(site / "content" / "good.md") == "site_schema:Page"
    assert settings.model_for(site / "content" / "notes" / "n.md") == "site_schema:Note"
    assert settings.takes(site / "content" / "good.md")
    assert not settings.takes(site / "content" / "readme.txt")
    assert not settings.takes(site / "content" / "drafts" / "d.md")
    assert config_for(QUICKTAKES / "000-seed.md") == Settings()  # the repository's has none


@pytest.mark.parametrize(
    "name",
    [
        "content/good.md",
        "./content/./notes/n.md",
        "content//notes/n.md",
        "content/notes/../good.md",
        "good.md",
        "{site}/content/notes/n.md",
        "{site}/content/../content/notes/n.md",
    ],
)
def test_the_commands_settings_of_a_file_are_those_of_its_absolute_directory(
    site: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command looks settings up by the directory's absolute name, a string (discovery
    asks per file); joined, not normalised, so a `..` is walked up from as Path.absolute()
    walks up from it, and the answer does not depend on the directory one ran from before."""
    from frontmatter_qt.cli import Selection

    elsewhere = site.parent / "elsewhere"  # another project, with other settings
    other = write(elsewhere / "pyproject.toml", '[tool.frontmatter-qt]\nexclude = ["x"]\n')
    answers = []
    for cwd in (site, elsewhere, site):  # the same relative name, from another directory
        monkeypatch.chdir(cwd)
        path = name.format(site=site)
        expected = config_for(Path(path).absolute().parent / "_")
        assert Selection().settings(path) == expected
        assert Selection().settings(Path(path)) == expected
        answers.append(expected.source and expected.source.resolve())
    ours, other = (site / "pyproject.toml").resolve(), other.resolve()
    relative = not name.startswith("{site}")
    assert answers == ([ours, other, ours] if relative else [ours] * 3)


@given(
    st.lists(
        st.sampled_from(["*.md", "*.markdown", "a*", "[ab].md", "*", "?.md", "(a|b).md", "c$"]),
        max_size=3,
    ),
    st.sampled_from(
        ["a.md", "b.markdown", "x/y/a.md", "c.txt", "d", "x/.md", "./a.md", "(a|b).md", "c$"]
    ),
    st.booleans(),
)
def test_taking_a_file_by_its_name_agrees_with_the_relative_path(
    include: list[str], name: str, as_path: bool
) -> None:
    """Patterns without a ``/`` and no exclude: ``takes`` reads the name alone, with one
    expression for all the patterns (discovery asks per file), and answers as matching the
    path relative to the configuration, pattern by pattern, does (no pattern: nothing)."""
    settings = Settings(include=tuple(include), source=Path("/site/pyproject.toml"))
    path: str | Path = Path("/site/content", name) if as_path else f"/site/content/{name}"
    relative = settings._relative(path)
    assert settings._name_matches is not None
    assert settings.takes(path) is any(_match(relative, pattern) for pattern in include)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            '[tool.frontmatter-qt]\nmodle = "quicktakes"\n',
            2,
            1,
            "[tool.frontmatter-qt] unknown key 'modle' (expected: model, select, ignore, include, "
            "exclude, overrides)",
        ),
        (
            '[tool.frontmatter-qt]\nselect = "E"\n\n  model = "nowhere.module:Page"\n',
            4,
            3,
            "[tool.frontmatter-qt] cannot import nowhere.module: ModuleNotFoundError: No module "
            "named 'nowhere'",
        ),
        (
            '[tool.frontmatter-qt]\nmodel = "site_schema:NOT_A_MODEL"\n',
            2,
            1,
            "[tool.frontmatter-qt] site_schema:NOT_A_MODEL is neither a pydantic model (a "
            "BaseModel subclass) nor a Plugin",
        ),
        (
            '[tool.frontmatter-qt]\nmodel = "Page"\n',
            2,
            1,
            "[tool.frontmatter-qt] unknown model 'Page': give package.module:Class, or a "
            "built-in name (quicktakes)",
        ),
        (
            "[tool.frontmatter-qt]\nignore = [1]\n",
            2,
            1,
            "[tool.frontmatter-qt] ignore must be a list of strings",
        ),
        (
            '[tool.frontmatter-qt]\n\n[[tool.frontmatter-qt.overrides]]\nmodel = "quicktakes"\n',
            3,
            1,
            "[tool.frontmatter-qt.overrides] an override needs include = [...] patterns",
        ),
        (
            "[tool.frontmatter-qt]\nmodel = \n",
            2,
            9,
            "invalid TOML: Invalid value",
        ),
        # (found by a hunt: a traceback, and for a string "unknown key 'q'", its first letter)
        (
            "[tool]\nfrontmatter-qt = 3\n",
            2,
            1,
            "[tool] frontmatter-qt must be a table of settings, not int",
        ),
        (
            '[tool]\nname = "x"\nfrontmatter-qt = "quicktakes"\n',
            3,
            1,
            "[tool] frontmatter-qt must be a table of settings, not str",
        ),
        (
            "[tool]\nfrontmatter-qt = [{a = 1}]\n",
            2,
            1,
            "[tool] frontmatter-qt must be a table of settings, not list",
        ),
        # (found by a hunt: the table spelled as TOML allows but not as [tool.frontmatter-qt]
        # was reported at 1:1 or at its first line)
        (
            '[tool]\nname = "x"\nfrontmatter-qt.modle = "quicktakes"\n',
            3,
            16,
            "[tool.frontmatter-qt] unknown key 'modle' (expected: model, select, ignore, "
            "include, exclude, overrides)",
        ),
        (
            '[tool.frontmatter-qt]\nmodel = "quicktakes"\n\n[tool.frontmatter-qt.sub]\na = 1\n',
            4,
            22,
            "[tool.frontmatter-qt] unknown key 'sub' (expected: model, select, ignore, include, "
            "exclude, overrides)",
        ),
        (
            '[tool.frontmatter-qt]\noverrides = [\n  {include = ["*.md"], modle = "x"},\n]\n',
            3,
            24,
            "[tool.frontmatter-qt.overrides] unknown key 'modle' (expected: include, model)",
        ),
        # (found by a review: placed at another tool's key of the same name, ruff's select)
        (
            '[tool.ruff]\nselect = ["E"]\n\n[tool]\nfrontmatter-qt = { select = 3 }\n',
            5,
            20,
            "[tool.frontmatter-qt] select must be a list of strings",
        ),
    ],
)
def test_bad_configuration_names_file_line_and_column(
    site: Path, text: str, line: int, column: int, message: str
) -> None:
    config = write(site / "sub" / "pyproject.toml", text)
    shutil.copy(site / "site_schema.py", site / "sub" / "site_schema.py")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    error = caught.value
    assert (error.path, error.line, error.column, error.message) == (
        str(config),
        line,
        column,
        message,
    )
    done = run(site / "sub", "check", ".")
    assert (done.returncode, done.stdout) == (2, "")
    # Named relative to where the command runs, with its code (and a hint when there is one).
    shown = done.stderr.splitlines()
    assert shown[0] == f"error: pyproject.toml:{line}:{column}: E050 {message}"
    assert shown[1:] == ([f"  help: {error.hint}"] if error.hint else [])
    elsewhere = run(site, "check", "--config", "sub/pyproject.toml", ".")
    assert elsewhere.stderr.splitlines()[0] == shown[0].replace(
        "pyproject.toml", "sub/pyproject.toml"
    )


def test_a_configuration_that_is_not_utf8_is_an_error_not_skipped(site: Path) -> None:
    # (found by a hunt: one Latin-1 byte in a comment made the search skip the file, so
    # `check` ran without its model and passed files the model refuses, exit 0)
    sub = site / "sub"
    sub.mkdir(exist_ok=True)
    shutil.copy(site / "site_schema.py", sub / "site_schema.py")
    config = sub / "pyproject.toml"
    config.write_bytes(b'# r\xe9sum\xe9\n[tool.frontmatter-qt]\nmodel = "quicktakes"\n')
    with pytest.raises(ConfigError) as caught:
        config_for(sub / "post.md")
    error = caught.value
    assert (error.path, error.line, error.column, error.message) == (
        str(config),
        1,
        4,
        "cannot read the configuration: byte 0xE9 is not UTF-8 (TOML files are UTF-8)",
    )
    done = run(sub, "check", ".")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[0] == (
        "error: pyproject.toml:1:4: E050 cannot read the configuration: byte 0xE9 is not UTF-8 "
        "(TOML files are UTF-8)"
    )
    # One that cannot hold the table (its bytes do not name it) is passed over, as before.
    config.write_bytes(b"# r\xe9sum\xe9\n[tool.black]\n")
    assert config_for(sub / "post.md") == config_for(site / "post.md")


# -- the command ----------------------------------------------------------------------------------


def test_check_uses_each_files_model_and_the_include_exclude_patterns(site: Path) -> None:
    done = run(site, "check", "content")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "content/bad.md:3:7: V001 date: Input should be a valid date or datetime, input is too "
        "short",
        "content/bad.md:4:8: V001 extra: Extra inputs are not permitted",
    ]
    # good, bad, notes/n (no drafts/, .txt)
    assert done.stderr == "1 of 3 files with problems (V001: 2)\n"
    json_run = run(site, "check", "content/bad.md", "--format", "json", "--select", "V")
    [first, _] = json.loads(json_run.stdout)
    assert (first["type"], first["end_line"], first["end_column"]) == (
        "date_from_datetime_parsing",
        3,
        14,
    )


def test_command_line_model_wins_and_a_bad_one_is_a_usage_error(site: Path) -> None:
    done = run(site, "check", "content/notes/n.md", "--model", "site_schema:Page")
    assert done.stdout == "content/notes/n.md:1:1: V001 date: Field required\n"
    bad = run(site, "check", "content", "--model", "site_schema:Nope")
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "error: --model: site_schema has no attribute Nope\n"
    schema = run(site, "schema")
    assert json.loads(schema.stdout)["required"] == ["title", "date"]
    other = run(site, "schema", "--config", str(site / "pyproject.toml"), "--model", "quicktakes")
    assert json.loads(other.stdout)["title"] == "Article"


def test_without_a_model_only_syntax_encoding_and_generic_problems(tmp_path: Path) -> None:
    site = tmp_path / "hugo"
    shutil.copytree(HUGO, site)
    write(site / "mojibake.md", "---\ntitle: caf\u00c3\u00a9\n---\n")
    done = run(tmp_path, "check", "hugo")
    assert done.stdout == (
        "hugo/mojibake.md:2:11: FQ001 title: mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it "
        "should read 'é')\n  help: frontmatter-qt fix --encoding repairs it\n"
    )
    assert done.stderr == "1 of 121 files with problems (FQ001: 1)\n"
    quick = run(tmp_path, "check", "hugo/mojibake.md", "--model", "quicktakes", "--select", "QT")
    assert quick.stdout == done.stdout.replace(
        "hugo/mojibake.md:2:11: FQ001", "hugo/mojibake.md:2:11: QT008"
    )


def test_fix_follows_the_plug_ins_fields(tmp_path: Path) -> None:
    text = "---\ntitle: a\\nb\nanswer: c\\nd\n---\n"
    write(tmp_path / "plain" / "x.md", text)
    write(tmp_path / "qt" / "x.md", text)
    write(tmp_path / "qt" / "pyproject.toml", '[tool.frontmatter-qt]\nmodel = "quicktakes"\n')
    assert run(tmp_path, "fix", "--newlines", "plain", "qt").returncode == 0
    # Without a model every string is repaired; QuickTakes names `answer` only.
    plain = '---\ntitle: "a\\nb"\nanswer: "c\\nd"\n---\n'
    assert (tmp_path / "plain" / "x.md").read_text() == plain
    assert (tmp_path / "qt" / "x.md").read_text() == '---\ntitle: a\\nb\nanswer: "c\\nd"\n---\n'


def test_import_frontmatter_qt_does_not_import_pydantic() -> None:
    code = (
        "import sys, frontmatter_qt as fq\n"
        "assert fq.Document and fq.loads and fq.lint and fq.validate\n"
        "heavy = sorted(m for m in ('pydantic', 'ftfy', 'arrow') if m in sys.modules)\n"
        "doc = fq.loads('---\\na: 1\\n---\\n')\n"
        "print(heavy, 'pydantic' in sys.modules, fq.Article.__name__, 'pydantic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[] False Article True\n"


SITE_LINT = """\
import frontmatter_qt as fq
from site_schema import Note

RULES = fq.RuleSet("mysite")


@RULES.rule("MY001", "title-case", "`title` starts with a lower-case letter", replaces=["FQ001"])
def title_case(data):
    title = data.get("title")
    if isinstance(title, str) and title[:1].islower():
        yield fq.Finding("MY001", ("title",), f"title {title!r} starts with a lower-case letter")


PLUGIN = fq.Plugin(name="mysite", model=Note, rules=RULES)
"""


def test_a_users_plug_in_brings_its_rules(site: Path) -> None:
    write(site / "site_lint.py", SITE_LINT)
    write(site / "content" / "notes" / "lower.md", "---\ntitle: caf\u00c3\u00a9\n---\n")
    done = run(site, "check", "content/notes", "--model", "site_lint:PLUGIN")
    assert done.stdout == (
        "content/notes/lower.md:2:8: MY001 title: title 'caf\u00c3\u00a9' starts with a "
        "lower-case letter\n"
    )  # FQ001 (mojibake) is replaced by the plug-in's own rule
    assert run(site, "check", "content/notes", "--format", "concise").stdout == (
        "content/notes/lower.md:2:11: FQ001 title: mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; "
        "it should read 'é')\n"
    )


def test_rule_sets_check_their_codes() -> None:
    import frontmatter_qt as fq

    rules = fq.RuleSet("x")
    rules.rule("AB001", "one", "one")(lambda data: iter(()))
    with pytest.raises(ValueError, match="AB001 is already registered in x"):
        rules.rule("AB001", "again", "again")(lambda data: iter(()))
    with pytest.raises(ValueError, match="is not 1-4 capitals and 3 digits"):
        rules.rule("ab1", "bad", "bad")(lambda data: iter(()))
    assert list(rules) == ["AB001"] and rules["AB001"].name == "one"
