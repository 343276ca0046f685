"""``frontmatter-qt lsp``: a Language Server Protocol server for Markdown front matter.

Needs the ``lsp`` extra (``pip install 'frontmatter_qt[lsp]'``, which installs pygls); nothing
outside this package imports it. :mod:`.analysis` is the only module that calls into the rest of
frontmatter_qt (its public API: ``config_for``, ``check_file``, ``Document.span``, the repairs),
:mod:`.schema` reads a model's JSON Schema, :mod:`.positions` converts between engine and LSP
positions, :mod:`.server` is the pygls wiring (debounced analysis off the event loop). Editor
setup: docs/editors.md.
"""
