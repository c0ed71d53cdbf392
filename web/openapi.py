"""The OpenAPI 3 document served at /api/openapi.json, built from the same limits the API checks."""

from __future__ import annotations

import dataclasses

from assistant import Citation, PassageRef

from .validation import MAX_BODY_BYTES, MAX_HISTORY_TURNS, MAX_QUESTION_CHARS, READABLE_PATTERN

OPENAPI_VERSION = "3.0.3"
# JSON types of the engine's dataclass fields (annotations are strings under `from __future__`).
_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}


def openapi_document(title: str) -> dict:
    """Return the OpenAPI document describing every route of the app."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{title} API",
            "version": "1.0.0",
            "description": (
                "Answers questions by quoting the documents verbatim, with citations (document, paragraph, "
                "character offsets). The server is stateless: send earlier turns as `history`. Questions are "
                "accepted only in POST bodies, never in URLs, and are neither stored nor logged."
            ),
        },
        "paths": {
            "/api/ask": {"post": _ask()},
            "/api/documents": {
                "get": _get("listDocuments", "List the documents answers are quoted from", "DocumentList")
            },
            "/api/documents/{document_id}": {
                "get": _get(
                    "getDocument",
                    "A document's metadata, full text, passages and excluded spans",
                    "Document",
                    params=[_path_param("document_id", "A document id (file name stem)")],
                    not_found=True,
                )
            },
            "/api/passages/{passage_id}": {
                "get": _get(
                    "getPassage",
                    "One passage with its text, offsets and sentences",
                    "PassageDetail",
                    params=[_path_param("passage_id", "A passage id such as `doc#3` ('#' sent as %23)")],
                    not_found=True,
                )
            },
            "/healthz": {"get": _get("health", "Liveness and corpus size", "Health")},
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "tags": ["api"],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                    },
                }
            },
            "/": {"get": _page("chatPage", "The chat page")},
            "/documents/{document_id}": {"get": _reader()},
            "/documents/{document_id}/original": {"get": _original()},
            "/favicon.ico": {
                "get": {
                    "operationId": "favicon",
                    "summary": "The site icon (SVG)",
                    "tags": ["pages"],
                    "responses": {
                        "200": {
                            "description": "The icon",
                            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": _schemas(), "responses": _responses()},
    }


def _ask() -> dict:
    return {
        "operationId": "ask",
        "summary": "Answer a question by quoting the documents",
        "description": (
            "Returns `answered` with a verbatim quote and its citation, `not_found` when the documents "
            "do not cover the question (related passages may follow, they are not an answer), or "
            "`open_question` when a document raises the question without answering it. A follow-up "
            "('Is it cost effective?') is searched together with the topic of the earlier turns; "
            "`resolved_question` shows what was searched."
        ),
        "tags": ["api"],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AskRequest"}}},
        },
        "responses": {
            "200": {
                "description": "The answer object",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}},
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "413": {"$ref": "#/components/responses/TooLarge"},
            "500": {"$ref": "#/components/responses/ServerError"},
        },
    }


def _get(operation_id: str, summary: str, schema: str, *, params=(), not_found: bool = False) -> dict:
    responses = {
        "200": {
            "description": summary,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        },
    }
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["500"] = {"$ref": "#/components/responses/ServerError"}
    op = {"operationId": operation_id, "summary": summary, "tags": ["api"], "responses": responses}
    if params:
        op["parameters"] = list(params)
    return op


def _page(operation_id: str, summary: str) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["pages"],
        "responses": {
            "200": {"description": "An HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}
        },
    }


def _reader() -> dict:
    op = _page(
        "readerPage", "The reader view: the whole document, the cited passage and the quote highlighted"
    )
    op["parameters"] = [
        _path_param("document_id", "A document id"),
        _query_param(
            "passage", "The cited passage id; it is outlined and scrolled to (unknown ids are ignored)"
        ),
        _query_param(
            "start", "Start offset of the quote in the document text (ignored unless a valid range)"
        ),
        _query_param("end", "End offset of the quote in the document text (ignored unless a valid range)"),
    ]
    op["responses"]["404"] = {
        "description": "No such document (an HTML page)",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    return op


def _original() -> dict:
    return {
        "operationId": "originalFile",
        "summary": "The file the document was read from: a PDF shown in the browser (add #page=N to open "
        "page N), other formats as a download (Content-Disposition: attachment)",
        "tags": ["pages"],
        "parameters": [_path_param("document_id", "A document id")],
        "responses": {
            "200": {
                "description": "The original file",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in (
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "text/html",
                        "text/plain",
                        "text/markdown",
                    )
                },
            },
            "404": {
                "description": "No such document, or its file is gone (an HTML page)",
                "content": {"text/html": {"schema": {"type": "string"}}},
            },
        },
    }


def _path_param(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def _query_param(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _responses() -> dict:
    return {
        "BadRequest": _error_response(
            "The body is not JSON or not an object; the question is missing, empty or over "
            f"{MAX_QUESTION_CHARS:,} characters; the history is not a list of turns or has more than "
            f"{MAX_HISTORY_TURNS}; a field is unknown; or `documents` names an unknown document"
        ),
        "NotFound": _error_response("No document or passage has this id"),
        "TooLarge": _error_response(f"The body is over {MAX_BODY_BYTES // 1024} KB"),
        "ServerError": _error_response("The server failed; the message holds no internals"),
    }


def _string(description: str = "") -> dict:
    return {"type": "string", "description": description} if description else {"type": "string"}


def _offset(description: str) -> dict:
    return {"type": "integer", "minimum": 0, "description": description}


def _object(properties: dict, *, required=None, closed: bool = False) -> dict:
    schema = {"type": "object", "required": list(required or properties), "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


def _from_dataclass(cls: type, overrides: dict) -> dict:
    """Describe the engine's value object `cls` field by field, so a field it adds is documented too."""
    properties = {}
    for f in dataclasses.fields(cls):
        hint = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        properties[f.name] = overrides.get(f.name) or (
            {"type": _JSON_TYPES[hint]} if hint in _JSON_TYPES else {}
        )
    return _object(properties)


