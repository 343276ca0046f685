"""The language server's adapter and position arithmetic, without a server (frontmatter_qt.lsp).

LSP positions are checked against an oracle written here from the specification (lines end at
``\\r\\n``, ``\\r`` or ``\\n``; columns count UTF-16 code units unless UTF-8 or UTF-32 was
negotiated), and edits are applied with that oracle, never with the code under test.
test_lsp.py drives the same adapter through a real server over stdio.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Literal

import pytest
from conftest import BAD, QUICKTAKES, TOML
from hypothesis import assume, given
from hypothesis import strategies as st
from lsprotocol import types
from pydantic import BaseModel, ConfigDict, Field
from strategies import Generated, documents, examples, get_path, leaf_paths

import frontmatter_qt as fq
from frontmatter_qt import keypath
from frontmatter_qt.display import finding_lines
from frontmatter_qt.lsp.analysis import Analysis, Setup, setup_for
from frontmatter_qt.lsp.positions import Text, minimal_edits
from frontmatter_qt.plugins import Plugin, load

_BREAK = re.compile(r"\r\n|\r|\n")
WARNING, ERROR = types.DiagnosticSeverity.Warning, types.DiagnosticSeverity.Error
_SIZES = {"utf-8": 1, "utf-16": 2, "utf-32": 4}


# -- the oracle (shared with test_lsp.py) ----------------------------------------------------


def lsp_position(text: str, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
    """(line, character) of ``offset`` as the LSP specification counts them."""
    lines = _BREAK.split(text[:offset])
    codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]
    return len(lines) - 1, len(lines[-1].encode(codec)) // _SIZES[encoding]


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    """``text`` with the edits of one WorkspaceEdit applied (ranges refer to ``text``)."""
    offsets = {lsp_position(text, i, encoding): i for i in range(len(text) + 1)}
    spans = []
    for edit in edits:
        start = offsets[(edit.range.start.line, edit.range.start.character)]
        end = offsets[(edit.range.end.line, edit.range.end.character)]
        spans.append((start, end, edit.new_text))
    spans.sort(reverse=True)
    for (_, end, _), later in zip(spans, [None, *spans], strict=False):
        assert later is None or end <= later[0], "edits overlap"
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def rng(a: int, b: int, c: int, d: int) -> types.Range:
    return types.Range(types.Position(a, b), types.Position(c, d))


# -- positions ------------------------------------------------------------------------------

_CHARS = st.sampled_from(
    ["a", " ", "\n", "\r", "\r\n", "é", "日", "😀", "\u2028", "\x85", "\ufeff"]
)


@examples(200)
@given(st.lists(_CHARS, max_size=30).map("".join), st.sampled_from(list(_SIZES)))
def test_positions_match_the_specification_and_round_trip(text: str, encoding: str) -> None:
    index = Text(text, encoding)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # between CR and LF: not a position a client can name
        position = index.position(offset)
        assert (position.line, position.character) == lsp_position(text, offset, encoding)
        assert index.offset(position) == offset


def test_positions_count_utf16_units_and_stop_at_line_ends() -> None:
    text = "a😀b\u2028c\r\nd"  # U+2028 is not a line break in LSP
    index = Text(text)
    assert index.position(3) == types.Position(0, 4)  # "a😀b": the emoji is two units
    assert index.position(len(text)) == types.Position(1, 1)
    assert index.offset(types.Position(0, 99)) == text.index("\r")  # past the end: the end
    assert index.offset(types.Position(9, 0)) == len(text)
    assert index.line_end(0) == 5


def test_engine_positions_are_code_points_after_the_bom() -> None:
    text = "\ufeff---\r\nk: 😀 x\n"
    index = Text(text)
    offset = index.engine_offset(2, 6)  # line 2, column 6: the "x"
    assert text[offset] == "x"
    assert index.position(offset) == types.Position(1, 6)
    assert index.engine_offset(None, None) == 1  # unknown: the start, after the BOM


_LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\r\n", "😀\n", "d"]), max_size=8)


@examples(200)
@given(_LINES, _LINES)
def test_minimal_edits_rebuild_the_text_and_replace_whole_changed_lines(
    old: list[str], new: list[str]
) -> None:
    before, after = "".join(old), "".join(new)
    edits = minimal_edits(Text(before), after)
    assert apply_edits(before, edits) == after
    index = Text(before)
    for edit in edits:
        start, end = index.offset(edit.range.start), index.offset(edit.range.end)
        assert edit.range.start.character == 0
        assert edit.range.end.character == 0 or end == len(before)
        assert before[start:end] != edit.new_text
    if before == after:
        assert edits == []


# -- diagnostics ----------------------------------------------------------------------------


MOJIBAKE = (
    "mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it should read 'é')\n"
    "help: frontmatter-qt fix --encoding repairs it"
)


def test_without_a_model_only_syntax_and_generic_findings() -> None:
    text = "---\ntitle: Hugo page\ndraft: true\nname: cafÃ©\n---\nbody cafÃ©\n"
    analysis = Analysis(text, "page.md")
    assert [(d.code, d.range, d.message) for d in analysis.diagnostics] == [
        ("FQ001", rng(3, 9, 3, 11), f"name: {MOJIBAKE}")  # the broken characters
    ]
    assert analysis.hover(types.Position(1, 1)) is None
    assert analysis.completions(types.Position(4, 0)) == []


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    weight: int
    """Sort weight."""


class HugoPage(BaseModel):
    """A user's own model: validated by the same path as the QuickTakes article."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    title: str
    """Page title."""
    params: Params | None = None
    """Theme parameters."""


