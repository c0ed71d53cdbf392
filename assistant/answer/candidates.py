"""Choose the sentence that answers a question: score every sentence of the best passages on how well
it matches the question and whether it holds the kind of answer asked for (quoting.py quotes it)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..config import AnswerSettings
from ..ingest.document import Passage
from ..language.text import (
    BULLET,
    ENUMERATOR,
    STEP_WORDS,
    Analyzer,
    capital_runs,
    capital_spans,
    tokenize,
)
from ..language.word_vectors import WordVectors
from ..retrieve.index import Hit, Index
from .confidence import evidence
from .kinds import (
    LIST_QUESTION,
    asks_for_ranking,
    defines,
    definition_target,
    expected_type,
    has_new_digits,
    has_type,
    labelled_numbers,
    needs_typed_answer,
    ranking_unmet,
)

# "First, ...", "Secondly ...", "Finally, ...": a sentence that is one step of a list in prose.
_ORDINAL_OPENING = re.compile(
    r"(?:^|(?<=[.!?]\s))\s*(" + "|".join([*STEP_WORDS, "next", "then"]) + r")\b,?",
    re.IGNORECASE,
)
_COUNT_WORDS = frozenset("two three four five six seven eight nine ten several".split())
_PRONOUN_START = frozenset("it its this these they their such that those he she".split())


@dataclass(frozen=True, slots=True)
class Candidate:
    passage: Passage
    hit: Hit
    start: int
    end: int
    coverage: float
    score: float
    is_question: bool
    # Evidence about this candidate, combined into the answer's confidence.
    features: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Choice:
    best: Candidate | None
    runner_up: Candidate | None
    question: Candidate | None  # the best sentence that is itself a question


def choose(
    question: str,
    terms: list[str],
    hits: list[Hit],
    index: Index,
    analyzer: Analyzer,
    settings: AnswerSettings,
    vectors: WordVectors | None = None,
    carried: frozenset[str] = frozenset(),
    acronyms: dict[str, frozenset[str]] | None = None,
    trace: list | None = None,
    subjects: dict[str, str] | None = None,
    meaning: tuple | None = None,
    checker=None,
) -> Choice:
    """Return the best answering sentence, the runner-up, and the best question sentence (each may be None).

    A sentence's coverage is the rarity-weighted share of the question's terms it contains; a term
    it lacks earns partial credit from its closest near-synonym in the sentence ("jail" ~ "prison").
    The steps: weigh the question's terms and read what kind of answer it wants (_Asked); take the
    best passages and the terms of their sentences and headings (_Pool); score every sentence of
    every passage (_score_passage), keeping the best, the runner-up and the best question sentence
    (_Tally); then add the evidence the confidence is computed from to the best (_add_evidence).
    `meaning` is (sentence vectors, question vector): the encoder's cosine of question and sentence is
    then one more sentence feature ("dense") and evidence for the confidence. `checker` (the answer
    checker, answer.checker) reads the question with each of the best few sentences: its probability
    joins their scores, may change which is best, and is evidence for the confidence ("checked"); not
    for a follow-up that carries words from the history.
    """
    if not hits or not terms:
        return Choice(None, None, None)
    q = _Asked.read(question, terms, hits, index, analyzer, settings, vectors, carried)
    q.meaning = meaning
    pool = _Pool.read(q, hits, index, analyzer, settings, vectors, acronyms or {}, subjects or {})
    tally = _Tally()
    for rank, hit in enumerate(pool.hits):
        _score_passage(q, pool, rank, hit, tally, index, analyzer, settings, vectors, trace)
    if tally.best is not None:
        # The checker learned from questions asked in their own words; a follow-up resolved with words
        # carried from the history ("Who is it for? (law MAPPA)") is decided without it.
        checked = _recheck(question, tally, index, settings, checker) if checker and not carried else None
        _add_evidence(q, tally, index, subjects or {})
        if checked is not None:
            tally.best.features["checked"] = checked
    return Choice(tally.best, tally.runner_up, tally.best_q)


def _recheck(question: str, tally: _Tally, index: Index, settings: AnswerSettings, checker) -> float:
    """Let the answer checker read the question with the best answer.checker_candidates sentences;
    score + answer.checker_weight x its probability picks the best and the runner-up among them.
    Return the best one's probability."""
    top = sorted(tally.offered, key=lambda c: -c.score)[: settings.checker_candidates]
    probability = {
        id(c): checker.score(question, _document_text(c.passage, index)[c.start : c.end]) for c in top
    }
    top.sort(key=lambda c: -(c.score + settings.checker_weight * probability[id(c)]))
    tally.best = top[0]
    if len(top) > 1:
        tally.runner_up = top[1]
    return probability[id(top[0])]


