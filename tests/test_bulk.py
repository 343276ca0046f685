"""edit_files: discovery, exact writes, failures that do not stop the run, parallel == serial."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BAD, QUICKTAKES
from hypothesis import given
from hypothesis import strategies as st
from strategies import examples

import frontmatter_qt as fq
from frontmatter_qt import bulk, errors
from frontmatter_qt.fixes import Change

SEED = QUICKTAKES / "000-seed.md"


def copy_tree(source: Path, target: Path) -> Path:
    """A writable copy (the shared corpus is read-only, and copies keep the mode)."""
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


def set_subject(doc: fq.Document) -> None:
    if "subject" in doc:
        doc["subject"] = "Oncology"


def read_article(doc: fq.Document) -> None:
    doc.article.title  # noqa: B018  (validation failures are the point)


def expected_bytes(path: Path, edit: Any) -> bytes:
    doc = fq.load(path)
    edit(doc)
    return doc.to_bytes()


def touch(path: Path, text: str = "---\na: 1\n---\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- discovery --------------------------------------------------------------------------------


def test_directories_are_searched_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("z.md", "a/b.md", "a/c.txt", "a/.hidden/x.md", "sub/deep/y.md", "a/a.md"):
        touch(tmp_path / name)
    found = bulk.find_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "z.md",
        "a/a.md",
        "a/b.md",
        "sub/deep/y.md",
    ]


def test_glob_option_patterns_and_duplicates(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "posts/c.markdown", "posts/d.md"):
        touch(tmp_path / name)
    (tmp_path / "link.md").symlink_to(tmp_path / "a.md")
    rel = lambda paths: [p.relative_to(tmp_path).as_posix() for p in paths]  # noqa: E731
    assert rel(bulk.find_files(tmp_path, glob="*.markdown")) == ["b.markdown", "posts/c.markdown"]
    assert rel(bulk.find_files(tmp_path, glob="posts/*.md")) == ["posts/d.md"]
    pattern = f"{tmp_path}/**/*.md"
    assert rel(bulk.find_files([pattern, tmp_path / "a.md"])) == ["a.md", "posts/d.md"]


def test_exclude_patterns_match_names_directories_and_paths(tmp_path: Path) -> None:
    for name in ("keep.md", "x.draft.md", "drafts/a.md", "content/old/b.md", "content/c.md"):
        touch(tmp_path / name)
    found = bulk.find_files(tmp_path, exclude=["drafts/", "*.draft.md", "content/old/*"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["keep.md", "content/c.md"]


def test_an_empty_exclude_pattern_excludes_nothing(tmp_path: Path) -> None:
    # (found by a hunt: `--exclude ''` or `--exclude /`, e.g. an empty variable in a CI
    # script, was a ValueError traceback from PurePath.match)
    for name in ("a.md", "sub/b.md"):
        touch(tmp_path / name)
    for patterns in ([""], ["/"], ["", "sub"]):
        found = bulk.find_files(tmp_path, exclude=patterns)
        expected = ["a.md"] if "sub" in patterns else ["a.md", "sub/b.md"]
        assert [p.relative_to(tmp_path).as_posix() for p in found] == expected


def test_a_missing_path_is_reported_not_skipped(tmp_path: Path) -> None:
    report = fq.edit_files([tmp_path / "missing.md"], set_subject, jobs=1)
    assert list(report.failed) == [tmp_path / "missing.md"]
    assert isinstance(report.failed[tmp_path / "missing.md"], FileNotFoundError)
    assert report.summary() == "0 files changed, 0 unchanged, 1 failed"


# -- writing ----------------------------------------------------------------------------------


def test_changed_files_are_written_exactly_and_unchanged_ones_untouched(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    expected = {p: expected_bytes(p, set_subject) for p in tree.glob("*.md")}
    (tree / "001-crlf.md").chmod(0o640)
    for path in tree.glob("*.md"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    report = fq.edit_files([tree], set_subject, jobs=1)
    names = [p.name for p in report.changed]
    assert names == [f"{n:03}" + s for n, s in _SUBJECT_FILES]
    assert [p.name for p in report.unchanged] == [
        "018-no-front-matter.md",
        "019-empty-front-matter.md",
        "020-empty-file.md",
    ]
    assert report.failed == {} and report.ok and report.written
    for path, data in expected.items():
        assert path.read_bytes() == data
        touched = path.stat().st_mtime_ns != 1_000_000_000
        assert touched == (path in report.changed)
    assert stat.S_IMODE((tree / "001-crlf.md").stat().st_mode) == 0o640
    assert sorted(p.name for p in tree.iterdir()) == sorted(p.name for p in QUICKTAKES.iterdir())


_SUBJECT_FILES = [
    (0, "-seed.md"),
    (1, "-crlf.md"),
    (2, "-bom.md"),
    (3, "-trailing-newline.md"),
    (4, "-comments.md"),
    (5, "-quoted.md"),
    (6, "-folded-wrapped.md"),
    (7, "-literal-answer.md"),
    (8, "-extra-keys.md"),
    (9, "-many-related.md"),
    (10, "-mojibake.md"),
    (11, "-clean-unicode.md"),
    (12, "-date-string.md"),
    (13, "-datetime.md"),
    (14, "-body-rules.md"),
    (15, "-empty-body.md"),
    (16, "-trailing-ws.md"),
    (17, "-biology.md"),
]


SEED_SUBJECT_DIFF = """\
--- {path}
+++ {path}
@@ -19,7 +19,7 @@
     What role do imaging techniques play in the diagnosis of liver cancer?
 answer: >-
     {answer}
