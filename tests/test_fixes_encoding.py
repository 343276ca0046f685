"""fix_encoding / repair_mojibake: exact repairs, untouched correct text, the ftfy settings."""

# This file is about look-alike characters (curly quotes, full-width forms), by design.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import contextlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import ftfy
import ftfy.bad_codecs
import pytest
from ftfy.chardata import CHARMAP_ENCODINGS
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt.fixes import FTFY_CONFIG, Change, fix_encoding, mojibake, repair_mojibake
from frontmatter_qt.fixes import encoding as encoding_module
from frontmatter_qt.fixes.mojibake import (
    SPACE_LEAD_BYTES,
    _classes,
    decode_e2_symbols,
    may_hold_mojibake,
)

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
EXPECT = json.loads((CORPUS / "EXPECT.json").read_text(encoding="utf-8"))
FIXTURES = sorted(p.name for p in QUICKTAKES.glob("*.md"))

# Mojibake found in the corpus and what it stands for (written out, not computed).
CORPUS_MOJIBAKE = {
    "\u00e2\u20ac\u2122": "\u2019",  # â€™ → ’
    "\u00e2\u20ac\u02dc": "\u2018",  # â€˜ → ‘
    "\u00e2\u20ac\u201d": "\u2014",  # â€” → —
    "\u00e2\u2030\u00a5": "\u2265",  # â‰¥ → ≥
    "\u00c3\u00a9": "\u00e9",  # Ã© → é
    "\u00c2\u00b5": "\u00b5",  # Âµ → µ
    "\u00c2\u00b0": "\u00b0",  # Â° → °
}


def read(name: str) -> str:
    return (QUICKTAKES / name).read_text(encoding="utf-8")


def sloppy_cp1252(text: str) -> str:
    return text.encode("utf-8").decode("sloppy-windows-1252")


