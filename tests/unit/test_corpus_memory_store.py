"""Saved index arrays are written in small pieces (page-cache folios, hence mapped RSS, stay small)."""

from __future__ import annotations

import io

import numpy as np

from assistant.ingest.document import Document
from assistant.language.text import Analyzer
from assistant.retrieve import store as store_module
from assistant.retrieve.sparse import Params, SparseBM25
from assistant.retrieve.store import ARRAYS, IndexStore

PARAGRAPHS = [f"Passage {i} says that visit {i % 7} and review {i % 5} are due." for i in range(200)]


class Recorder(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data) -> int:
        self.sizes.append(len(memoryview(data).cast("B")))
        return super().write(data)


def test_small_writes_pass_every_byte_in_pieces_of_at_most_the_limit(monkeypatch):
    monkeypatch.setattr(store_module, "_WRITE_BYTES", 1000)
    array = np.arange(10_000, dtype=np.float64).reshape(100, 100)
    plain, recorded = io.BytesIO(), Recorder()
    np.save(plain, array, allow_pickle=False)
    np.save(store_module._SmallWrites(recorded), array, allow_pickle=False)
    assert recorded.getvalue() == plain.getvalue()
    assert max(recorded.sizes) <= 1000 and sum(recorded.sizes) == len(plain.getvalue())


def test_saved_arrays_are_the_npy_files_np_save_writes(tmp_path):
    analyzer = Analyzer()
    doc = Document.from_paragraphs("guide", PARAGRAPHS)
    backend = SparseBM25.build([analyzer.terms(p.text) for p in doc.passages], Params())
    folder = IndexStore(tmp_path).save("k" * 40, backend)
    for name in ARRAYS:
        expected = io.BytesIO()
        np.save(expected, np.ascontiguousarray(backend.arrays[name]), allow_pickle=False)
        assert (folder / f"{name}.npy").read_bytes() == expected.getvalue()
    loaded = IndexStore(tmp_path).load("k" * 40)
    assert np.array_equal(loaded.get_scores(["visit", "review"]), backend.get_scores(["visit", "review"]))
