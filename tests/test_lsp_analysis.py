"""The language server's adapter and position arithmetic, without a server (frontmatter_qt.lsp).

LSP positions are checked against an oracle written here from the specification (lines end at
``\\r\\n``, ``\\r`` or ``\\n``; columns count UTF-16 code units unless UTF-8 or UTF-32 was
negotiated), and edits are applied with that oracle, never with the code under test.
test_lsp.py drives the same adapter through a real server over stdio.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from lsprotocol import types
from pydantic import BaseModel, ConfigDict
from strategies import Generated, documents, examples, get_path, leaf_paths

import frontmatter_qt as fq
from frontmatter_qt.lsp.analysis import Analysis, Setup
from frontmatter_qt.plugins import Plugin, load
from frontmatter_qt.lsp.positions import Text, minimal_edits

_BREAK = re.compile(r"\r\n|\r|\n")
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


def test_without_a_model_only_syntax_and_generic_findings() -> None:
    text = "---\ntitle: Hugo page\ndraft: true\nname: cafÃ©\n---\nbody cafÃ©\n"
    analysis = Analysis(text, "page.md")
    assert [(d.code, d.range, d.message) for d in analysis.diagnostics] == [
        ("FQ001", rng(3, 6, 3, 11), "name: mojibake (UTF-8 read as cp1252/latin-1)")
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
    value_line = loaded.position(*path)
    key_line = loaded.key_position(*path)
    assert value_line is not None
    first = (key_line or value_line)[
        0
    ] - 1  # 0-based (no lone CR: the engine refuses to edit those)
    found = [
        d
        for d in analysis.diagnostics
        if d.code == "FQ001" and d.range.start.line == value_line[0] - 1
    ]
    assert len(found) == 1
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
    # "k: [" (4) + the emoji (4 bytes, 1 code point) + ", " (2); "cafÃ©" is 7 bytes, 5 points
    start = 10 if encoding == "utf-8" else 7
    assert [(d.code, d.range) for d in analysis.diagnostics] == [
        ("FQ001", rng(1, start, 1, start + (7 if encoding == "utf-8" else 5)))
    ]
