"""The shipped sentence encoder and the sentence vectors saved with an index."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, Document, Settings
from assistant.config import apply_overrides
from assistant.language.checker import MODEL_FILE as CHECKER_FILE
from assistant.language.encoder import DIMENSIONS, MODEL_FILE, TOKENIZER_FILE, shared_encoder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def encoder():
    return shared_encoder()


def test_vectors_are_unit_length_and_in_input_order(encoder):
    texts = ["Which treatment works best?", "The capital of France is Paris.", "A much longer sentence " * 20]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # A text's vector is the same whatever else is encoded with it (reproducible answers).
    assert np.array_equal(vectors, encoder.encode(texts[::-1])[::-1])
    assert np.array_equal(vectors[1], encoder.encode([texts[1]])[0])


def test_a_reworded_question_is_nearer_its_answer_than_an_unrelated_sentence(encoder):
    q, answer, other = encoder.encode(
        [
            "What works best for treating offenders?",
            "Cognitive behavioural programmes are the most effective treatment for sex offenders.",
            "The Criminal Justice Act 2003 established the arrangements in each area.",
        ]
    )
    assert q @ answer > q @ other + 0.2


def test_empty_input_gives_no_vectors(encoder):
    assert encoder.encode([]).shape == (0, DIMENSIONS)


@pytest.mark.parametrize("model_file", [MODEL_FILE, CHECKER_FILE, TOKENIZER_FILE])
def test_each_shipped_model_file_matches_its_model_card(model_file):
    model = resources.files("assistant").joinpath(model_file).read_bytes()
    card = resources.files("assistant").joinpath("models/README.md").read_text(encoding="utf-8")
    name = model_file.rpartition("/")[2]
    listed = re.search(rf"`{re.escape(name)}` ([0-9a-f]{{64}})", card)
    assert listed is not None
    assert hashlib.sha256(model).hexdigest() == listed.group(1)


DOCS = [
    Document.from_paragraphs(
        "policy",
        [
            "Staff must report a concern to the designated safeguarding lead on the same day.",
            "Records are kept securely for six years after the child leaves the school.",
            "Volunteers receive safeguarding training before they start working with children.",
            "The governing body reviews this policy every year in September.",
            "Parents can ask to see the policy at the school office.",
        ],
    )
]


def test_sentence_vectors_are_saved_with_the_index_and_read_back(tmp_path):
    settings = apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}"])
    first = Assistant(DOCS, settings)
    saved = list(tmp_path.glob("*/sentences-*.npy"))
    assert len(saved) == 1
    second = Assistant(DOCS, settings)
    assert isinstance(second.meaning.vectors, np.memmap)
    assert np.array_equal(np.asarray(first.meaning.vectors), np.asarray(second.meaning.vectors))


def test_a_damaged_vectors_file_is_recomputed(tmp_path):
    settings = apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}"])
    first = Assistant(DOCS, settings)
    (saved,) = tmp_path.glob("*/sentences-*.npy")
    np.save(saved, np.zeros((2, 3), dtype=np.float16))
    again = Assistant(DOCS, settings)
    assert np.array_equal(np.asarray(first.meaning.vectors), np.asarray(again.meaning.vectors))


def test_not_found_shows_passages_nearest_in_meaning_with_the_closest_sentence(tmp_path):
    settings = apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}"])
    assistant = Assistant(DOCS, settings)
    answer = assistant.ask("How long do we hold on to files about pupils?")
    if answer.status != "not_found":
        pytest.fail(f"expected not_found for a reworded question on this tiny corpus, got {answer.status}")
    text = assistant.document("policy").text
    sims = [p.closest["similarity"] for p in answer.passages]
    assert sims == sorted(sims, reverse=True)
    top = answer.passages[0]
    assert top.start <= top.closest["start"] < top.closest["end"] <= top.end
    assert "six years" in text[top.closest["start"] : top.closest["end"]]


def test_semantic_false_is_the_lexical_engine(tmp_path):
    settings = apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}", "answer.semantic=false"])
    assistant = Assistant(DOCS, settings)
    assert assistant.meaning is None
    answer = assistant.ask("How long do we hold on to files about pupils?")
    assert all(p.closest is None for p in answer.passages)
    assert "dense" not in answer.evidence.get("features", {})


DIALOGUES = [
    (["hi", "what does MAPPA stand for?"], "which law set it up?"),
    (["hello, quick question", "what is COSA?"], "is it cost effective?"),
    (["What is COSA?", "thanks"], "Which treatment approaches are most effective?"),
    (["Who wrote this article?"], "thanks - different question: what is MAPPA?"),
    (["What is MAPPA?"], "What are the three factors that reduce sexual abuse?"),
]


@pytest.fixture(scope="module")
def semantic_assistant():
    return Assistant.from_directory(
        ROOT / "corpus", apply_overrides(Settings(), ["answer.semantic_answers=true"])
    )


def test_history_never_turns_an_answer_into_not_found(semantic_assistant):
    """The earlier turns' words are kept in the search only when they do not make the answer worse."""
    assistant = semantic_assistant
    for history, question in DIALOGUES:
        alone = assistant.ask(question)
        followed = assistant.ask(question, history)
        if alone.status == "answered":
            assert followed.status == "answered", (history, question)
            margin = assistant.settings.answer.history_margin
            assert followed.evidence["confidence"] >= alone.evidence["confidence"] - margin - 1e-9, (
                history,
                question,
            )


