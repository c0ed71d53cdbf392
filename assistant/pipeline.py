"""Assistant.ask(question, history): retrieve, choose, quote, cite; the one entry point."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .answer.candidates import Choice, choose
from .answer.chat import asks_nothing
from .answer.confidence import confidence
from .answer.followup import Resolution, Turn, parse_history, refers_to_listed_item, refers_to_person, resolve
from .answer.kinds import (
    STANDS_FOR,
    TIME_LIMIT,
    asked_abbreviation,
    asks_for_count,
    asks_for_phone,
    expected_type,
    has_phone,
    has_type,
    ranking_unmet,
    spells_out,
)
from .answer.objects import (
    ANSWERED,
    MESSAGES,
    NOT_FOUND,
    NOTHING_TO_LOOK_UP,
    OPEN_QUESTION,
    QUOTE_SEPARATOR,
    Answer,
    Citation,
    PassageRef,
    make_citation,
    passage_refs,
)
from .answer.quoting import quote_spans
from .config import Settings, load_settings
from .errors import CorpusError, NotFoundError, QueryError
from .ingest.corpus import load_corpus
from .ingest.document import CorpusPassages, Document, Passage
from .language.acronyms import find_acronyms
from .language.phrasal_verbs import PhrasalVerbs
from .language.spelling import Speller
from .language.text import Analyzer, normalise, split_sentences, stopwords, tokenize, word_count
from .language.word_vectors import WordVectors
from .retrieve.index import Hit, Index
from .retrieve.sentence_vectors import SentenceVectors
from .retrieve.store import index_root

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
# Up to this many passages, a question BM25 scores 0 everywhere is ranked by word rarity instead.
FALLBACK_PASSAGES = 5000
RECALL_TURNS = 3  # earlier turns used to re-derive an answer a history item left out
# "How many", "how long": the second word asks for a kind of answer (a number, a time); an answer
# rarely repeats it, so it is not searched (the answer type check still sees it). Nor is "deadline"
# or "time limit" ("What's the deadline for reporting ...?": "... at the latest within 12 hours").
_HOW_OPERATOR = re.compile(r"\bhow\s+(?:many|much|long|often|far|old|soon|quickly)\b", re.IGNORECASE)
# "Does the author think ...", "What does the article say about ...", "according to the report": words
# about the document, not about its content. They are not searched ("recommend", "suggest" stay).
_WRITING = r"(?:the|this) (?:author|writer|article|document|paper|report|guidance)"
_META = re.compile(
    rf"\b(?:according to|in the view of) {_WRITING}\b"
    rf"|\b(?:does|do|did|would) {_WRITING}(?: (?:think|say|believe|feel|state|mention|tell us|talk)\b)?"
    # "what does guidance say about ...", typed without "the": only with a verb of saying.
    r"|\b(?:does|do|did) (?:article|document|paper|report|guidance|policy|procedure) "
    r"(?:say|state|mention|tell us|talk)\b"
    r"|\b(?:the|this) (?:author|writer)(?:'s)? (?:thinks?|says?|believes?|feels?|views?|opinions?)\b"
    # "Define ...", "Explain ...", "Tell me about ...": how the request is put, not what it is about.
    r"|^\s*(?:please\s+)?(?:define|explain|describe|summari[sz]e|outline|tell me about)\b"
    # "What did the early programmes look like?": asks for a description; the answer never says "look".
    r"|\b(?:look|looks|looked) like\W*$"
    # "cases like this", "this situation": the case is the one described before the question.
    r"|\b(?:cases?|situations?|circumstances|scenarios?) like (?:this|that|these|those|mine|ours)\b"
    r"|\b(?:this|that|such an?|such) (?:case|situation|scenario)\b",
    re.IGNORECASE,
)
# "What next?", "And then?", "And if that doesn't work?": the step after the one just quoted.
_NEXT_STEP = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|right)\W+)*"
    # "And once the child is safe, what next?": a time clause before it still asks for the next step.
    r"(?:(?:once|after|when) [^,?]{1,60},\s*)?"
    r"(?:then what|what then|and then|after that|what(?:'s| is| happens| comes| do i do| should i do)? next"
    r"|what(?:'s| is) the next (?:step|stage)|what happens after (?:that|this)"
    r"|(?:what )?if (?:that|this|it) (?:doesn't|does not|didn't|did not|still doesn't|fails)(?: work)?"
    r"(?:,? what (?:then|next|happens|do i do|should i do))?)\W*$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Questions that ask for the document's author, publisher or title. "Does the author recommend ...?"
# asks what the document says, so only questions whose point is the name itself match.
_DOC = r"(?:this|the) (?:article|document|paper|report|guidance|piece|text|advice)"
# After "who wrote" / "who published" when the document is meant: nothing, "it", "this", "this article".
_IT = r"(?:\W*$|\s+(?:it|this|that)\b(?!\s+\w)|\s+" + _DOC + r"\W*$)"
_NAME_OF = r"\bwhat(?:'s| is) (?:the )?(?:name of the )?"
_ABOUT = {
    "author": re.compile(
        r"\bwho (?:wrote|authored)"
        + _IT
        + r"|\bwho (?:is|was) it (?:by|written by)\b|\bby whom\b.*\bwritten\b"
        r"|\bwho(?:'s| is| are) (?:the )?(?:author|writer)s?\b"
        r"|" + _NAME_OF + r"(?:author|writer)(?:'s name)?(?: of " + _DOC + r")?\W*$"
        r"|\b(?:name|identify) the (?:author|writer)\b|^\W*(?:the )?(?:author|writer)s?\W*$"
    ),
    "publisher": re.compile(
        r"\bwho (?:published|publishes|issued|produced)" + _IT + r"|\bwho(?:'s| is) (?:the )?publisher\b"
        r"|" + _NAME_OF + r"publisher(?:'s name)?(?: of " + _DOC + r")?\W*$"
        r"|\bwhich (?:organi[sz]ation|charity|body) (?:published|publishes|issued|produced)"
        + _IT
        + r"|^\W*(?:the )?publisher\W*$"
    ),
    "title": re.compile(
        r"\bwhat is the (title|name) of (this|the) (article|document|paper|report|guidance)\b"
        r"|\bwhat (is|are) (this|the) (article|document|paper|report|guidance) (about|on)\W*$"
        r"|\bwhat (does|do) (this|the) (article|document|paper|report|guidance) (cover|discuss)\W*$"
    ),
}


@dataclass(frozen=True, slots=True)
class Retrieval:
    resolved_question: str
    hits: list[Hit]


class Assistant:
    """Answers questions from a corpus by quoting it; read-only and thread-safe once built."""

    def __init__(self, documents: list[Document], settings: Settings | None = None) -> None:
        if not documents:
            raise CorpusError("No documents to search: the corpus is empty")
        self.settings = settings or Settings()
        r = self.settings.retrieval
        self.analyzer = Analyzer(stemmer=r.stemmer, use_stopwords=r.stopwords)
        self.documents = {d.doc_id: d for d in documents}
        self.speller = Speller([d.text for d in documents])
        self.phrasal_verbs = PhrasalVerbs(lambda: (d.text for d in documents))
        # One sequence over the documents' compact passage lists: no Passage object per passage.
        passages = CorpusPassages(documents)
        self.index = Index(passages, self.analyzer, r, {d.doc_id: d.text for d in documents})
        self.vectors = WordVectors(r.stemmer) if self.settings.answer.synonym_credit > 0 else None
        # What each document is: a name these hold ("City Evangelical Church") is named by every passage.
        self.subjects = {d.doc_id: _subject(d) for d in documents}
        self.acronyms: dict[str, frozenset[str]] = {}
        for doc in documents:
            for short, long_form in find_acronyms(doc.text, self.analyzer).items():
                self.acronyms[short] = self.acronyms.get(short, frozenset()) | long_form
        # Index terms that have a vector: the candidates for expanding a question with near-synonyms.
        self._expandable = [t for t in self.index.vocabulary() if self.vectors and t in self.vectors]
        self._expandable_matrix = self.vectors.mean_vectors(self._expandable) if self.vectors else None
        # Passages are found by id in their document (`<doc_id>#<number>`); front passages and
        # passages stored as they were given (odd ids) are looked up here first.
        self._passages: dict[str, Passage] = {
            p.passage_id: p for d in documents for p in d.passages.kept_as_given()
        }
        self._passages.update({d.front.passage_id: d.front for d in documents if d.front is not None})
        # The encoder's vector of every sentence (answer.semantic): meaning beside the words.
        self.meaning: SentenceVectors | None = None
        if self.settings.answer.semantic:
            from .language.encoder import shared_encoder

            texts = {d.doc_id: d.text for d in documents}
            lazy = len(passages) > self.settings.answer.semantic_max_passages
            self.meaning = SentenceVectors(passages, texts, shared_encoder, self.index.folder, lazy)

    @classmethod
    def from_config(cls, path: str | Path | None = None, *, corpus: str | Path | None = None) -> Assistant:
        """Load settings (file, $ASSISTANT_CONFIG or defaults) and the corpus they name."""
        settings = load_settings(path)
        return cls.from_directory(corpus or settings.corpus.path, settings)

    @classmethod
    def from_directory(
        cls, directory: str | Path, settings: Settings | None = None, *, progress=None
    ) -> Assistant:
        """Load every document of `directory`; bad documents stop it or are skipped, per the config.

        The text read from PDF, Word and HTML files is kept with the saved indexes (the config's
        retrieval.index_dir) and reused, as is each document's recovered structure; those no load has used
        for 30 days are deleted (ingest/saved.py).
        `progress`, given a file, returns a callback for its reader's progress (or None).
        """
        settings = settings or Settings()
        extracted = index_root(settings.retrieval.index_dir)
        documents, problems = load_corpus(directory, extracted_dir=extracted, progress=progress)
        if problems and settings.corpus.on_error == "error":
            raise CorpusError("; ".join(str(p) for p in problems))
        for problem in problems:
            log.warning("skipped: %s", problem)
        return cls(documents, settings)

    def warm_up(self) -> None:
        """Load what the first questions would otherwise wait for (the encoder and checker, when on)."""
        if self.meaning is not None:
            self.meaning.encoder.encode(["warm up"])
        checker = self._checker()
        if checker is not None:
            checker.score("warm up", "warm up")

    def document(self, doc_id: str) -> Document:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise NotFoundError(f"No document with id '{doc_id}'") from None

    def passage(self, passage_id: str) -> Passage:
        found = self._passages.get(passage_id)
        if found is None and isinstance(passage_id, str):
            doc = self.documents.get(passage_id.rpartition("#")[0])
            if doc is not None:
                found = doc.passages.find(passage_id)
        if found is None:
            raise NotFoundError(f"No passage with id '{passage_id}'")
        return found

    def ask(self, question: str, history=(), *, documents: list[str] | None = None) -> Answer:
        """Answer `question` by quoting the corpus.

        Args:
            question: what the user asked.
            history: earlier turns, oldest first: strings or mappings with `question` (and `answer`).
            documents: restrict the search to these document ids (None: all).
        Raises:
            QueryError: the question is not a non-empty string of at most 1,000 characters,
                the history is malformed, or a document id is unknown.
        """
        answer = self._answer(question, history, documents)
        semantic = self.meaning is not None and self.settings.answer.semantic_answers
        if not history or not semantic or answer.resolved_question == answer.question:
            return answer
        # Whether the earlier turns' words belong in the search is decided from the scores: the question
        # is answered on its own words too, and kept so when only that answers, or answers more surely
        # by answer.history_margin ("thanks - different question: ..." starts a new topic; "Who runs
        # them?" after "What is COSA?" finds nothing sure alone). History never turns an answer into
        # not found.
        alone = self._answer(question, (), documents)
        if alone.status == ANSWERED and (
            answer.status != ANSWERED
            or alone.evidence.get("confidence", 0.0)
            > answer.evidence.get("confidence", 0.0) + self.settings.answer.history_margin
        ):
            return alone
        return answer

    def _answer(self, question: str, history, documents: list[str] | None) -> Answer:
        """Answer with the earlier turns read as the follow-up resolution says."""
        resolution, terms, doc_ids, turns = self._prepare(question, history, documents)
        resolved = resolution.text
        question = _check_question(question)
        a, r = self.settings.answer, self.settings.retrieval
        if asks_nothing(question, first_turn=not history):
            # "thanks", "ok i see", "yes please": nothing is searched, so no sentence sharing "see" is quoted.
            evidence = {"confidence": 0.0, "threshold": a.min_confidence, "asks_nothing": True}
            return Answer(question, question, NOT_FOUND, "", (), (), NOTHING_TO_LOOK_UP, evidence)
        hits = self._search(terms, max(r.top_k, a.candidate_passages), doc_ids)
        refs = passage_refs(hits[: r.top_k], self.index)
        direct = self._direct_answer(question, resolved, hits, doc_ids, turns, refs)
        if direct is not None:
            return direct
        # The question's vector, when the encoder is on: for choosing (semantic_answers), or only once
        # the answer is not found, to rank what is shown beside it.
        query = None
        if self.meaning is not None and a.semantic_answers:
            query = self.meaning.encoder.encode([resolved])[0]
        choice = self._choose_sentences(resolved, terms, hits, doc_ids, resolution, query)
        answer = self._decide(question, resolved, terms, choice, refs)
        if self.meaning is not None and answer.status == NOT_FOUND:
            if query is None:
                query = self.meaning.encoder.encode([resolved])[0]
            answer = replace(answer, passages=self._related(hits, query, doc_ids, r.top_k))
        return answer

    def _direct_answer(self, question: str, resolved: str, hits, doc_ids, turns, refs) -> Answer | None:
        """Answer "What next?" with the step after the one just quoted, and "Who wrote this?" (the
        author, publisher or title) from the document; None for any other question."""
        a = self.settings.answer
        step = self._next_step(question, turns, doc_ids)
        if step is not None:
            evidence = {"confidence": 1.0, "threshold": a.min_confidence, "next_step": True}
            earlier = turns[-1].resolved_question or turns[-1].question
            after = f"{question} (what follows the answer to: {earlier})"
            return Answer(question, after, ANSWERED, step.quote, (step,), refs, MESSAGES[ANSWERED], evidence)
        about = self._about_document(resolved, hits, doc_ids, turns)
        if about is not None:
            evidence = {"confidence": 1.0, "threshold": a.min_confidence, "about_document": True}
            return Answer(
                question, resolved, ANSWERED, about.quote, (about,), refs, MESSAGES[ANSWERED], evidence
            )
        return None

    def _choose_sentences(self, resolved: str, terms: list[str], hits, doc_ids, resolution, query) -> Choice:
        """Choose the answering sentence among the best passages (and those the encoder finds)."""
        pool, a = self._pool(hits, query, doc_ids, self.settings.answer)
        return self._choose(resolved, terms, pool, a, resolution, query)

    def _pool(self, hits: list[Hit], query, doc_ids, a) -> tuple[list[Hit], object]:
        """The candidate passages: BM25's best, then those holding the sentences nearest in meaning.

        "What works best for treating offenders?" shares no rare word with "cognitive behavioural
        programmes are most effective"; the encoder puts that sentence near it all the same.
        """
        pool = list(hits[: a.candidate_passages])
        if query is None:
            return pool, a
        self.meaning.prepare([h.passage for h in pool])
        if not a.semantic_sentences or self.meaning.lazy:
            return pool, a
        have = {h.passage.passage_id for h in pool}
        score_of = {h.passage.passage_id: h.score for h in hits}
        for row, _cos in self.meaning.nearest(query, a.semantic_sentences, doc_ids):
            passage = self.index.passages[row]
            if passage.passage_id not in have:
                have.add(passage.passage_id)
                pool.append(Hit(passage, score_of.get(passage.passage_id, 0.0), len(pool)))
        return pool, replace(a, candidate_passages=len(pool))

    def _related(self, hits: list[Hit], query, doc_ids, k: int) -> tuple[PassageRef, ...]:
        """The passages to show beside "not found", nearest in meaning first, each with its closest sentence.

        BM25's best passages and those holding the sentences nearest the question are ranked by their
        nearest sentence, so a practitioner whose wording missed still lands next to the text.
        """
        found: dict[str, tuple[float, Passage, int, int, float]] = {}
        score_of = {h.passage.passage_id: h.score for h in hits}
        rows = [h.passage for h in hits[:k]]
        rows += [self.index.passages[row] for row, _ in self.meaning.nearest(query, k, doc_ids)]
        self.meaning.prepare(rows)
        for passage in rows:
            if passage.passage_id in found:
                continue
            best = max(
                (
                    (self.meaning.similarity(query, passage.doc_id, s.start), s.start, s.end)
                    for s in passage.sentences
                ),
                default=None,
            )
            if best is not None:
                score = score_of.get(passage.passage_id, 0.0)
                found[passage.passage_id] = (best[0], passage, best[1], best[2], score)
        ranked = _related_order(list(found.values()))[:k]
        return tuple(
            PassageRef(
                p.passage_id,
                p.doc_id,
                p.text,
                round(score, 6),
                p.locator,
                p.start,
                p.end,
                {"start": start, "end": end, "similarity": round(cos, 4)},
            )
            for cos, p, start, end, score in ranked
        )

    def _decide(self, question: str, resolved: str, terms: list[str], choice: Choice, refs) -> Answer:
        """Answer with the chosen quote, point to the question the document leaves open, or say not
        found: the confidence against the threshold, and the quote against what the question asks."""
        a = self.settings.answer
        best, best_q = choice.best, choice.question
        certainty = confidence(best.features) if best else 0.0
        evidence = {"confidence": round(certainty, 6), "threshold": a.min_confidence}
        if best is not None:
            evidence["features"] = {k: round(v, 6) for k, v in best.features.items()}
        candidates: tuple[Citation, ...] = ()
        if best is not None:
            spans = quote_spans(choice, self.index, self.analyzer, terms, a)
            candidates = tuple(self._cite(c.passage, start, end, c.score) for c, start, end in spans)
        if _leaves_open(best, best_q, a):
            citation = self._cite(best_q.passage, best_q.start, best_q.end, best_q.score)
            evidence["open_question"] = True
            return Answer(
                question,
                resolved,
                OPEN_QUESTION,
                citation.quote,
                (citation,),
                refs,
                MESSAGES[OPEN_QUESTION],
                evidence,
                candidates,
            )
        text = QUOTE_SEPARATOR.join(c.quote for c in candidates)
        if candidates and _misses_what_is_asked(question, text, evidence):
            candidates = ()
        if not candidates or certainty < a.min_confidence:
            return Answer(
                question, resolved, NOT_FOUND, "", (), refs, MESSAGES[NOT_FOUND], evidence, candidates
            )
        return Answer(question, resolved, ANSWERED, text, candidates, refs, "", evidence, candidates)

    def _choose(
        self, resolved: str, terms: list[str], hits: list[Hit], settings, resolution, query=None
    ) -> Choice:
        return choose(
            resolved,
            terms,
            hits,
            self.index,
            self.analyzer,
            settings,
            self.vectors,
            resolution.carried,
            self.acronyms,
            subjects=self.subjects,
            meaning=(self.meaning, query) if query is not None else None,
            checker=self._checker(),
        )

    def _checker(self):
        """The answer checker when answer.checker is on (loaded on first use), else None."""
        if not self.settings.answer.checker:
            return None
        from .language.checker import shared_checker

        return shared_checker()

    def retrieve(
        self, question: str, history=(), *, k: int = 10, documents: list[str] | None = None
    ) -> Retrieval:
        """Return the passages BM25 ranks highest for the (resolved) question, best first."""
        resolution, terms, doc_ids, _turns = self._prepare(question, history, documents)
        return Retrieval(resolution.text, self._search(terms, k, doc_ids))

    def _search(self, terms: list[str], k: int, doc_ids: list[str] | None) -> list[Hit]:
        """BM25's best passages; on a small corpus where BM25 scores every passage 0, the rarity fallback."""
        hits = self.index.search(self._expand(terms), k=k, doc_ids=doc_ids)
        if hits or len(self.index) > FALLBACK_PASSAGES:
            return hits
        return self._rarity_fallback(terms, k, doc_ids)

    def _rarity_fallback(self, terms: list[str], k: int, doc_ids: list[str] | None) -> list[Hit]:
        """Rank the passages holding question words by those words' rarity (BM25 gave them all 0).

        rank-bm25's Okapi idf is 0 for a word in exactly half the passages and floored near 0 above:
        in a four-paragraph document "advice" in two paragraphs finds nothing. The hits keep their
        BM25 score, 0.
        """
        present = [t for t in terms if self.index.document_frequency(t)]
        if not present:
            return []
        weight = {t: self.index.rarity(t) for t in present}
        allowed = set(doc_ids) if doc_ids is not None else None
        ranked = []
        for i, passage in enumerate(self.index.passages):
            if allowed is not None and passage.doc_id not in allowed:
                continue
            # The passage is indexed with its section heading, so it is searched with it here too.
            found = weight.keys() & set(self.analyzer.cached_terms(f"{passage.section}\n{passage.text}"))
            if found:
                ranked.append((-sum(weight[t] for t in found), i, passage))
        ranked.sort(key=lambda x: x[:2])
        return [Hit(p, 0.0, rank) for rank, (_, _, p) in enumerate(ranked[:k], 1)]

    def _expand(self, terms: list[str]) -> list[str]:
        """Add the corpus's closest near-synonyms of each question term to the BM25 query."""
        a = self.settings.answer
        if not self._expandable or a.expand_min >= 1 or a.expand_per_term < 1 or not terms:
            return terms + self._acronyms_of(terms)
        sim = self.vectors.mean_vectors(terms) @ self._expandable_matrix.T
        extra = []
        for i, term in enumerate(terms):
            if self.index.document_frequency(term):
                continue  # the corpus uses the question's own word: no need to guess
            row = sim[i]
            k = min(a.expand_per_term, len(row))  # at least 1: the vocabulary is not empty
            top = np.argpartition(-row, k - 1)[:k]
            for j in top[np.argsort(-row[top], kind="stable")]:
                if row[j] >= a.expand_min and self._expandable[j] not in terms:
                    extra.append(self._expandable[j])
        return terms + list(dict.fromkeys(extra + self._acronyms_of(terms)))

    def _acronyms_of(self, terms: list[str]) -> list[str]:
        """Return the acronyms whose long form the question spells out (two or more of its words)."""
        return [a for a, words in self.acronyms.items() if a not in terms and len(words & set(terms)) >= 2]

    def _prepare(
        self, question, history, documents
    ) -> tuple[Resolution, list[str], list[str] | None, list[Turn]]:
        """Check the input; return what to search, its terms, the documents and the parsed earlier turns."""
        question = _check_question(question)
        try:
            turns = parse_history(history)
        except TypeError as exc:
            raise QueryError(str(exc)) from None
        if documents is not None:
            if not isinstance(documents, list | tuple) or not all(isinstance(d, str) for d in documents):
                raise QueryError("'documents' must be a list of document ids")
            unknown = [d for d in documents if d not in self.documents]
            if unknown:
                raise QueryError(f"Unknown document id(s): {', '.join(unknown)}")
        doc_ids = list(documents) if documents is not None else None
        asked = respelled = self._respell(question, doc_ids)
        if self.settings.answer.follow_ups:
            asked, turns = _split_preamble(asked, turns, self.analyzer)
            turns = self._recall_listing(asked, turns, documents)
            resolution = resolve(asked, turns, self.analyzer)
        else:
            resolution = Resolution(asked, frozenset())
        searched = self.phrasal_verbs.rewrite(
            _META.sub(" ", TIME_LIMIT.sub(" ", _HOW_OPERATOR.sub("how", resolution.text))), self._in_corpus
        )
        terms = self._spell_out(respelled) or list(dict.fromkeys(self.analyzer.terms(searched)))
        return resolution, terms, doc_ids, turns

    def _in_corpus(self, word: str) -> bool:
        """Whether some passage holds the word's index term."""
        return bool(self.index.document_frequency(self.analyzer.term(word) or ""))

    def _respell(self, question: str, doc_ids: list[str] | None = None) -> str:
        """Correct the words that neither the corpus nor the word list knows.

        A stop word with two neighbouring letters swapped ("waht", "teh") is read as that stop word
        ("hwo" could be "how" or "who": left alone); any other such word of four letters or more, as the
        corpus word one edit away ("acredited" -> "accredited", "MAPA" -> "MAPPA"). The corrected
        question is what `resolved_question` shows.
        """
        out, last = [], 0
        for tok in tokenize(question):
            word = tok.text.lower()
            term = self.analyzer.term(word)
            # A stop word ("cant" and "I'm" included) or a number is no typo.
            if len(word) < 3 or term is None or term.isdigit():
                continue
            if self.index.document_frequency(term):
                continue
            if self.vectors is not None and term in self.vectors:
                continue
            swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
            fixed = {w for w in swaps if w in stopwords()}
            within = None if doc_ids is None else (self.documents[d].text for d in doc_ids)
            corrected = fixed.pop() if len(fixed) == 1 else self.speller.correct(tok.text, within)
            if corrected is not None:
                out += [question[last : tok.start], corrected]
                last = tok.end
        return "".join(out) + question[last:] if out else question

    def _recall_listing(self, question: str, turns: list[Turn], documents) -> list[Turn]:
        """For "the first one", "What next?" or "their" after a "Who ...?" turn given without its
        answer, answer that turn again."""
        if not turns or turns[-1].answer:
            return turns
        last = turns[-1]
        if not (
            refers_to_listed_item(question)
            or _NEXT_STEP.match(question)
            or refers_to_person(question, last.question)
        ):
            return turns
        # Only the few turns before it: the chain of answers re-derived stays short.
        previous = self.ask(last.question, turns[-1 - RECALL_TURNS : -1], documents=documents)
        return [*turns[:-1], Turn(last.question, previous.answer, previous.resolved_question)]

    def _spell_out(self, question: str) -> list[str] | None:
        """For "What does COSA stand for?", search the acronym with the words it stands for."""
        m = STANDS_FOR.search(question)
        if m is None:
            return None
        short = self.analyzer.term(m.group("abbr") or m.group("abbr2"))
        if short not in self.acronyms:
            return None  # not defined in the documents: search the question as it is
        return [short, *sorted(self.acronyms[short])]

    def _cite(self, passage: Passage, start: int, end: int, score: float):
        return make_citation(self.documents[passage.doc_id], passage, start, end, score)

    def _quoted_document(self, turns: list[Turn], candidates: list[str]) -> str | None:
        """The document whose text holds the last answer of the earlier turns, if exactly one does."""
        last = next((t.answer for t in reversed(turns) if t.answer.strip()), "")
        return self._document_holding(last.split(QUOTE_SEPARATOR)[0].strip(), candidates)

    def _document_holding(self, quote: str, candidates: list[str]) -> str | None:
        """The one document of `candidates` whose text holds `quote` (20 characters or more), else None."""
        if len(quote) < 20:
            return None
        found = [d for d in candidates if quote in self.documents[d].text]
        return found[0] if len(found) == 1 else None

    def _next_step(self, question: str, turns: list[Turn], doc_ids) -> Citation | None:
        """For "What next?" after an answer, quote what follows that answer in its document.

        After a paragraph of at most `answer.max_words` words (a step: "Stage 3: ... A reply must be
        given within 5 working days."), the next paragraph; inside a longer one, the next sentence. The
        quote runs on to the end of its paragraph when that fits in `answer.max_words` words."""
        if not turns or not _NEXT_STEP.match(question):
            return None
        last = turns[-1].answer.split(QUOTE_SEPARATOR)[-1].strip()
        found = self._document_holding(last, doc_ids or list(self.documents))
        if found is None:
            return None  # no answer to go on from, or it is not a quote of exactly one document
        doc = self.documents[found]
        end = doc.text.index(last) + len(last)
        current = doc.passages.containing(end - 1)
        if current is not None and word_count(current.text) <= self.settings.answer.max_words:
            end = max(end, current.end)  # a step-sized paragraph: go on to the next one
        for passage in doc.passages:
            if passage.end <= end or passage.kind in ("reference", "front"):
                continue
            sentences = [s for s in passage.sentences if s.start >= end]
            if not sentences:
                continue
            stop = sentences[0].end
            for sent in sentences[1:]:
                if word_count(doc.text[sentences[0].start : sent.end]) > self.settings.answer.max_words:
                    break
                stop = sent.end
            return self._cite(passage, sentences[0].start, stop, 1.0)
        return None

    def _about_document(self, question: str, hits, doc_ids, turns: list[Turn]):
        """Answer "who wrote this?" from the byline or metadata, citing where the name appears."""
        q = normalise(question)
        field = next((name for name, rx in _ABOUT.items() if rx.search(q)), None)
        if field is None:
            return None
        candidates = doc_ids or list(self.documents)
        if len(candidates) > 1:
            # "Who wrote this?" after an answer: the document that answer quoted (quotes are verbatim).
            quoted = self._quoted_document(turns, candidates)
            if quoted is not None:
                candidates = [quoted]
            elif hits:
                candidates = [hits[0].passage.doc_id]
        doc = self.documents[candidates[0]]
        value = {"author": doc.author, "publisher": doc.publisher, "title": doc.title}[field]
        if not value:
            return None
        # Prefer the place where the value stands in the text itself (a byline), so the quote is a slice.
        for start, end, _role in sorted(doc.excluded, key=lambda x: x[2] != "byline"):
            at = doc.text.find(value, start, end)
            if at >= 0:
                break
        else:
            at = doc.text.find(value)
        if at < 0:
            # Named only in the metadata: say so in the citation rather than point at the text.
            anchor = doc.front or doc.passages[0]
            return Citation(
                value,
                anchor.passage_id,
                doc.doc_id,
                doc.title,
                doc.author,
                doc.publisher,
                f"document details ({field})",
                "",
                0,
                0,
                1.0,
                "metadata",
            )
        passage = doc.passages.containing(at)
        if passage is None and doc.front is not None and doc.front.start <= at < doc.front.end:
            passage = doc.front
        if passage is None:
            return None
        return make_citation(doc, passage, at, at + len(value), 1.0)


