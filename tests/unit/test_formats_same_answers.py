"""The bundled article as PDF (LibreOffice, with running header and page-number footer), Word and a saved
web page (tests/data/readers/article.*, made by tools/make_reader_fixtures.py --article) answers the dev
and held-out sets exactly as the .txt does: same status, same quoted words. Only locators may differ,
by the page a PDF names."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "readers"
ARTICLE = "000_7a47272a2cc29dc3"
QUESTIONS = [
    q
    for name in ("dev.yaml", "heldout.yaml")
    for q in yaml.safe_load((ROOT / "questions" / name).read_text(encoding="utf-8"))["questions"]
]

pytestmark = pytest.mark.slow


def _answers(assistant: Assistant) -> dict[str, tuple]:
    out = {}
    for q in QUESTIONS:
        answer = assistant.ask(q["question"], q.get("history", []))
        # Words as quoted: a PDF's line breaks and a web page's spacing may differ, the words may not.
        quotes = tuple(" ".join(c.quote.split()) for c in answer.citations)
        out[q["id"]] = (answer.status, quotes, answer.citations)
    return out


@pytest.fixture(scope="module")
def text_answers(assistant) -> dict[str, tuple]:
    return _answers(assistant)


def _assistant_on(fmt: str, tmp_path: Path) -> Assistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(DATA / f"article.{fmt}", corpus / f"{ARTICLE}.{fmt}")
    # The same sidecar as the .txt (its publisher is in no file format's own metadata).
    shutil.copyfile(ROOT / "corpus" / f"{ARTICLE}.yaml", corpus / f"{ARTICLE}.yaml")
    settings = Settings()
    settings = dataclasses.replace(
        settings, retrieval=dataclasses.replace(settings.retrieval, index_dir=str(tmp_path / "index"))
    )
    return Assistant.from_directory(corpus, settings)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_every_dev_and_heldout_answer_is_the_same(fmt, tmp_path, text_answers):
    assistant = _assistant_on(fmt, tmp_path)
    (doc,) = assistant.documents.values()
    assert doc.format == fmt
    got = _answers(assistant)
    differ = {k: (text_answers[k][:2], got[k][:2]) for k in text_answers if text_answers[k][:2] != got[k][:2]}
    assert differ == {}
    answered = sum(1 for status, *_ in got.values() if status == "answered")
    assert answered > 200  # the comparison covers real answers, not a set of refusals
    for _status, _quotes, citations in got.values():
        for c in citations:
            if c.source == "text":
                assert c.quote == doc.text[c.start : c.end]  # verbatim: a slice of the extracted text
            if fmt == "pdf" and c.source == "text":
                assert c.page == doc.page_at(c.start) and c.page >= 1
                assert c.locator.startswith(f"page {c.page}, ")
            else:
                assert c.page is None and not c.locator.startswith("page ")


def test_pdf_article_has_its_pages_and_no_running_header(tmp_path):
    assistant = _assistant_on("pdf", tmp_path)
    (doc,) = assistant.documents.values()
    assert len(doc.pages) == 5
    assert "NSPCC | Managing sex offenders" not in doc.text
    # The footer's page numbers ("Page 3") are not in the text either.
    assert not any(block.strip().startswith("Page ") for block in doc.text.split("\n\n"))
    pages_of_passages = [p.page for p in doc.passages]
    assert pages_of_passages == sorted(pages_of_passages)
    assert pages_of_passages[0] == 1 and pages_of_passages[-1] == 5
