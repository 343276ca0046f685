"""``frontmatter-qt lsp`` driven by a real LSP client over stdio (pytest-lsp).

One server per model setting for the whole module (``--model quicktakes``, and none); each test
works on its own document URI. Ranges are LSP ranges: 0-based lines, UTF-16 code-unit columns
(the client announces VS Code's capabilities), so an emoji before a value counts twice.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from test_lsp_analysis import apply_edits, rng

pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVER = [sys.executable, "-m", "frontmatter_qt", "lsp", "--debounce", "200"]
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS

ARTICLE = """\
---
_schema: default
id: 97068
date: Dec 07, 2024
title: Why?
article_title: Why?
date_format: MMM DD, YYYY
post_on_text: Posted on
seo:
    title: QuickTakes | Medicine
    page_description: 日本語 😀 cafÃ©
    page_keywords: a,b
author: null
question: Why?
answer: "😀 one\\\\ntwo"
subject: Medicine
file_name: why.md
url: /learn/medicine/questions/why
score: 😀
extra: {😀: 日本, bad: cafÃ©}
---
The body's cafÃ© is left alone.
"""


async def _initialized(lsp_client: LanguageClient) -> None:
    capabilities = client_capabilities("visual-studio-code")
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities))


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*SERVER, "--model", "quicktakes"]),
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await _initialized(lsp_client)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def plain(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await _initialized(lsp_client)
    yield
    await lsp_client.shutdown_session()


async def published(
    client: LanguageClient, uri: str, timeout: float = 20.0
) -> types.PublishDiagnosticsParams:
    """The next diagnostics the server publishes for ``uri``."""
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(PUBLISH), timeout)
        if params.uri == uri:
            return params  # type: ignore[no-any-return]


async def opened(
    client: LanguageClient, uri: str, text: str, version: int = 1
) -> types.PublishDiagnosticsParams:
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    return await published(client, uri)


def changed(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def code_actions(
    client: LanguageClient, uri: str, where: types.Range, only: list[str] | None = None
) -> list[types.CodeAction]:
    """The code actions the server offers for ``where`` (the client sends no diagnostics)."""
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=where,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    assert actions is not None
    assert all(isinstance(action, types.CodeAction) for action in actions)
    return actions  # type: ignore[return-value]


async def hover_at(
    client: LanguageClient, uri: str, line: int, character: int
) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line, character),
        )
    )


async def completions_at(
    client: LanguageClient, uri: str, line: int, character: int
) -> list[types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line, character),
        )
    )
    assert isinstance(result, types.CompletionList)
    return result.items


def summary(params: types.PublishDiagnosticsParams) -> list[tuple[object, ...]]:
    return [(d.code, d.range, d.message, d.severity) for d in params.diagnostics]


WARNING, ERROR = types.DiagnosticSeverity.Warning, types.DiagnosticSeverity.Error
MOJIBAKE = "mojibake 'Ã©' (UTF-8 read as cp1252/latin-1; it should read 'é')"
HELP_ENCODING = "\nhelp: frontmatter-qt fix --encoding repairs it"
ARTICLE_DIAGNOSTICS = [
    (
        "QT012",
        rng(3, 6, 3, 18),
        "date: string 'Dec 07, 2024' where a YAML date is expected\n"
        "help: frontmatter-qt fix --dates repairs it",
    ),
    # the broken characters only: "    page_description: " (22); 日本語 3 + space + 😀 2 + space
    # + "caf" 3 = 32; "Ã©" is 2 units
    ("QT008", rng(10, 32, 10, 34), f"seo.page_description: {MOJIBAKE}{HELP_ENCODING}"),
    # the first literal \n, written `\\n` (3 units): "answer: " 8 + the quote + 😀 (2) + " one"
    (
        "QT009",
        rng(14, 15, 14, 18),
        "answer: 1 literal \\n escape(s) outside code spans\n"
        "help: frontmatter-qt fix --newlines repairs it",
    ),
    (
        "V001",
        rng(18, 7, 18, 9),
        "score: Input should be a valid number, unable to parse string as a number",
    ),
    # "extra: {" 8 + 😀 2 + ": " 2 + 日本 2 + ", " 2 + "bad: " 5 + "caf" 3 = 24
    ("QT008", rng(19, 24, 19, 26), f"extra.bad: {MOJIBAKE}{HELP_ENCODING}"),
]


async def test_diagnostics_have_exact_utf16_ranges_codes_and_messages(
    client: LanguageClient,
) -> None:
    params = await opened(client, "file:///tmp/fq/article.md", ARTICLE)
    assert params.version == 1
    assert [(code, r, m) for code, r, m, _ in summary(params)] == ARTICLE_DIAGNOSTICS
    assert [d.severity for d in params.diagnostics] == [WARNING, WARNING, WARNING, ERROR, WARNING]
    assert {d.source for d in params.diagnostics} == {"frontmatter-qt"}


async def test_a_quick_fix_edits_only_its_value_line(client: LanguageClient) -> None:
    uri = "file:///tmp/fq/quick-fix.md"
    await opened(client, uri, ARTICLE)
    answer = rng(14, 10, 14, 10)  # the cursor inside the answer's value, before the escape
    actions = await code_actions(client, uri, answer)
    assert [(a.title, a.kind) for a in actions if isinstance(a, types.CodeAction)] == [
        ("Turn literal \\n into line breaks", types.CodeActionKind.QuickFix),
        ("Fix all in file", types.CodeActionKind.QuickFix),
    ]
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit is not None
    assert fix.diagnostics is not None and [d.code for d in fix.diagnostics] == ["QT009"]
    assert fix.edit.changes is not None and list(fix.edit.changes) == [uri]
    assert list(fix.edit.changes[uri]) == [
        types.TextEdit(rng(14, 0, 15, 0), 'answer: "😀 one\\ntwo"\n')
    ]
    fixed = apply_edits(ARTICLE, fix.edit.changes[uri])
    assert fixed == ARTICLE.replace('answer: "😀 one\\\\ntwo"', 'answer: "😀 one\\ntwo"')

    changed(client, uri, fixed, 2)
    params = await published(client, uri)
    assert params.version == 2
    assert [code for code, *_ in summary(params)] == ["QT012", "QT008", "V001", "QT008"]


FIXED_ALL = (
    ARTICLE.replace("date: Dec 07, 2024", "date: 2024-12-07")
    .replace("日本語 😀 cafÃ©", "日本語 😀 café")
    .replace('answer: "😀 one\\\\ntwo"', 'answer: "😀 one\\ntwo"')
    .replace("bad: cafÃ©}", "bad: café}")
)


async def test_fix_all_in_file_repairs_the_front_matter_and_leaves_the_body(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/fix-all.md"
    await opened(client, uri, ARTICLE)
    actions = await code_actions(client, uri, rng(0, 0, 0, 0), [types.CodeActionKind.SourceFixAll])
    assert len(actions) == 1
    fix_all = actions[0]
    assert isinstance(fix_all, types.CodeAction) and fix_all.edit is not None
    assert (fix_all.title, fix_all.kind) == ("Fix all in file", types.CodeActionKind.SourceFixAll)
    assert fix_all.edit.changes is not None
    edits = fix_all.edit.changes[uri]
    assert [(e.range.start.line, e.range.end.line) for e in edits] == [
        (3, 4),
        (10, 11),
        (14, 15),
        (19, 20),
    ]
    result = apply_edits(ARTICLE, edits)
    assert result.encode() == FIXED_ALL.encode()
    assert result.endswith("The body's cafÃ© is left alone.\n")

    changed(client, uri, result, 2)
    params = await published(client, uri)
    assert [code for code, *_ in summary(params)] == ["V001"]


async def test_hover_shows_the_fields_description_and_type(client: LanguageClient) -> None:
    uri = "file:///tmp/fq/hover.md"
    await opened(client, uri, ARTICLE)

    async def hover(line: int, character: int) -> types.Hover | None:
        return await hover_at(client, uri, line, character)

    seo = await hover(8, 1)
    assert seo is not None and seo.range == rng(8, 0, 8, 3)
    assert seo.contents == types.MarkupContent(
        kind=types.MarkupKind.Markdown,
        value="**seo**: `Seo` (required)\n\nSearch-engine metadata.",
    )
    keywords = await hover(11, 10)
    assert keywords is not None and keywords.range == rng(11, 4, 11, 17)
    assert isinstance(keywords.contents, types.MarkupContent)
    assert keywords.contents.value == (
        "**seo.page_keywords**: `string` (required)\n\nComma-separated keywords; see ``keywords``."
    )
    author = await hover(12, 0)
    assert isinstance(author, types.Hover) and isinstance(author.contents, types.MarkupContent)
    assert author.contents.value == (
        "**author**: `string | null`\n\nAuthor name; may be empty (null)."
    )
    assert await hover(19, 1) is None  # `extra` is not a field of the model
    assert await hover(9, 20) is None  # a value, not a key
    assert await hover(21, 2) is None  # the body


COMPLETE = """\
---
_schema: default
seo:
    title: QuickTakes | Medicine
    pa
    page_description: x
