"""The answer object and its citations (assistant/answer/objects.py): a quote is always the exact slice
text[start:end] of its document, and every field of a citation or a passage reference is its source's."""

from __future__ import annotations

import dataclasses
import json

from assistant import Document
from assistant.answer.objects import (
    MESSAGES,
    QUOTE_SEPARATOR,
    Answer,
    Citation,
    PassageRef,
    make_citation,
    passage_refs,
)
from assistant.retrieve.index import Hit
from tests.contract import ANSWER_KEYS, CITATION_KEYS, PASSAGE_KEYS

DOC = Document.from_text(
    "guide",
    "# Visits\n\nHome visits are planned a week ahead.\n\nA second worker joins risky visits.\n",
    {"title": "Visits guide", "author": "Practice team", "publisher": "The Board"},
)


def test_a_citation_quotes_the_exact_slice_and_names_its_source():
    passage = DOC.passages[-1]
    start = DOC.text.index("second worker")
    citation = make_citation(DOC, passage, start, start + len("second worker"), 1.23456789)
    assert citation == Citation(
        quote="second worker",
        passage_id=passage.passage_id,
        document_id="guide",
        title="Visits guide",
        author="Practice team",
        publisher="The Board",
        locator=passage.locator,
        section=passage.section,
        start=start,
        end=start + 13,
        score=1.234568,
        source="text",
    )
    assert citation.quote == DOC.text[citation.start : citation.end]
    assert passage.section == "Visits" and passage.locator.startswith("paragraph")


def test_a_citation_in_a_document_with_pages_names_the_page_it_starts_on():
    passage = DOC.passages[-1]
    paged = dataclasses.replace(DOC, pages=(0, passage.start))  # page 2 starts with the last paragraph
    citation = make_citation(paged, passage, passage.start + 2, passage.end, 1.0)
    assert citation.page == 2 and citation.quote == DOC.text[passage.start + 2 : passage.end]
    assert citation.locator == f"page 2, {passage.locator}"
    assert make_citation(DOC, passage, passage.start, passage.end, 1.0).page is None


def test_a_citation_score_is_a_plain_float_rounded_to_six_places():
    import numpy as np

    passage = DOC.passages[0]
    citation = make_citation(DOC, passage, passage.start, passage.end, np.float32(0.5))
    assert type(citation.score) is float and citation.score == 0.5
    assert make_citation(DOC, passage, passage.start, passage.end, 2).score == 2.0


def test_passage_refs_carry_each_hit_in_order():
    first, second = DOC.passages[-1], DOC.passages[0]
    refs = passage_refs([Hit(first, 2.3456789, 1), Hit(second, 0.5, 2)], index=None)
    assert refs == (
        PassageRef(first.passage_id, "guide", first.text, 2.345679, first.locator, first.start, first.end),
        PassageRef(second.passage_id, "guide", second.text, 0.5, second.locator, second.start, second.end),
    )


def test_the_answer_object_serialises_without_its_candidates():
    passage = DOC.passages[-1]
    a = make_citation(DOC, passage, passage.start, passage.start + 8, 1.0)
    b = make_citation(DOC, passage, passage.end - 7, passage.end, 0.5)
    answer = Answer(
        "Who joins?",
        "Who joins?",
        "answered",
        a.quote,
        (a,),
        passage_refs([Hit(passage, 1.0, 1)], index=None),
        "",
        {"confidence": 0.9},
        (a, b),
    )
    data = json.loads(json.dumps(answer.to_dict()))
    assert set(data) == ANSWER_KEYS and "candidates" not in data
    assert data["citations"] == [
        {
            "quote": a.quote,
            "passage_id": passage.passage_id,
            "document_id": "guide",
            "title": "Visits guide",
            "author": "Practice team",
            "publisher": "The Board",
            "locator": passage.locator,
            "section": "Visits",
            "start": a.start,
            "end": a.end,
            "score": 1.0,
            "source": "text",
            "page": None,
        }
    ]
    assert CITATION_KEYS <= set(data["citations"][0]) and PASSAGE_KEYS <= set(data["passages"][0])
    assert data["evidence"] == {"confidence": 0.9}
    # The candidates stay on the object for evaluation.
    assert answer.candidate == a
    assert answer.candidate_text == a.quote + "\n\n" + b.quote
    assert QUOTE_SEPARATOR == "\n\n"  # no words are added between two quotes


def test_an_answer_without_candidates_has_none():
    answer = Answer("Q?", "Q?", "not_found", "", message=MESSAGES["not_found"])
    assert answer.candidate is None and answer.candidate_text == ""
    assert answer.to_dict()["citations"] == () and answer.to_dict()["passages"] == ()


def test_the_status_messages_users_read():
    assert MESSAGES == {
        "answered": "",
        "not_found": "The document does not cover this.",
        "open_question": "The document raises this question but does not answer it.",
    }
