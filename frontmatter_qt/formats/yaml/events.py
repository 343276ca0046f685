"""Where the YAML engine's parse events come from: libyaml through a C binding, or the
pure-Python parser.

Two bindings of libyaml are installed with the engine: PyYAML's ``yaml._yaml.CParser`` and
ruamel.yaml.clib's ``_ruamel_yaml.CParser``. Both run the same C parser over the same UTF-8
text and give the same events with the same marks; they differ in the Python objects they make
of them. ruamel.yaml's event classes chain three ``__init__`` calls per scalar (ScalarEvent,
NodeEvent, Event, each handling a comment argument ruamel.yaml's round-trip loader needs and
this engine does not), PyYAML's one; making Python objects of libyaml's events costs more than
libyaml's own work. Measured on the QuickTakes front matters (``bench/bench_events.py``, load
4.6): 0.142 ms per front matter through ruamel.yaml.clib, 0.114 ms through PyYAML, 0.046 ms
inside libyaml alone. PyYAML also bundles libyaml 0.2.6, ruamel.yaml.clib 0.1.7 (2016): the
newer one reads a few texts as YAML 1.2 says where 0.1.7 refused them (``tests/test_events.py``
lists them), and refuses nesting past 1,000 levels (``nodes`` turns that into the
DepthLimitError at ``max_depth``). So PyYAML's binding is used when it is there with libyaml,
ruamel.yaml.clib's otherwise. ``pure=True`` (and a machine with neither binding) uses
ruamel.yaml's pure-Python parser, which yields ruamel.yaml's event classes.

The builders (``nodes``, ``data``) take an :class:`EventKinds` and compare each event's class
with it, so they read either family; the attributes they read (``anchor``, ``tag``,
``implicit``, ``value``, ``style``, ``flow_style``, ``explicit``, the marks' ``index``) have
the same names and meanings in both.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import ruamel.yaml.error
import ruamel.yaml.events as _ruamel_events
import ruamel.yaml.reader

__all__ = ["C_EVENTS", "PURE_EVENTS", "CParser", "EventKinds", "ParseErrors", "ReaderErrors"]


class EventKinds(NamedTuple):
    """The event classes of one parser family."""

    scalar: type
    mapping_start: type
    mapping_end: type
    sequence_start: type
    sequence_end: type
    alias: type
    document_start: type
    document_end: type
    stream_start: type
    stream_end: type


def _kinds(module: Any) -> EventKinds:
    return EventKinds(
        module.ScalarEvent,
        module.MappingStartEvent,
        module.MappingEndEvent,
        module.SequenceStartEvent,
        module.SequenceEndEvent,
        module.AliasEvent,
        module.DocumentStartEvent,
        module.DocumentEndEvent,
        module.StreamStartEvent,
        module.StreamEndEvent,
    )


PURE_EVENTS = _kinds(_ruamel_events)

#: The syntax errors and reader (bad character) errors any of the parsers raises.
ParseErrors: tuple[type[Exception], ...] = (ruamel.yaml.error.MarkedYAMLError,)
ReaderErrors: tuple[type[Exception], ...] = (ruamel.yaml.reader.ReaderError,)

CParser: Any = None
try:
    import yaml._yaml
    import yaml.error
    import yaml.events
    import yaml.reader

    CParser = yaml._yaml.CParser
    C_EVENTS = _kinds(yaml.events)
    ParseErrors += (yaml.error.MarkedYAMLError,)
    ReaderErrors += (yaml.reader.ReaderError,)
except ImportError:  # pragma: no cover - PyYAML without libyaml: ruamel.yaml.clib's binding
    try:
        import _ruamel_yaml

        CParser = _ruamel_yaml.CParser
    except ImportError:  # neither binding: every parse is pure-Python (tested via pure=True)
        pass
    C_EVENTS = PURE_EVENTS