---
Body
"""


async def test_completion_offers_missing_keys_at_the_mappings_own_indentation(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/complete.md"
    await opened(client, uri, COMPLETE)

    async def complete(line: int, character: int) -> list[types.CompletionItem]:
        return await completions_at(client, uri, line, character)

    nested = await complete(4, 6)
    assert [item.label for item in nested] == ["page_keywords"]
    assert nested[0].text_edit == types.TextEdit(rng(4, 0, 4, 6), "    page_keywords: ")
    assert nested[0].filter_text == "    page_keywords"
    assert nested[0].detail == "string"

    # the next keystrokes: "pa" deleted, "ti" typed at the top level
    changed(client, uri, COMPLETE.replace("    pa\n", "").replace("---\nBody", "ti\n---\nBody"), 2)
    top = await complete(5, 2)
    # every field but the two present, in the model's order
    assert [item.label for item in top] == [
        "id",
        "date",
        "title",
        "article_title",
        "date_format",
        "post_on_text",
        "author",
        "question",
        "answer",
        "subject",
        "file_name",
        "url",
        "score",
    ]
    title = top[2]
    assert title.text_edit == types.TextEdit(rng(5, 0, 5, 2), "title: ")
    assert title.documentation == types.MarkupContent(
        kind=types.MarkupKind.Markdown, value="The question, as page title."
    )
    assert [item.sort_text for item in top][:3] == ["00001", "00002", "00003"]
    assert top[6].sort_text == "10008"  # `author` is optional: after the required keys
    assert list(await complete(3, 10)) == []  # inside a value


async def test_completion_inserts_a_missing_mapping_on_its_own_lines(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/complete-mapping.md"
    text = "---\r\nrelated_article1:\r\n    id: 1\r\nse\r\n---\r\n"
    await opened(client, uri, text)
    items = await completions_at(client, uri, 3, 2)
    seo = [item for item in items if item.label == "seo"]
    assert [item.text_edit for item in seo] == [
        types.TextEdit(rng(3, 0, 3, 2), "seo:\r\n    ")  # the file's CRLF, its 4-space step
    ]


async def test_a_burst_of_changes_publishes_the_last_version_only(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/burst.md"
    await opened(client, uri, ARTICLE)
    for version in range(2, 8):
        changed(client, uri, ARTICLE.replace("score: 😀", f"score: {'x' * version}"), version)
    params = await published(client, uri)
    assert params.version == 7
    score = [d for d in params.diagnostics if d.code == "V001"]
    assert [d.range for d in score] == [rng(18, 7, 18, 14)]  # "xxxxxxx": version 7's text
    with pytest.raises(asyncio.TimeoutError):  # nothing for the versions in between, later
        await published(client, uri, timeout=1.0)


async def test_save_analyses_at_once_and_close_clears(client: LanguageClient) -> None:
    uri = "file:///tmp/fq/save.md"
    await opened(client, uri, ARTICLE)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    params = await published(client, uri)
    assert params.version == 1
    assert [code for code, *_ in summary(params)] == [c for c, *_ in ARTICLE_DIAGNOSTICS]
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    params = await published(client, uri)
    assert list(params.diagnostics) == []


async def test_a_refused_file_gets_a_positioned_diagnostic_and_the_server_lives_on(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/refused.md"
    params = await opened(client, uri, "---\ntitle: 😀\nmeta: {😀: 1, 😀: 2}\n---\n")
    assert summary(params) == [
        (
            "E006",
            rng(2, 14, 2, 20),
            "duplicate key '😀' (first on line 3)\n"
            "help: remove one of the two, or rename one: a mapping holds each key once",
            ERROR,
        )
    ]
    hover = await hover_at(client, uri, 1, 1)
    assert hover is None
    params = await opened(client, "file:///tmp/fq/unclosed.md", "---\ntitle: x\n")
    assert summary(params) == [
        (
            "E003",
            rng(0, 0, 0, 3),
            "front matter opened with '---' on line 1 is never closed by a '---' or '...' line\n"
            "help: end the front matter with a line holding only `---` (`+++` for TOML)",
            ERROR,
        )
    ]


async def test_without_a_model_there_is_no_flood_of_missing_fields(
    plain: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/hugo.md"
    params = await opened(plain, uri, "---\ntitle: 日本 cafÃ©\ndraft: true\n---\nbody\n")
    assert summary(params) == [
        ("FQ001", rng(1, 13, 1, 15), f"title: {MOJIBAKE}{HELP_ENCODING}", WARNING)
    ]
    actions = await code_actions(plain, uri, rng(1, 8, 1, 8))  # in the value, not on "Ã©"
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit is not None
    assert fix.title == "Fix mojibake"
    assert fix.edit.changes is not None and list(fix.edit.changes) == [uri]
    assert list(fix.edit.changes[uri]) == [types.TextEdit(rng(1, 0, 2, 0), "title: 日本 café\n")]


# -- configuration: [tool.frontmatter-qt] next to the file ------------------------------------


async def test_a_configured_model_is_picked_up_from_the_pyproject_next_to_the_file(
    plain: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "fq_lsp_served_site.py").write_text(
        "from pydantic import BaseModel, ConfigDict\n\n"
        "class Page(BaseModel):\n"
        '    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid")\n'
        "    title: str\n"
        '    """Page title."""\n'
        "    weight: int = 0\n"
        '    """Sort weight."""\n',
        "utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nmodel = "fq_lsp_served_site:Page"\nignore = ["FQ001"]\n', "utf-8"
    )
    uri = (tmp_path / "page.md").as_uri()
    text = "---\ntitle: cafÃ©\nweigth: 3\n---\n"  # FQ001 ignored by the configuration
    params = await opened(plain, uri, text)
    assert summary(params) == [
        ("V001", rng(2, 8, 2, 9), "weigth: Extra inputs are not permitted", ERROR)
    ]
    hover = await hover_at(plain, uri, 1, 2)
    assert hover is not None and hover.contents == types.MarkupContent(
        kind=types.MarkupKind.Markdown, value="**title**: `string` (required)\n\nPage title."
    )
    changed(plain, uri, "---\ntitle: cafÃ©\nwe\n---\n", 2)
    await published(plain, uri)
    items = await completions_at(plain, uri, 2, 2)
    assert [(i.label, i.text_edit) for i in items] == [
        ("weight", types.TextEdit(rng(2, 0, 2, 2), "weight: "))
    ]


async def test_the_servers_model_wins_over_the_configuration(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.frontmatter-qt]\nmodel = "fq_not_imported:Page"\n', "utf-8"
    )  # a model that does not import: --model quicktakes wins over it, yet the configuration
    # is broken, and the document says so first
    uri = (tmp_path / "article.md").as_uri()
    params = await opened(client, uri, ARTICLE)
    codes = [code for code, *_ in summary(params)]
    assert codes[0] == "E050" and codes[1:] == [c for c, *_ in ARTICLE_DIAGNOSTICS]
    assert params.diagnostics[0].range == rng(0, 0, 0, 3)
    assert params.diagnostics[0].message == (
        f"configuration ignored: {tmp_path / 'pyproject.toml'}:2:1: [tool.frontmatter-qt] "
        "cannot import fq_not_imported: ModuleNotFoundError: No module named 'fq_not_imported'"
    )


# -- TOML front matter ----------------------------------------------------------------------

TOML_ARTICLE = """\
+++
title = "Why?"
date = "Dec 07, 2024"  # shown on the page

