"""Lint: rules as plug-ins, and the runner that positions what they find.

A rule is a plain function over the front-matter data returning :class:`Finding` objects (a
code, the key path it is about, a message); it needs no valid model and stays silent when its
inputs are missing or of another type. A :class:`RuleSet` is a small registry of rules with
stable codes; a plug-in (ours, :mod:`frontmatter_qt.quicktakes`, or a user's) owns one and fills
it with the :meth:`RuleSet.rule` decorator. :func:`lint` runs the generic rules (:data:`GENERIC`,
codes ``FQ``) and those of the selected plug-in, and positions every finding once, through
``doc.locate``.

A plug-in rule may *replace* a generic one: QuickTakes reports mojibake as ``QT008``, as it always
has, where a site without the plug-in gets ``FQ001`` for the same finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontmatter_qt import keypath
from frontmatter_qt.diagnostics import Diagnostic, Severity, at
from frontmatter_qt.errors import UNEXPECTED_ERROR
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document
    from frontmatter_qt.plugins import Plugin

__all__ = ["GENERIC", "Check", "Finding", "Rule", "RuleSet", "impossible_date", "lint", "selected"]

_CODE = re.compile(r"[A-Z]{1,4}[0-9]{3}")


@dataclass(frozen=True)
class Finding:
    """What a rule found: its ``code``, the key path it is about, a plain message.

    ``inside``: ``(start, end)`` of the offending characters of the string value at ``keys``
    (the finding is then reported where they are written, not at the start of the value);
    ``hint``: a hint for this finding, instead of the rule's.
    """

    code: str
    keys: KeyPath
    message: str
    inside: tuple[int, int] | None = None
    hint: str | None = None


Check = Callable[[Mapping[Any, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A lint rule: stable ``code``, short ``name``, one-line ``summary``, whether ``fix``
    repairs what it finds, the ``check`` function, and the generic codes it ``replaces``."""

    code: str
    name: str
    summary: str
    fixable: bool
    check: Check
    replaces: tuple[str, ...] = ()
    severity: Severity = "warning"
    hint: str | None = None


