"""The answer object: what Assistant.ask returns (Answer, with its Citations and PassageRefs), and how a
quote and a retrieved passage are cited."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..ingest.document import Document, Passage
from ..retrieve.index import Hit, Index

ANSWERED, NOT_FOUND, OPEN_QUESTION = "answered", "not_found", "open_question"
# Two quotes from different places are joined by a blank line: no words are added between them.
QUOTE_SEPARATOR = "\n\n"
MESSAGES = {
    ANSWERED: "",
    NOT_FOUND: "The document does not cover this.",
    OPEN_QUESTION: "The document raises this question but does not answer it.",
}
# The message of a not_found answer to a chat turn that asks nothing ("thanks", "ok i see"; answer/chat.py).
NOTHING_TO_LOOK_UP = "Nothing to look up: ask a question about the documents."


@dataclass(frozen=True, slots=True)
class Citation:
    quote: str
    passage_id: str
    document_id: str
    title: str
    author: str
    publisher: str
    locator: str
    section: str
    start: int
    end: int
    score: float
    # "text": quote == document text[start:end]; "metadata": the quote is a metadata value
    # (an author named only in the document's YAML), and start == end == 0.
    source: str = "text"
    # The page the quote starts on, for a document with pages (a PDF); None otherwise.
    page: int | None = None


@dataclass(frozen=True, slots=True)
class PassageRef:
    passage_id: str
    document_id: str
    text: str
    score: float
    locator: str
    start: int
    end: int
    # With a not_found answer, passages are ranked by meaning and each marks its sentence nearest the
    # question: {"start", "end"} (offsets in the document, inside [start, end)) and the encoder's
    # "similarity". It is context, never an answer. None otherwise.
    closest: dict | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    resolved_question: str
    status: str
    answer: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[PassageRef, ...] = ()
    message: str = ""
    # Why the status was chosen: the confidence compared with the not-found threshold.
    evidence: dict = field(default_factory=dict)
    # The quotes that would answer even when they were not good enough to: evaluation sweeps the
    # not-found threshold with them. Never part of the answer object that users see.
    candidates: tuple[Citation, ...] = ()

    @property
    def candidate(self) -> Citation | None:
        """The first candidate quote (None when nothing matched)."""
        return self.candidates[0] if self.candidates else None

    @property
    def candidate_text(self) -> str:
        """All candidate quotes as the answer text would show them."""
        return QUOTE_SEPARATOR.join(c.quote for c in self.candidates)

    def to_dict(self) -> dict:
        """Return the JSON-ready answer object."""
        data = asdict(self)
        del data["candidates"]
        return data


def make_citation(doc: Document, passage: Passage, start: int, end: int, score: float) -> Citation:
    """Cite text[start:end] of `doc`; the quote is always that exact slice (and its page, for a PDF)."""
    page = doc.page_at(start)
    return Citation(
        quote=doc.text[start:end],
        passage_id=passage.passage_id,
        document_id=doc.doc_id,
        title=doc.title,
        author=doc.author,
        publisher=doc.publisher,
        locator=passage.locator_on(page),
        section=passage.section,
        start=start,
        end=end,
        score=round(float(score), 6),
        page=page,
    )


def passage_refs(hits: list[Hit], index: Index) -> tuple[PassageRef, ...]:
    """Return the retrieved passages as context for the answer."""
    return tuple(
        PassageRef(
            h.passage.passage_id,
            h.passage.doc_id,
            h.passage.text,
            round(h.score, 6),
            h.passage.locator,
            h.passage.start,
            h.passage.end,
        )
        for h in hits
    )