def latin1(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


# --- repair_mojibake: the pure function -----------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("â‰¥", "≥"),
        ("â€™", "’"),
        ("Ã©", "é"),
        ("Âµ", "µ"),
        ("Â°", "°"),
        ("â€”", "—"),
        ("Itâ€™s", "It’s"),
        ("cafÃ© au lait", "café au lait"),
        ("lesions â‰¥ 2 cm", "lesions ≥ 2 cm"),
        ("StraÃŸe", "Straße"),
        ("naÃ¯ve â€œquotedâ€\x9d", "naïve “quoted”"),
        # double mojibake (UTF-8 read as cp1252 twice)
        ("Ã¢â‚¬â„¢", "’"),
        ("Ã¢â€°Â¥", "≥"),
        ("cafÃƒÂ©", "café"),
        # Latin-1 variant: C1 control characters where cp1252 has punctuation
        ("It\u00e2\u0080\u0099s", "It’s"),
        ("\u00e2\u0089\u00a5 2 cm", "≥ 2 cm"),
        ("Ã¢Â\u0080Â\u0099", "’"),
        # mojibake next to correct non-ASCII text in the same string
        ("≥ and cafÃ©", "≥ and café"),
        ("肝癌 â€” Itâ€™s", "肝癌 — It’s"),
        # lone three-byte symbols ftfy's heuristic leaves alone (the supplement)
        ("Brandâ„¢ here", "Brand™ here"),
        ("â†’ next", "→ next"),
        ("Ã¢â€žÂ¢", "™"),
    ],
)
def test_repairs_mojibake_exactly(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


def test_expected_fragment_of_010_comes_back() -> None:
    fragment = EXPECT["010-mojibake.md"]["fixed_fragment"]
    assert repair_mojibake(sloppy_cp1252(fragment)) == fragment
    assert repair_mojibake(latin1(fragment)) == fragment
    assert repair_mojibake(sloppy_cp1252(sloppy_cp1252(fragment))) == fragment


@pytest.mark.parametrize(
    "clean",
    [
        "It’s a ‘first-line’ test — “quoted”",
        "香港肝癌的患病率是多少？",  # full-width CJK punctuation
        "ＡＢＣ　full width",
        "ﬁne ligature",
        "&nbsp;&amp;&lt;",
        "e\u0301 (NFD) and \u00e9 (NFC)",
        "🩺 👍🏽 emoji",
        "João São Paulo — naïve 肝癌 🩺 µ ≥ Straße",
        "the café’s menu",
        "CAFÉ au lait",
        "He said “Châ”… then",
        "a\r\nb\u2028c",
        "\x1b[31mred\x1b[0m",
        "\ufeffBOM and zero\u200bwidth",
        "10³ µm ±2 °C ½",
        "Я люблю тебя, Київ",
        "",
    ],
)
def test_leaves_correct_text_alone(clean: str) -> None:
    assert repair_mojibake(clean) == clean


def with_setting(name: str, value: Any) -> ftfy.TextFixerConfig:
    """FTFY_CONFIG with one setting changed."""
    fields: dict[str, Any] = {**FTFY_CONFIG._asdict(), name: value}
    return ftfy.TextFixerConfig(**fields)


# Each ftfy fixer switched off, with correct text its default setting would change.
DISABLED_FIXERS = [
    ("uncurl_quotes", True, "It’s “quoted”"),
    ("fix_character_width", True, "多少？"),
    ("fix_latin_ligatures", True, "ﬁne"),
    ("unescape_html", "auto", "a&nbsp;b"),
    ("normalization", "NFC", "e\u0301"),
    ("fix_line_breaks", True, "a\r\nb"),
    ("remove_control_chars", True, "\ufeffx"),
    ("remove_terminal_escapes", True, "\x1b[31mred\x1b[0m"),
    ("fix_surrogates", True, "\ud83e\ude7a"),
]


@pytest.mark.parametrize(("setting", "default", "clean"), DISABLED_FIXERS)
def test_each_disabled_ftfy_fixer_would_change_correct_text(
    setting: str, default: object, clean: str
) -> None:
    assert getattr(FTFY_CONFIG, setting) in (False, None)
    assert getattr(ftfy.TextFixerConfig(), setting) == default
    assert ftfy.fix_text(clean, with_setting(setting, default)) != clean
    assert ftfy.fix_text(clean, FTFY_CONFIG) == clean
    assert repair_mojibake(clean) == clean


# The two encoding sub-options switched off: each would put a guess in place of what is there.
DISABLED_ENCODING_OPTIONS = [
    ("replace_lossy_sequences", "quotedâ€?", "quoted\ufffd"),
    ("fix_c1_controls", "≥ \x80", "≥ €"),
]


@pytest.mark.parametrize(("setting", "text", "guess"), DISABLED_ENCODING_OPTIONS)
def test_each_disabled_encoding_option_would_guess(setting: str, text: str, guess: str) -> None:
    assert getattr(FTFY_CONFIG, setting) is False
    assert ftfy.fix_encoding(text, with_setting(setting, True)) == guess
    assert repair_mojibake(text) == text


def test_fix_text_ignores_encoding_options_without_explain_which_is_why_it_is_not_used() -> None:
    # ftfy 6.3: fix_text(..., explain=False) calls fix_encoding without the config.
    assert ftfy.fix_text("quotedâ€?", FTFY_CONFIG) == "quoted\ufffd"
    assert repair_mojibake("quotedâ€?") == "quotedâ€?"


def test_ftfy_defaults_change_the_clean_corpus_which_is_why_it_is_configured() -> None:
    text = read("011-clean-unicode.md")
    assert ftfy.fix_text(text) != text
    assert ftfy.fix_text("香港肝癌的患病率是多少？") == "香港肝癌的患病率是多少?"
    assert ftfy.fix_text("It’s") == "It's"
    assert repair_mojibake(text) == text


def test_mojibake_enabling_settings_are_on() -> None:
    assert FTFY_CONFIG.fix_encoding is True
    assert FTFY_CONFIG.decode_inconsistent_utf8 is True
    assert FTFY_CONFIG.restore_byte_a0 is True


# --- properties ------------------------------------------------------------------------------


@cache
def byte_readings(
    char: str, encodings: tuple[str, ...] = tuple(CHARMAP_ENCODINGS)
) -> frozenset[int]:
    """The bytes ``char`` can stand for in the single-byte codepages ftfy re-decodes from."""
    found = set()
    for encoding in encodings:
        with contextlib.suppress(UnicodeEncodeError):
            found.add(char.encode(encoding)[0])
    return frozenset(found)


def _sequence_length(lead: int) -> int:
    if 0xC0 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    return 4 if 0xF0 <= lead <= 0xF4 else 0


def _continues(char: str) -> bool:
    return any(0x80 <= byte <= 0xBF for byte in byte_readings(char))


# A space may stand for a lost no-break space (0xA0) after a lead byte, as ftfy assumes: any
# lead read in the Latin-like codepages, the leads of ALTERED_UTF8_RE in cp437, none in Mac
# Roman (ftfy skips it there).
_LATIN_LIKE = tuple(e for e in CHARMAP_ENCODINGS if e not in ("macroman", "cp437"))


def _space_may_follow(char: str) -> bool:
    latin = any(_sequence_length(b) for b in byte_readings(char, _LATIN_LIKE))
    return latin or bool(byte_readings(char, ("cp437",)) & set(SPACE_LEAD_BYTES))


def could_be_mojibake(text: str) -> bool:
    """True if some substring, read as bytes of one of ftfy's codepages, could be UTF-8.

    Text for which this is False cannot be UTF-8 misread as a single-byte codepage, so it is
    correct text as far as mojibake goes, and a repair must leave it exactly as it is.
    """
    for index, char in enumerate(text):
        for lead in byte_readings(char):
            length = _sequence_length(lead)
            tail = text[index + 1 : index + length]
            if length and len(tail) == length - 1:
                # each following byte a continuation byte, or a space standing for a lost
                # no-break space (0xA0), in any position: ftfy reads `à¢ ` as U+08A0
                spaced = _space_may_follow(char)
                if all(_continues(c) or (c == " " and spaced) for c in tail):
                    return True
    return False


def test_marker_predicate_recognises_mojibake_and_clean_text() -> None:
    assert could_be_mojibake("Ã©") and could_be_mojibake("â‰¥") and could_be_mojibake("Â ")
    assert could_be_mojibake("à¢ ")  # a lost no-break space as the last byte (found by hypothesis)
    assert not could_be_mojibake("café’s ≥ 肝癌 🩺")


SPECIALS = "’‘“”—–…•€™≥≤°µ±½×·²©®§£éèêëàâäçñöüßÉÀÇÖÜíóúáãøåæ？ﬁ\u0301"
C1_CONTROLS = range(0x80, 0xA0)
characters = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0xA0, max_codepoint=0x2FF),
    st.sampled_from(SPECIALS + " \n\r\t"),
)
# The profile decides how many (tests/strategies.py): 1500 is the full profile's number.
PROPERTY_SETTINGS = examples(1500)


