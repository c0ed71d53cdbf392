"""Compact passage storage: Passage objects made on access behave as the dataclass they replace."""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.config import Settings, settings_from_mapping
from assistant.errors import NotFoundError
from assistant.ingest.corpus import load_corpus
from assistant.ingest.document import CorpusPassages, Document, Passage, PassageList, Sentence
from assistant.language.text import Analyzer
from assistant.retrieve.index import Index, passage_terms
from assistant.retrieve.store import index_key

ROOT = Path(__file__).resolve().parents[2]
PARAGRAPHS = [
    "Safety plans are reviewed every month. Who reviews them? The lead practitioner does.",
    "Home visits happen twice a year. Visits are announced in advance.",
    "Records are kept for six years. They are stored securely.",
    "Multi-agency meetings share information about risk.",
    "Training is refreshed every three years by the safeguarding lead.",
    "Concerns are reported to the designated officer on the same day.",
]


def copy_of(p: Passage) -> Passage:
    """Return a Passage built the old way: every field given, the text a copy of its own."""
    return Passage(
        p.passage_id, p.doc_id, p.number, p.section, p.kind, p.start, p.end, str(p.text), p.sentences
    )


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    docs, problems = load_corpus(ROOT / "corpus")
    fixture, more = load_corpus(ROOT / "tests" / "data" / "corpus")
    assert problems == more == []
    return docs + fixture


def test_passages_are_slices_of_the_document_text_with_their_sentences(documents):
    for doc in documents:
        assert isinstance(doc.passages, PassageList)
        for p in doc.passages:
            assert p.text == doc.text[p.start : p.end]
            assert p.passage_id == f"{doc.doc_id}#{p.number}" and p.doc_id == doc.doc_id
            assert isinstance(p.sentences, tuple) and all(type(s) is Sentence for s in p.sentences)
            assert all(p.start <= s.start < s.end <= p.end for s in p.sentences)


def test_a_stored_passage_equals_and_hashes_as_one_built_field_by_field(documents):
    for doc in documents:
        for p in doc.passages:
            twin = copy_of(p)
            assert p == twin and twin == p and hash(p) == hash(twin)
            assert repr(p) == repr(twin)
            assert repr(p).startswith(f"Passage(passage_id={p.passage_id!r}, doc_id={doc.doc_id!r}, number=")
    first, second = documents[0].passages[0], documents[0].passages[1]
    assert first != second
    assert first != (first.passage_id,)  # not equal to other types, as a dataclass


def test_passages_are_frozen_and_pickle_to_equal_passages(documents):
    p = documents[0].passages[2]
    with pytest.raises(FrozenInstanceError):
        p.number = 7
    with pytest.raises(FrozenInstanceError):
        p.text = "changed"
    assert pickle.loads(pickle.dumps(p)) == p


def test_passage_list_reads_like_the_list_it_replaces(documents):
    doc = documents[0]
    plain = [copy_of(p) for p in doc.passages]
    n = len(plain)
    assert len(doc.passages) == n and bool(doc.passages)
    assert doc.passages == plain and plain == doc.passages
    assert doc.passages[-1] == plain[-1] and doc.passages[n - 1] == plain[n - 1]
    assert doc.passages[2:5] == plain[2:5] and doc.passages[::-3] == plain[::-3]
    assert doc.passages.index(plain[4]) == 4 and plain[4] in doc.passages
    assert list(reversed(doc.passages)) == plain[::-1]
    with pytest.raises(IndexError):
        doc.passages[n]
    with pytest.raises(TypeError):
        doc.passages["1"]


def test_a_list_of_passages_given_to_a_document_is_stored_compactly():
    built = Document.from_paragraphs("guide", PARAGRAPHS, {"title": "Guide"})
    again = Document("guide", built.text, {}, [copy_of(p) for p in built.passages])
    assert again.passages == built.passages
    assert again.passages.kept_as_given() == []


