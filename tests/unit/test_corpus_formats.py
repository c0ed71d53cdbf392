"""PDF, Word and web pages in the corpus: loaded beside .txt, refused files reported while the rest load,
the extracted text kept with the saved indexes and reused, pages in the index key, citations by page."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from assistant import Assistant, CorpusError, Settings
from assistant.ingest import corpus as corpus_module
from assistant.ingest import extracted as extracted_module
from assistant.ingest.corpus import load_corpus
from assistant.retrieve.store import index_key

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "readers"


def _corpus(tmp_path: Path, *names: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name in names:
        shutil.copyfile(DATA / name, corpus / name)
    return corpus


def _settings(tmp_path: Path) -> Settings:
    s = Settings()
    return dataclasses.replace(
        s, retrieval=dataclasses.replace(s.retrieval, index_dir=str(tmp_path / "index"))
    )


def test_every_format_loads_beside_text_and_bad_files_are_reported(tmp_path):
    corpus = _corpus(
        tmp_path, "two_column.pdf", "policy.docx", "policy_page.html", "scanned.pdf", "encrypted.pdf"
    )
    shutil.copyfile(ROOT / "corpus" / "000_7a47272a2cc29dc3.txt", corpus / "article.txt")
    shutil.copyfile(DATA / "policy_page.html", corpus / "old_page.htm")
    docs, problems = load_corpus(corpus)
    formats = {d.doc_id: d.format for d in docs}
    assert formats == {
        "article": "text",
        "old_page": "html",
        "policy": "docx",
        "policy_page": "html",
        "two_column": "pdf",
    }
    assert sorted(str(p) for p in problems) == [
        "encrypted.pdf: the PDF is encrypted and needs a password; save a copy without one",
        "scanned.pdf: the PDF has no text layer (1 page(s) of images: a scan?); run it through text "
        "recognition (OCR) or ask for a text version",
    ]
    pdf = next(d for d in docs if d.format == "pdf")
    assert len(pdf.pages) == 3 and pdf.title == "Escalation and information sharing: multi-agency procedures"
    assert pdf.author == "Northfield Safeguarding Partnership"
    assert all(d.pages == () for d in docs if d.format != "pdf")


def test_sidecar_metadata_wins_over_the_files_own(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf")
    (corpus / "two_column.yaml").write_text("title: Disagreements procedure\npublisher: Northfield\n")
    (doc,), problems = load_corpus(corpus)
    assert problems == []
    assert (doc.title, doc.author, doc.publisher) == (
        "Disagreements procedure",
        "Northfield Safeguarding Partnership",  # from the PDF, which the sidecar does not override
        "Northfield",
    )


def test_extracted_text_is_saved_and_reused_without_reading_the_file_again(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, "two_column.pdf", "policy.docx")
    saved = tmp_path / "index"
    first, _ = load_corpus(corpus, extracted_dir=saved)
    assert len(list((saved / "extracted").glob("*.json"))) == 2

    def no_reading(path, **kwargs):
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(extracted_module, "read", no_reading)
    again, problems = load_corpus(corpus, extracted_dir=saved)
    assert problems == []
    assert [(d.text, d.pages, d.metadata) for d in again] == [(d.text, d.pages, d.metadata) for d in first]


def test_a_changed_file_is_read_again(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf")
    saved = tmp_path / "index"
    load_corpus(corpus, extracted_dir=saved)
    shutil.copyfile(DATA / "policy.pdf", corpus / "two_column.pdf")
    (doc,), _ = load_corpus(corpus, extracted_dir=saved)
    assert doc.text.startswith("Safeguarding and child protection policy")
    assert len(list((saved / "extracted").glob("*.json"))) == 2


def test_damaged_saved_text_is_read_again_not_trusted(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf")
    saved = tmp_path / "index"
    (expected,), _ = load_corpus(corpus, extracted_dir=saved)
    (json_file,) = (saved / "extracted").glob("*.json")
    json_file.write_text('{"text": "", "pages": [')
    (doc,), problems = load_corpus(corpus, extracted_dir=saved)
    assert problems == [] and doc.text == expected.text


def test_refusals_are_not_saved(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path, "scanned.pdf", "two_column.pdf")
    saved = tmp_path / "index"
    _, problems = load_corpus(corpus, extracted_dir=saved)
    assert [str(p).split(":")[0] for p in problems] == ["scanned.pdf"]
    assert len(list((saved / "extracted").glob("*.json"))) == 1


def test_index_key_covers_page_boundaries(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf")
    (doc,), _ = load_corpus(corpus)
    assistant = Assistant([doc], _settings(tmp_path))
    key = index_key(assistant.index.passages, {"x": 1})
    doc.pages = (0, doc.pages[1] + 1, doc.pages[2])
    assert index_key(assistant.index.passages, {"x": 1}) != key


def test_pdf_citation_names_its_page(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf", "policy.docx")
    assistant = Assistant.from_directory(corpus, _settings(tmp_path))
    answer = assistant.ask("Where are records of every escalation kept?")
    assert answer.status == "answered"
    (citation,) = answer.citations
    assert citation.document_id == "two_column"
    assert citation.page == 3
    assert citation.locator.startswith("page 3, paragraph ")
    assert answer.to_dict()["citations"][0]["page"] == 3
    passage = assistant.passage(citation.passage_id)
    assert passage.page == 3 and passage.locator.startswith("page 3, ")
    other = assistant.ask("Who is the designated safeguarding lead?", documents=["policy"])
    assert other.citations and all(c.page is None for c in other.citations)
    assert not other.citations[0].locator.startswith("page")


def test_unreadable_file_error_is_a_corpus_error_in_error_mode(tmp_path):
    corpus = _corpus(tmp_path, "two_column.pdf", "truncated.pdf")
    settings = _settings(tmp_path)
    with pytest.raises(CorpusError, match="truncated.pdf: the PDF is incomplete"):
        Assistant.from_directory(corpus, settings)


def test_suffixes_of_the_loader_are_the_readers(tmp_path):
    assert set(corpus_module.DOCUMENT_SUFFIXES) == {".txt", ".md", ".pdf", ".docx", ".html", ".htm"}
