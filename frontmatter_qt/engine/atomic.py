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
        """Close and remove the temporary file (if it was not renamed); the target is left as
        it was."""
        self.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)

    def close(self) -> None:
        """Close the temporary file's descriptor, once (``fd`` is -1 afterwards: its number
        may be another file's by then)."""
        fd, self.fd = self.fd, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)


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
    target, existing = _target_and_state(path)
    if existing is not None:
        kind = file_kind(existing.st_mode)
        if kind is not None:
            raise WriteError(f"not a regular file but {kind}; not written", path=path)
        if _read_only(target, existing, respect_read_only):
            raise WriteError("file is read-only; not written", path=path)
    fd, tmp = _create_beside(target, path)
    staged = StagedWrite(path, target, tmp, fd, expect)
    try:
        _write_all(fd, data)
        made = os.fstat(fd) if existing is None else _copy_ownership(existing, fd)
        staged.device, staged.inode = made.st_dev, made.st_ino
    except BaseException as exc:
        staged.abandon()
        if isinstance(exc, OSError):
            raise _write_error(exc, path) from exc
        raise
    return staged


#: Flags of a new temporary file: created here or not at all (O_EXCL), never through a
#: symlink someone placed under its name (O_NOFOLLOW), not inherited by child processes.
_CREATE_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
#: Bytes of a target's name kept in its temporary file's name (NAME_MAX is 255 bytes).
_NAME_BYTES = 200


def _create_beside(target: Path, path: str | Path) -> tuple[int, str]:
    """A new, empty file beside ``target`` that only its owner may read: (descriptor, path).

    What ``tempfile.mkstemp`` does, without its per-call overhead (argument checks, path
    normalisation, a getpid per name) or its imports (``tempfile`` loads ``shutil``,
    ``random`` and the compression modules): a bulk run creates one per changed file. The
    name is ``.NAME.<48 random bits>.tmp``: hidden, unguessable, and never ``*.md``.
    """
    name = target.name
    while len(os.fsencode(name)) > _NAME_BYTES:  # keep the whole name within NAME_MAX
        name = name[:-1]
    stem = os.path.join(target.parent, f".{name}.")
    for _ in range(_CREATE_ATTEMPTS):
        tmp = f"{stem}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(tmp, _CREATE_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            message = f"cannot create a temporary file: {exc.strerror}"
            raise WriteError(message, path=path) from exc
    raise WriteError("cannot create a temporary file: every name tried exists", path=path)


_CREATE_ATTEMPTS = 100


def write_target(path: str | Path) -> Path:
    """The file a write to ``path`` replaces: ``path``, or the file a symlink points to (which
    need not exist yet). A symlink loop, or a path the OS refuses, is a WriteError."""
    return _target_and_state(path)[0]


