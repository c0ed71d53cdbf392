"""Structure recovery on Markdown guidance: a list introduced by a colon, and section headings as context."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant import Assistant, Settings
from assistant.answer.candidates import _leans_back
from assistant.ingest.document import Document

GUIDANCE = """# The role of the LADO

Every local authority must have a Local Authority Designated Officer (LADO). The LADO gives advice to
employers and monitors the progress of cases as quickly as possible.

# What counts as an allegation

An allegation is made when it is said that a person has:

- behaved in a way that has harmed a child;
- possibly committed a criminal offence against a child;
- behaved in a way that indicates they may not be suitable to work with children.

# Outcomes

There are four possible outcomes of an investigation: substantiated, malicious, false or unsubstantiated.
"""


@pytest.fixture(scope="module")
def document() -> Document:
    return Document.from_text("lado", GUIDANCE, {"title": "Managing allegations"})


def test_a_colon_introduced_bullet_list_is_one_list_passage_with_its_intro(document):
    passage = next(p for p in document.passages if "An allegation is made" in p.text)
    assert passage.kind == "list"
    assert passage.section == "What counts as an allegation"
    assert passage.text.endswith("suitable to work with children.")


def test_the_list_introduction_is_not_mistaken_for_a_heading(document):
    sections = {p.section for p in document.passages}
    assert sections == {"The role of the LADO", "What counts as an allegation", "Outcomes"}


def test_bullets_separated_by_blank_lines_stay_in_one_list():
    text = "Steps to take:\n\n- call the police;\n\n- tell the school;\n\n- record it.\n\nAfter that, rest."
    doc = Document.from_text("steps", text, {"title": "Steps"})
    assert [p.kind for p in doc.passages] == ["list", "text"]
    assert doc.passages[0].text.endswith("record it.")


@pytest.mark.parametrize("credit", [0.8, 0.0])
def test_a_question_that_echoes_a_heading_is_answered_from_its_section(document, credit):
    settings = replace(Settings(), answer=replace(Settings().answer, heading_credit=credit))
    answer = Assistant([document], settings).ask("What counts as an allegation?")
    from_section = bool(answer.citations) and "An allegation is made" in answer.answer
    # Only the heading says "counts": without its credit another sentence about allegations wins.
    assert from_section is (credit > 0)


NUMBERED = """Working together: information sharing for practitioners

1. Introduction

1.1 This advice is for all frontline practitioners who make decisions about sharing personal information.

2. The seven golden rules

2.1 Remember that data protection law is not a barrier to justified information sharing.

