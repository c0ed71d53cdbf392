"""The saved-index key: a digest of the documented encoding of every passage and of the fingerprint, so
that an index is never loaded for other passages, other settings, or other analysis code."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from assistant import Document
from assistant.config import RetrievalSettings
from assistant.language import text
from assistant.language.text import Analyzer
from assistant.retrieve import index as index_module
from assistant.retrieve.store import FORMAT_VERSION, index_key

P = dataclasses.make_dataclass("P", ["passage_id", "text"])
FP = {"format": 1, "k1": 1.2}


def documented_key(passages, fingerprint) -> str:
    """store.index_key's docstring, written out: sha256 of the sorted JSON fingerprint, "|<count>|",
    then "<len(id)>:<id><len(text)>:<text>" per passage; the first 40 hex digits."""
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True, default=str).encode())
    digest.update(f"|{len(passages)}|".encode())
    digest.update(
        "".join(f"{len(p.passage_id)}:{p.passage_id}{len(p.text)}:{p.text}" for p in passages).encode()
    )
    return digest.hexdigest()[:40]


def test_the_key_is_the_documented_digest():
    passages = [P("a#1", "Home visits."), P("a#2", "Café naïve 什么")]
    key = index_key(passages, FP)
    assert key == documented_key(passages, FP)
    assert len(key) == 40 and int(key, 16) >= 0


def test_the_key_does_not_depend_on_the_fingerprint_key_order_and_takes_any_value():
    passages = [P("a#1", "x")]
    assert index_key(passages, {"k1": 1.2, "format": 1}) == index_key(passages, FP)
    assert index_key(passages, {"dir": Path("/x")}) == documented_key(passages, {"dir": "/x"})


def test_every_change_to_the_passages_or_the_fingerprint_changes_the_key():
    base = [P("a#1", "ab"), P("a#2", "c")]
    variants = [
        [P("a#1", "a"), P("a#2", "bc")],  # the same characters, split elsewhere
        [P("a#2", "c"), P("a#1", "ab")],  # another order
        [P("a#1", "ab")],  # one fewer
        [P("a#1", "ab"), P("a#3", "c")],  # another id
        [P("a#1", "ab"), P("a#2", "C")],  # another text
    ]
    keys = {index_key(base, FP)} | {index_key(v, FP) for v in variants}
    keys |= {index_key(base, FP | {"k1": 1.3}), index_key(base, FP | {"b": 0.75})}
    assert len(keys) == 1 + len(variants) + 2


def test_a_long_passage_list_is_hashed_in_chunks_to_the_same_digest():
    passages = [P(f"d#{i}", f"passage {i}") for i in range(10_000)]
    assert index_key(passages, FP) == documented_key(passages, FP)


def test_a_documents_passages_key_by_their_own_encoding():
    doc = Document.from_text("d", "One.\n\nTwo.\n\nThree.\n")
    other = Document.from_text("d", "One.\n\nTwo.\n\nThree!\n")
    passages = doc.passages
    assert hasattr(passages, "key_parts")
    digest = hashlib.sha256(json.dumps(FP, sort_keys=True).encode())
    digest.update(f"|{len(passages)}|".encode())
    for part in passages.key_parts():
        digest.update(part)
    assert index_key(passages, FP) == digest.hexdigest()[:40]
    assert index_key(other.passages, FP) != index_key(passages, FP)


SETTINGS = RetrievalSettings()


@pytest.mark.parametrize(
    "change",
    [
        {"variant": "plus"},
        {"k1": 1.5},
        {"b": 0.5},
        {"epsilon": 0.5},
        {"delta": 0.7},
        {"stemmer": "snowball"},
        {"stopwords": False},
    ],
    ids=lambda c: next(iter(c)),
)
def test_each_scoring_and_analysis_setting_is_in_the_fingerprint(change):
    base = index_module._fingerprint(Analyzer(), SETTINGS)
    changed = index_module._fingerprint(Analyzer(), dataclasses.replace(SETTINGS, **change))
    (name,) = change
    assert {k for k in base if base[k] != changed[k]} == {name}
    assert changed[name] == change[name]


def test_the_fingerprint_names_format_analyzer_code_and_nltk():
    fp = index_module._fingerprint(Analyzer(), SETTINGS)
    assert fp["format"] == FORMAT_VERSION
    assert fp["analyzer"] == "assistant.language.text.Analyzer"
    assert fp["nltk"] == text.NLTK_VERSION
    assert fp["code"] == index_module._code_digest() and len(fp["code"]) == 16
    assert set(fp) == {
        "format",
        "variant",
        "k1",
        "b",
        "epsilon",
        "delta",
        "stemmer",
        "stopwords",
        "analyzer",
        "code",
        "nltk",
    }


def test_the_code_digest_covers_the_analysis_code_and_data_files():
    names = [(p.parent.name, p.name) for p in index_module.keyed_files()]
    assert names == [
        ("language", "text.py"),
        ("language", "spelling_variants.py"),
        ("language", "wordlists.py"),
        ("data", "stopwords.txt"),
        ("data", "spelling_variants.txt"),
        ("data", "stem_exceptions.txt"),
        ("data", "wordvecs.npz"),
    ]
    assert all(p.is_file() for p in index_module.keyed_files())


def test_the_code_digest_changes_with_any_keyed_file(tmp_path, monkeypatch):
    files = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for f in files:
        f.write_text("one", encoding="utf-8")
    monkeypatch.setattr(index_module, "keyed_files", lambda: files)
    first = index_module._code_digest()
    expected = hashlib.sha256(index_module.sparse.build_fingerprint().encode())
    expected.update(b"one")
    expected.update(b"one")
    assert first == expected.hexdigest()[:16]
    files[1].write_text("two", encoding="utf-8")
    assert index_module._code_digest() != first
    # A file that cannot be read counts by its name, and still changes the digest.
    files[1].unlink()
    missing = index_module._code_digest()
    expected = hashlib.sha256(index_module.sparse.build_fingerprint().encode())
    expected.update(b"one")
    expected.update(b"b.txt")
    assert missing == expected.hexdigest()[:16]
