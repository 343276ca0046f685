"""parse_date / format_date / normalize_dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from arrow.formatter import DateTimeFormatter
from hypothesis import given
from hypothesis import strategies as st

import frontmatter_qt as fq
from frontmatter_qt.fixes import (
    AmbiguousDateError,
    Change,
    DateFormatError,
    DateParseError,
    format_date,
    normalize_dates,
    parse_date,
    validate_date_format,
)
from frontmatter_qt.fixes.dates import ARROW_FORMAT_RE, parse_datetime, strftime_to_arrow

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
EXPECT = json.loads((CORPUS / "EXPECT.json").read_text(encoding="utf-8"))
FIXTURES = sorted(p.name for p in QUICKTAKES.glob("*.md"))
DEC_7 = dt.date(2024, 12, 7)
PLUS_8 = dt.timezone(dt.timedelta(hours=8))


def read(name: str) -> str:
    return (QUICKTAKES / name).read_text(encoding="utf-8")


# --- parse_date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-12-07",
        "2024-12-07T10:30:00+08:00",
        "2024-12-07T23:30:00-05:00",
        "2024-12-07T10:30:00Z",
        "2024-12-07 10:30:00",
        "2024-12-07t10:30:00.1234567 +0800",
        "2024-12-07T01:00+08",
        "Dec 07, 2024",
        "December 7, 2024",
        "dec 7 2024",
        "Dec. 7th, 2024",
        "7 Dec 2024",
        "07 December 2024",
        "2024/12/07",
        "2024.12.7",
        "  Dec 07, 2024  ",
    ],
)
def test_parse_date_accepts_the_archive_formats(text: str) -> None:
    assert parse_date(text) == DEC_7


def test_sept_is_september() -> None:
    assert parse_date("Sept 7, 2024") == dt.date(2024, 9, 7)


def test_parse_date_keeps_a_datetimes_own_local_date() -> None:
    assert parse_date("2024-12-07T01:00:00+08:00") == DEC_7  # 2024-12-06 in UTC
    assert parse_date(dt.datetime(2024, 12, 7, 1, tzinfo=PLUS_8)) == DEC_7
    assert parse_date(DEC_7) == DEC_7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13/12/2024", dt.date(2024, 12, 13)),
        ("12/13/2024", dt.date(2024, 12, 13)),
        ("07/07/2024", dt.date(2024, 7, 7)),
        ("25-12-2024", dt.date(2024, 12, 25)),
        # Year first: ISO order, or, when the month would be above 12, day and month swapped.
        ("2024-13-01", dt.date(2024, 1, 13)),
        ("2024-31-12", dt.date(2024, 12, 31)),
        ("2024-1-5", dt.date(2024, 1, 5)),
    ],
)
def test_numeric_dates_that_only_read_one_way(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_ambiguous_numeric_date_raises_unless_dayfirst_is_given() -> None:
    with pytest.raises(AmbiguousDateError, match="ambiguous date '07/12/2024'"):
        parse_date("07/12/2024")
    assert parse_date("07/12/2024", dayfirst=True) == DEC_7
    assert parse_date("07/12/2024", dayfirst=False) == dt.date(2024, 7, 12)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2024-13-40",
        "2024-13-13",
        "2024-02-30",
        "Feb 30, 2024",
        "Dex 07, 2024",
        "07/12/24",
        "12/25/2024 x",
    ],
)
def test_unparseable_dates_raise_date_parse_error(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text)


def test_dayfirst_that_contradicts_the_numbers_raises() -> None:
    with pytest.raises(DateParseError, match="not a valid date"):
        parse_date("12/25/2024", dayfirst=True)


def test_errors_are_value_errors() -> None:
    assert issubclass(DateParseError, ValueError)
    assert issubclass(AmbiguousDateError, DateParseError)
    assert issubclass(DateFormatError, ValueError)
    assert issubclass(DateFormatError, fq.errors.FrontMatterError)


def test_parse_datetime_returns_aware_datetimes_on_python_310() -> None:
    assert parse_datetime("2024-12-07T10:30:00Z") == dt.datetime(
        2024, 12, 7, 10, 30, tzinfo=dt.timezone.utc
    )
    assert parse_datetime("2024-12-07T10:30:00.5+0800") == dt.datetime(
        2024, 12, 7, 10, 30, 0, 500000, tzinfo=PLUS_8
    )
    assert parse_datetime("2024-12-07") == DEC_7
    assert parse_datetime("Dec 07, 2024") is None


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_iso_and_rendered_forms_parse_back(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    for date_format in ("MMM DD, YYYY", "MMMM D, YYYY", "DD MMM YYYY", "YYYY/MM/DD"):
        assert parse_date(format_date(day, date_format)) == day


# --- format_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [
        ("MMM DD, YYYY", "Dec 07, 2024"),
        ("YYYY-MM-DD", "2024-12-07"),
        ("DD MMM YYYY", "07 Dec 2024"),
        ("MMMM D, YYYY", "December 7, 2024"),
        ("ddd", "Sat"),
        ("dddd, Do MMMM YYYY", "Saturday, 7th December 2024"),
        ("[Posted] YY/M/D", "Posted 24/12/7"),
        ("YYYY年M月D日", "2024年12月7日"),
    ],
)
def test_format_date_renders_arrow_tokens(date_format: str, expected: str) -> None:
    assert format_date(DEC_7, date_format) == expected


def test_format_date_renders_datetimes_with_their_offset() -> None:
    moment = dt.datetime(2024, 12, 7, 22, 5, tzinfo=PLUS_8)
    assert format_date(moment, "YYYY-MM-DD HH:mm ZZ hh A") == "2024-12-07 22:05 +08:00 10 PM"


@pytest.mark.parametrize(
    ("date_format", "token", "position"),
    [
        ("Q", "Q", 1),
        ("YYY", "YYY", 1),
        ("YYYYY", "Y", 5),
        ("dd MMM", "dd", 1),
        ("ZZZ", "ZZZ", 1),
        ("MMM DD, YYYY at", "t", 15),
        ("Posted MMM", "Po", 1),  # "s", "d" are tokens; "Po", "te" are not
    ],
)
def test_unknown_tokens_raise(date_format: str, token: str, position: int) -> None:
    with pytest.raises(
        DateFormatError, match=f"unknown date token '{token}' at character {position}"
    ):
        validate_date_format(date_format)
    with pytest.raises(DateFormatError):
        format_date(DEC_7, date_format)


def test_format_pattern_matches_arrows_own() -> None:
    assert ARROW_FORMAT_RE.pattern == DateTimeFormatter._FORMAT_RE.pattern


# --- normalize_dates ------------------------------------------------------------------------


def test_012_date_string_becomes_an_unquoted_iso_date() -> None:
    text = read("012-date-string.md")
    doc = fq.loads(text)
    assert normalize_dates(doc) == [Change(("date",), 4, "Dec 07, 2024", "2024-12-07")]
    assert doc["date"] == DEC_7
    out = doc.dumps()
    assert out == text.replace("date: Dec 07, 2024\n", "date: 2024-12-07\n")
    assert str(fq.loads(out)["date"]) == EXPECT["012-date-string.md"]["date"]
    assert normalize_dates(fq.loads(out)) == []


def test_013_datetime_becomes_its_date() -> None:
    text = read("013-datetime.md")
    doc = fq.loads(text)
    assert normalize_dates(doc) == [Change(("date",), 4, "2024-12-07T10:30:00+08:00", "2024-12-07")]
    out = doc.dumps()
    assert out == text.replace("date: 2024-12-07T10:30:00+08:00\n", "date: 2024-12-07\n")
    assert str(fq.loads(out)["date"]) == EXPECT["013-datetime.md"]["date"]
    assert normalize_dates(fq.loads(out)) == []


def test_013_keep_offset_leaves_the_datetime() -> None:
    text = read("013-datetime.md")
    doc = fq.loads(text)
    assert normalize_dates(doc, keep_offset=True) == []
    assert doc.dumps() == text


def test_keep_offset_turns_a_quoted_iso_datetime_into_a_datetime() -> None:
    doc = fq.loads('---\ndate: "2024-12-07T10:30:00+08:00"\n---\n')
    changes = normalize_dates(doc, keep_offset=True)
    assert changes == [
        Change(("date",), 2, "2024-12-07T10:30:00+08:00", "2024-12-07T10:30:00+08:00")
    ]
    assert doc["date"] == dt.datetime(2024, 12, 7, 10, 30, tzinfo=PLUS_8)
    assert fq.loads(doc.dumps())["date"] == doc["date"]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_normalizes_and_is_idempotent(name: str) -> None:
    text = read(name)
    doc = fq.loads(text)
    changes = normalize_dates(doc)
    out = doc.dumps()
    if name in ("012-date-string.md", "013-datetime.md"):
        assert [c.after for c in changes] == ["2024-12-07"]
        assert out.replace("date: 2024-12-07\n", "", 1) == "".join(
            line for line in text.splitlines(keepends=True) if not line.startswith("date: ")
        )
    else:
        assert changes == []
        assert out == text
    assert normalize_dates(fq.loads(out)) == []


def test_other_fields_and_dayfirst() -> None:
    doc = fq.loads("---\ndate: 2024-12-07\nupdated: 07/12/2024\nmeta:\n  seen: 7 Dec 2024\n---\n")
    with pytest.raises(AmbiguousDateError) as caught:
        normalize_dates(doc, fields=("date", "updated"))
    assert (caught.value.line, caught.value.column) == (3, 10)
    assert "updated" in str(caught.value)
    changes = normalize_dates(doc, fields=("date", "updated", ("meta", "seen")), dayfirst=True)
    assert changes == [
        Change(("updated",), 3, "07/12/2024", "2024-12-07"),
        Change(("meta", "seen"), 5, "7 Dec 2024", "2024-12-07"),
    ]
    assert (
        doc.dumps()
        == "---\ndate: 2024-12-07\nupdated: 2024-12-07\nmeta:\n  seen: 2024-12-07\n---\n"
    )


def test_bad_date_format_raises_with_its_position() -> None:
    doc = fq.loads("---\ndate: 2024-12-07\ndate_format: MMM Q YYYY\n---\n")
    assert normalize_dates(doc) == []  # no format field named: the format is not looked at
    with pytest.raises(DateFormatError) as caught:
        normalize_dates(doc, format_field="date_format")
    assert (caught.value.line, caught.value.column) == (3, 14)
    assert "unknown date token 'Q'" in str(caught.value)


def test_unparseable_field_raises_with_its_position() -> None:
    doc = fq.loads("---\ntitle: x\ndate: someday\n---\n")
    with pytest.raises(DateParseError) as caught:
        normalize_dates(doc)
    assert (caught.value.line, caught.value.column) == (3, 7)
    assert doc["date"] == "someday"


# --- styles, and repairs that fail one field at a time ---------------------------------------


def test_format_style_writes_the_documents_own_format() -> None:
    doc = fq.loads("---\ndate: 2024-12-07\nupdated: Dec 8 2024\ndate_format: MMM DD, YYYY\n---\n")
    changes = normalize_dates(doc, ("date", "updated"), format_field="date_format", style="format")
    assert changes == [
        Change(("date",), 2, "2024-12-07", "Dec 07, 2024"),
        Change(("updated",), 3, "Dec 8 2024", "Dec 08, 2024"),
    ]
    assert doc.dumps() == (
        "---\ndate: Dec 07, 2024\nupdated: Dec 08, 2024\ndate_format: MMM DD, YYYY\n---\n"
    )


def test_keep_type_style_writes_iso_in_the_values_own_type() -> None:
    text = '---\ndate: "Dec 07, 2024"\nupdated: 2024-12-08\nseen: 2024-12-09T10:00:00Z\n---\n'
    doc = fq.loads(text)
    changes = normalize_dates(doc, ("date", "updated", "seen"), style="keep-type")
    assert changes == [
        Change(("date",), 2, "Dec 07, 2024", "2024-12-07"),
        Change(("seen",), 4, "2024-12-09T10:00:00+00:00", "2024-12-09"),
    ]
    assert doc["date"] == "2024-12-07"  # still a string
    assert doc.dumps() == '---\ndate: "2024-12-07"\nupdated: 2024-12-08\nseen: 2024-12-09\n---\n'


@pytest.mark.parametrize("style", ["iso", "keep-type"])
def test_json_has_no_date_type_so_an_iso_date_is_its_text(style: str) -> None:
    doc = fq.loads('{\n  "date": "Dec 07, 2024",\n  "lastmod": "07 Dec 2024"\n}\nBody\n')
    changes = normalize_dates(doc, ("date", "lastmod"), style=style)  # type: ignore[arg-type]
    assert changes == [
        Change(("date",), 2, "Dec 07, 2024", "2024-12-07"),
        Change(("lastmod",), 3, "07 Dec 2024", "2024-12-07"),
    ]
    assert doc.dumps() == '{\n  "date": "2024-12-07",\n  "lastmod": "2024-12-07"\n}\nBody\n'


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="style must be one of iso, format, keep-type"):
        normalize_dates(fq.loads("---\ndate: 2024-12-07\n---\n"), style="locale")  # type: ignore[arg-type]


def test_with_a_problems_list_each_field_succeeds_or_fails_on_its_own() -> None:
    text = (
        "---\ndate: Dec 07, 2024\nupdated: 2024-13-40\nlastmod: 8 Dec 2024\n"
        'date_format: "%b %d, %Y"\n---\n'
    )
    doc = fq.loads(text, path="post.md")
    problems: list[fq.errors.FrontMatterError] = []
    changes = normalize_dates(
        doc, ("date", "updated", "lastmod"), format_field="date_format", problems=problems
    )
    assert [c.after for c in changes] == ["2024-12-07", "2024-12-08"]
    assert doc.dumps() == text.replace("Dec 07, 2024", "2024-12-07").replace(
        "8 Dec 2024", "2024-12-08"
    )
    assert [(type(p), p.path, p.line, p.column, p.message, p.hint) for p in problems] == [
        (
            DateFormatError,
            "post.md",
            5,
            14,
            "date_format: date_format '%b %d, %Y' is written for strftime (%-codes), but "
            "date_format takes arrow's tokens",
            "write it as 'MMM DD, YYYY'",
        ),
        (
            DateParseError,
            "post.md",
            3,
            10,
            "updated: not a valid date: '2024-13-40' (month must be in 1..12)",
            "write the date as YYYY-MM-DD",
        ),
    ]


def test_format_style_without_a_valid_format_leaves_dates_and_says_why() -> None:
    doc = fq.loads("---\ndate: 2024-12-07\ndate_format: MMM Q\n---\n")
    problems: list[fq.errors.FrontMatterError] = []
    assert normalize_dates(doc, format_field="date_format", style="format", problems=problems) == []
    assert [(p.line, p.message) for p in problems] == [
        (
            3,
            "date_format: unknown date token 'Q' at character 5 of date_format 'MMM Q' (tokens "
            "are arrow's; put literal text in [brackets])",
        ),
        (
            2,
            "date: cannot write the date in the document's format: its date_format is not "
            "valid (line 3)",
        ),
    ]
    plain = fq.loads("---\ndate: 2024-12-07\n---\n")
    with pytest.raises(DateFormatError, match="the file has no date_format"):
        normalize_dates(plain, format_field="date_format", style="format")


@pytest.mark.parametrize(
    ("strftime", "arrow_format", "rendered"),
    [
        ("%b %d, %Y", "MMM DD, YYYY", "Dec 07, 2024"),
        ("%Y-%m-%d", "YYYY-MM-DD", "2024-12-07"),
        (
            "%A %-d %B %Y at %H:%M",
            "dddd D MMMM YYYY [at] HH:mm",
            "Saturday 7 December 2024 at 00:00",
        ),
        ("%d de %B", "DD [de] MMMM", "07 de December"),
        ("100%% %Y", "100% YYYY", "100% 2024"),
        ("%Q", None, None),
        ("MMM DD, YYYY", None, None),
    ],
)
def test_strftime_formats_get_their_arrow_spelling(
    strftime: str, arrow_format: str | None, rendered: str | None
) -> None:
    assert strftime_to_arrow(strftime) == arrow_format
    if arrow_format is not None:
        assert format_date(DEC_7, arrow_format) == rendered
