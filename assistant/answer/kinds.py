"""What kind of answer a question asks for (a number, a date, a person, the top of a ranking, a
definition) and whether a piece of text holds it."""

from __future__ import annotations

import re

from ..language.text import Analyzer, blank_links, normalise, roles, tokenize

_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
    "hundred hundreds thousand thousands million millions billion half third quarter dozen several "
    "once twice percent per cent".split()
)
# Month names count only capitalised: "we may notify" and "a march" are no dates.
_MONTHS = frozenset(
    "January February March April May June July August September October November December".split()
)
_TIME_WORDS = frozenset(
    "century centuries decade decades year years month months week weeks fortnight day days hour hours "
    "minute minutes immediately promptly straightaway soon earliest today tomorrow yesterday "
    # Times of day and year, and of life: "from infancy on", "at puberty", "in the evening".
    "morning afternoon evening night weekend weekends spring summer autumn winter "
    "birth infancy childhood adolescence puberty".split()
)
_YEAR_UNITS = frozenset("year years century centuries decade decades".split())
DIGIT = re.compile(r"\d")
_FIGURE = re.compile(r"\d(?:[\d,.]*\d)?")
# Thousands separated ("5,000"), or a decimal point that is no clock time ("3.4"; "5.30" and "9.00" are).
_COUNT_ONLY = re.compile(r"\d,\d{3}|^(?!\d{1,2}\.[0-5]\d$).*\d\.\d")


# "What is the name of ...?", "What was the scheme called?": the answer is a name.
_NAME_QUESTION = re.compile(
    r"\bwhat(?:'s| is| was| are| were) (?:the )?names?\b"
    r"|\bwhat (?:is|was|are|were) .{1,40} (?:called|named)\b"
)


# A follow-up's opening word before its question word: "So who informs the parents?", "And where?".
_LEAD = r"^\s*(?:(?:and|so|but|then|ok|okay)\b,?\s+)?"


def expected_type(question: str) -> str:
    """Guess what kind of answer a question wants.

    One of number, date, occasion (a time or a condition), person, place (a name), location (where
    something is kept: a name or "in the ..."), or '' (anything).
    """
    q = normalise(question)
    if _HOW_LONG.search(q):
        return "duration"
    if re.search(
        r"\bhow (many|much|long|old|far|large|big|often|high|tall)\b"
        r"|\bwhat (percentage|proportion|number|amount)\b"
        # "What is Childline's number?", "Which phone line ...?": a phone number.
        r"|\b(numbers?|phone|telephone|helpline)\b",
        q,
    ):
        return "number"
    # "When ...?" asks for a time; "Who visits when the risk is high?" asks for a person.
    first_wh = re.search(r"\b(when|what|which|who|whom|whose|where|why|how)\b", q)
    if first_wh is not None and first_wh.group(1) == "when" and _WHEN_MAY.match(q, first_wh.start()):
        return "occasion"
    if (first_wh is not None and first_wh.group(1) == "when") or re.search(
        r"\b(what year|which year|what date|what time|what century|what decade"
        r"|how (soon|quickly|promptly|fast)|within what time|by what time)\b",
        q,
    ):
        return "date"
    if TIME_LIMIT.search(q):
        return "date"
    if re.search(rf"{_LEAD}(who|whom|whose)\b", q) or (
        re.search(r"\b(who|whom) (is|was|were|are|did|does|wrote|founded)\b", q) or _NAME_QUESTION.search(q)
    ):
        return "person"
    if re.search(rf"{_LEAD}where\b|\bwhere (is|was|are|were|did|does)\b", q):
        return "location" if _STORED.search(q) else "place"
    return ""


# "When can we share information without consent?" asks for a time or for the case in which it may
# be done: "only where not sharing it could be worse ...", "if a child is at risk".
_WHEN_MAY = re.compile(r"when\s+(?:can|could|should|must|may|might|need|needs)\b")
_CONDITION_WORDS = frozenset("if where unless only once whenever provided".split())


# "Where are the records kept?" asks where a thing is kept: "in the child's personal file", "on the
# staff noticeboard" answers it as well as a name does.
_STORED = re.compile(
    r"\b(kept|keep|stored|store|held|filed|saved|placed|put|displayed|posted|located|found|recorded)\b"
)
_LOCATIVE = re.compile(
    r"\b(?:in|on|at|inside|within|into|onto|under|behind|beside|near)\s+(?:the|a|an|their|our|its|his|her"
    r"|your|each|every)\s+(?:\w+['’]s\s+)?(?:\w+\s+)?(\w+)",
    re.IGNORECASE,
)


