"""Guidance with numbered paragraphs ("2.1 An allegation is ..."), a sidecar YAML and an acronym it defines:
questions are answered with the paragraph that answers them, cited by its own number, and questions the
guidance does not answer get "not found"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant

GUIDANCE = Path(__file__).resolve().parents[1] / "data" / "allegations"


@pytest.fixture(scope="module")
def guidance() -> Assistant:
    return Assistant.from_directory(GUIDANCE)


@pytest.mark.parametrize(
    ("question", "expected", "paragraph"),
    [
        ("Who does this guidance cover?", "paid staff, volunteers, agency workers and foster carers", "1.1"),
        ("How soon must the LADO be told about an allegation?", "within one working day", "1.2"),
        ("What does LADO stand for?", "Local Authority Designated Officer", "1.2"),
        ("What counts as an allegation?", "it is said that a person has harmed a child", "2.1"),
        ("Should the employer interview the child?", "should not investigate the allegation", "3.1"),
        ("Is suspension automatic?", "Suspension is not an automatic response", "3.3"),
        ("When must a DBS referral be considered?", "substantiated and the person is dismissed", "4.2"),
        ("What happens to records of malicious allegations?", "removed from personnel records", "4.3"),
        ("What support should the employer offer?", "occupational health", "5.1"),
        ("what does guidance say about preserving evidence", "Evidence must be preserved", "3.1"),
        # "possible" says little; "outcomes" is the heading of section 4.
        ("What are the possible outcomes of an allegation?", "substantiated, malicious, false", "4.1"),
    ],
)
def test_guidance_questions_are_answered_from_the_numbered_paragraph(guidance, question, expected, paragraph):
    answer = guidance.ask(question)
    assert answer.status == "answered", answer.evidence
    assert expected in answer.answer
    assert any(c.locator.startswith(f"paragraph {paragraph} ") for c in answer.citations)
    for citation in answer.citations:
        text = guidance.document(citation.document_id).text
        assert text[citation.start : citation.end] == citation.quote


def test_a_follow_up_about_the_acronym_finds_the_deadline(guidance):
    answer = guidance.ask("How quickly must they be told?", ["What does LADO stand for?"])
    assert "LADO" in answer.resolved_question
    assert answer.status == "answered" and "within one working day" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "What is the LADO's phone number?",
        "How long does an investigation usually take?",
        "Can the person bring a union representative to meetings?",
        "How many allegations are made each year?",
    ],
)
def test_what_the_guidance_does_not_say_is_not_found(guidance, question):
    assert guidance.ask(question).status == "not_found"
