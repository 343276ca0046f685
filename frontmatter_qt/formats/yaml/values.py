"""Scalar text → Python value, with ruamel.yaml's YAML 1.2 resolver and safe constructor.

The reference reading is ``ruamel.yaml.YAML(typ="safe")``: a plain ``no`` is the string "no",
``014`` is 14, ``2024-12-07`` is a ``datetime.date``. Tags outside YAML's standard safe set are
refused here, before anything is constructed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from frontmatter_qt.engine.memo import Memo

YAML_TAG = "tag:yaml.org,2002:"
STR = YAML_TAG + "str"
MAP = YAML_TAG + "map"
SEQ = YAML_TAG + "seq"
MERGE = YAML_TAG + "merge"
TIMESTAMP = YAML_TAG + "timestamp"
VALUE = YAML_TAG + "value"  # a plain `=`: a string as a mapping key, refused as a value

_resolver = VersionedResolver()


class _Loader:
    """The minimal loader ruamel.yaml's constructor consults for the YAML version."""

    _resolver = _resolver


_constructor = SafeConstructor(loader=_Loader())

_CONSTRUCTORS: dict[str, Callable[[Any], Any]] = {
    YAML_TAG + "null": _constructor.construct_yaml_null,
    YAML_TAG + "bool": _constructor.construct_yaml_bool,
    YAML_TAG + "int": _constructor.construct_yaml_int,
    YAML_TAG + "float": _constructor.construct_yaml_float,
    YAML_TAG + "timestamp": _constructor.construct_yaml_timestamp,
    YAML_TAG + "binary": _constructor.construct_yaml_binary,
}

SCALAR_TAGS = frozenset({STR, *_CONSTRUCTORS})
COLLECTION_TAGS = {"mapping": MAP, "sequence": SEQ}


# ruamel.yaml's YAML 1.2 implicit resolvers: first character → [(tag, regexp)], read once.
_IMPLICIT: dict[Any, list[tuple[str, Any]]] = _resolver.versioned_resolver
_ANY_START: list[tuple[str, Any]] = list(_IMPLICIT.get(None, []))


_RESOLVED: Memo[str, str] = Memo(4096)
_MEMO_MAX_TEXT = 80  # keys and short values repeat across files; long texts rarely do
# The memo's results, for a hot loop to read before it calls resolve_plain (read only; the
# memo clears this dict in place, never replaces it).
RESOLVED_PLAIN: dict[str, str] = _RESOLVED.results


def resolve_plain(text: str) -> str:
    """The tag a plain (unquoted) scalar with this text resolves to (ruamel's resolve())."""
    tag = RESOLVED_PLAIN.get(text)  # the memo's dict read directly: this is the hot path
    if tag is not None:
        return tag
    if len(text) > _MEMO_MAX_TEXT:
        return _resolve_plain(text)
    return _RESOLVED(text, lambda: _resolve_plain(text))


def _resolve_plain(text: str) -> str:
    for tag, regexp in _IMPLICIT.get(text[0] if text else "", _ANY_START):
        if regexp.match(text):
            return str(tag)
    for tag, regexp in _ANY_START:
        if regexp.match(text):
            return str(tag)
    return STR


def is_plain_string(text: str) -> bool:
    """True if ``text`` written plain reads back as the same string."""
    return resolve_plain(text) == STR


def scalar_tag(tag: str | None, text: str, plain: bool) -> str:
    """The effective tag of a scalar event (explicit tag, or implicit resolution).

    The non-specific tag ``!`` resolves like no tag at all, as ruamel.yaml's safe loader (the
    reference reading) does: ``! 014`` is 14.
    """
    if tag is not None and tag != "!":
        return tag
    if plain:
        return resolve_plain(text)
    return STR


_INT = YAML_TAG + "int"


class ConstructionError(ValueError):
    """A scalar's text is not a valid value of its tag (``!!bool maybe``, ``!!int ''``).

    ``reason`` is the constructor's own words alone (``day is out of range for month``), or
    ``""``, for a caller that phrases the sentence itself.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


def construct_scalar(tag: str, text: str) -> Any:
    """Build the Python value of a scalar whose tag is already known to be safe.

    Raises :class:`ConstructionError` (with a plain sentence) when the text is not a value of
    the tag.
    """
    try:
        return _construct_scalar(tag, text)
    except Exception as exc:
        # ruamel.yaml's constructors fail on malformed text in many ways (KeyError for
        # `!!bool maybe`, IndexError for an empty `!!int`, ValueError, binascii.Error, its own
        # ConstructorError): whichever it is, the text is not a value of the tag.
        reason = getattr(exc, "problem", None) or (str(exc) if type(exc) is ValueError else "")
        raise ConstructionError(_invalid(tag, text, reason), reason) from None


def _invalid(tag: str, text: str, reason: str) -> str:
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    message = f"invalid {short(tag)} value {shown}" if text else f"empty {short(tag)} value"
    return f"{message} ({reason})" if reason else message


def _construct_scalar(tag: str, text: str) -> Any:
    if tag == STR:
        return text
    if len(text) > _MEMO_MAX_TEXT:
        return _construct(tag, text)
    return _CONSTRUCTED((tag, text), lambda: _construct(tag, text))


# Values of these tags are immutable (numbers, booleans, None, dates, bytes): safe to share.
_CONSTRUCTED: Memo[tuple[str, str], Any] = Memo(4096)
# The memo's results, for the parser's hot loop to read before it takes the full steps (read
# only: the memo clears this dict in place, never replaces it). Only values of the tags a plain
# scalar resolves to without further checks are read there (SIMPLE_PLAIN_TAGS): a text in the
# memo under one of them was constructed once, so it is a valid value (a real date too).
CONSTRUCTED_PLAIN: dict[tuple[str, str], Any] = _CONSTRUCTED.results
SIMPLE_PLAIN_TAGS = frozenset(
    YAML_TAG + name for name in ("null", "bool", "int", "float", "timestamp")
)


def _construct(tag: str, text: str) -> Any:
    return _CONSTRUCTORS[tag](ScalarNode(tag, text))


def real_date(text: str) -> bool:
    """Whether a text written like a YAML timestamp is a real date or time (``2024-13-40``,
    ``2024-02-30`` and ``2024-01-01 25:00:00`` are not)."""
    try:
        construct_scalar(TIMESTAMP, text)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def is_safe_scalar_tag(tag: str) -> bool:
    return tag in SCALAR_TAGS


_GLUED = ":,[]{}"
# YAML's standard tags (yaml.org/type): those read, and those refused (other types, merge keys)
_STANDARD = (
    SCALAR_TAGS
    | {MAP, SEQ, MERGE, VALUE}
    | {YAML_TAG + name for name in ("omap", "set", "pairs", "yaml")}
)


def glued_to(tag: str) -> str | None:
    """The standard tag that ``tag`` is, with characters that followed it glued on (``!!str]``
    in ``[!!str]``, ``!!int:`` in ``!!int: 1``: libyaml reads them as part of the tag); None
    for any other tag."""
    if not tag.startswith(YAML_TAG):
        return None
    base = tag.rstrip(_GLUED)
    return base if base != tag and base in _STANDARD else None


def short(tag: str) -> str:
    """``!!int`` for ``tag:yaml.org,2002:int``; other tags as they are."""
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
