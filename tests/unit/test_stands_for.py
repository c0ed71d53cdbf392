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