-subject: Medicine
+subject: Oncology
 file_name: what-role-do-imaging-techniques-play-in-the-diagnosis-of-liver-cancer.md
 url: /learn/medicine/questions/{slug}
 score: -1.0
"""
SLUG = "what-role-do-imaging-techniques-play-in-the-diagnosis-of-liver-cancer"


@pytest.mark.parametrize("mode", [fq.WriteMode.DRY_RUN, "dry-run", fq.WriteMode.CHECK, "check"])
def test_dry_run_and_check_write_nothing_and_keep_diffs(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "seed.md"
    path.write_bytes(SEED.read_bytes())
    report = fq.edit_files([path], set_subject, jobs=1, mode=mode)
    assert path.read_bytes() == SEED.read_bytes()
    assert report.changed == [path] and not report.written
    assert report.mode is fq.WriteMode(mode)
    answer = fq.load(SEED).original_text.split("\n")[20].strip()
    expected = SEED_SUBJECT_DIFF.format(path=path, answer=answer, slug=SLUG)
    assert report.diffs() == expected
    assert report.diff(path) == report.diffs()
    assert report.summary() == "1 file would change, 0 unchanged, 0 failed"
    assert report.ok is (mode == "dry-run")


def test_an_unknown_write_mode_is_refused_before_any_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_bytes(SEED.read_bytes())
    with pytest.raises(ValueError, match="'dry_run' is not a valid WriteMode"):
        fq.edit_files([path], overwrite_then_edit, mode="dry_run")
    assert path.read_bytes() == SEED.read_bytes()


def test_diffs_are_kept_for_a_writing_run_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_bytes(SEED.read_bytes())
    report = fq.edit_files([path], set_subject, jobs=1)
    with pytest.raises(ValueError, match="keep_diffs=True"):
        report.diffs()
    path.write_bytes(SEED.read_bytes())
    report = fq.edit_files([path], set_subject, jobs=1, keep_diffs=True)
    assert "+subject: Oncology\n" in report.diffs()
    assert b"subject: Oncology\n" in path.read_bytes()


def test_unified_diff_marks_a_missing_final_newline_and_keeps_crlf() -> None:
    diff = bulk.unified_diff("x.md", b"a: 1\r\nb: 2", b"a: 1\r\nb: 3")
    assert diff == (
        "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a: 1\r\n-b: 2\n"
        "\\ No newline at end of file\n+b: 3\n\\ No newline at end of file\n"
    )


def test_one_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    tree = copy_tree(BAD, tmp_path / "bad")
    good = tree / "good.md"
    good.write_bytes(SEED.read_bytes())
    report = fq.edit_files([tree], set_subject, jobs=1)
    assert report.changed == [good]
    assert len(report.failed) == len(list(BAD.glob("*.md")))
    for path, error in report.failed.items():
        with pytest.raises(errors.FrontMatterError) as direct:
            fq.load(path)
        assert type(error) is type(direct.value)
        assert isinstance(error, errors.FrontMatterError)
        assert (error.path, error.line, error.column) == (
            str(path),
            direct.value.line,
            direct.value.column,
        )
        assert path.read_bytes() == (BAD / path.name).read_bytes()


def overwrite_then_edit(doc: fq.Document) -> None:
    assert doc.path is not None
    doc.path.write_text("---\nsubject: someone else\n---\n")
    doc["subject"] = "Oncology"


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_bytes(SEED.read_bytes())
    report = fq.edit_files([path], overwrite_then_edit, jobs=1)
    assert isinstance(report.failed[path], errors.ConcurrentModificationError)
    assert path.read_text() == "---\nsubject: someone else\n---\n"
    assert [p.name for p in tmp_path.iterdir()] == ["seed.md"]


def test_read_only_files_follow_the_operating_system(tmp_path: Path) -> None:
    path = tmp_path / "seed.md"
    path.write_bytes(SEED.read_bytes())
    path.chmod(0o444)
    refused = fq.edit_files([path], set_subject, jobs=1, respect_read_only=True)
    assert isinstance(refused.failed[path], errors.WriteError)
    assert path.read_bytes() == SEED.read_bytes()
    report = fq.edit_files([path], set_subject, jobs=1)
    if os.access(path, os.W_OK):  # root: like sed -i or black, the write goes through
        assert report.changed == [path]
        assert path.read_bytes() == expected_bytes(SEED, set_subject)
    else:
        assert isinstance(report.failed[path], errors.WriteError)
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


# -- processes --------------------------------------------------------------------------------


def mixed_tree(root: Path) -> Path:
    """Two copies of the quicktakes corpus and the bad corpus: enough files for a pool."""
    copy_tree(QUICKTAKES, root / "a")
    copy_tree(QUICKTAKES, root / "b")
    copy_tree(BAD, root / "bad")
    return root


def _run(
    root: Path, edit: Any, jobs: int, monkeypatch: pytest.MonkeyPatch, executor: Any = None
) -> dict[str, Any]:
    """Run in ``root`` with relative paths, so two trees give comparable reports (an
    ``executor`` is created after the chdir, so its workers see the same relative paths)."""
    monkeypatch.chdir(root)
    report = fq.edit_files(["."], edit, jobs=jobs, executor=executor, keep_diffs=True)
    return {
        "changed": report.changed,
        "unchanged": report.unchanged,
        "failed": [(p, type(e), str(e), vars(e)) for p, e in report.failed.items()],
        "files": {p: p.read_bytes() for p in sorted(Path().rglob("*.md"))},
        "diffs": report.diffs(),
    }


@pytest.mark.parametrize("edit", [set_subject, read_article])
def test_parallel_results_equal_serial_results(
    tmp_path: Path, edit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = _run(mixed_tree(tmp_path / "serial"), edit, 1, monkeypatch)
    parallel = _run(mixed_tree(tmp_path / "parallel"), edit, 2, monkeypatch)
    assert len(serial["files"]) >= bulk.MIN_FILES_FOR_POOL
    assert serial["failed"], "the run must include failures to compare"
    assert serial == parallel


@examples(400)
@given(files=st.integers(0, 20_000), workers=st.integers(1, 64))
def test_chunks_are_even_and_shared_evenly_among_workers(files: int, workers: int) -> None:
    from frontmatter_qt.bulk.executor import _chunks, chunk_count

    count = chunk_count(files, workers)
    chunks = list(_chunks(list(range(files)), count))
    assert [path for chunk in chunks for path in chunk] == list(range(files))
    assert len(chunks) == count and all(chunks)
    sizes = {len(chunk) for chunk in chunks}
    assert max(sizes, default=0) - min(sizes, default=0) <= 1
    assert max(sizes, default=0) <= bulk.MAX_CHUNK
    if files >= workers * 4:  # enough files: at least four chunks each, as many for each
        assert count % workers == 0 and count >= workers * 4
    else:
        assert count == files


def test_workers_are_forked_unless_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from frontmatter_qt.bulk import executor

    monkeypatch.setattr(threading, "active_count", lambda: 1)
    context = executor._start_method()
    assert context is not None and context.get_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert executor._start_method() is None


def test_exceptions_come_back_whole_from_worker_processes(tmp_path: Path) -> None:
    tree = mixed_tree(tmp_path)
    report = fq.edit_files([tree], read_article, jobs=2, mode="dry-run")
    latin1 = report.failed[tree / "bad" / "latin1.md"]
    assert isinstance(latin1, errors.DecodeError) and latin1.byte_offset == 14
    empty = report.failed[tree / "a" / "020-empty-file.md"]
    assert isinstance(empty, errors.ArticleValidationError)
    assert [p.field for p in empty.problems][:3] == ["_schema", "id", "date"]
    assert str(empty).startswith(f"{tree}/a/020-empty-file.md:1:1: _schema: Field required\n")


class Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("cannot travel")
        self.callback = lambda: None


def raise_unpicklable(doc: fq.Document) -> None:
    raise Unpicklable()


def test_an_unpicklable_exception_becomes_a_runtime_error(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    report = fq.edit_files([tree], raise_unpicklable, jobs=2)
    assert len(report.failed) == 21
    for error in report.failed.values():
        assert type(error) is RuntimeError and str(error) == "Unpicklable: cannot travel"
    with pytest.raises(Exception, match="lambda"):
        pickle.dumps(Unpicklable())


def test_a_lambda_runs_with_one_job_after_a_warning(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    with pytest.warns(RuntimeWarning, match="module-level function"):
        report = fq.edit_files([tree], lambda doc: doc.update(score=2.0), jobs=2)
    assert len(report.changed) == 21 and report.ok
    assert b"\nscore: 2.0\n" in (tree / "000-seed.md").read_bytes()


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        fq.edit_files([tmp_path], set_subject, jobs=0)


# -- the library prints nothing ----------------------------------------------------------------


def test_silent_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    script = (
        "import sys, frontmatter_qt as fq\n"
        "r = fq.edit_files([sys.argv[1]], fq.fix_escaped_newlines, jobs=2)\n"
        "print(r.summary())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tree)], capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    assert done.stdout == "17 files changed, 4 unchanged, 0 failed\n"


def test_silent_on_a_terminal_too_and_results_go_to_the_callback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = seed_tree(tmp_path, 3)
    (tmp_path / "03.md").write_text("---\nsubject: [\n---\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    seen: list[tuple[str, str]] = []
    report = fq.edit_files(
        tmp_path, set_subject, jobs=1, on_result=lambda r: seen.append((r.path.name, r.status))
    )
    assert capfd.readouterr() == ("", "")
    assert seen == [
        ("00.md", "changed"),
        ("01.md", "changed"),
        ("02.md", "changed"),
        ("03.md", "failed"),
    ]
    assert report.changed == paths and list(report.failed) == [tmp_path / "03.md"]


def record_worker(doc: fq.Document) -> None:
    doc["worker"] = os.getpid()


def test_jobs_run_the_edit_in_worker_processes(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    report = fq.edit_files([tree], record_worker, jobs=2, mode="dry-run")
    added = [line for line in report.diffs().splitlines() if line.startswith("+worker: ")]
    pids = {int(line.split()[-1]) for line in added}
    assert len(added) == 21 and 1 <= len(pids) <= 2 and os.getpid() not in pids
    serial = fq.edit_files([tree], record_worker, jobs=1, mode="dry-run")
    assert serial.diffs().splitlines().count(f"+worker: {os.getpid()}") == 21


# -- staged writes: one sync per chunk ---------------------------------------------------------


def seed_tree(root: Path, count: int) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = [root / f"{n:02}.md" for n in range(count)]
    for path in paths:
        path.write_bytes(SEED.read_bytes())
    return paths


def test_a_chunk_is_made_durable_once_and_every_file_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    paths = seed_tree(tmp_path, 10)
    calls: list[int] = []
    real = _atomic._syncfs
    assert _atomic._load_syncfs() is not None, "Linux has syncfs"
    monkeypatch.setattr(_atomic, "_syncfs", lambda fd: calls.append(fd) or real(fd))
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("fsync per file in a chunk"))
    monkeypatch.setattr(bulk.task, "sync_directories", lambda dirs: None)
    report = fq.edit_files(paths, set_subject, jobs=1)
    assert report.changed == paths and len(calls) == 1
    assert all(p.read_bytes() == expected_bytes(SEED, set_subject) for p in paths)
    assert sorted(tmp_path.iterdir()) == paths


def test_without_syncfs_each_file_is_fsynced_and_a_failing_one_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    paths = seed_tree(tmp_path, 6)
    monkeypatch.setattr(_atomic, "_syncfs", lambda fd: False)  # syncfs reports an error
    real_fsync, fsynced = os.fsync, []
    bad_inode = None

    def fsync(fd: int) -> None:
        fsynced.append(fd)
        if bad_inode is not None and os.fstat(fd).st_ino == bad_inode:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    real_stage = _atomic.stage_write

    def stage(path: Path, *args: Any, **kwargs: Any) -> _atomic.StagedWrite:
        nonlocal bad_inode
        staged = real_stage(path, *args, **kwargs)
        if path == paths[2]:
            bad_inode = os.fstat(staged.fd).st_ino
        return staged

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(bulk.task, "stage_write", stage)
    report = fq.edit_files(paths, set_subject, jobs=1)
    assert report.changed == paths[:2] + paths[3:]
    assert list(report.failed) == [paths[2]]
    failure = report.failed[paths[2]]
    assert isinstance(failure, errors.WriteError) and "Input/output error" in str(failure)
    assert paths[2].read_bytes() == SEED.read_bytes()
    assert all(p.read_bytes() == expected_bytes(SEED, set_subject) for p in report.changed)
    assert len(fsynced) >= 6
    assert sorted(tmp_path.iterdir()) == paths, "the failed file's temp file is removed"


def test_a_file_changed_after_staging_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    paths = seed_tree(tmp_path, 5)
    real_durable = _atomic._make_durable

    def durable_then_someone_writes(staged: Any) -> Any:
        paths[1].write_text("---\nsubject: someone else\n---\n")
        return real_durable(staged)

    monkeypatch.setattr(_atomic, "_make_durable", durable_then_someone_writes)
    report = fq.edit_files(paths, set_subject, jobs=1)
    assert list(report.failed) == [paths[1]]
    assert isinstance(report.failed[paths[1]], errors.ConcurrentModificationError)
    assert paths[1].read_text() == "---\nsubject: someone else\n---\n"
    assert report.changed == [paths[0], *paths[2:]]
    assert sorted(tmp_path.iterdir()) == paths


def test_a_failing_staging_write_is_reported_and_the_rest_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    paths = seed_tree(tmp_path, 4)
    real_write, writes = _atomic._write_all, []

    def disk_full_for_the_third(fd: int, data: bytes) -> None:
        writes.append(fd)
        if len(writes) == 3:
            raise OSError(28, "No space left on device")
        real_write(fd, data)

    monkeypatch.setattr(_atomic, "_write_all", disk_full_for_the_third)
    report = fq.edit_files(paths, set_subject, jobs=1)
    assert list(report.failed) == [paths[2]]
    assert "No space left on device" in str(report.failed[paths[2]])
    assert paths[2].read_bytes() == SEED.read_bytes()
    assert report.changed == [paths[0], paths[1], paths[3]]
    assert sorted(tmp_path.iterdir()) == paths


class Interrupt:
    """Edits files until the n-th, then raises KeyboardInterrupt (a user's Ctrl-C)."""

    def __init__(self, at: int) -> None:
        self.at, self.seen = at, 0

    def __call__(self, doc: fq.Document) -> None:
        self.seen += 1
        if self.seen == self.at:
            raise KeyboardInterrupt
        set_subject(doc)


def test_an_interrupted_chunk_leaves_no_temp_files_and_no_half_written_file(
    tmp_path: Path,
) -> None:
    paths = seed_tree(tmp_path, 8)
    with pytest.raises(KeyboardInterrupt):
        fq.edit_files(paths, Interrupt(at=5), jobs=1)
    assert sorted(tmp_path.iterdir()) == paths
    # The chunk's first four files were staged, not yet renamed: all still old.
    assert all(p.read_bytes() == SEED.read_bytes() for p in paths)


@pytest.mark.parametrize("at", [0, 3])
def test_an_interruption_between_renames_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    paths = seed_tree(tmp_path, 6)
    real, renamed = _atomic._rename_into_place, []

    def interrupted(write: Any, replaced: list[int]) -> Any:  # Ctrl-C before the at-th rename
        if len(renamed) == at:
            raise KeyboardInterrupt
        renamed.append(write.target)
        return real(write, replaced)

    monkeypatch.setattr(_atomic, "_rename_into_place", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fq.edit_files(paths, set_subject, jobs=1)
    assert sorted(tmp_path.iterdir()) == paths
    assert renamed == paths[:at]
    new = expected_bytes(SEED, set_subject)
    assert [p.read_bytes() == new for p in paths] == [True] * at + [False] * (6 - at)


def test_symlinks_and_spellings_of_one_name_are_found_once(tmp_path: Path) -> None:
    original = touch(tmp_path / "a.md")
    (tmp_path / "c.md").symlink_to(original)
    (tmp_path / "x").mkdir()
    spellings = [tmp_path, original, tmp_path / "x" / ".." / "a.md", os.path.relpath(original)]
    assert bulk.find_files(spellings) == [original]


def test_each_hard_link_is_a_file_of_its_own_and_each_is_edited(tmp_path: Path) -> None:
    # (found by a hunt: the two names were found once, so one was edited, the atomic replace
    # split the link, and the other kept the old front matter without a word)
    original = tmp_path / "a.md"
    original.write_text("---\nsubject: A\n---\n", "utf-8")
    os.link(original, tmp_path / "b.md")
    (tmp_path / "c.md").symlink_to(original)
    (tmp_path / "x").mkdir()
    found = bulk.find_files([tmp_path, tmp_path / "c.md", tmp_path / "x" / ".." / "b.md"])
    assert found == [original, tmp_path / "b.md"]
    report = fq.edit_files([tmp_path], set_subject, jobs=1)
    assert list(report.changed) == [original, tmp_path / "b.md"]
    for name in ("a.md", "b.md", "c.md"):  # c.md: written through, to a.md
        assert (tmp_path / name).read_text("utf-8") == "---\nsubject: Oncology\n---\n"
    # In worker processes, the two names of each file in chunks that may run at once
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    for n in range(20):
        (pairs / f"a{n:02}.md").write_text(f"---\nsubject: {n}\n---\n", "utf-8")
        os.link(pairs / f"a{n:02}.md", pairs / f"b{n:02}.md")
    report = fq.edit_files([pairs], set_subject, jobs=2)
    assert len(report.changed) == 40 and not report.failed
    assert {p.read_text("utf-8") for p in pairs.iterdir()} == {"---\nsubject: Oncology\n---\n"}


# -- any concurrent.futures.Executor ----------------------------------------------------------


def test_a_process_pool_executor_gives_the_serial_results_and_stays_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ProcessPoolExecutor

    serial = _run(mixed_tree(tmp_path / "serial"), set_subject, 1, monkeypatch)
    tree = mixed_tree(tmp_path / "pool")
    monkeypatch.chdir(tree)
    with ProcessPoolExecutor(2) as pool:
        pooled = _run(tree, set_subject, 2, monkeypatch, pool)
        assert pool.submit(os.getpid).result() != os.getpid(), "the caller's pool is still open"
    assert serial["failed"] and serial == pooled


def test_a_dask_cluster_runs_the_edits_in_its_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client, LocalCluster

    serial = _run(mixed_tree(tmp_path / "serial"), set_subject, 1, monkeypatch)
    tree = mixed_tree(tmp_path / "dask")
    monkeypatch.chdir(tree)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        executor = client.get_executor(pure=False)
        on_dask = _run(tree, set_subject, 2, monkeypatch, executor)
        report = fq.edit_files(["."], record_worker, executor=executor, mode="dry-run")
        worker_pids = set(client.run(os.getpid).values())
    assert serial["failed"] and serial == on_dask
    added = [line for line in report.diffs().splitlines() if line.startswith("+worker: ")]
    assert len(added) == len(report.changed) == 2 * 21
    assert {int(line.split()[-1]) for line in added} <= worker_pids
    assert os.getpid() not in worker_pids


# -- the replaced file is closed on a helper thread --------------------------------------------


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_the_lock_is_released_at_once_and_every_descriptor_closed(tmp_path: Path) -> None:
    import fcntl

    from frontmatter_qt.engine import atomic as _atomic

    _atomic._CLOSER.wait()
    before = open_descriptors()
    paths = seed_tree(tmp_path, 70)  # more than a chunk
    report = fq.edit_files(paths, set_subject, jobs=1)
    assert report.changed == paths
    for path in paths:  # no writer's lock is left on any file
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    _atomic._CLOSER.wait()
    assert open_descriptors() == before


def test_the_lock_is_released_at_the_rename_and_the_replaced_file_closed_later(
    tmp_path: Path,
) -> None:
    import fcntl
    import threading

    from frontmatter_qt.engine import atomic as _atomic

    path = touch(tmp_path / "a.md")
    old = os.open(path, os.O_RDONLY)  # the file about to be replaced, as a reader holds it
    staged = _atomic.stage_write(path, b"new")
    gate = threading.Event()
    closer = _atomic._Closer()
    real_close = os.close
    closed_by_helper: list[int] = []

    def slow_close(fd: int) -> None:
        if threading.current_thread().name == "fq-closer":
            gate.wait(60)
            closed_by_helper.append(fd)
        real_close(fd)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_atomic, "_CLOSER", closer)
            patch.setattr(_atomic.os, "close", slow_close)
            assert _atomic.commit_writes([staged]) == [None]
            fcntl.flock(old, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the writer's lock is gone...
            assert closed_by_helper == []  # ...while its descriptor is still open
            gate.set()
            closer.wait()
        [held] = closed_by_helper
        with pytest.raises(OSError):
            os.fstat(held)
        assert path.read_bytes() == b"new"
    finally:
        gate.set()
        os.close(old)


def test_past_the_limit_the_caller_closes_descriptors_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from frontmatter_qt.engine import atomic as _atomic

    closer = _atomic._Closer()
    monkeypatch.setattr(closer, "MAX_PENDING", 2)
    gate = threading.Event()
    real_close = os.close

    def slow_close(fd: int) -> None:
        if threading.current_thread().name == "fq-closer":
            gate.wait(60)
        real_close(fd)

    fds = [os.open(touch(tmp_path / f"{n}.md"), os.O_RDONLY) for n in range(5)]
    monkeypatch.setattr(_atomic.os, "close", slow_close)
    try:
        closer.close(fds)
        for fd in fds[2:]:  # closed by the caller, at once
            with pytest.raises(OSError):
                os.fstat(fd)
        for fd in fds[:2]:  # waiting for the helper
            os.fstat(fd)
    finally:
        gate.set()
        closer.wait()
    for fd in fds[:2]:
        with pytest.raises(OSError):
            os.fstat(fd)


def test_a_forked_child_starts_with_its_own_closer(tmp_path: Path) -> None:
    from frontmatter_qt.engine import atomic as _atomic

    closer = _atomic._Closer()
    fd = os.open(touch(tmp_path / "a.md"), os.O_RDONLY)
    closer._pending.append(fd)  # as if handed over just before a fork
    assert closer._lock.acquire()  # and the lock held by the parent's thread at that moment
    pid = os.fork()
    if pid == 0:  # the child: fresh lock, no thread, the inherited descriptor closed
        closer._after_fork_in_child()
        ok = closer._pending == [] and closer._thread is None and closer._lock.acquire(False)
        try:
            os.fstat(fd)
            ok = False
        except OSError:
            pass
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    closer._lock.release()
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_tally_counts_what_the_report_lists(tmp_path: Path) -> None:
    tree = copy_tree(BAD, tmp_path / "bad")
    (tree / "good.md").write_bytes(SEED.read_bytes())
    (tree / "same.md").write_text("---\nsubject: Oncology\n---\n")
    for mode in fq.WriteMode:
        tally = bulk.Tally(mode)
        for result in fq.iter_edit_files([tree], set_subject, jobs=1, mode="dry-run"):
            tally.add(result)
        report = fq.edit_files([tree], set_subject, jobs=1, mode="dry-run")
        report.mode = mode
        assert (tally.changed, tally.unchanged, tally.failed) == (1, 1, len(report.failed))
        assert (tally.summary(), tally.ok) == (report.summary(), report.ok)
    assert bulk.Tally(fq.WriteMode.CHECK, changed=1).ok is False
    assert bulk.Tally(fq.WriteMode.DRY_RUN, changed=1).summary() == (
        "1 file would change, 0 unchanged, 0 failed"
    )


def test_discovery_keeps_strings_in_paths_spelling(tmp_path: Path, monkeypatch: Any) -> None:
    for name in ("a.md", "sub/b.md"):
        touch(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert bulk.find_file_names(["../" + tmp_path.name, "sub//b.md", ""]) == [
        f"../{tmp_path.name}/a.md",
        f"../{tmp_path.name}/sub/b.md",
    ]
    assert bulk.find_files(["."]) == [Path("a.md"), Path("sub/b.md")]


@pytest.mark.parametrize("spelling", [".", "./", "tree", "tree/", "./tree//", "{abs}", "{abs}/"])
def test_walked_files_are_named_as_pathlib_joins_them(
    tmp_path: Path, monkeypatch: Any, spelling: str
) -> None:
    """Discovery names a walked file ``str(Path(directory, name))`` (normalised once per
    directory, not per file): the same names, however the tree argument is spelled."""
    for name in ("a.md", "sub/b.md", "sub/deeper/c.md"):
        touch(tmp_path / "tree" / name)
    monkeypatch.chdir(tmp_path if spelling.startswith(("tree", "./tree")) else tmp_path / "tree")
    top = spelling.format(abs=tmp_path / "tree")
    expected = [
        str(Path(directory, name))
        for directory, _, names in sorted(os.walk(top))
        for name in sorted(names)
    ]
    assert bulk.find_file_names([top]) == expected
    assert len(expected) == 3


def test_unmatched_arguments_are_named_once_each_file_found_once(tmp_path: Path) -> None:
    for name in ("a.md", "sub/b.md", "empty/notes.txt"):
        touch(tmp_path / name)
    unmatched: list[object] = []
    given = [tmp_path / "sub", f"{tmp_path}//empty/", tmp_path, f"{tmp_path}/*.nothing"]
    found = bulk.find_file_names(given, unmatched=unmatched.append)
    # The tree argument names sub/b.md again: it matched, though nothing new was found.
    assert found == [str(tmp_path / "sub/b.md"), str(tmp_path / "a.md")]
    assert unmatched == [given[1], given[3]]


def test_each_named_file_is_stat_ed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from frontmatter_qt.bulk import discover

    names = [str(touch(tmp_path / f"{n}.md")) for n in range(5)]
    stats: list[object] = []
    real = os.stat

    def counting(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        stats.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(discover.os, "stat", counting)
    assert bulk.find_file_names([*names, names[0]]) == names
    assert stats == [*names, names[0]]


def test_a_run_without_discovery_takes_the_names_as_given(tmp_path: Path) -> None:
    paths = seed_tree(tmp_path / "tree", 3)
    given = [paths[2], paths[0], tmp_path / "tree"]
    report = fq.edit_files(given, set_subject, jobs=1, discover=False)
    assert report.changed == [paths[2], paths[0]] and list(report.failed) == [given[2]]
    assert type(report.failed[given[2]]) is errors.NotARegularFileError
    assert paths[1].read_bytes() == SEED.read_bytes()


# -- problems an edit reports without failing ---------------------------------------------------


def repair_what_can_be(doc: fq.Document) -> list[object]:
    """Sets the subject, and reports a field it could not repair: an error, a diagnostic and
    a value that is no problem (a ``Change`` list is what the fixers return)."""
    doc["subject"] = "Oncology"
    refused = errors.DateParseError("date: not a valid date", line=4, column=7)
    noted = fq.Diagnostic(None, 9, 1, "X001", "noted", severity="warning")
    return [refused, noted, Change(("subject",), 1, "a", "b")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_problems_are_reported_and_the_rest_is_written(tmp_path: Path, jobs: int) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    names = sorted(p.name for p in tree.glob("*.md"))
    report = bulk.edit_files(tree, repair_what_can_be, jobs=jobs)
    assert not report.failed and not report.ok
    assert sorted(p.name for p in report.problems) == names
    path = tree / "000-seed.md"
    assert [(d.path, d.line, d.code, d.message) for d in report.problems[path]] == [
        (str(path), 4, "E030", "date: not a valid date"),
        (str(path), 9, "X001", "noted"),
    ]
    assert fq.load(path)["subject"] == "Oncology"  # written all the same
    assert report.summary() == f"{len(report.changed)} files changed, {len(report.unchanged)} " + (
        f"unchanged, 0 failed, {len(names)} with problems"
    )
    assert report.tally() == bulk.Tally(
        bulk.WriteMode.WRITE, len(report.changed), len(report.unchanged), 0, len(names)
    )
    assert not report.tally().ok


def warn_on_seed(doc: fq.Document) -> list[fq.Diagnostic]:
    """Sets the subject, and warns (only) about the seed article."""
    doc["subject"] = "Oncology"
    if doc.path is None or doc.path.name != "000-seed.md":
        return []
    return [fq.Diagnostic(None, 2, 1, "W001", "a comment stays behind", severity="warning")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_warnings_are_reported_without_failing_the_run(tmp_path: Path, jobs: int) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    report = bulk.edit_files(tree, warn_on_seed, jobs=jobs)
    path = tree / "000-seed.md"
    assert not report.failed and report.ok
    assert [(d.path, d.code, d.severity) for d in report.problems[path]] == [
        (str(path), "W001", "warning")
    ]
    assert list(report.problems) == [path]
    assert report.tally() == bulk.Tally(
        bulk.WriteMode.WRITE, len(report.changed), len(report.unchanged), 0, 0, 1
    )
    assert report.summary().endswith(", 0 failed, 1 with warnings")
    # A file with an error and a warning counts once, with problems; the run fails.
    tally = bulk.Tally()
    tally.add(
        bulk.FileResult(
            path,
            "changed",
            problems=(report.problems[path][0], fq.Diagnostic(str(path), 1, 1, "E030", "bad")),
        )
    )
    assert (tally.problems, tally.warnings, tally.ok) == (1, 0, False)
    assert tally.summary() == "1 file changed, 0 unchanged, 0 failed, 1 with problems"


def test_an_edits_other_return_values_are_not_problems(tmp_path: Path) -> None:
    tree = copy_tree(QUICKTAKES, tmp_path / "qt")
    report = bulk.edit_files(tree, fq.fix_encoding)
    assert report.ok and report.problems == {}
    assert bulk.problems_of(None, SEED) == () and bulk.problems_of("x", SEED) == ()