@dataclass(slots=True)
class _Asked:
    """What choose() reads off the question once: its terms' weights and the kind of answer it wants."""

    question: str
    terms: list[str]
    weights: np.ndarray
    total: float
    is_carried: np.ndarray
    kind: str | None
    needs_typed: bool  # "How many ...?", "When did ...?": only a sentence with a number or a time answers
    target: str | None  # what a "What is X?" question asks to define
    named_number: np.ndarray | None
    wants_list: bool
    wants_rank: bool
    asked: str  # the words the user asked, without the topic words a follow-up carries in brackets
    qwords: set[str]
    labels: list
    top: float
    qset: set[str]
    term_at: dict[str, int]
    lower: set[str]  # question terms that name no name
    vector: np.ndarray | None  # the question's word-vector bag (only when the "semantic" weight is on)
    bigrams: set  # pairs of adjacent question terms
    echo: set  # pairs of adjacent question words, stopwords included, wh-words left out
    meaning: tuple | None = None  # (SentenceVectors, the question's vector) when the encoder is on

    @classmethod
    def read(cls, question, terms, hits, index, analyzer, settings, vectors, carried) -> _Asked:
        weights = np.array([index.rarity(t) for t in terms])
        weights = _one_weight_per_name(question, terms, weights, analyzer)
        # "Who makes the final decision?" - "... the independent chair, whose decision is final": a light
        # verb or a vague modifier ("possible outcomes") says little, and the answer seldom repeats it.
        weights = np.where([t in _light_terms(analyzer) for t in terms], weights * LIGHT_WORD_WEIGHT, weights)
        is_carried = np.array([t in carried for t in terms])
        if is_carried.any() and not is_carried.all():
            # Topic words carried from an earlier turn share `carried_weight` of the total; the question's
            # own words ("What about prevention?") keep the rest, however common they are.
            own, old = weights[~is_carried].sum(), weights[is_carried].sum()
            share = settings.carried_weight
            weights = np.where(is_carried, weights * share / old, weights * (1 - share) / own)
        kind = expected_type(question)
        # "What is Childline's number?": a sentence with a new number ("Childline: 0800 1111") gives the
        # number the question names. (The same credit for "year" or "name" loses 1-18 SQuAD questions.)
        named_number = np.array([t in _number_nouns(analyzer) for t in terms]) if kind == "number" else None
        # A carried "never" is no negation of this question, and a carried "2003" may be its answer.
        asked = question[: question.rfind(" (")] if carried and question.endswith(")") else question
        q_order = analyzer.terms(question)
        q_all = [t for t in analyzer.all_terms(question) if t not in _WH_WORDS]
        return cls(
            question=question,
            terms=terms,
            weights=weights,
            total=float(weights.sum()),
            is_carried=is_carried,
            kind=kind,
            needs_typed=needs_typed_answer(question),
            target=definition_target(question, analyzer),
            named_number=named_number,
            wants_list=bool(LIST_QUESTION.match(question)),
            # "Which therapy works best?": a sentence that ranks ("... are most effective") is likelier.
            wants_rank=asks_for_ranking(question),
            asked=asked,
            qwords={t.text.lower() for t in tokenize(asked)},
            labels=labelled_numbers(asked),
            top=hits[0].score or 1.0,
            qset=set(terms),
            term_at={t: i for i, t in enumerate(terms)},
            lower=_lower_terms(asked, analyzer) & set(terms),  # question words that name no name
            vector=_bag_vector(terms, index, vectors, weights) if SENTENCE_WEIGHTS["semantic"] else None,
            bigrams=set(zip(q_order, q_order[1:], strict=False)),
            echo=set(zip(q_all, q_all[1:], strict=False)),
        )


