"""FAQ documents: "Q: ...?" lines are questions the document goes on to answer, never answers themselves."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.ingest.document import Document
from assistant.language.text import is_question

FAQ = """Safer recruitment

3. Frequently asked questions

Q: Can a volunteer start before the DBS certificate arrives?
A: No. Nobody starts regulated activity until the certificate has been seen.

Q: How long are recruitment records kept?
A: For six months after the appointment, unless there is a safeguarding concern.

Questions for the board

How should the trust measure the quality of its checks?
"""


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Q: Can a volunteer start before the DBS certificate arrives?", True),
        ("Q1) Who is the lead?", True),
        ("Question: how long are records kept?", True),
        ("Quality: is it good?", False),
        ("A: No.", False),
    ],
)
def test_an_faq_label_does_not_hide_a_question(sentence, expected):
    assert is_question(sentence) is expected


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant([Document.from_text("faq", FAQ, {"title": "Safer recruitment"})])


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Can a volunteer start before the DBS certificate arrives?", "A: No."),
        ("How long are recruitment records kept?", "A: For six months after the appointment"),
    ],
)
def test_an_faq_question_is_answered_by_the_answer_below_it(assistant, question, answer):
    result = assistant.ask(question)
    assert result.status == "answered"
    assert result.answer.startswith(answer)
    assert all(not c.quote.startswith("Q:") for c in result.citations)


def test_a_question_the_document_leaves_unanswered_is_still_an_open_question(assistant):
    result = assistant.ask("How should the trust measure the quality of its checks?")
    assert result.status == "open_question"


def test_an_faq_answer_ranks_with_its_question_and_is_quoted_from_its_start():
    faq = (
        "Policy\n\n2.1 Before anyone starts work, the trust will check their identity and references.\n\n"
        "Q: Can a volunteer start before the DBS certificate arrives?\n"
        "A: Never. Nobody starts regulated activity until the certificate has been seen.\n"
    )
    result = Assistant([Document.from_text("faq", faq)]).ask(
        "Can a volunteer start before the DBS certificate arrives?"
    )
    assert result.status == "answered"
    assert result.citations[0].quote == (
        "A: Never. Nobody starts regulated activity until the certificate has been seen."
    )


def test_an_faq_answer_sentence_opening_with_it_keeps_the_answer_start():
    faq = (
        "Policy\n\nQ: What is the vetting panel?\nA: The panel meets monthly. Its members come from three "
        "agencies. It decides whether a volunteer with a caution may start regulated activity.\n"
    )
    result = Assistant([Document.from_text("faq", faq)]).ask(
        "Who decides whether a volunteer with a caution may start regulated activity?"
    )
    assert result.status == "answered"
    assert result.citations[0].quote.startswith("A: The panel meets monthly.")
    assert result.citations[0].quote.endswith("may start regulated activity.")
