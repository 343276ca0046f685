"""Every command over a tree holding YAML, TOML and JSON front matter side by side, and the
``convert`` command: the real console script in subprocesses, exact output, exit codes and the
bytes of every file afterwards. A file a run cannot handle fails alone; nothing of it is
written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import QUICKTAKES, ROOT, TOML
from test_cli import run, snapshot

import frontmatter_qt as fq

JSON = ROOT / "tests" / "fixtures" / "json"
SOURCES = {
    "a-yaml.md": QUICKTAKES / "004-comments.md",  # YAML with comments, no final newline
    "b-toml.md": TOML / "content__OSPP-2024.md",  # Hugo/Zola `+++`
    "c-json.md": JSON / "hugo-crlf.md",  # Hugo's bare object, CRLF
    "d-json11ty.md": JSON / "eleventy.md",  # `---json`
    "e-bad.md": JSON / "bad" / "trailing-comma.md",  # JSON that does not parse
}
BAD = [
    "posts/e-bad.md:3:20: E015 a comma after the last item: JSON allows none",
    "  help: remove this comma (only the closing ']' follows it)",
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    for name, source in SOURCES.items():
        shutil.copyfile(source, posts / name)
        (posts / name).chmod(0o644)
    return tmp_path


def original(name: str) -> bytes:
    return SOURCES[name].read_bytes()


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_check_reads_every_format(tree: Path) -> None:
    done = run(tree, "check", "posts")
    assert done.returncode == 1
    assert lines(done.stdout) == [
        "posts/a-yaml.md:25:255: FQ002 answer: 14 literal \\n escape(s) outside code spans",
        "  help: frontmatter-qt fix --newlines repairs it",
        "posts/a-yaml.md:25:616: FQ001 answer: mojibake 'â‰¥' (UTF-8 read as cp1252/latin-1; it "
        "should read '≥')",
        "  help: frontmatter-qt fix --encoding repairs it",
        *BAD,
    ]
    assert lines(done.stderr) == ["2 of 5 files with problems (E015: 1, FQ001: 1, FQ002: 1)"]


def test_get_reads_every_format(tree: Path) -> None:
    done = run(tree, "get", "posts", "title")
    assert done.returncode == 1
    assert lines(done.stdout) == [
        "posts/a-yaml.md: What role do imaging techniques play in the diagnosis of liver cancer?",
        "posts/b-toml.md: Rust participates in OSPP 2024",
        "posts/c-json.md: CRLF",
        "posts/d-json11ty.md: Eleventy",
    ]
    assert lines(done.stderr) == BAD
    done = run(tree, "get", "--json", "posts", "tags")
    assert lines(done.stdout) == [
        '{"path": "posts/c-json.md", "value": ["windows"]}',
        '{"path": "posts/d-json11ty.md", "value": ["post", "json"]}',
    ]
    assert lines(done.stderr) == [
        "posts/a-yaml.md:1:1: E022 key not found: tags",
        "posts/b-toml.md:1:1: E022 key not found: tags",
        *BAD,
    ]


def test_set_writes_each_format_in_its_own_syntax(tree: Path) -> None:
    done = run(tree, "set", "posts", "draft=true")
    assert done.returncode == 1  # the bad file
    assert lines(done.stdout) == [
        "updated posts/a-yaml.md",
        "updated posts/b-toml.md",
        "updated posts/c-json.md",
        "updated posts/d-json11ty.md",
    ]
    assert lines(done.stderr) == [*BAD, "4 files changed, 0 unchanged, 1 failed"]
    yaml = original("a-yaml.md")
    end = yaml.index(b"\n---\n", 4)
    toml = original("b-toml.md")
    second = toml.index(b"+++\n", 4)
    assert snapshot(tree / "posts") == {
        "a-yaml.md": yaml[:end] + b"\ndraft: true" + yaml[end:],
        "b-toml.md": toml[:second] + b"draft = true\n" + toml[second:],
        "c-json.md": original("c-json.md").replace(
            b'"count": 3\r\n}', b'"count": 3,\r\n  "draft": true\r\n}'
        ),
        "d-json11ty.md": original("d-json11ty.md").replace(
            b'    "order": 3\n  }\n}', b'    "order": 3\n  },\n  "draft": true\n}'
        ),
        "e-bad.md": original("e-bad.md"),
    }


def test_a_value_one_format_cannot_hold_fails_only_those_files(tree: Path) -> None:
    done = run(tree, "set", "posts", "date=2024-01-01", "title=New")
    assert done.returncode == 1
    assert lines(done.stdout) == ["updated posts/a-yaml.md", "updated posts/b-toml.md"]
    refused = (
        ":1:1: E020 date: cannot write a date value to JSON front matter (JSON holds strings, "
        "numbers, true/false, null, arrays and objects)"
    )
    hint = "  help: write it as a string ('2024-01-01'; on the command line, `set --string`)"
    assert lines(done.stderr) == [
        "posts/c-json.md" + refused,
        hint,
        "posts/d-json11ty.md" + refused,
        hint,
        *BAD,
        "2 files changed, 0 unchanged, 3 failed",
    ]
    after = snapshot(tree / "posts")
    for name in ("c-json.md", "d-json11ty.md", "e-bad.md"):
        assert after[name] == original(name)  # nothing of a failed file is written
    assert after["a-yaml.md"] == original("a-yaml.md").replace(
        b"date: 2024-12-07\ntitle: >-\n"
        b"    What role do imaging techniques play in the diagnosis of liver cancer?\n",
        b"date: 2024-01-01\ntitle: >-\n    New\n",
    )
    assert after["b-toml.md"] == original("b-toml.md").replace(
        b'title = "Rust participates in OSPP 2024"\n', b'title = "New"\n'
    ).replace(b"\n+++\n", b"\ndate = 2024-01-01\n+++\n")


def test_unset_and_fix_in_a_mixed_tree(tree: Path) -> None:
    done = run(tree, "unset", "--diff", "posts", "count")
    assert done.returncode == 1
    # (Output is read as text: its CRLF line ends arrive as \n; the bytes are checked below.)
    assert done.stdout == (
        "--- a/posts/c-json.md\n+++ b/posts/c-json.md\n@@ -2,8 +2,7 @@\n"
        '   "title": "CRLF",\n   "tags": [\n     "windows"\n'
        '-  ],\n-  "count": 3\n+  ]\n }\n \n Line endings are CRLF.\n'
    )
    assert lines(done.stderr) == [*BAD, "1 file would change, 3 unchanged, 1 failed"]
    done = run(tree, "unset", "posts", "count")
    assert lines(done.stdout) == ["updated posts/c-json.md"]
    assert (tree / "posts" / "c-json.md").read_bytes() == original("c-json.md").replace(
        b'  ],\r\n  "count": 3\r\n', b"  ]\r\n"
    )
    done = run(tree, "fix", "--all", "--check", "posts")
    assert done.returncode == 1
    assert lines(done.stdout) == ["would fix posts/a-yaml.md"]
    assert lines(done.stderr) == [*BAD, "1 file would change, 3 unchanged, 1 failed"]


# -- convert ------------------------------------------------------------------------------------


def library_conversion(name: str, to: str, **options: object) -> bytes:
    doc = fq.loads(original(name), path=name)
    doc.convert(to, **options)  # type: ignore[arg-type]
    return doc.to_bytes()


def test_convert_to_toml_writes_and_reports(tree: Path) -> None:
    before = snapshot(tree / "posts")
    done = run(tree, "convert", "--to", "toml", "--check", "posts")
    assert done.returncode == 1
    assert lines(done.stdout) == [
        "would convert posts/a-yaml.md",
        "would convert posts/c-json.md",
        "would convert posts/d-json11ty.md",
    ]
    assert lines(done.stderr) == [*BAD, "3 files would change, 1 unchanged, 1 failed"]
    assert snapshot(tree / "posts") == before
    done = run(tree, "convert", "--to", "toml", "posts")
    assert lines(done.stdout) == [
        "converted posts/a-yaml.md",
        "converted posts/c-json.md",
        "converted posts/d-json11ty.md",
    ]
    assert lines(done.stderr) == [*BAD, "3 files changed, 1 unchanged, 1 failed"]
    after = snapshot(tree / "posts")
    assert after["c-json.md"] == (
        b'+++\r\ntitle = "CRLF"\r\ntags = ["windows"]\r\ncount = 3\r\n+++\r\n\r\n'
        b"Line endings are CRLF.\r\n"
    )
    assert after["d-json11ty.md"] == (
        b'+++\ntitle = "Eleventy"\nlayout = "post.njk"\ntags = ["post", "json"]\n\n'
        b'[eleventyNavigation]\nkey = "Eleventy"\norder = 3\n+++\n'
        b"Eleventy reads JSON front matter after ---json.\n"
    )
    assert after["a-yaml.md"] == library_conversion("a-yaml.md", "toml")
    assert after["a-yaml.md"].startswith(
        b'+++\n# Article generated by the QuickTakes exporter\n_schema = "default" # schema name\n'
    )
    assert after["a-yaml.md"].endswith(b"\n+++\n\n&nbsp;")  # still no final newline
    assert after["b-toml.md"] == original("b-toml.md")
    assert after["e-bad.md"] == original("e-bad.md")
    # The converted tree reads as before.
    done = run(tree, "get", "posts", "title")
    assert lines(done.stdout)[2:] == ["posts/c-json.md: CRLF", "posts/d-json11ty.md: Eleventy"]


def test_convert_to_json_reports_dropped_comments(tree: Path) -> None:
    done = run(tree, "convert", "--to", "json", "posts/a-yaml.md")
    assert done.returncode == 1
    assert done.stdout == ""
    assert lines(done.stderr) == [
        "posts/a-yaml.md:5:7: E020 cannot convert to JSON: date: cannot write a date value to "
        "JSON front matter (JSON holds strings, numbers, true/false, null, arrays and objects)",
        "  help: --dates-as-strings (in Python, dates_as_strings=True) writes it as ISO 8601 text",
        "0 files changed, 0 unchanged, 1 failed",
    ]
    done = run(tree, "convert", "--to", "json", "--dates-as-strings", "--indent", "4", "posts")
    assert done.returncode == 1
    assert lines(done.stdout) == [
        "converted posts/a-yaml.md",
        "converted posts/b-toml.md",
        "converted posts/d-json11ty.md",  # `---json` → Hugo's bare object, its text kept
    ]
    dropped = "W001 {}: comment not carried over (JSON has no comments): {}"
    assert lines(done.stderr) == [
        "posts/a-yaml.md:2:1: "
        + dropped.format("_schema", "# Article generated by the QuickTakes exporter"),
        "posts/a-yaml.md:3:18: " + dropped.format("_schema", "# schema name"),
        "posts/a-yaml.md:10:29: " + dropped.format("date_format", "# display only"),
        "posts/a-yaml.md:12:1: " + dropped.format("post_on_text", "# --- SEO block ---"),
        "posts/a-yaml.md:15:3: " + dropped.format("seo.title", "# shown in search results"),
        "posts/a-yaml.md:29:13: " + dropped.format("score", "# not scored yet"),
        *BAD,
        "3 files changed, 1 unchanged, 1 failed, 1 with warnings",
    ]
    after = snapshot(tree / "posts")
    assert after["b-toml.md"].startswith(
        b'{\n    "path": "2024/05/07/OSPP-2024",\n    "title": "Rust participates in OSPP 2024",\n'
        b'    "authors": [\n'
        b'        "Amanieu d\'Antras, Jack Huey, and Jakub Ber\xc3\xa1nek"\n    ],\n'
    )
    assert after["b-toml.md"] == library_conversion("b-toml.md", "json", indent="    ")
    assert after["a-yaml.md"] == library_conversion(
        "a-yaml.md", "json", indent="    ", dates_as_strings=True
    )
    assert after["c-json.md"] == original("c-json.md")  # already JSON, with its own layout
    assert after["d-json11ty.md"] == original("d-json11ty.md").replace(b"---json\n", b"").replace(
        b"}\n---\n", b"}\n"
    )


def test_convert_diff_and_eleventy_fences(tree: Path) -> None:
    done = run(tree, "convert", "--to", "toml", "--fence", "eleventy", "--diff", "posts/c-json.md")
    assert done.returncode == 0
    assert done.stdout == (
        "--- a/posts/c-json.md\n+++ b/posts/c-json.md\n@@ -1,9 +1,7 @@\n"
        "-{\n"
        '-  "title": "CRLF",\n'
        '-  "tags": [\n'
        '-    "windows"\n'
        "-  ],\n"
        '-  "count": 3\n'
        "-}\n"
        "+---toml\n"
        '+title = "CRLF"\n'
        '+tags = ["windows"]\n'
        "+count = 3\n"
        "+---\n"
        " \n"
        " Line endings are CRLF.\n"
    )
    assert lines(done.stderr) == ["1 file would change, 0 unchanged, 0 failed"]
    assert snapshot(tree / "posts")["c-json.md"] == original("c-json.md")
    done = run(tree, "convert", "--to", "json", "--fence", "eleventy", "posts/c-json.md")
    assert (tree / "posts" / "c-json.md").read_bytes() == (
        b'---json\r\n{\r\n  "title": "CRLF",\r\n  "tags": [\r\n    "windows"\r\n  ],\r\n'
        b'  "count": 3\r\n}\r\n---\r\n\r\nLine endings are CRLF.\r\n'
    )


def test_writing_commands_follow_format(tree: Path) -> None:
    done = run(
        tree,
        *("convert", "--to", "json", "--dates-as-strings", "--check", "--format", "github"),
        *("posts/a-yaml.md", "posts/e-bad.md"),
    )
    assert done.returncode == 1  # the bad file, and a file that would change; not the warnings
    assert done.stdout == "would convert posts/a-yaml.md\n"
    warning = "::warning file=posts/a-yaml.md,line={},col={},endLine={},endColumn={},title=W001::"
    assert lines(done.stderr) == [
        warning.format(2, 1, 2, 47)
        + "_schema: comment not carried over (JSON has no comments): # Article generated by the "
        "QuickTakes exporter",
        warning.format(3, 18, 3, 31)
        + "_schema: comment not carried over (JSON has no comments): # schema name",
        warning.format(10, 29, 10, 43)
        + "date_format: comment not carried over (JSON has no comments): # display only",
        warning.format(12, 1, 12, 20)
        + "post_on_text: comment not carried over (JSON has no comments): # --- SEO block ---",
        warning.format(15, 3, 15, 28)
        + "seo.title: comment not carried over (JSON has no comments): # shown in search results",
        warning.format(29, 13, 29, 29)
        + "score: comment not carried over (JSON has no comments): # not scored yet",
        "::error file=posts/e-bad.md,line=3,col=20,title=E015::a comma after the last item: JSON "
        "allows none%0Ahelp: remove this comma (only the closing ']' follows it)",
        "1 file would change, 0 unchanged, 1 failed, 1 with warnings",
    ]
    done = run(tree, "set", "--format", "concise", "posts", "date=2024-01-01")
    assert done.returncode == 1
    assert lines(done.stdout) == ["updated posts/a-yaml.md", "updated posts/b-toml.md"]
    refused = (
        ":1:1: E020 date: cannot write a date value to JSON front matter (JSON holds strings, "
        "numbers, true/false, null, arrays and objects)"
    )
    assert lines(done.stderr) == [
        "posts/c-json.md" + refused,
        "posts/d-json11ty.md" + refused,
        BAD[0],
        "2 files changed, 0 unchanged, 3 failed",
    ]
    done = run(tree, "unset", "--format", "json", "posts", "x")
    assert done.returncode == 2
    assert "Invalid value for '--format'" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "xml"], "Invalid value for '--to'"),
        (["--to", "toml", "--indent", "2"], "--indent applies to --to json only"),
        (["--to", "json", "--indent", "9"], "expected a number of spaces from 1 to 8, or tab"),
        (["--to", "json", "--fence", "jekyll"], "Invalid value for '--fence'"),
    ],
)
def test_convert_usage_errors(tree: Path, args: list[str], message: str) -> None:
    done = run(tree, "convert", *args, "posts")
    assert done.returncode == 2
    assert message in done.stderr
    assert snapshot(tree / "posts") == {name: original(name) for name in SOURCES}
