"""How the command shows findings and diffs: text, GitHub annotations, and coloured diffs.

The library never prints; ``cli.py`` prints what this module formats.

* Findings: ``path:line:col: CODE message`` and, when there is one, an indented ``help:`` line
  (``--format text``, as rustc and ruff show a fix); ``concise`` is the first line alone;
  ``github`` is a GitHub Actions workflow command (``::error file=…,line=…,col=…,
  title=CODE::message``), which the Actions runner shows as an annotation on the line.
* A one-line summary with the number of findings per code.
* Diffs: plain unified diffs when piped; on a terminal, coloured with rich, and inside each
  changed line the changed words marked (as ``git diff --word-diff`` and delta do): a front-matter
  value is often one line of thousands of characters, where a changed word is otherwise lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from frontmatter_qt.diagnostics import Diagnostic

if TYPE_CHECKING:
    from rich.text import Text

__all__ = [
    "DIFF_STYLES",
    "EDIT_FORMATS",
    "FORMATS",
    "diff_text",
    "finding_lines",
    "formatted",
    "github_annotation",
    "summary",
]

#: ``check --format`` choices.
FORMATS = ("text", "concise", "json", "github")
#: ``--format`` choices of the writing commands (``fix``, ``set``, ``unset``, ``convert``): how
#: each file's failures and problems are shown. No ``json``: their output is one line per
#: changed file (or its diff), not an array of findings.
EDIT_FORMATS = ("text", "concise", "github")

#: Styles of a coloured diff: whole lines, and the changed words inside changed lines.
DIFF_STYLES = {
    "header": "bold",
    "hunk": "cyan",
    "removed": "red",
    "added": "green",
    "removed-word": "bold white on red",
    "added-word": "bold black on green",
}


# -- findings ---------------------------------------------------------------------------------


def finding_lines(problem: Diagnostic, *, concise: bool = False) -> list[str]:
    """The lines of one finding: ``path:line:col: CODE message``, then ``  help: hint``."""
    lines = [problem.line_text()]
    if problem.hint and not concise:
        lines.append(f"  help: {problem.hint}")
    return lines


def formatted(problem: Diagnostic, output_format: str) -> list[str]:
    """The lines of one finding in a ``--format`` other than ``json``: ``text``, ``concise``
    (:func:`finding_lines`) or ``github`` (:func:`github_annotation`)."""
    if output_format == "github":
        return [github_annotation(problem)]
    return finding_lines(problem, concise=output_format == "concise")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github_annotation(problem: Diagnostic) -> str:
    """A GitHub Actions workflow command for one finding (its hint on a second line)."""
    properties = [f"file={_escape_property(problem.path or '<string>')}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
        if problem.column is not None:
            properties.append(f"col={problem.column}")
        if problem.end_line is not None and problem.end_column is not None:
            properties += [f"endLine={problem.end_line}", f"endColumn={problem.end_column}"]
    properties.append(f"title={_escape_property(problem.code)}")
    level = _GITHUB_LEVEL[problem.severity]
    return f"::{level} {','.join(properties)}::{_escape_data(problem.explained)}"


def _escape_data(text: str) -> str:
    # As the Actions toolkit escapes a command's message (@actions/core, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(files: int, bad_files: int, counts: Mapping[str, int]) -> str:
    """``2 of 5 files with problems (QT008: 3, E004: 1)``, the most frequent code first, or
    ``5 files checked, no problems``: ``bad_files`` of ``files`` had problems, ``counts`` is
    the number of findings per code (counts, not the findings: a run's memory stays flat)."""
    noun = "file" if files == 1 else "files"
    if not bad_files:
        return f"{files} {noun} checked, no problems"
    by_code = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{code}: {count}" for code, count in by_code)
    return f"{bad_files} of {files} {noun} with problems ({shown})"


# -- diffs ------------------------------------------------------------------------------------

# Words, runs of blanks, and single other characters: the units a changed line is compared in.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def diff_text(diff: str) -> Text:
    """A unified diff as rich ``Text``: file headers bold, hunk headers cyan, removed lines red
    and added lines green; in a run of removed lines followed by as many added ones, each
    pair's changed words are marked."""
    from rich.text import Text

    text = Text()
    lines = diff.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_header(lines, index):
            text.append(line + lines[index + 1], style=DIFF_STYLES["header"])
            index += 2
        elif line.startswith("-"):
            removed = _run(lines, index, "-")
            added = _run(lines, index + len(removed), "+")
            _changed_block(text, removed, added)
            index += len(removed) + len(added)
        else:
            style = {"@": "hunk", "+": "added"}.get(line[:1])
            text.append(line, style=DIFF_STYLES[style] if style else "")
            index += 1
    return text


def _is_header(lines: list[str], index: int) -> bool:
    """``--- a/path`` followed by ``+++ b/path``: a file's header, not a removed line."""
    return (
        lines[index].startswith("--- ")
        and index + 1 < len(lines)
        and lines[index + 1].startswith("+++ ")
    )


def _run(lines: list[str], start: int, sign: str) -> list[str]:
    """The lines from ``start`` that begin with ``sign`` (a "\\ No newline" marker stays with
    the line it is about), up to the next file's header."""
    end = start
    while end < len(lines) and not _is_header(lines, end):
        line = lines[end]
        if not (line.startswith(sign) or (line.startswith("\\") and end > start)):
            break
        end += 1
    return lines[start:end]


def _changed_block(text: Text, removed: list[str], added: list[str]) -> None:
    old = [line for line in removed if not line.startswith("\\")]
    new = [line for line in added if not line.startswith("\\")]
    if len(old) != len(new):  # no line-to-line pairing to compare words in
        for line in removed:
            text.append(line, style=DIFF_STYLES["removed"] if line[0] == "-" else "")
        for line in added:
            text.append(line, style=DIFF_STYLES["added"] if line[0] == "+" else "")
        return
    pairs = [_word_marks(a[1:], b[1:]) for a, b in zip(old, new, strict=True)]
    _append_marked(text, removed, (marks for marks, _ in pairs), "removed")
    _append_marked(text, added, (marks for _, marks in pairs), "added")


def _append_marked(
    text: Text, lines: list[str], marks: Iterator[list[tuple[int, int]]], kind: str
) -> None:
    for line in lines:
        if line.startswith("\\"):
            text.append(line)
            continue
        start = len(text)
        text.append(line, style=DIFF_STYLES[kind])
        for begin, end in next(marks):
            text.stylize(DIFF_STYLES[f"{kind}-word"], start + 1 + begin, start + 1 + end)


def _word_marks(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The character ranges of the changed words of ``old`` and of ``new`` (line ends kept
    out)."""
    from difflib import SequenceMatcher  # only for a diff shown on a terminal

    old_tokens = _TOKENS.findall(old.rstrip("\r\n"))
    new_tokens = _TOKENS.findall(new.rstrip("\r\n"))
    old_at, new_at = _offsets(old_tokens), _offsets(new_tokens)
    marks: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            marks[0].append((old_at[i1], old_at[i2]))
        if j2 > j1:
            marks[1].append((new_at[j1], new_at[j2]))
    return marks


def _offsets(tokens: Iterable[str]) -> list[int]:
    """Where each token starts, and the end of the last one."""
    offsets = [0]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets
