"""ingest/parsed.py: a document's recovered structure, saved beside the indexes and read back exactly."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from assistant.ingest import parsed
from assistant.ingest.corpus import load_corpus
from assistant.ingest.document import Document

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "corpus", *(DATA / name for name in ("allegations", "corpus", "fostering", "policy"))]


def _shape(doc: Document) -> tuple:
    passages = [
        (p.passage_id, p.number, p.section, p.kind, p.start, p.end, p.text, tuple(p.sentences))
        for p in doc.passages
    ]
    front = (doc.front.start, doc.front.end, doc.front.text) if doc.front else None
    return doc.doc_id, doc.text, doc.metadata, doc.excluded, front, doc.path, passages


def _readable_documents(tmp_path: Path) -> Path:
    """The PDF, Word and web page fixtures that read, in a folder of their own."""
    folder = tmp_path / "readers"
    folder.mkdir()
    for name in ("article.docx", "article.html", "article.pdf", "policy.pdf", "policy_page.html"):
        shutil.copy(DATA / "readers" / name, folder / name)
    return folder


@pytest.mark.parametrize("folder", [*FOLDERS, None], ids=[f.name for f in FOLDERS] + ["readers"])
def test_documents_read_back_are_those_recovered_anew(folder, tmp_path):
    folder = folder or _readable_documents(tmp_path)
    fresh, _ = load_corpus(folder)
    first, _ = load_corpus(folder, extracted_dir=tmp_path / "index")
    saved = sorted((tmp_path / "index" / parsed.FOLDER).glob("*.json"))
    assert len(saved) == len(fresh)
    again, _ = load_corpus(folder, extracted_dir=tmp_path / "index")
    assert [_shape(d) for d in first] == [_shape(d) for d in fresh] == [_shape(d) for d in again]
    assert [(d.pages, d.format) for d in again] == [(d.pages, d.format) for d in fresh]


def _parse(root: Path, text: str, metadata: dict | None = None) -> Document:
    return parsed.parse_saved("guide", text, metadata or {}, root=root)


TEXT = (
    "Safer recruitment\n\nBy A. Writer\n\nReferences are checked before an offer is made to any candidate for"
    " a post that involves regular contact with children or young people. Who checks them?\n"
)


def test_it_is_read_back_not_recovered_again(tmp_path, monkeypatch):
    _parse(tmp_path, TEXT)
    monkeypatch.setattr(Document, "from_text", classmethod(lambda *a, **k: pytest.fail("recovered again")))
    doc = _parse(tmp_path, TEXT)
    assert doc.metadata["title"] == "Safer recruitment" and doc.front is not None
    assert [s.is_question for s in doc.passages[0].sentences] == [False, True]


@pytest.mark.parametrize(
    "change",
    [
        lambda text, meta: (text.replace("offer", "interview"), meta),
        lambda text, meta: (text, {"title": "Recruitment policy"}),
    ],
    ids=["text", "metadata"],
)
def test_another_text_or_metadata_is_recovered_anew(tmp_path, change):
    _parse(tmp_path, TEXT)
    text, meta = change(TEXT, {})
    doc = _parse(tmp_path, text, meta)
    assert _shape(doc) == _shape(Document.from_text("guide", text, meta))
    assert len(list((tmp_path / parsed.FOLDER).glob("*.json"))) == 2


def test_another_structure_code_is_recovered_anew(tmp_path, monkeypatch):
    _parse(tmp_path, TEXT)
    monkeypatch.setattr(parsed, "structure_version", lambda: "another")
    _parse(tmp_path, TEXT)
    assert len(list((tmp_path / parsed.FOLDER).glob("*.json"))) == 2


def _damage(tmp_path: Path, edit) -> Path:
    (saved,) = (tmp_path / parsed.FOLDER).glob("*.json")
    saved.write_text(edit(saved.read_text(encoding="utf-8")), encoding="utf-8")
    return saved


def _out_of_text(raw: str) -> str:
    data = json.loads(raw)
    data["passages"][0][4] = 10**6  # the first passage ends past the text
    return json.dumps(data)


@pytest.mark.parametrize(
    "edit",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: "[]",
        _out_of_text,
        lambda raw: raw.replace('"passages"', '"p"'),
        lambda raw: raw.replace('"found":{', '"found":[{').replace('},"excluded"', '}],"excluded"'),
    ],
    ids=["truncated", "not an object", "span outside the text", "missing key", "a list for an object"],
)
def test_a_damaged_saved_structure_is_recovered_again_with_a_warning(tmp_path, caplog, edit):
    _parse(tmp_path, TEXT)
    _damage(tmp_path, edit)
    with caplog.at_level(logging.WARNING, logger="assistant.ingest.parsed"):
        doc = _parse(tmp_path, TEXT)
    assert _shape(doc) == _shape(Document.from_text("guide", TEXT, {}))
    assert "saved structure unreadable" in caplog.text


def test_a_folder_that_cannot_be_written_is_only_a_warning(tmp_path, caplog):
    blocker = tmp_path / "index"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="assistant.ingest.parsed"):
        doc = _parse(blocker, TEXT)
    assert _shape(doc) == _shape(Document.from_text("guide", TEXT, {}))
    assert "not saved" in caplog.text


def test_without_a_folder_nothing_is_saved(tmp_path):
    doc = parsed.parse_saved("guide", TEXT, {}, root=None)
    assert _shape(doc) == _shape(Document.from_text("guide", TEXT, {}))
    assert list(tmp_path.iterdir()) == []


def test_the_version_covers_the_structure_code():
    version = parsed.structure_version()
    assert len(version) == 16 and int(version, 16) >= 0
    package = Path(parsed.__file__).resolve().parents[1]
    assert all((package / name).is_file() for name in parsed._SOURCES)


def test_text_that_utf_8_cannot_write_is_recovered_but_not_saved(tmp_path, caplog):
    text = TEXT.replace("recruitment", "recruitment \ud800")  # in the title; valid in a str, not in UTF-8
    with caplog.at_level(logging.WARNING, logger="assistant.ingest.parsed"):
        doc = _parse(tmp_path, text)
    assert _shape(doc) == _shape(Document.from_text("guide", text, {}))
    assert "not saved" in caplog.text and not list((tmp_path / parsed.FOLDER).glob("*.json"))


def test_metadata_json_cannot_hold_is_given_again_not_saved(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "guide.txt").write_text(TEXT, encoding="utf-8")
    (folder / "guide.yaml").write_text("publisher: NSPCC\npublished: 2024-01-05\n", encoding="utf-8")
    fresh, _ = load_corpus(folder)
    first, _ = load_corpus(folder, extracted_dir=tmp_path / "index")
    again, _ = load_corpus(folder, extracted_dir=tmp_path / "index")
    assert [_shape(d) for d in first] == [_shape(d) for d in fresh] == [_shape(d) for d in again]
    assert str(again[0].metadata["published"]) == "2024-01-05" and again[0].metadata["title"]
    assert len(list((tmp_path / "index" / parsed.FOLDER).glob("*.json"))) == 1
