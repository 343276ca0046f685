"""The engine: text split, patches, equality, verification helpers and atomic writes.

It knows no schema, no site and no front-matter syntax: formats (``frontmatter_qt.formats``)
sit on top of it, and schemas, lint rules and repairs on top of those.
"""
