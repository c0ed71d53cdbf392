"""web/validation.py by exact value: each refusal's message (it tells the client what to change) and
the limits at their edges."""

from __future__ import annotations

import pytest

from web.errors import RequestError
from web.validation import AskRequest, parse_ask


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], 'The request body must be a JSON object such as {"question": "..."}'),
        (
            {"question": "Q?", "zeta": 1, "alpha": 2},
            "Unknown field(s): alpha, zeta. Send only: question, history, documents",
        ),
        ({}, "The question is missing: send it in the 'question' field"),
        ({"question": None}, "The question is missing: send it in the 'question' field"),
        ({"question": 7}, "The question must be text"),
        ({"question": " \t\n\u3000\x00"}, "The question is empty: type a question"),
        ({"question": "x" * 1001}, "The question is too long (1,001 characters; the limit is 1,000)"),
        (
            {"question": "Q?", "history": "What is COSA?"},
            "'history' must be a list of earlier turns, oldest first",
        ),
        ({"question": "Q?", "history": ["a"] * 21}, "'history' has 21 turns; send at most the last 20"),
        (
            {"question": "Q?", "history": ["a", 3]},
            "History turn 2 must be a question string or an object with a 'question' string",
        ),
        (
            {"question": "Q?", "history": [{"answer": "x"}]},
            "History turn 1 must be a question string or an object with a 'question' string",
        ),
        (
            {"question": "Q?", "history": [{"question": "a", "answer": 1}]},
            "History turn 1: 'answer' must be text",
        ),
        (
            {"question": "Q?", "history": ["a", {"question": "b", "resolved_question": None}]},
            "History turn 2: 'resolved_question' must be text",
        ),
        ({"question": "Q?", "documents": "doc"}, "'documents' must be a list of document ids"),
        ({"question": "Q?", "documents": ["doc", 1]}, "'documents' must be a list of document ids"),
        (
            {"question": "Q?", "documents": []},
            "'documents' is empty: name at least one document, or leave it out to search all",
        ),
    ],
)
def test_each_refusal_says_what_to_change(body, message):
    with pytest.raises(RequestError) as caught:
        parse_ask(body)
    assert (caught.value.message, caught.value.code, caught.value.status) == (message, "invalid_request", 400)


def test_a_body_at_every_limit_is_accepted_as_sent():
    history = ["What is COSA?"] * 19 + [{"question": "Who runs it?", "answer": "", "resolved_question": ""}]
    body = {"question": "x" * 1000, "history": history, "documents": ["doc"]}
    assert parse_ask(body) == AskRequest("x" * 1000, history, ["doc"])


def test_history_and_documents_default_when_left_out():
    assert parse_ask({"question": "What is COSA?"}) == AskRequest("What is COSA?", [], None)


@pytest.mark.parametrize("question", ["?", "\u00e9", "\x00a\x00", " \u200b "])
def test_one_readable_character_is_a_question(question):
    assert parse_ask({"question": question}).question == question