[seo]
title = "QuickTakes | Medicine"
page_description = "日本語 😀 cafÃ©"

+++
The body's cafÃ© is left alone.
"""


async def test_toml_front_matter_diagnostics_hover_completion_and_a_code_action(
    client: LanguageClient,
) -> None:
    uri = "file:///tmp/fq/toml-article.md"
    params = await opened(client, uri, TOML_ARTICLE)
    found = [(code, r, m) for code, r, m, _ in summary(params) if code != "V001"]
    assert found == [
        (
            "QT012",
            rng(2, 7, 2, 21),
            "date: string 'Dec 07, 2024' where a YAML date is expected\n"
            "help: frontmatter-qt fix --dates repairs it",
        ),
        # 'page_description = "' (20) + 日本語 3 + space + 😀 2 + space + "caf" 3: the "Ã©"
        ("QT008", rng(6, 30, 6, 32), f"seo.page_description: {MOJIBAKE}{HELP_ENCODING}"),
    ]
    missing = [(r, m) for code, r, m, _ in summary(params) if code == "V001"]
    assert (rng(4, 1, 4, 4), "seo.page_keywords: Field required") in missing  # at [seo]
    assert (rng(0, 0, 0, 3), "id: Field required") in missing  # at the opening +++

    hover = await hover_at(client, uri, 6, 3)
    assert hover is not None and hover.range == rng(6, 0, 6, 16)
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**seo.page_description**: `string` (required)")

    actions = await code_actions(client, uri, rng(2, 9, 2, 9))
    fix = actions[0]
    assert isinstance(fix, types.CodeAction) and fix.edit is not None
    assert fix.edit.changes is not None
    assert fix.title == "Normalise date"
    assert list(fix.edit.changes[uri]) == [
        types.TextEdit(rng(2, 0, 3, 0), "date = 2024-12-07  # shown on the page\n")
    ]
    fixed = apply_edits(TOML_ARTICLE, fix.edit.changes[uri])
    assert fixed == TOML_ARTICLE.replace('"Dec 07, 2024"', "2024-12-07")

    # in the [seo] table, a half-typed key: `key = `, not `key: `
    typing = TOML_ARTICLE.replace('cafÃ©"\n\n', 'cafÃ©"\npa\n')
    changed(client, uri, typing, 2)
    await published(client, uri)
    items = await completions_at(client, uri, 7, 2)
    assert [(i.label, i.text_edit) for i in items] == [
        ("page_keywords", types.TextEdit(rng(7, 0, 7, 2), "page_keywords = "))
    ]


async def test_requests_about_a_document_that_is_not_open_get_empty_answers(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The server knows only the documents the client opened: it does not read a file from
    disk (an untitled URI would name a file in the server's working directory)."""
    on_disk = tmp_path / "never-opened.md"
    on_disk.write_text("---\ntitle: Why?\n---\n", "utf-8")
    for uri in [on_disk.as_uri(), "untitled:Untitled-1", "file:///nowhere/missing.md"]:
        assert await hover_at(client, uri, 1, 1) is None
        assert list(await completions_at(client, uri, 2, 0)) == []
        assert list(await code_actions(client, uri, rng(1, 0, 1, 0))) == []