2.2 Be open and honest with the individual from the outset.
"""


def test_numbered_headings_open_sections_and_are_not_list_items():
    doc = Document.from_text("wt", NUMBERED, {"title": "Information sharing"})
    assert [(p.section, p.kind) for p in doc.passages] == [
        ("1. Introduction", "text"),
        ("2. The seven golden rules", "text"),
        ("2. The seven golden rules", "text"),
    ]
    headings = [NUMBERED[s:e] for s, e, role in doc.excluded if role == "heading"]
    assert headings == ["1. Introduction", "2. The seven golden rules"]


def test_a_numbered_list_after_its_introduction_stays_a_list():
    text = (
        "When a child tells you about abuse, stay calm and listen.\n\nDo the following:\n\n"
        "1. Call the police\n\n2. Tell the school\n\nThen write it down."
    )
    doc = Document.from_text("steps", text, {"title": "Steps"})
    assert [p.kind for p in doc.passages] == ["text", "list", "text"]
    assert doc.passages[1].text == "Do the following:\n\n1. Call the police\n\n2. Tell the school"


def test_a_sentence_that_echoes_the_question_wording_wins_over_a_higher_bm25_passage():
    text = (
        "1. Introduction\n\n1.1 This advice is for all frontline practitioners working with children and "
        "families in every part of the county.\n\n2. Rules\n\n2.1 Seek advice early.\n\n"
        "2.2 Be open and honest with the family from the outset.\n\n"
        "2.3 Record what you shared, with whom and why.\n\n2.4 Keep records safe."
    )
    assistant = Assistant([Document.from_text("wt", text, {"title": "Information sharing"})], Settings())
    hits = assistant.retrieve("Who is this advice for?").hits
    assert hits[0].passage.text.startswith("2.1")  # the shorter passage scores higher in BM25
    # Both sentences hold "advice" once; the other says "this advice is for", as the question does.
    answer = assistant.ask("Who is this advice for?")
    assert answer.candidate_text.startswith("1.1 This advice is for all frontline practitioners")


@pytest.mark.parametrize("backend", ["sparse", "rank_bm25"])
def test_bm25_indexes_each_passage_with_its_section_heading(backend, tmp_path):
    from assistant.config import settings_from_mapping

    settings = settings_from_mapping({"retrieval": {"backend": backend, "index_dir": str(tmp_path)}})
    doc = Document.from_text("wt", NUMBERED, {"title": "Information sharing"})
    assistant = Assistant([doc], settings)
    # "golden" and "rules" are only in the heading of section 2.
    hits = assistant.retrieve("What are the golden rules?").hits
    assert hits and {h.passage.section for h in hits} == {"2. The seven golden rules"}
    answer = assistant.ask("What are the seven golden rules?")
    assert answer.status == "answered"
    assert all(c.quote in NUMBERED for c in answer.citations)


def test_the_index_key_follows_the_section_headings():
    from assistant.ingest.document import CorpusPassages, Passage
    from assistant.retrieve.store import index_key

    doc = Document.from_text("wt", NUMBERED, {"title": "Information sharing"})
    # The same text and passages, one passage filed under another heading (as a change to heading
    # detection would do): BM25 would index other words, so the saved index must not be reused.
    moved = Document("wt", NUMBERED, {})
    for i, p in enumerate(doc.passages):
        section = "Elsewhere" if i == 2 else p.section
        moved.passages.append(
            Passage(p.passage_id, p.doc_id, p.number, section, p.kind, p.start, p.end, p.text, p.sentences)
        )
    assert [p.text for p in moved.passages] == [p.text for p in doc.passages]
    assert moved.passages.kept_as_given() == []  # stored compactly, like the original
    assert index_key(CorpusPassages([doc]), {}) != index_key(CorpusPassages([moved]), {})


def test_a_document_that_numbers_its_paragraphs_is_cited_by_its_numbers():
    doc = Document.from_text("wt", NUMBERED, {"title": "Information sharing"})
    assert [p.locator for p in doc.passages] == [
        "paragraph 1.1 (1. Introduction)",
        "paragraph 2.1 (2. The seven golden rules)",
        "paragraph 2.2 (2. The seven golden rules)",
    ]
    plain = Document.from_text(
        "p", "First paragraph here.\n\n3.5 million people were counted.", {"title": "P"}
    )
    assert [p.locator for p in plain.passages] == ["paragraph 1", "paragraph 2"]


REVIEW = (
    "The health visitor recorded a bruise in August. No referral was made.\n\n"
    "The review makes three recommendations. First, all agencies should adopt a bruising protocol. "
    "Second, police should notify health visitors of domestic abuse. Third, practitioners should be "
    "trained to ask about new partners.\n\n"
    "The board accepted the recommendations in April."
)


def test_a_counted_list_in_prose_is_quoted_with_its_steps():
    assistant = Assistant([Document.from_text("review", REVIEW, {"title": "Review"})], Settings())
    answer = assistant.ask("How many recommendations does the review make?")
    assert answer.answer.startswith("The review makes three recommendations. First, all agencies")
    assert answer.answer.endswith("trained to ask about new partners.")
    # One step asked for: the next step is not added to it.
    second = assistant.ask("What should police notify health visitors of?")
    assert "Third," not in second.answer


def test_the_third_one_points_at_the_third_step_in_prose():
    assistant = Assistant([Document.from_text("review", REVIEW, {"title": "Review"})], Settings())
    answer = assistant.ask("Tell me about the third one", ["How many recommendations does the review make?"])
    assert (
        answer.resolved_question == "Tell me about practitioners should be trained to ask about new partners"
    )


def test_a_list_question_prefers_the_sentence_that_announces_the_list():
    text = REVIEW.replace("in April.", "in April, all three recommendations.")
    assistant = Assistant([Document.from_text("review", text, {"title": "Review"})], Settings())
    answer = assistant.ask("What are the recommendations?")
    assert answer.answer.startswith("The review makes three recommendations. First,")


def test_a_short_list_at_the_top_is_content_not_front_matter():
    text = (
        "Key facts\n\n- Jon Brown\n\nIn brief:\n\n- Most abuse is by someone the child knows\n"
        "- Most abuse is never reported\n\nThis briefing sets out what the research says about abuse.\n"
    )
    doc = Document.from_text("facts", text)
    roles = [(role, doc.text[s:e]) for s, e, role in doc.excluded]
    assert roles == [("title", "Key facts"), ("byline", "- Jon Brown")]
    assert doc.author == "Jon Brown"
    assert doc.passages[0].kind == "list"
    assert doc.passages[0].text.startswith("In brief:\n\n- Most abuse is by someone the child knows")


CONTACTS = """# Safeguarding contacts

