"""assistant.answer.kinds: what kind of answer a question wants, and whether a sentence has it."""

from __future__ import annotations

import pytest

from assistant.answer.kinds import (
    asks_for_count,
    defines,
    definition_target,
    expected_type,
    has_type,
    ranking_unmet,
)
from assistant.language.text import Analyzer

ANALYZER = Analyzer()


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people are on the register?", "number"),
        ("How long should records be kept?", "duration"),  # a number, or "until ...", "permanently"
        ("When can treatment be traced back to?", "occasion"),  # a time, or the case in which it can
        ("When was treatment first offered?", "date"),
        ("How quickly should the LADO be told?", "date"),
        ("How soon must parents be informed?", "date"),
        ("Within what time must a referral be made?", "date"),
        ("Who wrote this article?", "person"),
        ("Where were the first programmes run?", "place"),
        ("What is the name of the practice guide?", "person"),
        ("What was the new scheme called?", "person"),
        ("What are the names of the programmes?", "person"),
        ("What is COSA?", ""),
        ("Why is isolation a risk factor?", ""),
        ("Who makes home visits when the risk is high?", "person"),  # "when" is not the question word
        ("And when was it set up?", "date"),
        ("In which year was MAPPA set up?", "date"),
        ("So who informs the parents in that case?", "person"),  # a follow-up's opening word
        ("And, whose decision is it?", "person"),
        ("And where are they kept?", "location"),
        ("Sonia who?", ""),
    ],
)
def test_expected_type_reads_the_question_word(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("The LADO should be informed within one working day.", "date", True),
        ("Records are kept for ten years.", "number", True),
        ("The programme began in 1980.", "date", True),
        ("The LADO gives advice and guidance to employers.", "date", False),
        # A count or a ratio is no time; a clock time with a point is.
        ("At the height of it 5,000 to 30,000 were killed.", "date", False),
        ("The risk was 3.4 times higher.", "date", False),
        ("The office is open from 9.00 to 17.30.", "date", True),
        ("The massacre of 24 August 1572 followed.", "date", True),
        ("It was written by Jon Brown.", "person", True),
        ("it was written by someone.", "person", False),
    ],
)
def test_has_type_finds_the_kind_of_answer_in_a_sentence(sentence, kind, expected):
    assert has_type(sentence, kind, set()) is expected


def test_has_type_ignores_what_the_question_already_says():
    # "1980" is in the question: a sentence repeating it holds no new date.
    assert not has_type("The programme began in 1980.", "date", {"1980"})


@pytest.mark.parametrize(
    ("sentence", "question_words", "expected"),
    [
        ("We can talk with our children about their bodies from infancy on.", {"when"}, True),
        ("The designated person is informed at the earliest opportunity.", {"when"}, True),
        ("Visits take place in the evening.", {"when"}, True),
        # "In what year ...?" wants a year: a time of day or of life does not say it.
        ("The ghost came back to harm the living at night.", {"what", "year"}, False),
        ("The ghost came back in 1562, at night.", {"what", "year"}, True),
    ],
)
def test_a_time_of_day_year_or_life_answers_when_but_not_what_year(sentence, question_words, expected):
    assert has_type(sentence, "date", question_words) is expected


@pytest.mark.parametrize(
    ("question", "target"),
    [
        ("What is an allegation?", ["alleg"]),
        ("what's neglect", ["neglect"]),
        ("What are the outcomes?", ["outcom"]),
        ("What does LADO mean?", ["lado"]),
        ("Who is the designated officer?", ["design", "offic"]),
        ("Define neglect", ["neglect"]),
        ("Please explain the designated officer.", ["design", "offic"]),
        ("What is the role of the designated officer in cases of abuse?", []),  # not a definition
        ("Why is neglect harmful?", []),
    ],
)
def test_definition_target_reads_what_is_to_be_defined(question, target):
    assert definition_target(question, ANALYZER) == target


