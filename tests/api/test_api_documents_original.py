"""The original file of a document (/documents/<id>/original), page marks in the reader view, and a
running app picking up `python -m assistant add` without a restart."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from assistant.__main__ import add_files
from web import create_app
from web.security import HEADERS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "readers"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copyfile(DATA / "two_column.pdf", folder / "escalation.pdf")
    shutil.copyfile(DATA / "policy.docx", folder / "policy.docx")
    shutil.copyfile(DATA / "policy_page.html", folder / "page.html")
    return folder


@pytest.fixture
def client(config, corpus):
    app = create_app(
        {
            "TESTING": True,
            "ASSISTANT_CONFIG": str(config),
            "ASSISTANT_CORPUS": str(corpus),
            "ASSISTANT_RELOAD_SECONDS": 0,
        }
    )
    return app.test_client()


def test_pdf_original_is_served_inline_with_security_headers(client, corpus):
    response = client.get("/documents/escalation/original")
    body = response.data
    response.close()  # the file it streams
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "inline; filename=escalation.pdf"
    assert body == (corpus / "escalation.pdf").read_bytes()
    for name, value in HEADERS.items():
        assert response.headers[name] == value


@pytest.mark.parametrize(
    ("doc_id", "mimetype", "name"),
    [
        ("policy", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "policy.docx"),
        ("page", "text/html", "page.html"),  # downloaded, never shown: its scripts never run here
    ],
)
def test_other_originals_are_downloads(client, doc_id, mimetype, name):
    response = client.get(f"/documents/{doc_id}/original")
    response.close()
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/documents/nope/original",
        "/documents/../original",
        "/documents/..%2F..%2Fetc%2Fpasswd/original",
        "/documents/%2e%2e/original",
        "/documents/escalation/../../config.yaml",
        "/documents/escalation.pdf/original",
    ],
)
def test_no_path_reaches_another_file(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"%PDF" not in response.data and b"index_dir" not in response.data


def test_original_gone_from_disk_is_a_404(client, corpus):
    (corpus / "escalation.pdf").unlink()
    assert client.get("/documents/escalation/original").status_code == 404


def test_reader_view_marks_pages_and_links_into_the_pdf(client):
    answer = client.post(
        "/api/ask", json={"question": "Where are records of every escalation kept?"}
    ).get_json()
    (citation,) = answer["citations"]
    assert citation["page"] == 3 and citation["locator"].startswith("page 3, paragraph")
    query = {"passage": citation["passage_id"], "start": citation["start"], "end": citation["end"]}
    page = client.get("/documents/escalation", query_string=query).get_data(as_text=True)
    assert 'id="page-2">page 2' in page and 'id="page-3">page 3' in page
    assert 'href="/documents/escalation/original#page=3">Open the PDF at page 3</a>' in page
    assert 'href="/documents/escalation/original#page=2">open in the PDF</a>' in page
    assert "at page 3, paragraph" in page


def test_reader_view_of_a_word_file_has_no_page_marks(client):
    page = client.get("/documents/policy").get_data(as_text=True)
    assert "page-mark" not in page and "/original" not in page


def test_openapi_documents_the_page_and_the_original(client):
    spec = client.get("/api/openapi.json").get_json()
    assert "/documents/{document_id}/original" in spec["paths"]
    assert spec["components"]["schemas"]["Citation"]["properties"]["page"]["nullable"] is True


def test_running_app_picks_up_an_added_document_without_dropping_requests(client, corpus, config, capsys):
    question = {"question": "Who is the designated safeguarding lead?", "documents": ["riverside"]}
    assert client.post("/api/ask", json=question).status_code == 400  # no such document yet
    shutil.copyfile(DATA / "policy_python_docx.docx", corpus.parent / "riverside.docx")
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            statuses.append(
                client.post("/api/ask", json={"question": "Who must be told the same day?"}).status_code
            )

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        assert add_files([str(corpus.parent / "riverside.docx")], corpus=str(corpus), config=str(config)) == 0
        deadline = time.monotonic() + 30
        ids: list[str] = []
        while time.monotonic() < deadline and "riverside" not in ids:
            ids = [d["document_id"] for d in client.get("/api/documents").get_json()["documents"]]
            time.sleep(0.05)
    finally:
        stop.set()
        asker.join()
    assert "riverside" in ids
    answer = client.post("/api/ask", json=question).get_json()
    assert answer["status"] == "answered" and "Priya Shah" in answer["answer"]
    assert statuses and set(statuses) == {200}  # every request during the reload was answered