def test_any_pydantic_model_validates_with_exact_ranges() -> None:
    text = "---\ntitle: 😀\nparams:\n    weight: 日本\n    colour: red\n---\n"
    analysis = Analysis(text, "page.md", setup=Setup(Plugin("hugo", model=HugoPage)))
    assert [(d.code, d.range, d.message) for d in analysis.diagnostics] == [
        (
            "V001",
            rng(3, 12, 3, 14),
            "params.weight: Input should be a valid integer, unable to parse string as an integer",
        ),
        ("V001", rng(4, 12, 4, 15), "params.colour: Extra inputs are not permitted"),
    ]
    hover = analysis.hover(types.Position(3, 6))
    assert hover is not None and hover.range == rng(3, 4, 3, 10)
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value == "**params.weight**: `integer` (required)\n\nSort weight."
    hover = analysis.hover(types.Position(2, 0))
    assert isinstance(hover, types.Hover) and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value == "**params**: `Params | null`\n\nTheme parameters."


def test_refused_texts_get_positioned_diagnostics() -> None:
    cases = {
        "---\nmeta: {😀: 1, 日本語: 2, 😀: 3}\n---\n": ("E006", rng(1, 22, 1, 28)),
        "---\ntitle: x\n": ("E003", rng(0, 0, 0, 3)),
        "---\n- a\n---\n": ("E009", rng(1, 0, 1, 3)),
        "---\n\ttitle: x\n---\n": ("E005", rng(1, 0, 1, 9)),
        "---\na: !!python/object:os.system x\n---\n": ("E007", rng(1, 3, 1, 30)),
        "---\n" + "a: [" * 200 + "\n---\n": ("E011", rng(1, 128, 1, 800)),
    }
    for text, (code, where) in cases.items():
        analysis = Analysis(text, "bad.md", setup=Setup(load("quicktakes")))
        assert [(d.code, d.range) for d in analysis.diagnostics] == [(code, where)], text
        assert analysis.diagnostics[0].severity == types.DiagnosticSeverity.Error
        assert analysis.doc is None and analysis.hover(types.Position(1, 0)) is None


# -- TOML front matter ----------------------------------------------------------------------


class Link(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)

    name: str
    """Link text."""
    url: str
    """Where it goes."""


class BlogPost(BaseModel):
    """A Zola/Hugo blog post in TOML front matter (``+++``)."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    title: str
    """Post title."""
    authors: list[str]
    """Who wrote it."""
    date: dt.date | None = None
    """Publication date."""
    links: list[Link] = []
    """Related links."""
    seo_title: str | None = Field(None, alias="seo title")
    """Title for search engines."""
    params: Params | None = None
    """Theme parameters."""


BLOG = Setup(Plugin("blog", model=BlogPost))

TOML_POST = """\
+++
title = "日本 cafÃ©"  # 😀
authors = "me"

[params]
  weight = "heavy"
