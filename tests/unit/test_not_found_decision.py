"""The not-found decision: the confidence model's formula, and answered exactly when a candidate quote
exists and its confidence reaches answer.min_confidence (equal is enough), not_found otherwise."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from assistant import Assistant, Document, pipeline
from assistant.answer.confidence import CONFIDENCE_WEIGHTS, FEATURES, confidence
from assistant.config import settings_from_mapping

PARAGRAPHS = [
    "Home visits are planned a week ahead with the family.",
    "A second worker joins any visit where a risk of violence has been recorded.",
    "Visits are cancelled only by a manager, who tells the family the same day.",
    "Supervision notes are kept on the case file for six years.",
    "Every practitioner has supervision with a manager once a month.",
]
QUESTION = "Who joins a visit where a risk of violence has been recorded?"
QUOTE = "A second worker joins any visit where a risk of violence has been recorded."


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_confidence_is_the_logistic_of_the_weighted_features_plus_the_bias():
    bias = CONFIDENCE_WEIGHTS["bias"]
    assert confidence({}) == pytest.approx(logistic(bias), abs=1e-12)
    features = {name: (i + 1) / 10 for i, name in enumerate(FEATURES)}
    z = bias + sum(CONFIDENCE_WEIGHTS[k] * v for k, v in features.items())
    assert confidence(features) == pytest.approx(logistic(z), abs=1e-12)
    # Only the model's features count: anything else in the dict is ignored.
    assert confidence({"bias": 5.0, "passage_score": 9.0}) == confidence({})
    # Each feature moves the confidence the way its weight says.
    for name in FEATURES:
        moved = confidence({name: 1.0}) - confidence({})
        assert math.copysign(1, moved) == math.copysign(1, CONFIDENCE_WEIGHTS[name]), name


def test_confidence_saturates_without_overflow():
    name = max(FEATURES, key=lambda k: CONFIDENCE_WEIGHTS[k])  # a positive weight
    assert confidence({name: 1e9}) == logistic(50.0)
    assert confidence({name: -1e9}) == logistic(-50.0)
    assert 0.0 < confidence({name: -1e9}) < 1e-21


def assistant_at(tmp_path, threshold: float) -> Assistant:
    settings = settings_from_mapping(
        {"answer": {"min_confidence": threshold}, "retrieval": {"index_dir": str(tmp_path / "index")}}
    )
    return Assistant([Document.from_paragraphs("visits", PARAGRAPHS, {"title": "Visits"})], settings)


@pytest.fixture
def fixed_confidence(monkeypatch):
    """Make the model return 0.5 for any candidate, so the threshold alone decides."""
    monkeypatch.setattr(pipeline, "confidence", lambda features: 0.5)


def test_a_confidence_equal_to_the_threshold_answers(tmp_path, fixed_confidence):
    answer = assistant_at(tmp_path, 0.5).ask(QUESTION)
    assert answer.status == "answered"
    assert answer.answer == QUOTE and [c.quote for c in answer.citations] == [QUOTE]
    assert answer.candidates == answer.citations
    assert answer.message == ""
    assert (answer.evidence["confidence"], answer.evidence["threshold"]) == (0.5, 0.5)


def test_a_confidence_just_under_the_threshold_is_not_found_and_keeps_its_candidate(
    tmp_path, fixed_confidence
):
    answer = assistant_at(tmp_path, 0.5000001).ask(QUESTION)
    assert answer.status == "not_found"
    assert (answer.answer, answer.citations) == ("", ())
    assert answer.message == "The document does not cover this."
    # The candidate stays for evaluate.py --sweep, never in what users see.
    assert [c.quote for c in answer.candidates] == [QUOTE]
    assert "candidates" not in answer.to_dict()
    assert (answer.evidence["confidence"], answer.evidence["threshold"]) == (0.5, 0.5000001)


def test_the_evidence_records_the_rounded_confidence_and_features(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "confidence", lambda features: 0.123456789)
    answer = assistant_at(tmp_path, 0.1).ask(QUESTION)
    assert answer.status == "answered"
    assert answer.evidence["confidence"] == 0.123457
    features = answer.evidence["features"]
    assert set(features) >= set(FEATURES)
    assert all(v == round(v, 6) for v in features.values())
    assert any(0.0 < v < 1.0 for v in features.values())  # rounded to 6 places, not to whole numbers


def test_with_no_candidate_the_threshold_cannot_answer(tmp_path):
    answer = assistant_at(tmp_path, 0.0).ask("What is the capital of France?")
    assert answer.status == "not_found"
    assert answer.candidates == ()
    assert answer.evidence["confidence"] == 0.0 and "features" not in answer.evidence


def test_the_real_model_answers_above_and_abstains_below_its_own_confidence(tmp_path):
    certainty = assistant_at(tmp_path, 0.0).ask(QUESTION).evidence["confidence"]
    assert 0.0 < certainty < 1.0
    assert assistant_at(tmp_path, certainty - 1e-6).ask(QUESTION).status == "answered"
    assert assistant_at(tmp_path, certainty + 1e-6).ask(QUESTION).status == "not_found"


@pytest.mark.parametrize(
    ("question", "quote", "flag"),
    [
        ("How many offenders are there?", "Offenders are many.", "no_count"),
        ("What is the LADO's phone number?", "Call the LADO.", "no_phone"),
        ("What does ATSA stand for?", "ATSA runs courses.", "no_expansion"),
        ("Which treatment works best?", "Treatment is offered.", "no_ranking"),
    ],
)
def test_a_quote_without_what_the_question_asks_for_is_not_an_answer(question, quote, flag):
    evidence = {}
    assert pipeline._misses_what_is_asked(question, quote, evidence) is True
    assert evidence == {flag: True}


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        ("How many offenders are there?", "There are 300 offenders."),
        ("What is the LADO's phone number?", "Call the LADO on 020 7946 0000."),
        (
            "What does ATSA stand for?",
            "The Association for the Treatment of Sexual Abusers (ATSA) runs courses.",
        ),
        ("Which treatment works best?", "Cognitive behavioural programmes work best."),
        ("Who visits?", "A worker visits."),
    ],
)
def test_a_quote_with_what_the_question_asks_for_may_answer(question, quote):
    evidence = {}
    assert pipeline._misses_what_is_asked(question, quote, evidence) is False
    assert evidence == {}


def test_a_quote_that_misses_what_is_asked_is_not_found_at_any_threshold(tmp_path, monkeypatch):
    seen = []

    def misses(question, text, evidence):
        seen.append((question, text))
        evidence["no_count"] = True
        return True

    monkeypatch.setattr(pipeline, "_misses_what_is_asked", misses)
    answer = assistant_at(tmp_path, 0.0).ask(QUESTION)
    assert seen == [(QUESTION, QUOTE)]
    assert answer.status == "not_found"
    assert answer.evidence["no_count"] is True and answer.candidates == ()


def match(coverage: float, score: float):
    return SimpleNamespace(coverage=coverage, score=score)


OPEN_AT = SimpleNamespace(open_question_coverage=0.33)


def test_a_question_the_document_asks_is_left_open_only_when_it_covers_enough_and_matches_better():
    clear, margin = pipeline.OPEN_QUESTION_CLEAR, pipeline.OPEN_QUESTION_MARGIN
    assert (clear, margin) == (0.6, 0.25)
    assert pipeline._leaves_open(None, None, OPEN_AT) is False
    assert pipeline._leaves_open(None, match(0.33, 0.0), OPEN_AT) is True  # coverage at the bar
    assert pipeline._leaves_open(None, match(0.3299, 9.0), OPEN_AT) is False
    # Covering at least 0.6 of the question, it only has to score above the best answer.
    assert pipeline._leaves_open(match(1.0, 2.0), match(0.6, 2.0001), OPEN_AT) is True
    assert pipeline._leaves_open(match(1.0, 2.0), match(0.6, 2.0), OPEN_AT) is False
    # Covering less, it has to score more than 0.25 above it.
    assert pipeline._leaves_open(match(1.0, 2.0), match(0.5, 2.2501), OPEN_AT) is True
    assert pipeline._leaves_open(match(1.0, 2.0), match(0.5, 2.25), OPEN_AT) is False


def test_a_question_the_document_leaves_open_is_an_open_question_answer_with_its_evidence(assistant):
    question = "What is the role of attachment in sexual offending?"
    answer = assistant.ask(question)
    assert answer.status == "open_question"
    assert (answer.question, answer.resolved_question) == (question, question)
    assert answer.message == "The document raises this question but does not answer it."
    assert answer.evidence["open_question"] is True
    assert set(answer.evidence) >= {"confidence", "threshold", "open_question"}
    assert answer.passages and all(p.passage_id for p in answer.passages)
    assert isinstance(answer.candidates, tuple)
    assert answer.to_dict()["evidence"]["open_question"] is True
