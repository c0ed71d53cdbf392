"""Follow-up questions: carry the topic of earlier turns into a question that refers back to it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..language.text import STEP_WORDS, Analyzer, roles, stopwords, tokenize

ANAPHORA = frozenset(
    "it its they them their theirs this that these those he she him his her hers former latter".split()
)
# "one" refers back only after these ("which one", "the first one"), not in "one third".
_ONE_AFTER = frozenset("which the first second third last that this each other".split())
# "this article" / "that report" point at the document, not at an earlier turn.
DOCUMENT_NOUNS = frozenset("article document paper report text guidance author piece page".split())
_CONTINUATIONS = re.compile(
    r"^\s*(?:and|also|what about|how about|what else|and what about|what of"
    r"|(?:with|for|in|on|at|by|from|to|of|about|under|since|until) (?:which|what|whom|who|when|how)"
    r"|why|how|when|where|who)\s*\??\s*$"
    r"|^\s*(?:and|also|what about|how about|what else|and what about|what of)\b"
    r"|^\s*(?:with|for|in|on|at|by|from|to|of|about|under|since|until) (?:which|what|whom|who"
    r"|how (?:many|much|long|often))\b"
    # "What other examples are there?", "Who else ...?"
    r"|^\s*(?:what|which|who|where|any|are there(?: any)?)\s+(?:other|else|more)\b"
    # "How quickly?", "How often?", "Why not?": a question word and an adverb, nothing to search for.
    r"|^\s*(?:and\s+|but\s+|so\s+)?(?:how|when|where|why|who)\s+(?:quickly|soon|fast|often|frequently"
    r"|long|much|many|exactly|else|not|so|come|far|urgently)\s*\??\s*$",
    re.I,
)
# Anywhere in the question: "What happens to concerns as a result?"
_REFERS_BACK = re.compile(
    r"\b(?:as a result|in that case|because of that)\b"
    # "Which survey found the highest?": a superlative with no noun after it is of what came before.
    r"|\bthe (?:most|least|highest|lowest|biggest|largest|smallest|greatest|best|worst|commonest|"
    r"most common|least common)\s*[?.!]*\s*$",
    re.I,
)


_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "last": -1, "final": -1,
}  # fmt: skip
# "the first one", "the second factor", "the last of these": a pointer into a list the previous answer
# gave. Without a generic noun the next word must be a function word, so "the first schemes" stays a
# question of its own.
_ORDINAL_REFERENCE = re.compile(
    r"\bthe (?P<ordinal>" + "|".join(_ORDINALS) + r")"
    r"(?P<noun> (?:one|item|point|factor|option|thing|area|element|stage|step|aspect|measure)s?\b"
    r"| of (?:these|those|them|the \w+))?"
    r"(?P<next>\s*(?:[?.!,;:]|$)| (?:in|on|from|you|that|listed|mentioned|is|was|of|again)\b)?",
    re.I,
)
# List markers inside one answer: "(i)", "(ii)", "(a)", "(1)", "1.", "a)", or bullets at a line start.
_LIST_MARKER = re.compile(
    r"\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)|(?<![\w.])(?:[a-h]|\d{1,2})[.)](?=\s)|^\s*[-*\u2022]\s"
    # or steps in prose: "First, all agencies should ... Second, police should ..."
    r"|(?:^|(?<=[.!?]\s))\s*(?:" + "|".join(w.capitalize() for w in STEP_WORDS) + r"),\s",
    re.M,
)


_SERIES_START = re.compile(r":\s+|\bsuch as\s+|\bincluding\s+", re.I)


@dataclass(frozen=True, slots=True)
class Resolution:
    text: str  # what is searched: the question, plus "(topic words)" carried from earlier turns
    carried: frozenset[str]  # index terms that came from earlier turns, not from the question


@dataclass(frozen=True, slots=True)
class Turn:
    question: str
    answer: str = ""
    resolved_question: str = ""


def parse_history(history) -> list[Turn]:
    """Turn `history` (strings, or mappings with question/answer) into Turns.

    Raises:
        TypeError: an item is neither a string nor a mapping with a string `question`.
    """
    if history is None:
        return []
    if not isinstance(history, list | tuple):
        raise TypeError("history must be a list of earlier turns")
    turns = []
    for item in history:
        if isinstance(item, str):
            turns.append(Turn(item))
        elif isinstance(item, dict) and isinstance(item.get("question"), str):
            answer = item.get("answer")
            resolved = item.get("resolved_question")
            turns.append(
                Turn(
                    item["question"],
                    answer if isinstance(answer, str) else "",
                    resolved if isinstance(resolved, str) else "",
                )
            )
        elif isinstance(item, Turn):
            turns.append(item)
        else:
            raise TypeError(
                "each history item must be a question string or an object with a 'question' string"
            )
    return turns


def resolve(question: str, history: list[Turn], analyzer: Analyzer) -> Resolution:
    """Return the question to search: the question itself, or it plus the earlier topic words.

    "The second one" after an answer that lists items is replaced by that item.
    """
    picked = pick_listed_item(question, history[-1].answer if history else "")
    if picked is not None:
        carried = frozenset(analyzer.terms(picked)) - frozenset(analyzer.terms(question))
        return Resolution(picked, carried)
    person = _who_was_named(question, history[-1]) if history else ""
    if person:
        # "Who makes the final decision?" ... "What is their phone number?": "their" is the person the
        # answer named ("the independent chair"), not the decision.
        text = f"{question.strip()} ({person})"
        return Resolution(text, frozenset(analyzer.terms(person)) - frozenset(analyzer.terms(question)))
    topic = ""
    for turn in history:
        if not turn.question.strip():
            continue
        topic = turn.resolved_question or _resolve_one(turn.question, topic, analyzer)
    text = _resolve_one(question, topic, analyzer)
    carried = frozenset(analyzer.terms(text)) - frozenset(analyzer.terms(question))
    return Resolution(text, carried)


_WHO_QUESTION = re.compile(r"^\W*(?:and\s+|so\s+)?who\b", re.IGNORECASE)
_PERSON_PRONOUN = re.compile(r"\b(?:they|them|their|theirs|he|him|his|she|her|hers)\b", re.IGNORECASE)


def _who_was_named(question: str, last: Turn) -> str:
    """The person or body the answer to an earlier "Who ...?" named, when this question refers to them:
    roles with the word before them ("independent chair", "line manager") and names of two or more
    capitalised words ("Sam Okafor"); "" otherwise."""
    if not last.answer or not refers_to_person(question, last.question):
        return ""
    asked = {t.text.lower() for t in tokenize(last.question)}
    tokens = tokenize(last.answer)
    found: list[str] = []
    for i, tok in enumerate(tokens):
        word = tok.text.lower()
        if word in roles() and word not in asked:
            before = tokens[i - 1].text if i > 0 and tokens[i - 1].text.islower() else ""
            if before in stopwords():
                before = ""
            found.append(f"{before} {tok.text}".strip())
        elif i > 0 and tok.text[:1].isupper() and i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper():
            found.append(f"{tok.text} {tokens[i + 1].text}")
    return " ".join(dict.fromkeys(found))


def refers_to_person(question: str, earlier_question: str) -> bool:
    """Tell whether the question's "they"/"their"/"him" points at whoever an earlier "Who ...?" was about."""
    return bool(_WHO_QUESTION.match(earlier_question) and _PERSON_PRONOUN.search(question))


