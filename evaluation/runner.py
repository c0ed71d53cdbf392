"""Ask every question once (timed) and keep what came back: answer, ranking, faithfulness check."""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from assistant import Assistant, NotFoundError, QueryError

from .questions import Question

RANK_DEPTH = 10  # passages ranked per question: enough for MRR@10, nDCG@10 and Recall@10
ERROR = "error"  # status recorded when the engine refuses a question


@dataclass(frozen=True, slots=True)
class Record:
    question: Question
    answer: dict  # Answer.to_dict(), or {"status": "error", "message": ...} when the engine refused
    status: str
    quote: str  # the quoted text (all citations joined by a space); "" when nothing was quoted
    confidence: float | None
    threshold: float | None  # the not-found threshold the engine compared the confidence with
    # The quote the engine would give at a lower threshold; lets --sweep re-label without asking again.
    candidate_quote: str | None
    # Whether the status follows from confidence >= threshold alone (answered / not_found),
    # so that --sweep may re-label it.
    thresholded: bool
    ranking: tuple[tuple[str, float], ...]  # (passage id, BM25 score), best first
    quotes: int
    unfaithful: tuple[str, ...]  # one explanation per quote that is not an exact slice of its cited passage
    latency: float  # seconds spent in Assistant.ask


class Progress:
    """One updating stderr line (count, rate, ETA) on a terminal; a line every 10 s otherwise."""

    def __init__(self, total: int, *, stream: TextIO | None = None, label: str = "questions") -> None:
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = self.shown = time.perf_counter()

    def update(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.shown >= (0.2 if self.tty else 10.0):
            self.shown = now
            elapsed = now - self.started
            speed = done / elapsed if elapsed else 0.0
            eta = (self.total - done) / speed if speed else 0.0
            self._write(f"{done:,}/{self.total:,} {self.label}  {speed:,.0f}/s  ETA {eta:,.0f} s")

    def finish(self) -> None:
        elapsed = time.perf_counter() - self.started
        speed = self.total / elapsed if elapsed else 0.0
        self._write(f"{self.total:,}/{self.total:,} {self.label} in {elapsed:,.1f} s ({speed:,.0f}/s)")
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def _write(self, line: str) -> None:
        self.stream.write(f"\r{line:<70}" if self.tty else f"{line}\n")
        self.stream.flush()


def run_questions(
    assistant: Assistant, questions: list[Question], progress: Progress | None = None, *, jobs: int = 1
) -> list[Record]:
    """Ask each question (timed) and rank passages for it (untimed); return one Record per question.

    With jobs > 1 (and fork available) the questions are shared out, in chunks, to that many forked
    processes that inherit the built assistant; the records come back in question order, the same as
    with one process (only the latencies differ from run to run).
    """
    records: list[Record] = []
    if jobs > 1 and len(questions) > _CHUNK and "fork" in mp.get_all_start_methods():
        global _SHARED
        _SHARED = assistant
        chunks = [questions[i : i + _CHUNK] for i in range(0, len(questions), _CHUNK)]
        try:
            with mp.get_context("fork").Pool(jobs) as pool:
                for chunk in pool.imap(_ask_chunk, chunks):
                    records.extend(chunk)
                    if progress is not None:
                        progress.update(len(records))
        finally:
            _SHARED = None
    else:
        for q in questions:
            records.append(_ask(assistant, q))
            if progress is not None:
                progress.update(len(records))
    if progress is not None:
        progress.finish()
    return records


_CHUNK = 64  # questions per task handed to a worker process
# The assistant the forked workers inherit (set only while a pool runs).
_SHARED: Assistant | None = None


def _ask_chunk(chunk: list[Question]) -> list[Record]:
    return [_ask(_SHARED, q) for q in chunk]


def _ask(assistant: Assistant, q: Question) -> Record:
    documents = list(q.documents) if q.documents is not None else None
    started = time.perf_counter()
    try:
        answer = assistant.ask(q.question, list(q.history), documents=documents)
    except QueryError as exc:
        latency = time.perf_counter() - started
        return Record(
            question=q,
            answer={"status": ERROR, "message": str(exc)},
            status=ERROR,
            quote="",
            confidence=None,
            threshold=None,
            candidate_quote=None,
            thresholded=False,
            ranking=(),
            quotes=0,
            unfaithful=(),
            latency=latency,
        )
    latency = time.perf_counter() - started
    retrieval = assistant.retrieve(q.question, list(q.history), k=RANK_DEPTH, documents=documents)
    evidence = answer.evidence
    # A metadata citation (an author named only in the YAML) quotes no text: it is not counted.
    quotes = [c for c in answer.citations if getattr(c, "source", "text") == "text"]
    unfaithful = tuple(problem for c in quotes if (problem := check_quote(assistant, c)))
    return Record(
        question=q,
        answer=answer.to_dict(),
        status=answer.status,
        quote=" ".join(c.quote for c in answer.citations),
        confidence=evidence.get("confidence"),
        threshold=evidence.get("threshold"),
        candidate_quote=" ".join(c.quote for c in answer.candidates) or None,
        thresholded=answer.status in ("answered", "not_found")
        and not evidence.get("about_document")
        and not evidence.get("next_step")
        and not evidence.get("open_question"),
        ranking=tuple((h.passage.passage_id, h.score) for h in retrieval.hits),
        quotes=len(quotes),
        unfaithful=unfaithful,
        latency=latency,
    )


def check_quote(assistant: Assistant, citation) -> str:
    """Return "" when the quote is the exact slice text[start:end] of its document inside the cited
    passage's [start, end); otherwise say what is wrong."""
    doc = assistant.documents.get(citation.document_id)
    if doc is None:
        return f"cites unknown document {citation.document_id!r}"
    try:
        passage = assistant.passage(citation.passage_id)
    except NotFoundError:
        return f"cites unknown passage {citation.passage_id!r}"
    if passage.doc_id != doc.doc_id:
        return f"passage {citation.passage_id} is not part of {citation.document_id}"
    if doc.text[citation.start : citation.end] != citation.quote:
        return f"quote is not text[{citation.start}:{citation.end}] of {citation.document_id}"
    if not (passage.start <= citation.start and citation.end <= passage.end):
        return (
            f"span {citation.start}-{citation.end} lies outside passage {citation.passage_id} "
            f"({passage.start}-{passage.end})"
        )
    return ""
