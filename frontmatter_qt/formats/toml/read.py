"""Reading TOML front matter with the standard library's parser (``tomllib``; ``tomli`` on 3.10).

tomllib decides validity and data, for the first reading and for the verification re-read of
every output. It is not the code that writes (that is ``edit.py`` with tomlkit's value
rendering), so a writing mistake cannot hide itself. Its errors become ``Located`` errors at
the offset it names, or, when the positioned scanner recognises the mistake (a duplicate key,
a table defined twice, an unterminated string, a trailing comma in an inline table), at the
scanner's more exact place and in its plainer words.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import DepthLimitError, LimitExceededError, TOMLSyntaxError
from frontmatter_qt.formats.toml.scan import ITEM_EDGE, ITEM_TOKEN, diagnose

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["load", "located", "read_data", "tomllib"]

_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def read_data(text: str, limits: Limits) -> dict[str, Any]:
    """The data of a TOML text, limits checked (``Located`` errors)."""
    data = load(text, limits)
    check_limits(data, limits)
    return data


def load(
    text: str, limits: Limits, diagnosis: Callable[[], Located | None] | None = None
) -> dict[str, Any]:
    """tomllib's reading of a text (``Located`` errors); limits are the caller's. On an error,
    ``diagnosis`` gives the scanner's reading of the mistake if the text was scanned already
    (else it is scanned then)."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = diagnose(text, limits) if diagnosis is None else diagnosis()
        raise located(text, exc, found) from None
    except RecursionError:
        found = diagnose(text, limits) if diagnosis is None else diagnosis()
        if found is not None:  # DepthLimitError at the place it is exceeded
            raise found from None
        raise Located(DepthLimitError, "arrays and tables nested too deeply", 0) from None
    return data


def located(text: str, exc: Exception, better: Located | None) -> Located:
    """tomllib's error as a ``Located`` (``better``, the scanner's, when it names the same
    mistake)."""
    message = str(exc.args[0]) if exc.args else str(exc)
    offset = len(text)
    lineno, colno = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    found = _WHERE.search(message)
    if found is not None:
        message = message[: found.start()]
        if found.group(1) is not None and lineno is None:
            lineno, colno = int(found.group(1)), int(found.group(2))
    message = getattr(exc, "msg", message)
    if lineno is not None and colno is not None and found is not None and found.group(1):
        offset = _offset(text, lineno, colno)
    # The scanner's error when it is not after tomllib's: it names the same mistake, or one
    # before it. (After it on the same line, it may follow a bad bare token the scanner read
    # as a value and tomllib refused first.)
    if better is not None and better.offset <= offset:
        return better
    return _translated(text, _plain(message), offset)


def _translated(text: str, message: str, offset: int) -> Located:
    """tomllib's usual messages as plain sentences with a hint, at the place of the mistake;
    any other keeps tomllib's words."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    key, equals, value = line.partition("=")
    if message == "invalid value" and equals and value.strip():
        word = value.split("#")[0].strip()
        shown = word.replace("\\", "\\\\").replace('"', '\\"')
        import difflib  # only for this mistake

        meant = difflib.get_close_matches(word.lower(), ["true", "false"], n=1, cutoff=0.6)
        return Located(
            TOMLSyntaxError,
            "a text value must be quoted in TOML",
            offset,
            f'write {key.strip()} = "{shown}"'
            + (f" (or {key.strip()} = {meant[0]}: booleans are lowercase)" if meant else ""),
        )
    if message == "invalid value" and equals:
        return Located(
            TOMLSyntaxError,
            "a key without a value",
            offset,
            'write a value after `=` (`""` for empty text), or remove the line',
        )
    if message.startswith("expected '=' after a key") and ":" in line:
        name = line.split(":", 1)[0].strip()
        return Located(
            TOMLSyntaxError,
            "`key: value` is YAML; TOML writes `key = value`",
            offset,
            f"write {name} = ..., or open the front matter with --- to write YAML",
        )
    if message == "unclosed array" and offset < len(text):
        # tomllib stops where an item does not end in `,` or `]`: inside a bad value glued to
        # what it read (`-0.`, `1e1s`). (At the next item when a comma is missing: the
        # scanner's ``Located``.)
        before = text[line_start:offset]
        if before and before[-1] not in ITEM_EDGE and text[offset] not in ITEM_EDGE:
            start = max(before.rfind(c) for c in ITEM_EDGE) + 1
            token = ITEM_TOKEN.match(text, line_start + start)
            assert token is not None  # matches at least the characters before the offset
            return Located(
                TOMLSyntaxError,
                f"{token.group()!r} is not a valid TOML value",
                line_start + start,
                "numbers are written 1, -0.5, 1e10, inf or nan; quote text",
            )
    if message == "unclosed array":
        opened = text.rfind("[", 0, offset)
        return Located(
            TOMLSyntaxError,
            "this `[` array is not closed with `]` (or a comma is missing)",
            max(opened, 0),
            "close it with `]` and separate its items with commas",
        )
    if message == "unescaped '\\' in a string":
        backslash = text.rfind("\\", line_start, offset + 1)
        return Located(
            TOMLSyntaxError,
            'a backslash in a "basic string" must start an escape (\\n, \\t, \\\\, \\uXXXX)',
            backslash if backslash != -1 else offset,
            "write a backslash as \\\\, or use a 'literal string', where a backslash is just a "
            "backslash",
        )
    if message == "expected newline or end of document after a statement":
        return Located(
            TOMLSyntaxError,
            "the value ends before this, but the line goes on",
            offset,
            "quote text that holds spaces; numbers have no leading zeros; put each `key = value` "
            "on its own line",
        )
    if message == "invalid initial character for a key part":
        return Located(
            TOMLSyntaxError,
            "a key cannot start here",
            offset,
            "an inline table `{...}` stays on one line in TOML 1.0; a key is letters, digits, "
            "`-` and `_`, or quoted",
        )
    if message == "invalid statement":
        return Located(
            TOMLSyntaxError,
            "this line is not `key = value`, a `[table]` header or a comment",
            offset,
            "write the key before `=`; start a comment with #",
        )
    return Located(TOMLSyntaxError, f"invalid TOML: {message}", offset)


def _offset(text: str, lineno: int, colno: int) -> int:
    start = 0
    for _ in range(lineno - 1):
        start = text.find("\n", start) + 1
    return min(start + colno - 1, len(text))


def _plain(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def check_limits(data: dict[str, Any], limits: Limits) -> None:
    """Depth and size of plain TOML data (the verification re-read has no positions: 0),
    counted as the scanner counts: each key, value, table and array once."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1 + (len(value) if isinstance(value, dict) else 0)
        if count > limits.max_nodes:
            raise Located(
                LimitExceededError,
                f"front matter has more than {limits.max_nodes} keys and values",
                0,
            )
        if isinstance(value, dict):
            if depth >= limits.max_depth:
                raise Located(
                    DepthLimitError, f"tables nested deeper than {limits.max_depth} levels", 0
                )
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            if depth >= limits.max_depth:
                raise Located(
                    DepthLimitError, f"arrays nested deeper than {limits.max_depth} levels", 0
                )
            stack.extend((v, depth + 1) for v in value)