def refers_to_listed_item(question: str) -> bool:
    """Tell whether the question points into a list ("the first one", "the last of these")."""
    return _ordinal_reference(question) is not None


def _ordinal_reference(question: str) -> re.Match | None:
    for m in _ORDINAL_REFERENCE.finditer(question):
        if m.group("noun") or m.group("next") is not None:
            return m
    return None


def pick_listed_item(question: str, previous_answer: str) -> str | None:
    """Return `question` with "the first one" replaced by the first item the previous answer lists.

    None when the question has no such pointer or the answer lists fewer items than it needs.
    """
    m = _ordinal_reference(question)
    if m is None or not previous_answer:
        return None
    items = list_items(previous_answer)
    index = _ORDINALS[m.group("ordinal").lower()]
    if len(items) < 2 or index >= len(items):
        return None
    rest = m.end("noun") if m.group("noun") else m.end("ordinal")
    return f"{question[: m.start()]}{items[index]}{question[rest:]}"


def list_items(text: str) -> list[str]:
    """Return the items of the first list in `text`: enumerated ("(i) deterrence, (ii) ..."), bulleted,
    or a series after a colon or "such as" ("four outcomes: substantiated, malicious, false or ...")."""
    markers = list(_LIST_MARKER.finditer(text))
    if not markers:
        return _series(text)
    items = []
    for i, m in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        item = text[m.end() : end]
        if i + 1 == len(markers):
            item = re.split(r"(?<=[a-z])[.;:](?:\s|$)|\n\s*\n", item, maxsplit=1)[0]
        item = re.sub(r"(?:[\s,;:.]|\band\b|\bor\b)+$", "", item.strip())
        if item:
            items.append(" ".join(item.split()))
    return items


def _series(text: str) -> list[str]:
    """Return the short items of an inline series ("a, b, c or d") after a colon, "such as" or "including"."""
    m = _SERIES_START.search(text)
    if m is None:
        return []
    clause = re.split(r"[.;:!?](?:\s|$)", text[m.end() :], maxsplit=1)[0]
    items = [" ".join(i.split()) for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", clause)]
    items = [i for i in items if i]
    if len(items) < 3 or any(len(i.split()) > 6 for i in items):
        return []
    return items


def is_follow_up(question: str, analyzer: Analyzer) -> bool:
    """Tell whether a question leans on an earlier turn (a pronoun, "what about ...", or no topic)."""
    words = [normal for normal in (t.text.lower() for t in tokenize(question))]
    if _CONTINUATIONS.match(question) or _REFERS_BACK.search(question):
        return True
    for i, word in enumerate(words):
        if word in ("one", "ones") and i > 0 and words[i - 1] in _ONE_AFTER:
            return True
        if word in ANAPHORA:
            following = words[i + 1] if i + 1 < len(words) else ""
            if word in ("this", "that", "these", "those") and following and following not in ANAPHORA:
                # "this article" is the document; "that approach" names a topic of an earlier turn.
                if following in DOCUMENT_NOUNS:
                    continue
            return True
    return not analyzer.terms(question)


def _resolve_one(question: str, topic: str, analyzer: Analyzer) -> str:
    if not topic or not is_follow_up(question, analyzer):
        return question
    own = set(analyzer.terms(question))
    carried = []
    for tok in tokenize(_strip_brackets(topic)):
        term = analyzer.term(tok.text)
        if term is not None and term not in own and tok.text.lower() not in ANAPHORA:
            own.add(term)
            carried.append(tok.text)
    if not carried:
        return question
    return f"{question.strip()} ({' '.join(carried)})"


def _strip_brackets(text: str) -> str:
    # A resolved question looks like "Q (topic words)"; keep both parts as the topic.
    return text.replace("(", " ").replace(")", " ")
