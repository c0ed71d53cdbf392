"""evaluation/scoring.py by hand: what each status counts as, for each kind of question, and the sweep.

The benchmark must not flatter the engine: on an unanswerable question only `not_found` is right; an
`open_question`, an answer, a refusal (the engine's QueryError, recorded as status `error`) or any other
status is wrong. An abstention on an answerable question is a miss and a false abstention; a refusal is a
miss but not an abstention.
"""

from __future__ import annotations

import pytest

from evaluation.questions import Question
from evaluation.runner import ERROR, Record
from evaluation.scoring import SWEEP_GRID, Verdict, judge, relabel, summarise, sweep

FACT = Question("f", "fact", "Who decides?", answers=("the manager",))
OPEN = Question("o", "open-question", "What comes first?", answers=("safety",))
NO_ANSWER = Question("n", "not-in-document", "What is the capital of France?")
GOLD_QUOTE = "The manager decides."


def record(q: Question, status: str, quote: str = "", **kw) -> Record:
    fields = {
        "question": q,
        "answer": {"status": status},
        "status": status,
        "quote": quote,
        "confidence": None,
        "threshold": None,
        "candidate_quote": None,
        "thresholded": False,
        "ranking": (),
        "quotes": 1 if quote else 0,
        "unfaithful": (),
        "latency": 0.001,
    }
    return Record(**(fields | kw))


# ---------------------------------------------------------------- judge: unanswerable questions


def test_not_found_on_an_unanswerable_question_is_right_with_f1_1():
    assert judge(NO_ANSWER, "not_found", "") == Verdict(True, 1.0, "")


@pytest.mark.parametrize(
    ("status", "quote", "reason"),
    [
        (
            "answered",
            "Lone working policies apply.",
            "the document does not answer this, but the status is answered",
        ),
        (
            "open_question",
            "What comes first?",
            "the document does not answer this, but the status is open_question",
        ),
        (ERROR, "", "the engine refused the question"),
        ("", "", "the document does not answer this, but the status is "),
        ("unknown", "", "the document does not answer this, but the status is unknown"),
    ],
    ids=["answered", "open_question", "refused", "empty-status", "unknown-status"],
)
def test_only_not_found_counts_as_a_right_noans(status, quote, reason):
    assert judge(NO_ANSWER, status, quote) == Verdict(False, 0.0, reason)


# ---------------------------------------------------------------- judge: answerable and open questions


def test_an_answer_is_right_only_with_the_expected_status_and_a_gold_in_the_quote():
    # tokens "manager decides" vs "manager": P 1/2, R 1 -> F1 2/3
    assert judge(FACT, "answered", GOLD_QUOTE) == Verdict(True, pytest.approx(2 / 3), "")
    assert judge(FACT, "answered", "Nobody knows.") == Verdict(
        False, 0.0, "the quote contains no gold answer"
    )
    # "your safety comes first" vs "safety": P 1/4, R 1 -> F1 2/5
    assert judge(OPEN, "open_question", "Your safety comes first.") == Verdict(True, pytest.approx(0.4), "")
    assert judge(OPEN, "open_question", "Nobody knows.").reason == "the quote contains no gold answer"


@pytest.mark.parametrize(
    ("q", "status", "reason"),
    [
        (FACT, "not_found", "abstained (not_found)"),
        (FACT, ERROR, "the engine refused the question"),
        (FACT, "open_question", "expected status answered, got open_question"),
        (OPEN, "answered", "expected status open_question, got answered"),
        (OPEN, "not_found", "abstained (not_found)"),
        (OPEN, ERROR, "the engine refused the question"),
    ],
)
def test_the_wrong_status_is_a_miss_with_f1_0_even_when_the_quote_holds_the_gold(q, status, reason):
    # The quote holds both golds: only the status makes these wrong, and F1 scores an empty prediction.
    assert judge(q, status, "The manager says safety first.") == Verdict(False, 0.0, reason)


# ---------------------------------------------------------------- summarise: the answer metrics