def _target_and_state(path: str | Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` replaces (see :func:`write_target`) and its stat, or None
    when it does not exist yet. One ``lstat`` when ``path`` is not a symlink: it tells both."""
    if "\0" in os.fspath(path):  # os functions would raise ValueError
        raise WriteError("the path contains a NUL character; not written", path=path)
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return Path(path), None
    except OSError as exc:  # a symlink loop in a directory, a file used as a directory...
        raise _write_error(exc, path) from None
    if not stat.S_ISLNK(found.st_mode):
        return Path(path), found
    try:
        target = Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # a dangling link: the write creates the file it names
        return Path(os.path.realpath(path)), None
    except OSError as exc:  # a symlink loop
        raise _write_error(exc, path) from None
    return target, _stat_or_none(target, path)


def commit_writes(staged: Sequence[StagedWrite]) -> list[BaseException | None]:
    """Make every staged file durable, then rename each over its target (unless the target
    changed on disk since it was loaded). Returns, per write, None or the error that stopped
    it; a write that fails leaves its target untouched and its temporary file removed. An
    interruption (Ctrl-C) removes the temporary files of the writes not renamed yet."""
    errors: list[BaseException | None] = [None] * len(staged)
    replaced: list[int] = []  # descriptors of the files renamed over, unlocked, still open
    untouched = 0  # staged[untouched:] are not renamed yet (except perhaps the first)
    try:
        for index, error in _make_durable(staged).items():
            errors[index] = error
        for index, write in enumerate(staged):
            untouched = index
            if errors[index] is None:
                errors[index] = _rename_into_place(write, replaced)
            else:
                write.abandon()
    except BaseException:
        for write in staged[untouched:]:
            write.abandon()
        raise
    finally:
        _CLOSER.close(replaced)  # on a helper thread: see _Closer
    return errors


def _make_durable(staged: Sequence[StagedWrite]) -> dict[int, BaseException]:
    """fsync each file, or syncfs once per filesystem; the index → error of each failure."""
    failed: dict[int, BaseException] = {}
    by_device: dict[int, list[int]] = {}
    for index, write in enumerate(staged):
        try:  # the device was read when the file was staged
            device = os.fstat(write.fd).st_dev if write.device is None else write.device
        except OSError as exc:
            failed[index] = _write_error(exc, write.path)
        else:
            by_device.setdefault(device, []).append(index)
    for indexes in by_device.values():
        if len(indexes) >= SYNCFS_FROM and _syncfs(staged[indexes[0]].fd):
            continue
        for index in indexes:  # no syncfs, or it reported an error: find which file failed
            try:
                os.fsync(staged[index].fd)
            except OSError as exc:
                failed[index] = _write_error(exc, staged[index].path)
    return failed


def _rename_into_place(write: StagedWrite, replaced: list[int]) -> BaseException | None:
    """Check and rename one staged write under the writers' lock; the lock is released right
    after the rename, and the locked descriptor (the replaced file's) added to ``replaced``."""
    locked: int | None = None
    try:
        write.close()
        held = _lock_current(write.target)
        if held is not None:
            locked = held[0]
        if write.expect is not None:
            _check_unchanged(write.target, held, write.expect, write.path)
        os.replace(write.tmp, write.target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(write.tmp)
        if not isinstance(exc, Exception):
            raise
        return _write_error(exc, write.path)
    finally:
        if locked is not None:  # after the rename
            with contextlib.suppress(OSError):
                _unlock(locked)  # now, not by the close
            replaced.append(locked)
    return None


class _Closer:
    """Closes descriptors on a helper thread, which ends when nothing is left to close (so no
    thread outlives a run, and a process forked between runs starts with none).

    After a rename, the writer's locked descriptor is the last reference to the replaced file,
    so closing it frees that file's blocks: on ext4 that joins the running journal transaction
    and may wait for a commit (the chunk's syncfs starts one), and where freed blocks are
    discarded without a journal it waits for the device. Measured at 0.8 to 3 ms per file, most
    of a bulk write's time, spent waiting rather than computing; so a batch of renames hands
    its descriptors over at once (one wake-up, one thread per chunk) and goes on with the next
    chunk. At most ``MAX_PENDING`` wait: past that, the caller closes the rest itself, so a
    slow disk cannot make a long run hold more and more descriptors.
    """

    MAX_PENDING = 512

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[int] = []
        self._thread: threading.Thread | None = None

    def close(self, fds: Sequence[int]) -> None:
        with self._lock:
            room = max(0, self.MAX_PENDING - len(self._pending))
            self._pending += fds[:room]
            if self._pending and self._thread is None:
                self._thread = threading.Thread(target=self._run, name="fq-closer", daemon=True)
                self._thread.start()
        for fd in fds[room:]:
            with contextlib.suppress(OSError):
                os.close(fd)

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


def _lock_current(target: Path) -> tuple[int, os.stat_result] | None:
    """Hold the writers' lock of ``target``: an exclusive flock on the file now there.

    The lock sits on the target itself, not on a lock file (which would litter every article
    folder and outlive crashes). A rename replaces the file, and a lock on its inode does not
    pass to the new one; so after the lock is granted, the file is compared with what the path
    names now, and if another writer renamed a new file in while this one waited, its lock is
    taken instead. Returns the open, locked descriptor (closing it releases the lock) and its
    ``fstat``, or None when no file is there, it cannot be opened, or locks are not available
    (Windows, some network filesystems): the check and rename then run unlocked, as best effort.
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
            return fd, held
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
    target: Path,
    held: tuple[int, os.stat_result] | None,
    expected: FileState,
    path: str | Path,
) -> None:
    """ConcurrentModificationError unless the file at ``target`` holds the expected bytes;
    read from the locked descriptor when there is one (``held``: it and its fstat), and never
    more than one byte past the expected size."""
    if not _still_holds(target, held, expected):
        raise ConcurrentModificationError(
            "file changed on disk since it was loaded; not overwritten", path=path
        )


def _still_holds(
    target: Path, held: tuple[int, os.stat_result] | None, expected: FileState
) -> bool:
    opened: int | None = None
    try:
        if held is None:
            opened = os.open(target, READ_FLAGS)
            fd, found = opened, os.fstat(opened)
        else:  # opened by the lock, so still at offset 0, and just fstat'ed
            fd, found = held
        if not stat.S_ISREG(found.st_mode) or found.st_size != expected.size:
            return False
        return expected.holds(read_at_most(fd, expected.size + 1))
    except FileNotFoundError:
        return False
    finally:
        if opened is not None:
            os.close(opened)


def _copy_ownership(existing: os.stat_result, fd: int) -> os.stat_result:
    """Give the file open at ``fd`` the mode and (where permitted) owner of ``existing``;
    returns its fstat (its device and inode: a chown changes neither)."""
    os.fchmod(fd, stat.S_IMODE(existing.st_mode))
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, existing.st_uid, existing.st_gid)
    return now


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
