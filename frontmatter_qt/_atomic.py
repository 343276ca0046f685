"""Crash-safe file replacement: temp file in the same directory, fsync, os.replace."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from frontmatter_qt.errors import ConcurrentModificationError, WriteError


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_atomic(path: str | Path, data: bytes, *, expect_digest: str | None = None) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file.

    A symlink is written through to its target (the link stays a link). The file's mode and,
    where permitted, owner are kept. With ``expect_digest``, the file must still hold the bytes
    it was loaded from, or nothing is written. A read-only file is refused, not replaced.
    """
    target = Path(os.path.realpath(path))
    existing = _stat_or_none(target)
    if existing is not None and not existing.st_mode & stat.S_IWUSR:
        raise WriteError("file is read-only; not written", path=path)
    if expect_digest is not None:
        _check_unchanged(target, expect_digest, path)
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
    _fsync_directory(target.parent)


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
