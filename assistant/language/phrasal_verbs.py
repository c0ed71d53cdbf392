"""Phrasal verbs in a question ("set up", "carried out") are searched with the one verb a document would
use ("established", "conducted"): "Who set it up?" finds "The Home Office has now established ...".

The list is data/phrasal_verbs.txt. The verb is added beside the phrasal verb, not put in its place
("How was that found out?" still finds "it has been found that"), and only when the corpus has the verb
and does not use the phrasal verb itself. Only what is searched changes: the question shown
(`resolved_question`) and every quote stay as they were.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from importlib import resources

DATA_FILE = "data/phrasal_verbs.txt"
# One word may stand between the verb and its particle: "set it up", "bring abuse down".
_BETWEEN = r"(?:\s+[A-Za-z']+)?"


def _entries() -> list[tuple[re.Pattern, str]]:
    entries = []
    text = resources.files("assistant").joinpath(DATA_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        forms, rest = line.split("|")
        particle, verb = (part.strip() for part in rest.split("="))
        verbs = "|".join(re.escape(f) for f in forms.split())
        particles = r"\s+".join(re.escape(p) for p in particle.split())
        entries.append((re.compile(rf"\b(?:{verbs}){_BETWEEN}\s+{particles}\b", re.IGNORECASE), verb))
    return entries


class PhrasalVerbs:
    """Adds the verbs of a question's phrasal verbs for searching. Whether the corpus uses a phrasal verb
    itself is looked up the first time a question uses it (one pass over the texts) and kept."""

    def __init__(self, texts: Callable[[], Iterable[str]]) -> None:
        self._texts = texts
        self._entries = _entries()
        self._corpus_uses: dict[int, bool] = {}
        self._lock = threading.Lock()

    def _corpus_uses_entry(self, i: int) -> bool:
        with self._lock:
            if i not in self._corpus_uses:
                pattern = self._entries[i][0]
                self._corpus_uses[i] = any(pattern.search(t) for t in self._texts())
            return self._corpus_uses[i]

    def rewrite(self, question: str, in_corpus: Callable[[str], bool]) -> str:
        """Return the question with each phrasal verb followed by its verb, when the corpus has that
        verb (`in_corpus`: a verb no document uses would only be missed) and does not use the phrasal
        verb itself."""
        for i, (pattern, verb) in enumerate(self._entries):
            if pattern.search(question) and in_corpus(verb) and not self._corpus_uses_entry(i):
                question = pattern.sub(lambda m, verb=verb: f"{m.group(0)} {verb}", question)
        return question
