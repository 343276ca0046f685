"""Law 1: an unmodified document dumps to exactly its input, on every corpus file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import (
    EXPECT,
    QUICKTAKE_FILES,
    QUICKTAKES,
    REAL_FILES,
    by_source,
    check_each,
    reference_load,
    split_reference,
    typed,
)

import frontmatter_qt as fq

GOOD_FILES = QUICKTAKE_FILES + REAL_FILES


def test_corpus_is_present() -> None:
    assert len(QUICKTAKE_FILES) == 21
    assert len(REAL_FILES) == 399  # 398 articles and SOURCES.md (no front matter)


@pytest.mark.parametrize("paths", by_source(GOOD_FILES))
def test_bytes_identity(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        raw = path.read_bytes()
        assert fq.loads(raw).to_bytes() == raw
        assert fq.load(path).to_bytes() == raw

    check_each(paths, check)


@pytest.mark.parametrize("paths", by_source(GOOD_FILES))
def test_text_identity(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_bytes().decode("utf-8")
        assert fq.loads(text).dumps() == text

    check_each(paths, check)


@pytest.mark.parametrize("paths", by_source(GOOD_FILES))
def test_data_matches_reference_loader(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_bytes().decode("utf-8")
        found = split_reference(text)
        expected = (reference_load(found[0]) if found else None) or {}
        assert typed(fq.loads(text).data) == typed(expected)

    check_each(paths, check)


@pytest.mark.parametrize("paths", by_source(GOOD_FILES))
def test_pure_parser_reads_the_same(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        raw = path.read_bytes()
        if path.name == "016-trailing-ws.md":
            # The pure-Python scanner refuses a tab after a plain scalar; libyaml (and the YAML
            # spec) accept it. Documented in docs/guarantees.md.
            with pytest.raises(fq.errors.TabIndentationError) as caught:
                fq.loads(raw, pure=True)
            assert (caught.value.line, caught.value.column) == (23, 18)
            return
        c_doc, pure_doc = fq.loads(raw), fq.loads(raw, pure=True)
        assert typed(pure_doc.data) == typed(c_doc.data)
        assert pure_doc.to_bytes() == raw
        for key in c_doc.data:
            assert pure_doc.position(key) == c_doc.position(key), key

    check_each(paths, check)


def test_expected_file_facts() -> None:
    crlf = fq.load(QUICKTAKES / "001-crlf.md")
    assert crlf.newline == "\r\n" == EXPECT["001-crlf.md"]["newline"]
    assert fq.load(QUICKTAKES / "002-bom.md").bom is True
    assert fq.load(QUICKTAKES / "000-seed.md").bom is False
    many = fq.load(QUICKTAKES / "009-many-related.md")
    related = [v["id"] for k, v in many.items() if k.startswith("related_article")]
    assert related == EXPECT["009-many-related.md"]["related_ids"]
    for name in ("018-no-front-matter.md", "020-empty-file.md"):
        doc = fq.load(QUICKTAKES / name)
        assert doc.has_front_matter is False
        assert doc.data == {}
        assert doc.body == (QUICKTAKES / name).read_text("utf-8")
    empty = fq.load(QUICKTAKES / "019-empty-front-matter.md")
    assert (empty.has_front_matter, empty.data, empty.body) == (True, {}, "\nBody only.\n")


def test_seed_values_are_plain_python() -> None:
    doc = fq.load(QUICKTAKES / "000-seed.md")
    assert doc["id"] == 97068 and type(doc["id"]) is int
    assert doc["date"] == dt.date(2024, 12, 7) and type(doc["date"]) is dt.date
    assert doc["score"] == -1.0 and type(doc["score"]) is float
    assert doc["seo"]["title"] == "QuickTakes | Medicine"
    assert type(doc["seo"]) is dict
    assert doc["related_article2"] == {
        "id": 97055,
        "title": "How is hepatomegaly clinically approached?",
        "subject": "Medicine",
        "url": "/learn/medicine/questions/how-is-hepatomegaly-clinically-approached",
    }
    assert "\\n\\n1. **Ultrasound**" in doc["answer"]
    assert "â‰¥" in doc["answer"]
    assert doc.body == "\n&nbsp;"
    assert doc.content == doc.body and doc.metadata is doc.data
    assert doc.to_dict() == doc.data and doc.to_dict() is not doc.data


def test_datetime_and_string_dates() -> None:
    aware = fq.load(QUICKTAKES / "013-datetime.md")["date"]
    assert aware == dt.datetime(2024, 12, 7, 2, 30, tzinfo=dt.timezone.utc)
    assert aware.utcoffset() == dt.timedelta(hours=8)
    assert fq.load(QUICKTAKES / "012-date-string.md")["date"] == "Dec 07, 2024"


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("draft: no", "no"),
        ("on: on", "on"),
        ("n: 014", 14),
        ("n: 0o14", 12),
        ("n: 0x1F", 31),
        ("n: 1e3", 1000.0),
        ("n: .5", 0.5),
        ("n: 1_000", 1000),
        ("n: +1", 1),
        ("n: ~", None),
        ("n: null", None),
        ("n: True", True),
        ("n: 2024-1-7", "2024-1-7"),
        ("n: !!str 12", "12"),
        ("n: !!float 1", 1.0),
        ("n: '12'", "12"),
    ],
)
def test_yaml_1_2_scalars_match_reference(yaml_text: str, expected: object) -> None:
    doc = fq.loads(f"---\n{yaml_text}\n---\n")
    (value,) = doc.data.values()
    assert typed(value) == typed(expected)
    assert typed(doc.data) == typed(reference_load(yaml_text + "\n"))


@pytest.mark.parametrize(
    "text",
    [
        "--- \nkey: v\n---   \nbody\n",
        "---\nkey: v\n...\nbody\n",
        "---\nkey: v\n---",
        "---\r\nkey: v\r\n---\r\n",
        "\ufeff---\nkey: v\n---\n",
    ],
)
def test_delimiter_variants_round_trip(text: str) -> None:
    doc = fq.loads(text)
    assert doc.has_front_matter and doc["key"] == "v"
    assert doc.dumps() == text


@pytest.mark.parametrize(
    "text", ["----\nkey: v\n", "---- x\nkey: v\n", "body\n---\nk: v\n---\n", "++++\na\n"]
)
def test_not_front_matter(text: str) -> None:
    doc = fq.loads(text)
    assert doc.has_front_matter is False
    assert doc.body == text
    assert doc.dumps() == text


@pytest.mark.parametrize(
    ("text", "column", "language"),
    [
        ("---x\nkey: v\n---\n", 4, "x"),
        ("---coffee \na\n---\n", 4, "coffee"),
        ("+++yaml\n+++\n", 4, "yaml"),
    ],
)
def test_an_unknown_front_matter_language_is_refused_not_guessed(
    text: str, column: int, language: str
) -> None:
    with pytest.raises(fq.errors.UnknownFormatError) as info:
        fq.loads(text, path="a.md")
    assert (info.value.path, info.value.line, info.value.column) == ("a.md", 1, column)
    assert f"{language!r} is not a front-matter language this tool reads" in info.value.message


def test_fallback_when_the_c_extension_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from frontmatter_qt.formats.yaml import nodes as _nodes

    raw = (QUICKTAKES / "000-seed.md").read_bytes()
    expected = fq.loads(raw)
    monkeypatch.setattr(_nodes, "CParser", None)
    doc = fq.loads(raw)
    assert typed(doc.data) == typed(expected.data)
    assert doc.position("related_article4", "url") == expected.position("related_article4", "url")
    doc["title"] = "Edited without libyaml"
    assert doc.dumps() == raw.decode("utf-8").replace(
        "title: >-\n    What role", "title: >-\n    Edited without libyaml\n    What role", 1
    ).replace(
        "\n    What role do imaging techniques play in the diagnosis of liver cancer?\narticle",
        "\narticle",
        1,
    )


@pytest.mark.parametrize("separator", ["\u0085", "\u2028", "\u2029"])
def test_unicode_line_separators_keep_values_and_positions(separator: str) -> None:
    text = f'---\na: "x{separator}y"\nb: 1\n---\nbody{separator}more\n'
    doc = fq.loads(text)
    # libyaml (the reference) folds a raw U+0085 inside quotes like a line break.
    assert typed(doc.data) == typed(reference_load(f'a: "x{separator}y"\nb: 1\n'))
    assert doc.position("b") == (3, 4)
    assert doc.body == f"body{separator}more\n"
    assert doc.dumps() == text
    doc["a"] = f"new{separator}value"
    out = doc.dumps()
    assert fq.loads(out)["a"] == f"new{separator}value"
    assert out.split("\n")[2:] == text.split("\n")[2:]
