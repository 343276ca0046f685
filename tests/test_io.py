"""Reading and writing files (issue 10, items 1, 2, 12, 13): what is read before a byte is read,
which errors a refused read or write raises, and that two writers never lose an update."""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKES
from test_cli import ENV, FQ

import frontmatter_qt as fq
from frontmatter_qt import bulk, errors
from frontmatter_qt.engine import atomic, files

SEED = QUICKTAKES / "000-seed.md"
LIMIT = fq.Limits().max_file_bytes
#: Harness timeout for anything that could block (a FIFO): a hang fails, it never hangs the suite.
HANG = 60


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    path.write_bytes(SEED.read_bytes())
    return path


def with_subject(data: bytes, subject: str) -> bytes:
    return data.replace(b"subject: Medicine\n", f"subject: {subject}\n".encode(), 1)


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of every os.read the reading module makes."""
    sizes: list[int] = []
    real = os.read

    def counting(fd: int, n: int) -> bytes:
        chunk = real(fd, n)
        sizes.append(len(chunk))
        return chunk

    monkeypatch.setattr(files.os, "read", counting)
    return sizes


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# -- item 12: type and size are checked before reading ----------------------------------------


def load_in_thread(path: Path) -> BaseException | None:
    """fq.load(path) in a thread; a reader stuck on a FIFO is released, and the test fails."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            fq.load(path)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG)
    if thread.is_alive():  # blocked in open(): a writer end lets it go, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(HANG)
        pytest.fail(f"fq.load({path.name}) blocked on a FIFO")
    return outcome[0]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path, bytes_read: list[int]) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    error = load_in_thread(fifo)
    assert type(error) is errors.NotARegularFileError
    assert str(error) == f"{fifo}: not a regular file but a FIFO (named pipe); not read"
    assert (error.path, error.line, error.column) == (str(fifo), None, None)
    assert bytes_read == []


def test_a_symlink_to_dev_zero_is_refused_without_reading(
    tmp_path: Path, bytes_read: list[int]
) -> None:
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    with pytest.raises(errors.NotARegularFileError) as caught:
        fq.load(link)
    assert caught.value.message == "not a regular file but a character device; not read"
    assert bytes_read == []


def test_a_sparse_file_over_the_limit_is_refused_without_reading(
    tmp_path: Path, bytes_read: list[int]
) -> None:
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB, sparse: no disk used
    with pytest.raises(errors.SizeLimitError) as caught:
        fq.load(big)
    assert str(caught.value) == f"{big}: file is {1 << 30} bytes, over the limit of {LIMIT}"
    assert bytes_read == []
    report = fq.edit_files([big], set_subject, jobs=1)
    assert type(report.failed[big]) is errors.SizeLimitError
    assert bytes_read == []


def test_a_file_that_grows_while_read_is_read_only_to_the_limit_plus_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bytes_read: list[int]
) -> None:
    path = tmp_path / "growing.md"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:  # the size when it was looked at, before it grew
        found = list(real_fstat(fd))
        found[stat.ST_SIZE] = 10
        return os.stat_result(found)

    monkeypatch.setattr(files.os, "fstat", small)
    with pytest.raises(errors.SizeLimitError) as caught:
        fq.load(path, limits=fq.Limits(max_file_bytes=100))
    assert caught.value.message == "file grew past the limit of 100 bytes while it was read"
    assert sum(bytes_read) == 101


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    path = tmp_path / "a.md"
    path.write_bytes(data)
    doc = fq.load(path, limits=fq.Limits(max_file_bytes=len(data)))
    assert doc.to_bytes() == data
    with pytest.raises(errors.SizeLimitError):
        fq.load(path, limits=fq.Limits(max_file_bytes=len(data) - 1))


def test_a_directory_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(errors.NotARegularFileError) as caught:
        fq.load(folder)
    error = caught.value
    assert str(error) == f"{folder}: not a regular file but a directory; not read"
    assert isinstance(error, OSError)
    assert (error.errno, error.filename) == (errno.EISDIR, str(folder))


