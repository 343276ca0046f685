"""Discovery: the files a bulk run works on, in a stable order, each once."""

from __future__ import annotations

import fnmatch
import glob as globmod
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath

__all__ = ["DEFAULT_GLOB", "PathArg", "find_files"]

DEFAULT_GLOB = "*.md"
PathArg = str | os.PathLike[str]
_GLOB_CHARS = frozenset("*?[")


def find_files(
    paths: PathArg | Iterable[PathArg],
    *,
    glob: str = DEFAULT_GLOB,
    exclude: Iterable[str] = (),
    accept: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """The files ``paths`` names, in a stable order, each once.

    Each argument is a file (taken as it is), a directory (searched recursively for files whose
    path matches ``glob``, matched from the right like ``PurePath.match``; directories whose name
    starts with ``.`` are skipped), or a glob pattern (``content/**/*.md``; a matching directory
    is searched like a directory). A path that does not exist is returned anyway, so that the run
    reports it. A path is left out when it, or one of its directories, matches an ``exclude``
    pattern (``drafts``, ``*.draft.md``, ``content/old/*``). ``accept``, when given, decides
    instead of ``glob`` which files found in directories are taken (the command passes the
    configuration's ``include``/``exclude``); a file named explicitly is always taken.
    """
    patterns = tuple(p.rstrip("/") for p in exclude)
    seen: set[object] = set()
    found: list[Path] = []
    for arg in _arguments(paths):
        for path in _expand(arg, glob, patterns, accept):
            key = _identity(path)
            if key not in seen and not _excluded(path, patterns):
                seen.add(key)
                found.append(path)
    return found


def _identity(path: Path) -> object:
    """The same for every name of one file (symlinks, hard links, ``a/../b``)."""
    try:
        found = path.stat()
    except OSError:
        return os.path.abspath(path)
    return (found.st_dev, found.st_ino)


def _arguments(paths: PathArg | Iterable[PathArg]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _expand(
    arg: str, glob: str, exclude: tuple[str, ...], accept: Callable[[Path], bool] | None
) -> Iterator[Path]:
    path = Path(arg)
    if _is(path.is_dir):
        yield from _walk(path, glob, exclude, accept)
    elif _is(path.exists) or not _GLOB_CHARS.intersection(arg):
        yield path
    else:
        for match in sorted(globmod.glob(arg, recursive=True)):
            yield from _expand(match, glob, exclude, accept)


def _is(test: Callable[[], bool]) -> bool:
    """``path.is_dir()``/``exists()``, False for a name no file system holds (too long, a NUL):
    such a path is returned as it is and reported by the run that tries to read it."""
    try:
        return test()
    except (OSError, ValueError):
        return False


def _walk(
    top: Path, glob: str, exclude: tuple[str, ...], accept: Callable[[Path], bool] | None
) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not _matches_any(d, exclude)
        )
        here = Path(directory)
        relative = PurePath(os.path.relpath(directory, top))
        for name in sorted(filenames):
            if accept is not None:
                if accept(here / name):
                    yield here / name
            elif _matches_glob(relative, name, glob):
                yield here / name


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
