"""The YAML parser's errors in words a person understands, at the place the mistake is.

libyaml says what its scanner was doing ("while scanning a quoted scalar: found unexpected end
of stream") and where it stopped, which is often lines below the mistake (the end of the front
matter, for an unclosed quote). :func:`syntax_error` is the one place where its errors become
ours: it recognises the usual mistakes by the parser's context and problem, points at their
cause (the opening quote, the character that cannot start a value, the text after a closing
quote) and says what to do in a hint. Anything it does not recognise keeps the parser's words,
prefixed with "YAML syntax error".
"""

from __future__ import annotations

from collections.abc import Callable

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scanner import Scanner

from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import TabIndentationError, YAMLSyntaxError

__all__ = ["quote_hint", "syntax_error"]

#: Characters YAML reserves or uses as indicators: a plain (unquoted) value cannot start with
#: them (``%`` directives, ``@`` and backtick reserved, ``*``/``&``/``!`` alias, anchor, tag,
#: ``|``/``>`` block scalars, flow punctuation).
_INDICATORS = "%@`*&!|>]},"
_NAMES = {
    "%": "a percent sign `%`",
    "@": "an at sign `@`",
    "`": "a backtick (`)",
    "*": "an asterisk `*` (which starts an alias)",
    "&": "an ampersand `&` (which starts an anchor)",
    "!": "an exclamation mark `!` (which starts a tag)",
    "|": "a bar `|` (which starts a literal block)",
    ">": "a `>` (which starts a folded block)",
    "]": "a `]`",
    "}": "a `}`",
    ",": "a comma `,`",
}


def syntax_error(exc: MarkedYAMLError, text: str, shift: int) -> Located:
    """The ``Located`` error for a libyaml error on ``text`` (marks shifted by ``shift``)."""
    context, problem = exc.context or "", exc.problem or str(exc)
    problem_at = _offset(exc.problem_mark, text, shift)
    context_at = _offset(exc.context_mark, text, shift)
    at = problem_at if problem_at is not None else (context_at or 0)
    for matches, explain in _RULES:
        if matches(context, problem):
            found = explain(text, at, context_at)
            if found is not None:
                return found
    words = f"{context}: {problem}" if context else problem
    return Located(YAMLSyntaxError, f"YAML syntax error: {words}", at)


def _offset(mark: object, text: str, shift: int) -> int | None:
    index = getattr(mark, "index", None)
    return None if index is None else min(int(index) + shift, len(text))


def quote_hint(text: str, start: int) -> str:
    """``quote the value: 'the rest of the line'`` for a plain value starting at ``start``."""
    return f"quote the value: {_quoted(text, start)}"


def _quoted(text: str, start: int) -> str:
    """The rest of the line from ``start`` (less a comment) as a single-quoted YAML scalar."""
    value = _line_rest(text, start).replace("'", "''")
    return f"'{value}'"


def _line_rest(text: str, start: int) -> str:
    end = text.find("\n", start)
    value = text[start : len(text) if end == -1 else end].rstrip()
    comment = value.find(" #")
    return value[:comment].rstrip() if comment > 0 else value


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


# -- the mistakes recognised, in the order they are tried ---------------------------------------

Explain = Callable[[str, int, "int | None"], "Located | None"]


def _unclosed_quote(text: str, at: int, opened: int | None) -> Located | None:
    if opened is None or opened >= len(text) or text[opened] not in "'\"":
        return None
    quote = text[opened]
    inside = '\\"' if quote == '"' else "''"
    return Located(
        YAMLSyntaxError,
        "this quote is never closed",
        opened,
        f"end the value with {quote} (a {quote} inside it is written {inside}), "
        "or write the value without quotes",
    )


def _cannot_start(text: str, at: int, _: int | None) -> Located | None:
    if at >= len(text):
        return None
    char = text[at]
    if char == "\t":
        return Located(
            TabIndentationError,
            "a tab character is used for indentation; YAML indents with spaces only",
            at,
        )
    name = _NAMES.get(char, f"the character {char!r}")
    return Located(
        YAMLSyntaxError,
        f"a value cannot start with {name} unless it is quoted",
        at,
        quote_hint(text, at),
    )


def _alias_or_anchor(text: str, at: int, started: int | None) -> Located | None:
    return _cannot_start(text, started if started is not None else at, None)


def _block_header(text: str, at: int, started: int | None) -> Located | None:
    start = started if started is not None else at
    indicator = text[start] if start < len(text) else "|"
    return Located(
        YAMLSyntaxError,
        f"text follows `{indicator}` on its line; a block value starts on the next line",
        at,
        f"put the text on the lines below `{indicator}`, indented, or {quote_hint(text, start)}",
    )


def _colon_in_value(text: str, at: int, _: int | None) -> Located | None:
    line_start = _line_start(text, at)
    before = text[line_start:at]
    if ": " in before or before.rstrip().endswith(":"):
        value_start = line_start + before.index(":") + 1
        while value_start < at and text[value_start] == " ":
            value_start += 1
        return Located(
            YAMLSyntaxError,
            "a value that is not quoted cannot contain `: `",
            at,
            quote_hint(text, value_start),
        )
    return Located(
        YAMLSyntaxError,
        "this line is indented more than the line above, so it continues that value, "
        "and a value that is not quoted cannot contain `: `",
        line_start + len(before) - len(before.lstrip(" ")),
        "indent it like the other keys of its mapping",
    )


def _missing_colon(text: str, at: int, started: int | None) -> Located | None:
    start = started if started is not None else at
    return Located(
        YAMLSyntaxError,
        "this line is neither a `key: value` pair nor the continuation of a value",
        start,
        "add `: ` after the key, indent the line to continue the value above, "
        "or start it with # to make it a comment",
    )