@dataclass(slots=True)
class _Pool:
    """The passages choose() looks in, their sentences' and headings' terms, and the synonym credit."""

    hits: list[Hit]
    subject_terms: dict
    sentence_terms: dict[str, list[list[str]]]
    heading_terms: dict[str, list[str]]
    column: dict[str, int]
    credit: np.ndarray

    @classmethod
    def read(cls, q: _Asked, hits, index, analyzer, settings, vectors, acronyms, subjects) -> _Pool:
        # An entry of the reference list names a source; it never answers a question.
        pool = [h for h in hits[: settings.candidate_passages] if h.passage.kind != "reference"]
        subject_terms = _subject_terms(q.question, q.terms, pool, subjects, analyzer)
        sentence_terms = {}
        for hit in pool:
            text = _document_text(hit.passage, index)
            sentence_terms[hit.passage.passage_id] = [
                list(analyzer.cached_terms(text[s.start : s.end])) for s in hit.passage.sentences
            ]
        # A passage's section heading ("What counts as an allegation") is context for each of its
        # sentences, and so is a table's header row ("| Role | Name | Phone |") for each of its rows.
        heading_terms = {
            hit.passage.passage_id: list(
                analyzer.cached_terms(hit.passage.section + " " + _table_header(hit.passage))
            )
            for hit in pool
        }
        vocabulary = sorted(
            {t for per in sentence_terms.values() for ts in per for t in ts}
            | {t for ts in heading_terms.values() for t in ts}
        )
        column = {t: i for i, t in enumerate(vocabulary)}
        credit = _synonym_credit(q.terms, vocabulary, vectors, settings)
        _acronym_credit(credit, q.terms, column, acronyms, settings)
        return cls(pool, subject_terms, sentence_terms, heading_terms, column, credit)


@dataclass(slots=True)
class _Tally:
    """The best answering sentence so far, the runner-up, the best question sentence, and what
    _add_evidence needs of the sentences seen."""

    best: Candidate | None = None
    runner_up: Candidate | None = None
    best_q: Candidate | None = None
    passage_match: dict[str, np.ndarray] = field(default_factory=dict)
    exact_cov: dict[int, float] = field(default_factory=dict)
    best_bigrams: dict[int, float] = field(default_factory=dict)
    best_match: dict[int, np.ndarray] = field(default_factory=dict)
    dense_of: dict[int, float] = field(default_factory=dict)
    dense_best: float = -1.0
    offered: list[Candidate] = field(default_factory=list)  # every answering sentence scored

    def offer_question(self, cand: Candidate, sentences, i: int) -> None:
        # A question the passage goes on to answer (an FAQ) is not left open by the document.
        answered_here = _faq_question(sentences, i + 1) == i
        if not answered_here and (self.best_q is None or cand.score > self.best_q.score):
            self.best_q = cand

    def offer(self, cand: Candidate, f: dict, context: np.ndarray) -> None:
        self.offered.append(cand)
        self.exact_cov[cand.start] = f["exact"]
        self.best_match[cand.start] = context
        self.best_bigrams[cand.start] = f["bigrams"]
        self.dense_of[cand.start] = f["dense"]
        self.dense_best = max(self.dense_best, f["dense"])
        if self.best is None or cand.score > self.best.score:
            self.best, self.runner_up = cand, self.best
        elif self.runner_up is None or cand.score > self.runner_up.score:
            self.runner_up = cand


