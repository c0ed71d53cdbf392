"""Two documents written as practitioners get them (tests/data/fostering): an FAQ in plain text (each
question on its own line, its answer below) and a contact list written line by line, with headings in
capitals. Questions get the line or sentence that answers them; questions they do not answer get
"not found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant

FOSTERING = Path(__file__).resolve().parents[1] / "data" / "fostering"


@pytest.fixture(scope="module")
def fostering() -> Assistant:
    return Assistant.from_directory(FOSTERING)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is private fostering?", "cared for by someone who is not a close relative for 28 days"),
        ("Who has to notify the council?", "Parents, private foster carers"),
        ("What if the arrangement starts in an emergency?", "within 48 hours"),
        ("When does the social worker visit after a notification?", "within seven working days"),
        ("How often are visits in the first year?", "Every six weeks in the first year"),
        ("Is private fostering the same as kinship care?", "No. Kinship care"),
        ("Is it an offence not to notify the council?", "failing to notify the council is an offence"),
        ("Should schools tell the council?", "Schools and health staff"),
        ("Who is the service manager?", "Service Manager: Grace Osei"),
        ("What is the duty desk number?", "Duty desk: 01632 960 310"),
        ("What is the out of hours number?", "Out of hours: 01632 960 999"),
        ("Who leads on private fostering?", "Private Fostering Lead: Daniel Marsh"),
    ],
)
def test_questions_are_answered_with_the_line_that_answers(fostering, question, expected):
    answer = fostering.ask(question)
    assert answer.status == "answered", (question, answer.evidence)
    assert expected in answer.answer
    for citation in answer.citations:
        doc = fostering.document(citation.document_id)
        assert doc.text[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(
    "question",
    [
        "How much are private foster carers paid?",
        "What if the carer cant meet the child's needs?",
        "Who is the head of children's services?",
    ],
)
def test_what_the_documents_do_not_say_is_not_found(fostering, question):
    answer = fostering.ask(question)
    assert answer.status == "not_found", (question, answer.answer)


def test_each_contact_line_is_a_sentence_under_its_capital_heading(fostering):
    doc = fostering.document("contacts")
    numbers = next(p for p in doc.passages if p.section == "NUMBERS")
    assert [doc.text[s.start : s.end] for s in numbers.sentences] == [
        "Duty desk: 01632 960 310",
        "Out of hours: 01632 960 999",
        "Email: fostering@northfield.example.org",
    ]