+++
Body cafÃ©
"""


def test_toml_diagnostics_hover_and_quick_fix() -> None:
    analysis = Analysis(TOML_POST, "post.md", setup=BLOG)
    assert [(d.code, d.range, d.message, d.severity) for d in analysis.diagnostics] == [
        ("FQ001", rng(1, 15, 1, 17), f"title: {MOJIBAKE}", WARNING),
        ("V001", rng(2, 10, 2, 14), "authors: Input should be a valid list", ERROR),
        (
            "V001",
            rng(5, 11, 5, 18),
            "params.weight: Input should be a valid integer, unable to parse string as an integer",
            ERROR,
        ),
    ]
    hover = analysis.hover(types.Position(4, 3))  # the [params] header's key
    assert hover is not None and hover.range == rng(4, 1, 4, 7)
    assert hover.contents == types.MarkupContent(
        kind=types.MarkupKind.Markdown, value="**params**: `Params | null`\n\nTheme parameters."
    )
    hover = analysis.hover(types.Position(5, 4))
    assert hover is not None and hover.range == rng(5, 2, 5, 8)
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value == "**params.weight**: `integer` (required)\n\nSort weight."
    assert analysis.hover(types.Position(1, 10)) is None  # a value

    actions = analysis.code_actions("file:///post.md", rng(1, 9, 1, 9))  # in the value
    assert [a.title for a in actions] == ["Fix mojibake", "Fix all in file"]
    on_the_characters = analysis.code_actions("file:///post.md", rng(1, 16, 1, 16))
    assert [a.title for a in on_the_characters] == ["Fix mojibake", "Fix all in file"]
    assert analysis.code_actions("file:///post.md", rng(1, 2, 1, 2)) == []  # on the key
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    edits = actions[0].edit.changes["file:///post.md"]
    assert edits == [types.TextEdit(rng(1, 0, 2, 0), 'title = "日本 café"  # 😀\n')]
    assert apply_edits(TOML_POST, edits) == TOML_POST.replace('"日本 cafÃ©"', '"日本 café"')


def labels(analysis: Analysis, line: int, character: int) -> list[tuple[str, str, types.Range]]:
    items = analysis.completions(types.Position(line, character))
    assert all(isinstance(item.text_edit, types.TextEdit) for item in items)
    return [(i.label, i.text_edit.new_text, i.text_edit.range) for i in items]  # type: ignore[union-attr]


def test_toml_completion_writes_key_equals_in_the_table_of_the_header_above() -> None:
    text = TOML_POST.replace("[params]", "li\n\n[params]").replace('"heavy"\n', '"heavy"\n  \n')
    analysis = Analysis(text, "post.md", setup=BLOG)
    assert labels(analysis, 4, 2) == [  # "li" typed at the root, before the first header
        ("date", "date = ", rng(4, 0, 4, 2)),
        ("links", "links = ", rng(4, 0, 4, 2)),
        ("seo title", '"seo title" = ', rng(4, 0, 4, 2)),  # not a bare key: quoted
    ]
    # a blank line of the untouched post: the same keys, inserted
    assert [(label, edit) for label, edit, _ in labels(Analysis(TOML_POST, setup=BLOG), 3, 0)] == [
        ("date", "date = "),
        ("links", "links = "),
        ("seo title", '"seo title" = '),
    ]
    assert labels(analysis, 8, 2) == []  # [params] holds its only field already
    assert labels(analysis, 1, 0) == []  # a line with a statement on it


def test_toml_completion_in_arrays_of_tables_and_around_multi_line_values() -> None:
    text = (
        '+++\ntitle = """\n[[links]]\n\n"""\nauthors = [\n\n]\n\n'
        '[[links]]\nname = "a"\n\n[[links]]\n  name = "b"\n  \n+++\n'
    )
    analysis = Analysis(text, "post.md", setup=BLOG)
    assert labels(analysis, 3, 0) == []  # inside the multi-line string
    assert labels(analysis, 6, 0) == []  # inside the multi-line array
    # after them, still the root: the "[[links]]" inside the string is no header
    assert [label for label, *_ in labels(analysis, 8, 0)] == ["date", "seo title", "params"]
    assert labels(analysis, 11, 0) == [("url", "url = ", rng(11, 0, 11, 0))]  # links[0]
    # links[1], whose keys are indented by two: so is the new one
    assert labels(analysis, 14, 2) == [("url", "  url = ", rng(14, 0, 14, 2))]


JSON_POST = (
    '{\n  "title": "日本 cafÃ©",\n  "authors": "me",\n'
    '  "params": {\n    "weight": "heavy"\n  }\n}\nBody\n'
)


def test_json_front_matter_diagnostics_hover_quick_fix_and_completion() -> None:
    analysis = Analysis(JSON_POST, "post.md", setup=BLOG)
    assert [(d.code, d.range, d.severity) for d in analysis.diagnostics] == [
        ("FQ001", rng(1, 18, 1, 20), WARNING),
        ("V001", rng(2, 13, 2, 17), ERROR),
        ("V001", rng(4, 14, 4, 21), ERROR),
    ]
    hover = analysis.hover(types.Position(4, 6))  # on "weight"
    assert hover is not None and hover.range == rng(4, 4, 4, 12)
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value == "**params.weight**: `integer` (required)\n\nSort weight."
    actions = analysis.code_actions("file:///post.md", rng(1, 18, 1, 18))
    assert [a.title for a in actions] == ["Fix mojibake", "Fix all in file"]
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    edits = actions[0].edit.changes["file:///post.md"]
    assert edits == [types.TextEdit(rng(1, 0, 2, 0), '  "title": "日本 café",\n')]
    # a key typed between two entries, with or without its opening quote: JSON's spelling
    typed = JSON_POST.replace('"me",\n', '"me",\n  "li\n')
    expected = [
        ("date", '  "date": ', rng(3, 0, 3, 5)),
        ("links", '  "links": ', rng(3, 0, 3, 5)),
        ("seo title", '  "seo title": ', rng(3, 0, 3, 5)),
    ]
    assert labels(Analysis(typed, "post.md", setup=BLOG), 3, 5) == expected
    unquoted = JSON_POST.replace('"me",\n', '"me",\n  li\n')
    assert labels(Analysis(unquoted, "post.md", setup=BLOG), 3, 4) == [
        (label, edit, rng(3, 0, 3, 4)) for label, edit, _ in expected
    ]
    # after the last entry, its comma already typed: the comma waits for the new entry
    after_last = JSON_POST.replace("  }\n}", '  },\n  "\n}')
    assert [label for label, *_ in labels(Analysis(after_last, "post.md", setup=BLOG), 6, 3)] == [
        "date",
        "links",
        "seo title",
    ]
    # inside an array, or on a line that holds an entry: nothing
    in_array = JSON_POST.replace('"authors": "me"', '"authors": [\n\n]')
    assert labels(Analysis(in_array, "post.md", setup=BLOG), 3, 0) == []
    assert labels(analysis, 1, 3) == []
    # a quote typed in YAML front matter is no key
    assert labels(Analysis('---\ntitle: A\n"\n---\n', "post.md", setup=BLOG), 2, 1) == []


def test_toml_fix_all_normalises_a_date_in_place_with_its_comment() -> None:
    text = '+++\ntitle = "Why?"\ndate = "Dec 07, 2024"  # shown\nanswer = "a\\\\nb"\n+++\n'
    analysis = Analysis(text, "why.md", setup=Setup(load("quicktakes")))
    actions = analysis.code_actions("file:///why.md", rng(0, 0, 0, 0), ["source.fixAll"])
    assert [(a.title, a.kind) for a in actions] == [
        ("Fix all in file", types.CodeActionKind.SourceFixAll)
    ]
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    assert actions[0].edit.changes["file:///why.md"] == [
        types.TextEdit(rng(2, 0, 4, 0), 'date = 2024-12-07  # shown\nanswer = "a\\nb"\n')
    ]


# -- configuration: what applies to a file, as for the command --------------------------------


def write_site(root: Path, module: str, config: str) -> None:
    """A site: its own model module beside its pyproject.toml (the configuration's directory is
    importable, as for the command)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(
        "from pydantic import BaseModel\n\n"
        "class Page(BaseModel):\n    title: str\n    weight: int\n\n"
        "class Note(BaseModel):\n    title: str\n    tags: list[str]\n",
        "utf-8",
    )
    (root / "pyproject.toml").write_text(config, "utf-8")


