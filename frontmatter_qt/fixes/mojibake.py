"""The parts of mojibake repair that need no ftfy: the screen and the U+2000 supplement.

Importing ftfy costs more than the rest of a ``frontmatter-qt check`` of one file (it compiles
its large regular expressions and loads wcwidth at import), and most front matter holds no
mojibake at all, or only the common kind the supplement repairs on its own. So:

- :func:`may_hold_mojibake` is a necessary condition of every repair ``repair_mojibake`` can
  make with its settings (``FTFY_CONFIG`` and the supplement): a string it clears is returned
  unchanged without ftfy;
- :func:`decode_e2_symbols` is the supplement; when it changes a string, ``repair_mojibake``
  changes it too (its step is ftfy, which never lengthens a string, then the supplement, which
  shortens one it changes), so lint reports FQ001 for it without ftfy.

The screen's reasons, one per repair:

- re-decoding as UTF-8 (and ``decode_inconsistent_utf8``) needs a UTF-8 lead byte
  (``0xC0``-``0xFF`` in one of ftfy's single-byte encodings) right before a continuation byte
  (``0x80``-``0xBF``): a pair of characters from :func:`_classes`;
- a space may stand in for a lost ``0xA0`` continuation (``restore_byte_a0``, and the
  detector of ``decode_inconsistent_utf8``), but only after the lead bytes ftfy looks for
  there: any lead byte in the Latin-1-like codepages, the few of ``ALTERED_UTF8_RE``
  (:data:`SPACE_LEAD_BYTES`) in cp437, none in Mac Roman (ftfy skips it), so an em dash or
  ``≥`` before a space is not suspect;
- the Latin-1-read-as-cp1252 step needs a C1 control character (U+0080-U+009F);
- the supplement needs ``â`` before a continuation character (a pair again).

``tests/test_fixes_encoding.py`` checks the classes against ftfy's own codecs and clue tables
(so a new ftfy encoding fails the test, not a user's file) and that every string the screen
clears is one ftfy leaves alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = [
    "ENCODINGS",
    "SPACE_LEAD_BYTES",
    "decode_e2_symbols",
    "first_suspect",
    "may_hold_mojibake",
]

#: ftfy's ``CHARMAP_ENCODINGS`` by their standard codecs' names. ftfy's "sloppy" codecs are
#: these with each undefined byte decoded as the Latin-1 character of the same number, which
#: ``latin-1`` (every byte) already contributes.
ENCODINGS = (
    "latin-1",
    "cp1252",
    "cp1251",
    "cp1250",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso-8859-2",
    "mac-roman",
    "cp437",
)


#: The lead bytes ftfy's ``ALTERED_UTF8_RE`` accepts right before a space.
SPACE_LEAD_BYTES = bytes([0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xE2, 0xE3, 0xF0])


def _decoded(encodings: tuple[str, ...], byte_values: Iterable[int]) -> set[str]:
    """Every character one of ``byte_values`` decodes to in one of ``encodings``."""
    found = set()
    for encoding in encodings:
        for byte in byte_values:
            try:
                found.add(bytes([byte]).decode(encoding))
            except UnicodeDecodeError:  # undefined here: the sloppy codec's Latin-1 fallback
                found.add(chr(byte))
    return found


@cache
def _classes() -> tuple[str, str, str]:
    """(lead characters, continuation characters, lead characters before a space), built on
    first use."""
    leads = range(0xC0, 0x100)
    latin_like = tuple(e for e in ENCODINGS if e not in ("mac-roman", "cp437"))
    before_space = _decoded(latin_like, leads) | _decoded(("cp437",), SPACE_LEAD_BYTES)
    return (
        "".join(sorted(_decoded(ENCODINGS, leads))),
        "".join(sorted(_decoded(ENCODINGS, range(0x80, 0xC0)))),
        "".join(sorted(before_space)),
    )


@cache
def _suspect() -> re.Pattern[str]:
    lead, continuation, before_space = (re.escape(chars) for chars in _classes())
    return re.compile(f"[\x80-\x9f]|[{lead}][{continuation}]|[{before_space}] ")


def may_hold_mojibake(text: str) -> bool:
    """False when no repair of ``repair_mojibake`` can apply to ``text`` (see the module
    docstring); True means only "look closer"."""
    return first_suspect(text) is not None


def first_suspect(text: str) -> int | None:
    """Where the first characters the screen flags start (no repair of ``repair_mojibake``
    changes anything before), or None when it flags none."""
    if text.isascii():
        return None
    found = _suspect().search(text)
    return None if found is None else found.start()


# ftfy decides by a "badness" score, which does not flag a lone three-byte symbol such as
# "\u00e2\u201e\u00a2" (TRADE MARK SIGN read as cp1252). This supplement re-decodes exactly such
# sequences: LATIN SMALL LETTER A WITH CIRCUMFLEX (byte E2) plus two characters that are UTF-8
# continuation bytes (80-BF) in cp1252 or Latin-1, which decode to one character in U+2000-U+2FFF
# (punctuation, letterlike symbols, arrows, maths, shapes). When the first continuation is closing
# punctuation (right quotes, guillemet, ellipsis) the sequence is left alone: a word ending in that
# letter before a closing quote and an ellipsis is plausible French, not mojibake.
# (cp1252 with each undefined byte read as Latin-1 is ftfy's "sloppy-windows-1252", which needs
# ftfy loaded.)
_CONTINUATION_CHARS = "".join(_decoded(("cp1252",), range(0x80, 0xC0))) + "".join(
    chr(code) for code in range(0x80, 0xA0)
)
_CLOSING_PUNCTUATION = "\u2019\u201d\u203a\u00bb\u2026"
_CONTINUATION = f"[{re.escape(_CONTINUATION_CHARS)}]"
_FIRST_CONTINUATION = f"(?![{_CLOSING_PUNCTUATION}]){_CONTINUATION}"
_E2_SYMBOL_RE = re.compile(f"\u00e2{_FIRST_CONTINUATION}{_CONTINUATION}")


def _byte_of(char: str) -> int:
    """The byte ``char`` stands for in a cp1252 (or, for C1 controls, Latin-1) misreading."""
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return char.encode("latin-1")[0]


def _decode_e2_symbol(match: re.Match[str]) -> str:
    sequence = match.group(0)
    try:
        return bytes(_byte_of(c) for c in sequence).decode("utf-8")
    except UnicodeDecodeError:
        return sequence


def decode_e2_symbols(text: str) -> str:
    """``text`` with each misread three-byte symbol (``â‰¥`` for ``≥``) decoded."""
    return _E2_SYMBOL_RE.sub(_decode_e2_symbol, text)
