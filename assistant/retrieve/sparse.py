"""rank-bm25's exact BM25 scores from precomputed per-term postings, numpy only: a query reads its terms."""

from __future__ import annotations

import hashlib
import inspect
import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, count

import numpy as np

VARIANTS = ("okapi", "plus", "l")
# A term found in at least this share of passages is kept as one dense vector of contributions:
# adding a contiguous vector costs a tenth of scattering as many postings, and at this density
# the vector takes at most 2.7 times the room of the postings it replaces.
DENSE_SHARE = 0.25
# Dense vectors cost 8 bytes per passage each: cap their number so memory stays bounded.
MAX_DENSE_TERMS = 64
# Postings whose contributions are computed per batch (bounds the float64 temporaries).
_CHUNK = 1 << 20
# Rough nanoseconds per element of the numpy steps of a search, to choose between scoring every
# passage and scoring candidates (measured on a 2-core VM; only their ratios matter).
_NS_SCAN = 2.5  # per passage: zero the scores, then find the top k
_NS_DENSE = 0.5  # per passage: add a dense term's vector
_NS_SCATTER = 4.0  # per posting: add a sparse term's contribution
_NS_UNION = 15.0  # per candidate: merge and sort the essential terms' rows
_NS_GATHER = 2.5  # per candidate: read a dense term's value
_NS_STEP = 3.5  # per binary-search step: find a candidate in a term's rows
# The probe scores the _PROBE * k passages where the rarest query term weighs most.
_PROBE = 32
# A search restricted to fewer than 1/SUBSET_SHARE of the passages scores only those.
SUBSET_SHARE = 8
# Scores sampled (evenly spaced) to find a lower bound of the k-th best score before the full scan.
_SAMPLE = 4096