class RuleSet(Mapping[str, Rule]):
    """The rules of one plug-in: a mapping of code to :class:`Rule`, in registration order
    (a code is registered once)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rules: dict[str, Rule] = {}

    def __repr__(self) -> str:
        return f"<RuleSet {self.name} {list(self.rules)}>"

    def add(self, rule: Rule) -> Rule:
        if not _CODE.fullmatch(rule.code):
            raise ValueError(f"rule code {rule.code!r} is not 1-4 capitals and 3 digits")
        if rule.code in self.rules:
            raise ValueError(f"rule code {rule.code} is already registered in {self.name}")
        self.rules[rule.code] = rule
        return rule

    def rule(
        self,
        code: str,
        name: str,
        summary: str,
        *,
        fixable: bool = False,
        replaces: Sequence[str] = (),
        severity: Severity = "warning",
        hint: str | None = None,
    ) -> Callable[[Check], Check]:
        """Register the decorated check function under ``code``."""

        def register(check: Check) -> Check:
            rule = Rule(code, name, summary, fixable, check, tuple(replaces), severity, hint)
            self.add(rule)
            return check

        return register

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def __getitem__(self, code: str) -> Rule:
        return self.rules[code]

    def __len__(self) -> int:
        return len(self.rules)


def selected(code: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether ``code`` passes ``select``/``ignore`` (code prefixes, as ruff takes them).

    ``E999`` (a rule, a model or the package itself failed) passes any ``select``: a selected
    rule that crashed checked nothing, and "no problems" would say it had. Only an ``ignore``
    that names it hides it."""
    if select and code != UNEXPECTED_ERROR and not any(code.startswith(p) for p in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


def known_codes(plugins: Iterable[Plugin | None] = ()) -> frozenset[str]:
    """Every code a check can report with these plug-ins: the package's, the generic rules'
    and the plug-ins' rules'."""
    from frontmatter_qt.errors import package_codes

    own = {code for plugin in plugins if plugin is not None for code in plugin.rules}
    return package_codes() | set(GENERIC) | own


def unmatched(prefixes: Iterable[str], known: Iterable[str]) -> list[str]:
    """The ``select``/``ignore`` prefixes that match none of the ``known`` codes (the empty
    prefix matches every code, which no one means): a misspelled one would turn checking off
    without a word."""
    codes = tuple(known)
    return [p for p in prefixes if not p or not any(code.startswith(p) for code in codes)]


def code_families(codes: Iterable[str]) -> str:
    """A hint naming the codes' letter prefixes: "codes start with E, FQ, V or W"."""
    families = sorted({code.rstrip("0123456789") for code in codes})
    listed = ", ".join(families[:-1]) + f" or {families[-1]}" if len(families) > 1 else families[0]
    return f"codes start with {listed}"


def active_rules(plugin: Plugin | str | None = None) -> list[Rule]:
    """The generic rules (less those the plug-in replaces) and the plug-in's rules."""
    from frontmatter_qt.plugins import resolve

    found = resolve(plugin)
    own = list(found.rules.values()) if found is not None else []
    replaced = {code for rule in own for code in rule.replaces}
    return [rule for rule in GENERIC.values() if rule.code not in replaced] + own


def lint(
    doc: Document,
    plugin: Plugin | str | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> list[Diagnostic]:
    """Every finding of the generic rules and ``plugin``'s rules (a :class:`Plugin`, or a name
    such as ``"quicktakes"``), positioned, ordered by position then code."""
    found = []
    for rule in active_rules(plugin):
        if not selected(rule.code, select, ignore):
            continue
        try:
            findings = list(rule.check(doc.data))
        except Exception as exc:  # a rule with a bug: said, and the other rules still run
            found.append(_failed(rule, exc, doc))
            continue
        for finding in findings:
            found.append(
                at(
                    doc,
                    finding.keys,
                    finding.code,
                    finding.message,
                    type=rule.name,
                    hint=finding.hint or rule.hint,
                    inside=finding.inside,
                    fixable=rule.fixable,
                    severity=rule.severity,
                )
            )
    return sorted(found, key=Diagnostic.sort_key)


def _failed(rule: Rule, error: Exception, doc: Document) -> Diagnostic:
    """The ``E999`` diagnostic of a rule that raised, naming the rule."""
    from dataclasses import replace

    from frontmatter_qt.diagnostics import of_error

    (diagnostic,) = of_error(error, doc.path)
    return replace(
        diagnostic, message=f"rule {rule.code} ({rule.name}) failed: {diagnostic.message}"
    )


# -- the generic rules: any site, no model ---------------------------------------------------------

GENERIC = RuleSet("generic")
FIX_ENCODING = "frontmatter-qt fix --encoding repairs it"
FIX_NEWLINES = "frontmatter-qt fix --newlines repairs it"
FIX_DATES = "frontmatter-qt fix --dates repairs it"


def mojibake(data: Mapping[Any, Any], code: str = "FQ001") -> Iterator[Finding]:
    """Strings that ``repair_mojibake`` would change (so lint and fix never disagree), reported
    at their first broken characters, with what they should read.

    ftfy is loaded only for a string that the screen flags and the supplement alone does not
    already prove changed at the first flagged place (see :mod:`frontmatter_qt.fixes.mojibake`).
    """
    from frontmatter_qt.fixes.mojibake import decode_e2_symbols, first_suspect

    for keys, text in keypath.strings(data):
        suspect = first_suspect(text)
        if suspect is None:
            continue
        # A repair the supplement makes is one repair_mojibake makes too; when it is at the
        # first flagged place, nothing before it needs ftfy's judgement.
        repaired = decode_e2_symbols(text)
        if repaired == text or _common_prefix(text, repaired) > suspect:
            from frontmatter_qt.fixes.encoding import repair_mojibake  # ftfy: loaded when needed

            repaired = repair_mojibake(text)
            if repaired == text:
                continue
        (start, end), (new_start, new_end) = first_difference(text, repaired)
        broken, meant = text[start:end], repaired[new_start:new_end]
        yield Finding(
            code,
            keys,
            f"mojibake {broken!r} (UTF-8 read as cp1252/latin-1; it should read {meant!r})",
            inside=(start, end),
        )


def escaped_newlines(data: Mapping[Any, Any], code: str = "FQ002") -> Iterator[Finding]:
    """Strings holding ``\\n`` escapes that ``unescape_newlines`` would turn into breaks."""
    from frontmatter_qt.fixes.newlines import ESCAPED_NEWLINE, unescape_newlines

    for keys, text in keypath.strings(data):
        unescaped = unescape_newlines(text)
        count = text.count(ESCAPED_NEWLINE) - unescaped.count(ESCAPED_NEWLINE)
        if count:
            (start, _), _ = first_difference(text, unescaped)
            yield Finding(
                code,
                keys,
                f"{count} literal \\n escape(s) outside code spans",
                inside=(start, start + len(ESCAPED_NEWLINE)),
            )


def first_difference(old: str, new: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The first run of characters that differs: ``(start, end)`` in ``old`` and in ``new``
    (the two strings differ; ``old``'s run is at least one character, unless ``old`` ends
    there).

    After the common prefix, the run ends where the two strings agree again: the fewest
    characters skipped in both (``i + j``) after which the next :data:`_AGREE` characters are
    equal, or both strings end. Only a short window is searched (a repaired run is a few
    characters; a longer one is cut there), so the cost does not grow with the strings.
    (difflib would do it too, but its import is a start-up cost ``check`` does not pay.)"""
    start = _common_prefix(old, new)
    window = min(_WINDOW, max(len(old), len(new)) - start)
    for skipped in range(1, 2 * window + 1):
        for i in range(min(skipped, window), max(-1, skipped - window - 1), -1):
            j = skipped - i
            if _agree(old, start + i, new, start + j):
                return (start, min(len(old), start + max(i, 1))), (start, start + j)
    return (start, min(len(old), start + window)), (start, min(len(new), start + window))


_WINDOW = 64
_AGREE = 2
_ISO_SHAPED = re.compile(r"\d{4}-\d{2}-\d{2}")


def _common_prefix(old: str, new: str) -> int:
    """How many leading characters the strings share (by halving: slices compare in C)."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _agree(old: str, i: int, new: str, j: int) -> bool:
    """Whether ``old`` from ``i`` and ``new`` from ``j`` go on alike: their next
    :data:`_AGREE` characters are equal, or what is left of both is (both end together)."""
    if i > len(old) or j > len(new):
        return False
    a, b = old[i : i + _AGREE], new[j : j + _AGREE]
    return a == b and (len(a) == _AGREE or (i + len(a) == len(old) and j + len(b) == len(new)))


def impossible_date(text: str) -> str | None:
    """Why ``text``, written like an ISO date or time, is no real one (``2024-13-40``), or None
    (a real one, or not written like one)."""
    if _ISO_SHAPED.match(text.lstrip()) is None:  # what parse_datetime reads starts so
        return None
    from frontmatter_qt.fixes.dates import DateParseError, parse_datetime  # arrow: when needed

    try:
        parse_datetime(text)
    except DateParseError as error:
        return error.message
    return None


def impossible_dates(data: Mapping[Any, Any], code: str = "FQ003") -> Iterator[Finding]:
    """Strings written like an ISO date or time that is no real one: YAML reads them as text,
    which is rarely what was meant."""
    for keys, text in keypath.strings(data):
        why = impossible_date(text)
        if why is not None:
            from frontmatter_qt.fixes.dates import DateParseError, parse_date

            try:
                meant: str | None = parse_date(text).isoformat()
            except DateParseError:
                meant = None
            yield Finding(code, keys, why, hint=_date_hint(keys, meant))


def _date_hint(keys: KeyPath, meant: str | None) -> str:
    if meant is None:
        return "write a real date (YYYY-MM-DD)"
    field = keypath.format(keys)
    return (
        f"with day and month swapped it is {meant}: `frontmatter-qt fix --dates --field "
        f"{field}` repairs it"
    )


GENERIC.add(
    Rule(
        "FQ001",
        "mojibake",
        "a string holds mojibake (UTF-8 decoded as cp1252/latin-1)",
        True,
        mojibake,
        hint=FIX_ENCODING,
    )
)
GENERIC.add(
    Rule(
        "FQ002",
        "escaped-newline",
        "a string holds a literal `\\n` outside code spans",
        True,
        escaped_newlines,
        hint=FIX_NEWLINES,
    )
)
GENERIC.add(
    Rule(
        "FQ003",
        "impossible-date",
        "a string is written like a date, but no such date exists (`2024-13-40`)",
        False,
        impossible_dates,
        severity="error",
    )
)
