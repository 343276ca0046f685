"""How the command shows findings and diffs: exact styled segments on a forced terminal,
GitHub annotations, the summary line."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from frontmatter_qt import bulk
from frontmatter_qt.diagnostics import Diagnostic
from frontmatter_qt.display import diff_text, finding_lines, github_annotation, summary

CONSOLE = Console(force_terminal=True, color_system="standard", width=200)


def segments(diff: str) -> list[tuple[str, str]]:
    return [(s.text, str(s.style)) for s in diff_text(diff).render(CONSOLE) if s.text]


def test_changed_words_inside_changed_lines_are_marked() -> None:
    before = b"---\ntitle: The old caf\xc3\x83\xc2\xa9 title\n---\n"
    after = "---\ntitle: The new café title\n---\n".encode()
    diff = bulk.unified_diff("p.md", before, after)
    assert segments(diff) == [
        ("--- a/p.md\n+++ b/p.md\n", "bold"),
        ("@@ -1,3 +1,3 @@\n", "cyan"),
        (" ---\n", "none"),
        ("-title: The ", "red"),
        ("old", "bold white on red"),
        (" ", "red"),
        ("cafÃ©", "bold white on red"),
        (" title\n", "red"),
        ("+title: The ", "green"),
        ("new", "bold black on green"),
        (" ", "green"),
        ("café", "bold black on green"),
        (" title\n", "green"),
        (" ---\n", "none"),
    ]


def test_one_word_in_a_long_line() -> None:
    words = [f"word{n}" for n in range(400)]
    old = " ".join(words)
    new = " ".join(w if w != "word200" else "WORD200" for w in words)
    diff = bulk.unified_diff("p.md", f"a: {old}\n".encode(), f"a: {new}\n".encode())
    marked = [(text, style) for text, style in segments(diff) if "on" in style]
    assert marked == [("word200", "bold white on red"), ("WORD200", "bold black on green")]


def test_runs_of_unequal_length_are_coloured_whole() -> None:
    diff = bulk.unified_diff("p.md", b"a: 1\nb: 2\n", b"a: 3\n")
    assert segments(diff)[2:] == [("-a: 1\n", "red"), ("-b: 2\n", "red"), ("+a: 3\n", "green")]


def test_a_removed_delimiter_is_not_a_file_header() -> None:
    diff = bulk.unified_diff("p.md", b"---\na: 1\n---\nx\n", b"a: 1\nx\n")
    assert segments(diff) == [
        ("--- a/p.md\n+++ b/p.md\n", "bold"),
        ("@@ -1,4 +1,2 @@\n", "cyan"),
        ("----\n", "red"),
        (" a: 1\n", "none"),
        ("----\n", "red"),
        (" x\n", "none"),
    ]


def test_no_newline_markers_stay_plain_beside_marked_words() -> None:
    diff = bulk.unified_diff("p.md", b"a: x", b"a: y")
    assert segments(diff)[2:] == [
        ("-a: ", "red"),
        ("x", "bold white on red"),
        ("\n", "red"),
        ("\\ No newline at end of file\n", "none"),
        ("+a: ", "green"),
        ("y", "bold black on green"),
        ("\n", "green"),
        ("\\ No newline at end of file\n", "none"),
    ]


def test_the_plain_text_is_the_diff() -> None:
    diff = bulk.unified_diff("p.md", b"a: 1\nb: x y\n", b"a: 2\nb: x z\n")
    assert diff_text(diff).plain == diff


def test_findings_text_and_github() -> None:
    found = Diagnostic(
        "content/a,b.md",
        2,
        8,
        "E004",
        "this quote is never closed: 100%",
        end_line=2,
        end_column=9,
        hint="end the value with \"\nor don't",
    )
    assert finding_lines(found) == [
        "content/a,b.md:2:8: E004 this quote is never closed: 100%",
        "  help: end the value with \"\nor don't",
    ]
    assert finding_lines(found, concise=True) == finding_lines(found)[:1]
    assert github_annotation(found) == (
        "::error file=content/a%2Cb.md,line=2,col=8,endLine=2,endColumn=9,title=E004::"
        "this quote is never closed: 100%25%0Ahelp: end the value with \"%0Aor don't"
    )
    quiet = Diagnostic(None, None, None, "E902", "No such file", severity="info")
    assert github_annotation(quiet) == "::notice file=<string>,title=E902::No such file"


def test_summary_counts_each_code() -> None:
    def at(path: str, code: str) -> Diagnostic:
        return Diagnostic(path, 1, 1, code, "x")

    found = [at("a.md", "QT008"), at("a.md", "E004"), at("b.md", "QT008"), at("b.md", "FQ001")]
    counts = Counter(problem.code for problem in found)
    assert summary(3, 2, counts) == "2 of 3 files with problems (QT008: 2, E004: 1, FQ001: 1)"
    assert summary(1, 0, {}) == "1 file checked, no problems"
    assert summary(0, 0, {}) == "0 files checked, no problems"
