"""corpus.py: structure recovery on the bundled article, passage invariants, and loading folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.corpus import load_corpus
from assistant.ingest.document import Document

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_CORPUS = ROOT / "corpus"
FIXTURE_CORPUS = ROOT / "tests" / "data" / "corpus"
ARTICLE_ID = "000_7a47272a2cc29dc3"
KEY_QUESTIONS = "Key Questions which require further consideration"
BODY = (
    "A short heading\n\n"
    "The first paragraph talks about safety plans. It has two sentences.\n\n"
    "The second one is about reviews.\n"
)


@pytest.fixture(scope="module")
def article() -> Document:
    documents, problems = load_corpus(BUNDLED_CORPUS)
    assert problems == []
    (document,) = documents
    return document


@pytest.fixture(scope="module")
def fixture_documents() -> dict[str, Document]:
    documents, problems = load_corpus(FIXTURE_CORPUS)
    assert problems == []
    return {d.doc_id: d for d in documents}


def passage_with(document: Document, phrase: str):
    """Return the only passage that contains `phrase`."""
    (passage,) = [p for p in document.passages if phrase in p.text]
    return passage


def excluded_texts(document: Document, role: str) -> list[str]:
    return [document.text[s:e] for s, e, r in document.excluded if r == role]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# ---------------------------------------------------------------- structure of the bundled article


def test_article_metadata_comes_from_its_sidecar(article):
    assert article.doc_id == ARTICLE_ID
    assert article.title.startswith("How are - and how should - sexual offenders against children")
    assert (article.author, article.publisher) == ("Jon Brown", "NSPCC")


@pytest.mark.parametrize(
    ("role", "phrase"),
    [
        ("title", "How are - and how should"),
        ("title", "managed in the community?"),
        ("byline", "- Jon Brown"),
        ("boilerplate", "Press back browser button to return to the HOME PAGE"),
        ("heading", KEY_QUESTIONS),
    ],
)
def test_front_matter_and_boilerplate_are_excluded_with_their_role(article, role, phrase):
    assert any(phrase in text for text in excluded_texts(article, role))
    assert not any(phrase in p.text for p in article.passages)


def test_excluded_spans_overlap_no_passage(article):
    assert article.excluded
    for s, e, _role in article.excluded:
        assert all(e <= p.start or s >= p.end for p in article.passages)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("group programmes in some", "probation services, health facilities"),
        ("within the prison system (Sex", "Offender Treatment Evaluation Programme)"),
        ("particularly with higher risk offenders. A focus", 'now on the “Better Lives" approach'),
        ("(NOTA - and ATSA in", "the US However"),
    ],
)
def test_paragraphs_broken_mid_sentence_are_merged(article, before, after):
    passage = passage_with(article, before)
    assert after in passage.text


def test_numbered_list_joins_its_intro_sentence(article):
    passage = passage_with(article, "three factors which combine")
    assert "deterrence, (ii) treatment for victims and offenders (iii) prevention." in passage.text
    assert passage.kind == "list"


def test_list_items_after_blank_lines_stay_with_their_intro(article):
    passage = passage_with(article, "focus on the provision of:")
    for item in [
        "(i) Non sensationalism",
        "(ii) The facilitation",
        "(iii) The empowerment",
        "(iv) The utilization",
    ]:
        assert item in passage.text
    assert passage.kind == "list"


def test_key_questions_are_question_passages_of_their_section(article):
    in_section = [p for p in article.passages if p.section == KEY_QUESTIONS]
    assert len(in_section) == 5
    assert all(p.kind == "question" for p in in_section)
    assert "What specifically is the role of attachment in sexual offending?" in [p.text for p in in_section]
    assert all(s.is_question for p in in_section for s in p.sentences)
    assert in_section[0].locator == f"paragraph {in_section[0].number} ({KEY_QUESTIONS})"


def test_only_the_key_questions_are_question_passages(article):
    assert {p.section for p in article.passages if p.kind == "question"} == {KEY_QUESTIONS}


def test_references_are_reference_passages_in_a_references_section(article):
    references = [p for p in article.passages if p.kind == "reference"]
    assert all(p.section == "References" for p in references)
    joined = " ".join(p.text for p in references)
    for author in ["Beckett, R.", "Jones, L,", "Radford, L.", "Smallbone, Marshall and Wodley"]:
        assert author in joined
    # The reference list ends the article: nothing after its first entry is body text.
    first = article.passages.index(references[0])
    assert article.passages[first:] == references


def test_body_text_is_not_a_reference(article):
    passage = passage_with(article, "cognitive behavioural programmes are most effective")
    assert (passage.kind, passage.section) == ("text", "")


# ---------------------------------------------------------------- passage invariants (every document)


@pytest.fixture(scope="module", params=["bundled", "fixture"])
def any_document_set(request, article, fixture_documents) -> list[Document]:
    return [article] if request.param == "bundled" else list(fixture_documents.values())


def test_passage_ids_are_doc_id_and_consecutive_numbers(any_document_set):
    for document in any_document_set:
        numbers = list(range(1, len(document.passages) + 1))
        assert [p.passage_id for p in document.passages] == [f"{document.doc_id}#{n}" for n in numbers]
        assert [p.number for p in document.passages] == numbers
        assert all(p.doc_id == document.doc_id for p in document.passages)


def test_passage_text_is_the_slice_of_its_span(any_document_set):
    for document in any_document_set:
        for passage in document.passages:
            assert passage.text == document.text[passage.start : passage.end]
            assert passage.text == passage.text.strip() != ""


def test_sentence_spans_lie_inside_their_passage_in_order(any_document_set):
    for document in any_document_set:
        for passage in document.passages:
            assert passage.sentences
            previous_end = passage.start
            for sentence in passage.sentences:
                assert previous_end <= sentence.start < sentence.end <= passage.end
                assert document.text[sentence.start : sentence.end].strip()
                previous_end = sentence.end


def test_passages_do_not_overlap(any_document_set):
    for document in any_document_set:
        for first, second in zip(document.passages, document.passages[1:], strict=False):
            assert first.end <= second.start


# ---------------------------------------------------------------- Document.from_paragraphs


def test_from_paragraphs_makes_one_passage_per_paragraph():
    paragraphs = ["First paragraph. Two sentences.", "Second paragraph?", "Third, with Dr. Who in it."]
    document = Document.from_paragraphs("squad-1", paragraphs, {"title": "Given"})
    assert [p.text for p in document.passages] == paragraphs
    assert [p.passage_id for p in document.passages] == ["squad-1#1", "squad-1#2", "squad-1#3"]
    assert all(document.text[p.start : p.end] == p.text for p in document.passages)
    assert [len(p.sentences) for p in document.passages] == [2, 1, 1]
    assert document.title == "Given"
    assert document.excluded == []


# ---------------------------------------------------------------- load_corpus on a folder


def test_front_matter_metadata_is_read_and_kept_out_of_the_text(tmp_path):
    write(tmp_path, "guide.md", "---\ntitle: Front\nauthor: F. Writer\n---\n" + BODY)
    (document,), problems = load_corpus(tmp_path)
    assert problems == []
    assert (document.doc_id, document.title, document.author) == ("guide", "Front", "F. Writer")
    assert "title:" not in document.text and "---" not in document.text
    assert all(document.text[p.start : p.end] == p.text for p in document.passages)


def test_sidecar_metadata_is_read(tmp_path):
    write(tmp_path, "guide.txt", BODY)
    write(tmp_path, "guide.yaml", "title: Sidecar\nauthor: S. Writer\npublisher: Council\n")
    (document,), problems = load_corpus(tmp_path)
    assert problems == []
    assert (document.title, document.author, document.publisher) == ("Sidecar", "S. Writer", "Council")


def test_a_document_without_metadata_takes_its_title_block(tmp_path):
    write(tmp_path, "guide.txt", BODY)
    (document,), _ = load_corpus(tmp_path)
    assert document.title == "A short heading"
    assert [p.text for p in document.passages][-1] == "The second one is about reviews."


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.md": "---\ntitle: Front\n---\n" + BODY, "a.yaml": "title: Sidecar\n"},
            "a.md: has both front matter and a.yaml",
        ),
        ({"a.txt": ""}, "a.txt: document is empty"),
        ({"a.txt": "  \n\n \t\n"}, "a.txt: document is empty"),
        ({"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "a.txt: looks like a binary file"),
        ({"a.txt": BODY, "a.yaml": "title: [unclosed\n"}, "a.yaml: metadata is not valid YAML"),
        ({"a.txt": BODY, "a.yaml": "- a list\n- not a mapping\n"}, "a.yaml: metadata must be a YAML mapping"),
    ],
    ids=["front-matter-and-sidecar", "empty", "blank", "binary", "bad-yaml", "yaml-list"],
)
def test_a_bad_document_is_reported_and_the_others_still_load(tmp_path, files, message):
    for name, content in files.items():
        write(tmp_path, name, content)
    write(tmp_path, "good.txt", BODY)
    documents, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["good"]
    assert len(problems) == 1
    assert isinstance(problems[0], CorpusError)
    assert message in str(problems[0])


def test_metadata_without_a_document_is_reported(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "orphan.yaml", "title: Nobody\n")
    documents, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["a"]
    assert [str(p) for p in problems] == [
        "orphan.yaml: metadata file has no document (orphan with .txt, .md, .pdf, .docx, .html, .htm)"
    ]


def test_duplicate_document_ids_are_reported(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.md", BODY)
    documents, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["a"]
    assert len(problems) == 1
    assert "document id 'a' is already used" in str(problems[0])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbf" + BODY.encode("utf-8"), BODY),
        (BODY.replace("safety", "caf\xe9").encode("latin-1"), BODY.replace("safety", "café")),
        (BODY.replace("safety", "\u201csafety\u201d").encode("cp1252"), BODY.replace("safety", "“safety”")),
        (BODY.replace("\n", "\r\n").encode("utf-8"), BODY),
        (BODY.replace("\n", "\r").encode("utf-8"), BODY),
    ],
    ids=["utf8-bom", "latin-1", "windows-1252-quotes", "crlf", "cr"],
)
def test_encodings_and_line_endings_are_normalised(tmp_path, raw, expected):
    write(tmp_path, "a.txt", raw)
    (document,), problems = load_corpus(tmp_path)
    assert problems == []
    assert document.text == expected
    assert [p.text for p in document.passages] == [
        expected.split("\n\n")[1],
        "The second one is about reviews.",
    ]


def test_missing_folder_raises_corpus_error_naming_the_path(tmp_path):
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(CorpusError, match="not found") as info:
        load_corpus(missing)
    assert str(missing.resolve()) in str(info.value)


def test_folder_without_documents_raises_corpus_error(tmp_path):
    write(tmp_path, "notes.yaml", "title: No text\n")
    with pytest.raises(CorpusError, match=r"holds no documents \(\.txt, \.md, \.pdf"):
        load_corpus(tmp_path)


# ---------------------------------------------------------------- the fixture corpus


def test_fixture_corpus_loads_two_documents_with_their_metadata(fixture_documents):
    assert sorted(fixture_documents) == ["escalation", "home-visits"]
    escalation, visits = fixture_documents["escalation"], fixture_documents["home-visits"]
    assert (escalation.title, escalation.author, escalation.publisher) == (
        "Escalating a concern between agencies",
        "Sam Writer",
        "Test Partnership",
    )
    assert (visits.title, visits.author, visits.publisher) == (
        "Planning safe home visits",
        "A. Example",
        "Test Council",
    )
    assert excluded_texts(escalation, "byline") == ["- Sam Writer"]


def test_markdown_headings_become_sections(fixture_documents):
    sections = {p.passage_id: p.section for p in fixture_documents["home-visits"].passages}
    assert sections["home-visits#3"] == "During the visit"
    assert sections["home-visits#5"] == "After the visit"


def test_a_leading_markdown_heading_opens_a_section(fixture_documents):
    visits = fixture_documents["home-visits"]
    assert visits.passages[0].section == "Before the visit"
    assert visits.passages[0].locator == "paragraph 1 (Before the visit)"


@pytest.mark.parametrize("width", [40, 60, 72])
def test_prose_wrapped_at_a_fixed_width_keeps_its_sentences(width):
    import textwrap

    raw = (ROOT / "corpus" / "000_7a47272a2cc29dc3.txt").read_text(encoding="utf-8")
    wrapped = "\n\n".join("\n".join(textwrap.wrap(b, width)) if b.strip() else b for b in raw.split("\n\n"))

    def sentences(text: str) -> list[tuple[str, str]]:
        doc = Document.from_text("d", text, {"title": "t"})
        return [
            (p.locator, " ".join(text[s.start : s.end].split())) for p in doc.passages for s in p.sentences
        ]

    # A wrapped line never starts a sentence or a heading of its own ("The National Offender Management"
    # / "Service (NOMS) will ..."), and a heading wrapped over two lines ("Key Questions which require
    # further" / "consideration:") is still the heading that locates its paragraphs.
    assert sentences(wrapped) == sentences(raw)


def test_web_page_leftovers_sharing_a_block_with_other_lines_are_dropped():
    from assistant import Assistant

    text = (
        "Skip to main content\nHome | Services | Children and families | Contact us\n\n"
        "Report a concern\n\nIf you are worried about a child, call the advice service on 0300 123 4567.\n\n"
        "Was this page helpful? Yes No\nCookies on this site\n"
        "We use cookies to make the site work. Accept all cookies Reject cookies\nCall 999 in an emergency."
    )
    doc = Document.from_text("page", text, {"title": "Report a concern"})
    dropped = [text[s:e] for s, e, role in doc.excluded if role == "boilerplate"]
    assert dropped == [
        "Skip to main content",
        "Home | Services | Children and families | Contact us",
        "Was this page helpful? Yes No",
        "Cookies on this site",
        "We use cookies to make the site work. Accept all cookies Reject cookies",
    ]
    assert [p.text for p in doc.passages][-1] == "Call 999 in an emergency."
    assert Assistant([doc]).ask("Do you use cookies?").status == "not_found"


def test_a_block_that_goes_on_with_a_number_continues_the_sentence_before_it():
    text = (
        "# Scope\n\n"
        "This chapter is compliant with Appendix 5 of Working Together to\nSafeguard Children\n\n"
        "2010 and the Fostering Services National Minimum Standards, Standard 22.\n\n"
        "Section 3\n\n"
        "2 carers are needed for every visit.\n"
    )
    doc = Document.from_text("d", text, {"title": "Allegations"})
    texts = [p.text for p in doc.passages]
    assert any("Safeguard Children\n\n2010 and the Fostering" in t for t in texts)
    # A short heading-like block is not continued by the number after it.
    assert not any("Section 3\n\n2 carers" in t for t in texts)


@pytest.mark.parametrize(
    ("metadata", "author"),
    [
        ({"author": "Jon Brown"}, "Jon Brown"),
        ({"authors": ["Ann Lee", "Bo Chan"]}, "Ann Lee and Bo Chan"),
        ({"authors": ["A", "B", "C"]}, "A, B and C"),
        ({"speakers": ["Kirsten Stalker"]}, "Kirsten Stalker"),
        ({"author": ["Jon Brown"], "speakers": ["Someone Else"]}, "Jon Brown"),
    ],
)
def test_the_author_comes_from_the_usual_front_matter_keys(metadata, author):
    doc = Document.from_text("d", "# Title\n\nThe text of the document goes here.\n", metadata)
    assert doc.author == author
