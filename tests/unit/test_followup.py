"""followup.py: reading history, and carrying the topic of earlier turns into follow-up questions."""

from __future__ import annotations

import pytest

from assistant.answer.followup import (
    Turn,
    list_items,
    parse_history,
    pick_listed_item,
    refers_to_listed_item,
    resolve,
)
from assistant.language.text import Analyzer

ANALYZER = Analyzer()


def resolved(question: str, history: list) -> str:
    return resolve(question, parse_history(history), ANALYZER).text


# ---------------------------------------------------------------- parse_history


def test_parse_history_accepts_strings_and_question_answer_mappings():
    turns = parse_history(
        [
            "What is COSA?",
            {"question": "Is it cost effective?", "answer": "It is relatively cost effective."},
            {"question": "Who runs it?", "answer": None, "resolved_question": "Who runs it? (COSA)"},
        ]
    )
    assert turns == [
        Turn("What is COSA?"),
        Turn("Is it cost effective?", "It is relatively cost effective."),
        Turn("Who runs it?", "", "Who runs it? (COSA)"),
    ]


@pytest.mark.parametrize("history", [None, [], ()])
def test_no_history_is_no_turns(history):
    assert parse_history(history) == []


@pytest.mark.parametrize(
    "history",
    [[1], [None], [["What is COSA?"]], [{"answer": "no question"}], [{"question": 3}], [b"What is COSA?"]],
    ids=["int", "none", "nested-list", "mapping-without-question", "question-not-text", "bytes"],
)
def test_parse_history_rejects_other_shapes(history):
    with pytest.raises(TypeError, match="question string"):
        parse_history(history)


@pytest.mark.parametrize(
    "history", ["What is COSA?", {"question": "What is COSA?"}], ids=["string", "mapping"]
)
def test_parse_history_rejects_a_history_that_is_not_a_list(history):
    with pytest.raises(TypeError):
        parse_history(history)


# ---------------------------------------------------------------- resolve


@pytest.mark.parametrize(
    ("history", "question", "topic", "carried"),
    [
        (["What is COSA?"], "Is it cost effective?", "COSA", {"cosa"}),
        (["What is MAPPA?"], "Which law established it?", "MAPPA", {"mappa"}),
        ([{"question": "What is COSA?", "answer": "Circles of Support"}], "Who runs it?", "COSA", {"cosa"}),
        (
            ["What is the Disclosure Scheme?"],
            "What other examples are there?",
            "Disclosure",
            {"disclosur", "scheme"},
        ),
        (["What is MAPPA?"], "Who else takes part?", "MAPPA", {"mappa"}),
        (["What does the Act provide for?"], "In how many areas?", "Act", {"act", "provid"}),
        (
            ["Why do social workers struggle?"],
            "What happens to concerns as a result?",
            "social",
            {"social", "worker", "struggl"},
        ),
        (["Do we tell Ofsted about an allegation?"], "How quickly?", "Ofsted", {"ofst", "alleg"}),
        (["What is COSA?"], "And how often?", "COSA", {"cosa"}),
    ],
)
def test_follow_up_carries_the_previous_topic(history, question, topic, carried):
    resolution = resolve(question, parse_history(history), ANALYZER)
    assert resolution.text.startswith(question)
    assert topic in resolution.text
    assert resolution.carried == carried


@pytest.mark.parametrize(
    "question",
    [
        "What is the role of attachment in sexual offending?",
        "Which treatment approaches are most effective?",
        "What is MAPPA?",
        "Are most offences against children committed by other children?",
        "How quickly must Ofsted be told?",
        "Why safeguarding?",
    ],
)
def test_a_self_contained_question_is_unchanged(question):
    resolution = resolve(question, parse_history(["What is COSA?"]), ANALYZER)
    assert resolution.text == question
    assert resolution.carried == frozenset()


@pytest.mark.parametrize(
    "question",
    [
        "What does this article say about treatment?",
        "Who wrote this article?",
        "What does this report recommend for prevention?",
    ],
)
def test_this_article_points_at_the_document_not_an_earlier_turn(question):
    assert resolved(question, ["What is COSA?"]) == question


def test_no_history_leaves_a_follow_up_unchanged():
    resolution = resolve("Is it cost effective?", [], ANALYZER)
    assert (resolution.text, resolution.carried) == ("Is it cost effective?", frozenset())


def test_blank_earlier_turns_are_ignored():
    assert resolved("Is it cost effective?", ["What is COSA?", "   "]) == "Is it cost effective? (COSA)"


def test_chained_follow_ups_keep_the_first_topic():
    resolution = resolve(
        "How many areas have it?",
        parse_history(["What is MAPPA?", "Which law established it?", "Who is it designed to protect?"]),
        ANALYZER,
    )
    assert "MAPPA" in resolution.text
    assert "mappa" in resolution.carried


def test_chained_history_carries_the_latest_topic():
    resolution = resolve(
        "Is it cost effective?",
        parse_history(
            [
                "What is MAPPA?",
                "Which treatment approaches are most effective?",
                "What does Circles of Support and Accountability involve?",
            ]
        ),
        ANALYZER,
    )
    assert {"circl", "support", "account"} <= resolution.carried
    assert "mappa" not in resolution.carried
    assert "MAPPA" not in resolution.text