def test_noans_counts_only_not_found_and_false_answers_count_only_answered():
    records = [
        record(NO_ANSWER, "not_found"),
        record(NO_ANSWER, "answered", "Lone working policies apply."),
        record(NO_ANSWER, "open_question", "What comes first?"),
        record(NO_ANSWER, ERROR),
        record(FACT, "answered", GOLD_QUOTE),
        record(FACT, "not_found"),
        record(FACT, ERROR),
        record(OPEN, "open_question", "Your safety comes first."),
    ]
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    a = summarise(records, verdicts)["answers"]
    assert a["noans"] == {"n": 4, "count": 1, "rate": 0.25}
    assert a["hasans"] | {"f1": None} == {"n": 3, "count": 1, "rate": pytest.approx(1 / 3), "f1": None}
    assert a["hasans"]["f1"] == pytest.approx((2 / 3) / 3)
    assert a["overall"]["n"] == 8 and a["overall"]["count"] == 3
    # F1: not_found on NoAns 1, the hit 2/3, the open item 2/5; every other record 0
    assert a["overall"]["f1"] == pytest.approx((1 + 2 / 3 + 2 / 5) / 8)
    # Only an answer is a false answer; an open question or a refusal is wrong but not a false answer.
    assert a["false_answer_rate"] == {"n": 4, "count": 1, "rate": 0.25}
    # Only not_found is an abstention; a refusal is a miss but not an abstention.
    assert a["false_abstention_rate"] == {"n": 3, "count": 1, "rate": pytest.approx(1 / 3)}
    assert a["errors"] == 2


def test_metrics_without_questions_of_a_kind_are_none():
    records = [record(FACT, "answered", GOLD_QUOTE)]
    metrics = summarise(records, [judge(FACT, "answered", GOLD_QUOTE)])
    assert metrics["answers"]["noans"] == {"n": 0, "count": 0, "rate": None}
    assert metrics["answers"]["false_answer_rate"]["rate"] is None
    assert metrics["retrieval"]["n"] == 0 and metrics["retrieval"]["mrr@10"] is None
    assert metrics["faithfulness"] == {"quotes": 1, "faithful": 1, "rate": 1.0, "unfaithful": []}
    assert metrics["answer_words"] == {"n": 1, "mean": 3.0, "p95": 3}


def test_answer_length_counts_answers_and_open_questions_only():
    records = [
        record(FACT, "answered", "one two three"),
        record(OPEN, "open_question", "one two three four five"),
        record(NO_ANSWER, "not_found", ""),
        record(FACT, ERROR, ""),
        record(FACT, "answered", ""),
    ]
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    assert summarise(records, verdicts)["answer_words"] == {"n": 2, "mean": 4.0, "p95": 5}


def test_latency_is_reported_in_milliseconds():
    records = [record(FACT, "not_found", latency=s) for s in (0.001, 0.003, 0.002)]
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    assert summarise(records, verdicts)["latency_ms"] == {
        "n": 3,
        "median": pytest.approx(2.0),
        "p95": pytest.approx(3.0),
    }


def test_unfaithful_quotes_are_listed_by_question():
    records = [record(FACT, "answered", GOLD_QUOTE, quotes=2, unfaithful=("quote is not text[0:3]",))]
    faithfulness = summarise(records, [judge(FACT, "answered", GOLD_QUOTE)])["faithfulness"]
    assert faithfulness == {
        "quotes": 2,
        "faithful": 1,
        "rate": 0.5,
        "unfaithful": [{"id": "f", "problem": "quote is not text[0:3]"}],
    }


def test_accuracy_per_kind_and_scope_in_kind_order():
    scoped = Question("s", "not-in-document", "Q?", scope="in-domain")
    records = [
        record(scoped, "answered", "x"),
        record(OPEN, "open_question", "safety"),
        record(FACT, "answered", GOLD_QUOTE),
        record(NO_ANSWER, "not_found"),
    ]
    by_kind = summarise(records, [judge(r.question, r.status, r.quote) for r in records])["by_kind"]
    assert list(by_kind) == ["fact", "not-in-document", "not-in-document/in-domain", "open-question"]
    assert by_kind["not-in-document"] == {"n": 2, "count": 1, "rate": 0.5}
    assert by_kind["not-in-document/in-domain"] == {"n": 1, "count": 0, "rate": 0.0}


def test_retrieval_is_averaged_over_questions_with_a_gold_passage():
    gold = Question("g", "fact", "Q?", answers=("x",), gold_passages=frozenset({"d#2"}))
    records = [
        record(gold, "not_found", ranking=(("d#1", 2.0), ("d#2", 1.0))),
        record(FACT, "not_found", ranking=(("d#2", 1.0),)),  # gold_passages None: left out
    ]
    r = summarise(records, [judge(x.question, x.status, x.quote) for x in records])["retrieval"]
    assert r["n"] == 1
    assert (r["success@1"], r["success@5"], r["mrr@10"], r["recall@5"]) == (0.0, 1.0, 0.5, 1.0)


# ---------------------------------------------------------------- relabel and sweep


