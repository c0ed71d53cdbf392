"""spelling_variants.py: British and American spellings share one index term; quotes are untouched."""

from __future__ import annotations

import pytest

from assistant.language.spelling_variants import american, listed_pairs
from assistant.language.text import Analyzer, lexicon


@pytest.mark.parametrize(
    ("british", "expected"),
    [
        ("behaviours", "behaviors"),
        ("behavioural", "behavioral"),
        ("neighbourhood", "neighborhood"),
        ("organisation", "organization"),
        ("recognising", "recognizing"),
        ("analysed", "analyzed"),
        ("centres", "centers"),
        ("catalogue", "catalog"),
        ("counsellors", "counselors"),
    ],
)
def test_a_rule_gives_the_american_spelling(british, expected):
    assert american(british, lexicon()) == expected


@pytest.mark.parametrize(
    "word",
    # An "-ise" or "-our" word whose "-ize"/"-or" form is no word, or another word.
    ["supervise", "promise", "exercise", "franchise", "four", "hour", "your", "flour", "timbre", "acre"],
)
def test_a_rule_is_taken_only_when_the_american_form_is_a_known_word(word):
    assert american(word, lexicon()) == word


def test_a_rule_needs_the_known_word_it_is_given():
    assert american("organisation", frozenset()) == "organisation"
    assert american("organisation", frozenset({"organize"})) == "organization"


def test_the_list_is_read_from_the_shipped_file():
    pairs = listed_pairs()
    assert pairs["programme"] == "program"
    assert pairs["paedophile"] == "pedophile"
    assert all(uk != us for uk, us in pairs.items())


@pytest.mark.parametrize("stemmer", ["porter", "snowball"])
@pytest.mark.parametrize(
    ("british", "american_form"),
    [
        ("offences", "offenses"),
        ("offence", "offense"),
        ("programmes", "programs"),
        ("paedophiles", "pedophiles"),
        ("behaviour", "behavior"),
        ("behavioural", "behavioral"),
        ("organisations", "organizations"),
        ("judgement", "judgment"),
        ("enquiries", "inquiries"),
    ],
)
def test_both_spellings_and_their_inflections_share_one_term(stemmer, british, american_form):
    analyzer = Analyzer(stemmer=stemmer)
    assert analyzer.term(british) == analyzer.term(american_form)


def test_words_with_no_variant_keep_their_own_terms():
    analyzer = Analyzer()
    assert analyzer.term("supervise") != analyzer.term("supervize")
    assert analyzer.term("hour") != analyzer.term("hor")
    assert len({analyzer.term(w) for w in ("offence", "offender", "programme", "behaviour")}) == 4


@pytest.mark.parametrize(
    ("british", "american_question"),
    [
        (
            "What proportion of sexual offences against children are committed by young people?",
            "What proportion of sexual offenses against children are committed by young people?",
        ),
        (
            "Which treatment programmes are most effective?",
            "Which treatment programs are most effective?",
        ),
        (
            "What is a key prevention task for children and young people with harmful sexual behaviour?",
            "What is a key prevention task for children and young people with harmful sexual behavior?",
        ),
    ],
)
def test_an_american_spelling_gets_the_document_spelling_s_answer(assistant, british, american_question):
    uk = assistant.ask(british)
    us = assistant.ask(american_question)
    assert uk.status == "answered"
    assert (us.status, us.answer) == (uk.status, uk.answer)
    assert us.evidence["confidence"] == uk.evidence["confidence"]
    # The quote is the document's own spelling, sliced from the source.
    assert "programs" not in us.answer and "offenses" not in us.answer and "behavior " not in us.answer
