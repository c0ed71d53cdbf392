"""Near-synonym similarity between index terms, from small static word vectors shipped in the repo."""

from __future__ import annotations

from importlib import resources

import numpy as np

DATA_FILE = "data/wordvecs.npz"


class WordVectors:
    """Word vectors grouped by index term; two terms are as similar as their closest word forms.

    ("kid" covers "kid" and "kids": "kids" ~ "children" should count even if "kid" alone is weaker.)
    Built once and read-only afterwards, so one instance is safe to share between threads.
    """

    def __init__(self, stemmer: str) -> None:
        with resources.files("assistant").joinpath(DATA_FILE).open("rb") as fh:
            data = np.load(fh)
            terms = np.array(str(data[f"terms_{stemmer}"]).split("\n"))
            vectors = data["vectors"].astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        order = np.argsort(terms, kind="stable")
        keys, starts = np.unique(terms[order], return_index=True)
        ends = np.append(starts[1:], len(order))
        self._vectors = vectors[order]
        self._groups = {k: (int(s), int(e)) for k, s, e in zip(keys.tolist(), starts, ends, strict=True) if k}

    def mean_vectors(self, terms: list[str]) -> np.ndarray:
        """Return one unit vector per term (the mean of its word forms; zeros without a vector)."""
        out = np.zeros((len(terms), self._vectors.shape[1]), dtype=np.float32)
        for i, term in enumerate(terms):
            group = self._groups.get(term)
            if group is not None:
                v = self._vectors[group[0] : group[1]].mean(axis=0)
                out[i] = v / max(float(np.linalg.norm(v)), 1e-9)
        return out

    def __contains__(self, term: str) -> bool:
        return term in self._groups

    def similarity(self, left: list[str], right: list[str]) -> np.ndarray:
        """Return the matrix of best cosine between word forms of each pair (0 without vectors)."""
        out = np.zeros((len(left), len(right)), dtype=np.float32)
        a_rows, a_pos, a_starts = self._rows(left)
        b_rows, b_pos, b_starts = self._rows(right)
        if not a_pos or not b_pos:
            return out
        product = self._vectors[a_rows] @ self._vectors[b_rows].T
        reduced = np.maximum.reduceat(np.maximum.reduceat(product, a_starts, axis=0), b_starts, axis=1)
        out[np.ix_(a_pos, b_pos)] = reduced
        return out

    def _rows(self, terms: list[str]) -> tuple[np.ndarray, list[int], list[int]]:
        rows: list[int] = []
        positions: list[int] = []
        starts: list[int] = []
        for i, term in enumerate(terms):
            group = self._groups.get(term)
            if group is not None:
                positions.append(i)
                starts.append(len(rows))
                rows.extend(range(*group))
        return np.array(rows, dtype=np.intp), positions, starts
