"""BM25 retrieval over passages with rank-bm25's scoring; search(terms, k) -> list[Hit]."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from .config import RetrievalSettings
from .corpus import Passage
from .text import Analyzer

VARIANTS = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float
    rank: int


def make_scorer(tokenized: list[list[str]], settings: RetrievalSettings):
    """Return a rank-bm25 scorer for the configured variant (k1, b and its epsilon or delta)."""
    if settings.variant not in VARIANTS:
        raise ValueError(f"unknown BM25 variant {settings.variant!r} (expected one of {', '.join(VARIANTS)})")
    extra = {"epsilon": settings.epsilon} if settings.variant == "okapi" else {"delta": settings.delta}
    # rank-bm25 divides by the number of passages and by the mean length: give it one empty-safe row.
    return VARIANTS[settings.variant](tokenized, k1=settings.k1, b=settings.b, **extra)


class Index:
    """A read-only BM25 index over passages; safe to share between threads once built."""

    def __init__(
        self,
        passages: list[Passage],
        analyzer: Analyzer,
        settings: RetrievalSettings,
        texts: dict[str, str],
    ) -> None:
        tokenized = [analyzer.terms(p.text) for p in passages]
        self.passages = passages
        # Full text of each document by id: sentence offsets point into these.
        self.texts = texts
        self.settings = settings
        self._positions = {p.passage_id: i for i, p in enumerate(passages)}
        self._doc_rows: dict[str, np.ndarray] = {}
        for doc_id in dict.fromkeys(p.doc_id for p in passages):
            self._doc_rows[doc_id] = np.array([i for i, p in enumerate(passages) if p.doc_id == doc_id])
        self._df: Counter[str] = Counter()
        for terms in tokenized:
            self._df.update(set(terms))
        self.scorer = _build_backend(tokenized, settings)

    def __len__(self) -> int:
        return len(self.passages)

    def vocabulary(self) -> list[str]:
        """Return every index term, sorted."""
        return sorted(self._df)

    def document_frequency(self, term: str) -> int:
        return self._df.get(term, 0)

    def rarity(self, term: str) -> float:
        """Return a positive idf used to weigh question terms (unseen terms weigh the most).

        Not rank-bm25's Okapi idf: that one is floored, and is 0 for a term in half the passages.
        """
        n, df = len(self.passages), self._df.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, terms: list[str]) -> np.ndarray:
        """Return the BM25 score of every passage for the query terms."""
        return np.asarray(self.scorer.get_scores(terms), dtype=np.float64)

    def search(self, terms: list[str], *, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        """Return the k best passages (score descending, ties in passage order) with a positive score."""
        if not terms or k <= 0:
            return []
        scores = self.scores(terms)
        if doc_ids is not None:
            rows = [self._doc_rows[d] for d in doc_ids if d in self._doc_rows]
            candidates = np.concatenate(rows) if rows else np.array([], dtype=int)
        else:
            candidates = np.arange(len(scores))
        candidates = candidates[scores[candidates] > 0]
        order = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
        return [Hit(self.passages[i], float(scores[i]), r) for r, i in enumerate(order, 1)]


def _build_backend(tokenized: list[list[str]], settings: RetrievalSettings):
    if settings.backend in ("auto", "sparse"):
        try:
            from .sparse import SparseBM25
        except ImportError:
            if settings.backend == "sparse":
                raise
        else:
            return SparseBM25(tokenized, settings)
    return make_scorer(tokenized, settings)
