"""Mojibake repair with ftfy, configured to touch nothing but mojibake.

ftfy's defaults also "improve" correct text (straight quotes for curly ones, ASCII for full-width
punctuation, split ligatures, NFC, HTML entities decoded), so every fixer that is not about
mojibake is switched off in :data:`FTFY_CONFIG`. docs/fixes.md explains each setting.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import ftfy
import ftfy.bad_codecs

from frontmatter_qt.fixes._walk import BODY_PATH, Change, first_difference_line, rewrite_strings
from frontmatter_qt.fixes.mojibake import decode_e2_symbols, may_hold_mojibake

if TYPE_CHECKING:
    from frontmatter_qt.document import Document

FTFY_CONFIG = ftfy.TextFixerConfig(
    # The mojibake repairs: re-decode text that was UTF-8 read as cp1252 / Latin-1 (and ftfy's
    # other single-byte codepages), also when it is only part of a string and when a no-break
    # space was turned into a plain space on the way.
    fix_encoding=True,
    restore_byte_a0=True,
    decode_inconsistent_utf8=True,
    # Lossy sequences would become U+FFFD: that is not a repair, it throws the text away.
    replace_lossy_sequences=False,
    # A C1 control character left over *after* re-decoding is not mojibake we can prove.
    # (Text made only of Latin-1 characters and C1 controls is still re-read as cp1252 by
    # fix_encoding itself; C1 controls are never correct text in an article.)
    fix_c1_controls=False,
    # Everything below changes correct text, so it stays off.
    unescape_html=False,  # keeps "&nbsp;" and "&amp;" as written
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,  # keeps the U+FB01 ligature
    fix_character_width=False,  # keeps full-width punctuation and letters (CJK text)
    uncurl_quotes=False,  # keeps curly quotes and apostrophes
    fix_line_breaks=False,  # keeps "\r\n" and U+2028 as they are
    fix_surrogates=False,
    remove_control_chars=False,  # keeps U+FEFF, U+200B and friends
    normalization=None,  # keeps NFD text NFD
    explain=False,
)

_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")


def _repair_step(text: str) -> str:
    # Line by line, as ftfy.fix_text does, so one line's correct characters cannot stop another
    # line's repair. ftfy.fix_encoding rather than fix_text: with explain=False, fix_text (6.3)
    # calls fix_encoding *without* the config, silently turning replace_lossy_sequences and
    # fix_c1_controls back on.
    repaired = "".join(ftfy.fix_encoding(line, FTFY_CONFIG) for line in _LINE_RE.findall(text))
    return decode_e2_symbols(repaired)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252/Latin-1 mojibake, once or several times over.

    Correct text comes back unchanged (quotes, full-width punctuation, ligatures, HTML entities,
    normalization form, emoji). The result is a fixed point: repairing it again changes nothing.
    """
    if not may_hold_mojibake(text):  # nothing any repair step could change
        return text
    current = text
    while True:
        repaired = _repair_step(current)
        if repaired == current:
            return current
        current = repaired


def fix_encoding(doc: Document, *, body: bool = False) -> list[Change]:
    """Repair mojibake in every string value and key of ``doc`` (and its body if ``body``).

    Returns one :class:`Change` per repaired value or key, in document order, then the body.
    A repaired key is renamed in place and therefore moves to the end of its mapping.
    """
    body_start = _body_start_line(doc) if body else 0
    changes = rewrite_strings(doc, repair_mojibake, keys=True)
    if body:
        changes.extend(_repair_body(doc, body_start))
    return changes


def _body_start_line(doc: Document) -> int:
    """1-based file line on which the body starts (from the text as it would be written now)."""
    return doc.dumps().count("\n") - doc.body.count("\n") + 1


def _repair_body(doc: Document, body_start: int) -> list[Change]:
    before = doc.body
    after = repair_mojibake(before)
    if after == before:
        return []
    doc.body = after
    return [Change(BODY_PATH, body_start + first_difference_line(before, after), before, after)]
