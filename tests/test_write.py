"""Law 4 and file writes: verified output, atomic replace, nothing written on any failure."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import QUICKTAKES

import frontmatter_qt as fq
from frontmatter_qt import errors
from frontmatter_qt.formats.yaml import patches as _patches


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    path.write_bytes((QUICKTAKES / "000-seed.md").read_bytes())
    return path


def test_dump_writes_only_the_edit(article: Path) -> None:
    before = article.read_bytes()
    doc = fq.load(article)
    doc["subject"] = "Oncology"
    assert fq.dump(doc) is True
    assert article.read_bytes() == before.replace(
        b"subject: Medicine\nfile", b"subject: Oncology\nfile"
    )
    assert list(article.parent.iterdir()) == [article], "no temporary file left behind"


def test_unchanged_document_is_not_rewritten(article: Path) -> None:
    os.utime(article, (1_000_000, 1_000_000))
    assert fq.dump(fq.load(article)) is False
    assert article.stat().st_mtime == 1_000_000


def test_mode_is_kept(article: Path) -> None:
    article.chmod(0o640)
    doc = fq.load(article)
    doc["id"] = 1
    fq.dump(doc)
    assert stat.S_IMODE(article.stat().st_mode) == 0o640


def test_symlink_is_written_through(article: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(article)
    doc = fq.load(link)
    doc["id"] = 2
    fq.dump(doc)
    assert link.is_symlink()
    assert b"\nid: 2\n" in article.read_bytes()


def test_read_only_file_is_refused_when_asked(article: Path) -> None:
    article.chmod(0o444)
    before = article.read_bytes()
    doc = fq.load(article)
    doc["id"] = 3
    with pytest.raises(errors.WriteError, match="read-only") as caught:
        fq.dump(doc, respect_read_only=True)
    assert caught.value.path == str(article)
    assert article.read_bytes() == before
    assert list(article.parent.iterdir()) == [article]


def test_read_only_file_is_refused_for_a_user_who_may_not_write_it(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The suite runs as root (as CI does) and the interpreter lives under /root, out of reach
    # of an unprivileged user; so the OS's answer for such a user is simulated.
    article.chmod(0o444)
    before = article.read_bytes()
    doc = fq.load(article)
    doc["id"] = 3
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(errors.WriteError, match="read-only"):
        fq.dump(doc)
    assert article.read_bytes() == before
    assert list(article.parent.iterdir()) == [article]


def test_root_writes_a_read_only_file_like_sed_and_keeps_its_mode(article: Path) -> None:
    article.chmod(0o444)
    doc = fq.load(article)
    doc["id"] = 3
    if os.geteuid() != 0:
        with pytest.raises(errors.WriteError):
            fq.dump(doc)
        return
    fq.dump(doc)
    assert b"\nid: 3\n" in article.read_bytes()
    assert stat.S_IMODE(article.stat().st_mode) == 0o444


def test_disk_full_leaves_the_original(article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = article.read_bytes()
    doc = fq.load(article)
    doc["id"] = 4

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(errors.WriteError, match="No space left on device"):
        fq.dump(doc)
    assert article.read_bytes() == before
    assert list(article.parent.iterdir()) == [article]


def test_concurrent_change_is_not_overwritten(article: Path) -> None:
    doc = fq.load(article)
    doc["id"] = 5
    article.write_bytes(article.read_bytes() + b"\nedited elsewhere")
    with pytest.raises(errors.ConcurrentModificationError):
        fq.dump(doc, check_unchanged=True)
    assert article.read_bytes().endswith(b"edited elsewhere")


def test_write_adopts_new_text_and_can_write_again(article: Path) -> None:
    doc = fq.load(article)
    doc["id"] = 6
    fq.dump(doc, check_unchanged=True)
    doc["id"] = 7
    fq.dump(doc, check_unchanged=True)
    assert b"\nid: 7\n" in article.read_bytes()
    assert doc.original_text == article.read_text("utf-8")


def test_wrong_rendering_raises_and_writes_nothing(
    article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = article.read_bytes()
    doc = fq.load(article)
    doc["subject"] = "Oncology"
    real = _patches.emit_value

    def off_by_one(value: Any, *args: Any, **kwargs: Any) -> str:
        return real(value + "!" if isinstance(value, str) else value, *args, **kwargs)

    monkeypatch.setattr(_patches, "emit_value", off_by_one)
    with pytest.raises(errors.RoundTripError, match="re-parse to different data at subject "):
        fq.dump(doc)
    assert article.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "wrong", "cause", "where"),
    [
        (
            "---\na: 1\nb: 2\n---\n",
            "---\na: 1\nb: 4\n---\n",
            "an edited anchor with aliases, or a value the engine cannot write faithfully",
            (3, 4),
        ),
        (
            "+++\na = 1\nb = 2\n+++\n",
            "+++\na = 1\nb = 4\n+++\n",
            "a value the engine cannot write faithfully in TOML",
            (3, 5),
        ),
        (
            '{"a": 1, "b": 2}\n',
            '{"a": 1, "b": 4}\n',
            "a value the engine cannot write faithfully in JSON",
            (1, 15),
        ),
    ],
)
def test_a_wrong_output_is_refused_in_the_formats_words_at_the_key(
    text: str, wrong: str, cause: str, where: tuple[int, int]
) -> None:
    """Verification's refusal names anchors and aliases only where they exist (YAML), and is
    placed at the value as loaded."""
    doc = fq.loads(text, path="post.md")
    doc["b"] = 3
    with pytest.raises(errors.RoundTripError) as caught:
        doc._verify(wrong)
    assert caught.value.message == (
        f"refusing to write: the output would re-parse to different data at b ({cause})"
    )
    assert (caught.value.path, caught.value.line, caught.value.column) == ("post.md", *where)


@pytest.mark.parametrize("text", ["---\na: 1\n---\n", "+++\na = 1\n+++\n", '{"a": 1}\n'])
def test_an_edit_the_editor_drops_is_refused_not_returned_as_the_old_text(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that answers an edit with a patch that changes nothing (a TOML inline table's
    dotted keys once did) made dumps return the loaded text unverified, the edit lost without a
    word: patches now always go through verification, however little they change."""
    from frontmatter_qt.engine.patch import Patch

    target = tmp_path / "post.md"
    target.write_text(text)
    doc = fq.load(target)
    doc["a"] = 2
    fmt = type(doc._format)
    monkeypatch.setattr(fmt, "patches", lambda self, *args: [Patch(0, 0, "")])
    for write in (doc.dumps, doc.to_bytes, lambda: fq.dump(doc)):
        with pytest.raises(errors.RoundTripError, match="re-parse to different data at a "):
            write()
    assert target.read_text() == text


