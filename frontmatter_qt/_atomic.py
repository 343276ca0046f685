"""Crash-safe file replacement: temp file in the same directory, fsync, os.replace."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from frontmatter_qt.errors import ConcurrentModificationError, WriteError


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_atomic(
    path: str | Path,
    data: bytes,
    *,
    expect_digest: str | None = None,
    respect_read_only: bool = False,
    sync_directory: bool = True,
) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file.

    A symlink is written through to its target (the link stays a link). The file's mode and,
    where permitted, owner are kept. With ``expect_digest``, the file must still hold the bytes
    it was loaded from, or nothing is written. Like ``sed -i``, a file is written when this
    process may write it (so root writes a file without its write bit, keeping that mode);
    ``respect_read_only`` refuses a file without its write bit for everyone.
    ``sync_directory=False`` leaves the directory fsync to the caller (see
    :func:`sync_directories`): the rename may then be lost in a power cut, leaving the old file.
    """
    target = Path(os.path.realpath(path))
    existing = _stat_or_none(target)
    if existing is not None and _read_only(target, existing, respect_read_only):
        raise WriteError("file is read-only; not written", path=path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file: {exc.strerror}", path=path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            _copy_ownership(existing, tmp)
        if expect_digest is not None:
            _check_unchanged(target, expect_digest, path)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"write failed: {exc.strerror or exc}", path=path) from exc
        raise
    if sync_directory:
        sync_directories([target.parent])


def sync_directories(directories: Iterable[Path]) -> None:
    """fsync directories so the renames into them survive a power cut."""
    for directory in set(directories):
        _fsync_directory(directory)


def _read_only(target: Path, existing: os.stat_result, respect_mode: bool) -> bool:
    return not os.access(target, os.W_OK) or (respect_mode and not existing.st_mode & stat.S_IWUSR)


def _stat_or_none(target: Path) -> os.stat_result | None:
    try:
        return target.stat()
    except FileNotFoundError:
        return None


def _check_unchanged(target: Path, expected: str, path: str | Path) -> None:
    try:
        current = digest(target.read_bytes())
    except FileNotFoundError:
        current = ""
    if current != expected:
        raise ConcurrentModificationError(
            "file changed on disk since it was loaded; not overwritten", path=path
        )


def _copy_ownership(existing: os.stat_result, tmp: str) -> None:
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))
    with contextlib.suppress(PermissionError, AttributeError):
        os.chown(tmp, existing.st_uid, existing.st_gid)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
