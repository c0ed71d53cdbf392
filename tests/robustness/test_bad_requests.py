"""Hostile and malformed requests through the Flask test client: a 400 with a clear message, or a
normal answer (not_found where nothing matches); never a 500."""

from __future__ import annotations

import json

import pytest

from web import create_app

from .support import STATUSES

ERROR_CODES = {"invalid_request", "invalid_question", "not_json"}


@pytest.fixture(scope="module")
def client(assistant):
    return create_app({"TESTING": True}, assistant=assistant).test_client()


def ask(client, body):
    return client.post("/api/ask", json=body)


def answer_of(response, assistant) -> dict:
    """Return the answer object of a 200 response, checked field by field."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] in STATUSES
    for citation in body["citations"]:
        if citation["source"] == "text":
            text = assistant.document(citation["document_id"]).text
            assert citation["quote"] == text[citation["start"] : citation["end"]]
    return body


def error_of(response, status: int = 400) -> dict:
    """Return the {"code", "message"} of an error response, checked for shape and a usable message."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert len(body["error"]["message"]) > 10
    assert "Traceback" not in body["error"]["message"]
    return body["error"]


# ---------------------------------------------------------------- questions


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "The question is empty"),
        ("   \t\n  ", "The question is empty"),
        ("\u3000\u2003\u00a0", "The question is empty"),
        ("\x00", "The question is empty"),
        ("\x00\x01\x02\x1f\x7f", "The question is empty"),
        ("x" * 1001, "too long (1,001 characters; the limit is 1,000)"),
        ("What is MAPPA? " * 67, "too long (1,005 characters; the limit is 1,000)"),
        ("\U0001f600" * 1001, "too long (1,001 characters"),
    ],
    ids=[
        "empty",
        "whitespace",
        "unicode-spaces",
        "nul",
        "control-only",
        "1001-chars",
        "1001-words",
        "1001-emoji",
    ],
)
def test_unusable_questions_are_a_400_saying_why(client, question, message):
    error = error_of(ask(client, {"question": question}))
    assert message in error["message"]


@pytest.mark.parametrize(
    "question",
    [
        "the of and to a is it",
        "What is the?",
        "?!.,;:-()[]{}'\"…",
        "\U0001f600\U0001f914\U0001f525\u2764\ufe0f",
        "什么是多机构公共保护安排？",
        "ما هي برامج علاج مرتكبي الجرائم الجنسية؟",
        "Что такое MAPPA?",
        "क्या उपचार प्रभावी है?",
        "Ποια θεραπεία είναι αποτελεσματική;",
        "\u200b\u200c\u200d",
        "\ud800 lone surrogate",
    ],
    ids=[
        "stop-words",
        "stop-words-question",
        "punctuation",
        "emoji",
        "chinese",
        "arabic",
        "russian",
        "hindi",
        "greek",
        "zero-width",
        "lone-surrogate",
    ],
)
def test_questions_with_nothing_to_match_are_a_normal_answer(client, assistant, question):
    body = answer_of(ask(client, {"question": question}), assistant)
    assert body["status"] == "not_found"
    assert body["citations"] == [] and body["answer"] == ""
    assert body["message"]


@pytest.mark.parametrize(
    "question",
    [
        "What is\x00 MAPPA?",
        "What\x01 is\x1b MAPPA?\x7f\x08",
        "What is MAPPA?\r\n",
        "\u202eWhat is MAPPA?",
        "WHAT IS MAPPA???",
    ],
    ids=["nul-inside", "control-inside", "crlf", "bidi-override", "shouting"],
)
def test_control_characters_inside_a_question_are_ignored(client, assistant, question):
    body = answer_of(ask(client, {"question": question}), assistant)
    assert body["status"] == "answered"
    assert "MAPPA" in body["answer"] or "Multi-Agency" in body["answer"]
    assert "\x00" not in body["question"] and "\x1b" not in body["question"]


def test_a_question_of_exactly_1000_characters_is_answered(client, assistant):
    question = ("Which treatment approaches are most effective? " * 30)[:1000]
    assert len(question) == 1000
    body = answer_of(ask(client, {"question": question}), assistant)
    assert body["question"] == question


