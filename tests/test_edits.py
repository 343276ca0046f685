"""Laws 2 and 3: an edit rewrites only the edited value's lines, in its own style; new keys
follow their siblings; deleted keys take exactly their own lines."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    QUICKTAKE_FILES,
    QUICKTAKES,
    REAL_FILES,
    attached_start,
    by_source,
    check_each,
    reparse,
    split_reference,
    typed,
)
from strategies import KEY_STEP, in_turn

import frontmatter_qt as fq

NEW_STRINGS = [
    "A plain new value",
    "Needs: quoting # here",
    "- starts like a list item",
    'He said "hi" and it\'s fine',
    "Line one\nLine two\n\nParagraph two",
    "Unicode \u2265 2 cm \u2014 caf\u00e9 \u809d\u764c \U0001fa7a",
    "A long sentence that goes on " * 12 + "and ends.",
    "",
    "  leading and trailing spaces  ",
    "true",
    "2024-12-07",
    "123",
    "@at sign and `backtick`",
    "trailing colon:",
    "ends with newline\n",
    "#not a comment",
    "line\u2028separator",
]

Path_ = tuple[Any, ...]


def key_windows(text: str) -> dict[Path_, tuple[int, int]]:
    """Line windows [start, end) of top-level and nested keys, from PyYAML's libyaml composer
    (an independent parser): a key's window runs to the next sibling key's line."""
    found = split_reference(text)
    assert found is not None
    front_matter, first, close = found
    root = yaml.compose(front_matter, Loader=yaml.CSafeLoader)
    windows: dict[Path_, tuple[int, int]] = {}

    def walk(node: Any, prefix: Path_, end_line: int) -> None:
        pairs = node.value
        for index, (key, value) in enumerate(pairs):
            line = key.start_mark.line + first
            following = (
                pairs[index + 1][0].start_mark.line + first if index + 1 < len(pairs) else end_line
            )
            following = max(following, line + 1)
            windows[(*prefix, key.value)] = (line, following)
            if isinstance(value, yaml.MappingNode) and value.value:
                walk(value, (*prefix, key.value), following)

    if isinstance(root, yaml.MappingNode):
        walk(root, (), close)
    return windows


def assert_local(before: str, after: str, window: tuple[int, int]) -> None:
    old, new = before.split("\n"), after.split("\n")
    start, end = window
    assert new[:start] == old[:start], "lines before the edited key changed"
    tail = old[end:]
    assert new[len(new) - len(tail) :] == tail, "lines after the edited key changed"
    middle = new[start : len(new) - len(tail)]
    for line in old[start:end]:
        if line.strip().startswith("#"):
            assert line in middle, f"comment line lost: {line!r}"


def get_in(data: Any, path: Path_) -> Any:
    for key in path:
        data = data[key]
    return data


def set_in(data: Any, path: Path_, value: Any) -> None:
    get_in(data, path[:-1])[path[-1]] = value


def new_value_for(old: Any, turn: int) -> Any:
    if isinstance(old, str):
        return NEW_STRINGS[turn % len(NEW_STRINGS)]
    if isinstance(old, bool):
        return not old
    if isinstance(old, int):
        return old + 1
    if isinstance(old, float):
        return 0.5
    if isinstance(old, dt.date):
        return dt.date(2031, 1, 2)
    return "was " + type(old).__name__


EDITABLE = [
    p for p in QUICKTAKE_FILES + REAL_FILES if split_reference(p.read_bytes().decode("utf-8"))
]


@pytest.mark.parametrize("paths", by_source(EDITABLE, most=60))
def test_every_scalar_edit_is_exact_and_local(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_bytes().decode("utf-8")
        original = reparse(text)
        scalars = [
            (turn, key_path, window)
            for turn, (key_path, window) in enumerate(key_windows(text).items())
            if not isinstance(get_in(original, key_path), (dict, list))
        ]
        for turn, key_path, window in in_turn(scalars, len(text), KEY_STEP):
            old = get_in(original, key_path)
            new = new_value_for(old, turn + len(path.name))
            doc = fq.loads(text)
            set_in(doc.data, key_path, new)
            out = doc.dumps()
            expected = copy.deepcopy(original)
            set_in(expected, key_path, new)
            assert typed(reparse(out)) == typed(expected), key_path
            assert_local(text, out, window)
            if "\r\n" in text:
                assert out.count("\n") == out.count("\r\n"), "bare LF written into a CRLF file"

    check_each(paths, check)


@pytest.mark.parametrize("paths", by_source(EDITABLE, most=60))
def test_deleting_each_top_level_key_takes_only_its_lines(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_bytes().decode("utf-8")
        original = reparse(text)
        tops = [(key_path, w) for key_path, w in key_windows(text).items() if len(key_path) == 1]
        for key_path, (start, end) in in_turn(tops, len(text), KEY_STEP):
            doc = fq.loads(text)
            del doc[key_path[0]]
            out = doc.dumps()
            expected = {k: v for k, v in original.items() if k != key_path[0]}
            assert typed(reparse(out)) == typed(expected)
            old_lines, new_lines = text.split("\n"), out.split("\n")
            # the comment lines directly above the key go with it (issue 12)
            start, first = attached_start(old_lines, start), start
            removed = len(old_lines) - len(new_lines)
            assert new_lines[:start] == old_lines[:start]
            assert new_lines[start:] == old_lines[start + removed :]
            assert first - start + 1 <= removed <= end - start
            kept_blank_or_comment = [
                line
                for line in old_lines[start + removed : end]
                if line.strip() == "" or "#" in line
            ]
            assert old_lines[start + removed : end] == kept_blank_or_comment

    check_each(paths, check)


@pytest.mark.parametrize("paths", by_source(EDITABLE))
def test_adding_a_key_keeps_every_original_line_in_order(paths: list[Path]) -> None:
    def check(path: Path) -> None:
        text = path.read_bytes().decode("utf-8")
        doc = fq.loads(text)
        doc["added_by_test"] = {"new": "value: quoted", "list": [1, "two"]}
        out = doc.dumps()
        expected = {**reparse(text), "added_by_test": {"new": "value: quoted", "list": [1, "two"]}}
        assert typed(reparse(out)) == typed(expected)
        remaining = iter(out.split("\n"))
        assert all(line in remaining for line in text.split("\n"))

    check_each(paths, check)


# -- exact bytes on the seed -------------------------------------------------------------------

SEED_TITLE = (
    "title: >-\n    What role do imaging techniques play in the diagnosis of liver cancer?\n"
)


def edited(doc: fq.Document) -> str:
    return doc.dumps()


def test_folded_value_stays_folded_same_indent(seed: str) -> None:
    doc = fq.loads(seed)
    doc["title"] = "How is liver cancer staged?"
    expected = seed.replace(SEED_TITLE, "title: >-\n    How is liver cancer staged?\n", 1)
    assert edited(doc) == expected


def test_nested_folded_value_keeps_nested_indent(seed: str) -> None:
    doc = fq.loads(seed)
    doc["related_article2"]["title"] = "New: related title?"
    old = "    title: >-\n        How is hepatomegaly clinically approached?\n"
    assert old in seed
    assert edited(doc) == seed.replace(old, "    title: >-\n        New: related title?\n")


def test_folded_value_with_newlines_reads_back(seed: str) -> None:
    doc = fq.loads(seed)
    doc["seo"]["page_description"] = "First paragraph.\nSecond line\n\nThird."
    old_line = seed.split("\n")[13]
    out = edited(doc)
    new_block = "  page_description: >-\n    First paragraph.\n\n    Second line\n\n\n    Third.\n"
    assert out == seed.replace("  page_description: >-\n" + old_line + "\n", new_block)
    assert fq.loads(out)["seo"]["page_description"] == "First paragraph.\nSecond line\n\nThird."


def test_plain_value_stays_plain_or_is_quoted_by_the_emitter(seed: str) -> None:
    doc = fq.loads(seed)
    doc["subject"] = "Oncology"
    assert edited(doc) == seed.replace(
        "subject: Medicine\nfile_name", "subject: Oncology\nfile_name"
    )
    doc["subject"] = "Oncology: liver # 1"
    assert edited(doc) == seed.replace(
        "subject: Medicine\nfile_name", "subject: 'Oncology: liver # 1'\nfile_name"
    )
    doc["subject"] = "yes"
    assert edited(doc) == seed.replace("subject: Medicine\nfile_name", "subject: yes\nfile_name")
    doc["subject"] = "true"
    assert edited(doc) == seed.replace("subject: Medicine\nfile_name", "subject: 'true'\nfile_name")


def test_numbers_dates_and_null(seed: str) -> None:
    doc = fq.loads(seed)
    doc["score"] = 4.5
    doc["id"] = 1
    doc["date"] = dt.date(2025, 1, 31)
    doc["author"] = None
    out = edited(doc)
    expected = (
        seed.replace("score: -1.0", "score: 4.5")
        .replace("id: 97068\n", "id: 1\n", 1)
        .replace("date: 2024-12-07", "date: 2025-01-31")
        .replace("author: QuickTakes", "author: null")
    )
    assert out == expected


def test_quoted_values_keep_their_quote_character() -> None:
    text = (QUICKTAKES / "005-quoted.md").read_text("utf-8")
    doc = fq.loads(text)
    doc["post_on_text"] = "Posted: on"
    doc["author"] = "It's me"
    doc["url"] = "/x"
    out = edited(doc)
    assert out == (
        text.replace("post_on_text: 'Posted on'", "post_on_text: 'Posted: on'")
        .replace('author: "QuickTakes: Medicine #1"', 'author: "It\'s me"')
        .replace(
            "url: '/learn/medicine/questions/what-role-do-imaging-techniques-play-in-the-"
            "diagnosis-of-liver-cancer'",
            "url: '/x'",
        )
    )


def test_trailing_comment_survives() -> None:
    text = (QUICKTAKES / "004-comments.md").read_text("utf-8")
    doc = fq.loads(text)
    doc["score"] = 2.0
    doc["_schema"] = "v2"
    assert edited(doc) == text.replace(
        "score: -1.0 # not scored yet", "score: 2.0 # not scored yet"
    ).replace("_schema: default # schema name", "_schema: v2 # schema name")


def test_wrapped_folded_value_is_rewrapped_at_its_width() -> None:
    text = (QUICKTAKES / "006-folded-wrapped.md").read_text("utf-8")
    doc = fq.loads(text)
    value = doc["seo"]["page_description"]
    doc["seo"]["page_description"] = value.replace("emerging technologies", "new technologies")
    out = edited(doc)
    lines = out.split("\n")
    start = lines.index("  page_description: >-")
    block = lines[start + 1 : start + 6]
    assert all(line.startswith("    ") for line in block if line)
    assert max(len(line) for line in block) <= max(
        len(x) for x in text.split("\n")[start + 1 : start + 6]
    )
    assert len(block[0]) > 60
    assert fq.loads(out)["seo"]["page_description"] == doc["seo"]["page_description"]


def test_literal_value_stays_literal() -> None:
    text = (QUICKTAKES / "007-literal-answer.md").read_text("utf-8")
    doc = fq.loads(text)
    doc["answer"] = "One.\n\nTwo."
    out = edited(doc)
    start = text.index("answer: |-\n")
    end = text.index("subject:", start)
    assert out == text[:start] + "answer: |-\n    One.\n\n    Two.\n" + text[end:]


def test_crlf_file_gets_crlf_lines() -> None:
    text = (QUICKTAKES / "001-crlf.md").read_bytes().decode("utf-8")
    doc = fq.loads(text)
    doc["tags"] = ["a", "b"]
    doc["title"] = "Two\nlines"
    out = edited(doc)
    assert out.count("\n") == out.count("\r\n")
    assert out.endswith(
        "related_article4:\r\n    id: 97070\r\n    title: >-\r\n        How does liver "
        "cancer management differ in Hong Kong compared to other regions?\r\n    subject: "
        "Medicine\r\n    url: /learn/medicine/questions/how-does-liver-cancer-management-"
        "differ-in-hong-kong-compared-to-other-regions\r\ntags:\r\n- a\r\n- b\r\n---\r\n"
        + text.split("---\r\n", 2)[2]
    )


def test_bom_is_kept_on_edit() -> None:
    raw = (QUICKTAKES / "002-bom.md").read_bytes()
    doc = fq.loads(raw)
    doc["id"] = 5
    assert doc.to_bytes() == raw.replace(b"id: 97068", b"id: 5", 1)


def test_new_nested_key_uses_sibling_indentation(seed: str) -> None:
    doc = fq.loads(seed)
    doc["related_article1"]["score"] = 3
    doc["seo"]["robots"] = "noindex"
    out = edited(doc)
    expected = seed.replace(
        "  page_keywords: >-\n    imaging",
        "  page_keywords: >-\n    imaging",
    )
    seo_end = "lesion characterization\n"
    expected = expected.replace(seo_end, seo_end + "  robots: noindex\n", 1)
    ra1_url = (
        "    url: /learn/health-studies/questions/"
        "what-is-the-prevalence-of-liver-cancer-in-hong-kong\n"
    )
    expected = expected.replace(ra1_url, ra1_url + "    score: 3\n")
    assert out == expected


def test_new_mapping_copies_nearest_sibling_format(seed: str) -> None:
    doc = fq.loads(seed)
    doc["related_article5"] = {"id": 1, "title": "Next?", "subject": "Biology", "url": "/learn/b"}
    out = edited(doc)
    block = (
        "related_article5:\n    id: 1\n    title: >-\n        Next?\n"
        "    subject: Biology\n    url: /learn/b\n---\n"
    )
    closing = "---\n\n&nbsp;"
    assert seed.endswith(closing)
    assert out == seed[: -len(closing)] + block + "\n&nbsp;"


def test_delete_nested_key_and_empty_mapping(seed: str) -> None:
    doc = fq.loads(seed)
    del doc["related_article3"]["subject"]
    out = edited(doc)
    assert out == seed.replace(
        "        What are the common genetic factors associated with liver cancer?\n"
        "    subject: Health Studies\n",
        "        What are the common genetic factors associated with liver cancer?\n",
    )
    doc["seo"] = {}
    assert reparse(edited(doc))["seo"] == {}


def test_list_edits_touch_only_their_items() -> None:
    text = (QUICKTAKES / "008-extra-keys.md").read_text("utf-8")
    doc = fq.loads(text)
    doc["tags"].append("radiology")
    doc["tags"].remove("oncology")
    doc["aliases"].append("/x")
    out = edited(doc)
    assert out == text.replace("  - oncology\n", "").replace(
        "  - imaging\n", "  - imaging\n  - radiology\n"
    ).replace(
        "aliases: [/q/97068, /old/liver-imaging]", "aliases: [/q/97068, /old/liver-imaging, /x]"
    )


def test_setting_a_null_value(seed: str) -> None:
    text = (QUICKTAKES / "008-extra-keys.md").read_text("utf-8")
    doc = fq.loads(text)
    doc["author"] = "Ana"
    assert edited(doc) == text.replace("author:\n", "author: Ana\n")
    doc["author"] = {"name": "Ana"}
    assert edited(doc) == text.replace("author:\n", "author:\n  name: Ana\n")


def test_adding_to_empty_and_missing_front_matter() -> None:
    empty = (QUICKTAKES / "019-empty-front-matter.md").read_text("utf-8")
    doc = fq.loads(empty)
    doc["title"] = "Hello"
    assert edited(doc) == "---\ntitle: Hello\n---\n\nBody only.\n"
    missing = (QUICKTAKES / "018-no-front-matter.md").read_text("utf-8")
    doc = fq.loads(missing)
    doc["title"] = "Hello: world"
    doc["tags"] = ["a"]
    assert edited(doc) == "---\ntitle: 'Hello: world'\ntags:\n- a\n---\n" + missing
    doc = fq.loads(b"")
    doc["a"] = 1
    assert edited(doc) == "---\na: 1\n---\n"


def test_body_is_settable_and_verified(seed: str) -> None:
    doc = fq.loads(seed)
    doc.body = "\nNew body\n"
    assert edited(doc) == seed[: -len("&nbsp;")] + "New body\n"
    doc = fq.loads("---\na: 1\n---")
    doc.body = "text"
    assert edited(doc) == "---\na: 1\n---\ntext"


def test_no_front_matter_body_that_looks_like_front_matter_is_refused() -> None:
    doc = fq.loads("plain body\n")
    doc.body = "---\nx: 1\n---\n"
    with pytest.raises(fq.errors.RoundTripError):
        doc.dumps()


def test_unrepresentable_value_is_refused(seed: str) -> None:
    doc = fq.loads(seed)
    doc["seo"]["title"] = object()
    with pytest.raises(fq.errors.UnrepresentableValueError, match=r"seo\.title"):
        doc.dumps()


@pytest.mark.parametrize(
    ("text", "attribute", "value", "message"),
    [
        ("---\na: 1\n---\nbody\n", "data", [1], "must be a dict (keys and their values), not list"),
        ("---\na: 1\n---\nbody\n", "data", [], "must be a dict (keys and their values), not list"),
        (
            "---\na: 1\n---\nbody\n",
            "data",
            None,
            "must be a dict (keys and their values), not NoneType",
        ),
        ("no front matter\n", "data", None, "must be a dict (keys and their values), not NoneType"),
        ("no front matter\n", "data", "x", "must be a dict (keys and their values), not str"),
        ("+++\na = 1\n+++\n", "data", (1,), "must be a dict (keys and their values), not tuple"),
        ("---\na: 1\n---\nbody\n", "body", None, "the body must be text (str), not NoneType"),
        ('{"a": 1}\n', "body", b"x", "the body must be text (str), not bytes"),
    ],
)
def test_data_or_body_of_the_wrong_type_is_refused_before_anything_walks_it(
    text: str, attribute: str, value: Any, message: str, tmp_path: Path
) -> None:
    # (found by a hunt: these raised IndexError, TypeError or AttributeError from deep in an
    # editor, or wrote the body alone for `data = None`)
    target = tmp_path / "post.md"
    target.write_text(text, encoding="utf-8")
    doc = fq.load(target)
    setattr(doc, attribute, value)
    for attempt in (doc.dumps, lambda: fq.dump(doc), lambda: doc.convert("json")):
        with pytest.raises(fq.errors.UnrepresentableValueError, match=re.escape(message)) as caught:
            attempt()
        assert str(caught.value.path) == str(target)
    assert target.read_text(encoding="utf-8") == text


def test_type_changes_are_edits(seed: str) -> None:
    doc = fq.loads(seed)
    doc["id"] = 97068.0
    assert edited(doc) == seed.replace("id: 97068\n", "id: 97068.0\n", 1)
    doc["id"] = True
    assert edited(doc) == seed.replace("id: 97068\n", "id: true\n", 1)
    doc["id"] = "97068"
    assert edited(doc) == seed.replace("id: 97068\n", "id: '97068'\n", 1)


def test_mapping_behaviour(seed: str) -> None:
    doc = fq.loads(seed)
    assert "seo" in doc and "nope" not in doc
    assert len(doc) == len(doc.data) == 19
    assert list(doc)[:3] == ["_schema", "id", "date"]
    assert doc.get("nope", 1) == 1
    doc.update({"subject": "Biology"})
    assert doc.data["subject"] == "Biology"


# -- Locality of deletions and item edits (issue 10, items 5 to 8): exact bytes --------------

LONG_KEY = "k" * 130  # the engine writes keys over 128 characters as `? key` / `: value`


def exactly(text: str, change: Any) -> str:
    """The dump after ``change(data)``; the reference must read it as the intended data."""
    doc = fq.loads(text)
    change(doc.data)
    out = doc.dumps()
    assert typed(reparse(out)) == typed(doc.data)
    return out


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (
            f"---\na: 1 # c\n? {LONG_KEY}\n: v # v\nb: 2 # d\n---\n",
            lambda d: d.__delitem__(LONG_KEY),
            "---\na: 1 # c\nb: 2 # d\n---\n",
        ),
        (
            "---\na: 1 # c\n? |\n  two\n  lines\n: v\nb: 2 # d\n---\n",
            lambda d: d.__delitem__("two\nlines\n"),
            "---\na: 1 # c\nb: 2 # d\n---\n",
        ),
        (
            "---\n\ufeffa: x # keep\nb: y # too\n---\n",
            lambda d: d.__delitem__("a"),
            "---\n\ufeffb: y # too\n---\n",
        ),
        (
            "---\n\ufeffa: x # keep\nb: y # too\n---\n",
            lambda d: d.__delitem__("b"),
            "---\n\ufeffa: x # keep\n---\n",
        ),
        ("---\n\ufeffa: x\n---\n", lambda d: d.__delitem__("a"), "---\n---\n"),
        ("---\n\ufeffa: x\nb: y\n---\n", lambda d: d.clear(), "---\n---\n"),
        ("---\n\ufeffa: x\n# c\n---\n", lambda d: d.clear(), "---\n\ufeff# c\n---\n"),
        (
            "---\n\ufeffa: x # keep\n---\n",
            lambda d: d.__setitem__("c", {"n": 1}),
            "---\n\ufeffa: x # keep\nc:\n  n: 1\n---\n",
        ),
        (
            "---\nl:\n- a: 1 # one\n  b: 2 # two\n  c: 3\n---\n",
            lambda d: d["l"][0].__delitem__("a"),
            "---\nl:\n- b: 2 # two\n  c: 3\n---\n",
        ),
        (
            "---\nl:\n- a: 1 # one\n  b: 2 # two\n  c: 3\n---\n",
            lambda d: (d["l"][0].__delitem__("a"), d["l"][0].__delitem__("b")),
            "---\nl:\n- c: 3\n---\n",
        ),
        (
            "---\nl:\n- ? a\n  : 1\n  b: 2\n---\n",
            lambda d: d["l"][0].__delitem__("a"),
            "---\nl:\n- b: 2\n---\n",
        ),
    ],
    ids=[
        "explicit-long-key",
        "explicit-multiline-key",
        "bom-first-key",
        "bom-other-key",
        "bom-only-key",
        "bom-all-keys",
        "bom-all-keys-comment-stays",
        "bom-add-nested",
        "first-key-of-item",
        "two-first-keys-of-item",
        "explicit-first-key-of-item",
    ],
)
def test_deletion_takes_exactly_the_entry(text: str, change: Any, expected: str) -> None:
    assert exactly(text, change) == expected


def test_explicit_key_value_changes_kind_in_place() -> None:
    text = f"---\na: 1 # c\n? {LONG_KEY}\n: v\n---\n"
    expected = f"---\na: 1 # c\n? {LONG_KEY}\n:\n- 1\n- 2\n---\n"
    assert exactly(text, lambda d: d.__setitem__(LONG_KEY, [1, 2])) == expected


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        ("? a\nb: 2\n", lambda d: d.__setitem__("a", 5), "? a\n: 5\nb: 2\n"),
        ("? a # note\nb: 2\n", lambda d: d.__setitem__("a", 5), "? a # note\n: 5\nb: 2\n"),
        ("? a # note:\n", lambda d: d.__setitem__("a", 5), "? a # note:\n: 5\n"),
        ("? a\nb: 2\n", lambda d: d.__setitem__("a", [1, 2]), "? a\n:\n- 1\n- 2\nb: 2\n"),
        (
            "m:\n    ? a # note\n    b: 2\n",
            lambda d: d["m"].__setitem__("a", {"x": 1}),
            "m:\n    ? a # note\n    :\n        x: 1\n    b: 2\n",
        ),
        (
            "l:\n- ? a\n  b: 2\n",
            lambda d: d["l"][0].__setitem__("a", "v"),
            "l:\n- ? a\n  : v\n  b: 2\n",
        ),
        # Not explicit keys: a ` #` before the `:` is inside the quoted key (found by a review:
        # taken for a comment, the value went on a `:` line of its own, which did not parse)
        ('"a #b":\nc: 1\n', lambda d: d.__setitem__("a #b", 5), '"a #b": 5\nc: 1\n'),
        ("'x #y:':\n", lambda d: d.__setitem__("x #y:", 5), "'x #y:': 5\n"),
        ('l:\n- "a #b":\n', lambda d: d["l"][0].__setitem__("a #b", 5), 'l:\n- "a #b": 5\n'),
    ],
    ids=[
        "scalar",
        "comment",
        "comment-ending-in-colon",
        "list",
        "nested-map",
        "in-item",
        "quoted-key-with-hash",
        "single-quoted-key-with-hash",
        "quoted-key-in-item",
    ],
)
def test_explicit_key_alone_gets_a_value_line(text: str, change: Any, expected: str) -> None:
    """`? key` with no `:` line holds null; its new value goes on a `: value` line below the
    key (not after the key's text or its comment)."""
    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"


# Regression (found by test_delete_key_takes_exactly_its_lines): libyaml marks the empty value
# of a `? key` written alone at the next token, past the comment lines below the key; the entry
# took those lines (deleted with it, or its new `: value` line went below them).
@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        ("title:\n? id\n# c1:\n", lambda d: d.__delitem__("id"), "title:\n# c1:\n"),
        ("? t # c1:\n\n# c2:\n? id\n", lambda d: d.__delitem__("id"), "? t # c1:\n\n"),
        ("? a\n# c\nb: 2\n", lambda d: d.__delitem__("a"), "# c\nb: 2\n"),
        ("? a\n# c\nb: 2\n", lambda d: d.__setitem__("a", 5), "? a\n: 5\n# c\nb: 2\n"),
        # a key's own line that starts with `#` is not a comment: the value stays after it
        ('? "a\n  # b"\nz: 1\n', lambda d: d.__setitem__("a # b", 2), '? "a\n  # b"\n: 2\nz: 1\n'),
    ],
    ids=["delete-last", "delete-after-comment", "delete-first", "set", "quoted-key-hash-line"],
)
def test_explicit_key_alone_leaves_the_comments_below_it(
    text: str, change: Any, expected: str
) -> None:
    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (
            "n:\n    x: 1\n    z: |2\n        y\n",
            lambda d: (d.__setitem__("m", d.pop("n")), d["m"].__setitem__("x", 2)),
            "m:\n    x: 2\n    z: |4\n          y\n",
        ),
        (
            "n:\n    z: |2\n          y\n",
            lambda d: d.__setitem__("m", {"w": 1, **d.pop("n")}),
            "m:\n    w: 1\n    z: |4\n            y\n",
        ),
        (
            "n:\n  x: 1\n  z: |1\n    y\n",
            lambda d: (d.__setitem__("m", d.pop("n")), d["m"].__setitem__("x", 2)),
            "m:\n  x: 2\n  z: |2\n     y\n",
        ),
    ],
    ids=["map-indent-4", "rebuilt-dict", "map-indent-2"],
)
def test_block_scalar_written_anew_says_its_indentation(
    text: str, change: Any, expected: str
) -> None:
    """A block scalar whose text starts with spaces needs an indentation indicator; written
    anew in a mapping indented by 4, the indicator says 4 (the emitter always writes 2)."""
    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"


