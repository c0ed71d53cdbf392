"""Check a POST /api/ask body before it reaches the engine; limits shared with the OpenAPI document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import RequestError

MAX_QUESTION_CHARS = 1000
MAX_HISTORY_TURNS = 20
MAX_BODY_BYTES = 64 * 1024
ASK_FIELDS = ("question", "history", "documents")
TURN_TEXT_FIELDS = ("answer", "resolved_question")
# A question needs one character that is neither white space (as Python's str.strip sees it) nor a
# control character, which is what the engine accepts. The characters are spelled out, not written
# as \s, because Python and ECMA-262 (the OpenAPI document's regex dialect) disagree on \s.
READABLE_PATTERN = r"[^\x00-\x20\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_READABLE = re.compile(READABLE_PATTERN)


@dataclass(frozen=True, slots=True)
class AskRequest:
    question: str
    history: list
    documents: list[str] | None


def parse_ask(body: object) -> AskRequest:
    """Return the checked question, history and document filter of an /api/ask body.

    Raises:
        RequestError: the body is not an object, or a field is missing, of the wrong type or too long.
    """
    if not isinstance(body, dict):
        raise RequestError('The request body must be a JSON object such as {"question": "..."}')
    unknown = sorted(k for k in body if k not in ASK_FIELDS)
    if unknown:
        raise RequestError(f"Unknown field(s): {', '.join(unknown)}. Send only: {', '.join(ASK_FIELDS)}")
    return AskRequest(
        question=_question(body.get("question")),
        history=_history(body.get("history", [])),
        documents=_documents(body["documents"]) if "documents" in body else None,
    )


def _question(value: object) -> str:
    if value is None:
        raise RequestError("The question is missing: send it in the 'question' field")
    if not isinstance(value, str):
        raise RequestError("The question must be text")
    if not _READABLE.search(value):
        raise RequestError("The question is empty: type a question")
    if len(value) > MAX_QUESTION_CHARS:
        raise RequestError(
            f"The question is too long ({len(value):,} characters; the limit is {MAX_QUESTION_CHARS:,})"
        )
    return value


def _history(value: object) -> list:
    if not isinstance(value, list):
        raise RequestError("'history' must be a list of earlier turns, oldest first")
    if len(value) > MAX_HISTORY_TURNS:
        raise RequestError(f"'history' has {len(value)} turns; send at most the last {MAX_HISTORY_TURNS}")
    for n, turn in enumerate(value, 1):
        if isinstance(turn, str):
            continue
        if not isinstance(turn, dict) or not isinstance(turn.get("question"), str):
            raise RequestError(
                f"History turn {n} must be a question string or an object with a 'question' string"
            )
        for key in TURN_TEXT_FIELDS:
            if key in turn and not isinstance(turn[key], str):
                raise RequestError(f"History turn {n}: '{key}' must be text")
    return value


def _documents(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise RequestError("'documents' must be a list of document ids")
    if not value:
        raise RequestError("'documents' is empty: name at least one document, or leave it out to search all")
    return value