## Who to contact

| Role | Name | Phone |
|------|------|-------|
| Designated Safeguarding Lead | **Priya Shah** | 01234 567890 |
| Deputy Lead | Tom Reed | 01234 567891 |

## Escalation

1. Raise the concern with your line manager.
2. If the concern is not resolved within 5 working days, escalate to the Designated Safeguarding Lead.
3. If you still disagree, use the resolution of professional disagreements procedure.
"""


def test_a_numbered_list_right_after_a_markdown_heading_opens_the_section():
    doc = Document.from_text("contacts", CONTACTS, {"title": "Safeguarding contacts"})
    headings = [doc.text[s:e] for s, e, role in doc.excluded if role == "heading"]
    assert headings == ["## Who to contact", "## Escalation"]
    steps = next(p for p in doc.passages if p.section == "Escalation")
    assert steps.text.startswith("1. Raise the concern") and steps.text.endswith("procedure.")
    answer = Assistant([doc]).ask("What if I still disagree?")
    assert answer.status == "answered"
    # The step is quoted whole, its number included.
    assert answer.citations[0].quote.startswith("3. If you still disagree")


def test_each_row_of_a_markdown_table_is_a_sentence_of_its_own():
    doc = Document.from_text("contacts", CONTACTS, {"title": "Safeguarding contacts"})
    table = next(p for p in doc.passages if p.text.startswith("| Role"))
    rows = [doc.text[s.start : s.end] for s in table.sentences]
    assert rows == [
        "| Role | Name | Phone |",
        "| Designated Safeguarding Lead | **Priya Shah** | 01234 567890 |",
        "| Deputy Lead | Tom Reed | 01234 567891 |",
    ]


def test_a_short_title_line_before_a_numbered_list_is_its_heading_not_its_intro():
    text = (
        "Escalation guide\n\nThis guide sets out what staff do when they disagree about a child.\n\n"
        "Escalation steps\n\n1. Raise the concern with your line manager.\n\n"
        "2. If you still disagree, use the disagreements procedure.\n\n"
        "There are three factors which combine to reduce abuse in communities\n\n"
        "(i) deterrence, (ii) treatment (iii) prevention.\n"
    )
    doc = Document.from_text("esc", text)
    steps = next(p for p in doc.passages if p.text.startswith("1. Raise"))
    assert steps.section == "Escalation steps"
    # A long unterminated sentence is still completed by the list that follows it.
    factors = doc.passages[-1]
    assert factors.text.startswith("There are three factors") and factors.text.endswith("prevention.")


GLOSSARY = """# Handbook

## Glossary

