"""Saved indexes: round trip, rebuilt when the corpus or settings change, never half-written or stale."""

from __future__ import annotations

import dataclasses
import json
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import RetrievalSettings
from assistant.ingest.document import Document
from assistant.language.text import Analyzer
from assistant.retrieve import store as store_module
from assistant.retrieve.index import Index
from assistant.retrieve.sparse import Params, SparseBM25
from assistant.retrieve.store import MANIFEST, IndexStore, StoreError

PARAGRAPHS = [
    "Multi-agency public protection arrangements (MAPPA) manage sexual and violent offenders.",
    "Circles of support and accountability (COSA) help offenders to reintegrate.",
    "Treatment programmes for offenders reduce reoffending when they are well run.",
    "Home visits by probation officers check on offenders living in the community.",
    "Escalation procedures say who to call when a child is at risk of harm.",
    "Police and probation share information about risk through MAPPA meetings.",
]
ANALYZER = Analyzer()


def passages_of(paragraphs: list[str]) -> tuple[list, dict[str, str]]:
    doc = Document.from_paragraphs("guide", paragraphs, {"title": "Guide"})
    return doc.passages, {doc.doc_id: doc.text}


def make_index(tmp_path, paragraphs=PARAGRAPHS, **changes) -> Index:
    passages, texts = passages_of(paragraphs)
    settings = dataclasses.replace(RetrievalSettings(index_dir=str(tmp_path / "idx")), **changes)
    return Index(passages, ANALYZER, settings, texts)


def saved_folders(tmp_path) -> list:
    return sorted(p for p in (tmp_path / "idx").iterdir() if p.is_dir() and not p.name.startswith("."))


@pytest.fixture
def count_builds():
    calls = []
    original = SparseBM25.build.__func__

    def build(cls, tokenized, params):
        calls.append(params)
        return original(cls, tokenized, params)

    with mock.patch.object(SparseBM25, "build", classmethod(build)):
        yield calls


def test_second_index_loads_the_saved_one_memory_mapped(tmp_path, count_builds):
    first = make_index(tmp_path)
    second = make_index(tmp_path)
    assert len(count_builds) == 1
    assert isinstance(second.scorer.arrays["vals"], np.memmap)
    query = ANALYZER.terms("MAPPA offenders risk")
    assert np.array_equal(first.scores(query), second.scores(query))
    assert [h.passage.passage_id for h in second.search(query, k=3)] == [
        h.passage.passage_id for h in first.search(query, k=3)
    ]


def test_saved_index_scores_like_rank_bm25(tmp_path):
    ours = make_index(tmp_path)
    reference = make_index(tmp_path, backend="rank_bm25")
    for question in ("What is MAPPA?", "who helps offenders reintegrate", "probation risk child"):
        terms = ANALYZER.terms(question)
        assert np.array_equal(ours.scores(terms), reference.scores(terms))
        assert ours.search(terms, k=4) == reference.search(terms, k=4)
        assert ours.search(terms, k=4, doc_ids=["guide"]) == reference.search(terms, k=4, doc_ids=["guide"])
    assert ours.vocabulary() == reference.vocabulary()
    assert ours.document_frequency("offend") == reference.document_frequency("offend") == 4


def test_changed_passage_text_rebuilds(tmp_path, count_builds):
    make_index(tmp_path)
    changed = PARAGRAPHS[:-1] + ["Police and probation share information about danger at MAPPA meetings."]
    index = make_index(tmp_path, changed)
    assert len(count_builds) == 2
    assert index.document_frequency("danger") == 1
    assert make_index(tmp_path).document_frequency("danger") == 0


@pytest.mark.parametrize(
    "change",
    [
        {"k1": 1.5},
        {"b": 0.5},
        {"variant": "plus"},
        {"variant": "l", "delta": 0.5},
        {"epsilon": 0.1},
        {"stopwords": False},
        {"stemmer": "snowball"},
    ],
)
def test_changed_settings_rebuild(tmp_path, count_builds, change):
    make_index(tmp_path)
    changed = make_index(tmp_path, **change)
    assert len(count_builds) == 2
    assert changed.scorer.params == Params.from_settings(changed.settings)
    assert len(saved_folders(tmp_path)) == 2