DASH_ALONE = (
    "---\nl:\n- # first\n  a: 1 # c1\n- # second\n  b: >-\n    folded\n    text\n-\n  - x # c\n"
    "  - y\n---\n"
)


@pytest.mark.parametrize(
    ("change", "old", "new"),
    [
        (lambda d: d["l"][0].__setitem__("a", 2), "  a: 1 # c1\n", "  a: 2 # c1\n"),
        (lambda d: d["l"][2].__setitem__(1, "z"), "  - y\n", "  - z\n"),
        (lambda d: d["l"][1].__setitem__("b", "new"), "    folded\n    text\n", "    new\n"),
        (lambda d: d["l"][0].__setitem__("n", 5), "  a: 1 # c1\n", "  a: 1 # c1\n  n: 5\n"),
        (lambda d: d["l"].__setitem__(0, "scalar"), "  a: 1 # c1\n", "  scalar # c1\n"),
        (
            lambda d: d["l"].__setitem__(0, {"x": [1, 2]}),
            "  a: 1 # c1\n",
            "  x:\n  - 1\n  - 2\n",
        ),
        (lambda d: d["l"].__delitem__(0), "- # first\n  a: 1 # c1\n", ""),
        (lambda d: d["l"].append("end"), "  - y\n", "  - y\n- end\n"),
    ],
    ids=[
        "set",
        "set-in-nested-list",
        "set-folded",
        "add",
        "to-scalar",
        "to-map",
        "delete",
        "append",
    ],
)
def test_items_starting_after_their_dash_are_patched_in_place(
    change: Any, old: str, new: str
) -> None:
    """Items whose content starts on the line after `-` (or `- # comment`): only the edited
    item's lines change; the other items keep their comments and their folded text."""
    assert DASH_ALONE.count(old) == 1
    assert exactly(DASH_ALONE, change) == DASH_ALONE.replace(old, new)