def test_a_lazy_corpus_encodes_at_query_time_and_answers_as_the_stored_one(tmp_path):
    stored = Assistant(DOCS, apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}"]))
    lazy = Assistant(
        DOCS,
        apply_overrides(
            Settings(),
            [
                f"retrieval.index_dir={tmp_path}",
                "answer.semantic_max_passages=2",
                "answer.semantic_sentences=0",
                "answer.semantic_answers=true",
            ],
        ),
    )
    assert lazy.meaning.lazy and len(lazy.meaning) == 0 and lazy.meaning.embedded == 0
    assert stored.meaning.embedded == len(stored.meaning) > 0
    question = "When must staff report a concern?"
    a = lazy.ask(question)
    # The sentences of the passages it read were embedded then, and no more than the corpus holds.
    assert 0 < lazy.meaning.embedded <= len(stored.meaning)
    on = [f"retrieval.index_dir={tmp_path}", "answer.semantic_sentences=0", "answer.semantic_answers=true"]
    b = Assistant(DOCS, apply_overrides(Settings(), on)).ask(question)
    assert a.status == b.status and a.answer == b.answer
    assert abs(a.evidence["features"]["dense"] - b.evidence["features"]["dense"]) < 5e-3
    assert stored.meaning.nearest(stored.meaning.encoder.encode([question])[0], 1)
    assert lazy.meaning.nearest(lazy.meaning.encoder.encode([question])[0], 1) == []


def test_by_default_the_encoder_only_ranks_what_is_shown_beside_not_found(assistant):
    """answer.semantic_answers false: every answer as the lexical engine gives it, only the related
    passages of a not_found answer ordered by meaning (the same passages BM25 found, or the encoder's)."""
    import yaml

    lexical = Assistant.from_directory(
        ROOT / "corpus", apply_overrides(Settings(), ["answer.semantic=false"])
    )
    items = yaml.safe_load((ROOT / "questions" / "dev.yaml").read_text(encoding="utf-8"))["questions"]
    marked = 0
    for item in items:
        a = assistant.ask(item["question"], item.get("history", []))
        b = lexical.ask(item["question"], item.get("history", []))
        assert (a.status, a.answer, a.resolved_question) == (b.status, b.answer, b.resolved_question)
        assert a.evidence["confidence"] == b.evidence["confidence"]
        if a.status == "not_found" and a.passages:
            marked += 1
            # Nearest in meaning first; an entry of the reference list after the text.
            order = [
                (assistant.passage(p.passage_id).kind == "reference", -p.closest["similarity"])
                for p in a.passages
            ]
            assert order == sorted(order)
        else:
            assert a.passages == b.passages
    assert marked > 10


def test_the_encoder_is_loaded_only_when_something_must_be_embedded(tmp_path, monkeypatch):
    settings = apply_overrides(Settings(), [f"retrieval.index_dir={tmp_path}"])
    Assistant(DOCS, settings)  # builds and saves the vectors
    calls = []
    monkeypatch.setattr(
        "assistant.language.encoder.shared_encoder", lambda: calls.append(1) or shared_encoder()
    )
    assistant = Assistant(DOCS, settings)
    assistant.ask("When must staff report a concern?")
    assert calls == []  # vectors read from disk, the question answered: no encoder needed
    assistant.ask("What colour is the school minibus?")
    assert calls  # not found: the question is embedded to rank the related passages
    assistant.warm_up()


def test_text_that_is_not_valid_unicode_is_still_embedded(encoder):
    vectors = encoder.encode(["What is \ud800 MAPPA?", "\udfff", ""])
    assert vectors.shape == (3, DIMENSIONS) and np.isfinite(vectors).all()
