"""tools/train_checker.reworded: the checker's questions in other words, built into a SQuAD file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.train_checker import read_jsonl, reworded

DATA = Path(__file__).resolve().parents[2] / "tools" / "data" / "checker-questions.jsonl"

SQUAD = {
    "version": "v2.0",
    "data": [
        {
            "title": "Tea",
            "paragraphs": [
                {
                    "context": "Tea came to Britain in the 1650s. It was sold in coffee houses.",
                    "qas": [
                        {
                            "id": "q1",
                            "question": "When did tea arrive in Britain?",
                            "answers": [{"text": "1650s", "answer_start": 26}],
                            "is_impossible": False,
                        },
                        {"id": "q2", "question": "Who banned tea?", "answers": [], "is_impossible": True},
                        {
                            "id": "q3",
                            "question": "Where was tea sold?",
                            "answers": [{"text": "coffee houses", "answer_start": 50}],
                            "is_impossible": False,
                        },
                    ],
                }
            ],
        }
    ],
}


def qas(squad: dict) -> list[dict]:
    return [q for a in squad["data"] for p in a["paragraphs"] for q in p["qas"]]


def test_rewordings_keep_the_answers_and_only_reworded_questions_stay():
    out = qas(reworded(SQUAD, [{"id": "q1", "question": "In which decade did Britain first get tea?"}]))
    assert [(q["id"], q["question"]) for q in out] == [("q1", "In which decade did Britain first get tea?")]
    assert out[0]["answers"] == SQUAD["data"][0]["paragraphs"][0]["qas"][0]["answers"]


def test_a_second_rewording_gets_its_own_id_and_unanswerable_stays_unanswerable():
    rows = [
        {"id": "q2", "question": "Which person prohibited tea?"},
        {"id": "q2", "question": "Who outlawed tea?"},
    ]
    out = qas(reworded(SQUAD, rows))
    assert [q["id"] for q in out] == ["q2", "q2-2"]
    assert all(q["is_impossible"] and q["answers"] == [] for q in out)


def test_a_written_question_is_answered_by_its_sentence_or_by_nothing():
    rows = [
        {
            "paragraph": "Tea#0",
            "question": "Could you buy tea in cafes?",
            "answer": "It was sold in coffee houses.",
        },
        {"paragraph": "Tea#0", "question": "What did tea cost?", "answer": None},
    ]
    answered, unanswered = qas(reworded(SQUAD, rows))
    context = SQUAD["data"][0]["paragraphs"][0]["context"]
    (gold,) = answered["answers"]
    assert context[gold["answer_start"] :].startswith(gold["text"]) and not answered["is_impossible"]
    assert unanswered["is_impossible"] and unanswered["answers"] == []
    assert answered["id"] != unanswered["id"]


def test_a_written_answer_that_is_not_in_its_paragraph_is_refused():
    with pytest.raises(ValueError, match="not in the paragraph"):
        reworded(SQUAD, [{"paragraph": "Tea#0", "question": "Q?", "answer": "Tea was banned in 1700."}])


def test_the_shipped_questions_are_well_formed():
    rows = read_jsonl([DATA])
    assert len(rows) > 1000
    for row in rows:
        assert row["question"].strip()
        if "id" in row:
            assert set(row) == {"id", "question"}
        else:
            assert set(row) == {"paragraph", "question", "answer"}
            title, _, index = row["paragraph"].rpartition("#")
            assert title and index.isdigit()
            assert row["answer"] is None or len(row["answer"].split()) >= 6


def test_the_shipped_unanswerable_questions_are_well_formed_and_read_as_unanswerable():
    rows = read_jsonl([DATA.with_name("checker-unanswerable.jsonl")])
    assert len(rows) > 1000
    for row in rows:
        assert set(row) == {"paragraph", "question", "answer", "trap"}
        assert row["question"].strip().endswith("?") and row["answer"] is None and row["trap"].strip()
    tea = [{"paragraph": "Tea#0", "question": "When did tea reach France?", "answer": None, "trap": "x"}]
    (out,) = qas(reworded(SQUAD, tea))
    assert out["is_impossible"] and out["answers"] == []
