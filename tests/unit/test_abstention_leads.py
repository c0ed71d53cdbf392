"""evaluate.py's count of abstentions whose gold answer is in the first three related passages."""

from __future__ import annotations

from evaluation.questions import Question
from evaluation.runner import Record
from evaluation.scoring import judge, summarise


def _record(kind: str, status: str, passages: list[str], answers=("six years",)) -> Record:
    q = Question(
        qid=f"q{len(passages)}{status}", kind=kind, question="How long are records kept?", answers=answers
    )
    answer = {"status": status, "passages": [{"text": t} for t in passages]}
    return Record(q, answer, status, "", 0.1, 0.4, None, True, (), 0, (), 0.001)


def test_counts_only_answerable_abstentions_and_only_the_first_three_passages():
    records = [
        _record("fact", "not_found", ["Records are kept for six years."]),  # led
        _record("fact", "not_found", ["a", "b", "c", "Records are kept for six years."]),  # fourth: not led
        _record("fact", "not_found", []),  # nothing shown: not led
        _record("fact", "answered", ["Records are kept for six years."]),  # not an abstention
        _record("not-in-document", "not_found", ["six years"], answers=()),  # unanswerable: not counted
    ]
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    leads = summarise(records, verdicts)["answers"]["abstention_leads"]
    assert (leads["n"], leads["count"]) == (3, 1)
    assert abs(leads["rate"] - 1 / 3) < 1e-9


def test_no_abstentions_gives_no_rate():
    records = [_record("fact", "answered", ["Records are kept for six years."])]
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    leads = summarise(records, verdicts)["answers"]["abstention_leads"]
    assert leads["n"] == 0 and leads["count"] == 0 and leads["rate"] is None
