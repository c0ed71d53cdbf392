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
        # "stage 2" is the paragraph that opens "Stage 2:", not the one that mentions "2 working days".
        ("What happens at stage 2?", "Stage 2: If the disagreement is not resolved"),
        ("What happens at stage 3?", "Stage 3: If it is still not resolved"),
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


@pytest.mark.parametrize(
    "follow_up",
    [
        "What next?",
        "And if that doesn't work?",
        "What's the next step?",
        "then what?",
        "And once that's done, what next?",
        "After the letter goes, what happens next?",
    ],
)
def test_what_next_quotes_what_follows_the_last_answer(policy, follow_up):
    first = policy.ask("Who writes to the head of service?")
    assert first.answer.startswith("Stage 3:")
    answer = policy.ask(follow_up, [{"question": first.question, "answer": first.answer}])
    assert answer.status == "answered" and answer.evidence["next_step"] is True
    assert answer.answer.startswith("Stage 4: Unresolved cases go to the Partnership's independent chair")
    (citation,) = answer.citations
    text = policy.document(citation.document_id).text
    assert text[citation.start : citation.end] == citation.quote == answer.answer
    assert citation.start > text.index(first.answer)
    assert "Who writes to the head of service?" in answer.resolved_question


def test_what_next_takes_the_rest_of_the_paragraph_that_fits(policy):
    first = policy.ask("What happens at stage 1?")
    answer = policy.ask("What next?", [{"question": first.question, "answer": first.answer}])
    assert answer.evidence.get("next_step") is True
    assert "line manager" in answer.answer


def test_what_next_after_a_question_given_without_its_answer_answers_that_question_again(policy):
    answer = policy.ask("And if that doesn't work?", ["Who writes to the head of service?"])
    assert answer.evidence.get("next_step") is True
    assert answer.answer.startswith("Stage 4: Unresolved cases go to")


def test_what_next_without_a_quoted_answer_is_searched_as_usual(policy):
    for history in (
        [],
        ["How many escalations were there last year?"],  # not found: nothing to go on from
        [{"question": "Q?", "answer": "Not in the text at all."}],
    ):
        answer = policy.ask("What next?", history)
        assert not answer.evidence.get("next_step")
    # Not a "what next" question: an ordinary follow-up.
    first = policy.ask("Who writes to the head of service?")
    other = policy.ask("What is next to the chair?", [{"question": first.question, "answer": first.answer}])
    assert not other.evidence.get("next_step")


@pytest.mark.parametrize("with_answer", [True, False])
def test_their_after_who_means_the_person_the_answer_named(policy, with_answer):
    first = policy.ask("Who makes the final decision?")
    assert "independent chair" in first.answer
    history = [{"question": first.question, "answer": first.answer}] if with_answer else [first.question]
    answer = policy.ask("What is their phone number?", history)
    assert answer.resolved_question == "What is their phone number? (independent chair)"
    assert answer.status == "answered" and "01632 960 200" in answer.answer


def test_a_condition_before_what_next_is_not_the_next_step(policy):
    from assistant.pipeline import _NEXT_STEP

    assert _NEXT_STEP.match("And once that's done, what next?")
    assert not _NEXT_STEP.match("If the parent refuses, what next?")  # another branch, not the next step