def test_os_refusals_are_read_errors_and_still_os_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    with pytest.raises(FileNotFoundError) as caught:
        fq.load(missing)
    error = caught.value
    assert type(error) is errors.MissingFileError
    assert isinstance(error, errors.ReadError)
    assert str(error) == f"{missing}: No such file or directory"
    assert (error.errno, error.strerror, error.filename) == (
        errno.ENOENT,
        "No such file or directory",
        str(missing),
    )
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop.name)
    with pytest.raises(errors.ReadError) as looped:
        fq.load(loop)
    assert looped.value.errno == errno.ELOOP
    assert looped.value.message == "too many levels of symbolic links (a symlink loop?)"
    below_a_file = tmp_path / "a.md"
    below_a_file.write_text("x")
    with pytest.raises(errors.ReadError) as not_dir:
        fq.load(below_a_file / "b.md")
    assert (type(not_dir.value), not_dir.value.errno) == (errors.ReadError, errno.ENOTDIR)
    with pytest.raises(errors.ReadError, match="the path contains a NUL character"):
        fq.load(str(tmp_path / "a\0.md"))


def test_permission_denied_is_a_read_permission_error(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suite runs as root, who may read anything: the OS's answer is simulated.
    def refuse(path: Any, flags: int, *args: Any) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "open", refuse)
    with pytest.raises(PermissionError) as caught:
        fq.load(article)
    assert type(caught.value) is errors.ReadPermissionError
    assert str(caught.value) == f"{article}: Permission denied"


def test_read_errors_keep_their_os_fields_across_processes(tmp_path: Path) -> None:
    with pytest.raises(errors.MissingFileError) as caught:
        fq.load(tmp_path / "missing.md")
    for copy in (
        pickle.loads(pickle.dumps(caught.value)),
        pickle.loads(pickle.dumps(bulk.FileResult(tmp_path, "failed", error=caught.value))).error,
    ):
        assert type(copy) is errors.MissingFileError
        assert (copy.errno, copy.strerror, copy.filename) == (
            errno.ENOENT,
            "No such file or directory",
            str(tmp_path / "missing.md"),
        )
        assert vars(copy) == vars(caught.value)
        assert str(copy) == str(caught.value)


def odd_tree(root: Path) -> Path:
    """A tree where every reader must refuse files without reading them."""
    root.mkdir()
    shutil.copy(SEED, root / "a.md")
    os.mkfifo(root / "b-pipe.md")
    (root / "c-zero.md").symlink_to("/dev/zero")
    with (root / "d-big.md").open("wb") as handle:
        handle.truncate(1 << 30)
    return root


def test_bulk_edits_refuse_odd_files_and_go_on(tmp_path: Path) -> None:
    tree = odd_tree(tmp_path / "tree")
    report = fq.edit_files([tree], set_subject, jobs=1)
    assert report.changed == [tree / "a.md"]
    assert {p.name: type(e) for p, e in report.failed.items()} == {
        "b-pipe.md": errors.NotARegularFileError,
        "c-zero.md": errors.NotARegularFileError,
        "d-big.md": errors.SizeLimitError,
    }
    assert stat.S_ISFIFO(os.lstat(tree / "b-pipe.md").st_mode)