def _passage_matches(
    q: _Asked, pool: _Pool, hit: Hit, text: str, analyzer, settings
) -> tuple[list[np.ndarray], np.ndarray | None]:
    """How well each sentence of the passage matches each question term (1.0: the term itself), and
    the best match of each term anywhere in the passage (None for a passage without sentences)."""
    passage = hit.passage
    matched = [
        _matched(q.terms, ts, pool.credit, pool.column) for ts in pool.sentence_terms[passage.passage_id]
    ]
    named = pool.subject_terms.get(passage.doc_id)
    if named is not None and named.any():
        # "Who do I report a concern to at City Evangelical Church?": the document is that church's
        # policy, so each of its sentences is about the church whether it names it or not.
        matched = [np.where(named, 1.0, m) for m in matched]
    if settings.inner_name_credit < 1.0 and q.lower:
        # "How does COSA support sex offenders?" is not matched by "Circles of Support and
        # Accountability" or "Child Sex Offender Disclosure Scheme": those words name something else.
        for i, sent in enumerate(passage.sentences):
            for t in _inside_names(text[sent.start : sent.end], analyzer) & q.lower:
                matched[i][q.term_at[t]] *= settings.inner_name_credit
    heading_terms = pool.heading_terms[passage.passage_id]
    if matched and heading_terms and settings.heading_credit > 0:
        heading = _matched(q.terms, heading_terms, pool.credit, pool.column)
        matched = [np.maximum(m, heading * settings.heading_credit) for m in matched]
    if not matched:
        return matched, None
    whole = np.max(matched, axis=0)
    if q.is_carried.any():
        # The earlier topic only has to be in the passage: the answer need not repeat it.
        topic = np.where(q.is_carried, whole, 0.0)
        matched = [np.maximum(m, topic) for m in matched]
    return matched, whole


def _score_passage(
    q: _Asked, pool: _Pool, rank: int, hit: Hit, tally: _Tally, index, analyzer, settings, vectors, trace
) -> None:
    """Score each sentence of one passage and offer it to the tally."""
    passage = hit.passage
    text = _document_text(passage, index)
    per_sentence = pool.sentence_terms[passage.passage_id]
    matched, whole = _passage_matches(q, pool, hit, text, analyzer, settings)
    if whole is not None:
        tally.passage_match[passage.passage_id] = whole
    seen: dict[int, dict] = {}
    # A table's header row ("| Contact | Role | Phone |") is context for its rows, never an answer.
    header_rows = 1 if _table_header(passage) else 0
    for i, sent in enumerate(passage.sentences):
        if i < header_rows:
            continue
        sentence = text[sent.start : sent.end]
        context = matched[i]
        # A sentence opening with "It"/"This" leans on the one before it for its subject.
        # So does a list item's second sentence ("* We notify Ofsted of any allegation against
        # staff. Notifications are made within 14 days."): the item's opening gives its subject.
        leans = i > 0 and (
            _leans_back(sentence) or (passage.kind == "list" and _continues_item(text, passage, i))
        )
        if leans:
            context = np.maximum(context, matched[i - 1])
        asked_at = _faq_question(passage.sentences, i)
        if asked_at is not None:
            # An FAQ's answer ("A: No. Nobody starts ...") takes its subject from the question above it.
            context = np.maximum(context, matched[asked_at])
        # Whether the sentence holds the kind of answer asked for; None when no kind is expected.
        typed = has_type(sentence, q.kind, q.qwords) if q.kind else None
        if (
            typed
            and q.named_number is not None
            and q.named_number.any()
            and has_new_digits(sentence, q.qwords)
        ):
            matched[i] = np.where(q.named_number, 1.0, matched[i])
            context = np.where(q.named_number, 1.0, context)
        f = _features(
            q,
            hit,
            rank,
            i,
            sentence,
            text,
            per_sentence[i],
            matched[i],
            context,
            typed,
            leans,
            index,
            analyzer,
            vectors,
        )
        _borrow_features(f, seen, i, asked_at, leans)
        seen[i] = f
        score = sum(SENTENCE_WEIGHTS[k] * v for k, v in f.items())
        cand = Candidate(
            passage,
            hit,
            sent.start,
            sent.end,
            max(f["coverage"], f["context_coverage"]),
            score,
            sent.is_question,
        )
        if trace is not None:
            trace.append((cand, f))
        if sent.is_question:
            tally.offer_question(cand, passage.sentences, i)
        elif not (q.needs_typed and typed is False):
            tally.offer(cand, f, context)


