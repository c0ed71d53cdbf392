"""phrasal_verbs.py: a question's "set up" is also searched as "establish"; what is shown is untouched."""

from __future__ import annotations

import pytest

from assistant.language.phrasal_verbs import PhrasalVerbs


def _always(_verb: str) -> bool:
    return True


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who set it up?", "Who set it up establish?"),
        ("When did the Office set up the group?", "When did the Office set up establish the group?"),
        ("Where was the study carried out?", "Where was the study carried out conduct?"),
        ("Did the rate go down?", "Did the rate go down decrease?"),
        ("How would that bring abuse down?", "How would that bring abuse down reduce?"),
        ("Who took part in it?", "Who took part participate in it?"),
    ],
)
def test_the_verb_is_added_after_the_phrasal_verb(question, expected):
    assert PhrasalVerbs(lambda: ["An unrelated text."]).rewrite(question, _always) == expected


def test_a_question_without_a_phrasal_verb_is_left_alone():
    verbs = PhrasalVerbs(lambda: ["An unrelated text."])
    for question in ("What is the set of all graphs?", "Who runs the line?", "Is it upset?"):
        assert verbs.rewrite(question, _always) == question


def test_no_verb_is_added_when_the_corpus_uses_the_phrasal_verb_itself():
    verbs = PhrasalVerbs(lambda: ["The council set up a panel in 2001."])
    assert verbs.rewrite("Who set up the panel?", _always) == "Who set up the panel?"
    # Other phrasal verbs are still read.
    assert verbs.rewrite("Where was it carried out?", _always) == "Where was it carried out conduct?"


def test_no_verb_is_added_that_no_document_uses():
    verbs = PhrasalVerbs(lambda: ["An unrelated text."])
    assert verbs.rewrite("Who took part?", lambda verb: verb != "participate") == "Who took part?"


def test_the_corpus_is_read_once_per_phrasal_verb_and_only_when_asked():
    reads = []

    def texts():
        reads.append(1)
        return ["An unrelated text."]

    verbs = PhrasalVerbs(texts)
    verbs.rewrite("What is MAPPA?", _always)
    assert reads == []
    verbs.rewrite("Who set it up?", _always)
    verbs.rewrite("When was it set up?", _always)
    assert len(reads) == 1


def test_a_follow_up_with_a_phrasal_verb_finds_the_one_verb_of_the_document(assistant):
    history = ["What is the National Group on the Sexual Abuse of Children and Vulnerable Adults?"]
    answer = assistant.ask("Who set it up?", history)
    assert answer.status == "answered"
    assert "The Home Office has now established" in answer.answer
    # The question shown is what was typed (with the carried topic), not the searched verb.
    assert "establish" not in answer.resolved_question
    direct = assistant.ask("What has the Home Office set up?")
    assert direct.answer.startswith("The Home Office has now established")
