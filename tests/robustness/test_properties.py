"""Properties for arbitrary input (hypothesis): splitting never fails, spans are exact slices that cover
the text, and `ask` refuses (QueryError) exactly the questions it must refuse and answers every other
one with a valid answer whose quotes are slices of their source."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant, Document, QueryError
from assistant.config import settings_from_mapping
from assistant.language.text import split_sentences, word_count

from .support import GOOD_FILES, check_answer

# Bounded so the suite stays quick; ROBUSTNESS_EXAMPLES=5000 searches harder.
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "150"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Arbitrary text as a decoded file can hold it: any code point but surrogates.
chars = st.characters(codec="utf-8")
WORDS = (
    "the practitioner reviews risk plans with families Dr. Smith e.g. MAPPA COSA 1.5 No. 3 U.S. "
    "café naïve 什么 مرحبا a I R. Beckett, (ii) 12. ... ? ! : ; — – - • “quoted” 'single' (aside)"
).split()
SEPARATORS = st.sampled_from(
    [" ", " ", " ", "\n", "\n\n", "\n\n\n", "\t", " \n \n", "\r\n", "\r\n\r\n", "\u3000"]
)
ENDINGS = st.sampled_from(["", ".", ".", "?", "!", "...", ":", ".)", '."', "?’", ",", " -"])
PREFIXES = st.sampled_from(["", "", "", "# ", "## ", "(i) ", "(ii) ", "1. ", "a) ", "- ", "* ", "• ", "By "])


@st.composite
def documents_like(draw) -> str:
    """Text shaped like guidance documents: headings, bylines, lists, sentences, odd spacing."""
    blocks = []
    for _ in range(draw(st.integers(0, 12))):
        words = draw(st.lists(st.sampled_from(WORDS) | st.text(chars, min_size=1, max_size=8), max_size=30))
        sep = draw(SEPARATORS)
        block = draw(PREFIXES) + sep.join(words) + draw(ENDINGS)
        blocks.append(block)
    return "".join(b + draw(SEPARATORS) for b in blocks)


texts = st.text(chars, max_size=400) | documents_like()


def check_document(doc: Document) -> None:
    text = doc.text
    previous_end = 0
    for number, p in enumerate(doc.passages, 1):
        assert p.passage_id == f"{doc.doc_id}#{number}" and p.number == number
        assert previous_end <= p.start < p.end <= len(text)
        assert p.text == text[p.start : p.end] and p.text.strip()
        previous_end = p.end
        sentence_end = p.start
        for s in p.sentences:
            assert sentence_end <= s.start < s.end <= p.end
            sentence = text[s.start : s.end]
            assert sentence == sentence.strip()
            assert any(ch.isalnum() for ch in sentence)
            sentence_end = s.end
        if any(ch.isalnum() for ch in p.text):
            assert p.sentences
    if doc.front is not None:
        assert doc.front.text == text[doc.front.start : doc.front.end]
    for start, end, role in doc.excluded:
        assert 0 <= start < end <= len(text) and role
    # Nothing is dropped unsaid: every letter or digit is in a passage or in a span kept out on purpose.
    covered = [False] * len(text)
    for start, end in [(p.start, p.end) for p in doc.passages] + [(s, e) for s, e, _ in doc.excluded]:
        covered[start:end] = [True] * (end - start)
    lost = [i for i, ch in enumerate(text) if ch.isalnum() and not covered[i]]
    assert not lost, repr(text[lost[0] - 20 : lost[0] + 20])


@PROPERTY_SETTINGS
@given(text=texts)
def test_any_text_splits_into_passages_that_are_exact_slices(text):
    check_document(Document.from_text("doc", text))


@PROPERTY_SETTINGS
@given(text=texts, title=st.none() | st.text(chars, max_size=20))
def test_metadata_of_any_title_never_breaks_the_split(text, title):
    check_document(Document.from_text("doc", text, {"title": title} if title is not None else None))


@PROPERTY_SETTINGS
@given(text=texts, data=st.data())
def test_sentence_spans_are_trimmed_ordered_slices_of_any_range(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    last = start
    for a, b in split_sentences(text, start, end):
        assert last <= a < b <= end
        assert text[a:b] == text[a:b].strip()
        assert any(ch.isalnum() for ch in text[a:b])
        last = b
    words_inside = [i for i in range(start, end) if text[i].isalnum()]
    spans = split_sentences(text, start, end)
    assert all(any(a <= i < b for a, b in spans) for i in words_inside)


# ---------------------------------------------------------------- ask

corpus_words = st.sampled_from(
    "What Who When How is are the MAPPA COSA treatment effective offenders community risk wrote "
    "article it they programme Circles Support Accountability probation police".split()
)
questions = (
    st.text(chars, max_size=1100)
    | st.lists(corpus_words, min_size=1, max_size=15).map(" ".join).map(lambda q: q + "?")
    | st.sampled_from(["", " ", "\x00", "x" * 1000, "x" * 1001, "Who wrote this article?", "What is MAPPA?"])
)
turns = (
    st.text(chars, max_size=60)
    | questions
    | st.fixed_dictionaries(
        {"question": questions},
        optional={"answer": st.text(chars, max_size=60), "resolved_question": st.text(chars, max_size=60)},
    )
)


MAX_QUESTION_CHARS = 1000  # written out: the documented limit, not the engine's constant


def must_refuse(question: str) -> bool:
    """The documented rule: a question is refused when it is over 1,000 characters or has no character
    that is neither white space nor a control character (C0 or DEL). Every other question is answered."""
    readable = any(not ch.isspace() and not (ch < " " or ch == "\x7f") for ch in question)
    return len(question) > MAX_QUESTION_CHARS or not readable


def ask_or_refuse(assistant: Assistant, question: str, history=()):
    """Return the answer, or None when the engine refuses; fail when it refuses a question it must
    answer (an engine that refused everything would otherwise pass) or answers one it must refuse."""
    try:
        answer = assistant.ask(question, history)
    except QueryError as exc:
        assert must_refuse(question), f"refused a question it must answer ({exc}): {question!r}"
        assert str(exc)
        return None
    assert not must_refuse(question), f"answered a question it must refuse: {question!r}"
    return answer


def test_the_refusal_rule_by_hand():
    assert [must_refuse(q) for q in ("What is MAPPA?", "x" * 1000, "?", "\x00a", "什么")] == [False] * 5
    assert [must_refuse(q) for q in ("", " \n\t", "\x00\x1f\x7f", "\u3000", "x" * 1001)] == [True] * 5


@PROPERTY_SETTINGS
@given(question=questions, history=st.lists(turns, max_size=4))
def test_ask_refuses_only_unreadable_or_overlong_questions_and_answers_the_rest(assistant, question, history):
    answer = ask_or_refuse(assistant, question, history)
    if answer is None:
        return
    check_answer(assistant, answer)
    assert answer.question.strip()
    assert answer.to_dict()["status"] == answer.status


@pytest.fixture(scope="module")
def generated_settings(tmp_path_factory):
    return settings_from_mapping({"retrieval": {"index_dir": str(tmp_path_factory.mktemp("index"))}})


GOOD_DOCUMENTS = [
    Document.from_text(name.split(".")[0], content)
    for name, content in GOOD_FILES.items()
    if name.endswith((".txt", ".md"))
]


@settings(
    max_examples=max(EXAMPLES // 4, 1),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=documents_like(), question=questions)
def test_quotes_from_any_document_are_slices_of_it(generated_settings, text, question):
    doc = Document.from_text("generated", text, {"title": "Generated"})
    documents = GOOD_DOCUMENTS + ([doc] if doc.passages else [])
    assistant = Assistant(documents, generated_settings)
    words = " ".join(text.split()[:12]) or "nothing"
    for asked in (question, words + "?"):
        answer = ask_or_refuse(assistant, asked)
        if answer is not None:
            check_answer(assistant, answer)


@PROPERTY_SETTINGS
@given(text=texts | st.text(chars, max_size=200))
def test_word_count_counts_runs_of_non_space_holding_a_letter_or_digit(text):
    assert word_count(text) == sum(1 for w in text.split() if any(ch.isalnum() for ch in w))