def test_a_passage_that_is_not_a_slice_of_its_document_is_kept_as_given():
    doc = Document.from_paragraphs("guide", PARAGRAPHS[:2])
    odd = Passage(
        "elsewhere#9", "elsewhere", 9, "Notes", "text", 0, 5, "Other words.", (Sentence(0, 5, False),)
    )
    renamed = Passage("guide#x", "guide", 3, "", "text", 0, 10, doc.text[0:10], ())
    doc.passages.append(odd)
    doc.passages.append(renamed)
    assert doc.passages[2] is odd and doc.passages[3] is renamed
    assert doc.passages.kept_as_given() == [odd, renamed]
    assert [p.passage_id for p in doc.passages] == ["guide#1", "guide#2", "elsewhere#9", "guide#x"]
    assert doc.passages.find("elsewhere#9") is odd
    assert doc.passages.find("guide#3") is None  # the row numbered 3 is the renamed one
    blocks = list(doc.passages.id_spans())
    texts = [source[s:e] for _, source, starts, ends in blocks for s, e in zip(starts, ends, strict=True)]
    assert texts == [p.text for p in doc.passages]


def test_offsets_beyond_32_bits_widen_the_columns():
    doc = Document("big", "", {})
    far = 3_000_000_000
    doc.passages._add(1, "", "text", far, far + 10, [(far, far + 5, True), (far + 6, far + 10, False)])
    # A sentence far into a very long passage, and one given before its passage's start.
    doc.passages._add(2, "", "text", 100, 200_000, [(150_000, 199_999, False), (90, 120, False)])
    first, second = doc.passages
    assert (first.start, first.end) == (far, far + 10)
    assert first.sentences == (Sentence(far, far + 5, True), Sentence(far + 6, far + 10, False))
    assert second.sentences == (Sentence(150_000, 199_999, False), Sentence(90, 120, False))


def test_compact_storage_takes_well_under_a_hundred_bytes_a_sentence():
    paragraphs = [f"Sentence {i} is here. Another one follows it. A third ends it." for i in range(3000)]
    doc = Document.from_paragraphs("many", paragraphs)
    columns = ("_number", "_start", "_end", "_label", "_first", "_bounds", "_asked")
    size = sum(
        getattr(doc.passages, c).buffer_info()[1] * getattr(doc.passages, c).itemsize for c in columns[:-1]
    )
    size += len(doc.passages._asked)
    # A Passage dataclass with its own text and three Sentence objects took about 800 bytes here.
    assert size / len(paragraphs) < 40


def test_corpus_passages_is_every_passage_in_order(documents):
    every = CorpusPassages(documents)
    plain = [p for d in documents for p in d.passages]
    assert len(every) == len(plain) and list(every) == plain
    assert [every[i] for i in range(len(plain))] == plain and every[-1] == plain[-1]
    assert every[3:9] == plain[3:9]
    assert list(every.texts()) == [p.text for p in plain]
    assert list(every.doc_ids()) == [p.doc_id for p in plain]
    with pytest.raises(IndexError):
        every[len(plain)]


def test_index_key_is_stable_and_follows_every_passage_and_document_text(documents):
    every = CorpusPassages(documents)
    again = CorpusPassages([Document.from_text(d.doc_id, d.text, dict(d.metadata)) for d in documents])
    assert index_key(every, {"a": 1}) == index_key(again, {"a": 1})  # the same corpus, loaded again
    assert index_key(every, {"a": 1}) != index_key(every, {"a": 2})
    edited = [Document.from_text(d.doc_id, d.text, dict(d.metadata)) for d in documents]
    first = edited[0]
    i = first.passages[0].start
    edited[0] = Document.from_text(first.doc_id, first.text[:i] + "X" + first.text[i + 1 :], first.metadata)
    assert index_key(CorpusPassages(edited), {"a": 1}) != index_key(every, {"a": 1})
    fewer = CorpusPassages(documents[1:])
    assert index_key(fewer, {"a": 1}) != index_key(every, {"a": 1})