def test_unparseable_rendering_raises(monkeypatch: pytest.MonkeyPatch, seed: str) -> None:
    doc = fq.loads(seed)
    doc["subject"] = "Oncology"
    monkeypatch.setattr(_patches, "emit_value", lambda *a, **k: " [unclosed")
    with pytest.raises(errors.RoundTripError, match="would not parse") as caught:
        doc.dumps()
    assert (caught.value.line, caught.value.column) == (22, 10)  # subject's unclosed [
    assert "this `[` list is not closed" in caught.value.message


def test_dump_needs_a_path(seed: str) -> None:
    with pytest.raises(errors.FrontMatterError, match="no path"):
        fq.dump(fq.loads(seed))


def test_dump_to_new_path(tmp_path: Path, seed: str) -> None:
    target = tmp_path / "new.md"
    doc = fq.loads(seed)
    assert fq.dump(doc, target) is True
    assert target.read_text("utf-8") == seed
    assert fq.dumps(doc) == seed


def test_aliases_of_an_edited_anchor_keep_their_values() -> None:
    text = "---\ntitle: &t Old # c\nseo:\n  title: *t\n  other: *t\n---\n"
    doc = fq.loads(text)
    doc["title"] = "New"
    assert doc.dumps() == "---\ntitle: &t New # c\nseo:\n  title: Old\n  other: Old\n---\n"
    doc["seo"]["title"] = "New"
    assert doc.dumps() == "---\ntitle: &t New # c\nseo:\n  title: New\n  other: Old\n---\n"
    untouched = fq.loads(text)
    untouched["seo"]["other"] = "x"
    assert untouched.dumps() == text.replace("  other: *t", "  other: x")
