"""HTML blueprint: the chat page and the reader view of a document."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, send_from_directory
from werkzeug.wrappers import Response

from .api import get_assistant
from .reader import quote_range, reader_blocks
from .validation import MAX_HISTORY_TURNS, MAX_QUESTION_CHARS

bp = Blueprint("chat", __name__)


@bp.get("/")
def index() -> str:
    """Render the chat page; the script keeps the conversation in sessionStorage."""
    assistant = get_assistant()
    return render_template(
        "chat.html",
        documents=list(assistant.documents.values()),
        starters=assistant.settings.web.starter_questions,
        max_question_chars=MAX_QUESTION_CHARS,
        max_history=MAX_HISTORY_TURNS,
    )


@bp.get("/documents/<doc_id>")
def reader(doc_id: str) -> str:
    """Render a whole document, outlining the cited passage and marking the quoted words."""
    doc = get_assistant().document(doc_id)
    quote = quote_range(doc, request.args.get("start"), request.args.get("end"))
    cited = request.args.get("passage", "")
    blocks = reader_blocks(doc, quote=quote, cited=cited)
    cited_block = next((b for b in blocks if b.cited), None)
    quoted_block = next((b for b in blocks if any(p.quoted for p in b.pieces)), None)
    return render_template(
        "document.html", doc=doc, blocks=blocks, cited_block=cited_block, quoted_block=quoted_block
    )


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the icon where browsers look for it by default."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")
