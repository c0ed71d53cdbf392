"""Write TREC run and qrels files so that trec_eval and ir-measures can recompute the retrieval metrics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .runner import Record

RUN_TAG = "grounded-assistant"


def trec_id(value: str) -> str:
    """Return an id without white space (TREC files are split on it)."""
    return "_".join(value.split())


def run_lines(records: Sequence[Record], *, tag: str = RUN_TAG) -> list[str]:
    """Return `qid Q0 docid rank score tag` lines, ranks from 1 and scores strictly decreasing.

    trec_eval re-sorts by score and breaks ties by document id, so tied BM25 scores are nudged down by
    a millionth (scores are written with six decimals) to keep our order.
    """
    lines = []
    for r in records:
        previous: int | None = None
        for rank, (pid, score) in enumerate(r.ranking, 1):
            micro = round(score * 1_000_000)
            if previous is not None and micro >= previous:
                micro = previous - 1
            previous = micro
            lines.append(f"{trec_id(r.question.qid)} Q0 {trec_id(pid)} {rank} {micro / 1_000_000:.6f} {tag}")
    return lines


def qrels_lines(records: Sequence[Record]) -> list[str]:
    """Return `qid 0 docid 1` lines, one per gold passage (questions without a gold passage have none)."""
    return [
        f"{trec_id(r.question.qid)} 0 {trec_id(pid)} 1"
        for r in records
        for pid in sorted(r.question.gold_passages or ())
    ]


def write_lines(path: str | Path, lines: list[str]) -> None:
    """Write lines to `path`, each ending with a newline."""
    Path(path).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