- **LADO** – the Local Authority Designated Officer, who manages allegations against adults
- **Section 47 enquiry** – an enquiry by social care when a child may be suffering significant harm
- **Early help** – support for a family as soon as a problem emerges
"""


def test_each_bullet_line_is_a_sentence_and_one_item_is_quoted_alone():
    doc = Document.from_text("glossary", GLOSSARY, {"title": "Handbook"})
    (passage,) = doc.passages
    assert [doc.text[s.start : s.end][:12] for s in passage.sentences] == [
        "- **LADO** –",
        "- **Section ",
        "- **Early he",
    ]
    answer = Assistant([doc]).ask("What is a section 47 enquiry?")
    assert answer.status == "answered"
    assert answer.answer.startswith("- **Section 47 enquiry**") and "Early help" not in answer.answer


def test_an_introduction_ending_with_a_colon_still_takes_its_bullets(document):
    answer = Assistant([document]).ask("When is an allegation made?")
    assert answer.answer.startswith("An allegation is made when it is said that a person has:")
    assert answer.answer.endswith("suitable to work with children.")


def test_a_table_header_row_is_context_for_each_row():
    doc = Document.from_text("contacts", CONTACTS, {"title": "Safeguarding contacts"})
    answer = Assistant([doc]).ask("What is the phone number of the deputy lead?")
    assert answer.candidates[0].quote == "| Deputy Lead | Tom Reed | 01234 567891 |"
    # "phone" is in the header, and the row's number is the "number" asked for.
    assert answer.evidence["features"]["missing_soft"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "# Keeping children safe\n\n## Contents\n\n1. Introduction\n2. Reporting\n\n## 1. Introduction\n\n"
        "This guidance explains how staff report concerns.\n",
        "Keeping children safe\n\nContents\n\n1. Introduction\n2. Reporting\n\n"
        "This guidance explains how staff report concerns.\n",
    ],
    ids=["markdown", "plain"],
)
def test_a_table_of_contents_is_not_a_passage(text):
    doc = Document.from_text("k", text, {"title": "Keeping children safe"})
    contents = [doc.text[s:e] for s, e, role in doc.excluded if role == "contents"]
    assert contents == ["1. Introduction\n2. Reporting"]
    assert [p.text for p in doc.passages] == ["This guidance explains how staff report concerns."]


PARAGRAPHS = (
    "Information sharing guidance\n\nIntroduction\n\n"
    "12. This guidance is for practitioners who work with children. It explains when to share.\n\n"
    "13. Practitioners should share information when a child is at risk of harm, even without consent.\n\n"
    "Consent\n\n"
    "14. Practitioners should seek consent first. It is not needed if it would put the child at risk.\n\n"
    "15. Record every decision to share or not to share, with the reasons.\n"
)


def test_numbered_paragraphs_of_guidance_are_passages_cited_by_their_own_numbers():
    doc = Document.from_text("share", PARAGRAPHS, {"title": "Information sharing guidance"})
    # "Introduction", after the whole title, heads the first section.
    assert [p.locator for p in doc.passages] == [
        "paragraph 12 (Introduction)",
        "paragraph 13 (Introduction)",
        "paragraph 14 (Consent)",
        "paragraph 15 (Consent)",
    ]
    assert {p.kind for p in doc.passages} == {"text"}


def test_short_numbered_steps_stay_one_list():
    steps = (
        "Escalation guide\n\nThis guide sets out what staff do when they disagree.\n\nSteps\n\n"
        "1. Raise the concern with your line manager.\n\n2. Escalate to the safeguarding lead.\n\n"
        "3. Use the disagreements procedure.\n"
    )
    doc = Document.from_text("esc", steps)
    listed = doc.passages[-1]
    assert listed.kind == "list" and listed.locator == "paragraph 2 (Steps)"
    assert listed.text.startswith("1. Raise") and listed.text.endswith("procedure.")


CONTACT_LIST = """RIVERSIDE FAMILY CENTRE — CONTACTS

CENTRE DETAILS:
Riverside Family Centre
12 Mill Road, Exampletown, EX1 2AB
Tel: 01234 500100
Hours: Monday to Friday, 9:00–17:00

SAFEGUARDING TEAM (all leads are trained):
Safeguarding Lead: Amira Khan — Centre Manager
Deputy Lead: Tom Reed — Family Worker
Chair of Trustees: Ruth Bell

