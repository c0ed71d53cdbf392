"""Acronyms a document defines ("Criminal Justice System (CJS)", "ATSA (Association for the Treatment
& Prevention of Sexual Abuse)"), so either form finds the other."""

from __future__ import annotations

import re

from .text import Analyzer

# "Long Form (ABBR)", "(ABBR, 2020)", or a bracket the source never closes: "(NOTA - and ATSA ...".
_DEFINITION = re.compile(r"\(([A-Z][A-Za-z]{1,9})(?:\)|\s*[,;]\s|\s+[-–—]\s)")
# "ABBR (Long Form ...)": the long form in brackets after the acronym. The bracket is found first (a
# pattern that opens with a literal character is searched for quickly) and the acronym just before it.
_BRACKETED = re.compile(r"\(([A-Z][^()]{4,150})\)")
_ACRONYM_AT_END = re.compile(r"\b([A-Z][A-Za-z]{1,9})\Z")
_WORD = re.compile(r"[A-Za-z][\w'’]*(?:-[A-Za-z][\w'’]*)*")
_OPTIONAL = frozenset("of and the for in on to a an &".split())


def find_acronyms(text: str, analyzer: Analyzer) -> dict[str, frozenset[str]]:
    """Return {acronym term: long-form terms} for each "Long Form (ABBR)" in `text`.

    The acronym's letters must be the initials of the words just before the bracket (small words
    such as "of" may give a letter or not); the first letter may be missing from the text, as in
    "Agency Public Protection Arrangements (MAPPA)" where "Multi-" was lost.
    """
    found: dict[str, set[str]] = {}
    for m in _DEFINITION.finditer(text):
        letters = [ch.lower() for ch in m.group(1) if ch.isupper()]
        if len(letters) < 2:
            continue
        words = _WORD.findall(text[max(0, m.start() - 200) : m.start()])[-(len(letters) + 4) :]
        long_form = _match(letters, words)
        if long_form is None and len(letters) > 2:
            long_form = _match(letters[1:], words)
        if not long_form:
            continue
        term = analyzer.term(m.group(1))
        terms = {t for w in long_form for t in analyzer.terms(w)} - {term}
        if term and len(terms) >= 2:
            found.setdefault(term, set()).update(terms)
    for acronym, long_form in _spelled_after(text):
        letters = [ch.lower() for ch in acronym if ch.isupper()]
        words = _WORD.findall(long_form)
        if len(letters) >= 2 and _abbreviates(letters, words):
            term = analyzer.term(acronym)
            terms = {t for w in words for t in analyzer.terms(w)} - {term}
            if term and len(terms) >= 2:
                found.setdefault(term, set()).update(terms)
    return {k: frozenset(v) for k, v in found.items()}


def _spelled_after(text: str):
    """Yield (acronym, bracketed words) for each "ABBR (Long Form ...)": a word of 2 to 10 letters that
    starts with a capital and a word boundary, then white space, then the bracket. The same pairs, in the
    same order, as finditer of the one pattern that tries every position of the text (a test compares)."""
    for m in _BRACKETED.finditer(text):
        end = m.start()
        while end and text[end - 1].isspace():
            end -= 1
        if end == m.start():
            continue
        # pos is an offset into the whole text, so \b still sees the character before the window.
        word = _ACRONYM_AT_END.search(text, max(0, end - 10), end)
        if word is not None:
            yield word.group(1), m.group(1)


def _abbreviates(letters: list[str], words: list[str]) -> bool:
    """Whether the capitalised words open with the acronym's first letter and hold all its letters in
    order, with at most two words to spare ("ATSA": Association, Treatment, (Prevention,) Sexual, Abuse)."""
    initials = [w[0].lower() for w in words if w[:1].isupper()]
    if not initials or initials[0] != letters[0] or len(initials) > len(letters) + 2:
        return False
    rest = iter(initials)
    return all(letter in rest for letter in letters)


def _match(letters: list[str], words: list[str]) -> list[str] | None:
    """Return the shortest run of trailing words whose initials spell `letters`, or None."""
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if _spells(letters, [_initials(w) for w in tail], [w.lower() in _OPTIONAL for w in tail]):
            return words[start:]
    return None


def _initials(word: str) -> str:
    return "".join(part[0].lower() for part in word.split("-") if part)


def _spells(letters: list[str], initials: list[str], optional: list[bool]) -> bool:
    if not initials:
        return not letters
    head, rest, more = initials[0], initials[1:], optional[1:]
    if optional[0] and _spells(letters, rest, more):
        return True  # a small word ("of") may be left out of the acronym
    # A hyphenated word ("Multi-Agency") may give one letter per part.
    return any(
        letters[:take] == list(head[:take]) and _spells(letters[take:], rest, more)
        for take in range(len(head), 0, -1)
    )
