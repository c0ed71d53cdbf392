"""Typo correction against the corpus's own words: "acredited" -> "accredited", "MAPA" -> "MAPPA"."""

from __future__ import annotations

import re
import string
import threading
from collections import Counter
from collections.abc import Iterable

_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_LETTERS = string.ascii_lowercase
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
MAX_LENGTH = 30  # longer "words" are not typos of a word (and their edits are costly to list)


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


class Speller:
    """Knows the corpus's words and how often each occurs; built on first use (most questions have no
    typo, and a large corpus takes a moment to count)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = texts
        self._counts: Counter[str] | None = None
        self._lock = threading.Lock()

    def _vocabulary(self) -> Counter[str]:
        with self._lock:
            if self._counts is None:
                counts: Counter[str] = Counter()
                for text in self._texts:  # runs of letters: about 0.1 s a megabyte
                    counts.update(_LETTER_RUNS.findall(text.lower()))
                self._counts = counts
            return self._counts

    def correct(self, word: str, within: Iterable[str] | None = None) -> str | None:
        """The corpus word one edit away from `word` (the most frequent; None if none, or a tie).

        With `within` (the texts of the documents asked about), their words come first, by how often
        they use them: asked of one article, "stong" is its "strong", not another article's "stone";
        when they have none of the candidates, the whole corpus's words are used.
        The caller decides which words may be typos: only words the corpus and the word list lack.
        """
        lower = word.lower()
        if not MIN_LENGTH <= len(lower) <= MAX_LENGTH or not lower.isalpha():
            return None
        counts = self._vocabulary()
        known = [w for w in edits1(lower) if w in counts]
        if within is not None and known:
            # One pass over each text for all the candidates (whole words, any case).
            pattern = re.compile(r"\b(" + "|".join(known) + r")\b", re.IGNORECASE)
            local = Counter(m.lower() for t in within for m in pattern.findall(t))
            if local:
                counts = local
        found = sorted(((counts[w], w) for w in known if counts[w]), reverse=True)
        if not found or (len(found) > 1 and found[0][0] == found[1][0]):
            return None
        return _same_case(found[0][1], word)


def _same_case(corrected: str, typed: str) -> str:
    if typed.isupper() or any(c.isupper() for c in typed[1:]):  # "MAPA", "vBSN"
        return corrected.upper()
    if typed[:1].isupper():
        return corrected[:1].upper() + corrected[1:]
    return corrected