def test_chained_history_carries_the_latest_short_topic():
    resolution = resolve(
        "Is it cost effective?",
        parse_history(["What is MAPPA?", "Which law established it?", "What is COSA?"]),
        ANALYZER,
    )
    assert resolution.carried == {"cosa"}


def test_a_turn_resolved_earlier_is_used_as_it_was_resolved():
    history = [{"question": "Who runs it?", "resolved_question": "Who runs it? (COSA)"}]
    resolution = resolve("Is it cost effective?", parse_history(history), ANALYZER)
    assert "cosa" in resolution.carried


# ---------------------------------------------------------------- pointers into a listed answer

LISTING = (
    "There are three factors (i)  deterrence, (ii) treatment for victims and offenders "
    "(iii) prevention. Each matters."
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What progress has been made on the first one?", "What progress has been made on deterrence?"),
        ("What about the second factor?", "What about treatment for victims and offenders?"),
        ("And the last?", "And prevention?"),
        ("Tell me about the third of these.", "Tell me about prevention."),
        ("Is the first in the list costly?", "Is deterrence in the list costly?"),
    ],
)
def test_an_ordinal_pointer_is_replaced_by_the_listed_item(question, expected):
    history = [{"question": "What are the factors?", "answer": LISTING}]
    resolution = resolve(question, parse_history(history), ANALYZER)
    assert resolution.text == expected
    assert resolution.carried == frozenset(ANALYZER.terms(expected)) - frozenset(ANALYZER.terms(question))


@pytest.mark.parametrize(
    "question",
    ["What kinds of bodies ran the first schemes?", "What happened in the first decade?"],
)
def test_an_ordinal_before_a_topic_noun_is_not_a_pointer(question):
    assert not refers_to_listed_item(question)
    assert pick_listed_item(question, LISTING) is None


def test_a_pointer_past_the_end_of_the_list_or_without_a_list_is_left_alone():
    assert pick_listed_item("What about the fifth one?", LISTING) is None
    assert pick_listed_item("What about the first one?", "One plain sentence without a list.") is None


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "Steps: 1. call the police. 2. tell the school. 3. record it.",
            ["call the police", "tell the school", "record it"],
        ),
        ("- apples\n- pears\n- plums", ["apples", "pears", "plums"]),
        ("Either (a) stay, or (b) go; nothing else.", ["stay", "go"]),
        ("No list here at all.", []),
        (
            "There are four outcomes: substantiated, malicious, false or unsubstantiated.",
            ["substantiated", "malicious", "false", "unsubstantiated"],
        ),
        ("Colours such as red, green and blue; nothing else.", ["red", "green", "blue"]),
        ("Note: this is a sentence, not a list.", []),  # two items are not a series
        (
            "Options: stay at home and wait for the social worker to call back, or go, or ring.",
            [],
        ),  # too long
    ],
)
def test_list_items_reads_common_markers(text, items):
    assert list_items(text) == items


def test_list_items_reads_steps_in_prose():
    text = (
        "The review makes three recommendations. First, adopt a protocol. Second, share more. "
        "Finally, audit it."
    )
    assert list_items(text) == ["adopt a protocol", "share more", "audit it"]
    assert list_items("First of all, nothing is listed here.") == []


def test_a_pronoun_after_who_carries_the_person_the_answer_named():
    from assistant.answer.followup import Turn, _who_was_named, refers_to_person

    last = Turn(
        "Who leads the review?", "The review is led by the line manager with Sam Okafor of the Board."
    )
    assert refers_to_person("How do I contact them?", last.question)
    assert not refers_to_person("How do I contact it?", last.question)
    assert not refers_to_person("How do I contact them?", "What is the review?")
    assert _who_was_named("How do I contact them?", last) == "line manager Sam Okafor Board"
    assert _who_was_named("How do I contact them?", Turn(last.question)) == ""  # no answer to go on


def test_a_case_described_before_a_one_word_question_is_searched_with_it():
    from assistant import Assistant, Document

    doc = Document.from_paragraphs(
        "policy",
        [
            "All workers are asked to agree to the principles of this policy.",
            "Be honest with the child: you must tell someone else, so do not promise confidentiality.",
        ],
    )
    assistant = Assistant([doc])
    question = "A child wants me to promise not to tell anyone what they say. Can I agree?"
    answer = assistant.ask(question)
    # "Can I agree?" alone matches only "agree to the principles"; with its case it is about promising.
    assert answer.resolved_question == question
    assert "do not promise confidentiality" in answer.candidates[0].quote
    # A question with a topic of its own still leaves the case as context.
    other = assistant.ask("I work with a foster family. What does COSA do?")
    assert other.resolved_question == "What does COSA do?"


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("Which survey found the highest?", True),  # the highest what? the rates asked about before
        ("Which one is the most common?", True),
        ("Which treatment works best?", False),  # no "the": a question of its own
        ("What is the highest court in England?", False),
    ],
)
def test_a_superlative_with_no_noun_after_it_leans_on_the_earlier_turn(question, leans):
    from assistant.answer.followup import is_follow_up

    assert is_follow_up(question, ANALYZER) is leans
