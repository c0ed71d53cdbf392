"""Map engine and HTTP errors to responses: JSON {"error": {code, message}} for the API, a page otherwise."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from assistant import AssistantError, NotFoundError, QueryError

log = logging.getLogger(__name__)

GENERIC_MESSAGE = (
    "Something went wrong on the server. Please try again; if it keeps happening, tell the team."
)
# Plain-language messages for the HTTP errors that the API documents; others use werkzeug's name.
HTTP_MESSAGES = {
    400: "The request could not be understood.",
    404: "There is nothing at this address. The API is described at /api/openapi.json.",
    413: "The request is too large (the limit is 64 KB): shorten the question or send fewer earlier turns.",
}
JSON_PREFIXES = ("/api", "/healthz")


class RequestError(Exception):
    """A request the API refuses; the message tells the client what to change."""

    def __init__(self, message: str, *, code: str = "invalid_request", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def init_app(app: Flask) -> None:
    """Register one handler per error type on `app`."""
    app.register_error_handler(RequestError, lambda e: _respond(e.status, e.code, e.message))
    app.register_error_handler(QueryError, lambda e: _respond(400, "invalid_question", str(e)))
    app.register_error_handler(NotFoundError, lambda e: _respond(404, "not_found", str(e)))
    app.register_error_handler(AssistantError, lambda e: _respond(500, "assistant_error", str(e)))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status == 405:
        allowed = ", ".join(m for m in (exc.valid_methods or ()) if m not in ("HEAD", "OPTIONS"))
        message = f"{request.method} is not allowed here; use {allowed or 'another method'}."
    else:
        message = HTTP_MESSAGES.get(status, exc.name + ".")
    response = _respond(status, exc.name.lower().replace(" ", "_"), message)
    if status == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unexpected(exc: Exception) -> Response:
    # Only the exception type and the code path are logged: the message or the arguments could
    # hold what the user typed, and nothing a user types may reach the logs.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.path, frames)
    return _respond(500, "internal_error", GENERIC_MESSAGE)


def _respond(status: int, code: str, message: str) -> Response:
    if request.path.startswith(JSON_PREFIXES) or request.accept_mimetypes.best == "application/json":
        response = jsonify(error={"code": code, "message": message})
    else:
        response = Response(
            render_template("error.html", status=status, message=message), mimetype="text/html"
        )
    response.status_code = status
    return response