def test_setup_for_reads_the_nearest_configuration(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(
        site,
        "fq_lsp_site_a",
        '[tool.frontmatter-qt]\nmodel = "fq_lsp_site_a:Page"\nignore = ["FQ002"]\n\n'
        '[[tool.frontmatter-qt.overrides]]\ninclude = ["notes/**"]\nmodel = "fq_lsp_site_a:Note"\n',
    )
    text = "---\ntitle: x\\ny\nweight: heavy\n---\n"
    page = Analysis(
        text, str(site / "content" / "p.md"), setup=setup_for(str(site / "content" / "p.md"))
    )
    assert [(d.code, d.message) for d in page.problems] == [
        ("V001", "Input should be a valid integer, unable to parse string as an integer"),
    ]
    assert [d.field for d in page.problems] == ["weight"]
    note_path = str(site / "notes" / "n.md")
    note = Analysis(text, note_path, setup=setup_for(note_path))
    assert [(d.code, d.field) for d in note.problems] == [("V001", "tags")]
    # the server's --model wins over the configuration; outside the site, no model at all
    forced = Analysis(text, note_path, setup=setup_for(note_path, model="fq_lsp_site_a:Page"))
    assert [(d.code, d.field) for d in forced.problems] == [("V001", "weight")]
    outside = str(tmp_path / "elsewhere" / "p.md")
    assert [d.code for d in Analysis(text, outside, setup=setup_for(outside)).problems] == ["FQ002"]


def test_a_configuration_that_cannot_be_used_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nmodel = "quicktakes"\nmodle = "x"\n', "utf-8"
    )
    path = str(tmp_path / "p.md")
    analysis = Analysis("---\ntitle: cafÃ©\n---\n", path, setup=setup_for(path))
    assert [(d.code, d.range, d.message) for d in analysis.diagnostics] == [
        (
            "E050",
            rng(0, 0, 0, 3),
            f"configuration ignored: {tmp_path / 'pyproject.toml'}:3:1: "
            "[tool.frontmatter-qt] unknown key 'modle' "
            "(expected: model, select, ignore, include, exclude, overrides)\n"
            "help: did you mean 'model'?",
        ),
        ("FQ001", rng(1, 10, 1, 12), f"title: {MOJIBAKE}"),
    ]


