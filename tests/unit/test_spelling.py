"""Typo correction against the corpus's own words (assistant/language/spelling.py and Assistant._respell)."""

from __future__ import annotations

import pytest

from assistant import Assistant, Document
from assistant.language.spelling import Speller, edits1

TEXT = (
    "Three community programmes were accredited. MAPPA were set up by the Criminal Justice Act 2003. "
    "Cognitive behavioural programmes are most effective. The vBNS backbone was built in 1995. "
    "Cats and bats and hats."
)


def test_edits1_holds_each_kind_of_single_edit():
    found = edits1("acredited")
    assert {"accredited", "acredite", "cardited"} & found == {"accredited", "acredite"}
    assert "cats" in edits1("cast")  # transposition
    assert "bats" in edits1("bat")  # insertion
    assert "cat" in edits1("cart")  # deletion
    assert "hat" in edits1("cat")  # replacement


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("acredited", "accredited"),  # a letter missing
        ("Cognative", "Cognitive"),  # a letter wrong; the capital kept
        ("MAPA", "MAPPA"),  # capitals kept
        ("vBSN", "VBNS"),  # mixed case: capitals
        ("efective", "effective"),
        ("xats", None),  # "cats", "bats", "hats": a tie, left alone
        ("cst", None),  # too short to guess
        ("zebra", None),  # nothing one edit away
        ("Act2003", None),  # not a word
        ("accredited" * 4, None),  # 40 letters: no typo of a word
    ],
)
def test_the_corpus_word_one_edit_away_is_the_correction(typed, expected):
    assert Speller([TEXT]).correct(typed) == expected


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant([Document.from_paragraphs("d", [TEXT])])


def test_a_typo_is_corrected_before_searching_and_shown_in_the_resolved_question(assistant):
    answer = assistant.ask("How many programes were acredited?")
    assert answer.question == "How many programes were acredited?"
    assert "accredited" in answer.resolved_question
    assert answer.status == "answered" and "Three community programmes" in answer.answer


def test_an_acronym_typo_is_corrected_for_stands_for_questions_too(assistant):
    answer = assistant.ask("Which act set up MAPA?")
    assert answer.resolved_question == "Which act set up MAPPA?"
    assert answer.status == "answered" and "Criminal Justice Act 2003" in answer.answer


def test_known_english_words_and_names_are_left_alone(assistant):
    # "Paris" is a word the word list knows; "Obama" has no corpus word one edit away.
    for question in ("Where is Paris?", "Who is Obama?", "What do bats eat?"):
        assert assistant.ask(question).resolved_question == question


def test_a_negation_typed_without_its_apostrophe_is_kept_and_counts_as_a_negation():
    text = "A social worker makes sure the carer can meet the child's needs."
    assistant = Assistant([Document.from_paragraphs("d", [text])])
    answer = assistant.ask("What if the carer cant meet the child's needs?")
    assert "cant" in answer.resolved_question  # not "corrected" to "can"
    assert answer.evidence["features"]["negation_mismatch"] == 1.0
    assert answer.status == "not_found"


def test_a_question_about_some_documents_is_corrected_to_their_words_first():
    quarry = Document.from_paragraphs("quarry", ["The stone was cut. Stone walls, stone floors."])
    physics = Document.from_paragraphs("physics", ["The strong force binds quarks. It acts on hadrons."])
    assistant = Assistant([quarry, physics])
    # Across the corpus "stone" is the commoner neighbour of "stong"; asked of the physics text, "strong".
    anywhere = assistant.ask("What does the stong force bind?")
    assert anywhere.resolved_question == "What does the stone force bind?"
    asked = assistant.ask("What does the stong force bind?", documents=["physics"])
    assert asked.resolved_question == "What does the strong force bind?"
    assert asked.status == "answered" and "quarks" in asked.answer
    # When the documents asked about have no neighbour of the typo, the corpus's words still correct it.
    assert assistant.ask("Are stone walls stome?", documents=["physics"]).resolved_question == (
        "Are stone walls stone?"
    )