# A question sentence covering this share of the question is its open question when no answer matches
# better; one covering less (down to answer.open_question_coverage) must match this much better.
OPEN_QUESTION_CLEAR = 0.6
OPEN_QUESTION_MARGIN = 0.25


def _related_order(found: list) -> list:
    """Order (cosine, passage, start, end, BM25 score) entries nearest in meaning first.

    An entry of the reference list names a source and never answers: it is shown after the text. (Chosen
    on the tuning sets against BM25's order and a reciprocal-rank fusion of the two: docs/semantic.md.)
    """
    return sorted(found, key=lambda item: (item[1].kind == "reference", -item[0]))


def _leaves_open(best, best_q, a) -> bool:
    """Whether the best match is a question the document asks and does not answer."""
    return (
        best_q is not None
        and best_q.coverage >= a.open_question_coverage
        # A question sentence that covers most of the question only has to match better than any
        # answer; one that covers less ("What part does attachment play?" for "What is the role of
        # attachment ...?") has to match clearly better.
        and (
            best is None
            or best_q.score
            > best.score + (0.0 if best_q.coverage >= OPEN_QUESTION_CLEAR else OPEN_QUESTION_MARGIN)
        )
    )


def _misses_what_is_asked(question: str, text: str, evidence: dict) -> bool:
    """Whether the quote lacks what the question asks for, whatever the confidence; say why in evidence."""
    abbr = asked_abbreviation(question)
    if asks_for_count(question) and not has_type(text, expected_type(question) or "number", set()):
        # "How many ...?" and the quote holds no number at all: no threshold would answer it.
        evidence["no_count"] = True
    elif asks_for_phone(question) and not has_phone(text):
        # "What is the LADO's phone number?" and the quote holds no number to call.
        evidence["no_phone"] = True
    elif abbr and not spells_out(abbr, text):
        # "What does ATSA stand for?" and the quote only mentions ATSA: it does not say.
        evidence["no_expansion"] = True
    elif ranking_unmet(question, text):
        # "Which treatment works best?" and the quote ranks nothing: it does not say what is best.
        evidence["no_ranking"] = True
    else:
        return False
    return True


