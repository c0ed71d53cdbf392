"""Engine errors map to HTTP statuses; no stack trace leaves the server; questions never reach the logs."""

from __future__ import annotations

import logging

import pytest

from assistant import AssistantError, ConfigError, CorpusError, NotFoundError, QueryError

SECRET = "Is my neighbour Alice Smith at 12 Acacia Road a risk?"


def raiser(exc: Exception):
    def ask(*args, **kwargs):
        raise exc

    return ask


@pytest.mark.parametrize(
    "exc, status, code",
    [
        (QueryError("The question is empty: type a question"), 400, "invalid_question"),
        (NotFoundError("No document with id 'x'"), 404, "not_found"),
        (CorpusError("The corpus could not be read"), 500, "assistant_error"),
        (ConfigError("Bad setting"), 500, "assistant_error"),
        (AssistantError("The index is not ready"), 500, "assistant_error"),
    ],
)
def test_engine_errors_map_to_status_codes_with_their_message(
    client, assistant, monkeypatch, exc, status, code
):
    monkeypatch.setattr(assistant, "ask", raiser(exc))
    response = client.post("/api/ask", json={"question": "What is COSA?"})
    assert response.status_code == status
    assert response.get_json() == {"error": {"code": code, "message": str(exc)}}


def test_unexpected_error_is_a_generic_500_without_internals(client, assistant, monkeypatch, caplog):
    monkeypatch.setattr(assistant, "ask", raiser(RuntimeError("secret internal detail /srv/index.npz")))
    with caplog.at_level(logging.ERROR):
        response = client.post("/api/ask", json={"question": "What is COSA?"})
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["code"] == "internal_error"
    body = response.get_data(as_text=True)
    assert "secret internal detail" not in body and "Traceback" not in body and "RuntimeError" not in body
    # The failure is logged (type and code path) for the operator.
    assert "RuntimeError" in caplog.text


def test_unexpected_error_on_a_page_is_an_html_500(client, assistant, monkeypatch):
    monkeypatch.setattr(assistant, "document", raiser(RuntimeError("internal")))
    response = client.get("/documents/anything")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "internal" not in response.get_data(as_text=True).replace("internal_error", "")


def test_question_text_never_appears_in_logs(client, assistant, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    history = [{"question": SECRET, "answer": "", "resolved_question": SECRET}]
    client.post("/api/ask", json={"question": SECRET})
    client.post("/api/ask", json={"question": "Is it cost effective?", "history": history})
    client.post("/api/ask", json={"question": SECRET, "history": "bad"})
    client.post("/api/ask", json={"question": SECRET + "x" * 1000})
    client.post("/api/ask", json={"question": SECRET, "documents": ["nope"]})
    # An unexpected failure whose message holds the question: only its type is logged.
    monkeypatch.setattr(assistant, "ask", raiser(ValueError(f"could not parse {SECRET!r}")))
    assert client.post("/api/ask", json={"question": SECRET}).status_code == 500
    assert caplog.records, "the 500 should have been logged"
    for fragment in ("Alice Smith", "Acacia", SECRET):
        assert fragment not in caplog.text


def test_questions_in_the_url_are_refused(client):
    response = client.get("/api/ask?question=What+is+COSA%3F")
    assert response.status_code == 405
