"""A PDF in the corpus, in headless Chromium: the citation names its page, the reader view marks the
pages and links to the PDF at the quote's page. UPDATE_DOCS_SCREENSHOT=1 refreshes docs/pdf-citation.png."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from assistant import Assistant, Settings
from web import create_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOT = ROOT / "docs" / "pdf-citation.png"
QUESTION = "What is COSA?"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory):
    """The app on a corpus of the bundled article as a PDF (tests/data/readers/article.pdf)."""
    tmp = tmp_path_factory.mktemp("pdf")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copyfile(ROOT / "tests" / "data" / "readers" / "article.pdf", corpus / "sex-offenders.pdf")
    shutil.copyfile(ROOT / "corpus" / "000_7a47272a2cc29dc3.yaml", corpus / "sex-offenders.yaml")
    settings = Settings()
    settings = dataclasses.replace(
        settings, retrieval=dataclasses.replace(settings.retrieval, index_dir=str(tmp / "index"))
    )
    server = make_server(
        "127.0.0.1", 0, create_app(assistant=Assistant.from_directory(corpus, settings)), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_pdf_citation_opens_the_reader_at_its_page(page, pdf_server, console, output_path):
    page.goto(pdf_server + "/")
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    turn = page.locator("#thread .turn").nth(0)
    turn.wait_for()
    link = turn.locator("a.citation-link")
    expect(link).to_contain_text(re.compile(r"page \d, paragraph \d+"))
    number = re.search(r"page (\d)", link.inner_text()).group(1)
    link.click()
    expect(page).to_have_url(re.compile(r"/documents/sex-offenders\?passage=.+#quoted$"))
    expect(page.locator(".passage.cited mark")).to_be_in_viewport()
    to_pdf = page.get_by_role("link", name=f"Open the PDF at page {number}")
    expect(to_pdf).to_have_attribute("href", f"/documents/sex-offenders/original#page={number}")
    expect(page.locator(f"#page-{number}")).to_contain_text(f"page {number}")
    expect(page.locator(".page-mark")).to_have_count(4)  # pages 2 to 5 start in the text
    original = page.request.get(pdf_server + "/documents/sex-offenders/original")
    assert original.status == 200 and original.headers["content-type"] == "application/pdf"
    assert original.body()[:5] == b"%PDF-"
    # The picture: the page mark, then the quote, as the citation opens them.
    page.set_viewport_size({"width": 1000, "height": 760})
    page.locator(f"#page-{number}").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -120)")
    shot = Path(output_path) / "pdf-citation.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        DOCS_SCREENSHOT.write_bytes(shot.read_bytes())
    assert console == {"console": [], "pageerror": [], "dialog": []}
