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
from frontmatter_qt.keypath import KeyPath

if TYPE_CHECKING:
    from frontmatter_qt.document import Document
    from frontmatter_qt.plugins import Plugin

__all__ = ["GENERIC", "Check", "Finding", "Rule", "RuleSet", "lint", "selected"]

_CODE = re.compile(r"[A-Z]{1,4}[0-9]{3}")


@dataclass(frozen=True)
class Finding:
    """What a rule found: its ``code``, the key path it is about, a plain message."""

    code: str
    keys: KeyPath
    message: str


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
    """Whether ``code`` passes ``select``/``ignore`` (code prefixes, as ruff takes them)."""
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


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
        for finding in rule.check(doc.data):
            found.append(
                at(
                    doc,
                    finding.keys,
                    finding.code,
                    finding.message,
                    type=rule.name,
                    hint=rule.hint,
                    fixable=rule.fixable,
                    severity=rule.severity,
                )
            )
    return sorted(found, key=Diagnostic.sort_key)


# -- the generic rules: any site, no model ---------------------------------------------------------

GENERIC = RuleSet("generic")
FIX_ENCODING = "frontmatter-qt fix --encoding repairs it"
FIX_NEWLINES = "frontmatter-qt fix --newlines repairs it"
FIX_DATES = "frontmatter-qt fix --dates repairs it"


def mojibake(data: Mapping[Any, Any], code: str = "FQ001") -> Iterator[Finding]:
    """Strings that ``repair_mojibake`` would change (so lint and fix never disagree).

    ftfy is loaded only for a string that the screen flags and the supplement alone does not
    already prove changed (see :mod:`frontmatter_qt.fixes.mojibake`)."""
    from frontmatter_qt.fixes.mojibake import decode_e2_symbols, may_hold_mojibake

    for keys, text in keypath.strings(data):
        if not may_hold_mojibake(text):
            continue
        if decode_e2_symbols(text) == text:
            from frontmatter_qt.fixes.encoding import repair_mojibake  # ftfy: loaded when needed

            if repair_mojibake(text) == text:
                continue
        yield Finding(code, keys, "mojibake (UTF-8 read as cp1252/latin-1)")


def escaped_newlines(data: Mapping[Any, Any], code: str = "FQ002") -> Iterator[Finding]:
    """Strings holding ``\\n`` escapes that ``unescape_newlines`` would turn into breaks."""
    from frontmatter_qt.fixes.newlines import ESCAPED_NEWLINE, unescape_newlines

    for keys, text in keypath.strings(data):
        count = text.count(ESCAPED_NEWLINE) - unescape_newlines(text).count(ESCAPED_NEWLINE)
        if count:
            yield Finding(code, keys, f"{count} literal \\n escape(s) outside code spans")


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
