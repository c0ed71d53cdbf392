"""JSON API blueprint: /api/ask, documents, passages, /healthz and the OpenAPI document."""

from __future__ import annotations

import math

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest

from assistant import Assistant, Document, Passage

from .errors import RequestError
from .openapi import openapi_document
from .validation import parse_ask

bp = Blueprint("api", __name__)


def get_assistant() -> Assistant:
    """Return the Assistant for this request: the newest this process has loaded (web/live.py), the
    same one for the whole request."""
    found = g.get("assistant")
    if found is None:
        live = current_app.extensions.get("live_assistant")
        found = g.assistant = live.current() if live is not None else current_app.extensions["assistant"]
    return found


@bp.post("/api/ask")
def ask() -> Response:
    """Answer a question (with earlier turns) by quoting the documents."""
    checked = parse_ask(_json_body())
    answer = get_assistant().ask(checked.question, checked.history, documents=checked.documents)
    response = jsonify(answer.to_dict())
    # The answer repeats the question: keep it out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/documents")
def documents() -> Response:
    """List the documents that answers are quoted from."""
    docs = get_assistant().documents.values()
    return jsonify(documents=[_summary(d) for d in docs])


@bp.get("/api/documents/<doc_id>")
def document(doc_id: str) -> Response:
    """Return a document's metadata, full text, passages (with offsets) and excluded spans."""
    doc = get_assistant().document(doc_id)
    return jsonify(
        **_summary(doc),
        metadata=_json_safe(doc.metadata),
        text=doc.text,
        passages=[_passage(p) for p in doc.passages],
        excluded=[{"start": s, "end": e, "role": role} for s, e, role in doc.excluded],
    )


@bp.get("/api/passages/<passage_id>")
def passage(passage_id: str) -> Response:
    """Return one passage with its text, offsets and sentences, and its document's reference."""
    found = get_assistant().passage(passage_id)
    doc = get_assistant().document(found.doc_id)
    return jsonify(**_passage(found), title=doc.title, author=doc.author, publisher=doc.publisher)


@bp.get("/healthz")
def health() -> Response:
    """Report that the server is up, with the size of the corpus it serves."""
    docs = get_assistant().documents.values()
    return jsonify(status="ok", documents=len(docs), passages=sum(len(d.passages) for d in docs))


@bp.get("/api/openapi.json")
def openapi() -> Response:
    """Serve the OpenAPI 3 description of this API."""
    return jsonify(openapi_document(get_assistant().settings.web.title))


def _json_body() -> object:
    if not request.is_json:
        raise RequestError(
            "Send the question as JSON with the header Content-Type: application/json", code="not_json"
        )
    try:
        return request.get_json()
    except BadRequest:
        raise RequestError("The request body is not valid JSON", code="not_json") from None
    except RecursionError:
        # json raises this, not a ValueError, for arrays nested thousands deep (64 KB allows it).
        raise RequestError("The request body is nested too deeply", code="not_json") from None


def _summary(doc: Document) -> dict:
    return {
        "document_id": doc.doc_id,
        "title": doc.title,
        "author": doc.author,
        "publisher": doc.publisher,
        "passage_count": len(doc.passages),
    }


def _passage(p: Passage) -> dict:
    return {
        "passage_id": p.passage_id,
        "document_id": p.doc_id,
        "number": p.number,
        "section": p.section,
        "kind": p.kind,
        "locator": p.locator,
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "sentences": [{"start": s.start, "end": s.end, "is_question": s.is_question} for s in p.sentences],
    }


def _json_safe(value: object) -> object:
    """Return YAML metadata as plain JSON values (dates and other scalars become text)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return str(value)