@pytest.mark.parametrize(
    ("sentence", "target", "expected"),
    [
        ("An allegation is made when it is said that a person has:", ["alleg"], True),
        ("Neglect means the persistent failure to meet a child's basic needs.", ["neglect"], True),
        ("A designated officer (DO) is a person who ...", ["design", "offic"], True),
        ("Every allegation is taken seriously.", ["alleg"], False),  # "every" before the term
        ("The LADO should be told of each allegation.", ["alleg"], False),
        ("Allegations are made.", [], False),
    ],
)
def test_defines_recognises_a_sentence_that_opens_by_defining_the_target(sentence, target, expected):
    assert defines(sentence, target, ANALYZER) is expected


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("2.3 Seek advice early.", "person", False),  # "Seek" opens the sentence
        ("2.3 Seek advice from Jane Smith.", "person", True),
        ("1.2 Records are kept until the case closes.", "number", False),  # "1.2" numbers the paragraph
        ("(iv) Share information with consent.", "person", False),
        ("3.5 million people were affected.", "number", True),  # a number, not a paragraph number
    ],
)
def test_a_paragraph_number_is_neither_a_number_nor_the_first_word(sentence, kind, expected):
    assert has_type(sentence, kind, set()) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many people are on the register?", True),
        ("How much funding does COSA receive?", True),
        ("What proportion of offenders reoffend?", True),
        ("How often are reviews held?", False),  # "every year" answers it without a number
        ("How long are records kept?", True),  # no number, "until" or "permanently": no answer
        ("What is COSA?", False),
    ],
)
def test_asks_for_count(question, expected):
    assert asks_for_count(question) is expected


@pytest.mark.parametrize(
    ("question", "quote", "unmet"),
    [
        ("Which treatment works best?", "Cognitive behavioural programmes are most effective.", False),
        ("Which treatment works best?", "More needs to be understood about treatment.", True),
        ("What is the most effective approach?", "Group work is an approach.", True),
        ("What is Harvard's most intense rival?", "Harvard has an intense rivalry with Yale.", False),
        ("What produced most power?", "Steam remained the dominant source of power.", False),
        ("What is the least used reduction?", "The most used reduction is the Karp reduction.", True),
        ("What is the least used reduction?", "The least used reduction is the Cook reduction.", False),
        ("What is the strongest interaction?", "In order: strong, weak and gravitational.", False),
        ("When was the earliest programme?", "Programmes began as early as 1985.", False),
        ("What arose in the latest vertebrates?", "It arose with the first vertebrates.", True),
        ("Where did most of the settlers live?", "The settlers lived on farms.", False),  # "most of": a share
        ("What is in the interest of the child?", "The child's interest comes first.", False),
        ("Best practice for visits?", "Visits should be planned.", True),  # the first word counts too
        ("Which factor matters most?", "It depends on several factors, in particular age.", False),
        # "Better" inside a name ranks nothing; at the start of a sentence it does.
        ("Which therapy works best?", "A focus on the Better Lives approach may help.", True),
        ("Which therapy works best?", "Better results come from group work.", False),
    ],
)
def test_a_question_asking_for_the_top_of_a_ranking_needs_a_quote_that_ranks(question, quote, unmet):
    assert ranking_unmet(question, quote) is unmet


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("If you are worried, tell the designated safeguarding lead straight away.", True),
        ("Visits are made by two social workers.", True),
        ("Referrals are reviewed by the Local Authority Designated Officer.", True),  # a name
        ("Referrals are reviewed within one working day.", False),
    ],
)
def test_a_role_answers_who(sentence, expected):
    question = {"who", "reviews", "referrals", "should", "i", "tell", "makes", "visits"}
    assert has_type(sentence, "person", question) is expected


def test_a_role_the_question_names_is_no_answer():
    assert not has_type("Social workers visit weekly.", "person", {"who", "do", "social", "workers", "visit"})


def test_a_labelled_number_matches_its_own_stage_not_another():
    from assistant.answer.candidates import _label_match
    from assistant.answer.kinds import labelled_numbers as _labelled_numbers

    assert _labelled_numbers("What happens at Stage 2 and step iii?") == {("stage", "2"), ("step", "iii")}
    asked = _labelled_numbers("What happens at stage 2?")
    assert _label_match(asked, "Stage 2: raise it with your manager.", "") == 1.0
    assert _label_match(asked, "A reply is due in 5 days.", "Stage 2: raise it with") == 1.0  # its paragraph
    assert _label_match(asked, "This should happen within 2 working days.", "Stage 1: Discuss the") == -1.0
    assert _label_match(asked, "Records are kept for 2 years.", "Records") == 0.0


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Records are kept for ten years.", True),
        ("Records are kept until the child's 25th birthday.", True),
        ("Records are kept permanently.", True),
        ("Coordination has improved over the last decade.", False),
        ("The summary record is kept on the confidential file.", False),
        ("Levels fall over more than one generation.", True),
        ("Three factors combine to reduce abuse.", False),
        ("It has been recognised since the 1950s.", True),
        ("The theatre was in operation from 1870 to 1939.", True),
        ("It was closed since it was unsafe.", False),
        ("Institutional care should be a last resort and for the shortest possible time.", True),
        ("The placement is temporary.", True),
    ],
)
def test_how_long_is_answered_by_a_number_or_a_span_of_time(sentence, expected):
    assert has_type(sentence, "duration", {"how", "long", "records", "kept"}) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 0300 123 4567 now.", True),
        ("Police non-emergency: 101", True),
        ("Tel: +44 (0)20 8314 7280", True),
        ("Childline 0800 1111.", True),
        # A count, a ratio, a year, a code in a link: nothing to call.
        ("About 5,000 children were seen.", False),
        ("The risk was 3.4 times higher.", False),
        ("In 2023 the panel met.", False),
        ("See [the guide](https://shop.pre-school.org.uk/A157) for the procedure.", False),
        ("The LADO is Jane Smith.", False),
    ],
)
def test_has_phone_finds_a_number_to_call(text, expected):
    from assistant.answer.kinds import has_phone

    assert has_phone(text) is expected