def _features(
    q: _Asked, hit, rank, i, sentence, text, terms, match, context, typed, leans, index, analyzer, vectors
) -> dict:
    """The sentence's features, each weighed by SENTENCE_WEIGHTS into its score (in this order)."""
    passage, total, weights = hit.passage, q.total, q.weights
    sentences = passage.sentences
    return {
        "coverage": float(match @ weights) / total,
        "context_coverage": float(context @ weights) / total,
        "exact": float((match == 1.0) @ weights) / total,
        "bigrams": len(q.bigrams & set(zip(terms, terms[1:], strict=False))) / len(q.bigrams)
        if q.bigrams
        else 0.0,
        "passage_ratio": hit.score / q.top,
        "top_passage": 1.0 if rank == 0 else 0.0,
        "type_ok": 1.0 if typed is True else 0.0,
        "type_missing": 1.0 if typed is False else 0.0,
        "no_novelty": 1.0 if not set(terms) - q.qset else 0.0,
        "log_words": math.log1p(len(terms)),
        "first_sentence": 1.0 if i == 0 else 0.0,
        "defines": 1.0 if q.target and defines(sentence, q.target, analyzer) else 0.0,
        # "What are the recommendations?": a sentence followed by the items it announces.
        "lists": 1.0
        if q.wants_list
        and i + 1 < len(sentences)
        and _announces(sentence, text[sentences[i + 1].start : sentences[i + 1].end])
        else 0.0,
        "echo": _echo(q.echo, sentence, analyzer) if q.echo else 0.0,
        "label_match": _label_match(q.labels, sentence, text[passage.start : passage.start + 40])
        if q.labels
        else 0.0,
        "leans": 1.0 if leans else 0.0,
        "ranks": 1.0 if q.wants_rank and not ranking_unmet(q.question, sentence) else 0.0,
        # Off by default: it finds 4 more dev paraphrases but loses 0.5-1.4 points on SQuAD.
        "semantic": _cosine(q.vector, _bag_vector(terms, index, vectors)) if q.vector is not None else 0.0,
        # The encoder's cosine of question and sentence: meaning, whatever the words.
        "dense": q.meaning[0].similarity(q.meaning[1], passage.doc_id, sentences[i].start)
        if q.meaning
        else 0.0,
    }


def _borrow_features(f: dict, seen: dict[int, dict], i: int, asked_at: int | None, leans: bool) -> None:
    """Let a sentence take features from the sentence it depends on."""
    if asked_at is not None:
        # The answer matches the question as well as the question line does ("Q: ...?").
        for k in ("coverage", "exact", "bigrams", "echo"):
            f[k] = max(f[k], seen[asked_at][k])
    elif leans and (i - 1) in seen:
        # "What hypothesis ...?": "This hypothesis is called the Cobham-Edmonds thesis." names what
        # the sentence before it describes in the question's words (quoted with it when both fit).
        for k in ("exact", "bigrams", "echo"):
            f[k] = max(f[k], LEAN_SHARE * seen[i - 1][k])