OTHER NUMBERS:
Police non-emergency: 101
Childline: 0800 1111
"""


def test_a_contact_list_has_capital_headings_and_one_sentence_per_labelled_line():
    doc = Document.from_text("contacts", CONTACT_LIST, {"title": "Contacts"})
    headings = [CONTACT_LIST[s:e] for s, e, role in doc.excluded if role == "heading"]
    assert headings == ["CENTRE DETAILS:", "SAFEGUARDING TEAM (all leads are trained):", "OTHER NUMBERS:"]
    details = doc.passages[0]
    assert [CONTACT_LIST[s.start : s.end] for s in details.sentences] == [
        "Riverside Family Centre\n12 Mill Road, Exampletown, EX1 2AB",
        "Tel: 01234 500100",
        "Hours: Monday to Friday, 9:00–17:00",
    ]
    assistant = Assistant([doc])
    chair = assistant.ask("Who chairs the trustees?")
    assert chair.status == "answered" and chair.answer == "Chair of Trustees: Ruth Bell"
    police = assistant.ask("What is the police non-emergency number?")
    assert police.status == "answered" and police.answer == "Police non-emergency: 101"
    assert (
        police.evidence["features"]["question_negated"] == 0.0
    )  # "non-" names the line, as the question does
    # The line's figure is the "number" asked for (a number in words, "one working day", is not).
    childline = assistant.ask("What is Childline's number?")
    assert childline.status == "answered" and childline.answer == "Childline: 0800 1111"
    assert childline.evidence["features"]["missing_soft"] == 0.0


HOME_VISITS_GUIDE = """# Lone working

## Before the visit

**Check the records.** Read the case file and any alerts before you go.
**Tell someone.** Log the address and your finish time with the duty desk.

## Contacts

**Duty desk:** 01632 960 001
**Team manager:** Grace Osei

## FAQ

### Who do I tell if a visit overruns?
Ring the duty desk before your expected finish time.
"""


def test_markdown_emphasis_and_a_heading_glued_to_its_text():
    doc = Document.from_text("guide", HOME_VISITS_GUIDE, {"title": "Lone working"})
    said = [HOME_VISITS_GUIDE[s.start : s.end] for p in doc.passages for s in p.sentences]
    assert said == [
        "**Check the records.**",
        "Read the case file and any alerts before you go.",
        "**Tell someone.**",
        "Log the address and your finish time with the duty desk.",
        "**Duty desk:** 01632 960 001",
        "**Team manager:** Grace Osei",
        # The line under a "###" heading is text, not part of the heading.
        "Ring the duty desk before your expected finish time.",
    ]
    assistant = Assistant([doc])
    # A bold lead-in is quoted with the sentence it introduces.
    check = assistant.ask("What should I check before a visit?")
    assert check.answer == "**Check the records.** Read the case file and any alerts before you go."
    overrun = assistant.ask("What do I do if a visit overruns?")
    assert overrun.answer == "Ring the duty desk before your expected finish time."


def test_word_processor_bullets_and_a_heading_after_the_title():
    text = (
        "Neglect guidance\n\nSigns of neglect\n\nStaff should look out for:\n\n"
        "● poor hygiene or unwashed clothes\n▪ frequent hunger or stealing food\n"
        "· missed medical appointments\n\nRecord any sign on the day you see it."
    )
    doc = Document.from_text("n", text, {"title": "Neglect guidance"})
    assert [(s, e, role) for s, e, role in doc.excluded] == [(0, 16, "title"), (18, 34, "heading")]
    listed = doc.passages[0]
    assert listed.kind == "list" and listed.section == "Signs of neglect"
    assert [text[s.start : s.end] for s in listed.sentences][1:] == [
        "● poor hygiene or unwashed clothes",
        "▪ frequent hunger or stealing food",
        "· missed medical appointments",
    ]
    assistant = Assistant([doc])
    assert "missed medical appointments" in assistant.ask("What should staff look out for?").answer
    # "signs" and "neglect" are only in the heading: in a document too small for BM25 to rank, the
    # passages are still found by their heading.
    assert assistant.ask("What are the signs of neglect?").answer.startswith("Staff should look out for:")


def test_a_wrapped_first_bullet_belongs_to_its_list_and_closing_hashes_leave_the_heading():
    text = (
        "# Policy statement #\n\nWe keep children safe.\n\n## Key people ##\n\n"
        "* Our designated person who co-ordinates child protection is the deputy manager,\n"
        "[Eve Ratcliff](/staff/eve_ratcliff.html).\n\n"
        "* Our designated officer is Nick Prater.\n\n"
        "* All staff are trained.\n"
    )
    doc = Document.from_text("policy", text, {"title": "Safeguarding policy"})
    sections = [p.section for p in doc.passages]
    assert sections[0] == "Policy statement"
    assert set(sections[1:]) == {"Key people"}
    lists = [p for p in doc.passages if p.kind == "list"]
    assert len(lists) == 1 and len(lists[0].sentences) == 3
    assert lists[0].text.startswith("* Our designated person")


def test_an_item_that_announces_sub_items_is_quoted_with_them_but_not_with_the_next_item():
    text = (
        "# Allegations against staff\n\n"
        "* We respond to any concern about a member of staff at once.\n\n"
        "* We refer any such complaint immediately to the Local Authority Designated Officer "
        "to investigate:\n"
        "    * Lin Blakelock: telephone 020 8314 7280\n\n"
        "* We also report any such incident to Ofsted.\n"
    )
    assistant = Assistant([Document.from_text("policy", text, {"title": "Policy"})])
    answer = assistant.ask("Who do we refer a complaint about staff to?")
    assert answer.status == "answered"
    assert "to investigate:" in answer.answer and "020 8314 7280" in answer.answer
    assert "Ofsted" not in answer.answer


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("* These records are signed and kept in the child's personal file.", True),
        ("(ii) It is reviewed every year.", True),
        ("3. They are told the same day.", True),
        ("It is reviewed every year.", True),
        ("* Records are signed and kept in the file.", False),
        ("Itself a record, the file is kept.", False),
    ],
)
def test_a_sentence_or_list_item_opening_with_a_pronoun_leans_on_the_one_before(sentence, leans):
    # A list item's marker ("* ", "(ii) ", "3. ") is not its first word.
    assert _leans_back(sentence) is leans


def test_a_line_all_in_bold_is_a_heading_and_opens_its_numbered_list():
    text = (
        "**Protection Objectives **\n\nTo ensure that girls and boys are safe where they live and learn.\n\n"
        "**Guiding Principles **\n\n\n\n1. **_Best interest of the child _**\n\n"
        "For all decisions related to a child, the best interest of the child comes first.\n\n"
        "**Duty desk:** 01632 960 310\n"
    )
    doc = Document.from_text("p", text, {"title": "Child protection policy"})
    sections = [p.section for p in doc.passages]
    assert sections[0] == "Protection Objectives"
    assert "Guiding Principles" in sections
    first = next(p for p in doc.passages if p.section == "Guiding Principles")
    assert first.text.startswith("1. **_Best interest of the child _**")
    # A bold label followed by its value is content, not a heading.
    assert any("01632 960 310" in p.text for p in doc.passages)


# A scraped web page: headings and thematic breaks on lines of their own, with no blank line around them.
UNSPACED = """# Keeping children safe

