"""A positioned JSON scanner: JSON text → a ``Node`` tree with the span of every key and value.

Python's ``json`` module gives no positions, and its pure-Python scanner (the one whose parts can
be hooked) is not the one ``json.loads`` runs: it reads any Unicode digit in a number (``1``
followed by ARABIC-INDIC DIGIT ONE reads as 11), where the C scanner refuses it. So this is a
small scanner of its own, iterative (no recursion, so no ``RecursionError`` however deep the
input), that accepts exactly what ``json.loads`` accepts, with two deliberate refusals:
``NaN``/``Infinity`` (not JSON, though ``json.loads`` reads them) and duplicate keys
(``json.loads`` silently keeps the last one). Strings are decoded by ``json.decoder.scanstring``,
the same C function ``json.loads`` uses; numbers by ``int`` and ``float`` as ``json.loads`` does.
``tests/test_json_scan.py`` checks the agreement on generated and mutated texts.

Offsets are character offsets into the text. Errors are raised as
:class:`~frontmatter_qt.engine.located.Located`.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable
from json import JSONDecodeError
from typing import Any

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import (
    DepthLimitError,
    DuplicateKeyError,
    JSONSyntaxError,
    LimitExceededError,
    UnterminatedFrontMatterError,
)

OBJECT, ARRAY, SCALAR = "object", "array", "scalar"

_WS = re.compile(r"[ \t\n\r]*")
_WS_CHARS = frozenset(" \t\n\r")
# Fast paths (the common case, checked before the general code): a string without escapes (JSON
# forbids raw control characters in strings, as scanstring's strict mode does), and a key of that
# kind with its colon and the whitespace around it.
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f]*)"')
_PLAIN_KEY = re.compile(r'"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
# ASCII digits only, as in the C scanner (``\d`` would take any Unicode digit).
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: tuple[tuple[str, Any], ...] = (("true", True), ("false", False), ("null", None))
# json.loads's own string decoder (C); typeshed does not declare it.
_scanstring: Callable[[str, int, bool], tuple[str, int]]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_NOT_JSON = ("NaN", "Infinity", "-Infinity")
# What a bare front-matter object is made of, for finding its end: whole strings (one line at
# most: JSON strings hold no raw line break), braces, and a quote that opens a string that never
# closes on its line.
_BRACES = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}]|"')
_DECODER = json.JSONDecoder()
_STRING_ERRORS = {
    "Unterminated string starting at": 'this string is never closed (a missing ")',
    "Invalid control character at": (
        "a raw control character (a line break or a tab) inside a string: JSON writes it as "
        "an escape (\\n, \\t)"
    ),
    "Invalid \\escape": (
        'an invalid escape: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX'
    ),
    "Invalid \\uXXXX escape": "an invalid \\uXXXX escape: four hexadecimal digits are needed",
}


class Node:
    """One JSON value: its kind, ``[start, end)`` span and Python value.

    Objects keep their keys as ``(key, start, end)`` triples and their values in ``items`` (same
    order); arrays their items. ``value`` is the plain data of the node, shared with its
    parent's value: never hand it out without copying.
    """

    __slots__ = ("end", "items", "keys", "kind", "start", "value")

    def __init__(self, kind: str, start: int, value: Any) -> None:
        self.kind = kind
        self.start = start
        self.end = start
        self.value = value
        self.items: list[Node] = []
        self.keys: list[tuple[str, int, int]] = []

    def entry_start(self, index: int) -> int:
        """Where entry ``index`` begins: its key in an object, the item itself in an array."""
        return self.keys[index][1] if self.kind == OBJECT else self.items[index].start

    def __repr__(self) -> str:
        return f"<Node {self.kind} [{self.start}:{self.end}] {self.value!r}>"


def object_end(text: str, start: int) -> int:
    """The offset just past the ``}`` that closes the object opening at ``text[start]``.

    Brace matching that skips strings and their escapes (Hugo's rule for JSON front matter);
    whether the object is valid JSON is the parser's business. A valid object ends where
    ``json``'s C decoder says (ten times faster than matching braces in Python; the two agree on
    every object, tested); anything else is matched brace by brace.
    """
    try:
        value, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        pass
    else:
        if isinstance(value, dict):
            return end
    return brace_end(text, start)


def brace_end(text: str, start: int) -> int:
    """``object_end`` by brace matching alone."""
    depth = 0
    for token in _BRACES.finditer(text, start):
        kind = token.group()
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
            if depth == 0:
                return token.end()
        elif kind == '"':
            raise Located(
                UnterminatedFrontMatterError,
                "the JSON front matter never closes: the string that starts here has no "
                "closing quote on its line",
                token.start(),
            )
    raise Located(
        UnterminatedFrontMatterError,
        "the JSON front matter object that opens here is never closed by a matching '}'",
        start,
    )


class _Scanner:
    """One parse. Containers being read are on ``stack``; a value, once read, is attached to
    the container on top (an object's key waits in ``pending``)."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.nodes = 0

    def skip(self, pos: int) -> int:
        if self.text[pos : pos + 1] not in _WS_CHARS:
            return pos
        found = _WS.match(self.text, pos)
        assert found is not None  # `*` always matches
        return found.end()

    def fail(self, message: str, pos: int) -> Located:
        return Located(JSONSyntaxError, message, pos)

    def count(self, pos: int) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise Located(
                LimitExceededError,
                f"front matter has more than {self.limits.max_nodes} keys and values",
                pos,
            )

    def parse(self) -> Node | None:
        text = self.text
        pos = self.skip(0)
        if pos == len(text):
            return None  # `---json` with nothing inside: no data
        root: Node | None = None
        stack: list[Node] = []
        while True:
            # -- one value at `pos`: a scalar is complete, a container is opened --------------
            node = self.value_at(pos, len(stack))
            if not stack:
                root = node
            elif stack[-1].kind == OBJECT:
                parent = stack[-1]
                parent.items.append(node)
                parent.value[parent.keys[-1][0]] = node.value
            else:
                stack[-1].items.append(node)
                stack[-1].value.append(node.value)
            if node.kind != SCALAR:
                pos = self.skip(node.start + 1)
                if text.startswith("}" if node.kind == OBJECT else "]", pos):
                    node.end = pos + 1  # empty
                else:
                    stack.append(node)
                    if node.kind == OBJECT:
                        pos = self.key_at(node, pos)
                    continue
            # -- after a complete value: closing brackets, then a comma and the next entry ----
            pos = self.skip(node.end)
            while stack:
                top = stack[-1]
                closer = "}" if top.kind == OBJECT else "]"
                if text.startswith(closer, pos):
                    top.end = pos + 1
                    stack.pop()
                    pos = self.skip(pos + 1)
                    continue
                if not text.startswith(",", pos):
                    raise self.fail(self.missing_comma(top, pos), pos)
                comma = pos
                pos = self.skip(pos + 1)
                if text.startswith(closer, pos):
                    raise self.fail(
                        f"a comma after the last {'entry' if top.kind == OBJECT else 'item'}: "
                        "JSON allows none",
                        comma,
                    )
                if top.kind == OBJECT:
                    pos = self.key_at(top, pos)
                break
            else:
                if pos != len(text):
                    raise self.fail("text after the end of the JSON object", pos)
                return root

    def missing_comma(self, top: Node, pos: int) -> str:
        closer = "}" if top.kind == OBJECT else "]"
        if pos == len(self.text):
            return f"the JSON ends here, before the closing '{closer}'"
        if self.text.startswith(("//", "/*"), pos):
            return "comments are not allowed in JSON"
        return f"expected ',' or '{closer}' here (a missing comma?)"

    def key_at(self, node: Node, pos: int) -> int:
        """Read ``"key" :`` at ``pos`` into ``node``; return where its value starts."""
        text = self.text
        plain = _PLAIN_KEY.match(text, pos)
        if plain is not None:
            key, end, value_start = plain.group(1), plain.end(1) + 1, plain.end()
        else:
            if not text.startswith('"', pos):
                raise self.fail(self.not_a_key(pos), pos)
            key, end = self.string_at(pos)
            colon = self.skip(end)
            if not text.startswith(":", colon):
                raise self.fail("expected ':' after the key", colon)
            value_start = self.skip(colon + 1)
        if key in node.value:
            raise Located(DuplicateKeyError, f"duplicate key {key!r}", pos)
        self.count(pos)
        node.keys.append((key, pos, end))
        return value_start

    def not_a_key(self, pos: int) -> str:
        text = self.text
        if text.startswith("'", pos):
            return "JSON keys are written in double quotes, not single quotes"
        if text.startswith(("//", "/*"), pos):
            return "comments are not allowed in JSON"
        if pos == len(text):
            return "the JSON ends here, inside an object"
        if pos == 1 and text[1] in "{%#":
            return (
                f"{text[:2]!r} starts a template tag, not JSON: front matter that starts with "
                "'{' must be a JSON object (Hugo's JSON front matter)"
            )
        return "expected a key in double quotes"

    def value_at(self, pos: int, depth: int) -> Node:
        text = self.text
        self.count(pos)
        char = text[pos : pos + 1]
        if char == "{" or char == "[":
            if depth >= self.limits.max_depth:
                raise Located(
                    DepthLimitError,
                    f"objects and arrays nested deeper than {self.limits.max_depth} levels",
                    pos,
                )
            return Node(OBJECT, pos, {}) if char == "{" else Node(ARRAY, pos, [])
        if char == '"':
            value, end = self.string_at(pos)
            return _scalar(pos, end, value)
        number = _NUMBER.match(text, pos)
        if number is not None:
            return _scalar(pos, number.end(), self.number(number, pos))
        for word, value in _LITERALS:
            if text.startswith(word, pos):
                return _scalar(pos, pos + len(word), value)
        raise self.fail(self.not_a_value(pos), pos)

    def not_a_value(self, pos: int) -> str:
        text = self.text
        if text.startswith(_NOT_JSON, pos):
            return "NaN and Infinity are not JSON numbers"
        if text.startswith("'", pos):
            return "JSON strings are written in double quotes, not single quotes"
        if text.startswith(("//", "/*"), pos):
            return "comments are not allowed in JSON"
        if pos == len(text):
            return "the JSON ends here, where a value is expected"
        return "expected a value (a string, number, object, array, true, false or null)"

    def number(self, match: re.Match[str], pos: int) -> int | float:
        spelled = match.group()
        if match.group(1) is None and match.group(2) is None:
            try:
                return int(spelled)
            except ValueError as exc:  # longer than sys.get_int_max_str_digits()
                raise Located(
                    LimitExceededError, f"this integer is too long to read ({exc})", pos
                ) from None
        # `1e400` reads as inf, as in json.loads (documented; writing inf is refused).
        return float(spelled)

    def string_at(self, pos: int) -> tuple[str, int]:
        plain = _PLAIN_STRING.match(self.text, pos)
        if plain is not None:
            return plain.group(1), plain.end()
        try:
            value, end = _scanstring(self.text, pos + 1, True)
        except JSONDecodeError as exc:
            raise self.fail(_STRING_ERRORS.get(exc.msg, exc.msg), exc.pos) from None
        return value, end


def _scalar(start: int, end: int, value: Any) -> Node:
    node = Node(SCALAR, start, value)
    node.end = end
    return node


def parse(text: str, limits: Limits) -> Node | None:
    """The positioned tree of a JSON text (``None`` if it is only whitespace)."""
    return _Scanner(text, limits).parse()


class _Refused(Exception):
    """What ``json`` reads but the scanner refuses (a duplicate key, NaN, Infinity)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(key)
        result[key] = value
    return result


def _refuse(name: str) -> Any:
    raise _Refused(name)


_READER = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_refuse)


def read(text: str, limits: Limits) -> Any:
    """The plain data of a JSON text (``None`` if it is only whitespace), equal to
    ``parse(text).value`` type for type and in key order, or its error.

    The verification re-read of every output: json's C decoder (over ten times faster than the
    scanner) with the scanner's two refusals as hooks and its limits checked after; any text it
    refuses or that breaks a limit goes to ``parse``, which raises the positioned error.
    """
    if not text.strip(" \t\n\r"):
        return None
    try:
        data = _READER.decode(text)
    except (ValueError, RecursionError, _Refused):
        pass
    else:
        if _within(data, limits):
            return data
    root = parse(text, limits)
    return None if root is None else root.value


def _within(data: Any, limits: Limits) -> bool:
    """``data`` nests no deeper and holds no more keys and values than ``limits`` allow."""
    nodes, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if isinstance(value, (dict, list)):
            if depth > limits.max_depth:
                return False
            items = value.values() if isinstance(value, dict) else value
            if isinstance(value, dict):
                nodes += len(value)
            stack.extend((item, depth + 1) for item in items)
        if nodes > limits.max_nodes:
            return False
    return True