def _schemas() -> dict:
    ref = "#/components/schemas/"
    summary = {
        "document_id": _string(),
        "title": _string(),
        "author": _string("Empty when unknown"),
        "publisher": _string("Empty when unknown"),
        "passage_count": {"type": "integer", "minimum": 0},
    }
    passage = {
        "passage_id": _string("`<document_id>#<number>`"),
        "document_id": _string(),
        "number": {"type": "integer", "minimum": 0, "description": "Paragraph number (0: title and byline)"},
        "section": _string("Heading of the section, empty when none"),
        "kind": {"type": "string", "enum": ["text", "list", "question", "reference", "front"]},
        "locator": _string("Human-readable place, e.g. 'paragraph 4 (Treatment)'"),
        "start": _offset("Offset of the passage in the document text"),
        "end": _offset("End offset (exclusive)"),
        "text": _string("The passage: document text[start:end]"),
        "sentences": {"type": "array", "items": {"$ref": ref + "Sentence"}},
    }
    return {
        "AskRequest": _object(
            {
                "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUESTION_CHARS,
                    "pattern": READABLE_PATTERN,
                    "description": "The question; it needs one character that is not white space or control",
                },
                "history": {
                    "type": "array",
                    "maxItems": MAX_HISTORY_TURNS,
                    "default": [],
                    "description": "Earlier turns, oldest first (kept by the client; the server stores none)",
                    "items": {"oneOf": [{"type": "string"}, {"$ref": ref + "HistoryTurn"}]},
                },
                "documents": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string"},
                    "description": "Search only these document ids (leave out to search all)",
                },
            },
            required=["question"],
            closed=True,
        ),
        "HistoryTurn": {
            "type": "object",
            "required": ["question"],
            "description": "An earlier turn; other keys are ignored",
            "properties": {
                "question": _string(),
                "answer": _string("The quoted answer given"),
                "resolved_question": _string("What was searched for that turn"),
            },
        },
        "Answer": _object(
            {
                "question": _string("The question as asked"),
                "resolved_question": _string(
                    "What was searched: the question plus the topic of earlier turns"
                ),
                "status": {"type": "string", "enum": ["answered", "not_found", "open_question"]},
                "answer": _string("The verbatim quote; empty when not_found"),
                "citations": {"type": "array", "items": {"$ref": ref + "Citation"}},
                "passages": {
                    "type": "array",
                    "items": {"$ref": ref + "PassageRef"},
                    "description": "Retrieved passages, best first (context, not an answer)",
                },
                "message": _string("A plain-language note, e.g. 'The document does not cover this.'"),
                "evidence": {
                    "type": "object",
                    "description": "Why the status was chosen",
                    "properties": {
                        "confidence": {"type": "number"},
                        "threshold": {"type": "number"},
                        "about_document": {"type": "boolean"},
                        "next_step": {"type": "boolean"},
                        "no_count": {"type": "boolean"},
                        "no_expansion": {"type": "boolean"},
                        "no_phone": {"type": "boolean"},
                        "no_ranking": {"type": "boolean"},
                        "open_question": {"type": "boolean"},
                    },
                },
            }
        ),
        "Citation": _from_dataclass(
            Citation,
            {
                "quote": _string("Exactly document text[start:end] when source is 'text'"),
                "locator": _string("Where: 'paragraph 4 (Section)', 'title and byline', 'document details'"),
                "start": _offset("Offset of the quote in the document text (0 when source is 'metadata')"),
                "end": _offset("End offset, exclusive (0 when source is 'metadata')"),
                "page": {
                    "type": "integer",
                    "minimum": 1,
                    "nullable": True,
                    "description": "The page the quote starts on, for a PDF; null for formats without pages",
                },
                "source": {
                    "type": "string",
                    "enum": ["text", "metadata"],
                    "description": "'text': a slice of the document; 'metadata': a value of its YAML details",
                },
            },
        ),
        "PassageRef": _from_dataclass(
            PassageRef,
            {
                "text": _string("The passage: document text[start:end]"),
                "start": _offset("Offset of the passage in the document text"),
                "end": _offset("End offset (exclusive)"),
                "closest": {
                    "type": "object",
                    "nullable": True,
                    "description": "With not_found: the passage's sentence nearest the question in meaning "
                    "(document offsets start/end and the encoder's similarity); context, never an answer",
                    "properties": {
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 0},
                        "similarity": {"type": "number"},
                    },
                },
            },
        ),
        "DocumentSummary": _object(summary),
        "DocumentList": _object({"documents": {"type": "array", "items": {"$ref": ref + "DocumentSummary"}}}),
        "Document": _object(
            {
                **summary,
                "metadata": {"type": "object", "description": "The document's YAML metadata"},
                "text": _string("The full text; every offset points into it"),
                "passages": {"type": "array", "items": {"$ref": ref + "Passage"}},
                "excluded": {
                    "type": "array",
                    "description": "Spans kept out of answers: title, byline, headings, boilerplate",
                    "items": _object(
                        {"start": _offset("Start"), "end": _offset("End (exclusive)"), "role": _string()}
                    ),
                },
            }
        ),
        "Sentence": _object(
            {"start": _offset("Start"), "end": _offset("End (exclusive)"), "is_question": {"type": "boolean"}}
        ),
        "Passage": _object(passage),
        "PassageDetail": _object(
            {**passage, "title": _string(), "author": _string(), "publisher": _string()}
        ),
        "Health": _object(
            {
                "status": {"type": "string", "enum": ["ok"]},
                "documents": {"type": "integer", "minimum": 0},
                "passages": {"type": "integer", "minimum": 0},
            }
        ),
        "Error": _object(
            {
                "error": _object(
                    {
                        "code": _string("Machine-readable, e.g. invalid_request, not_json, not_found"),
                        "message": _string("What went wrong, in words a person understands"),
                    },
                    closed=True,
                )
            },
            closed=True,
        ),
    }
