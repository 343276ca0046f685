"""Crash-safe file replacement: temp file in the same directory, made durable, os.replace.

One file: ``write_atomic``. Many files: ``stage_write`` each (a temporary file holding the new
bytes), then ``commit_writes`` makes them all durable with one ``syncfs`` per filesystem where
the OS has it (instead of one fsync, and so one journal commit, per file), and renames each
over its target. A crash at any point leaves every target either old or new.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.errors import ConcurrentModificationError, WriteError

#: Fewer staged writes than this are made durable with one fsync each.
SYNCFS_FROM = 4


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
    staged = stage_write(
        path, data, expect_digest=expect_digest, respect_read_only=respect_read_only
    )
    error = commit_writes([staged])[0]
    if error is not None:
        raise error
    if sync_directory:
        sync_directories([staged.target.parent])


@dataclass
class StagedWrite:
    """A temporary file beside ``target`` holding the new bytes, not yet durable or renamed."""

    path: str | Path  # as the caller named it, for messages
    target: Path  # the file replaced: ``path``, or the file a symlink points to
    tmp: str
    fd: int
    expect_digest: str | None

    def abandon(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)


def stage_write(
    path: str | Path,
    data: bytes,
    *,
    expect_digest: str | None = None,
    respect_read_only: bool = False,
) -> StagedWrite:
    """Write ``data`` to a new temporary file beside ``path``, with the target's mode and owner.

    Raises WriteError (and leaves nothing behind) if that fails or the target is read-only.
    """
    target = write_target(path)
    existing = _stat_or_none(target)
    if existing is not None and _read_only(target, existing, respect_read_only):
        raise WriteError("file is read-only; not written", path=path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file: {exc.strerror}", path=path) from exc
    staged = StagedWrite(path, target, tmp, fd, expect_digest)
    try:
        _write_all(fd, data)
        if existing is not None:
            _copy_ownership(existing, fd)
    except BaseException as exc:
        staged.abandon()
        if isinstance(exc, OSError):
            raise _write_error(exc, path) from exc
        raise
    return staged


def write_target(path: str | Path) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file a symlink points to."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def commit_writes(staged: Sequence[StagedWrite]) -> list[BaseException | None]:
    """Make every staged file durable, then rename each over its target (unless the target
    changed on disk since it was loaded). Returns, per write, None or the error that stopped
    it; a write that fails leaves its target untouched and its temporary file removed."""
    errors: list[BaseException | None] = [None] * len(staged)
    for index, error in _make_durable(staged).items():
        errors[index] = error
    for index, write in enumerate(staged):
        if errors[index] is None:
            errors[index] = _rename_into_place(write)
        else:
            write.abandon()
    return errors


def _make_durable(staged: Sequence[StagedWrite]) -> dict[int, BaseException]:
    """fsync each file, or syncfs once per filesystem; the index → error of each failure."""
    failed: dict[int, BaseException] = {}
    by_device: dict[int, list[int]] = {}
    for index, write in enumerate(staged):
        try:
            by_device.setdefault(os.fstat(write.fd).st_dev, []).append(index)
        except OSError as exc:
            failed[index] = _write_error(exc, write.path)
    for indexes in by_device.values():
        if len(indexes) >= SYNCFS_FROM and _syncfs is not None and _syncfs(staged[indexes[0]].fd):
            continue
        for index in indexes:  # no syncfs, or it reported an error: find which file failed
            try:
                os.fsync(staged[index].fd)
            except OSError as exc:
                failed[index] = _write_error(exc, staged[index].path)
    return failed


def _rename_into_place(write: StagedWrite) -> BaseException | None:
    try:
        os.close(write.fd)
        if write.expect_digest is not None:
            _check_unchanged(write.target, write.expect_digest, write.path)
        os.replace(write.tmp, write.target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(write.tmp)
        if not isinstance(exc, Exception):
            raise
        return _write_error(exc, write.path)
    return None


def _load_syncfs() -> Callable[[int], bool] | None:
    """Linux's syncfs(2): flush one filesystem (Python's os module has no binding for it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc_syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    libc_syncfs.argtypes = [ctypes.c_int]
    libc_syncfs.restype = ctypes.c_int

    def syncfs(fd: int) -> bool:
        return bool(libc_syncfs(fd) == 0)

    return syncfs


_syncfs = _load_syncfs()


def sync_directories(directories: Iterable[Path]) -> None:
    """fsync directories so the renames into them survive a power cut."""
    for directory in set(directories):
        _fsync_directory(directory)


def _write_error(exc: BaseException, path: str | Path) -> BaseException:
    if isinstance(exc, OSError):
        return WriteError(f"write failed: {exc.strerror or exc}", path=path)
    return exc


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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


def _copy_ownership(existing: os.stat_result, fd: int) -> None:
    os.fchmod(fd, stat.S_IMODE(existing.st_mode))
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, existing.st_uid, existing.st_gid)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
