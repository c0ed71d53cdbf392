"""Every sentence's meaning as a vector (the shipped encoder's), computed once per index and saved with it."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..language.encoder import Encoder, model_digest

log = logging.getLogger(__name__)


# A lazy corpus keeps at most this many sentence vectors (about 0.8 KB each) from earlier questions.
LAZY_CACHE = 50_000


class SentenceVectors:
    """The unit vector of each sentence of `passages`, found by (document id, sentence start).

    Saved as `sentences-<model>.npy` in the index's own folder (so the index key covers it, and it goes
    when the index folder is pruned) and memory-mapped by the next process; read-only once built.
    A `lazy` one (a very large corpus) computes nothing up front: `prepare` encodes the sentences of the
    passages a question is about to read, and `nearest` finds nothing.
    """

    def __init__(
        self,
        passages: Sequence,
        texts: dict[str, str],
        encoder: Callable[[], Encoder],
        folder: Path | None,
        lazy: bool = False,
    ) -> None:
        # The encoder is loaded (a few hundred ms) only when something must be embedded: a process
        # that finds the vectors saved and answers every question starts as fast as without it.
        self._encoder = encoder
        self._texts = texts
        self.lazy = lazy
        if lazy:
            self._cache: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
            self._lock = threading.Lock()
            self._row, self.vectors = {}, np.zeros((0, 384), dtype=np.float16)
            return
        keys: list[tuple[str, int]] = []
        spans: list[tuple[str, int, int]] = []
        owner: list[int] = []
        for row, passage in enumerate(passages):
            for sentence in passage.sentences:
                keys.append((passage.doc_id, sentence.start))
                spans.append((passage.doc_id, sentence.start, sentence.end))
                owner.append(row)
        self._row = {key: i for i, key in enumerate(keys)}
        self._owner = np.array(owner, dtype=np.int64)
        doc_ids = sorted({k[0] for k in keys})
        self._doc_number = {d: i for i, d in enumerate(doc_ids)}
        self._doc_of = np.array([self._doc_number[k[0]] for k in keys], dtype=np.int32)
        path = folder / f"sentences-{model_digest()}.npy" if folder is not None else None
        self.vectors = _load(path, len(keys))
        if self.vectors is None:
            self.vectors = self.encoder.encode([texts[d][s:e] for d, s, e in spans]).astype(np.float16)
            if path is not None:
                _save(path, self.vectors)

    @property
    def encoder(self) -> Encoder:
        return self._encoder()

    def __len__(self) -> int:
        return len(self._row)

    @property
    def embedded(self) -> int:
        """Sentences with a vector: every one when stored; when lazy, those embedded so far (cached)."""
        return len(self._cache) if self.lazy else len(self._row)

    def prepare(self, passages) -> None:
        """Encode, when lazy, the sentences of `passages` not yet known (one batch)."""
        if not self.lazy:
            return
        with self._lock:
            wanted = {
                (p.doc_id, s.start): (p.doc_id, s.start, s.end)
                for p in passages
                for s in p.sentences
                if (p.doc_id, s.start) not in self._cache
            }
        if not wanted:
            return
        vectors = self.encoder.encode([self._texts[d][a:b] for d, a, b in wanted.values()])
        with self._lock:
            for key, vector in zip(wanted, vectors, strict=True):
                self._cache[key] = vector
            while len(self._cache) > LAZY_CACHE:
                self._cache.popitem(last=False)

    def similarity(self, query: np.ndarray, doc_id: str, start: int) -> float:
        """Cosine of the query vector with the sentence starting at `start` (0 for an unknown one)."""
        if self.lazy:
            vector = self._cache.get((doc_id, start))
            return 0.0 if vector is None else float(vector @ query)
        row = self._row.get((doc_id, start))
        return 0.0 if row is None else float(self.vectors[row].astype(np.float32) @ query)

    def nearest(self, query: np.ndarray, k: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """Return (passage row, cosine) of the `k` sentences nearest the query, best first."""
        if self.lazy or not len(self._row) or k <= 0:
            return []
        scores = self.vectors @ query.astype(np.float16)
        scores = scores.astype(np.float32)
        if doc_ids is not None:
            allowed = np.isin(self._doc_of, [self._doc_number[d] for d in doc_ids if d in self._doc_number])
            scores = np.where(allowed, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self._owner[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]


def _load(path: Path | None, n: int) -> np.ndarray | None:
    if path is None:
        return None
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if array.shape != (n, 384) or array.dtype != np.float16:
        log.warning("%s: saved sentence vectors do not match the index; recomputing", path)
        return None
    return array


def _save(path: Path, vectors: np.ndarray) -> None:
    """Write atomically (a temporary file renamed into place); a folder that cannot be written is skipped."""
    try:
        handle, tmp = tempfile.mkstemp(prefix=".tmp-sentences-", suffix=".npy", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            np.save(out, vectors, allow_pickle=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("sentence vectors not saved to %s: %s", path.parent, exc)