def test_a_configured_select_that_matches_no_code_is_a_diagnostic_not_silence(
    tmp_path: Path,
) -> None:
    # A misspelled prefix used to hide every diagnostic in the editor without a word.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nmodel = "quicktakes"\nselect = ["QT08"]\n', "utf-8"
    )
    path = str(tmp_path / "p.md")
    analysis = Analysis("---\ntitle: cafÃ©\n---\n", path, setup=setup_for(path))
    first, *rest = analysis.diagnostics
    assert (first.code, first.message) == (
        "E050",
        f"select and ignore ignored: {tmp_path / 'pyproject.toml'}:3:1: "
        "[tool.frontmatter-qt] select: 'QT08' is the prefix of no code\n"
        "help: codes start with E, FQ, QT, V or W",
    )
    assert "QT008" in {d.code for d in rest} and "V001" in {d.code for d in rest}  # all shown


# -- the editor says what the command prints ------------------------------------------------


def engine_offset(text: str, line: int | None, column: int | None) -> int:
    """Offset of a 1-based engine position: lines end at LF only, columns count code points,
    after a BOM (the oracle of Text.engine_offset)."""
    bom = 1 if text.startswith("\ufeff") else 0
    lines = text[bom:].split("\n")
    return bom + sum(len(x) + 1 for x in lines[: (line or 1) - 1]) + (column or 1) - 1