@pytest.mark.parametrize("damage", ["delete manifest", "garble manifest", "truncate array", "delete terms"])
def test_damaged_index_is_rebuilt(tmp_path, count_builds, damage):
    good = make_index(tmp_path)
    (folder,) = saved_folders(tmp_path)
    if damage == "delete manifest":
        (folder / MANIFEST).unlink()
    elif damage == "garble manifest":
        (folder / MANIFEST).write_text("{not json")
    elif damage == "truncate array":
        data = (folder / "vals.npy").read_bytes()
        (folder / "vals.npy").write_bytes(data[: len(data) // 2])
    else:
        (folder / "terms.json").unlink()
    rebuilt = make_index(tmp_path)
    assert len(count_builds) == 2
    terms = ANALYZER.terms("MAPPA offenders")
    assert np.array_equal(rebuilt.scores(terms), good.scores(terms))
    assert saved_folders(tmp_path) == [folder]
    IndexStore(tmp_path / "idx").load(folder.name)  # whole again


def test_manifest_of_another_key_is_not_served(tmp_path):
    make_index(tmp_path)
    (folder,) = saved_folders(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["key"] = "0" * 40
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(StoreError):
        IndexStore(tmp_path / "idx").load(folder.name)


def test_save_leaves_no_temporary_folder_and_replaces_atomically(tmp_path):
    passages, _ = passages_of(PARAGRAPHS)
    backend = SparseBM25.build([ANALYZER.terms(p.text) for p in passages], Params())
    store = IndexStore(tmp_path / "idx")
    store.save("k1", backend)
    # A second writer of the same key (another worker) neither fails nor leaves debris.
    store.save("k1", backend)
    names = [p.name for p in (tmp_path / "idx").iterdir()]
    assert sorted(n for n in names if n != ".lock") == ["k1"]
    assert store.load("k1").get_scores(["mappa"]).tolist() == backend.get_scores(["mappa"]).tolist()


def test_failed_save_leaves_nothing_behind(tmp_path):
    passages, _ = passages_of(PARAGRAPHS)
    backend = SparseBM25.build([ANALYZER.terms(p.text) for p in passages], Params())
    store = IndexStore(tmp_path / "idx")
    with mock.patch.object(store_module.np, "save", side_effect=OSError("disk full")), pytest.raises(OSError):
        store.save("k1", backend)
    assert [p.name for p in (tmp_path / "idx").iterdir()] == []
    with pytest.raises(StoreError):
        store.load("k1")


def test_unwritable_index_dir_still_serves(tmp_path, count_builds):
    blocker = tmp_path / "idx"
    blocker.write_text("a file where the folder should be")
    index = make_index(tmp_path)
    hits = index.search(ANALYZER.terms("MAPPA"), k=5)
    assert {h.passage.passage_id for h in hits} == {"guide#1", "guide#6"}
    assert len(count_builds) == 1
    assert blocker.is_file()


def test_old_indexes_are_pruned(tmp_path):
    for k1 in (1.0, 1.1, 1.2, 1.3, 1.4, 1.5):
        make_index(tmp_path, k1=k1)
    assert len(saved_folders(tmp_path)) == store_module.KEEP


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    corpus=st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=10), min_size=5, max_size=30),
    variant=st.sampled_from(["okapi", "plus", "l"]),
)
def test_round_trip_keeps_every_array_and_score(tmp_path, corpus, variant):
    backend = SparseBM25.build(corpus, Params(variant, 1.2, 0.75, 0.25, 1.0))
    store = IndexStore(tmp_path / "rt")
    store.save(variant, backend)
    loaded = store.load(variant)
    assert loaded.terms == backend.terms
    assert loaded.meta == backend.meta
    for name, array in backend.arrays.items():
        assert np.array_equal(loaded.arrays[name], array), name
    for query in (["a"], ["b", "b", "z"], list("abcdefgh")):
        assert np.array_equal(loaded.get_scores(query), backend.get_scores(query))


def test_changed_build_code_rebuilds_but_query_code_does_not(tmp_path, count_builds):
    from assistant.retrieve import sparse

    make_index(tmp_path)
    with mock.patch.object(sparse, "_PROBE", 1):
        make_index(tmp_path)
    assert len(count_builds) == 1
    with mock.patch.object(sparse, "DENSE_SHARE", 0.5):
        make_index(tmp_path)
    assert len(count_builds) == 2
