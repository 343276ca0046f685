"""Resource limits, checked while a file is read and parsed (each has its own error)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied while parsing; each has its own error when exceeded."""

    max_file_bytes: int = 16 * 1024 * 1024
    max_front_matter_chars: int = 1024 * 1024
    max_depth: int = 64
    max_aliases: int = 100
    max_nodes: int = 100_000