def _add_evidence(q: _Asked, tally: _Tally, index, subjects: dict[str, str]) -> None:
    """Add to the best sentence's features the evidence its confidence is computed from."""
    best = tally.best
    scores = sorted((c.score for c in tally.offered), reverse=True)
    best.features.update(
        evidence(
            q.asked,
            q.terms,
            q.weights,
            best,
            tally.passage_match[best.passage.passage_id],
            _document_text(best.passage, index),
            q.kind,
            q.qwords,
            subjects.get(best.passage.doc_id, ""),
        )
    )
    best.features["exact_coverage"] = tally.exact_cov[best.start]
    sentence_match = tally.best_match[best.start]
    best.features["missing_exact"] = float((sentence_match < 1.0).sum())
    best.features["missing_soft"] = float((sentence_match < 0.5).sum())
    best.features["matched_share"] = float((sentence_match >= 0.5).mean())
    best.features["coverage_squared"] = best.coverage**2
    best.features["bigrams"] = tally.best_bigrams[best.start]
    best.features["margin"] = scores[0] - scores[1] if len(scores) > 1 else 1.0
    if q.meaning:
        best.features["dense"] = tally.dense_of[best.start]
        best.features["dense_gap"] = tally.dense_of[best.start] - tally.dense_best


# Weights of the sentence features in a sentence's score (fitted by tools/fit_models.py).
SENTENCE_WEIGHTS = {
    "coverage": 0.4,
    "context_coverage": 1.0,
    "exact": 0.3,
    "bigrams": 0.25,
    "passage_ratio": 0.2,
    "top_passage": 0.0,
    "type_ok": 0.4,
    "type_missing": 0.1,
    "no_novelty": -0.3,
    "log_words": 0.0,
    "first_sentence": 0.0,
    "defines": 0.5,
    "lists": 0.3,
    "echo": 0.3,
    "label_match": 0.6,
    "leans": 0.0,
    "ranks": 0.5,
    "semantic": 0.0,
    # Fitted by tools/fit_semantic.py on SQuAD train-10, half A and the dev set (best sentence holds the
    # gold: 0.737 -> 0.751 on A, 0.725 -> 0.752 on train-10, 0.660 -> 0.708 on dev, against weight 0).
    "dense": 1.0,
}
# A sentence that leans on the one before it shares that sentence's wording at this weight.
LEAN_SHARE = 0.7
_WH_WORDS = frozenset("what which who whom whose when where why how".split())


LIGHT_WORD_WEIGHT = 0.5
_LIGHT_WORDS = (
    "make makes made making take takes took taken taking give gives gave given giving get gets got getting "
    "go goes went gone going put puts putting come comes came coming "
    # Vague modifiers: "What are the possible outcomes?" asks for the outcomes.
    "possible various different specific particular certain"
)


@lru_cache(maxsize=4)
def _number_nouns(analyzer: Analyzer) -> frozenset[str]:
    return frozenset(analyzer.terms("number numbers"))


@lru_cache(maxsize=4)
def _light_terms(analyzer: Analyzer) -> frozenset[str]:
    return frozenset(analyzer.terms(_LIGHT_WORDS))


def _label_match(question_labels: set[tuple[str, str]], sentence: str, opening: str) -> float:
    """1 when the sentence, or the opening of its paragraph ("Stage 3: ..."), names the question's
    "stage 3"; -1 when it names another stage instead."""
    found = labelled_numbers(sentence) | labelled_numbers(opening)
    if found & question_labels:
        return 1.0
    labels = {label for label, _ in question_labels}
    return -1.0 if any(label in labels for label, _ in found) else 0.0


_JOINERS = ("of", "for", "and", "the", "on")


def _one_weight_per_name(
    question: str, terms: list[str], weights: np.ndarray, analyzer: Analyzer
) -> np.ndarray:
    """A name of several words ("Sex Offender Treatment Programme") is one thing the question asks about:
    its words share the weight of about one word, so a sentence that only repeats the name does not
    cover most of the question."""
    out = weights.astype(np.float64).copy()
    for run in capital_runs(tokenize(question), _JOINERS):
        if sum(w[:1].isupper() for w in run) < 2:
            continue  # "Home Office", "Sex Offender Treatment Programme": two capitalised words or more
        stems = {t for w in run for t in analyzer.terms(w)}
        idx = [i for i, t in enumerate(terms) if t in stems]
        if len(idx) >= 2:
            out[idx] = out[idx] / len(idx)
    return out