@PROPERTY_SETTINGS
@given(st.text(alphabet=characters))
def test_never_changes_text_that_cannot_be_mojibake(text: str) -> None:
    # C1 controls only arise from Latin-1 misreadings; they are not correct text.
    assume(not any(ord(c) in C1_CONTROLS for c in text))
    assume(not could_be_mojibake(text))
    assert repair_mojibake(text) == text


@PROPERTY_SETTINGS
@given(st.text(alphabet=st.one_of(characters, st.sampled_from([chr(c) for c in C1_CONTROLS]))))
def test_repair_is_idempotent(text: str) -> None:
    once = repair_mojibake(text)
    assert repair_mojibake(once) == once


# --- the screen that spares loading ftfy -----------------------------------------------------


def test_the_screen_covers_every_reading_of_ftfys_codepages_and_clues() -> None:
    lead, continuation, before_space = _classes()
    for codepage in CHARMAP_ENCODINGS:  # ftfy's own (sloppy) codecs, every byte
        assert all(bytes([b]).decode(codepage) in lead for b in range(0xC0, 0x100)), codepage
        assert all(bytes([b]).decode(codepage) in continuation for b in range(0x80, 0xC0))
    # restore_byte_a0: a space after these bytes only, and never in Mac Roman (ftfy skips it)
    altered = ftfy.chardata.ALTERED_UTF8_RE
    spaced = {b for b in range(256) if altered.match(bytes([b, 0x20, 0x80, 0x80]))}
    assert spaced == set(SPACE_LEAD_BYTES)
    for codepage in set(CHARMAP_ENCODINGS) - {"macroman"}:
        assert all(bytes([b]).decode(codepage) in before_space for b in SPACE_LEAD_BYTES)
    # decode_inconsistent_utf8's detector (its clues are regular-expression classes)
    clues = ftfy.chardata.UTF8_CLUES
    bmp = [chr(c) for c in range(0x10000)]
    for first in ("utf8_first_of_2", "utf8_first_of_3", "utf8_first_of_4"):
        letters = set(filter(re.compile(f"[{clues[first]}]").fullmatch, bmp))
        assert letters <= set(lead) and letters <= set(before_space), first
    clue = re.compile(f"[{clues['utf8_continuation']}]")
    assert set(filter(clue.fullmatch, bmp)) <= {*continuation, " "}
    assert "\u00e2" in lead and set(mojibake._CONTINUATION_CHARS) <= set(continuation)