def run_fq(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert FQ is not None
    return subprocess.run(
        [FQ, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=HANG, check=False
    )


def test_check_and_get_refuse_odd_files_without_blocking(tmp_path: Path) -> None:
    tree = odd_tree(tmp_path / "tree")
    checked = run_fq(tree, "check", "--select", "E", ".")
    assert checked.stdout.splitlines() == [
        "b-pipe.md:1:1: E903 not a regular file but a FIFO (named pipe); not read",
        "  help: this cannot be an article: leave it out (`--exclude`)",
        "c-zero.md:1:1: E903 not a regular file but a character device; not read",
        "  help: this cannot be an article: leave it out (`--exclude`)",
        f"d-big.md:1:1: E010 file is {1 << 30} bytes, over the limit of {LIMIT}",
        "  help: if this really is an article, raise the limit (`fq.Limits`)",
    ]
    assert checked.returncode == 1
    got = run_fq(tree, "get", ".", "subject")
    assert got.stdout == "a.md: Medicine\n"
    assert got.stderr.splitlines() == checked.stdout.splitlines()
    assert got.returncode == 1


# -- item 13: refused writes are library errors, and nothing is written -----------------------


def edited(article: Path) -> fq.Document:
    doc = fq.load(article)
    doc["subject"] = "Oncology"
    return doc


def test_dump_to_a_directory_fifo_or_device_is_refused(article: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.md"
    zero.symlink_to("/dev/zero")
    before = listing(tmp_path)
    for target, kind in ((folder, "a directory"), (fifo, "a FIFO (named pipe)")):
        with pytest.raises(errors.WriteError) as caught:
            fq.dump(edited(article), target)
        assert str(caught.value) == f"{target}: not a regular file but {kind}; not written"
    with pytest.raises(errors.WriteError, match="but a character device; not written"):
        fq.dump(edited(article), zero)
    assert listing(tmp_path) == before
    assert listing(folder) == []
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert article.read_bytes() == SEED.read_bytes()


def test_dump_through_a_symlink_loop_or_into_a_missing_folder_is_refused(
    article: Path, tmp_path: Path
) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop.name)
    with pytest.raises(errors.WriteError) as caught:
        fq.dump(edited(article), loop)
    assert str(caught.value) == f"{loop}: write failed: Too many levels of symbolic links"
    a, b = tmp_path / "a-link.md", tmp_path / "b-link.md"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    with pytest.raises(errors.WriteError, match="Too many levels of symbolic links"):
        fq.dump(edited(article), a)
    missing = tmp_path / "no" / "such.md"
    with pytest.raises(errors.WriteError) as no_dir:
        fq.dump(edited(article), missing)
    assert no_dir.value.message == "cannot create a temporary file: No such file or directory"
    with pytest.raises(errors.WriteError, match="the path contains a NUL character"):
        fq.dump(edited(article), tmp_path / "a\0.md")
    assert listing(tmp_path) == ["a-link.md", "article.md", "b-link.md", "loop.md"]
    assert os.readlink(loop) == loop.name


def test_a_name_of_nearly_255_bytes_is_written(tmp_path: Path) -> None:
    # The temporary file's name (``.NAME.<random>.tmp``) is cut to stay within NAME_MAX.
    path = tmp_path / ("a" + "é" * 125 + ".md")  # 254 bytes in UTF-8
    path.write_bytes(SEED.read_bytes())
    doc = fq.load(path)
    doc["subject"] = "Oncology"
    assert fq.dump(doc, check_unchanged=True) is True
    assert path.read_bytes() == with_subject(SEED.read_bytes(), "Oncology")
    assert listing(tmp_path) == [path.name]
    report = fq.edit_files([path], set_id, jobs=1)
    assert report.changed == [path] and listing(tmp_path) == [path.name]


def test_a_dangling_symlink_is_written_through(article: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to("new.md")
    doc = edited(article)
    assert fq.dump(doc, link) is True
    assert link.is_symlink()
    assert (tmp_path / "new.md").read_bytes() == with_subject(SEED.read_bytes(), "Oncology")


def test_a_lone_surrogate_in_the_body_is_unrepresentable(article: Path) -> None:
    doc = fq.load(article)
    doc.body = "Intro\nbad \udc9d here\n"
    text = doc.dumps()  # a Python string may hold it; bytes may not
    assert text.endswith("bad \udc9d here\n")
    line = text.count("\n", 0, text.index("\udc9d")) + 1
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.to_bytes()
    assert str(caught.value) == (
        f"{article}:{line}:5: a lone surrogate (U+DC9D) cannot be written as UTF-8; not written"
    )
    with pytest.raises(errors.UnrepresentableValueError):
        fq.dump(doc)
    assert article.read_bytes() == SEED.read_bytes()
    assert listing(article.parent) == ["article.md"]


def test_a_lone_surrogate_in_the_front_matter_is_unrepresentable(article: Path) -> None:
    doc = fq.load(article)
    doc["subject"] = "Onco\ud800logy"
    with pytest.raises(errors.UnrepresentableValueError) as caught:
        doc.dumps()
    assert str(caught.value) == (
        f"{article}:22:10: subject: a lone surrogate (U+D800) in a value cannot be written as UTF-8"
    )
    assert doc.position("subject") == (22, 10)
    doc = fq.load(article)
    doc["seo"]["k\udfff"] = "v"
    with pytest.raises(errors.UnrepresentableValueError) as key:
        fq.dump(doc)
    assert key.value.message == "seo: a lone surrogate (U+DFFF) in a key cannot be written as UTF-8"
    assert article.read_bytes() == SEED.read_bytes()


def put_surrogate_in_body(doc: fq.Document) -> None:
    doc.body += "\ud800"


def test_bulk_reports_a_lone_surrogate_and_writes_nothing(article: Path) -> None:
    report = fq.edit_files([article], put_surrogate_in_body, jobs=1)
    assert type(report.failed[article]) is errors.UnrepresentableValueError
    assert article.read_bytes() == SEED.read_bytes()


# -- item 2: "its own file" is recognised by identity, not by spelling ------------------------


def set_subject(doc: fq.Document) -> None:
    doc["subject"] = "Oncology"


def test_check_unchanged_sees_the_file_under_any_spelling(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "link.md"
    link.symlink_to(article.name)
    hard = tmp_path / "hard.md"
    os.link(article, hard)
    for spelling in (
        article.resolve(),
        Path("./article.md"),
        Path("../") / tmp_path.name / "article.md",
        link,
    ):
        doc = fq.load("article.md")
        doc["subject"] = "Oncology"
        changed = with_subject(SEED.read_bytes(), "someone else")
        article.write_bytes(changed)
        with pytest.raises(errors.ConcurrentModificationError):
            fq.dump(doc, spelling, check_unchanged=True)
        assert article.read_bytes() == changed
        article.write_bytes(SEED.read_bytes())
    doc = fq.load("article.md")
    doc["subject"] = "Oncology"
    article.write_bytes(with_subject(SEED.read_bytes(), "someone else"))  # in place: hard.md too
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, hard, check_unchanged=True)


def test_a_copy_written_on_the_way_is_no_false_alarm(article: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.md"
    doc = fq.load(article)
    doc["subject"] = "Draft"
    assert fq.dump(doc, copy) is True
    doc["subject"] = "Oncology"
    assert fq.dump(doc, check_unchanged=True) is True  # the original is as it was loaded
    assert article.read_bytes() == with_subject(SEED.read_bytes(), "Oncology")
    assert copy.read_bytes() == with_subject(SEED.read_bytes(), "Draft")
    doc["subject"] = "Hepatology"
    assert fq.dump(doc, check_unchanged=True) is True  # what it wrote is its new baseline
    article.write_bytes(SEED.read_bytes())
    doc["subject"] = "Cardiology"
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, check_unchanged=True)
    assert article.read_bytes() == SEED.read_bytes()


def test_a_file_that_already_holds_the_edit_becomes_the_baseline(article: Path) -> None:
    doc = edited(article)
    article.write_bytes(with_subject(SEED.read_bytes(), "Oncology"))  # someone made our edit
    assert fq.dump(doc, check_unchanged=True) is False
    doc["subject"] = "Hepatology"
    assert fq.dump(doc, check_unchanged=True) is True
    assert article.read_bytes() == with_subject(SEED.read_bytes(), "Hepatology")


def test_another_file_is_written_without_a_check(article: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.md"
    other.write_bytes(b"---\ntitle: someone else's\n---\n")
    doc = edited(article)
    source = doc.source
    assert fq.dump(doc, other, check_unchanged=True) is True
    assert other.read_bytes() == with_subject(SEED.read_bytes(), "Oncology")
    assert doc.source == source, "writing a copy does not change what its own file held"


def test_a_hard_link_is_checked_but_is_not_the_documents_path(
    article: Path, tmp_path: Path
) -> None:
    hard = tmp_path / "hard.md"
    os.link(article, hard)
    doc = edited(article)
    assert fq.dump(doc, hard, check_unchanged=True) is True  # same file: checked, and unchanged
    # The rename replaced hard.md only: article.md still holds what was loaded, so it is no
    # conflict to write it now.
    assert article.read_bytes() == SEED.read_bytes()
    assert fq.dump(doc, check_unchanged=True) is True
    assert article.read_bytes() == hard.read_bytes()


def test_the_source_follows_the_documents_own_file(article: Path) -> None:
    doc = fq.load(article)
    found = article.stat()
    assert doc.source == files.FileState(
        found.st_size, files.digest(SEED.read_bytes()), found.st_dev, found.st_ino
    )
    assert doc.raw_digest == files.digest(SEED.read_bytes())
    doc["subject"] = "Oncology"
    fq.dump(doc)
    found = article.stat()
    assert doc.source == files.FileState(
        found.st_size, files.digest(article.read_bytes()), found.st_dev, found.st_ino
    )


# -- item 1: check and replace are one step among writers -------------------------------------


@pytest.fixture
def pause_after_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Writer A (a thread) stops right after its check passed, until writer B (another thread)
    is about to take the writers' lock; then A renames. ``start("A")`` marks a thread."""
    roles = threading.local()
    a_checked, b_locking = threading.Event(), threading.Event()
    real_check, real_flock = atomic._check_unchanged, atomic._flock

    def check(*args: Any) -> None:
        real_check(*args)
        if getattr(roles, "name", None) == "A":
            a_checked.set()
            b_locking.wait(HANG)

    def flock(fd: int) -> bool:
        if getattr(roles, "name", None) == "B":
            b_locking.set()
        return real_flock(fd)

    monkeypatch.setattr(atomic, "_check_unchanged", check)
    monkeypatch.setattr(atomic, "_flock", flock)

    def start(name: str) -> None:
        roles.name = name
        if name == "B":
            assert a_checked.wait(HANG), "writer A never reached its check"

    yield start


def test_the_second_of_two_writers_is_refused(
    article: Path, pause_after_check: Callable[[str], None]
) -> None:
    doc_a, doc_b = fq.load(article), fq.load(article)
    doc_a["subject"] = "A"
    doc_b["id"] = 1
    outcome: list[BaseException | bool] = []

    def writer_a() -> None:
        pause_after_check("A")
        try:
            outcome.append(fq.dump(doc_a, check_unchanged=True))
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=writer_a, daemon=True)
    thread.start()
    pause_after_check("B")
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc_b, check_unchanged=True)
    thread.join(HANG)
    assert outcome == [True]
    assert article.read_bytes() == with_subject(SEED.read_bytes(), "A")
    assert listing(article.parent) == ["article.md"]
    again = fq.load(article)  # the loser's lock is gone: a fresh writer goes through
    again["id"] = 1
    assert fq.dump(again, check_unchanged=True) is True


def test_bulk_writers_exclude_each_other_too(
    article: Path, pause_after_check: Callable[[str], None]
) -> None:
    outcome: list[Any] = []

    def run_a() -> None:
        pause_after_check("A")
        outcome.append(fq.edit_files([article], set_subject, jobs=1))

    thread = threading.Thread(target=run_a, daemon=True)
    thread.start()
    pause_after_check("B")
    report_b = fq.edit_files([article], set_id, jobs=1)
    thread.join(HANG)
    assert outcome[0].changed == [article]
    assert report_b.changed == []
    assert type(report_b.failed[article]) is errors.ConcurrentModificationError
    assert article.read_bytes() == with_subject(SEED.read_bytes(), "Oncology")


def set_id(doc: fq.Document) -> None:
    doc["id"] = 1


def test_without_locks_the_write_still_goes_through(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_flock", lambda fd: False)  # Windows, or NFS without flock
    doc = edited(article)
    assert fq.dump(doc, check_unchanged=True) is True
    doc["subject"] = "Hepatology"
    article.write_bytes(SEED.read_bytes())
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, check_unchanged=True)


def test_a_file_removed_meanwhile_is_a_conflict(article: Path) -> None:
    doc = edited(article)
    article.unlink()
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, check_unchanged=True)
    assert listing(article.parent) == []


def test_two_command_runs_in_opposite_orders_never_lose_an_edit(tmp_path: Path) -> None:
    names = [f"{n:02}.md" for n in range(40)]
    for round_ in range(3):
        tree = tmp_path / f"round{round_}"
        tree.mkdir()
        for name in names:
            shutil.copy(SEED, tree / name)
        runs = [
            subprocess.Popen(
                [FQ or "", "set", "--jobs", "1", *order, assignment],
                cwd=tree,
                env=ENV,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for order, assignment in ((names, "subject=A"), (names[::-1], "id=2"))
        ]
        outputs = [run.communicate(timeout=HANG) for run in runs]
        for name in names:
            data = (tree / name).read_bytes()
            has = (b"\nsubject: A\n" in data, b"\nid: 2\n" in data)
            for index, (stdout, stderr) in enumerate(outputs):
                updated = f"updated {name}" in stdout.splitlines()
                refused = any(line.startswith(f"{name}:1:1: E041 ") for line in stderr.splitlines())
                assert updated != refused, (name, index, stdout, stderr)
                assert has[index] == updated, f"{name}: run {index} reported {updated}"
