"""Reading a file safely: its type and size are checked before a byte is read.

Every reader of article files (``fq.load``, bulk edits, the command's ``check`` and ``get``)
goes through :func:`read_file`: a path that is not a regular file (a directory, a FIFO that
would block forever, ``/dev/zero`` that never ends) is refused from its ``stat``, a file over
the size limit is refused from its size, and at most the limit plus one byte is ever read (a
file that grows while it is read is still refused). What was read is remembered as a
:class:`FileState`, so a writer can later tell whether the file changed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from frontmatter_qt.errors import (
    MissingFileError,
    NotARegularFileError,
    ReadError,
    ReadPermissionError,
    SizeLimitError,
)

#: Flags for opening a file only to read it (or to lock it). O_NONBLOCK: opening a FIFO
#: (swapped in after the stat) must not wait for a writer; it has no effect on reading a
#: regular file. O_NOCTTY: opening a terminal must not make it ours.
READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
#: Bytes asked of the OS per read (Linux returns at most about 2 GiB per call anyway).
_CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a directory", errno.EISDIR),
    (stat.S_ISFIFO, "a FIFO (named pipe)", None),
    (stat.S_ISCHR, "a character device", None),
    (stat.S_ISBLK, "a block device", None),
    (stat.S_ISSOCK, "a socket", None),
)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class FileState:
    """What a file held when it was read or written: its size and content digest, and (when it
    came from the disk) its identity, device and inode, the same for every name of the file."""

    size: int
    digest: str
    device: int | None = None
    inode: int | None = None

    @classmethod
    def of(cls, data: bytes, found: os.stat_result | None = None) -> FileState:
        if found is None:
            return cls(len(data), digest(data))
        return cls(len(data), digest(data), found.st_dev, found.st_ino)

    def holds(self, data: bytes) -> bool:
        """Whether ``data`` is what the file held."""
        return len(data) == self.size and digest(data) == self.digest

    def is_file(self, found: os.stat_result) -> bool:
        """Whether ``found`` (a stat result) is this very file (same device and inode)."""
        return self.inode is not None and (found.st_dev, found.st_ino) == (
            self.device,
            self.inode,
        )


def read_file(path: str | Path, max_bytes: int) -> tuple[bytes, FileState]:
    """The bytes of the regular file at ``path`` (symlinks followed), and its state.

    Raises ``NotARegularFileError`` for anything else, ``SizeLimitError`` for a file over
    ``max_bytes`` (before reading it), ``MissingFileError``, ``ReadPermissionError`` or
    ``ReadError`` when the OS refuses. Never reads more than ``max_bytes + 1`` bytes.
    """
    try:
        require_regular(os.stat(path), path)
        fd = os.open(path, READ_FLAGS)
    except (OSError, ValueError) as exc:
        raise read_error(exc, path) from None
    try:
        found = os.fstat(fd)  # the file opened, which may not be the one stat saw
        require_regular(found, path)
        refuse_oversized(found.st_size, max_bytes, path)
        data = read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        raise read_error(exc, path) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # it grew after the fstat
        raise SizeLimitError(
            f"file grew past the limit of {max_bytes} bytes while it was read", path=path
        )
    return data, FileState.of(data, found)


def read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from ``fd`` (fewer at end of file)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def refuse_oversized(size: int, max_bytes: int, path: str | Path | None) -> None:
    if size > max_bytes:
        raise SizeLimitError(f"file is {size} bytes, over the limit of {max_bytes}", path=path)


def file_kind(mode: int) -> str | None:
    """``"a directory"``, ``"a FIFO (named pipe)"``... for what is not a regular file, else None."""
    for test, kind, _ in _KINDS:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def require_regular(found: os.stat_result, path: str | Path) -> None:
    """Raise NotARegularFileError unless ``found`` (a stat result of ``path``) is a regular file."""
    kind = file_kind(found.st_mode)
    if kind is None:
        return
    error = NotARegularFileError(f"not a regular file but {kind}; not read", path=path)
    code = next((code for test, _, code in _KINDS if test(found.st_mode)), None)
    _set_os_fields(error, code, kind, path)
    raise error


def read_error(exc: OSError | ValueError, path: str | Path) -> ReadError:
    """The library's error for an OS refusal to read ``path`` (keeping errno and strerror)."""
    if isinstance(exc, ValueError):  # os functions refuse a path with a NUL character this way
        return ReadError("the path contains a NUL character", path=path)
    if isinstance(exc, ReadError):
        return exc
    cls: type[ReadError] = ReadError
    if isinstance(exc, FileNotFoundError):
        cls = MissingFileError
    elif isinstance(exc, PermissionError):
        cls = ReadPermissionError
    message = exc.strerror or str(exc)
    if exc.errno == errno.ELOOP:
        message = "too many levels of symbolic links (a symlink loop?)"
    error = cls(message, path=path)
    _set_os_fields(error, exc.errno, exc.strerror, path)
    return error


def _set_os_fields(
    error: OSError, code: int | None, strerror: str | None, path: str | Path
) -> None:
    error.errno = code  # None is OSError's own "no errno"
    error.strerror = strerror
    error.filename = os.fspath(path)