def test_the_screen_flags_every_corpus_mojibake_and_clears_plain_text() -> None:
    assert all(may_hold_mojibake(f"a {broken} b") for broken in CORPUS_MOJIBAKE)
    assert may_hold_mojibake("a\x85b") and may_hold_mojibake("Â ")
    assert not may_hold_mojibake("plain ASCII, even \\xc3")
    assert not may_hold_mojibake("the cafés’ “menu” ≥ 2 — naïve 肝癌 🩺")
    assert may_hold_mojibake("café’s")  # é then ’: a lead and a continuation in cp1252


@examples(500)
@given(st.text(alphabet=st.one_of(characters, st.sampled_from([chr(c) for c in C1_CONTROLS]))))
def test_a_string_the_screen_clears_is_one_every_repair_step_leaves_alone(text: str) -> None:
    if could_be_mojibake(text) or any(ord(c) in C1_CONTROLS for c in text):
        assert may_hold_mojibake(text)  # at least as wary as the independent predicate above
    assume(not may_hold_mojibake(text))
    # _repair_step is ftfy plus the supplement, without the screen: repair_mojibake returns
    # its input exactly when one step leaves it unchanged.
    assert encoding_module._repair_step(text) == text


def test_the_supplement_reads_cp1252_as_ftfys_sloppy_codec_does() -> None:
    sloppy = bytes(range(0x80, 0xC0)).decode("sloppy-windows-1252")
    c1 = "".join(chr(code) for code in range(0x80, 0xA0))
    assert set(mojibake._CONTINUATION_CHARS) == set(sloppy + c1)
    for char in sloppy + c1:
        try:
            expected = char.encode("sloppy-windows-1252")[0]
        except UnicodeEncodeError:
            expected = char.encode("latin-1")[0]
        assert mojibake._byte_of(char) == expected, hex(ord(char))


# Text pieces that make the supplement apply often: its own characters and corpus mojibake.
MOJIBAKE_PIECES = st.lists(
    st.one_of(
        st.text(alphabet=characters, max_size=3),
        st.sampled_from(["\u00e2", *mojibake._CONTINUATION_CHARS, *CORPUS_MOJIBAKE]),
    ),
    max_size=8,
).map("".join)


@examples(300)
@given(MOJIBAKE_PIECES)
def test_what_the_supplement_changes_repair_changes_so_lint_needs_no_ftfy(text: str) -> None:
    assume(decode_e2_symbols(text) != text)
    assert may_hold_mojibake(text)
    assert repair_mojibake(text) != text


# --- fix_encoding on documents ---------------------------------------------------------------


def repaired_text(text: str) -> str:
    """``text`` with every known corpus mojibake replaced, front matter and body alike."""
    for broken, fixed in CORPUS_MOJIBAKE.items():
        text = text.replace(broken, fixed)
    return text


def test_010_mojibake_exact_changes_and_output() -> None:
    text = read("010-mojibake.md")
    doc = fq.loads(text)
    before = {
        "seo": doc["seo"]["page_description"],
        "answer": doc["answer"],
        "related": doc["related_article1"]["title"],
    }
    changes = fix_encoding(doc)
    assert changes == [
        Change(("seo", "page_description"), 13, before["seo"], repaired_text(before["seo"])),
        Change(("answer",), 20, before["answer"], repaired_text(before["answer"])),
        Change(
            ("related_article1", "title"),
            28,
            "Whatâ€™s the prevalence of liver cancer in Hong Kong?",
            "What’s the prevalence of liver cancer in Hong Kong?",
        ),
    ]
    out = doc.dumps()
    assert EXPECT["010-mojibake.md"]["fixed_fragment"] in out
    assert out == repaired_text(text)
    assert fix_encoding(fq.loads(out)) == []


