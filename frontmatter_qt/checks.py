"""What ``frontmatter-qt check`` reports for one file, as a library call.

The command (``cli.py``, per file in its worker processes) and the language server
(``lsp/analysis.py``, per version of an open document) both call :func:`check_file`, so a
terminal and an editor show the same problems: the same codes, messages, positions and order.

The work for one file: read it (an unreadable or unparsable file is its error's diagnostics);
validate it against the plug-in's model, if it has one; run the generic lint rules and the
plug-in's; keep the codes ``select``/``ignore`` admit; order by position, then code. Which
plug-in, ``select`` and ``ignore`` apply is the caller's business (``[tool.frontmatter-qt]``
through :func:`frontmatter_qt.config.config_for`, and the command-line options over it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from frontmatter_qt.diagnostics import Diagnostic, of_error
from frontmatter_qt.document import Document, load, loads, validate
from frontmatter_qt.lint import lint, selected

if TYPE_CHECKING:
    from frontmatter_qt.plugins import Plugin

__all__ = ["check_document", "check_file"]


def check_document(
    doc: Document,
    plugin: Plugin | str | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Diagnostic]:
    """Every problem of a loaded document: its misfits with ``plugin``'s model (if any), then
    the generic and ``plugin``'s lint findings; only codes passing ``select``/``ignore`` (code
    prefixes), ordered by position, then code.

    A user's model or rule is code this package does not control: whatever it raises is
    reported as that exception's diagnostic (``E999``), not raised.
    """
    try:
        from frontmatter_qt.plugins import resolve

        found = _problems(doc, resolve(plugin), select, ignore)
    except Exception as exc:
        found = of_error(exc, doc.path)
    return _kept(found, select, ignore)


def _problems(
    doc: Document, plugin: Plugin | None, select: Sequence[str], ignore: Sequence[str]
) -> list[Diagnostic]:
    found = []
    if plugin is not None and plugin.model is not None:
        found += validate(doc, plugin.model)  # a validator that raises is one E999, not raised
    return found + lint(doc, plugin, select=select, ignore=ignore)  # unselected rules do not run


def check_file(
    path: str | Path | None,
    plugin: Plugin | str | None = None,
    *,
    text: str | bytes | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> tuple[Document | None, list[Diagnostic]]:
    """The document at ``path`` and its problems (:func:`check_document`), every diagnostic
    naming ``path`` as given.

    ``text`` is what the file holds now when that is not what the disk holds (an editor's
    unsaved buffer; ``path`` may then be None); without it the file is read from ``path``. A
    file that cannot be read or parsed is ``(None, [its error's diagnostics])``, filtered by
    ``select``/``ignore`` like any other.
    """
    if text is None and path is None:
        raise TypeError("check_file needs a path or a text")
    try:
        if text is not None:
            doc = loads(text, path=path)
        else:
            assert path is not None  # checked above
            doc = load(path)
    except Exception as exc:  # refused, unreadable, or (a bug) anything else: a diagnostic
        return None, _kept(of_error(exc, path), select, ignore)
    found = check_document(doc, plugin, select=select, ignore=ignore)
    return doc, found if path is None else [d.with_path(path) for d in found]


def _kept(
    found: list[Diagnostic], select: Sequence[str], ignore: Sequence[str]
) -> list[Diagnostic]:
    kept = [d for d in found if selected(d.code, select, ignore)]
    return sorted(kept, key=Diagnostic.sort_key)