def test_item_indented_past_its_dash_keeps_its_column() -> None:
    text = "---\nl:\n-\n    a: 1\n    c: 3\n-\n  b: 2 # keep\n---\n"
    out = exactly(text, lambda d: d["l"].__setitem__(0, {"x": [1, 2], "y": 2}))
    assert out == "---\nl:\n-\n    x:\n    - 1\n    - 2\n    y: 2\n-\n  b: 2 # keep\n---\n"


@pytest.mark.parametrize(
    ("text", "new", "expected"),
    [
        ("answer: |  # note\n  text\nb: 1\n", {"x": 1}, "answer:  # note\n  x: 1\nb: 1\n"),
        ("answer: |  # note\n  text\nb: 1\n", [1, 2], "answer:  # note\n- 1\n- 2\nb: 1\n"),
        ("answer: >-  # note\n  text\nb: 1\n", [], "answer: []  # note\nb: 1\n"),
        ("answer: &x |  # note\n  text\nb: 1\n", {"x": 1}, "answer:  # note\n  x: 1\nb: 1\n"),
        ("l:\n- |  # note\n  text\n- x\n", {"p": 1, "q": 2}, "l:\n- # note\n  p: 1\n  q: 2\n- x\n"),
        ("l:\n- |  # note\n  text\n- x\n", [1], "l:\n- - 1  # note\n- x\n"),
        ("l:\n- >-  # note\n  text\n- x\n", {}, "l:\n- {}  # note\n- x\n"),
    ],
    ids=["map", "list", "empty-list", "anchored", "item-map", "item-list", "item-empty-map"],
)
def test_comment_after_block_header_survives_a_change_of_kind(
    text: str, new: Any, expected: str
) -> None:
    def change(data: Any) -> None:
        if "l" in data:
            data["l"][0] = new
        else:
            data["answer"] = new

    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (
            "a: |-\n  keep\n\n\nb: 1\n",
            lambda d: (d.__setitem__("a", "\n"), d.insert("n", 1, after="a")),
            "a: |2+\n\nn: 1\nb: 1\n",
        ),
        (
            "a: |-\n  keep\n\n\nb: 1\n",
            lambda d: (
                d.__setitem__("a", "x\n\n"),
                d.insert("n", 1, after="a"),
                d.insert("o", 2, after="n"),
            ),
            "a: |+\n  x\n\nn: 1\no: 2\nb: 1\n",
        ),
        (
            "a: |-\n  keep\n\n\n",
            lambda d: (d.__setitem__("a", "\n"), d.__setitem__("n", 1)),
            "a: |2+\n\nn: 1\n",
        ),
    ],
    ids=["insert-after", "two-inserted", "added-last"],
)
def test_value_turned_keep_chomped_before_new_entries(
    text: str, change: Any, expected: str
) -> None:
    """A value that becomes keep-chomped (``|+``) takes the blank lines after it (they would
    join it); entries inserted right after it follow its new text."""
    doc = fq.loads(f"---\n{text}---\n")
    change(doc)
    out = doc.dumps()
    assert typed(reparse(out)) == typed(doc.data)
    assert out == f"---\n{expected}---\n"


