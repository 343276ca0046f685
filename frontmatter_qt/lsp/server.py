"""The ``frontmatter-qt lsp`` server: pygls over stdio, answers from :mod:`.analysis`.

Typing must never wait for the engine. Each change only (re)starts a short timer for its
document; when the timer runs out, the newest text is analysed on a worker thread, and the result
is published only if no newer version arrived meanwhile (a stale result is dropped, never shown).
Requests (code actions, hover, completion) reuse the analysis of the current version, or make it
on the same worker. One worker: the engine's memos are meant for one thread, and analyses of one
document must not overtake each other.

Documents are synchronised in full, not incrementally: pygls applies incremental changes with
``str.splitlines``, which also breaks lines at U+2028 and U+0085, characters front matter may
hold, and would then splice edits into the wrong line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from frontmatter_qt import __version__
from frontmatter_qt.lsp.analysis import Analysis, setup_for

__all__ = ["DEFAULT_DELAY", "FrontMatterServer", "serve"]

log = logging.getLogger(__name__)

#: Seconds of quiet after a change before the document is analysed.
DEFAULT_DELAY = 0.3

T = TypeVar("T")


class FrontMatterServer(LanguageServer):
    """A language server for Markdown front matter (any document the client sends)."""

    def __init__(
        self, *, model: str | None = None, config: str | None = None, delay: float = DEFAULT_DELAY
    ) -> None:
        super().__init__(
            "frontmatter-qt", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.model = model
        self.config = config
        self.delay = delay
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frontmatter-qt")
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._analyses: dict[str, tuple[int | None, Analysis]] = {}

    # -- analysis -------------------------------------------------------------------------------

    def _analyse(self, uri: str, text: str, diagnose: bool = False) -> Analysis:
        """An analysis of ``text`` (on the worker) under the settings of its file; with
        ``diagnose``, its diagnostics made too, so that publishing them does not lint on the
        event loop."""
        encoding = str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)
        path = to_fs_path(uri)
        setup = setup_for(path, model=self.model, config=self.config)
        analysis = Analysis(text, path, setup=setup, encoding=encoding)
        if diagnose:
            analysis.diagnostics  # noqa: B018  (computed here, off the event loop)
        return analysis

    async def _on_worker(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, call, *args)

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse ``uri`` after ``delay`` seconds unless another change comes first."""
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = asyncio.get_running_loop().create_task(self._publish_later(uri, delay))

    async def _publish_later(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if uri not in self.workspace.text_documents:
            return  # closed meanwhile (or a change to a document never opened)
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        try:
            analysis = await self._on_worker(self._analyse, uri, text, True)
        except Exception:  # a bug in the analysis must not take the editor's server down
            log.exception("analysis of %s failed", uri)
            return
        if uri not in self._timers or self.workspace.get_text_document(uri).version != version:
            return  # closed, or a newer version is on its way: this result is stale
        self._analyses[uri] = (version, analysis)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=analysis.diagnostics
            )
        )

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version (made now if there is none yet);
        None for a document the client has not opened. (pygls would read that one from disk,
        and an untitled one from a file of the working directory: the server answers only
        about the texts the editor sent.)"""
        if uri not in self.workspace.text_documents:
            return None
        document = self.workspace.get_text_document(uri)
        cached = self._analyses.get(uri)
        if cached is not None and cached[0] == document.version:
            return cached[1]
        return await self._on_worker(self._analyse, uri, document.source)

    def forget(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._analyses.pop(uri, None)


def build(
    *, model: str | None = None, config: str | None = None, delay: float = DEFAULT_DELAY
) -> FrontMatterServer:
    """A server with its features registered. ``model`` (a plug-in spec: ``quicktakes`` or
    ``package.module:Class``) wins over each file's configuration; ``config`` names the
    ``pyproject.toml`` to use for every file instead of the nearest one."""
    server = FrontMatterServer(model=model, config=config, delay=delay)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FrontMatterServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FrontMatterServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.delay)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FrontMatterServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FrontMatterServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.forget(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.SourceFixAll,
            ]
        ),
    )
    async def code_action(
        ls: FrontMatterServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        analysis = await ls.current(uri)
        if analysis is None:
            return []
        only = params.context.only
        return await ls._on_worker(analysis.code_actions, uri, params.range, only)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: FrontMatterServer, params: types.HoverParams) -> types.Hover | None:
        analysis = await ls.current(params.text_document.uri)
        if analysis is None:
            return None
        return await ls._on_worker(analysis.hover, params.position)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions())
    async def completion(
        ls: FrontMatterServer, params: types.CompletionParams
    ) -> types.CompletionList:
        analysis = await ls.current(params.text_document.uri)
        if analysis is None:
            return types.CompletionList(is_incomplete=False, items=[])
        items = await ls._on_worker(analysis.completions, params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FrontMatterServer, params: None) -> None:
        for uri in list(ls._timers):
            ls.forget(uri)
        ls._worker.shutdown(wait=False, cancel_futures=True)

    return server


def serve(
    *, model: str | None = None, config: str | None = None, delay: float = DEFAULT_DELAY
) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    build(model=model, config=config, delay=delay).start_io()
