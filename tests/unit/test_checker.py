"""The answer checker (a cross-encoder) and how its probability picks and weighs the best sentence."""

from __future__ import annotations

import pytest

from assistant import Assistant, Document, Settings
from assistant.answer.confidence import CHECKER_FEATURES, CHECKER_WEIGHTS, confidence
from assistant.config import apply_overrides
from assistant.errors import ConfigError
from assistant.language.checker import shared_checker

CAPITAL = "What is the capital of France?"


@pytest.fixture(scope="module")
def checker():
    return shared_checker()


def test_a_sentence_that_answers_scores_above_one_that_does_not(checker):
    answers = checker.score(CAPITAL, "Paris is the capital and largest city of France.")
    other = checker.score(CAPITAL, "The Normans settled in Normandy in the tenth century.")
    assert 0.0 <= other < answers <= 1.0
    assert answers > 0.5 > other


def test_it_tells_the_asked_thing_from_a_near_one(checker):
    # The same words, another relation: founded is not funded.
    asked = checker.score("Who founded the charity?", "The charity was founded by Ann Smith in 1990.")
    near = checker.score("Who founded the charity?", "The charity is funded by the local council.")
    assert asked > near


def test_scores_are_reproducible_and_odd_text_is_read(checker):
    pair = ("When must staff report a concern?", "Staff must report a concern on the same day.")
    assert checker.score(*pair) == checker.score(*pair)
    # A lone surrogate and a very long sentence (cut to the model's length) do not stop it.
    assert 0.0 <= checker.score("What is \ud800 this?", "word " * 2000) <= 1.0


def test_the_checker_model_weighs_its_probability_and_only_upwards():
    assert "checked" in CHECKER_FEATURES and CHECKER_WEIGHTS["checked"] > 0
    features = {k: 0.5 for k in CHECKER_FEATURES if k != "checked"}
    low, high = (confidence({**features, "checked": p}) for p in (0.05, 0.95))
    assert low < high


DOCS = [
    Document.from_paragraphs(
        "policy",
        [
            "Staff must report a concern to the designated safeguarding lead on the same day.",
            "Records of a concern are kept securely for six years after the child leaves the school.",
            "The governing body reviews this policy every year in September.",
        ],
    )
]
QUESTION = "What happens to records of a concern?"


class _Prefers:
    """A stand-in checker: probability 1 for sentences holding `words`, 0 for the rest."""

    def __init__(self, words: str) -> None:
        self.words = words
        self.asked: list[str] = []

    def score(self, question: str, sentence: str) -> float:
        self.asked.append(sentence)
        return 1.0 if self.words in sentence else 0.0


def _assistant(tmp_path, *overrides: str) -> Assistant:
    settings = apply_overrides(
        Settings(), [f"retrieval.index_dir={tmp_path}", "answer.semantic=false", *overrides]
    )
    return Assistant(DOCS, settings)


def test_off_by_setting_no_checker_is_asked(tmp_path):
    answer = _assistant(tmp_path).ask(QUESTION)
    assert "checked" not in answer.evidence["features"]


def test_its_probability_can_change_the_best_sentence_only_with_weight(tmp_path, monkeypatch):
    fake = _Prefers("same day")
    monkeypatch.setattr("assistant.language.checker.shared_checker", lambda: fake)
    heavy = _assistant(tmp_path, "answer.checker=true", "answer.checker_weight=100")
    answer = heavy.ask(QUESTION)
    assert answer.evidence["features"]["checked"] == 1.0
    assert "same day" in answer.candidate_text
    # It read at most answer.checker_candidates sentences.
    assert 1 <= len(fake.asked) <= 3
    fake.asked.clear()
    weightless = _assistant(tmp_path, "answer.checker=true", "answer.checker_weight=0")
    answer = weightless.ask(QUESTION)
    assert "six years" in answer.candidate_text
    assert answer.evidence["features"]["checked"] == 0.0


def test_it_reads_only_as_many_sentences_as_set(tmp_path, monkeypatch):
    fake = _Prefers("same day")
    monkeypatch.setattr("assistant.language.checker.shared_checker", lambda: fake)
    _assistant(tmp_path, "answer.checker=true", "answer.checker_candidates=1").ask(QUESTION)
    assert len(fake.asked) == 1


def test_a_follow_up_carrying_words_from_the_history_is_decided_without_it(tmp_path, monkeypatch):
    fake = _Prefers("same day")
    monkeypatch.setattr("assistant.language.checker.shared_checker", lambda: fake)
    on = _assistant(tmp_path, "answer.checker=true")
    follow_up = on.ask("How long are they kept?", [QUESTION])
    assert follow_up.resolved_question != follow_up.question  # words were carried
    assert fake.asked == [] and "checked" not in follow_up.evidence["features"]
    alone = on.ask("How long are records of a concern kept?")
    assert fake.asked and "checked" in alone.evidence["features"]


@pytest.mark.parametrize("override", ["answer.checker_candidates=0", "answer.checker_weight=-1"])
def test_settings_that_would_read_nothing_or_punish_agreement_are_refused(override):
    with pytest.raises(ConfigError, match=override.split("=")[0]):
        apply_overrides(Settings(), [override])


def test_the_shipped_checker_confirms_the_right_sentence(tmp_path):
    answer = _assistant(tmp_path, "answer.checker=true").ask(QUESTION)
    assert "six years" in answer.candidate_text
    assert answer.evidence["features"]["checked"] > 0.5