def test_the_editor_reports_exactly_what_check_prints(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(
        site,
        "fq_lsp_site_b",
        '[tool.frontmatter-qt]\nmodel = "quicktakes"\nignore = ["QT007"]\n\n'
        '[[tool.frontmatter-qt.overrides]]\ninclude = ["toml/**"]\nmodel = "fq_lsp_site_b:Note"\n',
    )
    shutil.copytree(QUICKTAKES, site / "qt")
    (site / "toml").mkdir()
    for source in sorted(TOML.glob("content__*.md"))[:30]:
        shutil.copy(source, site / "toml" / source.name)
    shutil.copytree(BAD, site / "bad", ignore=shutil.ignore_patterns("*.txt"))
    command = [sys.executable, "-m", "frontmatter_qt", "check", "-j", "1", str(site)]
    out = subprocess.run(command, cwd=site, capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr
    printed: dict[str, list[str]] = {}  # each file's findings, help lines included
    current = ""
    for line in out.stdout.splitlines():
        if not line.startswith("  help: "):
            current = line.split(":", 1)[0]
        printed.setdefault(current, []).append(line)
    compared = 0
    for path in sorted(site.rglob("*.md")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # an editor shows its own decoding of such a file, not these bytes
        if "\x00" in text:
            continue
        analysis = Analysis(text, str(path), setup=setup_for(str(path)))
        lines = [line for problem in analysis.problems for line in finding_lines(problem)]
        assert lines == printed.get(str(path), []), path
        for problem, diagnostic in zip(analysis.problems, analysis.diagnostics, strict=True):
            # the editor's message: the printed finding's text, then its help line
            _, *help_line = finding_lines(problem)
            shown = "\n".join([problem.text, *(line.strip() for line in help_line)])
            assert (diagnostic.code, diagnostic.message) == (problem.code, shown)
            start = engine_offset(text, problem.line, problem.column)
            assert (diagnostic.range.start.line, diagnostic.range.start.character) == (
                lsp_position(text, start)
            )
            if problem.end_line is not None:
                end = engine_offset(text, problem.end_line, problem.end_column)
                assert (diagnostic.range.end.line, diagnostic.range.end.character) == (
                    lsp_position(text, end)
                )
        compared += bool(lines)
    assert compared >= 40  # most files have something to say: the comparison is not vacuous


# -- repairs: locality on generated documents -----------------------------------------------


@examples(40)
@given(documents(), st.data())
def test_a_quick_fix_rewrites_only_the_lines_of_the_repaired_value(
    generated: Generated, data: st.DataObject
) -> None:
    doc = fq.loads(generated.text)
    paths = [p for p in leaf_paths(doc.data) if doc.position(*p) is not None]
    assume(paths)
    path = data.draw(st.sampled_from(paths))
    get_path(doc.data, path[:-1])[path[-1]] = "caf\u00c3\u00a9 \u00e2\u20ac\u201c"  # cp1252 misread
    try:
        before = doc.dumps()
    except fq.errors.FrontMatterError:
        assume(False)
    expected_doc = fq.loads(before)
    get_path(expected_doc.data, path[:-1])[path[-1]] = "caf\u00e9 \u2013"
    expected = expected_doc.dumps()

    analysis = Analysis(before)
    loaded = fq.loads(before)
    value = loaded.span(path)
    key_line = loaded.key_position(*path)
    assert value is not None
    first = (key_line or (value.line, 1))[0] - 1  # 0-based (no lone CR: the engine refuses those)
    # the finding for this value (another value may hold text ftfy reads as mojibake too,
    # such as a generated "Â "): it points at the broken characters, inside the value
    found = [
        d
        for d in analysis.diagnostics
        if d.code == "FQ001" and d.message.startswith(f"{keypath.format(path)}: mojibake")
    ]
    assert len(found) == 1
    assert value.line - 1 <= found[0].range.start.line <= (value.end_line or 0) - 1
    actions = analysis.code_actions("file:///x.md", found[0].range, ["quickfix"])
    assert [a.title for a in actions] == ["Fix mojibake", "Fix all in file"]
    assert actions[0].diagnostics == found
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    edits = actions[0].edit.changes["file:///x.md"]
    assert apply_edits(before, edits) == expected
    for edit in edits:  # only the repaired value's own lines (its key's line at most)
        assert first <= edit.range.start.line
        assert edit.range.end.line <= found[0].range.end.line + 1


# -- the package stays light ----------------------------------------------------------------


def test_importing_the_package_does_not_import_pygls() -> None:
    code = (
        "import sys, frontmatter_qt, frontmatter_qt.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_the_command_explains_a_missing_pygls() -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; "
        "from frontmatter_qt.cli import main; main(['lsp'], prog_name='frontmatter-qt')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr == (
        "Error: the language server needs pygls: pip install 'frontmatter_qt[lsp]'\n"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-32"])
def test_other_negotiated_encodings(encoding: str) -> None:
    text = "---\nk: [😀, cafÃ©]\n---\n"
    analysis = Analysis(text, encoding=encoding)
    # "k: [" (4) + the emoji (4 bytes, 1 code point) + ", " (2) + "caf" (3); "Ã©" is 4 bytes,
    # 2 points
    start = 13 if encoding == "utf-8" else 10
    assert [(d.code, d.range) for d in analysis.diagnostics] == [
        ("FQ001", rng(1, start, 1, start + (4 if encoding == "utf-8" else 2)))
    ]


def test_a_quick_fix_for_one_item_when_another_item_reads_as_mojibake_too() -> None:
    """Found by a fresh property run: ``"Â "`` (a cp1252 reading of a UTF-8 no-break space,
    with a plain space) is a finding of its own; each finding repairs only its own item."""
    text = '---\ntitle: ["cafÃ©", "Â "]\n---\n'
    analysis = Analysis(text)
    assert [(d.code, d.range, d.message.split("\n")[0]) for d in analysis.diagnostics] == [
        (
            "FQ001",
            rng(1, 12, 1, 14),
            "title[0]: mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it should read 'é')",
        ),
        (
            "FQ001",
            rng(1, 18, 1, 20),
            "title[1]: mojibake 'Â ' (UTF-8 read as cp1252/latin-1; it should read '\\xa0')",
        ),
    ]
    actions = analysis.code_actions("file:///x.md", rng(1, 12, 1, 12), ["quickfix"])
    assert [a.title for a in actions] == ["Fix mojibake", "Fix all in file"]
    assert actions[0].edit is not None and actions[0].edit.changes is not None
    fixed = apply_edits(text, actions[0].edit.changes["file:///x.md"])
    assert fixed == '---\ntitle: ["café", "Â "]\n---\n'


class Cat(BaseModel):
    kind: Literal["cat"]
    meow: int = Field(description="How loud.")
    name: str = ""


class Dog(BaseModel):
    kind: Literal["dog"]
    bark: int = Field(description="How often.")


class Pets(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    pet: Annotated[Cat | Dog, Field(discriminator="kind")]
    pets: list[Annotated[Cat | Dog, Field(discriminator="kind")]] = []
    on: bool = Field(False, alias="true")  # keys YAML would read as a boolean or null unquoted
    nothing: str = Field("", alias="null")


PETS = Setup(Plugin("pets", model=Pets))


def test_discriminated_unions_get_hover_and_the_completion_of_their_own_member() -> None:
    text = "---\npet:\n  kind: dog\n  \npets:\n  - kind: cat\n    meow: 1\n    \n\n---\n"
    analysis = Analysis(text, "pets.md", setup=PETS)
    pet = analysis.hover(types.Position(1, 1))
    assert pet is not None and isinstance(pet.contents, types.MarkupContent)
    assert pet.contents.value == "**pet**: `Cat | Dog` (required)"
    meow = analysis.hover(types.Position(6, 5))
    assert meow is not None and isinstance(meow.contents, types.MarkupContent)
    assert meow.contents.value == "**pets[0].meow**: `integer` (required)\n\nHow loud."
    assert meow.range == rng(6, 4, 6, 8)
    # the keys of the member the discriminator names: a dog barks (not meow, not name)
    assert labels(analysis, 3, 2) == [("bark", "  bark: ", rng(3, 0, 3, 2))]
    cat = Analysis(text.replace("kind: dog", "kind: cat"), "pets.md", setup=PETS)
    assert [label for label, *_ in labels(cat, 3, 2)] == ["meow", "name"]
    # a key YAML reads as true or null when bare is written quoted
    assert labels(analysis, 8, 0) == [
        ("true", '"true": ', rng(8, 0, 8, 0)),
        ("null", '"null": ', rng(8, 0, 8, 0)),
    ]


class Opaque:
    """A type pydantic validates (isinstance) but cannot describe in a JSON Schema."""


class NoSchema(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    title: str = Field("", description="The title.")
    thing: Opaque | None = None


def test_a_model_without_a_json_schema_gets_no_hover_or_completion_and_still_validates() -> None:
    analysis = Analysis("---\ntitle: 3\n\n---\n", "x.md", setup=Setup(Plugin("o", model=NoSchema)))
    assert analysis.hover(types.Position(1, 1)) is None
    assert analysis.completions(types.Position(2, 0)) == []
    assert [(d.code, d.range) for d in analysis.diagnostics] == [("V001", rng(1, 7, 1, 8))]