@dataclass(frozen=True, slots=True)
class Params:
    """The scoring settings that shape the index: rank-bm25's variant and its tuning values."""

    variant: str = "okapi"
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25
    delta: float = 1.0

    @classmethod
    def from_settings(cls, settings) -> Params:
        """Take variant, k1, b, epsilon and delta from a RetrievalSettings-like object."""
        return cls(settings.variant, settings.k1, settings.b, settings.epsilon, settings.delta)

    def check(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown BM25 variant {self.variant!r} (expected one of {', '.join(VARIANTS)})")


class SparseBM25:
    """Scores of rank-bm25's BM25Okapi, BM25Plus or BM25L, equal to its floats, from column postings.

    Scores are rank-bm25's: the same idf (for Okapi, the epsilon floor from the average idf summed in
    first-occurrence order), the same per-term formula evaluated in the same order, and one addition
    per query token in query order, so repeated tokens count again and unknown tokens add nothing.
    Where rank-bm25 computes 0/0 (an empty passage with b = 1, or k1 = 0) and returns NaN, the
    term-frequency part is taken as 0 instead.

    Each term keeps the rows of the passages that hold it with its contribution there (`rows`,
    `vals`, delimited by `indptr`), or, for the few terms found in a quarter of the passages or more,
    a dense vector of its contribution to every passage. A passage without the term gets `lo` from it:
    0 for Okapi and L, idf * delta for Plus.
    """

    def __init__(self, terms: list[str], arrays: dict[str, np.ndarray], meta: dict) -> None:
        """Wrap built or loaded arrays; use `build` to index a corpus."""
        self.params = Params(**meta["params"])
        self.params.check()
        self.n_passages = int(meta["n_passages"])
        self.avgdl = float(meta["avgdl"])
        self.average_idf = float(meta["average_idf"])
        self.terms = terms
        self.arrays = arrays
        self._ids = dict(zip(terms, range(len(terms)), strict=True))
        # Small per-term tables are read once per query token: plain lists are faster to index.
        self._df = arrays["df"].tolist()
        self._idf = arrays["idf"].tolist()
        self._lo = arrays["lo"].tolist()
        self._hi = arrays["hi"].tolist()
        self._indptr = arrays["indptr"].tolist()
        self._slot = arrays["dense_slot"].tolist()
        # Plain ndarray views of memory-mapped arrays: np.memmap's Python-level __getitem__ would
        # cost more than the slicing itself on every query token.
        self._rows = np.asarray(arrays["rows"])
        self._vals = np.asarray(arrays["vals"])
        self._dense = np.asarray(arrays["dense"])

    @classmethod
    def build(cls, tokenized: list[list[str]], params: Params) -> SparseBM25:
        """Index pre-tokenised passages (one list of terms each, repeats kept) for `params`."""
        params.check()
        n = len(tokenized)
        lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=n)
        total = int(lengths.sum())
        terms, row, tf, df = _postings(tokenized, lengths)
        v = len(terms)
        avgdl = total / n if n else 0.0
        idf, average_idf = _idf(df.tolist(), n, params)
        lo = idf * params.delta if params.variant == "plus" else np.zeros(v)
        norm = _length_norm(lengths, avgdl, params) if total else np.zeros(n)
        hi = lo.copy()
        heavy = np.flatnonzero(df >= max(1.0, DENSE_SHARE * n))
        heavy = np.sort(heavy[np.argsort(-df[heavy], kind="stable")][:MAX_DENSE_TERMS])
        slot = np.full(v, -1, dtype=np.int32)
        slot[heavy] = np.arange(len(heavy), dtype=np.int32)
        starts = np.zeros(v + 1, dtype=np.int64)
        np.cumsum(df, out=starts[1:])
        dense = np.empty((len(heavy), n), dtype=np.float64)
        for i, t in enumerate(heavy.tolist()):
            seg = slice(starts[t], starts[t + 1])
            where = row[seg]
            column = _contribution(idf[t], tf[seg], norm[where], params)
            dense[i] = lo[t]
            dense[i, where] = column
            hi[t] = max(lo[t], column.max())
        light = slot < 0
        indptr = np.zeros(v + 1, dtype=np.int64)
        np.cumsum(np.where(light, df, 0), out=indptr[1:])
        rows = np.empty(int(indptr[-1]), dtype=np.int32)
        vals = np.empty(int(indptr[-1]), dtype=np.float64)
        # The light terms' postings, a range of terms (about _CHUNK postings) at a time, so that the
        # temporaries stay small.
        t0 = 0
        while t0 < v:
            t1 = min(max(int(np.searchsorted(starts, starts[t0] + _CHUNK, side="right")) - 1, t0 + 1), v)
            keep = light[t0:t1]
            counts = df[t0:t1]
            mask = np.repeat(keep, counts)
            where = row[starts[t0] : starts[t1]][mask]
            rows[indptr[t0] : indptr[t1]] = where
            vals[indptr[t0] : indptr[t1]] = _contribution(
                np.repeat(idf[t0:t1][keep], counts[keep]),
                tf[starts[t0] : starts[t1]][mask],
                norm[where],
                params,
            )
            t0 = t1
        del row, tf
        nonempty = np.flatnonzero(light & (df > 0))
        if len(nonempty):
            hi[nonempty] = np.maximum(lo[nonempty], np.maximum.reduceat(vals, indptr[nonempty]))
        arrays = {
            "df": df,
            "idf": idf,
            "lo": lo,
            "hi": hi,
            "indptr": indptr,
            "rows": rows,
            "vals": vals,
            "dense_slot": slot,
            "dense": dense,
        }
        meta = {
            "params": {
                "variant": params.variant,
                "k1": params.k1,
                "b": params.b,
                "epsilon": params.epsilon,
                "delta": params.delta,
            },
            "n_passages": n,
            "avgdl": avgdl,
            "average_idf": average_idf,
        }
        return cls(terms, arrays, meta)

    @property
    def meta(self) -> dict:
        """Return the scalar facts needed to rebuild this object from its arrays."""
        p = self.params
        return {
            "params": {"variant": p.variant, "k1": p.k1, "b": p.b, "epsilon": p.epsilon, "delta": p.delta},
            "n_passages": self.n_passages,
            "avgdl": self.avgdl,
            "average_idf": self.average_idf,
        }

    def __len__(self) -> int:
        return self.n_passages

    def document_frequency(self, term: str) -> int:
        """Return the number of passages that hold `term`."""
        t = self._ids.get(term)
        return 0 if t is None else self._df[t]

    def idf(self, term: str) -> float:
        """Return rank-bm25's idf of `term` (after the Okapi floor); 0 for an unknown term."""
        t = self._ids.get(term)
        return 0.0 if t is None else self._idf[t]

    def get_scores(self, query: list[str]) -> np.ndarray:
        """Return the score of every passage, as rank-bm25's `get_scores(query)` does."""
        acc = np.zeros(self.n_passages, dtype=np.float64)
        for token in query:
            t = self._ids.get(token)
            if t is not None:
                self._add(acc, t)
        return acc

    def top_k(
        self, query: list[str], k: int, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the rows and scores of the k best passages with a positive score.

        Best first; equal scores in row order. `rows` (ascending) restricts the search to those passages.
        """
        if k <= 0 or self.n_passages == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        if not any(token in self._ids for token in query):
            # Unknown terms add 0 to every passage: nothing scores above 0.
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        tokens = [t for t in map(self._ids.get, query) if t is not None]
        if rows is not None:
            if len(rows) * SUBSET_SHARE >= self.n_passages:
                return select_top(self.get_scores(query), k, rows)
            # A few documents' passages: score just those rather than every passage.
            rows = np.asarray(rows, dtype=np.int32)
            picked, got = select_top(self._scores_at(tokens, rows, ()), k)
            return rows[picked].astype(np.int64), got
        floor = 0.0
        by_df = sorted(dict.fromkeys(tokens), key=self._df.__getitem__)
        if self._slot[by_df[0]] < 0:
            # The rarest term has postings: try to settle the top k from candidates.
            floor, essential = self._plan(tokens, by_df, k)
            if essential:
                rows = self._union(essential)
                picked, got = select_top(self._scores_at(tokens, rows, essential), k)
                return rows[picked].astype(np.int64), got
        return select_top(self.get_scores(query), k, floor=floor)

    def _plan(self, tokens: list[int], by_df: list[int], k: int) -> tuple[float, list[int]]:
        """Return a lower bound of the k-th best score, and the terms to take candidates from.

        MaxScore's argument, with rank-bm25's sums: a passage that holds none of the "essential"
        terms scores at most the sum, in query order, of `lo` for each essential term and `hi` (the
        largest contribution) for each other term; rounding is monotonic, so the float sum bounds
        it too. The probe scores the passages where the rarest term weighs most: their k-th best
        score is a lower bound of the final one. Once the bound of the passages outside the rarest
        terms falls below it (or is not positive), those terms' passages hold the whole top k.
        The list of essential terms is empty when scoring every passage is expected to be cheaper.
        """
        rarest = by_df[0]
        a, b = self._indptr[rarest], self._indptr[rarest + 1]
        probe = self._rows[a:b]
        if len(probe) > _PROBE * k:
            best = np.argpartition(self._vals[a:b], len(probe) - _PROBE * k)[len(probe) - _PROBE * k :]
            probe = np.sort(probe[best])
        _, got = select_top(self._scores_at(tokens, probe, ()), k)
        floor = float(got[-1]) if len(got) == k else 0.0
        essential: list[int] = []
        size = 0
        for t in by_df:
            if self._slot[t] >= 0:
                return floor, []
            essential.append(t)
            size += self._df[t]
            bound = 0.0
            for u in tokens:
                bound += self._lo[u] if u in essential else self._hi[u]
            if bound <= 0.0 or bound < floor:
                break
        else:
            return floor, []
        if self._pruned_cost(tokens, essential, size) > self._dense_cost(tokens):
            return floor, []
        return floor, essential

    def _dense_cost(self, tokens: list[int]) -> float:
        """Estimate the nanoseconds to score every passage (get_scores) and select the top k."""
        cost = self.n_passages * _NS_SCAN
        for t in tokens:
            cost += self.n_passages * _NS_DENSE if self._slot[t] >= 0 else self._df[t] * _NS_SCATTER
        return cost

    def _pruned_cost(self, tokens: list[int], essential: list[int], size: int) -> float:
        """Estimate the nanoseconds to score the passages holding an essential term (`size` postings)."""
        steps = math.log2(size + 2)
        per_row = _NS_UNION + _NS_STEP * steps
        for t in tokens:
            if self._slot[t] >= 0:
                per_row += _NS_GATHER
            elif t not in essential:
                df = self._df[t]
                per_row += _NS_STEP * min(math.log2(df + 2), df / max(size, 1) * steps)
        return size * per_row

    def _union(self, terms: list[int]) -> np.ndarray:
        """Return the rows (ascending) of the passages holding any of `terms` (sparse terms only)."""
        indptr = self._indptr
        parts = [self._rows[indptr[t] : indptr[t + 1]] for t in terms]
        if len(parts) == 1:
            return np.asarray(parts[0])
        rows = np.sort(np.concatenate(parts))
        new = np.empty(len(rows), dtype=bool)
        new[:1] = True
        np.not_equal(rows[1:], rows[:-1], out=new[1:])
        return rows[new]

    def _scores_at(self, tokens: list[int], rows: np.ndarray, essential) -> np.ndarray:
        """Return the exact scores of passages `rows` (ascending, distinct).

        `essential` terms are known to have all their rows among `rows`: they are placed directly
        instead of being looked up.
        """
        indptr = self._indptr
        acc = np.zeros(len(rows), dtype=np.float64)
        for t in tokens:
            slot = self._slot[t]
            if slot >= 0:
                acc += self._dense[slot][rows]
                continue
            a, b = indptr[t], indptr[t + 1]
            mine, vals = self._rows[a:b], self._vals[a:b]
            if t in essential:
                at = np.searchsorted(rows, mine)
            elif b - a < len(rows):
                # Look the term's rows up among the candidates...
                at = np.searchsorted(rows, mine)
                has = at < len(rows)
                has[has] = rows[at[has]] == mine[has]
                at, vals = at[has], vals[has]
            else:
                # ...or each candidate up in the term's rows, whichever list is shorter.
                at = np.searchsorted(mine, rows)
                has = at < (b - a)
                has[has] = mine[at[has]] == rows[has]
                vals = vals[at[has]]
                at = np.flatnonzero(has)
            lo = self._lo[t]
            if lo == 0.0:
                acc[at] += vals
            else:
                column = np.full(len(rows), lo)
                column[at] = vals
                acc += column
        return acc

    def _add(self, acc: np.ndarray, t: int) -> None:
        slot = self._slot[t]
        if slot >= 0:
            acc += self._dense[slot]
            return
        a, b = self._indptr[t], self._indptr[t + 1]
        rows, vals = self._rows[a:b], self._vals[a:b]
        lo = self._lo[t]
        if lo == 0.0:
            # Passages without the term get 0 (or -0.0), which leaves a sum unchanged.
            np.add.at(acc, rows, vals)
        else:
            # Every passage gets `lo`, the ones with the term get their contribution instead; each
            # sum takes one addition, in query order, as in rank-bm25.
            mine = acc[rows] + vals
            acc += lo
            acc[rows] = mine


def build_fingerprint() -> str:
    """Return a digest of the code and constants that decide what `build` stores.

    Saved indexes are keyed by it, so a change to how contributions are computed or laid out never
    serves arrays built by older code; changes to the query side do not force a rebuild.
    """
    digest = hashlib.sha256(repr((DENSE_SHARE, MAX_DENSE_TERMS)).encode())
    for fn in (SparseBM25.build, _postings, _idf, _length_norm, _contribution):
        try:
            digest.update(inspect.getsource(fn).encode())
        except (OSError, TypeError):  # no source shipped: fall back on the bytecode
            digest.update(fn.__code__.co_code)
    return digest.hexdigest()[:16]


def select_top(
    scores: np.ndarray, k: int, rows: np.ndarray | None = None, *, floor: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows, scores) of the k highest positive scores, ties in row order.

    `rows` (ascending) restricts the choice to those positions of `scores`. A positive `floor`
    promises that the k-th best score is at least that much.
    """
    values = scores if rows is None else scores[rows]
    n = len(values)
    threshold = 0.0
    strict = True
    if floor > 0.0:
        threshold, strict = floor, False
    elif n > 4 * _SAMPLE:
        # The k-th best of any subset is a lower bound of the k-th best of all: it cuts the scan
        # below to a few thousand candidates without an O(n log n) sort.
        sample = values[:: n // _SAMPLE]
        if len(sample) >= k:
            kth = float(np.partition(sample, len(sample) - k)[len(sample) - k])
            if kth > 0.0:
                threshold, strict = kth, False
    picked = np.flatnonzero(values > threshold if strict else values >= threshold)
    got = values[picked]
    if len(picked) > k:
        kth = np.partition(got, len(got) - k)[len(got) - k]
        above = got > kth
        tied = np.flatnonzero(got == kth)[: k - int(above.sum())]
        keep = np.sort(np.concatenate([np.flatnonzero(above), tied]))
        picked, got = picked[keep], got[keep]
    order = np.lexsort((picked, -got))
    picked, got = picked[order], got[order]
    if rows is not None:
        picked = rows[picked]
    return picked.astype(np.int64), got


def _postings(
    tokenized: list[list[str]], lengths: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Return the terms, and the row and tf (int32) of each (term, passage) pair by term then row, and df.

    Terms are numbered in order of first occurrence: rank-bm25 fills its idf dict in that order,
    and the Okapi floor depends on the order in which it sums that dict.
    """
    n, total = len(tokenized), int(lengths.sum())
    ids: defaultdict[str, int] = defaultdict(count().__next__)
    # One sort of term * n + row puts the pairs in place; the arrays are reused in place because
    # fresh pages are what costs most at this size.
    key = np.fromiter(map(ids.__getitem__, chain.from_iterable(tokenized)), dtype=np.int64, count=total)
    terms = list(ids)
    if not total:
        empty = np.empty(0, dtype=np.int32)
        return terms, empty, empty, np.zeros(len(terms), dtype=np.int64)
    key *= n
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    step = max(1, _CHUNK // 128)
    for s in range(0, n, step):
        e = min(s + step, n)
        key[offsets[s] : offsets[e]] += np.repeat(np.arange(s, e, dtype=np.int64), lengths[s:e])
    key.sort()
    new = np.empty(total, dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    del new
    tf = np.empty(len(starts), dtype=np.int32)
    np.subtract(starts[1:], starts[:-1], out=tf[:-1])
    tf[-1] = total - starts[-1]
    key = key[starts]
    del starts
    # Term t holds the keys in [t * n, (t + 1) * n).
    df = np.diff(np.searchsorted(key, np.arange(len(terms) + 1, dtype=np.int64) * n))
    np.remainder(key, n, out=key)
    return terms, key.astype(np.int32), tf, df


def _idf(df: list[int], n: int, params: Params) -> tuple[np.ndarray, float]:
    """Return rank-bm25's idf of each term (math.log, Python floats, its order of summation)."""
    if params.variant == "okapi":
        idf = [math.log(n - f + 0.5) - math.log(f + 0.5) for f in df]
        idf_sum = 0.0
        for x in idf:
            idf_sum += x
        average = idf_sum / len(idf) if idf else 0.0
        eps = params.epsilon * average
        idf = [eps if x < 0 else x for x in idf]
        return np.array(idf, dtype=np.float64), average
    if params.variant == "plus":
        return np.array([math.log((n + 1) / f) for f in df], dtype=np.float64), 0.0
    return np.array([math.log(n + 1) - math.log(f + 0.5) for f in df], dtype=np.float64), 0.0


def _length_norm(lengths: np.ndarray, avgdl: float, params: Params) -> np.ndarray:
    """Return rank-bm25's per-passage length term, bracketed as its code brackets it."""
    # 1 - b + b * doc_len / avgdl parses as (1 - b) + ((b * doc_len) / avgdl).
    norm = (1 - params.b) + (params.b * lengths.astype(np.float64)) / avgdl
    if params.variant == "l":
        return norm
    return params.k1 * norm


def _contribution(idf: np.ndarray, tf: np.ndarray, norm: np.ndarray, params: Params) -> np.ndarray:
    """Return one term's score in passages that hold it, with rank-bm25's operations in its order."""
    tf = tf.astype(np.float64)
    k1 = params.k1
    with np.errstate(divide="ignore", invalid="ignore"):
        if params.variant == "okapi":
            # idf * (q_freq * (k1 + 1) / (q_freq + k1 * (1 - b + b * doc_len / avgdl)))
            return idf * (tf * (k1 + 1) / (tf + norm))
        if params.variant == "plus":
            # idf * (delta + (q_freq * (k1 + 1)) / (k1 * (1 - b + b * doc_len / avgdl) + q_freq))
            return idf * (params.delta + (tf * (k1 + 1)) / (norm + tf))
        # ctd = q_freq / (1 - b + b * doc_len / avgdl)
        # idf * q_freq * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
        ctd = tf / norm
        return idf * tf * (k1 + 1) * (ctd + params.delta) / (k1 + ctd + params.delta)
