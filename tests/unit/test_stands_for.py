"""Questions that ask what an acronym stands for are answered from where the document defines it."""

import pytest


@pytest.mark.parametrize(
    ("question", "definition"),
    [
        ("What does COSA stand for?", "Circles of Support and Accountability (COSA)"),
        ("what does cosa mean?", "Circles of Support and Accountability (COSA)"),
        ("What does CJS stand for?", "Criminal Justice System (CJS)"),
        ("What is the full name of NOMS?", "The National Offender Management Service (NOMS)"),
        ("What does NOTA stand for?", "National Organisation for the Treatment of Abusers (NOTA"),
    ],
)
def test_an_acronym_question_quotes_its_definition(assistant, question, definition):
    answer = assistant.ask(question)
    assert answer.status == "answered"
    assert definition in answer.answer


def test_an_acronym_the_document_never_spells_out_is_not_found(assistant):
    # ATSA is named ("NOTA - and ATSA in the US") but never expanded.
    assert assistant.ask("What does ATSA stand for?").status == "not_found"


def test_a_long_form_in_brackets_after_the_acronym_answers_it():
    from assistant import Assistant, Document

    doc = Document.from_paragraphs(
        "d",
        [
            "Most abuse is committed by someone the child knows and trusts.",
            "A 2011 report from ATSA (Association for the Treatment & Prevention of Sexual Abuse) found "
            "that 34 percent of child sexual abuse offenders are family members of the child.",
            "ATSA also publishes guidance for parents.",
        ],
    )
    answer = Assistant([doc]).ask("What does ATSA stand for?")
    assert answer.status == "answered"
    assert "ATSA (Association for the Treatment & Prevention of Sexual Abuse)" in answer.answer
