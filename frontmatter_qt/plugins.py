"""Plug-ins: a model, lint rules and repair settings that belong to one kind of site.

The engine below knows no site. A :class:`Plugin` bundles what a site adds on top: the pydantic
model its front matter must fit, its lint rules (a :class:`~frontmatter_qt.lint.RuleSet`), and
the fields the repairs work on (:class:`~frontmatter_qt.fixes.FixSettings`). The configuration's
``model`` setting selects one:

- a built-in name: ``"quicktakes"`` (:mod:`frontmatter_qt.quicktakes`);
- ``"package.module:Name"`` where ``Name`` is a ``Plugin`` (a user's plug-in, with rules) or a
  pydantic model (a plug-in of that model alone: validation, no extra rules).

Loading imports the plug-in's module (and so pydantic) on first use only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from frontmatter_qt.fixes import FixSettings
from frontmatter_qt.lint import RuleSet

__all__ = ["BUILTIN", "Plugin", "load", "resolve"]

#: Built-in plug-ins by name: where each one lives.
BUILTIN = {"quicktakes": "frontmatter_qt.quicktakes:PLUGIN"}


@dataclass(frozen=True)
class Plugin:
    """A site's model (a pydantic ``BaseModel`` subclass, or None), rules and repair fields."""

    name: str
    model: Any = None
    rules: RuleSet = field(default_factory=lambda: RuleSet("none"))
    fixes: FixSettings = field(default_factory=FixSettings)


@lru_cache(maxsize=64)
def load(spec: str) -> Plugin:
    """The plug-in ``spec`` names (see the module docstring).

    Raises ``ValueError`` with a plain sentence when it cannot be loaded; the configuration
    and the command say where the name was given.
    """
    from pydantic import BaseModel

    from frontmatter_qt import models

    target = BUILTIN.get(spec, spec)
    if ":" not in target:
        known = ", ".join(sorted(BUILTIN))
        raise ValueError(
            f"unknown model {spec!r}: give package.module:Class, or a built-in name ({known})"
        )
    found = models.import_object(target)
    if isinstance(found, Plugin):
        return found
    if isinstance(found, type) and issubclass(found, BaseModel):
        return Plugin(name=spec, model=found)
    raise ValueError(f"{spec} is neither a pydantic model (a BaseModel subclass) nor a Plugin")


def resolve(plugin: Plugin | str | None) -> Plugin | None:
    """A plug-in given as an object, a name/spec, or None."""
    return load(plugin) if isinstance(plugin, str) else plugin
