"""Acronyms defined in a document's text: "Long Form (ABBR)"."""

import random
import re

import pytest

from assistant.language.acronyms import _spelled_after, find_acronyms
from assistant.language.text import Analyzer

ANALYZER = Analyzer()


@pytest.mark.parametrize(
    ("text", "acronym", "words"),
    [
        ("within the Criminal Justice System (CJS) depends", "cj", {"crimin", "justic", "system"}),
        (
            "the development of Circles of Support and Accountability (COSA), the work",
            "cosa",
            {"circl", "support", "account"},
        ),
        (
            "over the last decade Agency Public Protection Arrangements (MAPPA).",
            "mappa",
            {"agenc", "public", "protect", "arrang"},
        ),
        (
            "the Multi-Agency Public Protection Arrangements (MAPPA)",
            "mappa",
            {"multi", "agenc", "multiag", "public", "protect", "arrang"},
        ),
        # A bracket the source never closes: "(NOTA - and ATSA in the US".
        (
            "The National Organisation for the Treatment of Abusers (NOTA - and ATSA in the US",
            "nota",
            {"nation", "organization", "treatment", "abus"},
        ),
        # The long form in brackets after the acronym, with a word to spare ("Prevention").
        (
            "A 2011 report from ATSA (Association for the Treatment & Prevention of Sexual Abuse) found",
            "atsa",
            {"associ", "treatment", "prevent", "sexual", "abus"},
        ),
        ("the NHS (National Health Service) said", "nh", {"nation", "health", "servic"}),
    ],
)
def test_a_defined_acronym_maps_to_its_long_form(text, acronym, words):
    assert find_acronyms(text, ANALYZER)[acronym] == words


@pytest.mark.parametrize(
    "text",
    [
        "He was born in Leeds (UK) and moved.",  # initials do not spell it
        "the result was (A) and then",  # one letter is not an acronym
        "No brackets at all here.",
    ],
)
def test_text_without_a_definition_gives_nothing(text):
    assert find_acronyms(text, ANALYZER) == {}


def test_the_long_form_of_an_acronym_finds_the_sentence_that_uses_the_acronym(assistant):
    answer = assistant.ask(
        "What about outside it?",
        ["What does access to treatment within the Criminal Justice System depend on?"],
    )
    assert answer.status == "answered"
    assert "Outside of the CJS" in answer.answer


@pytest.mark.parametrize(
    "text",
    [
        "reported to CEOP (See Annex B) today",  # does not start with the acronym's letter
        "as ATSA (Beckett, 2009) found",  # a citation
        "the UN (Upper Nile Valley Regional Office Board Trust) said",  # too many words to spare
    ],
)
def test_a_bracket_after_an_acronym_that_does_not_spell_it_is_no_definition(text):
    assert find_acronyms(text, ANALYZER) == {}


def test_the_fast_scan_for_an_acronym_before_its_bracket_finds_what_the_plain_pattern_finds():
    # The pattern it replaces, which tries every position of the text (0.5 s of a start at 100k passages).
    plain = re.compile(r"\b([A-Z][A-Za-z]{1,9})\s+\(([A-Z][^()]{4,150})\)")
    pieces = ["A", "B", "x", "_", "3", "é", " ", "\n", "\u00a0", "(", ")", "Ab", "NSPCC ", "(Long Form Here)"]
    pieces += [" (Abc Def Ghi)", "ABCDEFGHIJK ", "  \t ", "(" + "W" * 160 + ")"]
    rnd = random.Random(7)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    texts += ["ATSA (Association for the Treatment of Sexual Abusers)", "x3ATSA (Association Treatment)"]
    found = 0
    for text in texts:
        expected = [m.groups() for m in plain.finditer(text)]
        assert list(_spelled_after(text)) == expected, text
        found += len(expected)
    assert found > 1000  # the texts hold many definitions, not only misses
