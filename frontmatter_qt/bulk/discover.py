"""Discovery: the files a bulk run works on, in a stable order, each once."""

from __future__ import annotations

import fnmatch
import glob as globmod
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath

__all__ = ["DEFAULT_GLOB", "PathArg", "find_file_names", "find_files"]

DEFAULT_GLOB = "*.md"
PathArg = str | os.PathLike[str]
_GLOB_CHARS = frozenset("*?[")


def find_files(
    paths: PathArg | Iterable[PathArg],
    *,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    accept: Callable[[str], bool] | None = None,
    unmatched: Callable[[PathArg], object] | None = None,
) -> list[Path]:
    """The files ``paths`` names, in a stable order, each once.

    Each argument is a file (taken as it is), a directory (searched recursively for files whose
    path matches ``glob``, matched from the right like ``PurePath.match``; directories whose name
    starts with ``.`` are skipped), or a glob pattern (``content/**/*.md``; a matching directory
    is searched like a directory). A path that does not exist is returned anyway, so that the run
    reports it. A path is left out when it, or one of its directories, matches an ``exclude``
    pattern (``drafts``, ``*.draft.md``, ``content/old/*``; an empty pattern excludes nothing).
    ``accept``, when given, decides instead of ``glob`` which files found in directories are
    taken (called with each one's path as a string; the command passes the configuration's
    ``include``/``exclude``); a file named explicitly is always taken.
    ``unmatched``, when given, is called with each argument that yields no file at all (a
    directory without matching files, a pattern matching nothing): the command warns.
    """
    names = find_file_names(paths, glob=glob, exclude=exclude, accept=accept, unmatched=unmatched)
    return [Path(path) for path in names]


def find_file_names(
    paths: PathArg | Iterable[PathArg],
    *,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    accept: Callable[[str], bool] | None = None,
    unmatched: Callable[[PathArg], object] | None = None,
) -> list[str]:
    """:func:`find_files` as strings, which is what a run keeps: a ``Path`` takes about five
    times the memory of its string, and a run over 100,000 files holds the whole list."""
    # An empty pattern (`--exclude "$UNSET"` in a script) names nothing, so it excludes nothing;
    # PurePath.match would raise on it.
    patterns = tuple(p.rstrip("/") for p in exclude if p.rstrip("/"))
    seen: set[object] = set()
    found: list[str] = []
    for given in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        matched = False
        for path, key in _expand(str(Path(given)), glob, patterns, accept):
            if patterns and _excluded(Path(path), patterns):
                continue
            matched = True
            if key is None:
                key = _identity(path)
            if key not in seen:
                seen.add(key)
                found.append(path)
        if not matched and unmatched is not None:
            unmatched(given)
    return found


def _identity(path: str, found: os.stat_result | None = None) -> object:
    """The same for every spelling of one name (``a/../a``, absolute or relative, a symlink to
    it); ``found`` is its ``os.stat`` when the caller has it.

    Not the same for two hard links: each is a file of its own to a run, since an atomic write
    gives the name written a new file and leaves the other name with the old bytes (found once,
    one name would be edited and the other silently not). Only a file with more than one link
    pays for resolving its path."""
    if found is None:
        try:
            found = os.stat(path)
        except (OSError, ValueError):  # missing, or a name no file system holds (a NUL)
            return os.path.abspath(path)
    if found.st_nlink > 1:
        return os.path.realpath(path)
    return (found.st_dev, found.st_ino)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):  # missing, or a name no file system holds (too long, a NUL)
        return None


def _expand(
    arg: str, glob: str, exclude: tuple[str, ...], accept: Callable[[str], bool] | None
) -> Iterator[tuple[str, object]]:
    """The files ``arg`` (in ``Path``'s spelling) names, each with its identity when one
    ``stat`` of the argument already told it (else None: found by walking a directory)."""
    # One stat says whether arg is a directory, exists, and which file it is. A name no file
    # system holds is returned as it is and reported by the run that tries to read it.
    found = _stat(arg)
    if found is not None and stat.S_ISDIR(found.st_mode):
        for path in _walk(arg, glob, exclude, accept):
            yield path, None
    elif found is not None or not _GLOB_CHARS.intersection(arg):
        yield arg, _identity(arg, found)
    else:
        for match in sorted(globmod.glob(arg, recursive=True)):
            yield from _expand(match, glob, exclude, accept)


def _walk(
    top: str, glob: str, exclude: tuple[str, ...], accept: Callable[[str], bool] | None
) -> Iterator[str]:
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not _matches_any(d, exclude)
        )
        relative = PurePath(os.path.relpath(directory, top))
        # str(Path(directory, name)), with the directory's part normalised once, not per file
        prefix = str(Path(directory))
        prefix = "" if prefix == "." else prefix if prefix.endswith(os.sep) else prefix + os.sep
        for name in sorted(filenames):
            path = prefix + name
            if accept is not None:
                if accept(path):
                    yield path
            elif _matches_glob(relative, name, glob):
                yield path


def _matches_glob(directory: PurePath, name: str, glob: str) -> bool:
    """``PurePath.match`` of ``directory/name``; a pattern without ``/`` needs only the name."""
    if "/" not in glob:
        return fnmatch.fnmatch(name, glob)  # case-folded where the OS folds it, like match()
    return PurePath(directory.as_posix(), name).match(glob)


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    return any(path.match(p) for p in patterns) or any(
        _matches_any(part, patterns) for part in path.parts
    )
