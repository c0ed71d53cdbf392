"""A realistic local policy (tests/data/policy): Markdown front matter, numbered headings, a bulleted list,
stages in prose, a contacts table. Practitioner-style questions get the sentence that answers them, and
questions the policy does not answer get "not found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant

POLICY = Path(__file__).resolve().parents[1] / "data" / "policy"


@pytest.fixture(scope="module")
def policy() -> Assistant:
    return Assistant.from_directory(POLICY)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What should stay the focus during a disagreement?", "The safety of the child must remain"),
        ("How quickly should stage 1 happen?", "within\n2 working days"),
        ("Who do I go to at stage 2?", "your line manager"),
        ("Who writes to the head of service?", "designated safeguarding lead or named professional"),
        ("How long does the other agency have to reply at stage 3?", "within 5 working days"),
        ("Who makes the final decision?", "independent chair, whose decision is final"),
        ("How long are escalation records kept?", "until the child's 25th birthday"),
        ("What should I do if a child is at immediate risk?", "call the police on 999"),
        ("What is the phone number of the independent chair?", "01632 960 200"),
        ("Who is the partnership manager?", "Priya Shah"),
    ],
)
def test_policy_questions_are_answered_with_the_sentence_that_answers(policy, question, expected):
    answer = policy.ask(question)
    assert answer.status == "answered", answer.evidence
    assert expected in answer.answer
    for citation in answer.citations:
        text = policy.document(citation.document_id).text
        assert text[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(
    "question",
    [
        "Can parents use this policy to complain?",
        "How many escalations were there last year?",
        "What is the email address of the partnership?",
        "What training do managers get on escalation?",
    ],
)
def test_what_the_policy_does_not_say_is_not_found(policy, question):
    answer = policy.ask(question)
    assert answer.status == "not_found"
    assert answer.answer == "" and answer.citations == ()


def test_the_table_header_row_is_never_quoted(policy):
    for question in ("What is the phone number of the independent chair?", "Contact role phone"):
        assert "| Contact | Role | Phone |" not in policy.ask(question).candidate_text
