"""TOML values as text: a scalar in the style of the one it replaces, new values, keys.

tomlkit (imported on first use) renders keys and default values; a replaced string keeps its
spelling (basic, literal, multi-line basic or literal), an integer its base, sign and digit
grouping, a date-time its separator, ``Z`` and fraction width. Every styled spelling is read
back with tomllib before it is used: a style that cannot hold the value falls back to the
default spelling, never to a wrong one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from frontmatter_qt.engine.tree import uneven_offset
from frontmatter_qt.errors import UnrepresentableValueError
from frontmatter_qt.formats.toml.read import tomllib  # the same reader as verification
from frontmatter_qt.formats.toml.scan import INT64

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_OR_QUOTE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')
_BASIC_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


# -- what TOML can hold --------------------------------------------------------------------------


def check_representable(value: Any, where: tuple[Any, ...] = ()) -> None:
    """Raise ``UnrepresentableValueError`` naming the key path of the first value TOML
    cannot hold: None, a non-string key, an integer beyond 64 bits, a time with an offset,
    an offset that is not whole minutes, text that is not Unicode scalar values, other types."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise _unrepresentable(
                    where,
                    f"a key must be a string, not {_kind(key)} {key!r}",
                    key=(key,),
                    hint=f"use the key as a string: {str(key)!r}",
                )
            _check_text(key, where, "key", key=(key,))
            check_representable(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_representable(item, (*where, index))
    elif isinstance(value, str):
        _check_text(value, where, "string")
    elif value is None:
        raise _unrepresentable(where, "TOML has no null (None): delete the key instead")
    elif isinstance(value, (bool, float)):
        return
    elif isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            raise _unrepresentable(where, f"{value} does not fit TOML's 64-bit integers")
    elif isinstance(value, dt.datetime):
        if (offset := uneven_offset(value)) is not None:
            raise _unrepresentable(where, f"TOML offsets are whole minutes, not {offset}")
    elif isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise _unrepresentable(where, "a TOML local time has no offset (tzinfo)")
    elif not isinstance(value, dt.date):
        raise _unrepresentable(where, f"TOML cannot hold {_kind(value)}")


def _kind(value: Any) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _check_text(text: str, where: tuple[Any, ...], what: str, key: tuple[Any, ...] = ()) -> None:
    """``key``: the key itself, when ``text`` is a key of the mapping at ``where`` (its
    position is the key's, not the mapping's)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _unrepresentable(
            where, f"the {what} holds a lone surrogate (not UTF-8)", key
        ) from None


def _unrepresentable(
    where: tuple[Any, ...], why: str, key: tuple[Any, ...] = (), hint: str | None = None
) -> UnrepresentableValueError:
    path = ".".join(map(str, where)) or "<root>"
    return UnrepresentableValueError(
        f"{path}: cannot write this value to TOML front matter: {why}",
        keys=(*where, *key),
        hint=hint,
    )


# -- keys ------------------------------------------------------------------------------------------


def key_text(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else a basic string (tomlkit's rule)."""
    from tomlkit.items import SingleKey

    text: str = SingleKey(key).as_string()
    return text


# -- scalars ---------------------------------------------------------------------------------------


def basic(text: str) -> str:
    """A one-line basic string (``"..."``) holding ``text``."""
    return '"' + _CONTROL_OR_QUOTE.sub(_escape, text) + '"'


def _escape(found: re.Match[str]) -> str:
    c = found.group()
    if c in ('"', "\\"):
        return "\\" + c
    return _BASIC_ESCAPES.get(c, f"\\u{ord(c):04x}")


def _ml_basic(text: str, nl: str, lead: str) -> str:
    body = _CONTROL.sub(_escape, text.replace("\\", "\\\\"))
    body = body.replace('"""', '""\\"')
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return '"""' + lead + body.replace("\n", nl) + '"""'


def _ml_literal(text: str, nl: str, lead: str) -> str | None:
    if "'''" in text or _CONTROL.search(text) or text.endswith("'"):
        return None
    return "'''" + lead + text.replace("\n", nl) + "'''"


def _literal(text: str) -> str | None:
    if "'" in text or "\n" in text or _CONTROL.search(text):
        return None
    return "'" + text + "'"


def render_scalar(value: Any, old: str | None, style: str, nl: str) -> str:
    """``value`` as TOML text, in the style of ``old`` (the text it replaces) where that style
    can hold it; ``style`` is the scanner's name for ``old``'s spelling."""
    candidate = _styled(value, old, style, nl) if old is not None else None
    if candidate is not None and reads_as(candidate, value):
        return candidate
    return default_scalar(value)


def default_scalar(value: Any) -> str:
    """tomlkit's spelling of a scalar, or this module's where tomlkit's would not read back
    as the value (checked with tomllib)."""
    import tomlkit

    text: str = tomlkit.item(value).as_string()
    if reads_as(text, value):
        return text
    return _fallback_scalar(value)


def _fallback_scalar(value: Any) -> str:
    if isinstance(value, str):
        return basic(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return _datetime(value, "T", utc_z=True, digits=None)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise _unrepresentable((), f"TOML cannot hold {_kind(value)}")  # pragma: no cover


def _float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _styled(value: Any, old: str, style: str, nl: str) -> str | None:
    if isinstance(value, str):
        lead = ""
        if style.startswith("ml-") and old[3:4] in ("\n", "\r"):
            lead = nl  # the line break right after the opening quotes is not content
        if style == "literal":
            return _literal(value)
        if style == "ml-literal":
            return _ml_literal(value, nl, lead)
        if style == "ml-basic":
            return _ml_basic(value, nl, lead)
        return None
    if style != "bare" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _int(value, old)
    if isinstance(value, float):
        if math.isinf(value) and value > 0 and old.startswith("+"):
            return "+inf"
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _temporal(value, old)
    return None


def _int(value: int, old: str) -> str | None:
    sign, digits = ("+", old[1:]) if old.startswith("+") else ("", old.lstrip("-"))
    prefix = digits[:2]
    if prefix in ("0x", "0o", "0b") and value >= 0:
        text = format(value, {"0x": "x", "0o": "o", "0b": "b"}[prefix])
        upper = any(c in "ABCDEF" for c in digits[2:])
        return prefix + (text.upper() if upper else text)
    if "_" in digits and not prefix.startswith("0") and abs(value) >= 1000:
        return ("+" if sign and value > 0 else "") + f"{value:_}"
    if sign and value > 0:
        return "+" + str(value)
    return None


def _temporal(value: dt.date | dt.time, old: str) -> str | None:
    fraction = re.search(r"\.(\d+)", old)
    digits = len(fraction.group(1)) if fraction else None
    if isinstance(value, dt.datetime):
        sep = old[10:11] if old[10:11] in ("T", "t", " ") else "T"
        return _datetime(
            value, sep, utc_z=old.rstrip()[-1:] in ("Z", "z") or len(old) < 11, digits=digits
        )
    if isinstance(value, dt.time):
        return _time(value, digits)
    return value.isoformat()


def _datetime(value: dt.datetime, sep: str, *, utc_z: bool, digits: int | None) -> str:
    text = value.date().isoformat() + sep + _time(value.time(), digits)
    offset = value.utcoffset()
    if offset is None:
        return text
    if offset == dt.timedelta(0) and utc_z:
        return text + "Z"
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(offset) // dt.timedelta(minutes=1)
    return text + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _time(value: dt.time, digits: int | None) -> str:
    text = value.replace(tzinfo=None).isoformat(timespec="seconds")
    if value.microsecond:
        fraction = f"{value.microsecond:06d}"
        if digits is not None and digits < 6 and fraction[digits:].strip("0") == "":
            fraction = fraction[:digits]
        else:
            fraction = fraction.rstrip("0") if digits is None else fraction
        text += "." + fraction
    elif digits:
        text += "." + "0" * digits
    return text


def reads_as(text: str, value: Any) -> bool:
    """Whether ``text`` reads back (tomllib) as exactly ``value``."""
    from frontmatter_qt.engine.equality import same_value

    try:
        got = tomllib.loads("v = " + text)["v"]
    except tomllib.TOMLDecodeError:
        return False
    return same_value(got, value)


# -- collections (new ones, and ones re-written whole) --------------------------------------------


def inline_value(value: Any) -> str:
    """A value written on one line: scalars in their default style, ``[...]``, ``{ ... }``."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{key_text(k)} = {inline_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    if isinstance(value, list):
        return "[" + ", ".join(inline_value(v) for v in value) + "]"
    return default_scalar(value)
