"""web/errors.py by exact value: the status, code and message of each HTTP error, JSON or HTML, and what
an unexpected failure logs."""

from __future__ import annotations

import logging

import pytest
from werkzeug.exceptions import MethodNotAllowed, abort

from web.errors import RequestError

GENERIC = "Something went wrong on the server. Please try again; if it keeps happening, tell the team."


@pytest.fixture
def failing_app(app):
    """The app plus routes that fail in ways no real route does."""

    @app.get("/api/teapot")
    def teapot():
        abort(418)

    @app.get("/api/bad")
    def bad():
        abort(400)

    @app.get("/api/no-methods")
    def no_methods():
        raise MethodNotAllowed(valid_methods=["HEAD", "OPTIONS"])

    @app.route("/api/two-methods", methods=["GET", "POST"])
    def two_methods():
        return "ok"

    @app.get("/api/boom")
    def boom():
        raise LookupError("private detail")

    @app.get("/boom")
    def boom_page():
        raise LookupError("private detail")

    return app


def test_request_error_keeps_its_message_code_and_status():
    exc = RequestError("Send less")
    assert (str(exc), exc.message, exc.code, exc.status) == ("Send less", "Send less", "invalid_request", 400)
    exc = RequestError("Too big", code="too_large", status=413)
    assert (exc.code, exc.status) == ("too_large", 413)


@pytest.mark.parametrize(
    ("method", "url", "message", "allow"),
    [
        ("post", "/api/documents", "POST is not allowed here; use GET.", {"GET", "HEAD", "OPTIONS"}),
        ("get", "/api/ask", "GET is not allowed here; use POST.", {"POST", "OPTIONS"}),
    ],
)
def test_405_names_the_methods_to_use_without_head_or_options(client, method, url, message, allow):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response.get_json() == {"error": {"code": "method_not_allowed", "message": message}}
    assert set(response.headers["Allow"].split(", ")) == allow
    # The header is written "Allow" (clients match it case-insensitively, but logs and docs read it).
    assert "Allow" in [name for name, _ in response.headers.to_wsgi_list()]


def test_405_lists_every_method_to_use(failing_app):
    response = failing_app.test_client().put("/api/two-methods")
    message = response.get_json()["error"]["message"]
    assert message.startswith("PUT is not allowed here; use ") and message.endswith(".")
    methods = message.removeprefix("PUT is not allowed here; use ").removesuffix(".")
    assert sorted(methods.split(", ")) == ["GET", "POST"]


def test_405_with_nothing_else_to_use_says_another_method(failing_app):
    response = failing_app.test_client().get("/api/no-methods")
    assert response.status_code == 405
    assert response.get_json()["error"]["message"] == "GET is not allowed here; use another method."
    assert response.headers["Allow"] == "HEAD, OPTIONS"


@pytest.mark.parametrize(
    ("url", "status", "code", "message"),
    [
        (
            "/api/nothing",
            404,
            "not_found",
            "There is nothing at this address. The API is described at /api/openapi.json.",
        ),
        ("/api/teapot", 418, "i'm_a_teapot", "I'm a teapot."),  # undocumented: werkzeug's name
        ("/api/bad", 400, "bad_request", "The request could not be understood."),
    ],
)
def test_http_errors_have_plain_language_json(failing_app, url, status, code, message):
    response = failing_app.test_client().get(url)
    assert response.status_code == status
    assert response.get_json() == {"error": {"code": code, "message": message}}


def test_http_413_message(client):
    response = client.post("/api/ask", data="x" * (65 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"] == {
        "code": "request_entity_too_large",
        "message": "The request is too large (the limit is 64 KB): shorten the question or send fewer "
        "earlier turns.",
    }


def test_an_error_on_a_page_is_an_html_page_with_the_message(client):
    response = client.get("/no/such/page")
    assert (response.status_code, response.mimetype) == (404, "text/html")
    assert "There is nothing at this address." in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_generic_500_and_logs_type_method_path_and_code_path(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="web.errors"):
        response = failing_app.test_client().get("/api/boom")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal_error", "message": GENERIC}}
    (record,) = [r for r in caplog.records if r.name == "web.errors"]
    logged = record.getMessage()
    assert logged.startswith("unhandled LookupError on GET /api/boom\n")
    assert (
        'in boom\n    raise LookupError("private detail")' in logged
    )  # the frames, as format_tb writes them
    # One frame after another, each as format_tb writes it ("  File ...", then the source line).
    frames = logged.split("\n", 1)[1]
    assert all(line.startswith(("  File ", "    ")) for line in frames.splitlines() if line), frames
    assert "private detail\n" not in logged.replace('LookupError("private detail")', "")


def test_an_unexpected_error_on_a_page_shows_the_generic_message(failing_app):
    response = failing_app.test_client().get("/boom")
    assert (response.status_code, response.mimetype) == (500, "text/html")
    page = response.get_data(as_text=True)
    assert GENERIC in page and "private detail" not in page
