"""British and American spellings of a word share one index term: "behaviour" ~ "behavior".

A UK practitioner's document says "offences", "programmes", "behaviour", "organisation"; a question
may say "offenses", "programs", "behavior", "organization" (or the other way round). Stemming does not
join them ("organis" / "organ"), so each word is put in its American spelling before it is stemmed:
by regular rules ("-our", "-ise", "-yse", "-tre", "-bre", "-ogue", "-llor"), each taken only when
the American form is a known word (so "supervise", "promise" and "four" stay as they are), and by a
short list for the rest (data/spelling_variants.txt: "programme", "offence", "paedophile", ...).
Quotes are never touched: only index terms change.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .wordlists import word_pairs

DATA_FILE = "spelling_variants.txt"  # in assistant/data

# (pattern over a lower-case word, replacement, group holding the American base form to look up)
_RULES = (
    # behaviour(s), behavioural, colourful, neighbourhood, favourite, honourable, labourer
    (
        re.compile(
            r"^([a-z]{2,})our(s|ed|ing|al|ally|ite|ites|able|ably|ful|fully|less|hood|hoods|er|ers|ist|ists|ism)?$"
        ),
        r"\1or\2",
        r"\1or",
    ),
    # organise(s/d), organising, organisation(s), organiser(s), realise, recognisable
    (re.compile(r"^([a-z]{3,})is(e|es|ed|ing|ation|ations|ational|er|ers|able)$"), r"\1iz\2", r"\1ize"),
    # analyse(s/d), analysing, paralyse
    (re.compile(r"^([a-z]{2,})ys(e|es|ed|ing)$"), r"\1yz\2", r"\1yze"),
    # centre(s), theatre, metre, fibre, calibre, sombre
    (re.compile(r"^([a-z]{2,}[tb])re(s)?$"), r"\1er\2", r"\1er"),
    # catalogue(s), dialogue, analogue
    (re.compile(r"^([a-z]{3,})ogue(s)?$"), r"\1og\2", r"\1og"),
    # counsellor(s), councillor
    (re.compile(r"^([a-z]{3,})llor(s)?$"), r"\1lor\2", r"\1lor"),
)
# Words a rule would turn into another word: "timbre" is not "timber".
_KEEP = frozenset({"timbre", "amour", "glamour"})


@lru_cache(maxsize=1)
def _listed() -> dict[str, str]:
    return dict(word_pairs(DATA_FILE))


def listed_pairs() -> dict[str, str]:
    """The listed British words and their American forms (their stems are mapped, to cover inflections)."""
    return dict(_listed())


def american(word: str, known: frozenset[str]) -> str:
    """Return the American spelling of a lower-case word by the rules (the word itself when none applies).

    `known` holds the words a rule's result must be (text.lexicon()).
    """
    if word in _KEEP:
        return word
    for pattern, replacement, base in _RULES:
        m = pattern.match(word)
        if m and m.expand(base) in known:
            return m.expand(replacement)
    return word
