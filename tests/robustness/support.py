"""Shared by the robustness tests: a small good corpus to mix bad files into, settings, answer checks."""

from __future__ import annotations

from pathlib import Path

from assistant import Answer, Assistant, Settings
from assistant.config import settings_from_mapping

# Two good documents, six passages in all (rank_bm25's Okapi idf needs at least five), each with a
# question only it answers.
GOOD_FILES = {
    "home-visits.txt": (
        "Home visits\n\n"
        "Home visits are planned a week ahead with the family. The visitor writes a short note after "
        "each visit.\n\n"
        "A second worker joins any visit where a risk of violence has been recorded.\n\n"
        "Visits are cancelled only by a manager, who tells the family the same day.\n"
    ),
    "home-visits.yaml": "title: Home visits\nauthor: Practice team\n",
    "supervision.md": (
        "---\ntitle: Supervision\npublisher: Safeguarding board\n---\n# Supervision\n\n"
        "Every practitioner has supervision with a manager once a month.\n\n"
        "Supervision notes are kept on the case file for six years.\n\n"
        "A practitioner can ask for extra supervision after a difficult case.\n"
    ),
}
GOOD_QUESTIONS = {
    "home-visits": ("Who joins a visit where a risk of violence has been recorded?", "A second worker"),
    "supervision": ("How long are supervision notes kept on the case file?", "six years"),
}
STATUSES = {"answered", "not_found", "open_question"}


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (name -> text or bytes) into `folder`, creating it; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


def settings_for(tmp_path: Path, on_error: str = "error") -> Settings:
    """Settings with the given bad-document policy; saved indexes go to tmp_path, not the repo's .index."""
    return settings_from_mapping(
        {"corpus": {"on_error": on_error}, "retrieval": {"index_dir": str(tmp_path / "index")}}
    )


def write_config(tmp_path: Path, on_error: str = "error") -> Path:
    """Write a config.yaml with the policy and a private index folder; return its path."""
    path = tmp_path / "config.yaml"
    path.write_text(
        f"corpus:\n  on_error: {on_error}\nretrieval:\n  index_dir: {tmp_path / 'index'}\n", encoding="utf-8"
    )
    return path


def check_answer(assistant: Assistant, answer: Answer) -> None:
    """Fail unless `answer` is a well-formed answer object whose quotes are slices of their source."""
    assert answer.status in STATUSES
    if answer.status == "not_found":
        assert answer.citations == () and answer.answer == ""
    else:
        assert answer.citations and answer.answer
    for citation in (*answer.citations, *answer.candidates):
        doc = assistant.document(citation.document_id)
        if citation.source == "metadata":
            assert (citation.start, citation.end) == (0, 0)
            assert citation.quote in {doc.author, doc.publisher, doc.title}
            continue
        assert citation.source == "text"
        assert citation.quote == doc.text[citation.start : citation.end]
        assert citation.quote.strip()
        passage = assistant.passage(citation.passage_id)
        assert passage.doc_id == doc.doc_id
        assert passage.start <= citation.start < citation.end <= passage.end