_COUNT_QUESTION = re.compile(
    r"\bhow (many|much)\b|\bwhat (percentage|proportion|number|amount|share)\b", re.IGNORECASE
)


# "What is the deadline for notifying Ofsted?": only a sentence with a time can answer.
TIME_LIMIT = re.compile(r"\b(deadlines?|time ?limits?|timescales?|time ?frames?)\b", re.IGNORECASE)
# "How long is the record kept?": "for ten years", "until the child is 25", "permanently", "for the
# shortest possible time"; not a bare time word ("improved over the last decade").
_HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)
_SPANS = frozenset(
    "until till permanently indefinitely lifetime duration forever temporary temporarily briefly "
    "shortest".split()
)
_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks fortnight fortnights month months year "
    "years decade decades century centuries generation generations term terms session sessions "
    "mile miles km kilometre kilometres kilometer kilometers metre metres meter meters m ft feet foot "
    "inch inches yard yards".split()
)
PAST_WHEN = re.compile(r"^\s*(?:in\s+|and\s+)?when\s+(?:did|was|were)\b", re.IGNORECASE)


def asks_for_count(question: str) -> bool:
    """Tell whether the question asks for a quantity ("How many ...?", "How long ...?"): no number or
    span of time, no answer."""
    return _COUNT_QUESTION.search(question) is not None or _HOW_LONG.search(question) is not None


def needs_typed_answer(question: str) -> bool:
    """Whether only a sentence with a number or a time can answer: "How many ...?", "How long ...?",
    "When did ...?", "What is the deadline ...?" (the sentences choose() skips when they have none)."""
    return asks_for_count(question) or (
        expected_type(question) == "date" and bool(PAST_WHEN.match(question) or TIME_LIMIT.search(question))
    )