def test_a_phone_number_question_is_not_answered_by_a_sentence_without_one():
    from assistant import Assistant, Document
    from assistant.answer.kinds import asks_for_phone

    assert asks_for_phone("What is the LADO's telephone number?")
    assert asks_for_phone("Which number do I ring?")
    assert not asks_for_phone("How many numbers are there?")
    assert not asks_for_phone("Are mobile phones allowed in the room?")
    doc = Document.from_paragraphs(
        "d",
        [
            "Referrals go to the local children's social care referral team, whose procedures are online.",
            "The LADO, Jane Smith, can be reached on 020 8314 7280.",
        ],
    )
    assistant = Assistant([doc])
    missing = assistant.ask("What is the phone number for the children's social care referral team?")
    assert missing.status == "not_found" and missing.evidence.get("no_phone") is True
    found = assistant.ask("What is the LADO's phone number?")
    assert found.status == "answered" and "020 8314 7280" in found.answer


@pytest.mark.parametrize(
    ("abbr", "text", "expected"),
    [
        ("COSA", "the development of Circles of Support and Accountability (COSA), the work of", True),
        ("NOTA", "The National Organisation for the Treatment of Abusers (NOTA - and ATSA in the US", True),
        ("ATSA", "The National Organisation for the Treatment of Abusers (NOTA - and ATSA in the US", False),
        ("QED", "led to quantum electrodynamics (or QED), which", True),
        ("vBNS", "The Very high-speed Backbone Network Service (vBNS) came on line in 1995.", True),
        ("CJS", "CJS (the Criminal Justice System) sets the rules.", True),
        ("LADO", "LADO stands for Local Authority Designated Officer.", True),
        ("LADO", "Tell the LADO within one working day.", False),
        ("UN", "The UN (2019) reported a rise.", False),
    ],
)
def test_spells_out_needs_the_words_an_abbreviation_stands_for(abbr, text, expected):
    from assistant.answer.kinds import spells_out

    assert spells_out(abbr, text) is expected


def test_an_abbreviation_question_is_not_answered_by_a_mere_mention():
    from assistant import Assistant, Document
    from assistant.answer.kinds import asked_abbreviation

    assert asked_abbreviation("What does ATSA stand for?") == "ATSA"
    assert asked_abbreviation("what is the full name of the NSPCC") == "NSPCC"
    assert asked_abbreviation("What does isobaric mean?") is None  # a word, not an abbreviation
    doc = Document.from_paragraphs(
        "d",
        [
            "Treatment research is supported by ATSA in the United States and by other bodies.",
            "Referrals go to the Local Authority Designated Officer (LADO) within one working day.",
        ],
    )
    assistant = Assistant([doc])
    mention = assistant.ask("What does ATSA stand for?")
    assert mention.status == "not_found" and mention.evidence.get("no_expansion") is True
    defined = assistant.ask("What does LADO stand for?")
    assert defined.status == "answered" and "Local Authority Designated Officer (LADO)" in defined.answer


def test_deadline_is_the_kind_of_answer_not_a_word_to_search():
    from assistant import Assistant, Document

    doc = Document.from_paragraphs(
        "policy",
        [
            "Report an incident to the Country Director at the latest within 12 hours.",
            "Volunteers meet the Country Director each spring.",
        ],
    )
    answer = Assistant([doc]).ask("What's the deadline for reporting an incident to the Country Director?")
    assert answer.status == "answered" and "within 12 hours" in answer.answer
