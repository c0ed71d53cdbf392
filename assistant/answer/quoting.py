"""Quote the chosen sentence: extend it to what a reader needs (its subject, the list it announces),
pair it with an almost-as-good runner-up, and clip it to a window that starts at a clause."""

from __future__ import annotations

import re

from ..config import AnswerSettings
from ..language.text import Analyzer, normalise, word_count
from ..retrieve.index import Index
from .candidates import (
    Candidate,
    Choice,
    _announces,
    _document_text,
    _faq_question,
    _indent,
    _is_item,
    _leans_back,
)

# A sentence all in Markdown emphasis: "**Check the records.**", "__Tell someone.__".
_LEAD_IN = re.compile(r"\s*(\*\*|__)[^*_\n]{1,80}\1\s*$")


def quote_span(
    cand: Candidate, index: Index, analyzer: Analyzer, terms: list[str], settings: AnswerSettings
) -> tuple[int, int]:
    """Extend the chosen sentence to what a reader needs (its subject, a list it announces), then clip."""
    passage = cand.passage
    text = _document_text(passage, index)
    sentences = list(passage.sentences)
    i = next(j for j, s in enumerate(sentences) if s.start == cand.start)
    start, end = cand.start, cand.end
    sentence = text[start:end]
    asked_at = _faq_question(sentences, i)
    if asked_at is not None and asked_at + 1 < i:
        # "Nobody starts ..." is quoted from the start of the answer: "A: No. Nobody starts ...".
        begin = sentences[asked_at + 1].start
        if word_count(text[begin:end]) <= settings.context_words:
            start = begin
    if asked_at is not None and word_count(text[start:end]) <= 4 and i + 1 < len(sentences):
        # "A: No." alone says little: take the answer's next sentence with it.
        after = sentences[i + 1]
        if not after.is_question and word_count(text[start : after.end]) <= settings.context_words:
            end = after.end
    elif (
        start == cand.start  # not when the quote already opens at an FAQ answer's start
        and i > 0
        and _leans_back(sentence)
        and settings.max_sentences > 1  # the sentence and the one before it
    ):
        prev = sentences[i - 1]
        if not prev.is_question and word_count(text[prev.start : end]) <= settings.context_words:
            start = prev.start
    if _LEAD_IN.match(text[start:end]) and i + 1 < len(sentences) and end == cand.end:
        # "**Check the records.** Read the case file ...": a bold lead-in says what its sentence does.
        after = sentences[i + 1]
        if not after.is_question and word_count(text[start : after.end]) <= settings.max_words:
            end = after.end
    # A sentence that announces a list (ends with ':' or is followed by list items) takes the items;
    # one item of a list ("- LADO - the Local Authority ...") is quoted alone, unless it announces
    # items of its own ("* We refer it to the LADO:" / "    * Lin Blakelock: telephone 020 ...").
    quoted = text[start:end]
    nested = _is_item(quoted) and quoted.rstrip().endswith(":")
    j = len(sentences) if _is_item(quoted) and not nested else i + 1
    while j < len(sentences) and _announces(text[start:end], text[sentences[j].start : sentences[j].end]):
        if nested and _indent(text, sentences[j].start) <= _indent(text, start):
            break  # the next item of the same list, not one of the quoted item's own
        if word_count(text[start : sentences[j].end]) > settings.max_words:
            break
        end = sentences[j].end
        j += 1
    return _clip(text, start, end, analyzer, set(terms), min(settings.max_words, settings.clip_words))


def quote_spans(
    choice: Choice, index: Index, analyzer: Analyzer, terms: list[str], settings: AnswerSettings
) -> list[tuple[Candidate, int, int]]:
    """Return the span(s) to quote: the best sentence (extended), plus the runner-up when it scores
    almost as well and both fit in `pair_words` words (adjacent sentences become one span)."""
    best = choice.best
    start, end = quote_span(best, index, analyzer, terms, settings)
    spans = [(best, start, end)]
    other = choice.runner_up
    if other is None or best.score - other.score > settings.pair_margin:
        return spans
    text = _document_text(best.passage, index)
    if word_count(text[start:end]) + word_count(text[other.start : other.end]) > settings.pair_words:
        return spans
    if other.start >= start and other.end <= end:
        return spans
    other_text = _document_text(other.passage, index)[other.start : other.end]
    if normalise(other_text) == normalise(text[best.start : best.end]):
        return spans  # the document says it twice ("By adulthood, 26% of girls ..."): once is enough
    if other.passage.passage_id == best.passage.passage_id:
        sentences = best.passage.sentences
        i = next(j for j, s in enumerate(sentences) if s.start <= other.start < s.end)
        if i + 1 < len(sentences) and sentences[i + 1].start <= start and sentences[i + 1].end >= start:
            return [(best, other.start, end)]  # the runner-up sits just before the quote
        if i > 0 and sentences[i - 1].end >= end and sentences[i - 1].start < end:
            return [(best, start, other.end)]  # just after it
    return spans + [(other, other.start, other.end)]


def _clip(
    text: str, start: int, end: int, analyzer: Analyzer, terms: set[str], max_words: int
) -> tuple[int, int]:
    """Cut a span longer than `max_words` words to a window that starts at a clause.

    The window opens at the clause (sentence start, or after a comma, semicolon, colon or dash)
    holding the first question term, so the words that follow, where answers usually are, stay in.
    """
    # Words are counted as word_count counts them (a bullet "-" or a lone "&" is none), so a span the
    # quote's other rules let in at max_words is not cut here.
    tokens = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    words, opening, pending = [], [], None
    for a, b in tokens:
        if any(ch.isalnum() for ch in text[a:b]):
            words.append((a, b))
            # A window opening at this word takes the marks just before it ("- zebra", "• Staff").
            opening.append(a if pending is None else pending)
            pending = None
        elif pending is None:
            pending = a
    if len(words) <= max_words:
        return start, end
    hits = [bool(set(analyzer.terms(text[a:b])) & terms) for a, b in words]
    first = hits.index(True) if any(hits) else 0
    clause = 0
    for i in range(first, 0, -1):
        marks = text[words[i - 1][1] : words[i][0]].split()
        if text[words[i - 1][1] - 1] in ",;:" or any(m in ("-", "–", "—") for m in marks):
            clause = i
            break
    clause = min(clause, len(words) - max_words)
    # With no clause break near the question's words, take the window that holds the most of them.
    counts = [sum(hits[i : i + max_words]) for i in range(len(words) - max_words + 1)]
    best = max(counts)
    if counts[clause] < best:
        # Of the windows that hold the most, keep about ten words before the matched ones.
        last = len(counts) - 1 - counts[::-1].index(best)
        clause = max(counts.index(best), last - 10)
    return opening[clause], words[clause + max_words - 1][1]
