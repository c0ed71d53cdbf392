"""Bad documents: each is loaded correctly or named with its problem, in both `corpus.on_error` modes.

"error" (the default) refuses to start with a message naming every bad file; "skip" serves the
others and logs one warning per bad file. Either way nothing is dropped silently, and
/api/documents lists exactly the documents that can be searched.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest

from assistant import Assistant, CorpusError
from web import create_app

from .support import GOOD_FILES, GOOD_QUESTIONS, check_answer, settings_for, write_config, write_files

BODY = (
    "Case notes\n\n"
    "Case notes are written on the day of the visit. They record who was present and what was agreed.\n\n"
    "A manager reads the case notes of every new referral within two working days.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"

# id -> (files added to the good corpus, the message (file name first), ids that load besides the good
# ones). Every case has its own file names, so that one corpus can hold them all.
BAD_CASES = {
    "empty": ({"empty.txt": b""}, "empty.txt: document is empty", []),
    "whitespace-only": ({"blank.txt": " \n\t\r\n  \n\u3000\n"}, "blank.txt: document is empty", []),
    "binary": ({"image.txt": PNG}, "image.txt: looks like a binary file, not text", []),
    "malformed-yaml-sidecar": (
        {"sidecar.txt": BODY, "sidecar.yaml": "title: [unclosed\nauthor: Someone\n"},
        "sidecar.yaml: metadata is not valid YAML (line 2: expected ',' or ']', but got ':')",
        [],
    ),
    "malformed-yaml-front-matter": (
        {"front.md": "---\ntitle: Notes: a: b\n  - x\n---\n" + BODY},
        "front.md: metadata is not valid YAML (line 2: mapping values are not allowed here)",
        [],
    ),
    "yaml-not-a-mapping": (
        {"listed.txt": BODY, "listed.yaml": "- just\n- a list\n"},
        "listed.yaml: metadata must be a YAML mapping (title:, author:, publisher:)",
        [],
    ),
    "metadata-without-document": (
        {"orphan.yaml": "title: Nobody wrote me\n"},
        "orphan.yaml: metadata file has no document (orphan with .txt, .md, .pdf, .docx, .html, .htm)",
        [],
    ),
    "two-metadata-files": (
        {"double.txt": BODY, "double.yaml": "title: One\n", "double.yml": "title: Two\n"},
        "double.txt: has both double.yaml and double.yml; keep one",
        [],
    ),
    # The first by name (twice.md) is served; the second is reported, not merged or dropped unsaid.
    "same-id-twice": (
        {"twice.md": BODY, "twice.txt": BODY.replace("two working days", "a week")},
        "twice.txt: document id 'twice' is already used by twice.md",
        ["twice"],
    ),
    "title-only": ({"title.txt": "Just a title\n"}, "title.txt: no readable paragraphs found", []),
    "truncated-pdf": (
        {"scan.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"},
        "scan.pdf: the PDF is incomplete (it stops before its end marker): the file is truncated",
        [],
    ),
    "not-a-document-format": (
        {"notes.rtf": b"{\\rtf1 Report concerns the same day.}"},
        "notes.rtf: not a document the assistant reads (it reads .txt, .md, .pdf, .docx, .html, .htm)",
        [],
    ),
}
GOOD_IDS = sorted(GOOD_QUESTIONS)
ALL_BAD_FILES = {name: content for files, _, _ in BAD_CASES.values() for name, content in files.items()}
ALL_KEPT = sorted(i for _, _, kept in BAD_CASES.values() for i in kept)


def corpus_with(tmp_path: Path, files: dict) -> Path:
    return write_files(tmp_path / "corpus", {**GOOD_FILES, **files})


def skipped_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped: ")]


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_document_stops_the_start_with_its_name_and_problem(tmp_path, case):
    files, message, _ = BAD_CASES[case]
    with pytest.raises(CorpusError) as info:
        Assistant.from_directory(corpus_with(tmp_path, files), settings_for(tmp_path, "error"))
    assert str(info.value) == message


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_document_is_skipped_with_a_warning_and_the_others_answer(tmp_path, case, caplog):
    files, message, kept = BAD_CASES[case]
    with caplog.at_level(logging.WARNING, logger="assistant"):
        assistant = Assistant.from_directory(corpus_with(tmp_path, files), settings_for(tmp_path, "skip"))
    assert skipped_messages(caplog) == [f"skipped: {message}"]
    assert sorted(assistant.documents) == sorted(GOOD_IDS + kept)
    for doc_id, (question, expected) in GOOD_QUESTIONS.items():
        answer = assistant.ask(question)
        check_answer(assistant, answer)
        assert answer.status == "answered"
        assert expected in answer.answer
        assert answer.citations[0].document_id == doc_id


def test_of_two_documents_with_one_id_the_first_by_name_is_served(tmp_path):
    files = BAD_CASES["same-id-twice"][0]
    assistant = Assistant.from_directory(corpus_with(tmp_path, files), settings_for(tmp_path, "skip"))
    assert assistant.document("twice").path.endswith("twice.md")
    answer = assistant.ask("When does a manager read the case notes of a new referral?")
    assert answer.status == "answered"
    assert "within two working days" in answer.answer


@pytest.mark.parametrize("on_error", ["error", "skip"])
@pytest.mark.parametrize("target", ["notes.txt", "notes.yaml"])
def test_an_unreadable_file_is_named_with_the_reason(tmp_path, monkeypatch, caplog, on_error, target):
    corpus = corpus_with(tmp_path, {"notes.txt": BODY, "notes.yaml": "title: Notes\n"})
    unreadable = corpus / target
    unreadable.chmod(0)
    # CI runs as root, for whom chmod 000 does not block reading: fail the read the way the OS would.
    real_read_bytes, real_read_text = Path.read_bytes, Path.read_text

    def deny(path: Path, real, *args, **kwargs):
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", lambda p: deny(p, real_read_bytes))
    monkeypatch.setattr(Path, "read_text", lambda p, *a, **k: deny(p, real_read_text, *a, **k))
    expected = f"{target}: cannot read"
    if on_error == "error":
        with pytest.raises(CorpusError, match="Permission denied") as info:
            Assistant.from_directory(corpus, settings_for(tmp_path, on_error))
        assert str(info.value).startswith(expected)
    else:
        with caplog.at_level(logging.WARNING, logger="assistant"):
            assistant = Assistant.from_directory(corpus, settings_for(tmp_path, on_error))
        assert sorted(assistant.documents) == GOOD_IDS
        (message,) = skipped_messages(caplog)
        assert message.startswith(f"skipped: {expected}") and "Permission denied" in message


def test_every_problem_is_named_at_once_when_the_start_is_refused(tmp_path):
    with pytest.raises(CorpusError) as info:
        Assistant.from_directory(corpus_with(tmp_path, ALL_BAD_FILES), settings_for(tmp_path, "error"))
    for _, message, _ in BAD_CASES.values():
        assert str(info.value).count(message) == 1


def test_every_skipped_file_is_logged_once(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="assistant"):
        assistant = Assistant.from_directory(
            corpus_with(tmp_path, ALL_BAD_FILES), settings_for(tmp_path, "skip")
        )
    assert sorted(skipped_messages(caplog)) == sorted(f"skipped: {m}" for _, m, _ in BAD_CASES.values())
    assert sorted(assistant.documents) == sorted(GOOD_IDS + ALL_KEPT)


def test_api_documents_lists_exactly_what_is_searchable_in_skip_mode(tmp_path):
    corpus = corpus_with(tmp_path, ALL_BAD_FILES)
    config = write_config(tmp_path, "skip")
    app = create_app({"TESTING": True, "ASSISTANT_CONFIG": str(config), "ASSISTANT_CORPUS": str(corpus)})
    client = app.test_client()
    assistant = app.extensions["assistant"]
    listed = client.get("/api/documents").get_json()["documents"]
    ids = [d["document_id"] for d in listed]
    assert sorted(ids) == sorted(GOOD_IDS + ALL_KEPT)
    assert set(ids) == {p.doc_id for p in assistant.index.passages}
    for summary in listed:
        assert summary["passage_count"] == len(assistant.document(summary["document_id"]).passages) > 0
    health = client.get("/healthz").get_json()
    assert (health["documents"], health["passages"]) == (len(ids), len(assistant.index.passages))
    questions = {**GOOD_QUESTIONS, "twice": ("When does a manager read new referrals?", "two working days")}
    for doc_id in ids:
        question, expected = questions[doc_id]
        response = client.post("/api/ask", json={"question": question, "documents": [doc_id]})
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "answered" and expected in body["answer"]
        assert {c["document_id"] for c in body["citations"]} == {doc_id}
    for name in ALL_BAD_FILES:
        if Path(name).stem not in ids:
            assert client.get(f"/api/documents/{Path(name).stem}").status_code == 404


# ---------------------------------------------------------------- documents that load correctly

LOADED_CASES = {
    "latin-1": (
        (
            "Caf\xe9 visits\n\nThe caf\xe9 offers cr\xe8me br\xfbl\xe9e to visiting families on Fridays.\n"
        ).encode("latin-1"),
        "What does the café offer to visiting families?",
        "crème brûlée",
    ),
    "windows-1252": (
        "Quotes\n\nThe leaflet calls the plan \u201cthe family agreement\u201d \u2013 it is signed.\n".encode(
            "cp1252"
        ),
        "What does the leaflet call the plan?",
        "\u201cthe family agreement\u201d",
    ),
    "utf-8-with-bom": (
        b"\xef\xbb\xbf" + "Na\u00efve plans\n\nA na\u00efve safety plan names no trusted adult.\n".encode(),
        "What does a naïve safety plan name?",
        "A naïve safety plan names no trusted adult.",
    ),
    "windows-line-endings": (
        BODY.replace("\n", "\r\n").encode(),
        "When does a manager read the case notes of a new referral?",
        "within two working days",
    ),
    "old-mac-line-endings": (
        BODY.replace("\n", "\r").encode(),
        "When does a manager read the case notes of a new referral?",
        "within two working days",
    ),
}


@pytest.mark.parametrize("on_error", ["error", "skip"])
@pytest.mark.parametrize("case", LOADED_CASES)
def test_encodings_and_line_endings_load_and_quote_exactly(tmp_path, case, on_error, caplog):
    raw, question, expected = LOADED_CASES[case]
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "notes.txt": raw, "notes.yaml": "title: N\n"})
    with caplog.at_level(logging.WARNING, logger="assistant"):
        assistant = Assistant.from_directory(corpus, settings_for(tmp_path, on_error))
    assert not [r for r in caplog.records if "skipped" in r.getMessage()]
    text = assistant.document("notes").text
    assert "\r" not in text and "\ufeff" not in text and "\ufffd" not in text
    answer = assistant.ask(question, documents=["notes"])
    check_answer(assistant, answer)
    assert answer.status == "answered"
    assert expected in answer.answer


@pytest.mark.parametrize("on_error", ["error", "skip"])
def test_a_document_without_metadata_loads_with_a_warning_and_its_heading_as_title(
    tmp_path, on_error, caplog
):
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "notes.txt": BODY})
    with caplog.at_level(logging.WARNING, logger="assistant"):
        assistant = Assistant.from_directory(corpus, settings_for(tmp_path, on_error))
    assert "notes.txt: no metadata (add notes.yaml)" in caplog.text
    doc = assistant.document("notes")
    assert doc.title == "Case notes"
    answer = assistant.ask("When does a manager read the case notes of a new referral?")
    check_answer(assistant, answer)
    assert answer.status == "answered" and answer.citations[0].document_id == "notes"


def run_on_words(n: int, seed: int) -> str:
    words = "the practitioner reviews risk plans with families each week and records decisions".split()
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(n))


@pytest.mark.parametrize("on_error", ["error", "skip"])
def test_one_huge_paragraph_without_punctuation_is_searchable_in_bounded_pieces(tmp_path, on_error):
    # About 800 KB in one "sentence": before the pieces, each question scanned all of it (seconds)
    # and quoted its first 80 words, which did not hold the answer.
    text = run_on_words(60_000, 1) + " the zebrafish committee meets on tuesdays " + run_on_words(60_000, 2)
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "dump.txt": text, "dump.yaml": "title: Dump\n"})
    assistant = Assistant.from_directory(corpus, settings_for(tmp_path, on_error))
    doc = assistant.document("dump")
    assert doc.text == text
    assert len(doc.passages) > 1
    assert max(p.text.count(" ") + 1 for p in doc.passages) <= 500
    assert max(len(doc.text[s.start : s.end].split()) for p in doc.passages for s in p.sentences) <= 200
    # Every word of the paragraph is in a passage: cutting drops nothing.
    assert "".join(p.text for p in doc.passages).replace(" ", "") == text.replace(" ", "")
    answer = assistant.ask("When does the zebrafish committee meet?")
    check_answer(assistant, answer)
    assert answer.status == "answered"
    assert "zebrafish committee meets on tuesdays" in answer.answer


def test_a_long_sentence_without_commas_is_quoted_where_it_matched(tmp_path):
    sentence = "Staff " + run_on_words(110, 4) + " then the zebrafish committee meets on tuesdays "
    sentence += run_on_words(30, 5) + "."
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "long.txt": "Long note\n\n" + sentence + "\n"})
    assistant = Assistant.from_directory(corpus, settings_for(tmp_path))
    answer = assistant.ask("When does the zebrafish committee meet?")
    check_answer(assistant, answer)
    assert answer.status == "answered"
    assert "zebrafish committee meets on tuesdays" in answer.answer


@pytest.mark.slow
def test_a_20_mb_document_loads_and_its_last_paragraph_is_answered(tmp_path):
    rng = random.Random(3)
    words = "the practitioner reviews risk plans with families each week and records decisions".split()
    paragraphs, size = ["Large guidance"], 0
    while size < 20_000_000:
        para = " ".join(rng.choice(words) for _ in range(60)).capitalize() + "."
        paragraphs.append(para)
        size += len(para) + 2
    paragraphs.append("The zebrafish committee meets on the first Tuesday of every month.")
    text = "\n\n".join(paragraphs) + "\n"
    assert len(text.encode()) >= 20_000_000
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "large.txt": text, "large.yaml": "title: L\n"})
    assistant = Assistant.from_directory(corpus, settings_for(tmp_path, "error"))
    doc = assistant.document("large")
    assert doc.text == text
    assert len(doc.passages) == len(paragraphs) - 1
    answer = assistant.ask("When does the zebrafish committee meet?")
    check_answer(assistant, answer)
    assert answer.status == "answered"
    assert answer.citations[0].quote == paragraphs[-1]
