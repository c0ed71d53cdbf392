"""HTML blueprint: the chat page and the reader view of a document."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template, request, send_file, send_from_directory
from werkzeug.wrappers import Response

from assistant import NotFoundError

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
    quote_page = doc.page_at(quote[0]) if quote and doc.format == "pdf" else None
    return render_template(
        "document.html",
        doc=doc,
        blocks=blocks,
        cited_block=cited_block,
        quoted_block=quoted_block,
        quote_page=quote_page,
    )


# The original file's content type; only a PDF is shown in the browser, the others are downloaded.
ORIGINAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
}


@bp.get("/documents/<doc_id>/original")
def original(doc_id: str) -> Response:
    """Send the file a document was read from: a PDF shown inline (the link's #page=N opens that page),
    any other format as a download. Only a loaded document's own file is ever sent."""
    doc = get_assistant().document(doc_id)  # an unknown id (or "..") is a 404
    path = Path(doc.path) if doc.path else None
    suffix = path.suffix.lower() if path else ""
    # The path is the one the corpus loader read, never built from the URL; it must still name this
    # document's file, and be a file.
    if path is None or suffix not in ORIGINAL_TYPES or path.stem != doc.doc_id or not path.is_file():
        raise NotFoundError(f"No original file for document '{doc_id}'")
    response = send_file(
        path.resolve(),
        mimetype=ORIGINAL_TYPES[suffix],
        as_attachment=suffix != ".pdf",
        download_name=path.name,
        conditional=True,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the icon where browsers look for it by default."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")
