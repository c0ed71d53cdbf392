"""The document readers on real files (tests/data/readers, made by tools/make_reader_fixtures.py):
each file is read correctly or refused with an error that names it and says why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.readers import Extracted, ReadError, read
from assistant.ingest.readers import pdf as pdf_reader

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"


def _blocks(doc: Extracted) -> list[str]:
    return doc.text.split("\n\n")


def _at(doc: Extracted, span) -> str:
    return doc.text[span.start : span.end]


# ---------------------------------------------------------------- PDF


def test_two_column_pdf_reads_each_column_whole_in_order():
    doc = read(DATA / "two_column.pdf")
    blocks = _blocks(doc)
    assert blocks[0] == "Resolving professional disagreements"
    # Lines are drawn across the page, left column then right: each paragraph still comes out whole.
    assert blocks[1].startswith("Practitioners who are worried about a child should discuss their concerns")
    assert blocks[1].endswith("promoting the welfare of children.")
    assert blocks[2].startswith("Where a practitioner disagrees")
    assert len(blocks) == 7


def test_pdf_hyphens_at_line_ends_are_joined():
    text = read(DATA / "two_column.pdf").text
    assert "designated safeguarding lead" in text
    assert "Information sharing" in text and "professionals involved" in text
    assert "safe-" not in text and "Infor-" not in text


def test_pdf_running_header_and_page_numbers_are_dropped():
    text = read(DATA / "two_column.pdf").text
    assert "Northfield Safeguarding Partnership procedures" not in text
    assert "Page 1 of 3" not in text and "of 3" not in text


def test_pdf_pages_start_where_their_text_does():
    doc = read(DATA / "two_column.pdf")
    assert len(doc.pages) == 3
    assert doc.text[doc.pages[1] :].startswith("If the disagreement is not resolved")
    assert doc.text[doc.pages[2] :].startswith("Records of every escalation")
    assert doc.page_at(0) == 1
    assert doc.page_at(doc.pages[1]) == 2
    assert doc.page_at(doc.pages[1] - 1) == 1
    assert doc.page_at(len(doc.text) - 1) == 3


def test_pdf_metadata_and_heading():
    doc = read(DATA / "two_column.pdf")
    assert doc.format == "pdf"
    assert doc.metadata == {
        "title": "Escalation and information sharing: multi-agency procedures",
        "author": "Northfield Safeguarding Partnership",
    }
    assert [(_at(doc, h), h.level) for h in doc.headings] == [("Resolving professional disagreements", 1)]


def test_libreoffice_pdf_keeps_headings_and_lists():
    doc = read(DATA / "policy.pdf")
    headings = [_at(doc, h) for h in doc.headings]
    assert headings[:3] == [
        "Safeguarding and child protection policy",
        "Designated safeguarding lead",
        "What to do if you are worried",
    ]
    lists = [_at(doc, s) for s in doc.lists]
    assert "1. Listen to the child and take what they say seriously.\n2. Write down" in lists[0]
    assert lists[1].startswith("\u2022 Unexplained injuries")  # the Symbol font's bullet made "•"


def test_pdf_with_only_an_owner_password_is_read():
    doc = read(DATA / "no_copying.pdf")
    assert "must be referred to the police" in doc.text


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("encrypted.pdf", "encrypted and needs a password"),
        ("scanned.pdf", "no text layer"),
        ("truncated.pdf", "truncated"),
        ("really_word.pdf", "the name says a PDF but the file is a Word document"),
    ],
)
def test_bad_pdfs_are_refused_naming_file_and_reason(name, reason):
    with pytest.raises(ReadError) as caught:
        read(DATA / name)
    assert str(caught.value).startswith(f"{name}: ")
    assert reason in str(caught.value)
    assert isinstance(caught.value, CorpusError)  # the corpus loader reports it like any bad file


def test_damaged_pdf_body_is_refused_not_crashed(tmp_path):
    whole = (DATA / "two_column.pdf").read_bytes()
    # The end marker is there but the objects before it are garbage.
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(whole[:40] + b"\x00garbage" * 200 + whole[-300:])
    with pytest.raises(ReadError, match=r"^damaged\.pdf: .*(damaged|no pages|no text)"):
        read(damaged)


def test_long_pdf_read_in_slices_reports_progress(monkeypatch):
    monkeypatch.setattr(pdf_reader, "PAGES_PER_WORKER", 1)
    seen = []
    doc = read(DATA / "two_column.pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert doc == read(DATA / "two_column.pdf")  # slices read in several processes: the same result


# ---------------------------------------------------------------- DOCX


@pytest.mark.parametrize("name", ["policy.docx", "policy_python_docx.docx"])
def test_docx_headings_lists_table_and_properties(name):
    doc = read(DATA / name)
    assert doc.format == "docx" and doc.pages == ()
    assert doc.metadata == {
        "title": "Safeguarding and child protection policy",
        "author": "Riverside Youth Club",
    }
    assert [(_at(doc, h), h.level) for h in doc.headings][:4] == [
        ("Safeguarding and child protection policy", 1),
        ("Designated safeguarding lead", 2),
        ("What to do if you are worried", 2),
        ("Signs of concern", 3),
    ]
    assert [_at(doc, s) for s in doc.lists] == [
        "1. Listen to the child and take what they say seriously.\n"
        "2. Write down what was said, in the child's own words, as soon as possible.\n"
        "3. Tell the designated safeguarding lead on the same day.",
        "\u2022 Unexplained injuries or injuries in unusual places.\n"
        "\u2022 A sudden change in behaviour or school performance.\n"
        "\u2022 Being frightened of a parent or carer.",
    ]
    assert [_at(doc, t) for t in doc.tables] == [
        "Service | Telephone | Hours\n"
        "Children's social care | 01632 960 200 | 9am to 5pm\n"
        "Emergency duty team | 01632 960 999 | Out of hours"
    ]
    assert doc.text.endswith("This policy is reviewed every year by the board of trustees.")


def test_docx_running_header_and_footer_are_left_out():
    doc = read(DATA / "article.docx")
    assert "NSPCC | Managing" not in doc.text  # the running header
    assert "Page" not in doc.text.split("\n\n")[-1]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("truncated.docx", "damaged or incomplete"),
        ("really_pdf.docx", "the name says a Word document (.docx) but the file is a PDF; rename it"),
        ("spreadsheet.docx", "a zip archive that is not a Word document"),
    ],
)
def test_bad_docx_files_are_refused(name, reason):
    with pytest.raises(ReadError) as caught:
        read(DATA / name)
    assert str(caught.value).startswith(f"{name}: ") and reason in str(caught.value)


def test_old_word_format_is_refused(tmp_path):
    old = tmp_path / "policy.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match=r"^policy\.docx: .*old Word document \(\.doc\)"):
        read(old)


# ---------------------------------------------------------------- HTML


def test_saved_page_keeps_main_content_only():
    doc = read(DATA / "policy_page.html")
    assert doc.format == "html"
    assert doc.text.startswith("Safeguarding and child protection policy\n\nThis policy applies")
    for left_out in (
        "cookies",
        "Bins and recycling",
        "Related content",
        "Privacy notice",
        "Home >",
        "JavaScript",
    ):
        assert left_out not in doc.text
    assert "INJECTED BY SCRIPT" not in doc.text  # the script is never run
    assert doc.metadata == {
        "title": "Safeguarding and child protection policy",
        "author": "Riverside Youth Club",
    }


def test_saved_page_headings_lists_and_table():
    doc = read(DATA / "policy_page.html")
    assert [(_at(doc, h), h.level) for h in doc.headings] == [
        ("Safeguarding and child protection policy", 1),
        ("Designated safeguarding lead", 2),
        ("What to do if you are worried", 2),
        ("Signs of concern", 3),
        ("Contacts", 2),
    ]
    assert _at(doc, doc.lists[0]).startswith("1. Listen to the child")
    assert _at(doc, doc.lists[1]).startswith("\u2022 Unexplained injuries")
    assert _at(doc, doc.tables[0]).splitlines()[1] == "Children's social care | 01632 960 200 | 9am to 5pm"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.html", "the web page has no main text"),
        ("really_pdf.html", "the name says a web page (HTML) but the file is a PDF"),
    ],
)
def test_bad_pages_are_refused(name, reason):
    with pytest.raises(ReadError) as caught:
        read(DATA / name)
    assert str(caught.value).startswith(f"{name}: ") and reason in str(caught.value)


def test_htm_suffix_and_fragment_are_read(tmp_path):
    page = tmp_path / "note.htm"
    page.write_text(
        "<h1>Lone working</h1><p>Staff who visit families alone must tell the office where they are going "
        "and when they expect to be back, and call in when they leave.</p>"
        "<p>The office calls any member of staff who has not called in within an hour of the time given.</p>",
        encoding="utf-8",
    )
    doc = read(page)
    assert "Staff who visit families alone must tell the office" in doc.text


# ---------------------------------------------------------------- text and any file


def test_text_file_is_read_as_it_is(tmp_path):
    note = tmp_path / "note.txt"
    note.write_bytes(b"Title\r\n\r\nCaf\xe9 staff must report concerns.\r\n")
    doc = read(note)
    assert (doc.format, doc.text, doc.pages) == ("text", "Title\n\nCafé staff must report concerns.\n", ())
    assert doc.page_at(3) is None


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.txt", b"", "the file is empty"),
        ("notes.pdf", b"   \n", "the file is empty"),
        (
            "notes.txt",
            (DATA / "two_column.pdf").read_bytes(),
            "the name says plain text but the file is a PDF",
        ),
        (
            "notes.pdf",
            b"Just some words typed into a file.\n",
            "the name says a PDF but the file is plain text",
        ),
        ("notes.rtf", b"{\\rtf1 hello}", "not a document the assistant reads"),
        ("notes.md", bytes(range(256)) * 8, "binary file"),
    ],
)
def test_other_bad_files_are_refused(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{name}: ") and reason in str(caught.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"^gone\.pdf: cannot read file"):
        read(tmp_path / "gone.pdf")


def test_every_fixture_is_read_or_refused_never_empty():
    """Each fixture gives text or a ReadError: no other exception, no empty document."""
    for path in sorted(DATA.iterdir()):
        try:
            doc = read(path)
        except ReadError as exc:
            assert str(exc).startswith(path.name + ": ")
            continue
        assert doc.text.strip(), path.name
        assert all(0 <= p <= len(doc.text) for p in doc.pages)


def test_renamed_copy_reads_the_same(tmp_path):
    copy = tmp_path / "Policy (final).PDF"
    shutil.copyfile(DATA / "two_column.pdf", copy)
    assert read(copy).text == read(DATA / "two_column.pdf").text