def test_relabel_answers_at_or_above_the_threshold_and_keeps_what_the_threshold_did_not_decide():
    r = record(FACT, "answered", GOLD_QUOTE, confidence=0.5, candidate_quote=GOLD_QUOTE, thresholded=True)
    assert relabel(r, 0.5) == ("answered", GOLD_QUOTE)
    assert relabel(r, 0.51) == ("not_found", "")
    no_candidate = record(FACT, "not_found", confidence=0.9, thresholded=True)
    assert relabel(no_candidate, 0.0) == ("not_found", "")
    no_confidence = record(FACT, "not_found", candidate_quote=GOLD_QUOTE, thresholded=True)
    assert relabel(no_confidence, 0.0) == ("not_found", "")
    kept = record(OPEN, "open_question", "safety", confidence=0.1, candidate_quote="x", thresholded=False)
    assert relabel(kept, 0.9) == ("open_question", "safety")


def test_sweep_rows_risk_coverage_best_and_mismatches():
    records = [
        record(FACT, "answered", GOLD_QUOTE, confidence=0.6, candidate_quote=GOLD_QUOTE, thresholded=True),
        record(NO_ANSWER, "answered", "x y", confidence=0.3, candidate_quote="x y", thresholded=True),
        record(NO_ANSWER, ERROR),
    ]
    result = sweep(records, 0.25, grid=(0.0, 0.5, 1.0))
    rows = {row["threshold"]: row for row in result["rows"]}
    assert list(rows) == [0.0, 0.25, 0.5, 1.0]
    assert rows[0.25] == {
        "threshold": 0.25,
        "answered": 2,
        "coverage": pytest.approx(2 / 3),
        "risk": 0.5,
        "hasans": 1.0,
        "noans": 0.0,  # the refusal stays wrong at every threshold
        "overall": pytest.approx(1 / 3),
        "default": True,
    }
    assert (rows[0.5]["answered"], rows[0.5]["noans"], rows[0.5]["overall"]) == (1, 0.5, pytest.approx(2 / 3))
    assert (rows[1.0]["answered"], rows[1.0]["risk"], rows[1.0]["hasans"]) == (0, None, 0.0)
    assert [t for t, row in rows.items() if row["default"]] == [0.25]
    assert result["best"] == 0.5  # 2/3 overall, the highest
    assert result["mismatches"] == 0 and result["default"] == 0.25
    # A record that disagrees with its own re-labelling at the default is counted.
    off = record(FACT, "not_found", confidence=0.9, candidate_quote=GOLD_QUOTE, thresholded=True)
    assert sweep([off], 0.5, grid=(0.5,))["mismatches"] == 1
    assert sweep([off], None, grid=(0.5,))["mismatches"] == 0


def test_sweep_best_takes_the_highest_threshold_on_a_tie():
    records = [
        record(FACT, "answered", GOLD_QUOTE, confidence=0.9, candidate_quote=GOLD_QUOTE, thresholded=True)
    ]
    result = sweep(records, None, grid=(0.1, 0.2, 0.95))
    assert result["best"] == 0.2
    assert [row["default"] for row in result["rows"]] == [False, False, False]


def test_the_default_sweep_grid_is_0_to_1_in_steps_of_0_05():
    assert SWEEP_GRID[:3] == (0.0, 0.05, 0.1) and SWEEP_GRID[-1] == 1.0 and len(SWEEP_GRID) == 21


def test_records_and_verdicts_must_pair_up():
    with pytest.raises(ValueError):
        summarise([record(FACT, "not_found")] * 2, [judge(FACT, "not_found", "")])


def test_kinds_are_listed_in_the_question_file_order_then_others_by_name():
    kinds = ["unanswerable", "paraphrase", "answerable", "open-question", "follow-up", "fact"]
    records = [record(Question(k, k, "Q?", answers=("x",)), "not_found") for k in kinds]
    by_kind = summarise(records, [judge(r.question, r.status, r.quote) for r in records])["by_kind"]
    assert list(by_kind) == ["fact", "paraphrase", "follow-up", "open-question", "answerable", "unanswerable"]


def test_retrieval_counts_only_the_first_ten_passages():
    gold = Question("g", "fact", "Q?", answers=("x",), gold_passages=frozenset({"d#11"}))
    ranking = tuple((f"d#{i}", 20.0 - i) for i in range(1, 12))  # the gold passage 11th
    r = summarise([record(gold, "not_found", ranking=ranking)], [judge(gold, "not_found", "")])["retrieval"]
    assert (r["mrr@10"], r["ndcg@10"], r["recall@10"], r["success@5"]) == (0.0, 0.0, 0.0, 0.0)


def test_p95_is_the_95th_of_100_values():
    records = [record(FACT, "answered", " ".join(["w"] * n), latency=n / 1000) for n in range(1, 101)]
    metrics = summarise(records, [judge(r.question, r.status, r.quote) for r in records])
    assert metrics["answer_words"]["p95"] == 95
    assert metrics["latency_ms"]["p95"] == pytest.approx(95.0)
    assert metrics["latency_ms"]["median"] == pytest.approx(50.5)