def test_a_passage_kept_as_given_is_part_of_the_key(documents):
    plain = Document.from_paragraphs("plain", PARAGRAPHS)
    key = index_key(CorpusPassages([plain]), {})
    plain.passages.append(Passage("odd", "plain", 50, "", "text", 0, 3, "Été", ()))
    with_odd = index_key(CorpusPassages([plain]), {})
    assert with_odd != key
    other = Document.from_paragraphs("plain", PARAGRAPHS)
    other.passages.append(Passage("odd", "plain", 50, "", "text", 0, 3, "Ete", ()))
    assert index_key(CorpusPassages([other]), {}) != with_odd


def reference_key(passages, fingerprint: dict) -> str:
    """The index key as first written: every passage's id and text, joined and encoded in chunks."""
    digest = hashlib.sha256()
    digest.update(json.dumps(fingerprint, sort_keys=True, default=str).encode())
    digest.update(f"|{len(passages)}|".encode())
    for s in range(0, len(passages), 4096):
        part = "".join(
            f"{len(p.passage_id)}:{p.passage_id}{len(p.text)}:{p.text}" for p in passages[s : s + 4096]
        )
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


def test_a_plain_list_of_passages_is_keyed_by_each_id_and_text(documents):
    mixed = [
        Document.from_paragraphs("plain", PARAGRAPHS),
        Document.from_paragraphs(
            "café", ["Naïve “quotes” here.", "Ordinary words.", "A lone \ud800 surrogate."]
        ),
        *documents,
    ]
    passages = [copy_of(p) for d in mixed for p in d.passages]
    assert index_key(passages, {"b": 2}) == reference_key(passages, {"b": 2})


@pytest.mark.parametrize("stemmer", ["porter", "snowball", "none"])
def test_build_terms_are_the_analyzer_terms(documents, stemmer):
    analyzer = Analyzer(stemmer=stemmer)
    texts = [p.text for d in documents for p in d.passages] + ["Don’t SHOUT: it's the Café’s rule!", ""]
    assert passage_terms(analyzer, texts) == [analyzer.terms(t) for t in texts]


def test_a_restricted_search_finds_its_documents_on_the_first_call(documents, tmp_path):
    settings = settings_from_mapping({"retrieval": {"index_dir": str(tmp_path)}}, base=Settings())
    analyzer = Analyzer()
    fresh = Index(
        CorpusPassages(documents), analyzer, settings.retrieval, {d.doc_id: d.text for d in documents}
    )
    doc_id = documents[-1].doc_id
    hits = fresh.search(analyzer.terms("home visit safety"), k=5, doc_ids=[doc_id])
    assert hits and all(h.passage.doc_id == doc_id for h in hits)


def test_assistant_finds_passages_by_id(documents, tmp_path):
    settings = settings_from_mapping({"retrieval": {"index_dir": str(tmp_path)}}, base=Settings())
    extra = Document.from_paragraphs("extra", PARAGRAPHS)
    odd = Passage("loose-end", "extra", 99, "", "text", 0, 6, "Loose.", ())
    extra.passages.append(odd)
    assistant = Assistant([*documents, extra], settings)
    for doc in [*documents, extra]:
        for p in doc.passages:
            assert assistant.passage(p.passage_id) == p
        if doc.front is not None:
            assert assistant.passage(doc.front.passage_id) is doc.front
    assert assistant.passage("loose-end") is odd
    for missing in (
        "extra#0",
        "extra#07",
        "extra#7",
        "extra#-1",
        "extra#1 ",
        "extra#²",
        "nope#1",
        "extra",
        "",
    ):
        with pytest.raises(NotFoundError):
            assistant.passage(missing)


def test_looking_up_passages_that_do_not_exist_builds_no_table():
    doc = Document.from_paragraphs("guide", PARAGRAPHS)
    assert doc.passages.find("guide#6") == doc.passages[5]
    for missing in ("guide#0", "guide#7", "guide#99999", "other#1"):
        assert doc.passages.find(missing) is None
    assert doc.passages._rows_by_number is None
