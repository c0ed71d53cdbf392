"""The chat page in headless Chromium: ask, follow up, not found, keyboard only, XSS, copy, export."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CLEAN = {"console": [], "pageerror": [], "dialog": []}
XSS = "<img src=x onerror=alert(1)>"
TREATMENT = "Which treatment approaches are most effective?"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "chat.png"


def test_answer_shows_the_quote_and_its_citation(chat, console):
    turn = chat.ask(TREATMENT)
    expect(turn.locator(".question-text")).to_have_text(TREATMENT)
    expect(turn.locator("blockquote")).to_contain_text("cognitive behavioural programmes are most effective")
    link = turn.locator("a.citation-link")
    expect(link).to_contain_text("Jon Brown")
    expect(link).to_contain_text("sexual offenders against children")
    expect(link).to_contain_text(re.compile(r"paragraph \d+"))
    expect(turn.get_by_role("button", name="Copy with citation")).to_be_visible()
    expect(chat.page.locator("#welcome")).to_be_hidden()
    assert console == CLEAN


def test_follow_up_shows_what_was_searched_and_survives_a_reload(chat, console):
    chat.ask("What is COSA?")
    turn = chat.ask("Is it cost effective?")
    expect(turn.locator(".searched-for")).to_have_text(
        re.compile(r"^Searched for: Is it cost effective\? \(.*COSA.*\)$")
    )
    expect(turn.locator("blockquote")).to_contain_text("cost effective")
    chat.page.reload()
    expect(chat.turns).to_have_count(2)
    expect(chat.turns.nth(1).locator(".searched-for")).to_contain_text("COSA")
    assert console == CLEAN


def test_citation_opens_the_reader_with_the_quote_highlighted(chat, console):
    turn = chat.ask(TREATMENT)
    quote = turn.locator("blockquote").inner_text()
    turn.locator("a.citation-link").click()
    page = chat.page
    expect(page).to_have_url(re.compile(r"/documents/[^?]+\?passage=.+&start=\d+&end=\d+#quoted$"))
    mark = page.locator(".passage.cited mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text(quote)
    expect(mark).to_be_in_viewport()
    label = page.locator("#quoted")
    expect(label).to_have_text("Quoted")
    expect(label).to_be_focused()
    # Not by colour alone: the quote is underlined and the passage outlined.
    assert "underline" in mark.evaluate("m => getComputedStyle(m).textDecorationLine")
    assert page.locator(".passage.cited").evaluate("p => getComputedStyle(p).outlineStyle") == "solid"
    page.get_by_role("link", name="Back to the conversation").click()
    expect(chat.turns).to_have_count(1)
    assert console == CLEAN


def test_question_the_document_does_not_cover_says_so(chat, console):
    turn = chat.ask("What is the capital of France?")
    expect(turn.locator(".verdict")).to_have_text("The documents do not cover this question.")
    expect(turn.locator("blockquote")).to_have_count(0)
    assert console == CLEAN


def test_a_thank_you_is_told_there_is_nothing_to_look_up(chat, console):
    turn = chat.ask("thanks, that's helpful")
    expect(turn.locator(".verdict")).to_have_text("Nothing to look up: ask a question about the documents.")
    expect(turn.locator("blockquote")).to_have_count(0)
    expect(turn.locator("details")).to_have_count(0)
    assert console == CLEAN


def canned(page: Page, answer: dict) -> None:
    page.route("**/api/ask", lambda route: route.fulfill(status=200, json=answer))


def test_related_passages_are_collapsed_and_labelled_not_an_answer(chat, assistant, console):
    passage = assistant.passage(next(iter(assistant.documents)) + "#17")
    ref = {
        "passage_id": passage.passage_id,
        "document_id": passage.doc_id,
        "text": passage.text,
        "score": 2.0,
        "locator": passage.locator,
        "start": passage.start,
        "end": passage.end,
    }
    canned(
        chat.page,
        {
            "question": "Q",
            "resolved_question": "Q",
            "status": "not_found",
            "answer": "",
            "citations": [],
            "passages": [ref],
            "message": "The document does not cover this.",
            "evidence": {},
        },
    )
    turn = chat.ask("What does COSA stand for?")
    details = turn.locator("details.related")
    expect(details.locator("summary")).to_have_text("Related passages (not an answer)")
    expect(details).not_to_have_attribute("open", "")
    expect(details.locator(".related-text")).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator(".related-text")).to_contain_text("Circles of Support and Accountability")
    details.get_by_role("link", name=passage.locator).click()
    expect(chat.page.locator("#cited")).to_contain_text("Circles of Support and Accountability")
    expect(chat.page.locator("mark")).to_have_count(0)
    assert console == CLEAN


def test_open_question_says_the_document_asks_it_and_cites_where(chat, assistant, console):
    doc = next(iter(assistant.documents.values()))
    passage = doc.passages[0]
    sentence = passage.sentences[0]
    citation = {
        "quote": doc.text[sentence.start : sentence.end],
        "passage_id": passage.passage_id,
        "document_id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "publisher": doc.publisher,
        "locator": passage.locator,
        "section": passage.section,
        "start": sentence.start,
        "end": sentence.end,
        "score": 1.0,
    }
    canned(
        chat.page,
        {
            "question": "Q",
            "resolved_question": "Q",
            "status": "open_question",
            "answer": citation["quote"],
            "citations": [citation],
            "passages": [],
            "message": "The document raises this question but does not answer it.",
            "evidence": {},
        },
    )
    turn = chat.ask("Does it raise questions?")
    expect(turn.locator(".verdict")).to_contain_text("raises this question but does not answer it")
    expect(turn.locator("a.citation-link")).to_contain_text(passage.locator)
    assert console == CLEAN


def test_keyboard_only_ask_open_citation_and_come_back(chat, console):
    page = chat.page

    def tab_to(predicate: str, key: str = "Tab", limit: int = 30) -> None:
        for _ in range(limit):
            page.keyboard.press(key)
            if page.evaluate(predicate):
                # The focused control is visibly marked.
                style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert style != "none"
                return
        pytest.fail(f"never reached {predicate} with {key}")

    tab_to("document.activeElement.id === 'question'")
    page.keyboard.type("What is COSA?")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#question")).to_have_value("What is COSA?\n")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    expect(chat.turns).to_have_count(1)
    expect(page.locator("#question")).to_be_focused()
    tab_to("document.activeElement.classList.contains('citation-link')", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".passage.cited mark")).to_be_visible()
    expect(page.locator("#quoted")).to_be_focused()
    tab_to("document.activeElement.classList.contains('back-link')", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(chat.turns).to_have_count(1)
    tab_to("document.activeElement.id === 'new-conversation'")
    page.keyboard.press("Enter")
    expect(chat.turns).to_have_count(0)
    expect(page.locator("#question")).to_be_focused()
    assert console == CLEAN


def test_question_with_html_is_shown_as_text_and_runs_nothing(chat, console):
    turn = chat.ask(XSS)
    expect(turn.locator(".question-text")).to_have_text(XSS)
    expect(chat.page.locator("#thread img")).to_have_count(0)
    chat.page.reload()
    expect(chat.turns.first.locator(".question-text")).to_have_text(XSS)
    expect(chat.page.locator("img")).to_have_count(0)
    chat.page.wait_for_timeout(300)  # let an onerror handler fire, if one had been created
    assert console == CLEAN


def test_searching_state_disables_the_input_while_a_request_runs(chat, console):
    held = []
    chat.page.route("**/api/ask", lambda route: held.append(route))
    chat.page.fill("#question", TREATMENT)
    chat.page.press("#question", "Enter")
    expect(chat.page.locator("#question")).to_be_disabled()
    expect(chat.page.locator("#ask-button")).to_be_disabled()
    expect(chat.page.locator("#status")).to_have_text("Searching the documents\u2026")
    held[0].continue_()
    expect(chat.turns).to_have_count(1)
    expect(chat.page.locator("#question")).to_be_enabled()
    expect(chat.page.locator("#status")).to_have_text("")
    assert console == CLEAN


def test_unreachable_server_gives_a_clear_message_and_keeps_the_question(chat):
    chat.page.route("**/api/ask", lambda route: route.abort("connectionrefused"))
    chat.page.fill("#question", TREATMENT)
    chat.page.press("#question", "Enter")
    expect(chat.page.locator("#error")).to_contain_text("The server cannot be reached")
    expect(chat.page.locator("#question")).to_have_value(TREATMENT)
    expect(chat.page.locator("#question")).to_be_enabled()
    expect(chat.turns).to_have_count(0)


def test_api_error_message_is_shown(chat):
    chat.page.route(
        "**/api/ask",
        lambda route: route.fulfill(
            status=400, json={"error": {"code": "invalid_request", "message": "The question is too long"}}
        ),
    )
    chat.page.fill("#question", TREATMENT)
    chat.page.press("#question", "Enter")
    expect(chat.page.locator("#error")).to_contain_text("The question is too long")


def test_starter_question_asks_it(chat, live_server, console):
    expect(chat.page.locator(".starter")).not_to_have_count(0)
    starter = chat.page.get_by_role("button", name="What is MAPPA?")
    starter.click()
    expect(chat.turns).to_have_count(1)
    expect(chat.turns.first.locator(".question-text")).to_have_text("What is MAPPA?")
    assert console == CLEAN


def test_a_quoted_list_shows_one_item_per_line(chat, context, live_server, console):
    # The source breaks paragraphs mid-sentence and puts each "(i) ..." item on its own line: the chat
    # keeps the line breaks before the items and nowhere else.
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    turn = chat.ask("What should public awareness and education approaches provide?")
    lines = turn.locator("blockquote").inner_text().split("\n")
    assert lines[0].startswith("Much more needs to be done with regard to prevention")
    assert lines[0].endswith("focus on the provision of:")
    assert lines[1].startswith("(i) Non sensationalism and evidence based information")
    assert all("  " not in line for line in lines)
    turn.get_by_role("button", name="Copy with citation").click()
    copied = chat.page.evaluate("navigator.clipboard.readText()")
    assert "provision of:\n(i) Non sensationalism" in copied
    assert console == CLEAN


def test_copy_with_citation_copies_quote_and_reference(chat, context, live_server, console):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    turn = chat.ask(TREATMENT)
    turn.get_by_role("button", name="Copy with citation").click()
    expect(chat.page.locator("#status")).to_have_text("Copied the quote with its reference.")
    copied = chat.page.evaluate("navigator.clipboard.readText()")
    assert "cognitive behavioural programmes are most effective" in copied
    assert re.search(r"\u2014 Jon Brown, \u201c.+\u201d, NSPCC, paragraph \d+", copied)
    assert console == CLEAN


def test_export_downloads_the_conversation_as_markdown(chat, console):
    chat.ask("What is COSA?")
    chat.ask("Is it cost effective?")
    with chat.page.expect_download() as info:
        chat.page.get_by_role("button", name="Export conversation").click()
    download = info.value
    assert download.suggested_filename.endswith(".md")
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "## 1. What is COSA?" in text
    assert "## 2. Is it cost effective?" in text
    assert "_Searched for: Is it cost effective? (" in text
    assert "> COSA development across the UK" in text
    assert "Jon Brown" in text
    assert console == CLEAN


def test_new_conversation_clears_the_thread_and_session_storage(chat, console):
    chat.ask("What is COSA?")
    chat.page.get_by_role("button", name="New conversation").click()
    expect(chat.turns).to_have_count(0)
    expect(chat.page.locator("#welcome")).to_be_visible()
    assert chat.page.evaluate("sessionStorage.length") == 0
    chat.page.reload()
    expect(chat.turns).to_have_count(0)
    assert console == CLEAN


def test_conversation_lives_in_session_storage_only(chat, console):
    chat.ask("What is COSA?")
    stored = json.loads(chat.page.evaluate("Object.values(sessionStorage)[0]"))
    assert stored[0]["question"] == "What is COSA?"
    assert chat.page.evaluate("localStorage.length") == 0
    assert chat.page.context.cookies() == []
    assert console == CLEAN


def test_usable_at_360_pixels_wide(chat, console):
    chat.page.set_viewport_size({"width": 360, "height": 740})
    chat.ask(TREATMENT)
    assert chat.page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(chat.page.locator("#ask-button")).to_be_in_viewport()
    expect(chat.page.locator(".notice")).to_be_visible()
    assert console == CLEAN


def test_screenshot_of_a_conversation(chat, console, output_path):
    chat.page.set_viewport_size({"width": 1000, "height": 900})
    chat.ask("What is COSA?")
    chat.ask("Is it cost effective?")
    chat.page.evaluate("window.scrollTo(0, 0)")
    shot = Path(output_path) / "chat.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        DOCS_SCREENSHOT.write_bytes(shot.read_bytes())
    assert console == CLEAN


# Contrast of every visible text element against its nearest opaque background (WCAG 2.1 AA:
# 4.5:1, or 3:1 for large text).
CONTRAST_FAILURES = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(",").map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (el.getClientRects().length === 0 || el.closest(".visually-hidden, .skip-link")) continue;
    const style = getComputedStyle(el);
    const a = lum(parse(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
  return failures;
}"""