@pytest.mark.parametrize("char", ["x", "\u00e9", "\U0001f600", "什"])
def test_1000_characters_count_as_characters_not_bytes(client, assistant, char):
    answer_of(ask(client, {"question": char * 1000}), assistant)
    error = error_of(ask(client, {"question": char * 1001}))
    assert "too long" in error["message"]


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script> What is MAPPA?",
        '"><img src=x onerror=alert(1)> What is MAPPA?',
        "javascript:alert(document.cookie)",
        "'; DROP TABLE documents; -- What is MAPPA?",
        '" OR 1=1 --',
        "{{7*7}} ${7*7} <%= 7*7 %> What is MAPPA?",
        "../../../../etc/passwd",
        "%00%0d%0aSet-Cookie: x=1",
    ],
    ids=["script", "img-onerror", "javascript-url", "sql-drop", "sql-or", "templates", "path", "crlf-header"],
)
def test_injection_strings_are_only_text(client, assistant, question):
    response = ask(client, {"question": question})
    body = answer_of(response, assistant)
    assert body["question"] == question
    assert "49" not in body["answer"]
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_injection_in_history_does_not_leak_into_the_answer(client, assistant):
    history = [{"question": "<script>alert(1)</script>", "answer": "'; DROP TABLE x; --"}]
    body = answer_of(ask(client, {"question": "What is MAPPA?", "history": history}), assistant)
    assert body["status"] == "answered"
    assert "<script>" not in body["answer"]


# ---------------------------------------------------------------- wrong JSON types at every field

WRONG_VALUES = [None, 0, 1.5, True, [], {}, ["What is MAPPA?"], {"question": "What is MAPPA?"}]


@pytest.mark.parametrize("body", [None, [], "What is MAPPA?", 42, 1.5, True, [{"question": "x"}]])
def test_a_body_that_is_not_an_object_is_a_400(client, body):
    error = error_of(client.post("/api/ask", data=json.dumps(body), content_type="application/json"))
    assert "must be a JSON object" in error["message"]


@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_a_question_of_the_wrong_type_is_a_400(client, value):
    error = error_of(ask(client, {"question": value}))
    assert error["message"] in (
        "The question must be text",
        "The question is missing: send it in the 'question' field",
    )


def test_a_missing_question_is_a_400(client):
    error = error_of(ask(client, {"history": []}))
    assert "The question is missing" in error["message"]


@pytest.mark.parametrize("value", [None, 0, 1.5, True, "What is MAPPA?", {}, {"question": "x"}], ids=repr)
def test_a_history_of_the_wrong_type_is_a_400(client, value):
    error = error_of(ask(client, {"question": "What is MAPPA?", "history": value}))
    assert "'history' must be a list" in error["message"]


@pytest.mark.parametrize(
    ("turn", "message"),
    [
        (None, "History turn 1 must be"),
        (0, "History turn 1 must be"),
        (True, "History turn 1 must be"),
        ([], "History turn 1 must be"),
        (["What is MAPPA?"], "History turn 1 must be"),
        ({}, "History turn 1 must be"),
        ({"answer": "x"}, "History turn 1 must be"),
        ({"question": 1}, "History turn 1 must be"),
        ({"question": None}, "History turn 1 must be"),
        ({"question": "x", "answer": 1}, "History turn 1: 'answer' must be text"),
        ({"question": "x", "answer": None}, "History turn 1: 'answer' must be text"),
        ({"question": "x", "resolved_question": ["x"]}, "History turn 1: 'resolved_question' must be text"),
    ],
    ids=repr,
)
def test_a_history_turn_of_the_wrong_type_is_a_400_naming_the_turn(client, turn, message):
    error = error_of(ask(client, {"question": "What is MAPPA?", "history": [turn]}))
    assert message in error["message"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "'documents' must be a list of document ids"),
        ("000_7a47272a2cc29dc3", "'documents' must be a list of document ids"),
        (1, "'documents' must be a list of document ids"),
        ({}, "'documents' must be a list of document ids"),
        ([1], "'documents' must be a list of document ids"),
        ([None], "'documents' must be a list of document ids"),
        ([["000_7a47272a2cc29dc3"]], "'documents' must be a list of document ids"),
        ([], "'documents' is empty"),
        (["no-such-document"], "Unknown document id(s): no-such-document"),
        (["../corpus/000_7a47272a2cc29dc3"], "Unknown document id(s)"),
    ],
    ids=repr,
)
def test_a_documents_filter_of_the_wrong_type_or_unknown_is_a_400(client, value, message):
    error = error_of(ask(client, {"question": "What is MAPPA?", "documents": value}))
    assert message in error["message"]


@pytest.mark.parametrize("field", ["Question", "q", "questions", "", "history ", "__proto__"])
def test_an_unknown_field_is_a_400_naming_it(client, field):
    error = error_of(ask(client, {"question": "What is MAPPA?", field: "x"}))
    assert "Unknown field(s)" in error["message"]


# ---------------------------------------------------------------- size and shape


