"""Running headers and footers of a PDF dump ("Guide 2024 | Page 3") are dropped, not read as headings."""

from __future__ import annotations

from assistant import Assistant
from assistant.ingest.document import Document


def _pdf_dump(header: str = "Safeguarding Guide 2024 | Page {n}", every_page: bool = True) -> str:
    blocks = [
        "Keeping children safe in clubs",
        "1. Introduction",
        "This guide explains what volunteers should do when they are worried about a child. It applies to "
        "every club that is run by the trust, and to every adult who",
        header.format(n=1),
        "helps at a club, whether paid or unpaid.",
        "Volunteers read it before their first session.",
        header.format(n=2),
        "Every concern is reported on the same day. If a child is in immediate danger, call 999 first.",
        "2. Records",
        "Write down what you saw and heard, with the date and time, and sign the note.",
    ]
    if every_page:
        blocks.append(header.format(n=3))
    return "\n\n".join(blocks) + "\n"


def test_a_recurring_header_that_interrupts_a_sentence_is_boilerplate():
    doc = Document.from_text("guide", _pdf_dump())
    dropped = [doc.text[s:e] for s, e, role in doc.excluded if role == "boilerplate"]
    assert dropped == [f"Safeguarding Guide 2024 | Page {n}" for n in (1, 2, 3)]
    # Not a heading: the sections stay those of the document, and no passage is the header.
    assert {p.section for p in doc.passages} == {"1. Introduction", "2. Records"}
    assert not any(p.text.startswith("Safeguarding Guide") for p in doc.passages)
    # The paragraph broken by the page header is one passage again.
    first = doc.passages[0]
    assert first.text.startswith("This guide explains") and first.text.endswith("whether paid or unpaid.")


def test_a_page_break_between_paragraphs_does_not_rename_the_section():
    answer = Assistant([Document.from_text("guide", _pdf_dump())]).ask("When should a concern be reported?")
    assert answer.status == "answered"
    assert answer.citations[0].quote == "Every concern is reported on the same day."
    assert answer.citations[0].section == "1. Introduction"


def test_a_recurring_heading_that_never_interrupts_a_sentence_stays_a_heading():
    text = "\n\n".join(
        f"Chapter {n}\n\nKey points\n\nThe {word} rule applies to every volunteer in every club."
        for n, word in ((1, "first"), (2, "second"), (3, "third"))
    )
    intro = "Rules for volunteers\n\nThis handbook sets out the rules that every volunteer follows.\n\n"
    doc = Document.from_text("rules", intro + text)
    assert not [role for _s, _e, role in doc.excluded if role == "boilerplate"]
    assert [p.section for p in doc.passages] == ["", "Key points", "Key points", "Key points"]


def test_a_line_seen_only_twice_is_kept():
    doc = Document.from_text("guide", _pdf_dump(every_page=False))
    assert not [role for _s, _e, role in doc.excluded if role == "boilerplate"]


PDFTOTEXT = (
    "Working with families: practice note\n\nPractice note 7 | March 2024\n\n"
    "Purpose\nThis note explains how to respond when a parent discloses that\n"
    "their partner has a conviction.\n\n"
    "Immediate steps\nWhen a parent tells you about a conviction, thank them and record exactly what\n"
    "they said.\n\n3\n\n\fPractice note 7 | March 2024\n\n"
    "Assessment\nA specialist assessment of the partner is needed before any plan is agreed.\n\n4\n"
)


def test_a_line_next_to_a_page_break_that_recurs_is_a_running_header():
    doc = Document.from_text("note", PDFTOTEXT)
    dropped = [doc.text[s:e] for s, e, role in doc.excluded if role == "boilerplate"]
    assert dropped.count("Practice note 7 | March 2024") == 2


def test_a_page_number_alone_on_its_line_is_boilerplate():
    doc = Document.from_text("note", PDFTOTEXT)
    dropped = [doc.text[s:e] for s, e, role in doc.excluded if role == "boilerplate"]
    assert "3" in dropped and "4" in dropped
    assert not any(p.text.strip() in ("3", "4") for p in doc.passages)


def test_a_heading_with_its_paragraph_on_the_next_line_is_split_from_it():
    doc = Document.from_text("note", PDFTOTEXT)
    steps = next(p for p in doc.passages if "thank them" in p.text)
    assert steps.section == "Immediate steps"
    assert steps.text.startswith("When a parent tells you")
    assessment = doc.passages[-1]
    assert (assessment.section, assessment.text[:12]) == ("Assessment", "A specialist")