def _subject(doc: Document) -> str:
    """The document's title, publisher and author (metadata) and its title block, as one text."""
    parts = [str(doc.metadata.get(k) or "") for k in ("title", "publisher", "author")]
    if doc.front is not None:
        parts.append(doc.front.text)
    return "\n".join(p for p in parts if p)


def _split_preamble(question: str, turns: list[Turn], analyzer: Analyzer) -> tuple[str, list[Turn]]:
    """ "I work with a boy who ... . Are services for this group consistent?": the last sentence is the
    question, and what comes before it is context, read like an earlier turn (its words are carried
    only if the question refers back to them)."""
    spans = split_sentences(question)
    if len(spans) < 2:
        return question, turns
    start, end = spans[-1]
    if _elliptical(question[start:end], analyzer):
        # "A child wants me to promise not to tell anyone. Can I agree?": the case is the question.
        return question, turns
    return question[start:end], [*turns, Turn(question[: spans[-2][1]])]


def _elliptical(question: str, analyzer: Analyzer) -> bool:
    """A question of one common word ("Can I agree?", "Is that allowed?"): it asks about what was said
    before it. A name or a figure ("What is COSA?") is a topic of its own."""
    names = any(t.text[:1].isupper() or t.text[:1].isdigit() for t in tokenize(question)[1:] if t.text != "I")
    return len(set(analyzer.terms(question))) <= 1 and not names


def _check_question(question) -> str:
    if not isinstance(question, str):
        raise QueryError("The question must be text")
    if not question.strip():
        raise QueryError("The question is empty: type a question")
    if len(question) > MAX_QUESTION_CHARS:
        raise QueryError(
            f"The question is too long ({len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,})"
        )
    cleaned = _CONTROL.sub(" ", question)
    if not cleaned.strip():
        raise QueryError("The question has no readable text")
    return cleaned