def _unclosed_flow(text: str, at: int, opened: int | None) -> Located | None:
    if opened is None or opened >= len(text) or text[opened] not in "[{":
        return None
    bracket = text[opened]
    closing, kind = ("]", "list") if bracket == "[" else ("}", "mapping")
    return Located(
        YAMLSyntaxError,
        f"this `{bracket}` {kind} is not closed with `{closing}` (or a comma is missing)",
        opened,
        f"close it with `{closing}` and separate its items with commas; "
        f"a text that starts with `{bracket}` must be quoted: {_quoted(text, opened)}",
    )


def _bad_escape(text: str, at: int, _: int | None) -> Located | None:
    backslash = text.rfind("\\", _line_start(text, at), at + 1)
    if backslash == -1:
        return None
    escape = text[backslash : backslash + 2]
    known = escape[1:] in Scanner.ESCAPE_CODES
    return Located(
        YAMLSyntaxError,
        f"`{escape}` starts a character code ({escape}{'X' * Scanner.ESCAPE_CODES[escape[1]]}) "
        "in a double-quoted value, and no code follows"
        if known
        else f"`{escape}` is not an escape YAML knows in a double-quoted value",
        backslash,
        "write a backslash as \\\\, or use single quotes, where a backslash is just a backslash",
    )


def _expected_key(text: str, at: int, _: int | None) -> Located | None:
    odd = _odd_indented_line(text, at)
    if odd is not None:
        return Located(
            YAMLSyntaxError,
            "this line is indented unlike its neighbours",
            odd,
            "indent it like the lines around it (keys of one mapping share one indentation)",
        )
    line_start = _line_start(text, at)
    before = text[line_start:at].rstrip(" ")
    if before and before[-1] in "'\"" and at < len(text) and text[at] not in "\n#":
        quote = before[-1]
        inside = '\\"' if quote == '"' else "''"
        return Located(
            YAMLSyntaxError,
            f"text follows the closing {quote} of a quoted value",
            at,
            f"put the whole value inside the quotes (a {quote} inside it is written {inside})",
        )
    if before and before[-1] in "]}" and at < len(text) and text[at] not in "\n#":
        kind = "list" if before[-1] == "]" else "mapping"
        colon = before.find(": ")
        return Located(
            YAMLSyntaxError,
            f"text follows the closing `{before[-1]}` of a {kind}",
            at,
            quote_hint(text, line_start + colon + 2 if colon != -1 else at),
        )
    if text.startswith("- ", at) or text.startswith("-\n", at):
        return Located(
            YAMLSyntaxError,
            "a list item where a `key:` was expected",
            at,
            "indent the list under the key it belongs to",
        )
    return None


def _odd_indented_line(text: str, offset: int) -> int | None:
    """The offset of a lone line indented deeper than both its neighbours, just before
    ``offset`` (the usual cause of "did not find expected key"), else None."""
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start == 0:
        return None
    before = text[: line_start - 1].split("\n")
    meaningful = [line for line in before if line.strip() and not line.lstrip().startswith("#")]
    if len(meaningful) < 2:
        return None
    odd, previous = meaningful[-1], meaningful[-2]
    depth = len(odd) - len(odd.lstrip(" "))
    here = offset - line_start
    if depth > here and len(previous) - len(previous.lstrip(" ")) < here:
        return text.rfind(odd, 0, line_start) + depth
    return None


def _list_item_expected(text: str, at: int, _: int | None) -> Located | None:
    return Located(
        YAMLSyntaxError,
        "a `key:` where the next `- ` list item was expected",
        at,
        "a list and the keys of a mapping cannot share an indentation; indent the list "
        "under its key",
    )


def _sequence_on_key_line(text: str, at: int, _: int | None) -> Located | None:
    return Located(
        YAMLSyntaxError,
        "a `- ` list cannot start on the same line as its key",
        at,
        f"put each `- item` on its own line below the key, or {quote_hint(text, at)}",
    )


def _matcher(context: str, problem: str) -> Callable[[str, str], bool]:
    return lambda c, p: context in c and problem in p


# libyaml's words first, then the pure-Python parser's where they differ.
_RULES: list[tuple[Callable[[str, str], bool], Explain]] = [
    (_matcher("quoted scalar", "unexpected end of stream"), _unclosed_quote),
    (_matcher("", "cannot start any token"), _cannot_start),
    (_matcher("while scanning an alias", "expected alphabetic or numeric"), _alias_or_anchor),
    (_matcher("while scanning an anchor", "expected alphabetic or numeric"), _alias_or_anchor),
    (_matcher("while scanning a block scalar", "expected comment or line break"), _block_header),
    (_matcher("while scanning a block scalar", "expected chomping or indentation"), _block_header),
    (_matcher("", "mapping values are not allowed"), _colon_in_value),
    (_matcher("while scanning a simple key", "could not find expected ':'"), _missing_colon),
    (_matcher("flow", "expected ','"), _unclosed_flow),
    (_matcher("", "found unknown escape character"), _bad_escape),
    (_matcher("quoted scalar", "hexdecimal"), _bad_escape),
    (_matcher("block mapping", "did not find expected key"), _expected_key),
    (_matcher("block mapping", "expected <block end>"), _expected_key),
    (_matcher("block collection", "did not find expected '-' indicator"), _list_item_expected),
    (_matcher("block collection", "expected <block end>"), _list_item_expected),
    (_matcher("", "did not find expected node content"), _cannot_start),
    (_matcher("", "expected the node content"), _cannot_start),
    (_matcher("", "sequence entries are not allowed"), _sequence_on_key_line),
]
