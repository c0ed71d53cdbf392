"""Judge each answer against its gold, aggregate the metrics of a run, and sweep the not-found threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import metrics as m
from .questions import ANSWERABLE, KINDS, OPEN, UNANSWERABLE, Question
from .runner import ERROR, Record

ANSWERED, NOT_FOUND, OPEN_QUESTION = "answered", "not_found", "open_question"
SWEEP_GRID = tuple(round(i * 0.05, 2) for i in range(21))  # 0.00, 0.05, ..., 1.00


@dataclass(frozen=True, slots=True)
class Verdict:
    correct: bool
    f1: float
    reason: str  # why the answer is wrong; "" when it is right


def judge(q: Question, status: str, quote: str) -> Verdict:
    """Judge one answer: right, its SQuAD token F1, and why it is wrong.

    answerable: right when the status is answered and the quote contains a gold answer;
    open: right when the status is open_question and the quote contains a gold answer;
    unanswerable: right when the status is not_found (F1 1.0 then, else 0.0, as SQuAD v2.0 scores no-answer).
    """
    if q.category == UNANSWERABLE:
        if status == NOT_FOUND:
            return Verdict(True, 1.0, "")
        if status == ERROR:
            return Verdict(False, 0.0, "the engine refused the question")
        return Verdict(False, 0.0, f"the document does not answer this, but the status is {status}")
    expected = ANSWERED if q.category == ANSWERABLE else OPEN_QUESTION
    f1 = m.best_f1(quote if status == expected else "", q.answers)
    if status == expected:
        if m.contains_answer(quote, q.answers):
            return Verdict(True, f1, "")
        return Verdict(False, f1, "the quote contains no gold answer")
    if status == NOT_FOUND:
        return Verdict(False, f1, "abstained (not_found)")
    if status == ERROR:
        return Verdict(False, f1, "the engine refused the question")
    return Verdict(False, f1, f"expected status {expected}, got {status}")


def relabel(record: Record, threshold: float) -> tuple[str, str]:
    """Return the (status, quote) the engine would give at another not-found threshold.

    answered iff a candidate quote exists and confidence >= threshold; answers that did not come
    from the threshold (open questions, "who wrote this") keep their status.
    """
    if not record.thresholded:
        return record.status, record.quote
    if (
        record.candidate_quote is not None
        and record.confidence is not None
        and record.confidence >= threshold
    ):
        return ANSWERED, record.candidate_quote
    return NOT_FOUND, ""


def summarise(records: Sequence[Record], verdicts: Sequence[Verdict]) -> dict:
    """Return every metric of a run as nested dicts (None where a metric has no questions)."""
    by_cat: dict[str, list[tuple[Record, Verdict]]] = {ANSWERABLE: [], UNANSWERABLE: [], OPEN: []}
    for r, v in zip(records, verdicts, strict=True):
        by_cat[r.question.category].append((r, v))
    has, no = by_cat[ANSWERABLE], by_cat[UNANSWERABLE]
    has_ok = sum(v.correct for _, v in has)
    no_ok = sum(v.correct for _, v in no)
    all_ok = sum(v.correct for v in verdicts)
    false_answers = sum(r.status == ANSWERED for r, _ in no)
    false_abstentions = sum(r.status == NOT_FOUND for r, _ in has)
    answers = {
        "hasans": _share(has_ok, len(has)) | {"f1": m.mean([v.f1 for _, v in has])},
        "noans": _share(no_ok, len(no)),
        "overall": _share(all_ok, len(records)) | {"f1": m.mean([v.f1 for v in verdicts])},
        "false_answer_rate": _share(false_answers, len(no)),
        "false_abstention_rate": _share(false_abstentions, len(has)),
        "abstention_leads": _abstention_leads(has),
        "errors": sum(r.status == ERROR for r in records),
    }
    return {
        "questions": len(records),
        "answers": answers,
        "by_kind": _by_kind(records, verdicts),
        "retrieval": _retrieval(records),
        "faithfulness": _faithfulness(records),
        "answer_words": _lengths(records),
        "latency_ms": _latency(records),
    }


def _abstention_leads(has: Sequence[tuple[Record, Verdict]]) -> dict:
    """Of the answerable questions answered not_found: how often a gold answer is in the text of one of
    the first three related passages shown (the practitioner whose wording missed lands next to it)."""
    missed = [r for r, _ in has if r.status == NOT_FOUND]
    led = sum(
        any(
            m.contains_answer(p.get("text", ""), r.question.answers) for p in r.answer.get("passages", [])[:3]
        )
        for r in missed
    )
    return _share(led, len(missed))


def sweep(records: Sequence[Record], default: float | None, grid: Sequence[float] = SWEEP_GRID) -> dict:
    """Re-label every question at each threshold (no second pass) and return the risk-coverage rows.

    Each row: threshold, answered (count and share of all questions = coverage), risk (share of the
    answered that are wrong), HasAns / NoAns / overall accuracy. `best` is the threshold with the
    highest overall accuracy (the highest such threshold on a tie); `mismatches` counts questions whose
    re-labelling at the default disagrees with what the engine returned (should be 0).
    """
    rows = []
    cats = [r.question.category for r in records]
    # Each question has at most two outcomes over all thresholds: judge each once.
    cache: dict[tuple[int, str, str], Verdict] = {}
    for t in sorted(set(grid) | ({default} if default is not None else set())):
        labels = [relabel(r, t) for r in records]
        verdicts = []
        for i, (r, label) in enumerate(zip(records, labels, strict=True)):
            if (i, *label) not in cache:
                cache[(i, *label)] = judge(r.question, *label)
            verdicts.append(cache[(i, *label)])
        answered = [v for (s, _), v in zip(labels, verdicts, strict=True) if s == ANSWERED]
        rows.append(
            {
                "threshold": t,
                "answered": len(answered),
                "coverage": m.rate(len(answered), len(records)),
                "risk": m.rate(sum(not v.correct for v in answered), len(answered)),
                "hasans": _accuracy(verdicts, cats, ANSWERABLE),
                "noans": _accuracy(verdicts, cats, UNANSWERABLE),
                "overall": m.rate(sum(v.correct for v in verdicts), len(verdicts)),
                "default": t == default,
            }
        )
    best = max(rows, key=lambda row: (row["overall"] or 0.0, row["threshold"]))["threshold"]
    mismatches = 0 if default is None else sum(relabel(r, default) != (r.status, r.quote) for r in records)
    return {"rows": rows, "default": default, "best": best, "mismatches": mismatches}


def _accuracy(verdicts: Sequence[Verdict], cats: Sequence[str], category: str) -> float | None:
    chosen = [v.correct for v, c in zip(verdicts, cats, strict=True) if c == category]
    return m.rate(sum(chosen), len(chosen))


def _share(count: int, total: int) -> dict:
    return {"n": total, "count": count, "rate": m.rate(count, total)}


def _by_kind(records: Sequence[Record], verdicts: Sequence[Verdict]) -> dict:
    groups: dict[str, list[bool]] = {}
    for r, v in zip(records, verdicts, strict=True):
        groups.setdefault(r.question.kind, []).append(v.correct)
        if r.question.scope:
            groups.setdefault(f"{r.question.kind}/{r.question.scope}", []).append(v.correct)
    order = {k: i for i, k in enumerate(KINDS)}
    keys = sorted(groups, key=lambda k: (order.get(k.split("/")[0], len(order)), k))
    return {k: _share(sum(groups[k]), len(groups[k])) for k in keys}


def _retrieval(records: Sequence[Record]) -> dict:
    """Average the ranking measures over the questions that have at least one gold passage."""
    scored = [r for r in records if r.question.gold_passages]
    values: dict[str, list[float]] = {
        "success@1": [],
        "success@5": [],
        "mrr@10": [],
        "ndcg@10": [],
        "recall@5": [],
        "recall@10": [],
    }
    for r in scored:
        ranking = [pid for pid, _ in r.ranking]
        gold = r.question.gold_passages
        values["success@1"].append(m.success_at(ranking, gold, 1))
        values["success@5"].append(m.success_at(ranking, gold, 5))
        values["mrr@10"].append(m.reciprocal_rank(ranking, gold, 10))
        values["ndcg@10"].append(m.ndcg_at(ranking, gold, 10))
        values["recall@5"].append(m.recall_at(ranking, gold, 5))
        values["recall@10"].append(m.recall_at(ranking, gold, 10))
    return {"n": len(scored)} | {name: m.mean(v) for name, v in values.items()}


def _faithfulness(records: Sequence[Record]) -> dict:
    quotes = sum(r.quotes for r in records)
    bad = [{"id": r.question.qid, "problem": p} for r in records for p in r.unfaithful]
    return {
        "quotes": quotes,
        "faithful": quotes - len(bad),
        "rate": m.rate(quotes - len(bad), quotes),
        "unfaithful": bad,
    }


def _lengths(records: Sequence[Record]) -> dict:
    words = [len(r.quote.split()) for r in records if r.status in (ANSWERED, OPEN_QUESTION) and r.quote]
    return {"n": len(words), "mean": m.mean(words), "p95": m.percentile(words, 95)}


def _latency(records: Sequence[Record]) -> dict:
    ms = [r.latency * 1000 for r in records]
    return {"n": len(ms), "median": m.median(ms), "p95": m.percentile(ms, 95)}