@pytest.mark.parametrize("opener, closer", [("[", "]"), ('{"a":', "}")], ids=["arrays", "objects"])
@pytest.mark.parametrize("depth", [1_000, 10_000])
def test_deeply_nested_json_is_a_400(client, opener, closer, depth):
    nested = opener * depth + "1" + closer * depth
    for body in (nested, '{"question": "What is MAPPA?", "history": ' + nested + "}"):
        response = client.post("/api/ask", data=body, content_type="application/json")
        error_of(response)


def test_a_history_at_the_turn_limit_with_long_turns_is_answered(client, assistant):
    history = [{"question": "What is COSA? " * 150, "answer": "a" * 500}] * 20
    assert len(json.dumps({"question": "Is it cost effective?", "history": history})) < 64 * 1024
    body = answer_of(ask(client, {"question": "Is it cost effective?", "history": history}), assistant)
    assert body["status"] == "answered"
    assert "COSA" in body["resolved_question"]


@pytest.mark.parametrize("turns", [21, 1_000])
def test_a_history_over_the_turn_limit_is_a_400(client, turns):
    error = error_of(ask(client, {"question": "What is MAPPA?", "history": ["x"] * turns}))
    assert f"'history' has {turns} turns" in error["message"]
    assert "at most the last 20" in error["message"]


def test_a_body_over_64_kb_is_a_413(client):
    error = error_of(ask(client, {"question": "What is MAPPA?", "history": ["y" * 70_000]}), 413)
    assert "64 KB" in error["message"]


# ---------------------------------------------------------------- encodings and content types


@pytest.mark.parametrize(
    "data",
    [
        b'{"question": "caf\xe9"}',
        b'{"question": "\xff\xfe\xfd"}',
        b'{"question": "\xc0\xaf"}',
        b'{"question": "\xe2\x82"}',
        b"\xff\xfe{\x00}\x00",
        b'{"question": "What is MAPPA?"',
        b"",
        b"What is MAPPA?",
        b'{"question": NaN}',
        b"{'question': 'What is MAPPA?'}",
    ],
    ids=[
        "latin-1",
        "invalid-bytes",
        "overlong",
        "truncated",
        "utf-16-garbage",
        "unclosed",
        "empty",
        "plain-text",
        "nan",
        "single-quotes",
    ],
)
def test_malformed_bodies_are_a_400(client, data):
    error = error_of(client.post("/api/ask", data=data, content_type="application/json"))
    assert error["code"] in ERROR_CODES


def test_an_encoded_lone_surrogate_is_read_as_text_and_answered(client, assistant):
    # Python's json decodes UTF-8 bytes with "surrogatepass": the question holds a lone surrogate,
    # which matches nothing and is sent back escaped.
    response = client.post("/api/ask", data=b'{"question": "\xed\xa0\x80"}', content_type="application/json")
    assert answer_of(response, assistant)["status"] == "not_found"


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "text/html",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
        "application/javascript",
    ],
)
def test_a_body_that_is_not_declared_json_is_a_400_saying_how_to_send_it(client, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    error = error_of(client.post("/api/ask", data=b'{"question": "What is MAPPA?"}', **kwargs))
    assert error["code"] == "not_json"
    assert "Content-Type: application/json" in error["message"]


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/json; charset=utf-8", b'{"question": "What is MAPPA?"}'),
        ("application/json", b'\xef\xbb\xbf{"question": "What is MAPPA?"}'),
        ("application/json", '{"question": "What is MAPPA?"}'.encode("utf-16")),
        ("application/problem+json", b'{"question": "What is MAPPA?"}'),
        ("APPLICATION/JSON", b'{"question": "What is MAPPA?"}'),
    ],
    ids=["charset", "utf-8-bom", "utf-16", "plus-json", "upper-case"],
)
def test_json_in_any_standard_encoding_is_answered(client, assistant, content_type, data):
    body = answer_of(client.post("/api/ask", data=data, content_type=content_type), assistant)
    assert body["status"] == "answered"


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_on_ask_are_a_405_naming_post(client, method):
    error = error_of(getattr(client, method)("/api/ask"), 405)
    assert "use POST" in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%00",
        "/api/documents/" + "x" * 5000,
        "/api/passages/%FF%FE",
        "/api/passages/%3Cscript%3E",
        "/api/nothing-here",
    ],
    ids=["traversal", "nul", "long", "bad-utf8", "script", "unknown-route"],
)
def test_odd_urls_are_a_json_404(client, path):
    error = error_of(client.get(path), 404)
    assert error["code"] == "not_found"
