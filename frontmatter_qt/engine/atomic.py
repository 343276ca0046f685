"""Crash-safe file replacement: temp file in the same directory, made durable, os.replace.

One file: ``write_atomic``. Many files: ``stage_write`` each (a temporary file holding the new
bytes), then ``commit_writes`` makes them all durable with one ``syncfs`` per filesystem where
the OS has it (instead of one fsync, and so one journal commit, per file), and renames each
over its target. A crash at any point leaves every target either old or new.

Writers exclude each other: the check "does the file still hold what was loaded?" and the
rename over it happen while holding an exclusive ``flock`` on the file then at the target (see
:func:`_lock_current`), so of two writers of one file that both loaded the same bytes, the
second finds the first's bytes and stops with ``ConcurrentModificationError`` instead of
silently replacing them. The lock is advisory: it excludes this library's writers (in any
process), not an editor writing the file in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.engine.files import READ_FLAGS, FileState, digest, file_kind, read_at_most
from frontmatter_qt.errors import ConcurrentModificationError, WriteError

#: Fewer staged writes than this are made durable with one fsync each.
SYNCFS_FROM = 4


def write_atomic(
    path: str | Path,
    data: bytes,
    *,
    expect: FileState | None = None,
    respect_read_only: bool = False,
    sync_directory: bool = True,
) -> FileState:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file; returns
    the state of the file written (its new identity included).

    A symlink is written through to its target (the link stays a link). The file's mode and,
    where permitted, owner are kept. With ``expect``, the file must still hold the bytes it
    was loaded from (checked under the writers' lock, see the module docstring), or nothing is
    written. Like ``sed -i``, a file is written when this process may write it (so root writes
    a file without its write bit, keeping that mode); ``respect_read_only`` refuses a file
    without its write bit for everyone. ``sync_directory=False`` leaves the directory fsync to
    the caller (see :func:`sync_directories`): the rename may then be lost in a power cut,
    leaving the old file.
    """
    staged = stage_write(path, data, expect=expect, respect_read_only=respect_read_only)
    error = commit_writes([staged])[0]
    if error is not None:
        raise error
    if sync_directory:
        sync_directories([staged.target.parent])
    return FileState(len(data), digest(data), staged.device, staged.inode)


@dataclass
class StagedWrite:
    """A temporary file beside ``target`` holding the new bytes, not yet durable or renamed."""

    path: str | Path  # as the caller named it, for messages
    target: Path  # the file replaced: ``path``, or the file a symlink points to
    tmp: str
    fd: int
    expect: FileState | None
    device: int | None = None  # the temporary file's identity: the target's once renamed
    inode: int | None = None

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
    expect: FileState | None = None,
    respect_read_only: bool = False,
) -> StagedWrite:
    """Write ``data`` to a new temporary file beside ``path``, with the target's mode and owner.

    Raises WriteError (and leaves nothing behind) if that fails, the target is read-only, or
    the target is not a regular file (a directory, a FIFO, a device: never replaced).
    """
    target = write_target(path)
    existing = _stat_or_none(target, path)
    if existing is not None:
        kind = file_kind(existing.st_mode)
        if kind is not None:
            raise WriteError(f"not a regular file but {kind}; not written", path=path)
        if _read_only(target, existing, respect_read_only):
            raise WriteError("file is read-only; not written", path=path)
    import tempfile  # loaded by the first write, not by every reader of this module

    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file: {exc.strerror}", path=path) from exc
    staged = StagedWrite(path, target, tmp, fd, expect)
    try:
        _write_all(fd, data)
        if existing is not None:
            _copy_ownership(existing, fd)
        made = os.fstat(fd)
        staged.device, staged.inode = made.st_dev, made.st_ino
    except BaseException as exc:
        staged.abandon()
        if isinstance(exc, OSError):
            raise _write_error(exc, path) from exc
        raise
    return staged