def _table_header(passage: Passage) -> str:
    """The header row of a passage that is a Markdown table ("| Role | Name | Phone |"), else ""."""
    if not passage.text.startswith("|") or not passage.sentences:
        return ""
    first = passage.sentences[0]
    return passage.text[first.start - passage.start : first.end - passage.start]


def _faq_question(sentences, i: int) -> int | None:
    """For a sentence of the answer below a question ("Q: ...?" / "A: No. Nobody starts ..."), the index
    of that question (up to three sentences back, with no other question between); else None."""
    if not 0 < i < len(sentences) or sentences[i].is_question:
        return None
    for j in range(i - 1, max(i - 4, -1), -1):
        if sentences[j].is_question:
            return j
    return None


def _echo(q_echo: set, sentence: str, analyzer: Analyzer) -> float:
    """Share of the question's word pairs, function words included, that the sentence repeats."""
    return len(q_echo & _word_pairs(analyzer, sentence)) / len(q_echo)


@lru_cache(maxsize=8192)
def _word_pairs(analyzer: Analyzer, sentence: str) -> frozenset[tuple[str, str]]:
    # Sentences of the passages retrieved for questions recur: keep their pairs (about 3 KB each).
    words = analyzer.all_terms(sentence)
    return frozenset(zip(words, words[1:], strict=False))


def _lower_terms(question: str, analyzer: Analyzer) -> frozenset[str]:
    """The terms of the words the question writes in lower case ("support", not "Support"); its first
    word counts as lower case unless it is all capitals ("COSA")."""
    toks = tokenize(question)
    lower = [
        tok for i, tok in enumerate(toks) if not tok.text[:1].isupper() or (i == 0 and not tok.text.isupper())
    ]
    return frozenset(t for tok in lower for t in analyzer.terms(tok.text))


@lru_cache(maxsize=8192)
def _inside_names(sentence: str, analyzer: Analyzer) -> frozenset[str]:
    """Terms the sentence has only as inner words of a name of two or more capitalised words:
    "support" and "sex offender" in "Circles of Support and Accountability" and "Child Sex Offender
    Disclosure Scheme". A name's first and last words often say what it is ("Act", "River") and
    are not counted."""
    toks = tokenize(sentence)
    inner = [False] * len(toks)
    for i, end in capital_spans(toks, _JOINERS):
        j = end - 1
        while not toks[j].text[:1].isupper():
            j -= 1  # a run ends at a capitalised word, not at "of"
        if sum(toks[k].text[:1].isupper() for k in range(i, j + 1)) >= 2:
            inner[i + 1 : j] = [True] * max(j - i - 1, 0)
    inside, outside = set(), set()
    for tok, flag in zip(toks, inner, strict=True):
        term = analyzer.term(tok.text)
        if term is not None:
            (inside if flag else outside).add(term)
    return frozenset(inside - outside)


def _acronym_credit(credit, terms, column, acronyms, settings: AnswerSettings) -> None:
    """Let an acronym and its spelled-out words ("CJS", "criminal justice system") match each other."""
    qset = set(terms)
    for short, words in acronyms.items():
        if short in qset:
            cols = [column[w] for w in words if w in column]
            row = terms.index(short)
            credit[row, cols] = np.maximum(credit[row, cols], settings.synonym_credit)
        if short in column and len(words & qset) >= 2:
            for i, t in enumerate(terms):
                if t in words:
                    credit[i, column[short]] = max(credit[i, column[short]], settings.synonym_credit)


def _bag_vector(terms: list[str], index: Index, vectors, weights=None) -> np.ndarray | None:
    """Return the rarity-weighted sum of the terms' word vectors (None without vectors)."""
    if vectors is None or not terms:
        return None
    if weights is None:
        weights = np.array([index.rarity(t) for t in terms])
    return (vectors.mean_vectors(terms) * np.asarray(weights, dtype=np.float32)[:, None]).sum(axis=0)


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm > 0 else 0.0


