"""assistant/answer/quoting.py: which span of the document is quoted for a chosen sentence.

Each rule is checked on a small document with the exact quote it must give, and at its limits (a
setting one word short of allowing the extension, and exactly enough).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant import Assistant, Document
from assistant.answer.candidates import Candidate, Choice
from assistant.answer.quoting import _clip, quote_span, quote_spans
from assistant.config import AnswerSettings
from assistant.retrieve.index import Hit


def _setup(paragraphs: list[str]):
    doc = Document.from_paragraphs("d", paragraphs)
    return doc, Assistant([doc])


def _candidate(doc: Document, passage: int, sentence: int, score: float = 1.0) -> Candidate:
    p = doc.passages[passage]
    s = p.sentences[sentence]
    return Candidate(p, Hit(p, 1.0, 1), s.start, s.end, 1.0, score, s.is_question)


def quoted(paragraphs: list[str], sentence: int, *, passage: int = 0, terms=(), **settings) -> str:
    """The quote for sentence `sentence` of passage `passage`, with these answer settings."""
    doc, assistant = _setup(paragraphs)
    cand = _candidate(doc, passage, sentence)
    start, end = quote_span(
        cand, assistant.index, assistant.analyzer, list(terms), replace(AnswerSettings(), **settings)
    )
    return doc.text[start:end]


def test_a_sentence_that_needs_nothing_is_quoted_as_it_is():
    assert quoted(["The panel meets monthly. Staff review every case."], 1) == "Staff review every case."
    assert quoted(["The panel meets monthly. Staff review every case."], 0) == "The panel meets monthly."


PANEL = ["The panel meets monthly. It reviews every case."]


def test_a_sentence_opening_with_a_pronoun_takes_the_one_before_it():
    assert quoted(PANEL, 1) == "The panel meets monthly. It reviews every case."
    # Both sentences are 8 words: allowed at exactly context_words, not one word under.
    assert quoted(PANEL, 1, context_words=8) == "The panel meets monthly. It reviews every case."
    assert quoted(PANEL, 1, context_words=7) == "It reviews every case."
    assert quoted(PANEL, 1, max_sentences=1) == "It reviews every case."


def test_a_pronoun_does_not_reach_back_into_a_question_or_before_the_passage():
    assert quoted(["Does the panel meet? It reviews every case."], 1) == "It reviews every case."
    assert quoted(["It reviews every case. The panel meets monthly."], 0) == "It reviews every case."


def test_a_list_item_opening_with_a_pronoun_takes_the_sentence_before_it():
    text = ["Keep the records safe.\n* These records are confidential."]
    assert quoted(text, 1) == "Keep the records safe.\n* These records are confidential."


FAQ = ["Q: Can I keep a secret? A: Not ever, sorry. You must tell the lead at once. Nobody keeps it alone."]


def test_an_faq_answer_is_quoted_from_its_start():
    assert quoted(FAQ, 3) == "A: Not ever, sorry. You must tell the lead at once. Nobody keeps it alone."
    # From the answer's start to the chosen sentence's end: 15 words.
    assert quoted(FAQ, 3, context_words=15) == (
        "A: Not ever, sorry. You must tell the lead at once. Nobody keeps it alone."
    )
    assert quoted(FAQ, 3, context_words=14) == "Nobody keeps it alone."
    assert quoted(FAQ, 2) == "A: Not ever, sorry. You must tell the lead at once."


def test_a_short_faq_answer_takes_its_next_sentence():
    # "A: Not ever, sorry." is 4 words: alone it says little.
    assert quoted(FAQ, 1) == "A: Not ever, sorry. You must tell the lead at once."
    assert quoted(FAQ, 1, context_words=11) == "A: Not ever, sorry. You must tell the lead at once."
    assert quoted(FAQ, 1, context_words=10) == "A: Not ever, sorry."
    # Five words are enough on their own.
    five = ["Q: Can I keep a secret? A: Not ever, I'm sorry. You must tell the lead at once."]
    assert quoted(five, 1) == "A: Not ever, I'm sorry."
    assert quoted(["Q: Can I keep a secret? A: Not ever, sorry. Tell the lead."], 1) == (
        "A: Not ever, sorry. Tell the lead."
    )
    # The next sentence is not taken when it is a question, or when there is none.
    assert quoted(["Q: Can I keep a secret? A: Not ever, sorry. Is that clear?"], 1) == "A: Not ever, sorry."
    assert quoted(["Q: Can I keep a secret? A: Not ever, sorry."], 1) == "A: Not ever, sorry."


def test_the_first_answer_sentence_is_not_moved_and_a_pronoun_there_does_not_reach_the_question():
    text = ["Q: Who runs the panel? It is run by the council, with the police and health."]
    assert quoted(text, 1) == "It is run by the council, with the police and health."


def test_a_bold_lead_in_takes_the_sentence_it_introduces():
    lead = ["**Check the records.** Read the case file first. Then call."]
    assert quoted(lead, 0) == "**Check the records.** Read the case file first."
    # 8 words in all: allowed at exactly max_words.
    assert quoted(lead, 0, max_words=8) == "**Check the records.** Read the case file first."
    assert quoted(lead, 0, max_words=7) == "**Check the records.**"
    assert quoted(["__Tell someone.__ Call the duty team today."], 0) == (
        "__Tell someone.__ Call the duty team today."
    )
    assert quoted(["**Check the records.** Is it clear?"], 0) == "**Check the records.**"
    assert quoted(["**Check the records.**"], 0) == "**Check the records.**"  # nothing after it
    assert quoted(["Staff must **check the records.** Read the case file first."], 0) == (
        "Staff must **check the records.**"
    )


LIST = [
    "The review makes three points:\n- Plans must be shared.\n- Staff must be trained.\n"
    "- Records must be kept."
]
STEPS = [
    "The review makes three points:\n1. Plans must be shared.\n2. Staff must be trained.\n"
    "3. Records must be kept."
]


def test_a_sentence_announcing_a_list_takes_its_items_up_to_max_words():
    assert quoted(LIST, 0) == LIST[0]
    # 5 + 5 + 5 + 5 = 20 words: all at exactly max_words; one word under, the last item stays out.
    assert quoted(STEPS, 0, max_words=20) == STEPS[0]
    assert quoted(STEPS, 0, max_words=19) == (
        "The review makes three points:\n1. Plans must be shared.\n2. Staff must be trained."
    )
    assert quoted(STEPS, 0, max_words=9) == "The review makes three points:"


def test_one_item_of_a_list_is_quoted_alone():
    assert quoted(LIST, 2) == "- Staff must be trained."
    assert quoted(LIST, 1) == "- Plans must be shared."


def test_an_item_that_announces_its_own_items_takes_only_those():
    text = [
        "* We refer it to the LADO:\n    * Lin Blakelock: telephone 020 1.\n    * Sam Lee: 020 2.\n"
        "* We tell the parents."
    ]
    assert (
        quoted(text, 0)
        == "* We refer it to the LADO:\n    * Lin Blakelock: telephone 020 1.\n    * Sam Lee: 020 2."
    )


def test_a_count_takes_the_steps_that_follow_it():
    text = ["The review makes five recommendations. First, share plans. Second, train staff. Third, keep it."]
    assert quoted(text, 0) == text[0]
    # No count: "First, ..." after it is not a list it announces.
    plain = ["The review makes recommendations. First, share plans. Second, train staff."]
    assert quoted(plain, 0) == "The review makes recommendations."


def test_a_long_sentence_is_clipped_to_max_words():
    words = " ".join(f"w{i}" for i in range(100)) + "."
    assert quoted([words], 0, max_words=70) == " ".join(f"w{i}" for i in range(70))
    assert quoted([words], 0, max_words=200, clip_words=60) == " ".join(f"w{i}" for i in range(60))
    # Not at the start of the document: the window's offsets are the document's.
    assert quoted(["Staff meet weekly.", words], 0, passage=1, terms=["w50"], max_words=10) == (
        " ".join(f"w{i}" for i in range(41, 51))
    )


# _clip: the window of max_words words, opening at the clause holding the first question term.


def _clip_text(text: str, terms: list[str], max_words: int) -> str:
    doc, assistant = _setup([text])
    found = {t for w in terms for t in assistant.analyzer.terms(w)}
    start, end = _clip(doc.text, 0, len(doc.text), assistant.analyzer, found, max_words)
    return doc.text[start:end]


def test_clip_leaves_a_span_of_max_words_alone():
    assert _clip_text("alpha beta gamma delta epsilon", ["delta"], 5) == "alpha beta gamma delta epsilon"


@pytest.mark.parametrize("mark", [",", ";", ":"])
def test_clip_opens_at_the_clause_holding_the_first_term(mark):
    text = f"Alpha beta gamma delta{mark} epsilon zebra eta theta iota kappa lambda."
    assert _clip_text(text, ["zebra"], 5) == "epsilon zebra eta theta iota"


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_clip_opens_at_a_dash(dash):
    text = f"Alpha beta gamma delta {dash} zebra eta theta iota kappa lambda mu."
    # The dash opens the window and is no word of its five.
    assert _clip_text(text, ["zebra"], 5) == f"{dash} zebra eta theta iota kappa"


def test_clip_counts_words_as_the_list_rule_does_so_a_bulleted_list_at_max_words_stays_whole():
    # 4 + 4 x 4 = 20 words, 24 runs of non-space with the bullets: the list rule lets all of it in at
    # max_words 20, and the clip must not then cut the last item's words.
    text = [
        "The plan has parts:\n- Plans are shared weekly.\n- Staff are trained yearly.\n"
        "- Records are kept securely.\n- Reviews are held termly."
    ]
    assert quoted(text, 0, max_words=20, clip_words=80) == text[0]
    # One word under: the last item stays out, as with numbered items.
    assert quoted(text, 0, max_words=19, clip_words=80).endswith("Records are kept securely.")
    # A clipped bulleted span opens at a bullet and counts only words.
    items = "\n".join(f"- Item {i} words" for i in range(10))
    assert _clip_text(items, ["nothing"], 6) == "- Item 0 words\n- Item 1 words"


def test_clip_without_a_clause_break_or_a_term_keeps_the_start():
    text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda."
    assert _clip_text(text, ["nothing"], 5) == "Alpha beta gamma delta epsilon"
    # The first term with no break before it: the window still opens at the start, and holds it.
    assert _clip_text(text, ["gamma"], 5) == "Alpha beta gamma delta epsilon"


def test_clip_keeps_a_span_of_exactly_max_words_with_its_marks():
    # Five words and a closing mark: nothing to cut, the mark stays.
    assert _clip_text("Alpha beta gamma delta epsilon !", ["delta"], 5) == "Alpha beta gamma delta epsilon !"


def test_clip_without_a_term_opens_at_the_start_even_after_a_first_word_clause():
    text = "Alpha, beta gamma delta epsilon zeta eta theta."
    assert _clip_text(text, ["nothing"], 5) == "Alpha, beta gamma delta epsilon"


def test_clip_opens_at_a_clause_break_after_the_first_word():
    text = "Alpha, zebra beta gamma delta epsilon zeta eta."
    assert _clip_text(text, ["zebra"], 5) == "zebra beta gamma delta epsilon"


def test_clip_looks_for_a_break_word_by_word_back_from_the_first_term():
    # The dash is before "gamma", not right before "zebra": the window opens at the dash.
    text = "Alpha beta - gamma zebra delta epsilon zeta eta theta."
    assert _clip_text(text, ["zebra"], 5) == "- gamma zebra delta epsilon zeta"
    # A word ending in a letter is no clause break, whatever the letter.
    text = "Alpha betaX zebra gamma delta epsilon zeta eta."
    assert _clip_text(text, ["zebra"], 5) == "Alpha betaX zebra gamma delta"


def test_clip_keeps_ten_words_before_the_last_window_holding_the_term_near_the_end():
    # 40 words, one term at word 27, windows of 15: those holding it open at words 13 to 25; ten before
    # the last is word 15.
    text = " ".join(f"w{i}" for i in range(40)) + "."
    got = _clip_text(text, ["w27"], 15).split()
    assert (got[0], len(got)) == ("w15", 15)


def test_clip_never_opens_past_the_last_full_window():
    text = "Alpha beta gamma delta epsilon zeta eta theta iota, kappa zebra."
    assert _clip_text(text, ["zebra"], 5) == "eta theta iota, kappa zebra."


def test_clip_prefers_the_window_holding_the_most_terms():
    # One term early ("lion"), two together late: the window at the start holds 1, later ones 2.
    filler = " ".join(f"f{i}" for i in range(30))
    # Words 0-1 "Start lion", 2-31 f0-f29, 32-33 "tiger bear", then six more: the windows of 15 words
    # holding both open at words 19 to 25 (the last that fits); ten words before the last is word 15,
    # before the first, so the first is taken: word 19, f17.
    text = f"Start lion {filler} tiger bear " + " ".join(f"g{i}" for i in range(5)) + " end."
    got = _clip_text(text, ["lion", "tiger", "bear"], 15).split()
    assert (got[0], len(got)) == ("f17", 15)
    # With twenty-one words after them the windows open at words 19 to 32: ten words before the last,
    # word 22 (f20), ten before "tiger".
    text = f"Start lion {filler} tiger bear " + " ".join(f"g{i}" for i in range(20)) + " end."
    got = _clip_text(text, ["lion", "tiger", "bear"], 15).split()
    assert (got[0], len(got), got[10:12]) == ("f20", 15, ["tiger", "bear"])


# quote_spans: the runner-up quoted beside the best when nearly as good.

PAIR = [
    "Plans are shared with the family. Staff meet weekly. The review closes in May.",
    "Records are kept for six years.",
]


def spans(best, runner_up, **settings):
    doc, assistant = _setup(PAIR)
    choice = Choice(
        _candidate(doc, *best[:2], best[2]), None if runner_up is None else _candidate(doc, *runner_up), None
    )
    out = quote_spans(choice, assistant.index, assistant.analyzer, [], replace(AnswerSettings(), **settings))
    return [(c.passage.passage_id, doc.text[s:e]) for c, s, e in out]


def test_no_runner_up_gives_the_best_alone():
    assert spans((0, 0, 1.0), None) == [("d#1", "Plans are shared with the family.")]


def test_a_runner_up_within_the_margin_is_quoted_too():
    assert spans((0, 0, 1.0), (1, 0, 0.8)) == [
        ("d#1", "Plans are shared with the family."),
        ("d#2", "Records are kept for six years."),
    ]
    # Exactly at the margin still pairs; just beyond it does not.
    assert len(spans((0, 0, 1.0), (1, 0, 0.75), pair_margin=0.25)) == 2
    assert spans((0, 0, 1.0), (1, 0, 0.74), pair_margin=0.25) == [
        ("d#1", "Plans are shared with the family.")
    ]


def test_a_pair_longer_than_pair_words_is_not_quoted():
    # 6 + 6 words.
    assert len(spans((0, 0, 1.0), (1, 0, 0.9), pair_words=12)) == 2
    assert spans((0, 0, 1.0), (1, 0, 0.9), pair_words=11) == [("d#1", "Plans are shared with the family.")]


def test_adjacent_runner_ups_join_the_quote():
    assert spans((0, 1, 1.0), (0, 2, 0.9)) == [("d#1", "Staff meet weekly. The review closes in May.")]
    assert spans((0, 1, 1.0), (0, 0, 0.9)) == [
        ("d#1", "Plans are shared with the family. Staff meet weekly.")
    ]
    # The best first and the runner-up second; the best last and the runner-up just before it.
    assert spans((0, 0, 1.0), (0, 1, 0.9)) == [
        ("d#1", "Plans are shared with the family. Staff meet weekly.")
    ]
    assert spans((0, 2, 1.0), (0, 1, 0.9)) == [("d#1", "Staff meet weekly. The review closes in May.")]


def test_a_runner_up_of_the_same_passage_further_away_is_its_own_span():
    assert spans((0, 0, 1.0), (0, 2, 0.9)) == [
        ("d#1", "Plans are shared with the family."),
        ("d#1", "The review closes in May."),
    ]
    assert spans((0, 2, 1.0), (0, 0, 0.9)) == [
        ("d#1", "The review closes in May."),
        ("d#1", "Plans are shared with the family."),
    ]


def test_a_runner_up_inside_the_quote_or_saying_the_same_is_dropped():
    doc, assistant = _setup(["The panel meets monthly. It reviews every case."])
    best, inside = _candidate(doc, 0, 1), _candidate(doc, 0, 0, 0.9)  # the quote takes sentence 0 already
    out = quote_spans(Choice(best, inside, None), assistant.index, assistant.analyzer, [], AnswerSettings())
    assert [doc.text[s:e] for _, s, e in out] == ["The panel meets monthly. It reviews every case."]
    # The last item of a list the quote takes.
    doc, assistant = _setup(STEPS)
    listed = Choice(_candidate(doc, 0, 0), _candidate(doc, 0, 3, 0.9), None)
    out = quote_spans(listed, assistant.index, assistant.analyzer, [], AnswerSettings())
    assert [doc.text[s:e] for _, s, e in out] == [STEPS[0]]
    doc, assistant = _setup(["By adulthood, 26% of girls say so.", "BY ADULTHOOD, 26% OF GIRLS SAY SO."])
    twice = Choice(_candidate(doc, 0, 0), _candidate(doc, 1, 0, 0.9), None)
    out = quote_spans(twice, assistant.index, assistant.analyzer, [], AnswerSettings())
    assert [(c.passage.passage_id, doc.text[s:e]) for c, s, e in out] == [
        ("d#1", "By adulthood, 26% of girls say so.")
    ]
