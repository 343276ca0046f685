"""Resource limits, checked while a file is read and parsed (each has its own error)."""

from __future__ import annotations

from dataclasses import dataclass

#: The deepest nesting the library handles at all (``Limits.max_depth`` may not exceed it).
#: Editing and rendering walk nested collections recursively (a couple of stack frames per
#: level), so this keeps them far from Python's recursion limit (1,000 frames by default).
DEPTH_CEILING = 200


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied while parsing; each has its own error when exceeded.

    ``max_depth`` also bounds the data written: data nested deeper is refused on writing
    (``UnrepresentableValueError``), since the file could not be read back.
    """

    max_file_bytes: int = 16 * 1024 * 1024
    max_front_matter_chars: int = 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 100
    max_nodes: int = 100_000

    def __post_init__(self) -> None:
        if not 1 <= self.max_depth <= DEPTH_CEILING:
            raise ValueError(f"max_depth must be between 1 and {DEPTH_CEILING}")
