"""The smallest edit primitive: a ``Patch`` replaces one span of a text; ``apply`` splices them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Patch:
    start: int
    end: int
    text: str


class OverlappingPatches(ValueError):
    """Two patches claim the same text: the engine cannot place the edits (refused)."""


def apply(source: str, patches: list[Patch]) -> str:
    """Splice non-overlapping patches into ``source``."""
    out: list[str] = []
    pos = 0
    for patch in sorted(patches, key=lambda p: (p.start, p.end)):
        if patch.start < pos:
            raise OverlappingPatches(f"overlapping patches at offset {patch.start}")
        out.append(source[pos : patch.start])
        out.append(patch.text)
        pos = patch.end
    out.append(source[pos:])
    return "".join(out)


def splice(source: str, start: int, end: int, patches: list[Patch]) -> str:
    """``source[start:end]`` with ``patches`` (all inside that span) applied: the text of a
    piece that moves elsewhere, with its own edits made inside it."""
    return apply(
        source[start:end], [Patch(p.start - start, p.end - start, p.text) for p in patches]
    )
