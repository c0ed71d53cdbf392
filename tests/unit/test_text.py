"""text.py: token and sentence spans, normalisation, index terms, questions and word counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.language.text import (
    WORD_PATTERN,
    Analyzer,
    display_lines,
    is_question,
    joins_across_break,
    normalise,
    split_sentences,
    tokenize,
    word_count,
)

ROOT = Path(__file__).resolve().parents[2]

BUNDLED_ARTICLE = Path(__file__).resolve().parents[2] / "corpus" / "000_7a47272a2cc29dc3.txt"

# Pieces that stress the span code: abbreviations, initials, decimals, quotes, list items, odd spaces.
_PIECES = list("aAbZ .?!\n\t\"'’”“()[]-,:;0159é") + [
    "Dr. ",
    "e.g. ",
    "\n\n(ii) ",
    "R. ",
    "3.5",
    "c. ",
    "\u00a0",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=50).map("".join)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# ---------------------------------------------------------------- tokenize


@pytest.mark.parametrize(
    "text",
    [
        "Don’t stop: NSPCC’S work (CEOP) costs £3.5m, e-mail us.",
        "  leading and trailing spaces  ",
        "Café naïve ÉCOLE",
        "",
    ],
)
def test_every_token_is_the_slice_of_its_span(text):
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_tokenize_keeps_apostrophes_inside_words_only():
    assert [t.text for t in tokenize("Don’t ask the offenders’ views")] == [
        "Don’t",
        "ask",
        "the",
        "offenders",
        "views",
    ]


@settings(max_examples=150, deadline=None)
@given(texts)
def test_token_spans_hold_for_any_text(text):
    assert all(text[t.start : t.end] == t.text and t.text for t in tokenize(text))


# ---------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NSPCC’S", "nspcc's"),
        ("‘quoted’", "'quoted'"),
        ("Café naïve ÉCOLE", "cafe naive ecole"),
        ("Über", "uber"),
    ],
)
def test_normalise_folds_case_curly_quotes_and_accents(raw, expected):
    assert normalise(raw) == expected


# ---------------------------------------------------------------- Analyzer


@pytest.mark.parametrize(
    ("stemmer", "expected"),
    [
        ("porter", ["program", "run", "offend", "gener"]),  # "programmes": American "programs"
        ("snowball", ["program", "run", "offend", "generous"]),
        ("none", ["programmes", "running", "offenders", "generously"]),
    ],
)
def test_analyzer_drops_stop_words_and_stems(stemmer, expected):
    assert (
        Analyzer(stemmer=stemmer).terms("What are the programmes running for offenders generously?")
        == expected
    )


def test_analyzer_terms_ignore_case_accents_and_curly_apostrophes():
    analyzer = Analyzer()
    assert analyzer.terms("NSPCC’S Café") == analyzer.terms("nspcc's cafe")


@pytest.mark.parametrize("word", ["the", "What", "is", "THE", "kind", "sort", "things", "ever", "actually"])
def test_stop_words_have_no_term(word):
    assert Analyzer().term(word) is None


@pytest.mark.parametrize(
    ("hyphenated", "whole"),
    [
        ("con-\ncerns", "concerns"),
        ("work-\n  ing day", "working day"),
        ("safeguard-\ning", "safeguarding"),
        ("commu- \r\nnity", "community"),
        ("under-\nstand", "understand"),
    ],
)
def test_a_word_hyphenated_across_a_line_break_is_one_term(hyphenated, whole):
    analyzer = Analyzer()
    assert analyzer.terms(f"the {hyphenated} here") == analyzer.terms(f"the {whole} here")


@pytest.mark.parametrize("compound", ["multi-\nagency", "child-\ncentred", "long-\nterm", "Anglo-\nSaxon"])
def test_a_compound_broken_at_its_hyphen_stays_two_terms(compound):
    analyzer = Analyzer()
    assert analyzer.terms(compound) == analyzer.terms(compound.replace("\n", ""))
    # The two words, then the compound closed up ("multiagency"), as on one line.
    assert analyzer.terms(compound)[:2] == analyzer.terms(compound.replace("-\n", " "))


def test_a_hyphen_inside_a_line_never_joins():
    analyzer = Analyzer()
    assert analyzer.terms("con- cerns") == analyzer.terms("con cerns")
    assert not joins_across_break("Anglo", "Saxon")


def test_stop_words_can_be_kept():
    assert Analyzer(use_stopwords=False).terms("what is the cost") == ["what", "is", "the", "cost"]


def test_unknown_stemmer_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match="lancaster.*porter, snowball or none"):
        Analyzer(stemmer="lancaster")


# ---------------------------------------------------------------- split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith arrived. He sat down.", ["Dr. Smith arrived.", "He sat down."]),
        (
            "Mr. and Mrs. Jones met Prof. Lee. It went well.",
            ["Mr. and Mrs. Jones met Prof. Lee.", "It went well."],
        ),
        ("Use tools, e.g. Hammers and saws. Then stop.", ["Use tools, e.g. Hammers and saws.", "Then stop."]),
        (
            "See Beckett, R., Beech, A. and Fisher, D. (1994) for details. Next one.",
            ["See Beckett, R., Beech, A. and Fisher, D. (1994) for details.", "Next one."],
        ),
        (
            "It was printed c. 1455 in Mainz. Later copies followed.",
            ["It was printed c. 1455 in Mainz.", "Later copies followed."],
        ),
        ("The rate rose 3.5 percent. It then fell.", ["The rate rose 3.5 percent.", "It then fell."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("He said “Stop.” Then he left.", ["He said “Stop.”", "Then he left."]),
        ("(See above.) Then go on.", ["(See above.)", "Then go on."]),
        ("Is it safe? Yes! It is.", ["Is it safe?", "Yes!", "It is."]),
        ("Ends without a full stop", ["Ends without a full stop"]),
    ],
    ids=[
        "title-Dr",
        "titles-Mr-Mrs-Prof",
        "e.g.",
        "initials",
        "circa",
        "decimal",
        "straight-quote-after-stop",
        "curly-quote-after-stop",
        "bracket-after-stop",
        "question-and-exclamation",
        "unterminated",
    ],
)
def test_split_sentences(text, expected):
    assert sentences(text) == expected


def test_list_items_after_blank_lines_are_sentences():
    text = "Three factors reduce abuse\n\n(i) deterrence, (ii) treatment\n\n(iii) prevention."
    assert sentences(text) == [
        "Three factors reduce abuse",
        "(i) deterrence, (ii) treatment",
        "(iii) prevention.",
    ]


def test_lower_case_after_a_full_stop_does_not_start_a_sentence():
    assert sentences("It rose by 5 per cent. in total. Then it fell.") == [
        "It rose by 5 per cent. in total.",
        "Then it fell.",
    ]


def test_a_line_that_opens_like_a_sentence_after_an_unstopped_line_is_a_sentence():
    text = (
        "Do not confront the person named in the concern\n"
        "Do not question the child again\n"
        "The first call is to the safeguarding lead on 01234 567890"
    )
    assert sentences(text) == text.split("\n")


def test_a_wrapped_line_ending_mid_phrase_is_not_cut():
    text = "The concern was first raised by\nThe Children's Society and the local\nMAPPA panel in 2019."
    assert sentences(text) == [text]


def test_numbered_steps_on_their_own_lines_are_sentences_with_their_numbers():
    text = "1. Tell the lead (Tom Reed)\n2. Record it the same day.\n3. Keep it safe."
    assert sentences(text) == text.split("\n")


def test_a_quotation_spanning_two_sentences_stays_in_one():
    straight = 'The question to ask: "I have a concern. Who do I tell first?" Ask it every time.'
    assert sentences(straight) == [
        'The question to ask: "I have a concern. Who do I tell first?"',
        "Ask it every time.",
    ]
    curly = "She said “Stop. Think.” Then she left."
    assert sentences(curly) == ["She said “Stop. Think.”", "Then she left."]


def test_split_sentences_stays_inside_the_window():
    text = "Outside. Inside one. Inside two. Outside again."
    start, end = text.index("Inside one"), text.index(" Outside again")
    assert [text[s:e] for s, e in split_sentences(text, start, end)] == ["Inside one.", "Inside two."]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "...", "?!"])
def test_no_sentences_without_words(text):
    assert split_sentences(text) == []


def _assert_spans_trimmed_and_ordered(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece.strip() and piece == piece.strip()
        previous_end = e


def test_sentence_spans_of_the_bundled_article_are_trimmed_and_non_empty():
    text = BUNDLED_ARTICLE.read_text(encoding="utf-8")
    spans = split_sentences(text)
    assert len(spans) > 50
    _assert_spans_trimmed_and_ordered(text, spans)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_sentence_spans_are_trimmed_and_non_empty_for_any_text(text):
    _assert_spans_trimmed_and_ordered(text, split_sentences(text))


# ---------------------------------------------------------------- is_question and word_count


@pytest.mark.parametrize(
    "sentence",
    [
        "What are the implications?",
        "What are the implications for treatment and prevention?”",
        "How do we best achieve momentum behind a public health approach?",
        "Is it cost effective?",
    ],
)
def test_direct_questions_are_questions(sentence):
    assert is_question(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "CEOP'S work - ''Think U Know?”",
        "COSA development across the UK needs to be promoted.",
        "What works is still debated.",
        "There are three factors",
        "",
    ],
)
def test_statements_and_titles_are_not_questions(sentence):
    assert not is_question(sentence)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Hello, world", 2),
        ("costs 3.5 % more - not less", 5),
        ("(i)  deterrence, (ii) treatment", 4),
        ("  \n ", 0),
        ("", 0),
    ],
)
def test_word_count_counts_words_a_reader_sees(text, count):
    assert word_count(text) == count


# ---------------------------------------------------------------- nltk parts, loaded lightly


def test_the_porter_stemmer_loaded_without_nltk_init_is_nltks_own():
    import subprocess
    import sys

    # In a fresh interpreter: the light load must not leave stand-in nltk modules behind, and must
    # give the same stems as the normal import (run after it, in the same process).
    code = (
        "import sys, numpy as np\n"
        "from assistant.language.text import NUMBER_WORDS, SHORT_FORMS, Analyzer\n"
        "light = Analyzer(use_stopwords=False)\n"
        "assert not any(m == 'nltk' or m.startswith('nltk.') for m in sys.modules), sorted(sys.modules)\n"
        "from nltk.stem import PorterStemmer\n"
        "full = PorterStemmer()\n"
        "words = str(np.load('assistant/data/wordvecs.npz')['words']).split('\\n')\n"
        "from assistant.language.spelling_variants import american, listed_pairs\n"
        "from assistant.language.text import lexicon, stem_exceptions\n"
        "listed = {full.stem(uk) for uk in listed_pairs()}\n"
        "respelled = {w for w in words if american(w, lexicon()) != w or full.stem(w) in listed}\n"
        "mapped = NUMBER_WORDS.keys() | SHORT_FORMS.keys() | respelled | stem_exceptions().keys()\n"
        "diff = [w for w in words if w not in mapped and light.term(w) != full.stem(w)]\n"
        "print(len(words), diff[:5])\n"
        "assert len(words) > 20000 and not diff\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_word_tokenizer_gives_nltks_regexp_spans():
    from nltk.tokenize import RegexpTokenizer

    reference = RegexpTokenizer(WORD_PATTERN)
    for text in (
        "Jon Brown's article: “What Works” (1980s) - CJS/MAPPA, e.g. NOTA's work; i9n 2003.",
        "It's a child's-eye view, isn’t it? Naïve café — 50% of £1,000.",
    ):
        assert [(t.start, t.end) for t in tokenize(text)] == list(reference.span_tokenize(text))


def test_display_lines_keep_a_break_only_before_a_list_item():
    quote = (
        "provided in some\n\nprobation services:\n\n\n(i) deterrence,\n\n(ii) treatment\n- a bullet\n3. three"
    )
    assert display_lines(quote) == [
        "provided in some probation services:",
        "(i) deterrence,",
        "(ii) treatment",
        "- a bullet",
        "3. three",
    ]
    assert display_lines("  one   line \n") == ["one line"]


def test_a_contraction_of_stop_words_is_a_stop_word():
    analyzer = Analyzer()
    assert analyzer.terms("What number do I call if I'm worried? They're not sure and I can't ask.") == [
        "number",
        "call",
        "worri",
        "sure",
        "ask",
    ]
    # A possessive or a name with an apostrophe is no contraction.
    assert analyzer.terms("Childline's number, O'Brien") == ["childlin", "number", "obrien"]


def test_web_addresses_and_link_targets_give_no_terms():
    analyzer = Analyzer()
    linked = (
        "We follow the [Local Safeguarding Children Board](http://www.example.gov.uk/children/"
        "information-for-staff-and-volunteers) guidance, see www.example.org/staff-help or "
        "[Nick Prater](/trustees/nick_prater.html)."
    )
    assert analyzer.terms(linked) == analyzer.terms(
        "We follow the [Local Safeguarding Children Board] guidance, see or [Nick Prater]."
    )
    # An e-mail address is an answer ("What is the duty desk's email?"): its words stay.
    assert analyzer.term("duty") in analyzer.terms("Email duty@example.gov.uk today")


def test_a_stop_inside_a_markdown_link_text_does_not_end_the_sentence():
    text = (
        "This is based on [What to do if you're worried a child is being abused. (HMG 2006)]"
        "(https://www.gov.uk/what-to-do). We keep a copy. See [the policy. Really](x) too."
    )
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences[0].endswith("(https://www.gov.uk/what-to-do).")
    assert sentences[1] == "We keep a copy."
    # Square brackets that open no link ("[sic]") change nothing.
    plain = "He said it [sic]. Then he left."
    assert [plain[s:e] for s, e in split_sentences(plain)] == ["He said it [sic].", "Then he left."]


def test_html_tags_give_no_terms_and_each_table_row_is_a_sentence():
    analyzer = Analyzer()
    table = (
        "<table>\n  <tr>\n   <td><strong>Child</strong>\n   </td>\n   <td>Persons who are under 18 years\n"
        "   </td>\n  </tr>\n  <tr>\n   <td><strong>UASC</strong>\n   </td>\n   <td>Unaccompanied children.\n"
        "   </td>\n  </tr>\n</table>"
    )
    assert analyzer.term("strong") not in analyzer.terms(table)
    plain = "Child Persons who are under 18 years UASC Unaccompanied children."
    assert analyzer.terms(table) == analyzer.terms(plain)
    rows = [table[s:e] for s, e in split_sentences(table)]
    assert len(rows) == 2 and rows[0].startswith("<tr>") and "under 18 years" in rows[0]
    # "<" and ">" as comparisons are not tags.
    assert analyzer.terms("if 3 < 4 and 5 > 2") == ["3", "4", "5", "2"]


def test_a_hyphenated_compound_is_also_indexed_closed_up():
    analyzer = Analyzer()
    for hyphenated, closed in (
        ("well-being", "wellbeing"),
        ("on-line", "online"),
        ("co-ordinate", "coordinate"),
    ):
        terms = analyzer.terms(f"the {hyphenated} of")
        assert analyzer.term(closed) in terms
        # The parts stay terms too: "agency" still finds "multi-agency".
        assert analyzer.terms("multi-agency")[:2] == [analyzer.term("multi"), analyzer.term("agency")]
    # Not a chain of words or a figure: "day-to-day" is no "dayto" or "today".
    assert analyzer.terms("day-to-day") == [analyzer.term("day"), analyzer.term("day")]
    assert analyzer.terms("COVID-19") == ["covid", "19"]


def test_a_closed_up_question_word_finds_the_documents_hyphenated_one():
    from assistant import Assistant, Document

    doc = Document.from_paragraphs(
        "d",
        [
            "Staff must promote the well-being of every child in their care.",
            "Records are kept for ten years in a locked cabinet.",
        ],
    )
    answer = Assistant([doc]).ask("Who promotes the wellbeing of every child?")
    assert answer.status == "answered"
    assert answer.answer == "Staff must promote the well-being of every child in their care."


_COMPOUND_PIECES = ["well", "being", "a", "on", "line", "-", "-\n", "- \n ", " ", "'", "’s", "1", "_", "é"]


@given(st.lists(st.sampled_from(_COMPOUND_PIECES), max_size=30).map("".join))
@settings(max_examples=300)
def test_closed_up_compounds_are_the_ones_the_analyzer_closes_up(text):
    from assistant.language.text import _closes_up, closed_up_compounds

    tokens = tokenize(text)
    expected = [
        tokens[i].text + tokens[i + 1].text for i in range(len(tokens) - 1) if _closes_up(text, tokens, i)
    ]
    assert closed_up_compounds(text) == expected


@pytest.mark.parametrize(
    ("word", "unrelated"),
    [
        ("authority", "author"),
        ("authorities", "authors"),
        ("community", "communication"),
        ("several", "severe"),
        ("organisation", "organ"),
        ("respondents", "respond"),
        ("general", "generate"),
    ],
)
def test_the_stemmer_does_not_join_unrelated_words(word, unrelated):
    analyzer = Analyzer()
    assert analyzer.term(word) != analyzer.term(unrelated)


def test_stem_exceptions_keep_inflections_and_spellings_together():
    analyzer = Analyzer()
    assert analyzer.term("authorities") == analyzer.term("authority")
    assert analyzer.term("organisations") == analyzer.term("organization")
    assert analyzer.term("communities") == analyzer.term("Community")
    assert Analyzer(stemmer="none").term("authorities") == "authorities"  # no stemmer, no exceptions


def test_the_porter_stemmer_is_loaded_once():
    # The antonym check stems on every ask; re-importing the stemmer each time doubled ask latency.
    from assistant.language.text import porter_stem

    assert porter_stem() is porter_stem()
    assert stem_exceptions_loaded_once()


def stem_exceptions_loaded_once() -> bool:
    from assistant.language.text import stem_exceptions

    return stem_exceptions() is stem_exceptions()


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Children were ambivalently attached.More recent research says 13.2%.",
            ["Children were ambivalently attached.", "More recent research says 13.2%."],
        ),
        ("See nspcc.org.uk and e.g.The Node.Js docs.", ["See nspcc.org.uk and e.g.The Node.Js docs."]),
        ("Call Mr.Smith at 3.30pm.", ["Call Mr.Smith at 3.30pm."]),
    ],
)
def test_a_stop_glued_to_the_next_sentence_still_ends_it(text, sentences):
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


def test_the_word_vectors_store_the_terms_the_analyzer_gives():
    # wordvecs.npz keeps each word's index term per stemmer (tools/build_wordvecs.py --stems); a change
    # to the analyzer (a stem exception, a spelling rule) must be followed by rebuilding them.
    import numpy as np

    data = np.load(ROOT / "assistant" / "data" / "wordvecs.npz")
    words = str(data["words"]).split("\n")
    for stemmer in ("porter", "snowball", "none"):
        analyzer = Analyzer(stemmer=stemmer, use_stopwords=False)
        stored = str(data[f"terms_{stemmer}"]).split("\n")
        # A number word ("two" -> "2") is stored with no term: numbers get no vector.
        expected = ("" if (t := analyzer.term(w) or "").isdigit() else t for w in words)
        differ = [(w, t, e) for w, t, e in zip(words, stored, expected, strict=True) if t != e]
        assert not differ[:5], stemmer