# "What is the LADO's phone number?", "Which number do I ring?": the answer is a number to call.
_PHONE_QUESTION = re.compile(
    r"\b(?:phone|telephone|helpline|hotline|mobile|contact)\s+(?:numbers?|no\.?)\b"
    r"|\bnumbers?\s+(?:to|do\s+I|should\s+I|can\s+I|would\s+I)\s+(?:call|ring|dial|phone|text)\b"
    r"|\b(?:call|ring|dial|phone|text)\s+(?:them\s+)?on\s+what\s+number\b",
    re.IGNORECASE,
)
# A number one can call: three digits or more, alone or in groups ("101", "0300 123 4567",
# "+44 (0)20 8314 7280"), not inside a word or code ("A157") and not a year alone ("in 2023").
_PHONE_NUMBER = re.compile(
    r"(?<![\w/.=#,-])\+?\(?\d[\d ()\-]{1,18}\d(?![\w/,])|(?<![\w/.=#,-])\d{3}(?![\w/,])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def asks_for_phone(question: str) -> bool:
    """Tell whether the question asks for a telephone number (the quote must then hold one)."""
    return _PHONE_QUESTION.search(question) is not None


def has_phone(text: str) -> bool:
    """Whether `text` holds a number one could call (web addresses and link targets aside)."""
    for m in _PHONE_NUMBER.finditer(blank_links(text)):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 3 and not (len(digits) == 4 and _YEAR.fullmatch(digits)):
            return True
    return False


# "What does COSA stand for?": the answer spells an abbreviation out.
STANDS_FOR = re.compile(
    r"\bwhat (?:does|do|did|is|are) (?:the )?(?P<abbr>[A-Z][A-Za-z]{1,9}) (?:stand for|mean|short for)\b"
    r"|\bwhat is (?:the )?(?:full name|long form|meaning|expansion) of "
    r"(?:the )?(?P<abbr2>[A-Z][A-Za-z]{1,9})\b",
    re.IGNORECASE,
)


def asked_abbreviation(question: str) -> str | None:
    """The abbreviation a "What does ATSA stand for?" question asks to spell out (two capitals or
    more, as written: "What does isobaric mean?" asks for no abbreviation), else None."""
    m = STANDS_FOR.search(question)
    abbr = m and (m.group("abbr") or m.group("abbr2"))
    return abbr if abbr and sum(ch.isupper() for ch in abbr) >= 2 else None


def spells_out(abbr: str, text: str) -> bool:
    """Whether `text` gives what `abbr` stands for: "... Accountability (COSA)", "(or QED)",
    "(NOTA - and ...", "vBNS (Very high-speed ...)", "COSA stands for ...". A mention alone
    ("... and ATSA in the US") does not."""
    a = re.escape(abbr)
    return bool(
        re.search(
            rf"\(\s*(?:or\s+|also\s+|aka\s+|i\.e\.\s+)?{a}(?:\s*[),;]|\s+[-–—]\s)|\b{a}\s*\((?!\s*\d)"
            rf"|\b{a}\s+(?:stands\s+for|is\s+short\s+for|is\s+an\s+(?:abbreviation|acronym)|means)\b",
            text,
        )
    )


_DEFINITION_QUESTION = re.compile(
    r"^\s*(?:what|who)(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:a\s+|an\s+|the\s+)?(?P<target>[^?]+?)\s*\??\s*$"
    r"|^\s*what\s+(?:does|do|did)\s+(?:a\s+|an\s+|the\s+)?(?P<target2>[^?]+?)\s+mean\s*\??\s*$"
    r"|^\s*(?:please\s+)?(?:define|explain)\s+(?:a\s+|an\s+|the\s+)?(?P<target3>[^?.]+?)\s*[?.]?\s*$",
    re.IGNORECASE,
)
# "What are the ...?", "Which are ...?", "List the ...": the answer is a list.
LIST_QUESTION = re.compile(r"^\s*(?:what|which) are\b|^\s*(?:list|name) (?:the|all)\b", re.IGNORECASE)
_DEFINERS = frozenset(
    "is are was were means mean refers describes involves comprises consists covers".split()
)
_DETERMINERS = frozenset("a an the".split())


# "Which treatment works best?", "the most effective", "the least used", "the earliest": the question asks
# for the top (or bottom) of a ranking, and a sentence that ranks nothing cannot answer it.
_RANKING = re.compile(r"\b(best|worst|most|least|[a-z]{2,}est)\b(?:[\s-]+([a-z][a-z-]*))?")
_NOT_RANKING = frozenset(
    "interest forest west rest test honest modest suggest request protest contest harvest invest arrest "
    "digest guest chest nest quest priest manifest conquest southwest northwest midwest pest crest vest "
    "tempest earnest attest detest infest ingest unrest behest bequest inquest congest divest everest".split()
)
_TOP = re.compile(
    r"\b(?:best|worst|most|[a-z]{2,}est|better|worse|majority|dominant|main|major|primary|chief|leading|"
    r"largely|mainly|mostly|principal|top|particular|particularly|especially|chiefly|primarily|key)\b",
    re.IGNORECASE,
)
_BOTTOM = re.compile(
    r"\b(?:least|fewest|lowest|smallest|less|fewer|minimum|minority|rarely|rarest)\b", re.IGNORECASE
)


def _ranks(pattern: re.Pattern, quote: str) -> bool:
    """Whether a ranking word of `pattern` is in `quote` as a word, not inside a name ("Better Lives")."""
    return any(
        m.start() == 0 or not m.group()[:1].isupper() or quote[: m.start()].rstrip()[-1:] in ".:;!?\n("
        for m in pattern.finditer(quote)
    )


def _ranking_words(question: str) -> list[tuple[str, str]]:
    """The ranking words of a question with the word after each: ("best", ""), ("most", "effective");
    not "interest" or "most of" (a share, not a ranking)."""
    found = []
    for m in _RANKING.finditer(question[:1].lower() + question[1:]):
        word, following = m.group(1), (m.group(2) or "")
        if word not in _NOT_RANKING and following != "of":
            found.append((word, following))
    return found


def asks_for_ranking(question: str) -> bool:
    """Whether the question asks for the top or bottom of a ranking ("Which works best?")."""
    return bool(_ranking_words(question))


def ranking_unmet(question: str, quote: str) -> bool:
    """Tell whether the question asks for the top or bottom of a ranking that the quote does not give.

    "most W" is met by a ranking word or by W itself ("most power": "the dominant source of power");
    "strongest" by a ranking word or its base ("strong"); "least" only by a word of the bottom end."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", quote)}
    for word, following in _ranking_words(question):
        if word == "least":
            met = _ranks(_BOTTOM, quote)
        elif word == "most" and following:
            stem = following.split("-")[0]
            met = _ranks(_TOP, quote) or any(w.startswith(stem) for w in words)
        elif word.endswith("est") and word not in ("best", "worst"):
            base = word[:-3]
            if base.endswith("i") or (len(base) > 2 and base[-1] == base[-2]):
                base = base[:-1]  # "earliest": "earl(y)"; "biggest": "big"
            met = _ranks(_TOP, quote) or (len(base) >= 3 and any(w.startswith(base) for w in words))
        else:
            met = _ranks(_TOP, quote)
        if not met:
            return True
    return False


def definition_target(question: str, analyzer: Analyzer) -> list[str]:
    """For "What is an allegation?" return the stems of what is to be defined (at most 4 words)."""
    m = _DEFINITION_QUESTION.match(question)
    if m is None:
        return []
    words = (m.group("target") or m.group("target2") or m.group("target3")).split()
    return analyzer.all_terms(" ".join(words)) if len(words) <= 4 else []


def defines(sentence: str, target: list[str], analyzer: Analyzer) -> bool:
    """Tell whether a sentence opens by defining `target`: "An allegation is ...", "MAPPA (...) means"."""
    words = analyzer.all_terms(re.sub(r"\([^)]*\)", " ", sentence[:300]))
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    n = len(target)
    return bool(target) and words[:n] == target and len(words) > n and words[n] in _DEFINERS


# "2.3 Seek advice ...", "(iv) Share ...": a paragraph or item number before a capitalised word.
_PARAGRAPH_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|\((?:\d{1,2}|[ivx]{1,5}|[a-z])\))\s+(?=[A-Z])"
)


def _answer_text(text: str) -> str:
    """A candidate answer without its own paragraph number ("1.2 The LADO ...")."""
    return _PARAGRAPH_NUMBER.sub("", text, count=1)


def _answer_words(text: str) -> list[str]:
    """The words of a candidate answer, without its own paragraph number."""
    return [t.text for t in tokenize(_answer_text(text))]


def has_new_digits(text: str, question_words: set[str]) -> bool:
    """Whether `text` holds a figure in digits that the question does not already say (its own
    paragraph number, "1.2 The LADO ...", does not count)."""
    return any(DIGIT.search(w) and w.lower() not in question_words for w in _answer_words(text))


def has_type(text: str, kind: str, question_words: set[str]) -> bool:
    """Tell whether `text` holds something of the expected kind that the question does not already say."""
    if not kind:
        return True
    body = _answer_text(text)
    words = [t.text for t in tokenize(body)]
    new = [w for w in words if w.lower() not in question_words]
    if kind == "duration":
        # A number with its unit ("for ten years", "over more than one generation", "1,000 km"), not a
        # count of something else ("three factors").
        # So does a starting point or a span of dates ("since 2001", "since the 1950s", "from 1870 to 1939").
        low = [w.lower() for w in words]
        return any(w in _SPANS for w in low if w not in question_words) or any(
            not {w, *low[i + 1 : i + 4]} <= question_words
            and (
                (
                    (DIGIT.search(w) or w in _NUMBER_WORDS or w in ("a", "an"))
                    and _UNITS.intersection(low[i + 1 : i + 4])
                )
                or (w == "since" and any(DIGIT.search(x) for x in low[i + 1 : i + 3]))
                or (
                    DIGIT.search(w)
                    and low[i + 1 : i + 2] == ["to"]
                    and any(DIGIT.search(x) for x in low[i + 2 : i + 3])
                )
            )
            for i, w in enumerate(low)
        )
    if kind == "number":
        return any(DIGIT.search(w) or w.lower() in _NUMBER_WORDS for w in new)
    if kind == "occasion" and any(w.lower() in _CONDITION_WORDS for w in new):
        return True
    if kind in ("date", "occasion"):
        # "5,000 to 30,000" or "3.4" counts something; a year, a day or a clock time has no such figure.
        figures = _FIGURE.findall(body)
        if any(not _COUNT_ONLY.search(f) and f not in question_words for f in figures):
            return True
        # "In what year ...?" wants a year: "at night" or "in the spring" does not say it.
        return not question_words & _YEAR_UNITS and any(w in _MONTHS or w.lower() in _TIME_WORDS for w in new)
    # "Who should I tell?": a role ("the designated safeguarding lead", "social workers") answers too.
    if kind == "person" and any(w.lower() in roles() for w in new):
        return True
    if kind == "location" and any(m.group(1).lower() not in question_words for m in _LOCATIVE.finditer(text)):
        return True
    # person / place: a capitalised word that is not the first word of the sentence.
    return any(w[:1].isupper() for w in new[1:] if w not in words[:1])


# "stage 2", "Step 3", "Article 56", "level two": a numbered part of a procedure or text.
_LABELLED = re.compile(
    r"\b(stage|step|level|phase|part|section|tier|paragraph|chapter|article|rule|option|clause|schedule|"
    r"annex|appendix)s?\s+(\d+(?:\.\d+)*[a-z]?|[ivx]+\b|one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)


def labelled_numbers(text: str) -> set[tuple[str, str]]:
    return {(m.group(1).lower(), m.group(2).lower()) for m in _LABELLED.finditer(text)}
