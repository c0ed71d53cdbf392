"""POST /api/ask: answers, follow-ups, validation errors and the JSON error shape."""

from __future__ import annotations

import json

import pytest

from tests.contract import ANSWER_KEYS, CITATION_KEYS


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"].strip()
    assert "Traceback" not in response.get_data(as_text=True)
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def test_answer_quotes_the_document_with_a_citation(ask, assistant):
    response = ask({"question": "Which treatment approaches are most effective?"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    answer = response.get_json()
    assert ANSWER_KEYS <= set(answer)
    assert answer["status"] == "answered"
    assert "cognitive behavioural programmes are most effective" in answer["answer"]
    citation = answer["citations"][0]
    assert CITATION_KEYS | {"publisher", "section"} <= set(citation)
    text = assistant.document(citation["document_id"]).text
    assert text[citation["start"] : citation["end"]] == citation["quote"]
    assert citation["author"] == "Jon Brown"
    assert citation["locator"].startswith("paragraph ")


def test_follow_up_is_searched_with_the_earlier_topic(ask):
    first = ask({"question": "What is COSA?"}).get_json()
    history = [
        {
            "question": first["question"],
            "answer": first["answer"],
            "resolved_question": first["resolved_question"],
        }
    ]
    answer = ask({"question": "Is it cost effective?", "history": history}).get_json()
    assert "COSA" in answer["resolved_question"]
    assert answer["resolved_question"] != answer["question"]
    assert answer["status"] == "answered"
    assert "cost effective" in answer["answer"]


def test_what_next_quotes_what_follows_the_previous_answer(ask, assistant):
    first = ask({"question": "Which act provides for MAPPA?"}).get_json()
    history = [{"question": first["question"], "answer": first["answer"]}]
    answer = ask({"question": "What next?", "history": history}).get_json()
    assert answer["status"] == "answered" and answer["evidence"]["next_step"] is True
    (citation,) = answer["citations"]
    text = assistant.document(citation["document_id"]).text
    assert text[citation["start"] : citation["end"]] == answer["answer"]
    assert citation["start"] >= text.index(first["answer"]) + len(first["answer"])


def test_follow_up_accepts_plain_string_history(ask):
    answer = ask({"question": "Is it cost effective?", "history": ["What is COSA?"]}).get_json()
    assert "COSA" in answer["resolved_question"]


def test_question_outside_the_document_is_not_found(ask):
    answer = ask({"question": "What is the capital of France?"}).get_json()
    assert answer["status"] == "not_found"
    assert answer["citations"] == []
    assert answer["answer"] == ""
    assert answer["message"]


def test_documents_filter_accepts_known_ids(ask, doc_id):
    response = ask({"question": "Which treatment approaches are most effective?", "documents": [doc_id]})
    assert response.status_code == 200
    assert all(c["document_id"] == doc_id for c in response.get_json()["citations"])


def test_history_of_twenty_turns_is_accepted(ask):
    response = ask({"question": "What is MAPPA?", "history": ["What is COSA?"] * 20})
    assert response.status_code == 200


def test_question_of_exactly_1000_characters_is_accepted(ask):
    question = ("What is COSA? " * 100)[:1000]
    assert ask({"question": question}).status_code == 200


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({}, "missing"),
        ({"question": None}, "missing"),
        ({"question": ""}, "empty"),
        ({"question": "   \n\t "}, "empty"),
        ({"question": "\x00\x01"}, "empty"),
        ({"question": 42}, "text"),
        ({"question": ["What is COSA?"]}, "text"),
        ({"question": "x" * 1001}, "too long"),
        ({"question": "What is COSA?", "history": "What is COSA?"}, "list"),
        ({"question": "What is COSA?", "history": {"question": "x"}}, "list"),
        ({"question": "What is COSA?", "history": None}, "list"),
        ({"question": "What is COSA?", "history": ["What is COSA?"] * 21}, "at most"),
        ({"question": "What is COSA?", "history": [42]}, "turn 1"),
        ({"question": "What is COSA?", "history": ["ok", {"answer": "no question"}]}, "turn 2"),
        ({"question": "What is COSA?", "history": [{"question": 1}]}, "turn 1"),
        ({"question": "What is COSA?", "history": [{"question": "q", "answer": 3}]}, "'answer'"),
        ({"question": "What is COSA?", "documents": "all"}, "documents"),
        ({"question": "What is COSA?", "documents": [1]}, "documents"),
        ({"question": "What is COSA?", "documents": []}, "empty"),
        ({"question": "What is COSA?", "questions": "typo"}, "Unknown field"),
    ],
)
def test_invalid_body_is_a_400_with_a_readable_message(ask, body, fragment):
    error = assert_error(ask(body), 400, "invalid_request")
    assert fragment.lower() in error["message"].lower()


@pytest.mark.parametrize("body", [[], ["What is COSA?"], "What is COSA?", 3, None])
def test_body_that_is_not_an_object_is_a_400(client, body):
    response = client.post("/api/ask", data=json.dumps(body), content_type="application/json")
    assert "object" in assert_error(response, 400, "invalid_request")["message"]


def test_unknown_document_id_is_a_400_from_the_engine(ask):
    error = assert_error(
        ask({"question": "What is COSA?", "documents": ["no-such-doc"]}), 400, "invalid_question"
    )
    assert "no-such-doc" in error["message"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "question=What+is+COSA", "content_type": "application/x-www-form-urlencoded"},
        {"data": "What is COSA?", "content_type": "text/plain"},
        {"data": "What is COSA?"},
    ],
)
def test_body_that_is_not_json_is_a_400(client, kwargs):
    assert "JSON" in assert_error(client.post("/api/ask", **kwargs), 400, "not_json")["message"]


def test_malformed_json_is_a_400(client):
    response = client.post("/api/ask", data='{"question": "What is', content_type="application/json")
    assert "not valid JSON" in assert_error(response, 400, "not_json")["message"]


@pytest.mark.parametrize("body", ["[" * 30_000, '{"question": "What is COSA?", "history": ' + "[" * 20_000])
def test_deeply_nested_json_is_a_400(client, body):
    response = client.post("/api/ask", data=body, content_type="application/json")
    assert_error(response, 400, "not_json")


def test_body_over_64_kb_is_a_413(client):
    body = '{"question": "What is COSA?", "history": ["' + "x" * (64 * 1024) + '"]}'
    error = assert_error(client.post("/api/ask", data=body, content_type="application/json"), 413)
    assert "64 KB" in error["message"]


def test_body_just_under_64_kb_is_accepted(client):
    padding = 64 * 1024 - 200
    body = '{"question": "What is COSA?", "history": ["' + "x" * padding + '"]}'
    assert client.post("/api/ask", data=body, content_type="application/json").status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_ask_accepts_only_post(client, method):
    response = getattr(client, method)("/api/ask?question=What+is+COSA")
    error = assert_error(response, 405, "method_not_allowed")
    assert "POST" in error["message"]
    assert "POST" in response.headers["Allow"]