def test_text_contrast_meets_wcag_aa(chat, console):
    page = chat.page
    assert page.evaluate(CONTRAST_FAILURES) == []
    turn = chat.ask(TREATMENT)
    chat.ask("What is the capital of France?")
    for summary in page.locator("details.related summary").all():
        summary.click()
    assert page.evaluate(CONTRAST_FAILURES) == []
    turn.locator("a.citation-link").click()
    expect(page.locator(".passage mark")).to_be_visible()
    assert page.evaluate(CONTRAST_FAILURES) == []
    assert console == CLEAN


def test_without_javascript_the_form_cannot_send_a_question(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    expect(page.locator("noscript, .error").filter(has_text="needs JavaScript").first).to_be_visible()
    expect(page.locator("#question")).to_be_disabled()
    expect(page.locator("#ask-button")).to_be_disabled()
    assert page.locator("#ask-form").get_attribute("method") == "post"
    context.close()


def test_author_answer_opens_the_byline_highlighted(chat, console):
    turn = chat.ask("Who wrote this article?")
    expect(turn.locator("blockquote")).to_have_text("Jon Brown")
    turn.locator("a.citation-link").click()
    expect(chat.page.locator(".document-body mark")).to_have_text("Jon Brown")
    expect(chat.page.locator("#quoted")).to_be_focused()
    assert console == CLEAN


def test_quote_from_document_details_links_to_the_document_without_a_highlight(chat, assistant, console):
    doc = next(iter(assistant.documents.values()))
    citation = {
        "quote": "Jon Brown",
        "passage_id": doc.passages[0].passage_id,
        "document_id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "publisher": doc.publisher,
        "locator": "document details (author)",
        "section": "",
        "start": 0,
        "end": 0,
        "score": 1.0,
        "source": "metadata",
    }
    answer = {
        "question": "Q",
        "resolved_question": "Q",
        "status": "answered",
        "answer": "Jon Brown",
        "citations": [citation],
        "passages": [],
        "message": "",
        "evidence": {},
    }
    canned(chat.page, answer)
    turn = chat.ask("Who wrote it?")
    link = turn.locator("a.citation-link")
    expect(link).to_contain_text("document details (author)")
    assert link.get_attribute("href") == f"/documents/{doc.doc_id}"
    link.click()
    expect(chat.page.locator("h1")).to_have_text(doc.title)
    expect(chat.page.locator("mark")).to_have_count(0)
    assert console == CLEAN
