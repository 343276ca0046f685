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
from typing import Any

from frontmatter_qt.engine.limits import Limits
from frontmatter_qt.engine.located import Located
from frontmatter_qt.errors import DepthLimitError, LimitExceededError, TOMLSyntaxError
from frontmatter_qt.formats.toml.scan import diagnose

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["check_limits", "load", "located", "read_data", "tomllib"]

_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")


def read_data(text: str, limits: Limits) -> dict[str, Any]:
    """The data of a TOML text, limits checked (``Located`` errors)."""
    data = load(text, limits)
    check_limits(data, limits)
    return data


def load(text: str, limits: Limits) -> dict[str, Any]:
    """tomllib's reading of a text (``Located`` errors); limits are the caller's."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise located(text, exc, limits) from None
    except RecursionError:
        diagnose(text, limits)  # raises DepthLimitError at the place it is exceeded
        raise Located(DepthLimitError, "arrays and tables nested too deeply", 0) from None
    return data


def located(text: str, exc: Exception, limits: Limits) -> Located:
    """tomllib's error as a ``Located`` (the scanner's, when it names the same mistake)."""
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
    try:
        diagnose(text, limits)
    except Located as better:
        line_end = text.find("\n", offset)
        if better.offset <= (len(text) if line_end == -1 else line_end):
            return better
    return Located(TOMLSyntaxError, f"invalid TOML: {_plain(message)}", offset)


def _offset(text: str, lineno: int, colno: int) -> int:
    start = 0
    for _ in range(lineno - 1):
        start = text.find("\n", start) + 1
    return min(start + colno - 1, len(text))


def _plain(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def check_limits(data: dict[str, Any], limits: Limits) -> None:
    """Depth and size of plain TOML data (the verification re-read has no positions: 0)."""
    count = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        count += 1
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
