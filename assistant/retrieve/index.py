"""BM25 retrieval over passages with rank-bm25's scoring; search(terms, k) -> list[Hit]."""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from ..config import RetrievalSettings
from ..ingest.document import CorpusPassages, Passage
from ..language import text
from ..language.text import Analyzer
from . import sparse
from .sparse import Params, SparseBM25, select_top
from .store import FORMAT_VERSION, IndexStore, index_key, index_root

log = logging.getLogger(__name__)

VARIANTS = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}
# The words Analyzer.terms finds (text.tokenize's pattern), and how many distinct words the build's
# table of terms holds before it starts again (it bounds the table's memory on huge vocabularies).
_WORD = re.compile(text.WORD_PATTERN)
_MAX_WORDS = 2_000_000


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float
    rank: int


def make_scorer(tokenized: list[list[str]], settings: RetrievalSettings):
    """Return a rank-bm25 scorer for the configured variant (k1, b and its epsilon or delta).

    This is the reference the fast backend reproduces; it is used when `backend` is "rank_bm25".
    """
    if settings.variant not in VARIANTS:
        raise ValueError(f"unknown BM25 variant {settings.variant!r} (expected one of {', '.join(VARIANTS)})")
    extra = {"epsilon": settings.epsilon} if settings.variant == "okapi" else {"delta": settings.delta}
    return VARIANTS[settings.variant](tokenized, k1=settings.k1, b=settings.b, **extra)


class Index:
    """A read-only BM25 index over passages; safe to share between threads once built.

    With the default backend the index is saved under `settings.index_dir` (or `store`) and loaded,
    memory-mapped, by the next process that indexes the same passages with the same settings.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        analyzer: Analyzer,
        settings: RetrievalSettings,
        texts: dict[str, str],
        *,
        store: IndexStore | None = None,
    ) -> None:
        self.passages = passages
        # Full text of each document by id: sentence offsets point into these.
        self.texts = texts
        self.settings = settings
        self._doc_rows: dict[str, np.ndarray] | None = None
        # The saved index's folder (None when nothing is saved): files derived from it live there too.
        self.folder: Path | None = None
        if settings.backend == "rank_bm25":
            tokenized = passage_terms(analyzer, _texts(passages))
            self.scorer = make_scorer(tokenized, settings)
            self._df: Counter[str] | None = Counter()
            for terms in tokenized:
                self._df.update(set(terms))
        else:
            self._df = None
            params = Params.from_settings(settings)
            params.check()
            store = store if store is not None else IndexStore(index_root(settings.index_dir))
            key = index_key(passages, _fingerprint(analyzer, settings))

            def build() -> SparseBM25:
                return SparseBM25.build(passage_terms(analyzer, _texts(passages)), params)

            info = {"passages": len(passages), "documents": len(texts)}
            self.scorer = store.load_or_build(key, build, info)
            if store.path(key).is_dir():
                self.folder = store.path(key)

    def __len__(self) -> int:
        return len(self.passages)

    def document_frequency(self, term: str) -> int:
        if self._df is not None:
            return self._df.get(term, 0)
        return self.scorer.document_frequency(term)

    def vocabulary(self) -> list[str]:
        """Return every index term, sorted."""
        return sorted(self._df if self._df is not None else self.scorer.terms)

    def rarity(self, term: str) -> float:
        """Return a positive idf used to weigh question terms (unseen terms weigh the most).

        Not rank-bm25's Okapi idf: that one is floored, and is 0 for a term in half the passages.
        """
        n, df = len(self.passages), self.document_frequency(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, terms: list[str]) -> np.ndarray:
        """Return the BM25 score of every passage for the query terms (rank-bm25's `get_scores`)."""
        return np.asarray(self.scorer.get_scores(terms), dtype=np.float64)

    def search(self, terms: list[str], *, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        """Return the k best passages (score descending, ties in passage order) with a positive score."""
        if not terms or k <= 0 or not self.passages:
            return []
        rows = None
        if doc_ids is not None:
            rows = self._rows_of(doc_ids)
            if not len(rows):
                return []
        if self._df is None:
            picked, scores = self.scorer.top_k(terms, k, rows)
        else:
            picked, scores = select_top(self.scores(terms), k, rows)
        return [
            Hit(self.passages[i], s, rank)
            for rank, (i, s) in enumerate(zip(picked.tolist(), scores.tolist(), strict=True), 1)
        ]

    def _rows_of(self, doc_ids: list[str]) -> np.ndarray:
        table = self._doc_rows
        if table is None:
            # Built on the first restricted search: most processes never need it.
            groups: defaultdict[str, list[int]] = defaultdict(list)
            owners = (
                self.passages.doc_ids()
                if isinstance(self.passages, CorpusPassages)
                else (p.doc_id for p in self.passages)
            )
            for i, doc_id in enumerate(owners):
                groups[doc_id].append(i)
            table = {d: np.array(rows, dtype=np.int64) for d, rows in groups.items()}
            self._doc_rows = table
        parts = [table[d] for d in dict.fromkeys(doc_ids) if d in table]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))