@pytest.mark.parametrize(
    ("text", "new", "expected"),
    [
        ("l:\n-\n- x\n", {"p": "q"}, "l:\n- p: q\n- x\n"),
        ("l:\n-\n- x\n", [1], "l:\n- - 1\n- x\n"),
        ("l:\n-   \n- x\n", {"p": "q", "r": "s"}, "l:\n- p: q\n  r: s\n- x\n"),
        ("l:\n- # empty\n- x\n", {"p": "q", "r": "s"}, "l:\n- # empty\n  p: q\n  r: s\n- x\n"),
        ("l:\n- # empty\n- x\n", ["a", "b"], "l:\n- # empty\n  - a\n  - b\n- x\n"),
        ("l:\n- # empty\n- x\n", "v", "l:\n- v # empty\n- x\n"),
        ("l:\n  -\n  - x\n", {"p": {"q": 1}}, "l:\n  - p:\n      q: 1\n  - x\n"),
        ("l:\n-\n", {"p": "q"}, "l:\n- p: q\n"),
    ],
    ids=[
        "map",
        "list",
        "trailing-blanks",
        "comment-map",
        "comment-list",
        "comment-scalar",
        "indented",
        "only-item",
    ],
)
def test_null_item_becomes_a_collection(text: str, new: Any, expected: str) -> None:
    assert exactly(f"---\n{text}---\n", lambda d: d["l"].__setitem__(0, new)) == (
        f"---\n{expected}---\n"
    )


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (
            "m:\n-   c: 3\n    d: 4\n",
            lambda d: d["m"].__setitem__(0, ["a", "b"]),
            "m:\n-   -   a\n    -   b\n",
        ),
        (
            "m:\n-   - x\n    - y\n",
            lambda d: d["m"][0].append("z"),
            "m:\n-   - x\n    - y\n    - z\n",
        ),
        (
            "m:\n-   - x\n    - y\n",
            lambda d: d["m"][0].insert(0, "w"),
            "m:\n-   - w\n    - x\n    - y\n",
        ),
        (
            "items:\n    -   name: c\n        tags:\n        -   x\n",
            lambda d: d["items"][0]["tags"].__setitem__(0, {"k": 1, "l": 2}),
            "items:\n    -   name: c\n        tags:\n        -   k: 1\n            l: 2\n",
        ),
        ("m:\n-   x\n-   y\n", lambda d: d["m"].append("z"), "m:\n-   x\n-   y\n-   z\n"),
        (
            "m:\n-   x\n",
            lambda d: d["m"].insert(0, {"a": 1, "b": [1]}),
            "m:\n-   a: 1\n    b:\n    -   1\n-   x\n",
        ),
        ("m:\n-  x\n", lambda d: d["m"].__setitem__(0, {"a": 1, "b": 2}), "m:\n-  a: 1\n   b: 2\n"),
        ("m:\n-  x\n", lambda d: d["m"].__setitem__(0, []), "m:\n-  []\n"),
        ("m:\n-   x\n-\n", lambda d: d["m"].__setitem__(1, {"a": 1}), "m:\n-   x\n-   a: 1\n"),
        # a new empty flow collection follows the list's blanks too (it was written `- []`)
        ("tags:\n-   a\n-   b\n", lambda d: d["tags"].append([]), "tags:\n-   a\n-   b\n-   []\n"),
        ("tags:\n-   a\n", lambda d: d["tags"].insert(0, {}), "tags:\n-   {}\n-   a\n"),
        (
            "m:\n    tags:\n    -  a\n",
            lambda d: d["m"]["tags"].append({}),
            "m:\n    tags:\n    -  a\n    -  {}\n",
        ),
        (
            "m:\n-   x\n",
            lambda d: d["m"].append([[], ["y"]]),
            "m:\n-   x\n-   -   []\n    -   -   y\n",
        ),
        # an item below a dash alone on its line, written anew as a collection: its lines
        # follow its own column, not the list's gap (the second `-` went one column right,
        # and the edit was refused; found by the subtree property test)
        (
            "l:\n-\n  x\n-  y\n",
            lambda d: d["l"].__setitem__(0, ["a", "b"]),
            "l:\n-\n  - a\n  - b\n-  y\n",
        ),
        (
            "l:\n-\n  x\n-  y\n",
            lambda d: d["l"].__setitem__(0, {"k": "a", "t": "b"}),
            "l:\n-\n  k: a\n  t: b\n-  y\n",
        ),
        (
            "l:\n-   # c\n      x\n-   y\n",
            lambda d: d["l"].__setitem__(0, [["a"], "b"]),
            "l:\n-   # c\n      -   -   a\n      -   b\n-   y\n",
        ),
    ],
    ids=[
        "item-to-list",
        "append-to-nested",
        "insert-before-nested",
        "nested-item-to-map",
        "append",
        "insert-map",
        "three-blanks",
        "empty-flow",
        "null-item",
        "append-empty-flow",
        "insert-empty-flow-map",
        "indented-three-blanks-empty-flow",
        "empty-flow-in-new-nested-list",
        "list-below-a-lone-dash",
        "map-below-a-lone-dash",
        "nested-list-below-a-commented-dash",
    ],
)
def test_wide_dash_items_keep_their_spacing(text: str, change: Any, expected: str) -> None:
    """Lists written `-   item` (files indented by 4): an item written anew or added follows
    the dash with the list's blanks and aligns its later lines with its content."""
    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (
            "m:\n  a: |+\n    t\n\nn: 1\n\n",
            lambda d: d.__setitem__("o", {"a": "u\n\n"}),
            "m:\n  a: |+\n    t\n\nn: 1\n\no:\n  a: |+\n    u\n\n",
        ),
        (
            "l:\n- a: |+\n    t\n\n  b: 1\n\n# c\nz: 1\n",
            lambda d: d["l"].append({"a": "u\n\n"}),
            "l:\n- a: |+\n    t\n\n  b: 1\n\n- a: |+\n    u\n\n# c\nz: 1\n",
        ),
    ],
    ids=["entry", "item"],
)
def test_new_keep_chomped_value_goes_after_the_blank_lines(
    text: str, change: Any, expected: str
) -> None:
    """A new value written `|+` keeps its trailing lines: blank lines after the insertion point
    would join it, so it goes after them."""
    assert exactly(f"---\n{text}---\n", change) == f"---\n{expected}---\n"
