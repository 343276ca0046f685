"""One-frame constructors for ruamel.yaml's scalar and collection-start events.

Every file loaded makes one event object per node (``ScalarEvent``, ``MappingStartEvent``,
``SequenceStartEvent``): libyaml's binding calls the event class, whose ``__init__`` calls its
parent's, which calls its parent's. Three Python frames per node were the largest share of a
load left to Python (measured with ``bench/bench_instructions.py``: these chains were half of
all Python calls per file). :func:`install` gives the two constructors at the heads of those
chains a body that sets the same attributes in one frame: per QuickTakes file, 8% fewer
instructions and 10% fewer mispredicted branches for a load, an edit and a verified dumps.

The classes stay the same objects (the binding and ruamel.yaml compare classes with ``is``),
only their ``__init__`` is replaced, with the same parameters and defaults, so every other
user of ruamel.yaml in the process sees the same events. ``install`` replaces nothing unless
the flattened constructor gives the same slots as the original on probe arguments (a release
of ruamel.yaml that sets anything else keeps its own constructor, and only speed is lost);
tests/test_yaml_events.py holds the two to each other for every argument.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import events

__all__ = ["install", "installed"]

_CHECK = events.CommentCheck  # ruamel.yaml's "no comment given" marker, stored as None


def _scalar_init(
    self: Any,
    anchor: Any,
    tag: Any,
    implicit: Any,
    value: Any,
    start_mark: Any = None,
    end_mark: Any = None,
    style: Any = None,
    comment: Any = None,
) -> None:
    # Event.__init__, NodeEvent.__init__, ScalarEvent.__init__, in one frame (the two
    # constructors here repeat their first lines on purpose: a shared helper would be the
    # frame they save)
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = None if comment is _CHECK else comment
    self.anchor = anchor
    self.ctag = tag
    self.implicit = implicit
    self.value = value
    self.style = style


def _collection_start_init(
    self: Any,
    anchor: Any,
    tag: Any,
    implicit: Any,
    start_mark: Any = None,
    end_mark: Any = None,
    flow_style: Any = None,
    comment: Any = None,
    nr_items: Any = None,
) -> None:
    # Event.__init__, NodeEvent.__init__, CollectionStartEvent.__init__, in one frame
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = None if comment is _CHECK else comment
    self.anchor = anchor
    self.ctag = tag
    self.implicit = implicit
    self.flow_style = flow_style
    self.nr_items = nr_items


#: class -> (the flattened constructor, probe calls: positional and keyword arguments)
_FLATTENED: dict[type, tuple[Any, list[tuple[tuple[Any, ...], dict[str, Any]]]]] = {
    events.ScalarEvent: (
        _scalar_init,
        [
            (("a", "!t", (True, False), "v", 1, 2, "'", ["c"]), {}),
            ((None, None, (False, True), "v"), {}),
            (("a", "!t", (True, True), ""), {"comment": _CHECK}),
        ],
    ),
    events.CollectionStartEvent: (
        _collection_start_init,
        [
            (("a", "!t", True, 1, 2, True, ["c"], 3), {}),
            ((None, None, False), {}),
            (("a", "!t", True), {"comment": _CHECK, "nr_items": 0}),
        ],
    ),
}
#: the constructors the classes came with
ORIGINAL = {cls: cls.__dict__["__init__"] for cls in _FLATTENED}


def slots_of(event: Any) -> dict[str, Any]:
    """Every slot an event has, with its value (a slot never set is left out)."""
    names = {name for cls in type(event).__mro__ for name in getattr(cls, "__slots__", ())}
    return {name: getattr(event, name) for name in sorted(names) if hasattr(event, name)}


def made_by(cls: type, init: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The slots of an event of ``cls`` made by the constructor ``init``."""
    event: Any = object.__new__(cls)
    init(event, *args, **kwargs)
    return slots_of(event)


def install() -> bool:
    """Give ruamel.yaml's scalar and collection-start events their one-frame constructors (once;
    later calls do nothing). Returns whether they are installed: False, with nothing replaced,
    when this release of ruamel.yaml builds its events otherwise."""
    for cls, (flattened, probes) in _FLATTENED.items():
        current = cls.__dict__.get("__init__")
        if current is flattened:
            continue
        if current is not ORIGINAL[cls] or any(
            made_by(cls, current, *probe) != made_by(cls, flattened, *probe) for probe in probes
        ):
            return False
    for cls, (flattened, _) in _FLATTENED.items():
        setattr(cls, "__init__", flattened)  # noqa: B010 (a method assignment mypy refuses)
    return True


def installed() -> bool:
    """Whether the one-frame constructors are in place."""
    return all(cls.__dict__.get("__init__") is flat for cls, (flat, _) in _FLATTENED.items())