def passage_terms(analyzer: Analyzer, texts: Iterable[str]) -> list[list[str]]:
    """Return `analyzer.terms(text)` for each text, analysing each distinct word once.

    Normalising and stemming every word took most of the first build (8 minutes for a million
    passages); a library repeats its words, so a table of the words seen does the work once each.
    """
    if type(analyzer) is not Analyzer:
        return [analyzer.terms(t) for t in texts]
    memo = _Terms(analyzer.term)
    find = _WORD.findall
    out = []
    for t in texts:
        if len(memo) > _MAX_WORDS:
            memo.clear()
        terms = [term for term in map(memo.__getitem__, find(t)) if term is not None]
        terms.extend(term for term in map(memo.__getitem__, text.closed_up_compounds(t)) if term is not None)
        out.append(terms)
    return out


class _Terms(dict):
    """word -> its index term (None for a stop word), filled on first use."""

    def __init__(self, term) -> None:
        super().__init__()
        self._term = term

    def __missing__(self, word: str) -> str | None:
        term = self[word] = self._term(word)
        return term


def _texts(passages: Sequence[Passage]) -> Iterable[str]:
    """Yield what BM25 indexes of each passage: its section heading, then its text."""
    if isinstance(passages, CorpusPassages):
        pairs = zip(passages.sections(), passages.texts(), strict=True)
    else:
        pairs = ((p.section, p.text) for p in passages)
    return (f"{section}\n{text}" if section else text for section, text in pairs)


def _fingerprint(analyzer: Analyzer, settings: RetrievalSettings) -> dict:
    """Return what, besides the passages, decides a saved index's contents."""
    return {
        "format": FORMAT_VERSION,
        "variant": settings.variant,
        "k1": settings.k1,
        "b": settings.b,
        "epsilon": settings.epsilon,
        "delta": settings.delta,
        "stemmer": settings.stemmer,
        "stopwords": settings.stopwords,
        "analyzer": f"{type(analyzer).__module__}.{type(analyzer).__qualname__}",
        "code": _code_digest(),
        "nltk": text.NLTK_VERSION,
    }


def _code_digest() -> str:
    # Terms come from text.py (its stop-word list, its spelling variants, and the lexicon in
    # wordvecs.npz that decides line-end hyphens and spelling rules), contributions from sparse.py's
    # build: an edit to any changes what an index should hold, so it must not load an index saved before.
    digest = hashlib.sha256(sparse.build_fingerprint().encode())
    for path in keyed_files():
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:16]


def keyed_files() -> list[Path]:
    """The source and data files whose bytes are part of a saved index's key."""
    language = Path(text.__file__).parent
    data = language.parent / "data"
    return [
        language / "text.py",
        language / "spelling_variants.py",
        language / "wordlists.py",
        data / "stopwords.txt",
        data / "spelling_variants.txt",
        data / "stem_exceptions.txt",
        data / "wordvecs.npz",
    ]