def write_target(path: str | Path) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file a symlink points to (which
    need not exist yet). A symlink loop, or a path the OS refuses, is a WriteError."""
    if "\0" in os.fspath(path):  # os functions would raise ValueError (or islink say False)
        raise WriteError("the path contains a NUL character; not written", path=path)
    if not os.path.islink(path):
        return Path(path)
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # a dangling link: the write creates the file it names
        return Path(os.path.realpath(path))
    except OSError as exc:  # a symlink loop
        raise _write_error(exc, path) from None


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
        if len(indexes) >= SYNCFS_FROM and _syncfs(staged[indexes[0]].fd):
            continue
        for index in indexes:  # no syncfs, or it reported an error: find which file failed
            try:
                os.fsync(staged[index].fd)
            except OSError as exc:
                failed[index] = _write_error(exc, staged[index].path)
    return failed


def _rename_into_place(write: StagedWrite) -> BaseException | None:
    locked: int | None = None
    try:
        os.close(write.fd)
        locked = _lock_current(write.target)
        if write.expect is not None:
            _check_unchanged(write.target, locked, write.expect, write.path)
        os.replace(write.tmp, write.target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(write.tmp)
        if not isinstance(exc, Exception):
            raise
        return _write_error(exc, write.path)
    finally:
        if locked is not None:
            _release(locked)  # after the rename
    return None


def _release(fd: int) -> None:
    """Release the writers' lock held on ``fd`` now, and close ``fd`` on a helper thread.

    After the rename, ``fd`` is the last reference to the replaced file, so closing it frees
    that file's blocks; on ext4 that joins the running journal transaction and may wait for a
    commit (the chunk's syncfs starts one): measured at about 3 ms per file, most of a bulk
    write's time, spent waiting rather than computing. The caller goes on with the next file
    meanwhile. The lock itself is released at once (``LOCK_UN``), not by the close.
    """
    with contextlib.suppress(OSError):
        _unlock(fd)
    _CLOSER.close(fd)


class _Closer:
    """Closes descriptors on a helper thread that ends when nothing is left to close (so no
    thread outlives a run, and a process forked between runs starts with none)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[int] = []
        self._thread: threading.Thread | None = None

    def close(self, fd: int) -> None:
        with self._lock:
            self._pending.append(fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fq-closer", daemon=True)
                self._thread.start()

    def wait(self) -> None:
        """Return once every descriptor handed over so far is closed."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                fds, self._pending = self._pending, []
                if not fds:
                    self._thread = None
                    return
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _after_fork_in_child(self) -> None:
        # The parent's helper thread does not exist here, and its lock may have been held at
        # the fork: start afresh, closing what the parent had not closed yet.
        fds, self._pending = self._pending, []
        self._lock, self._thread = threading.Lock(), None
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


_CLOSER = _Closer()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_CLOSER._after_fork_in_child)


def _lock_current(target: Path) -> int | None:
    """Hold the writers' lock of ``target``: an exclusive flock on the file now there.

    The lock sits on the target itself, not on a lock file (which would litter every article
    folder and outlive crashes). A rename replaces the file, and a lock on its inode does not
    pass to the new one; so after the lock is granted, the file is compared with what the path
    names now, and if another writer renamed a new file in while this one waited, its lock is
    taken instead. Returns the open, locked descriptor (closing it releases the lock), or None
    when no file is there, it cannot be opened, or locks are not available (Windows, some
    network filesystems): the check and rename then run unlocked, as best effort.
    """
    while True:
        try:
            fd = os.open(target, READ_FLAGS)
        except OSError:  # missing, or unreadable: _check_unchanged reports what matters
            return None
        try:
            if not _flock(fd):
                os.close(fd)
                return None
            held = os.fstat(fd)
            now = os.stat(target)
        except FileNotFoundError:  # removed while we waited: nothing left to lock
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)  # replaced while we waited: lock the file that is there now


if sys.platform == "win32":

    def _flock(fd: int) -> bool:
        # Windows has no flock, and an open file cannot be renamed over: no lock.
        return False

    def _unlock(fd: int) -> None:
        pass

else:
    import fcntl

    # flock, not fcntl/lockf: a POSIX record lock is per process (two writers in one process,
    # say two threads, would not exclude each other) and is dropped when any descriptor of the
    # file is closed; a flock belongs to the open file description.
    _NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EBADF, errno.EINVAL})

    def _flock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno in _NO_LOCKS:  # a filesystem without flock (some NFS mounts)
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _load_syncfs() -> Callable[[int], bool] | None:
    """Linux's syncfs(2): flush one filesystem (Python's os module has no binding for it)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # on first use: most runs of the command never write

    try:
        libc_syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    libc_syncfs.argtypes = [ctypes.c_int]
    libc_syncfs.restype = ctypes.c_int

    def syncfs(fd: int) -> bool:
        return bool(libc_syncfs(fd) == 0)

    return syncfs


_loaded_syncfs: list[Callable[[int], bool] | None] = []


def _syncfs(fd: int) -> bool:
    """syncfs(2) on the filesystem of ``fd``: False where the OS has none or it fails."""
    if not _loaded_syncfs:
        _loaded_syncfs.append(_load_syncfs())
    found = _loaded_syncfs[0]
    return found is not None and found(fd)


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


def _stat_or_none(target: Path, path: str | Path) -> os.stat_result | None:
    try:
        return target.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a symlink loop in a directory, a file used as a directory...
        raise _write_error(exc, path) from None


def _check_unchanged(
    target: Path, locked: int | None, expected: FileState, path: str | Path
) -> None:
    """ConcurrentModificationError unless the file at ``target`` holds the expected bytes;
    read from the locked descriptor when there is one, and never more than one byte past the
    expected size."""
    if not _still_holds(target, locked, expected):
        raise ConcurrentModificationError(
            "file changed on disk since it was loaded; not overwritten", path=path
        )


def _still_holds(target: Path, locked: int | None, expected: FileState) -> bool:
    fd = locked
    try:
        if fd is None:
            fd = os.open(target, READ_FLAGS)
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_size != expected.size:
            return False
        os.lseek(fd, 0, os.SEEK_SET)
        return expected.holds(read_at_most(fd, expected.size + 1))
    except FileNotFoundError:
        return False
    finally:
        if fd is not None and fd != locked:
            os.close(fd)


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
