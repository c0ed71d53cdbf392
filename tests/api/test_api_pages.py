"""The HTML pages: chat page, reader view with the quote marked, notice everywhere, no inline code."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from assistant import Assistant
from web import create_app
from web.reader import reader_blocks

NOTICE = "This tool does not replace professional judgement"


@pytest.mark.parametrize("url", ["/", "/documents/000_7a47272a2cc29dc3", "/no-such-page"])
def test_notice_is_on_every_page(client, url):
    assert NOTICE in client.get(url).get_data(as_text=True)


def test_chat_page_has_starters_a_labelled_input_and_the_documents(client, assistant):
    html = client.get("/").get_data(as_text=True)
    for question in assistant.settings.web.starter_questions:
        assert f'class="starter">{question}</button>' in html
    assert '<label for="question">' in html
    assert 'id="thread" class="thread" role="log" aria-live="polite"' in html
    assert "Jon Brown" in html


@pytest.mark.parametrize(
    "url", ["/", "/documents/000_7a47272a2cc29dc3?passage=000_7a47272a2cc29dc3%234&start=1115&end=1200"]
)
def test_pages_use_one_script_and_one_stylesheet_and_nothing_inline(client, url):
    html = client.get(url).get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/app.js" defer>']
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/app.css"]
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "http://" not in html and "https://" not in html


def test_reader_marks_the_quote_and_outlines_the_cited_passage(client, assistant, doc_id):
    passage = assistant.passage(f"{doc_id}#4")
    start, end = passage.sentences[0].start, passage.sentences[0].end
    url = f"/documents/{doc_id}?passage={doc_id}%234&start={start}&end={end}"
    html = client.get(url).get_data(as_text=True)
    quote = assistant.document(doc_id).text[start:end]
    assert f'<span class="quoted-label" id="quoted" tabindex="-1">Quoted</span> <mark>{quote}</mark>' in html
    assert html.count("<mark>") == 1
    assert 'class="passage cited" id="cited"' in html
    assert "in paragraph 4" in html


def test_reader_shows_the_whole_document(client, assistant, doc_id):
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")
    words = " ".join(text.split())
    for passage in assistant.document(doc_id).passages:
        assert " ".join(passage.text.split()) in words


@pytest.mark.parametrize(
    "query",
    [
        "start=abc&end=10",
        "start=10&end=5",
        "start=-1&end=5",
        "start=0&end=99999999",
        "start=5",
        "passage=nope",
    ],
)
def test_reader_ignores_a_bad_quote_range_or_passage(client, doc_id, query):
    response = client.get(f"/documents/{doc_id}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<mark>" not in html
    assert 'id="cited"' not in html


def test_reader_for_an_unknown_document_is_an_html_404(client):
    response = client.get("/documents/no-such-doc")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "No document with id" in response.get_data(as_text=True)


def test_quote_over_a_passage_boundary_is_marked_in_both(assistant, doc_id):
    doc = assistant.document(doc_id)
    first, second = doc.passages[0], doc.passages[1]
    blocks = reader_blocks(doc, quote=(first.end - 10, second.start + 10))
    quoted = [(b.number, p.text, p.first) for b in blocks for p in b.pieces if p.quoted]
    assert [(n, first_flag) for n, _, first_flag in quoted] == [(1, True), (2, False)]
    assert (
        "".join(text for _, text, _ in quoted)
        == doc.text[first.end - 10 : first.end] + doc.text[second.start : second.start + 10]
    )


def test_reader_blocks_cover_every_character_once(assistant, doc_id):
    doc = assistant.document(doc_id)
    blocks = reader_blocks(doc, quote=(100, 2000))
    shown = "".join(p.text for b in blocks for p in b.pieces)
    assert "".join(shown.split()) == "".join(doc.text.split())


def test_document_text_with_html_is_escaped(tmp_path):
    (tmp_path / "xss.txt").write_text(
        "A title <b>bold</b>\n\n"
        + "Staff must report <img src=x onerror=alert(1)> concerns to the lead at once, in writing, "
        "the same day, with the time and the names of everyone present at the visit.\n\n"
        + "\n\n".join(
            f"Paragraph {n} says something long enough to be a passage of the text here." for n in range(6)
        ),
        encoding="utf-8",
    )
    (tmp_path / "xss.yaml").write_text(
        'title: "<script>alert(1)</script>"\nauthor: "<i>A</i>"\n', encoding="utf-8"
    )
    app = create_app(assistant=Assistant.from_directory(tmp_path))
    html = app.test_client().get("/documents/xss").get_data(as_text=True)
    assert "<img" not in html and "<script>alert" not in html and "<i>A</i>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_favicon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"


def test_question_form_posts_and_waits_for_the_script(client):
    html = client.get("/").get_data(as_text=True)
    # Without the script nothing can be sent, and a form fallback would POST: never a question in a URL.
    assert re.search(r'<form id="ask-form"[^>]*method="post"', html)
    assert re.search(r"<textarea id=\"question\"[^>]*disabled", html)
    assert 'maxlength="1000"' in html
    assert 'data-max-history="20"' in html
    assert "<noscript>" in html


def test_reader_marks_a_byline_quote_in_the_front_passage(client, assistant, doc_id):
    answer = client.post("/api/ask", json={"question": "Who wrote this article?"}).get_json()
    citation = answer["citations"][0]
    url = f"/documents/{doc_id}?passage={quote(citation['passage_id'], safe='')}"
    html = client.get(url + f"&start={citation['start']}&end={citation['end']}").get_data(as_text=True)
    assert f"<mark>{citation['quote']}</mark>" in html
    if getattr(assistant.document(doc_id), "front", None) is not None:
        assert re.search(r'class="front cited" id="cited"', html)