def test_011_clean_unicode_has_zero_changes() -> None:
    assert EXPECT["011-clean-unicode.md"]["encoding_changes"] == 0
    text = read("011-clean-unicode.md")
    doc = fq.loads(text)
    assert fix_encoding(doc, body=True) == []
    assert doc.dumps() == text


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_changes_only_mojibake_and_is_idempotent(name: str) -> None:
    text = read(name)
    doc = fq.loads(text)
    changes = fix_encoding(doc)
    for change in changes:
        assert change.after == repaired_text(change.before)
        assert change.after != change.before
    out = doc.dumps()
    front_matter_end = text.find("\n---", 3)
    expected = repaired_text(text[:front_matter_end]) + text[front_matter_end:]
    assert out == (expected if front_matter_end > 0 else text)
    assert fix_encoding(fq.loads(out)) == []


def test_seed_answer_is_repaired_and_nothing_else() -> None:
    text = read("000-seed.md")
    doc = fq.loads(text)
    changes = fix_encoding(doc)
    assert [(c.path, c.line) for c in changes] == [(("answer",), 20)]
    assert "â‰¥ 2 cm" in changes[0].before
    assert changes[0].after == changes[0].before.replace("â‰¥", "≥")
    assert doc.dumps() == text.replace("â‰¥", "≥")


def test_body_is_repaired_only_when_asked() -> None:
    text = "---\ntitle: x\n---\n\nCafÃ© line\nsecond\n"
    doc = fq.loads(text)
    assert fix_encoding(doc) == []
    assert doc.dumps() == text
    assert fix_encoding(doc, body=True) == [
        Change(("<body>",), 5, "\nCafÃ© line\nsecond\n", "\nCafé line\nsecond\n")
    ]
    assert doc.dumps() == "---\ntitle: x\n---\n\nCafé line\nsecond\n"


def test_lists_nested_maps_and_quoting_styles() -> None:
    text = (
        "---\n"
        'a: "Ã© x"\n'
        "b: 'Ã© y'\n"
        "tags:\n  - cafÃ©\n  - ok\n"
        "nested:\n  deep:\n    - {k: Âµm}\n"
        "n: 3\n"
        "---\n"
    )
    doc = fq.loads(text)
    assert fix_encoding(doc) == [
        Change(("a",), 2, "Ã© x", "é x"),
        Change(("b",), 3, "Ã© y", "é y"),
        Change(("tags", 0), 5, "cafÃ©", "café"),
        Change(("nested", "deep", 0, "k"), 9, "Âµm", "µm"),
    ]
    assert doc.dumps() == text.replace("Ã©", "é").replace("Âµ", "µ")


def test_key_mojibake_is_renamed_in_place_and_reported() -> None:
    doc = fq.loads("---\ncafÃ©: 1\nother: 2\n---\nbody\n")
    assert fix_encoding(doc) == [Change(("café",), 2, "cafÃ©", "café")]
    assert doc.dumps() == "---\ncafé: 1\nother: 2\n---\nbody\n"
    assert fix_encoding(fq.loads(doc.dumps())) == []


def test_key_rename_onto_an_existing_key_is_skipped() -> None:
    text = "---\ncafÃ©: 1\ncafé: 2\n---\n"
    doc = fq.loads(text)
    assert fix_encoding(doc) == []
    assert doc.dumps() == text


def test_a_repaired_key_is_renamed_in_place_with_its_comment() -> None:
    doc = fq.loads("---\na: 1\ncafÃ©: 2  # note\nz: 3\n---\nbody\n")
    changes = fix_encoding(doc)
    assert [(c.path, c.line, c.before, c.after) for c in changes] == [
        (("café",), 3, "cafÃ©", "café")
    ]
    assert list(doc.data) == ["a", "café", "z"]
    assert doc.dumps() == "---\na: 1\ncafé: 2  # note\nz: 3\n---\nbody\n"
