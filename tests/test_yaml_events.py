"""The one-frame event constructors (frontmatter_qt.formats.yaml.events) against ruamel.yaml's
own: the same slots for every argument, the same classes for every user of ruamel.yaml, and
nothing replaced when a release of ruamel.yaml builds its events otherwise."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml import events as ruamel_events
from strategies import examples

from frontmatter_qt.formats.yaml import events, nodes

VALUES = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.integers(),
    st.booleans(),
    st.tuples(st.booleans(), st.booleans()),
    st.lists(st.text(max_size=3), max_size=2),
    st.just(ruamel_events.CommentCheck),
)
#: every class whose constructor is flattened, the class that defines that constructor, and
#: how many leading arguments it requires
CLASSES = [
    (ruamel_events.ScalarEvent, ruamel_events.ScalarEvent, 4),
    (ruamel_events.MappingStartEvent, ruamel_events.CollectionStartEvent, 3),
    (ruamel_events.SequenceStartEvent, ruamel_events.CollectionStartEvent, 3),
]


def parameters(init: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(init).parameters.values()]


def test_installed_on_the_same_classes_with_the_same_parameters() -> None:
    assert nodes.ScalarEvent is ruamel_events.ScalarEvent  # the parser's classes are ruamel's
    assert events.installed()
    for cls, (flattened, _) in events._FLATTENED.items():
        assert cls.__dict__["__init__"] is flattened
        assert parameters(flattened) == parameters(events.ORIGINAL[cls])
    assert events.install() is True  # again: nothing to do


@examples(400)
@given(
    case=st.sampled_from(CLASSES),
    values=st.lists(VALUES, min_size=9, max_size=9),
    given_count=st.integers(0, 9),
    as_keywords=st.booleans(),
)
def test_the_flattened_constructors_make_the_same_events(
    case: tuple[type, type, int], values: list[Any], given_count: int, as_keywords: bool
) -> None:
    cls, owner, required = case
    names = [name for name, *_ in parameters(events.ORIGINAL[owner])][1:]  # without self
    count = max(required, min(given_count, len(names)))
    args: tuple[Any, ...] = tuple(values[:count])
    kwargs: dict[str, Any] = {}
    if as_keywords:
        kwargs = dict(zip(names[required:count], args[required:], strict=True))
        args = args[:required]
    original = events.made_by(cls, events.ORIGINAL[owner], args, kwargs)
    assert events.made_by(cls, cls.__init__, args, kwargs) == original
    assert set(original) == {n for c in cls.__mro__ for n in getattr(c, "__slots__", ())}


def test_events_read_the_same_through_ruamels_own_parsers() -> None:
    """The round-trip parser passes comments: they land where ruamel.yaml puts them."""
    text = "# top\na: &x 1  # one\nb: !!str [2, {c: d}]\ne: *x\n"
    flattened = [events.slots_of(e) for e in YAML(typ="rt").parse(text)]
    with pytest.MonkeyPatch.context() as patch:
        for cls, original in events.ORIGINAL.items():
            patch.setattr(cls, "__init__", original)
        own = [events.slots_of(e) for e in YAML(typ="rt").parse(text)]
    assert events.installed()
    assert flattened == own
    assert any(event.get("comment") for event in own)  # the case is not vacuous


@pytest.mark.parametrize("change", ["constructor", "result"])
def test_nothing_is_replaced_when_ruamel_builds_events_otherwise(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    scalar, collection = ruamel_events.ScalarEvent, ruamel_events.CollectionStartEvent
    original = events.ORIGINAL[scalar]

    def other(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.style = "changed"  # a release that sets something else

    for cls, init in events.ORIGINAL.items():
        monkeypatch.setattr(cls, "__init__", init)
    if change == "constructor":  # not the constructor the module was written against
        monkeypatch.setattr(scalar, "__init__", other)
    else:  # the same constructor object, giving other slots than the flattened one
        monkeypatch.setitem(events.ORIGINAL, scalar, other)
        monkeypatch.setattr(scalar, "__init__", other)
    assert events.install() is False
    assert scalar.__dict__["__init__"] is other
    assert collection.__dict__["__init__"] is events.ORIGINAL[collection]  # untouched too
    assert not events.installed()
    monkeypatch.undo()
    assert events.installed()