Most parents worry about how to protect their children.
* * *
For instance, parents often think "stranger danger" is enough. Most abuse is by someone the child knows.
##  Teaching body safety
###  1. Use a story to begin a conversation.
Add a couple of books to your child's bookshelf.
According to Marilyn Van Derbur, author of
###  2. Role-play scenarios.
Experts say playing "what if" games lets children rehearse their words.
*******
###  Sources:
* Peter A. Levine and Maggie Klein
"""


def test_headings_and_breaks_without_blank_lines_stand_alone():
    doc = Document.from_text("page", UNSPACED, {"title": "Keeping children safe"})
    sentences = [UNSPACED[s.start : s.end] for p in doc.passages for s in p.sentences]
    assert "* * *" not in "".join(sentences) and "*******" not in "".join(sentences)
    assert not any("#" in s for s in sentences)
    assert sentences[1].startswith("For instance")
    sections = {p.section for p in doc.passages}
    assert {"1. Use a story to begin a conversation.", "2. Role-play scenarios.", "Sources"} <= sections
    role_play = next(p for p in doc.passages if p.section == "2. Role-play scenarios.")
    assert role_play.text.startswith("Experts say")


def test_three_dashes_under_a_line_are_left_to_the_heading_rules():
    from assistant.ingest.structure import _THEMATIC_BREAK

    assert all(_THEMATIC_BREAK.match(line) for line in ("* * *", "___", "*******"))
    assert not any(_THEMATIC_BREAK.match(line) for line in ("---", "* item", "** bold **"))