def _synonym_credit(terms: list[str], vocabulary: list[str], vectors, settings: AnswerSettings) -> np.ndarray:
    """Return the partial credit each question term earns from each vocabulary term (0 to synonym_credit)."""
    if vectors is None or not vocabulary or settings.synonym_credit <= 0:
        return np.zeros((len(terms), len(vocabulary)), dtype=np.float32)
    sim = vectors.similarity(terms, vocabulary)
    span = max(settings.synonym_high - settings.synonym_low, 1e-6)
    return np.clip((sim - settings.synonym_low) / span, 0.0, 1.0) * settings.synonym_credit


def _matched(
    terms: list[str], sentence_terms: list[str], credit: np.ndarray, column: dict[str, int]
) -> np.ndarray:
    present = set(sentence_terms)
    cols = [column[t] for t in present]
    out = credit[:, cols].max(axis=1) if cols else np.zeros(len(terms), dtype=np.float32)
    exact = np.array([t in present for t in terms])
    return np.where(exact, 1.0, out).astype(np.float64)


# A list item's marker at the start of a sentence: a bullet ("- ", "* ") or a number ("(iv) ", "B) ").
_ITEM_MARKER = re.compile(r"\s*(?:" + BULLET.pattern + "|" + ENUMERATOR.pattern + ")", re.IGNORECASE)


def _leans_back(sentence: str) -> bool:
    """Whether the sentence opens with a pronoun that needs the one before it ("It ...", "* These
    records are ...": a list item's marker is not its first word)."""
    marker = _ITEM_MARKER.match(sentence)
    words = sentence[marker.end() if marker else 0 :].split(None, 1)
    return bool(words) and words[0].lower() in _PRONOUN_START


def _continues_item(text: str, passage: Passage, i: int) -> bool:
    """Whether sentence i of a list goes on with the item the sentence before it opened."""
    sentence, before = passage.sentences[i], passage.sentences[i - 1]
    return not _is_item(text[sentence.start : sentence.end]) and _is_item(text[before.start : before.end])


def _indent(text: str, at: int) -> int:
    """The number of spaces and tabs before `at` on its line."""
    line_start = text.rfind("\n", 0, at) + 1
    return at - line_start if not text[line_start:at].strip() else 0


def _is_item(quoted: str) -> bool:
    return _ITEM_MARKER.match(quoted) is not None


def _announces(quoted: str, following: str) -> bool:
    """Tell whether `following` continues a list that `quoted` announces or has begun.

    A colon, an item marker ("(ii) ", "b) ", "3. "), or sentences that open "First, ...", "Second, ..."
    after a count ("The review makes five recommendations.").
    """
    if quoted.rstrip().endswith(":") or _is_item(following):
        return True
    step = _ORDINAL_OPENING.match(following)
    if step is None or not {t.text.lower() for t in tokenize(quoted)} & _COUNT_WORDS:
        return False
    # The count opens the quote: its first step, then each next one ("Second, ..." after "First, ...").
    return step.group(1).lower() in ("first", "firstly") or _ORDINAL_OPENING.search(quoted) is not None


def _subject_terms(question: str, terms: list[str], pool, subjects: dict[str, str], analyzer: Analyzer):
    """For each document of the pool, which of the question's terms come from capitalised words that
    its subject (title, publisher, author) names: "City Evangelical Church" in a question asked of
    that church's policy. None of them when they are all the question asks about."""
    capitalised = {
        t for tok in tokenize(question)[1:] if tok.text[:1].isupper() for t in [analyzer.term(tok.text)] if t
    }
    out = {}
    for doc_id in {h.passage.doc_id for h in pool}:
        subject = subjects.get(doc_id)
        if not subject or not capitalised:
            continue
        named = set(analyzer.cached_terms(subject)) & capitalised  # one analysis per document
        flags = np.array([t in named for t in terms])
        if flags.any() and not flags.all():
            out[doc_id] = flags
    return out


def _document_text(passage: Passage, index: Index) -> str:
    return index.texts[passage.doc_id]
