"""ingest/saved.py: files kept beside the indexes are marked when a load uses them and deleted when no load
has for KEEP_DAYS days."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from assistant.ingest import extracted, parsed, saved
from assistant.ingest.corpus import load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = 86400


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def _corpus(tmp_path: Path) -> Path:
    """A text document and a PDF: one saved structure each, and one extracted text."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "readers" / "article.pdf", folder / "article.pdf")
    (folder / "guide.txt").write_text(
        "Safer recruitment\n\nReferences are checked before an offer is made to any candidate for a post"
        " that involves regular contact with children.\n\nA second paragraph says who checks them.\n",
        encoding="utf-8",
    )
    return folder


def _saved(index: Path) -> list[Path]:
    return sorted((index / extracted.FOLDER).glob("*.json")) + sorted((index / parsed.FOLDER).glob("*.json"))


def test_entries_a_load_uses_are_kept_and_marked_and_unused_old_ones_deleted(tmp_path):
    folder, index = _corpus(tmp_path), tmp_path / "index"
    load_corpus(folder, extracted_dir=index)
    used = _saved(index)
    assert len(used) == 3
    for path in used:
        _age(path, saved.KEEP_DAYS + 5)  # old, but this corpus's: the next load uses them
    stale = [index / extracted.FOLDER / "0ld-text.json", index / parsed.FOLDER / "0ld.json"]
    recent = index / parsed.FOLDER / "recent.json"
    for path in [*stale, recent]:
        path.write_text("{}", encoding="utf-8")
    for path in stale:
        _age(path, saved.KEEP_DAYS + 1)
    _age(recent, saved.KEEP_DAYS - 1)

    load_corpus(folder, extracted_dir=index)

    assert not any(p.exists() for p in stale)
    assert recent.exists()
    assert _saved(index) == sorted([*used, recent])
    for path in used:  # read back, so marked as used now
        assert time.time() - path.stat().st_mtime < DAY


def test_a_load_without_a_folder_deletes_nothing(tmp_path):
    folder, index = _corpus(tmp_path), tmp_path / "index"
    load_corpus(folder, extracted_dir=index)
    for path in _saved(index):
        _age(path, saved.KEEP_DAYS + 1)
    load_corpus(folder)
    assert len(_saved(index)) == 3


def test_temporary_files_of_dead_writers_go_after_an_hour_others_stay(tmp_path):
    (tmp_path / ".tmp-dead").write_text("x")
    (tmp_path / ".tmp-writing").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "sub.json").mkdir()
    for name in (".tmp-dead", "notes.txt", "sub.json"):
        _age(tmp_path / name, saved.KEEP_DAYS + 1)
    os.utime(tmp_path / ".tmp-writing", (time.time() - 1800, time.time() - 1800))
    assert saved.prune(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-writing", "notes.txt", "sub.json"]


def test_a_missing_folder_is_nothing_to_prune(tmp_path):
    assert saved.prune(tmp_path / "never-made") == 0


def test_an_entry_in_a_folder_that_cannot_be_written_is_only_a_warning(tmp_path, caplog, monkeypatch):
    (tmp_path / "old.json").write_text("{}")
    _age(tmp_path / "old.json", saved.KEEP_DAYS + 1)

    def refuse(path):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(saved.os, "unlink", refuse)
    assert saved.prune(tmp_path) == 0
    assert "not deleted" in caplog.text
    saved.mark_used(tmp_path / "gone.json", 0.0)  # a file that is not there: nothing raised


def test_an_entry_is_marked_as_used_at_most_once_a_day(tmp_path):
    entry = tmp_path / "a.json"
    entry.write_text("{}")
    _age(entry, 0.5)
    marked = entry.stat().st_mtime
    saved.mark_used(entry, marked)
    assert entry.stat().st_mtime == marked  # marked half a day ago: no system call
    _age(entry, 2)
    saved.mark_used(entry, entry.stat().st_mtime)
    assert time.time() - entry.stat().st_mtime < 60
