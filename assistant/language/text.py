"""Text analysis: tokens with character spans, stop words, stemming and sentence spans."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import re
import sys
import types
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .spelling_variants import american, listed_pairs
from .wordlists import word_pairs, word_set


def _import_porter_stemmer():
    """Return nltk's PorterStemmer class, loaded without running nltk's package __init__ files.

    `from nltk.stem import PorterStemmer` first imports all of nltk (corpus readers, translate, and
    scipy.stats when scipy is installed): 0.7-1.4 s of a 1-2 s start-up, for a module that needs only
    nltk.stem.api, nltk.redos and nltk.termsec. Those are loaded under stand-in packages, which are
    removed again afterwards, so a later `import nltk` is the normal full import. When nltk is already
    loaded, or its layout is not the expected one, the normal import is used.
    """
    spec = importlib.util.find_spec("nltk") if "nltk" not in sys.modules else None
    if spec is not None and spec.submodule_search_locations:
        roots = list(spec.submodule_search_locations)
        before = set(sys.modules)
        try:
            for name, path in (("nltk", roots), ("nltk.stem", [os.path.join(r, "stem") for r in roots])):
                package = types.ModuleType(name)
                package.__path__ = path
                sys.modules[name] = package
            return importlib.import_module("nltk.stem.porter").PorterStemmer
        except Exception:  # noqa: BLE001 - any surprise: fall back to the documented import
            pass
        finally:
            for name in set(sys.modules) - before:
                if name == "nltk" or name.startswith("nltk."):
                    del sys.modules[name]
    from nltk.stem import PorterStemmer

    return PorterStemmer


def _import_snowball_stemmer():
    """Return nltk's SnowballStemmer class (the normal import: it needs nltk.corpus)."""
    # `import nltk` loads nltk.metrics, which imports scipy.stats when scipy is installed, only for a
    # statistics function we never call: hide scipy.stats while nltk loads (nltk falls back by itself).
    hide = "scipy.stats" not in sys.modules
    if hide:
        sys.modules["scipy.stats"] = None  # type: ignore[assignment]
    try:
        from nltk.stem.snowball import SnowballStemmer
    finally:
        if hide and sys.modules.get("scipy.stats", 0) is None:
            del sys.modules["scipy.stats"]
    return SnowballStemmer


try:
    NLTK_VERSION = importlib.metadata.version("nltk")  # part of a saved index's key
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - nltk is a dependency
    NLTK_VERSION = ""

WORD_PATTERN = r"\w+(?:['’]\w+)?"
# An HTML tag, as Markdown exports keep them ("<td>", "</strong>", '<a href="...">'): no words of the text.
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]{0,300})?/?>")
# nltk's RegexpTokenizer(WORD_PATTERN).span_tokenize gives the same spans (tests/unit/test_text.py checks)
# but runs through nltk.redos, which made tokenizing 60% of the time of a question.
_WORD = re.compile(WORD_PATTERN)
# Abbreviations after which a full stop does not end a sentence (compared lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof rev st mt no nos vol vols fig figs al etc e.g i.e cf vs approx dept est "
    "c ca fl inc ltd co corp jr sr gen col lt sgt capt gov sen rep ed eds pp p ch sec art para jan feb mar "
    "apr jun jul aug sep sept oct nov dec u.s u.k a.m p.m ph.d".split()
)
# Words that open a direct question; a '?' sentence that starts otherwise ("Think U Know?") is not asked.
QUESTION_OPENERS = frozenset(
    "how what why who whom whose when where which is are was were do does did can could should "
    "would will shall may might must has have had to in".split()
)
# Closing quotes, brackets and Markdown emphasis may follow the stop ("**Check the records.** Read ...").
# Also a stop glued to the next sentence by a scraper ("... were ambivalently attached.More recent
# research ..."): a lower-case word of three letters or more, the stop, a capitalised word.
_SENTENCE_END = re.compile(
    r"[.!?]+['\"’”)\]*_]*(?=\s)|[.!?]+['\"’”)\]*_]*$|(?<=[a-z]{3})[.!?](?=[A-Z][a-z]{2})"
)
# A list item's number: "(iv) ", "b) ", "3. ". One pattern for structure recovery and quoting.
ENUMERATOR = re.compile(r"\(?(?:[ivx]{1,5}|[a-z]|\d{1,2})[).]\s", re.IGNORECASE)
# A bullet before a list item: "- ", "* ", "\u2022 ", "\u2013 ".
# "- ", "* ", and the bullet glyphs of word processors and PDF exports: • – · ● ▪ ◦ ‣ ⁃ ■ ➢.
BULLET_GLYPHS = "-*\u2022\u2013\u00b7\u25cf\u25aa\u25e6\u2023\u2043\u25a0\u27a2"
BULLET = re.compile(r"[" + BULLET_GLYPHS + r"]\s")
# Words that open one step of a list written in prose ("First, ...", "Secondly ...", "Finally, ...").
STEP_WORDS = (
    "first firstly second secondly third thirdly fourth fourthly fifth fifthly sixth sixthly finally lastly"
).split()


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Fold case, accents and typographic quotes so that matching ignores them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()


def tokenize(text: str) -> list[Token]:
    """Split `text` into word tokens that keep their character spans."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the shipped English stop-word list."""
    raw = resources.files("assistant").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in raw.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def roles() -> frozenset[str]:
    """Nouns for people and bodies that act ("volunteers", "lead", "panel"): answers to "who"."""
    return word_set("roles.txt")


# Short forms of contact lists and forms, indexed as the word they shorten ("Tel: 0161 ...").
SHORT_FORMS = {
    "tel": "telephone",
    "mob": "mobile",
    "dept": "department",
    "govt": "government",
    "info": "information",
}

_CONTRACTION = re.compile(r"^(\w+?)(n't|'m|'ve|'d|'ll|'re)$")

# Negations typed without their apostrophe ("cant", "doesnt"): not typos of "can" or "does".
BARE_NEGATIONS = frozenset(
    "cant dont doesnt didnt wont isnt arent wasnt werent shouldnt couldnt wouldnt havent hasnt hadnt "
    "mustnt neednt".split()
)

# "five times" and "5 times" are one term.
NUMBER_WORDS = {
    w: str(n) for n, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), 2)
}


# A hyphen at a line's end, the word going on at the next line's start: "work-\n  ing".
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\r?\n[ \t]*")
# Endings a typesetter breaks off ("safeguard-ing"): the parts are one word even when both are words.
_WORD_ENDINGS = frozenset("ing ings ed er ers est ly ment ments ness tion tions sion sions ity ies".split())


# Text that is no words of the sentence: a web address, the target of a Markdown link "[text](target)",
# an HTML tag.
_NOT_WORDS = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\])]+|\]\(([^()\s]+)\)|" + HTML_TAG.pattern)


def _unindexed_spans(text: str) -> list[tuple[int, int]]:
    """Return the spans of the web addresses, Markdown link targets and HTML tags in `text`."""
    if "://" not in text and "www." not in text and "](" not in text and "<" not in text:
        return []
    return [m.span(1) if m.group(1) else m.span() for m in _NOT_WORDS.finditer(text)]


def blank_links(text: str) -> str:
    """`text` with its web addresses, link targets and HTML tags blanked out (same length)."""
    for start, end in reversed(_unindexed_spans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


@lru_cache(maxsize=1)
def stem_exceptions() -> dict[str, str]:
    """Words the stemmer would join to an unrelated word, with their own terms (data/stem_exceptions.txt)."""
    return dict(word_pairs("stem_exceptions.txt"))


@lru_cache(maxsize=1)
def porter_stem():
    """nltk's Porter stemmer as a cached function, for matching word forms outside the index
    (antonyms: "decreased" ~ "decrease"); index terms come from an Analyzer."""
    return lru_cache(maxsize=50_000)(_import_porter_stemmer()().stem)


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """About 21,700 common lower-case English words (the whole words of the shipped word vectors)."""
    import numpy as np

    with resources.files("assistant").joinpath("data/wordvecs.npz").open("rb") as fh:
        return frozenset(str(np.load(fh)["words"]).split("\n"))


# The words either side of a hyphen, for `closed_up_compounds`.
_LEFT_WORD = re.compile(r"[^\W\d_]+$")
# The right word: letters only, not part of a longer token ("being's") or of a chain ("day-to-day").
_RIGHT_WORD = re.compile(r"([ \t]*\r?\n[ \t]*)?([^\W\d_]+)(?![\w-])(?!['’]\w)")


def closed_up_compounds(text: str) -> list[str]:
    """The hyphenated compounds of two words in `text`, closed up: "well-being" -> "wellbeing".

    The same as the compounds `Analyzer.terms` closes up (tests check that on random text), found
    from each hyphen rather than by tokenizing the whole text: building an index calls this on every
    passage.
    """
    out = []
    token_ends: dict[int, int] | None = None
    hyphen = text.find("-")
    while hyphen != -1:
        at, hyphen = hyphen, text.find("-", hyphen + 1)
        if not at or not text[at - 1].isalpha():
            continue
        right = _RIGHT_WORD.match(text, at + 1)
        if right is None:
            continue
        window = max(0, at - 64)
        left = _LEFT_WORD.search(text, window, at)
        while left.start() == window > 0:  # a word longer than the window: widen it
            window = max(0, window - 1024)
            left = _LEFT_WORD.search(text, window, at)
        start = left.start()
        before = text[start - 1] if start else ""
        if before == "-" or before.isalnum() or before == "_":
            continue  # inside a longer token ("1a-b") or a chain ("day-to-day")
        if before in "'’" and start >= 2 and (text[start - 2].isalnum() or text[start - 2] == "_"):
            # Maybe the end of a token such as "it's" (the tokenizer joins one apostrophe): ask it.
            if token_ends is None:
                token_ends = {t.start: t.end for t in tokenize(text)}
            if token_ends.get(start) != at:
                continue
        if right.group(1) is not None and joins_across_break(left.group(), right.group(2)):
            continue  # one word hyphenated at a line end
        out.append(left.group() + right.group(2))
    return out


def _closes_up(text: str, tokens, i: int) -> bool:
    """Whether tokens i and i + 1 are a compound of two words joined by one hyphen ("well-being", or
    "multi-" / "agency" across a line break), not one word hyphenated by the typesetter ("con-" /
    "cerns"), not part of a longer chain ("day-to-day") nor of a figure ("COVID-19")."""
    if i + 1 >= len(tokens):
        return False
    left, right = tokens[i], tokens[i + 1]
    if not (text.startswith("-", left.end) and left.text.isalpha() and right.text.isalpha()):
        return False
    if right.start != left.end + 1:
        broken = _LINE_BREAK_HYPHEN.fullmatch(text, left.end, right.start)
        if broken is None or joins_across_break(left.text, right.text):
            return False
    return not (left.start >= 1 and text[left.start - 1] == "-") and not text.startswith("-", right.end)


def joins_across_break(left: str, right: str) -> bool:
    """Tell whether `left`-line break-`right` is one word hyphenated by the typesetter.

    "commu-nity", "work-ing", "safeguard-ing" are; "multi-agency" and "child-centred", compounds
    of two words that the joined form is not, are not. A capitalised continuation ("Anglo-Saxon")
    is never joined.
    """
    if not right[:1].islower():
        return False
    low = left.lower()
    words = lexicon()
    return low + right in words or right in _WORD_ENDINGS or low not in words or right not in words


class Analyzer:
    """Turn text into index terms: normalise, tokenize, drop stop words, stem.

    One analyzer is used for passages, sentences and questions so that they always agree.
    """

    def __init__(self, *, stemmer: str = "porter", use_stopwords: bool = True) -> None:
        if stemmer == "porter":
            stem = _import_porter_stemmer()().stem
        elif stemmer == "snowball":
            stem = _import_snowball_stemmer()("english").stem
        elif stemmer == "none":
            stem = str
        else:
            raise ValueError(f"unknown stemmer {stemmer!r} (expected porter, snowball or none)")
        self.stemmer_name = stemmer
        self._stop = stopwords() if use_stopwords else frozenset()
        known = lexicon()
        # British and American spellings share one term; listed words by their stems, which covers
        # their inflections ("offences" ~ "offenses"), the rest by rules (see spelling_variants).
        listed = {stem(uk): stem(us) for uk, us in listed_pairs().items()}
        exceptions = stem_exceptions() if stemmer != "none" else {}

        def american_stem(word: str) -> str:
            word = american(word, known)
            if word in exceptions:
                return exceptions[word]  # "authority" is not "author"
            term = stem(word)
            return listed.get(term, term)

        self._stem = lru_cache(maxsize=200_000)(american_stem)
        # Sentences of the passages retrieved for questions recur: keep their terms.
        self.cached_terms = lru_cache(maxsize=50_000)(self._terms_tuple)

    def term(self, word: str) -> str | None:
        """Return the index term for one word, or None for a stop word."""
        word = normalise(word)
        # "I'm", "you're", "we'll", "don't", "can't": a contraction of stop words is a stop word.
        short = _CONTRACTION.match(word)
        if short and (short.group(1) in self._stop or short.group(2) == "n't"):
            return None
        word = word.replace("'", "")
        if word.endswith("s") and word[:-1] in self._stop:
            return None
        if word in self._stop or word in BARE_NEGATIONS:
            return None
        return NUMBER_WORDS.get(word) or self._stem(SHORT_FORMS.get(word, word))

    def terms(self, text: str) -> list[str]:
        """Return the index terms of `text`, in order, repeats kept.

        A web address ("https://www.gov.uk/...", a Markdown link's target) gives no terms: its words
        ("children", "staff" in ".../information-for-staff-and-volunteers") are not the sentence's.
        A word hyphenated across a line break ("work-\ning", "safeguard-\ning") is one term; a
        compound broken at its own hyphen ("multi-\nagency") stays two (`joins_across_break`).
        """
        out = []
        tokens = tokenize(text)
        hidden = _unindexed_spans(text)  # in order: walk them alongside the tokens
        h = 0
        skip = False
        compounds: list[str] = []
        for i, tok in enumerate(tokens):
            if skip:
                skip = False
                continue
            while h < len(hidden) and hidden[h][1] <= tok.start:
                h += 1
            if h < len(hidden) and hidden[h][0] <= tok.start:
                continue
            word = tok.text
            if text.startswith("-", tok.end) and i + 1 < len(tokens):
                after = tokens[i + 1]
                if _LINE_BREAK_HYPHEN.fullmatch(text, tok.end, after.start) and joins_across_break(
                    word, after.text
                ):
                    word, skip = word + after.text, True
            term = self.term(word)
            if term is not None:
                out.append(term)
            if i > 0 and _closes_up(text, tokens, i - 1):
                compounds.append(tokens[i - 1].text + word)
        # "well-being" is "wellbeing" too, "on-line" "online", "co-ordinate" "coordinate": the closed-up
        # words come after the text's own (`closed_up_compounds`).
        out.extend(t for t in map(self.term, compounds) if t is not None)
        return out

    def _terms_tuple(self, text: str) -> tuple[str, ...]:
        return tuple(self.terms(text))

    def all_terms(self, text: str) -> list[str]:
        """Return every token's stem, stop words included (for phrase and novelty checks)."""
        return [self._stem(normalise(t.text).replace("'", "")) for t in tokenize(text)]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text[start:end], whitespace trimmed.

    A sentence ends at . ! or ? (with any closing quotes or brackets) followed by space and a
    plausible sentence start, but not after a known abbreviation or a single initial ("R.").
    A blank line followed by a list item ("(ii) ...") also starts a new sentence.
    """
    end = len(text) if end is None else end
    spans = []
    cut = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() <= cut:
            continue
        if (
            _is_boundary(text, m.start(), m.end(), end)
            and not _inside_quote(text, cut, m.end(), end)
            and not _inside_link_text(text, m.start(), m.end(), end)
        ):
            spans.append((cut, m.end()))
            cut = m.end()
    spans.append((cut, end))
    result = []
    for s, e in spans:
        for s2, e2 in _split_list_items(text, s, e):
            s2, e2 = trim_span(text, s2, e2)
            if e2 > s2 and any(ch.isalnum() for ch in HTML_TAG.sub("", text[s2:e2])):
                result.append((s2, e2))
    return result


_QUESTION_LABEL = re.compile(r"^\s*(?:q|question)\s*\d{0,3}\s*[:.)-]\s*", re.IGNORECASE)


def is_question(sentence: str) -> bool:
    """Tell whether a sentence is itself a direct question (ends with '?' and opens like one)."""
    stripped = sentence.strip().rstrip("'\"’”)] ")
    if not stripped.endswith("?"):
        return False
    # An FAQ's label ("Q: Can a volunteer start ...?", "Question 3. How long ...?") is not the opening.
    stripped = _QUESTION_LABEL.sub("", stripped)
    words = [t.text.lower() for t in tokenize(stripped)[:3]]
    return bool(words) and words[0] in QUESTION_OPENERS


# A line break before a list item ("(ii) ", "3. ", "b) ", "- ", "\u2022 "): displays keep it.
_ITEM_BREAK = re.compile(
    r"\n\s*(?=" + BULLET.pattern + r"|\(?(?:\d{1,3}|[ivxlc]{1,6}|[a-z])[.)]\s)", re.IGNORECASE
)


def display_lines(quote: str) -> list[str]:
    """Split a quote into the lines a reader should see: one per list item, other whitespace as one space."""
    return [line for line in (" ".join(part.split()) for part in _ITEM_BREAK.split(quote)) if line]


# A word's first letter or digit and the rest of its run of non-space characters: one match per word,
# found in linear time (a run without letters or digits is skipped a character at a time, never rescanned).
# For str patterns [^\W_] is exactly str.isalnum and \S exactly not str.isspace (checked over every code
# point), so this counts what text.split() and isalnum would.
_WORD_FROM_FIRST_ALNUM = re.compile(r"[^\W_]\S*")


def word_count(text: str) -> int:
    """Count the words of `text` as a reader would (runs of non-space characters with a letter or digit).

    As `sum(1 for w in text.split() if any(ch.isalnum() for ch in w))`, about 3 times faster: documents
    are split into passages by it on every start.
    """
    return len(_WORD_FROM_FIRST_ALNUM.findall(text))


def _inside_link_text(text: str, mstart: int, mend: int, limit: int) -> bool:
    """Whether a stop falls inside the text of a Markdown link: "[What to do if you're worried a child
    is being abused. (HMG 2006)](https://...)" is one title, not two sentences."""
    # Link texts are short: look back at most 300 characters, so a huge one-line paragraph stays linear.
    line_start = text.rfind("\n", max(0, mstart - 300), mstart) + 1
    opening = text.rfind("[", max(line_start, mstart - 300), mstart)
    if opening < 0 or "]" in text[opening:mstart]:
        return False
    close = text.find("](", mend, min(limit, mend + 300))
    return close >= 0 and "[" not in text[mend:close] and "\n\n" not in text[mend:close]


def _is_boundary(text: str, mstart: int, mend: int, limit: int) -> bool:
    mark = text[mstart]
    # What follows: skip spaces, then look at the first visible character.
    i = mend
    while i < limit and text[i].isspace():
        i += 1
    if i >= limit:
        return True
    nxt = text[i]
    if mark == ".":
        word_start = mstart
        while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
            word_start -= 1
        word = text[word_start:mstart].lower()
        if word in ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isalpha() and text[word_start].isupper():
            return False  # an initial, as in "Beckett, R., Beech, A."
        if word.isdigit() and nxt.isdigit():
            return False
        if ENUMERATOR.match(text, word_start):
            j = word_start
            while j > 0 and text[j - 1] in " \t":
                j -= 1
            if j == 0 or text[j - 1] == "\n":
                return False  # "1. DSL first": the number of a list item opening its line
    if nxt in "*_" and i + 2 < limit and text[i + 1] == nxt:
        nxt = text[i + 2]  # "**Tell someone.**": emphasis opens the next sentence
    return nxt.isupper() or nxt.isdigit() or nxt in "\"'‘“(["


def _inside_quote(text: str, start: int, at: int, limit: int) -> bool:
    """Whether `at` falls inside a quotation that opened after `start` and closes later on the same line
    ('The Pause question: "I have a concern. Before I act, I am consulting the DSL."')."""
    before = text[start:at]
    curly = before.count("“") > before.count("”")
    if not curly and before.count('"') % 2 == 0:
        return False
    after = text[at : min(limit, at + 400)].split("\n", 1)[0]
    return ("”" if curly else '"') in after


def _split_list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span before list items that start after a blank line ("\n\n(ii) ..."), before each bullet
    line ("\n- LADO - the ...") and before each row of a Markdown table ("\n| Deputy lead | Tom Reed |"),
    so one item or row can be quoted."""
    cuts = [start]
    for m in re.finditer(r"\n[ \t]*\n\s*", text[start:end]):
        item_at = start + m.end()
        if ENUMERATOR.match(text, item_at):
            cuts.append(item_at)
    cuts += [start + m.end() for m in re.finditer(r"\n[ \t]*(?=\||" + BULLET.pattern + ")", text[start:end])]
    cuts += [start + m.end() for m in _NUMBERED_LINE.finditer(text[start:end])]
    # Each row of an HTML table ("<tr> <td>Child</td> <td>Persons under 18</td> </tr>") is a sentence.
    cuts += [start + m.start() for m in _HTML_ROW.finditer(text[start:end])]
    if "\n" in text[start:end] and not is_wrapped(text[start:end]):
        # A line of its own ("Do NOT confront ...", "Tel: 0161 ..."), unless the lines are prose wrapped
        # at a fixed width, where a line may start with any word.
        line_start = start
        for m in re.finditer(r"\n[ \t]*", text[start:end]):
            line, at = text[line_start : start + m.start()], start + m.end()
            line_start = at
            if (_SENTENCE_LINE.match(text, at) and _ends_statement(line)) or (
                _LABEL_LINE.match(text, at) and _ends_line(line)
            ):
                cuts.append(at)
    cuts = sorted(set(cuts))
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


_HTML_ROW = re.compile(r"<tr\b", re.IGNORECASE)
# A numbered step on its own line ("\n2. Deputy DSLs - ...") is a sentence of its own, as a bullet is.
_NUMBERED_LINE = re.compile(r"\n[ \t]*(?=\d{1,2}[.)]\s+[A-Z])")
# A line that is a statement of its own: the line before it ends without a full stop, and it opens
# like a sentence ("Do NOT confront ...", "The Pause question: ...").
_SENTENCE_LINE = re.compile(r"(?:The|Do|If|When|All|This|It|You|We|A|An|In)\b")


# "Tel: 0161 905 2371", "Deputy DSL: Jane Roberts - Deputy Headteacher": a labelled line of a contact
# list or a form, one fact each.
_LABEL_LINE = re.compile(r"(?:\*\*|__)?[A-Z][^\n:.!?*_]{0,50}:(?:\*\*|__)?[ \t]+\S")


def is_wrapped(block: str) -> bool:
    """Whether a block is prose wrapped at a fixed width: at each line break the next word would not
    have fitted on the line before (in a contact list or a procedure, lines end where they choose)."""
    lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
    if len(lines) < 3:
        return False  # two lines say too little: the longer one is the width
    width = max(len(line) for line in lines)
    full = sum(len(a) + 1 + len(b.split()[0]) > width for a, b in zip(lines, lines[1:], strict=False))
    return full >= 0.9 * (len(lines) - 1)


def _ends_line(line: str) -> bool:
    """Whether a line can end there (not "... and", "... the local,")."""
    words = line.split()
    return bool(words) and words[-1][-1:] not in ",;-–—(" and words[-1].lower() not in _CONTINUES


def _ends_statement(line: str) -> bool:
    """Whether a line ends as a statement can (not mid-phrase: "... published by", "... the local")."""
    words = line.split()
    return bool(words) and words[-1][-1:].isalnum() and words[-1].lower() not in _CONTINUES


# Words after which a line runs on: articles, prepositions, conjunctions, possessives.
_CONTINUES = frozenset(
    "a an the of to in on at by for from with and or but nor as than that which who whose whom into onto "
    "upon about over under between through via per its their his her our your my this these those".split()
)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a span's ends in past any white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def capital_runs(tokens, joiners: tuple[str, ...]) -> list[list[str]]:
    """Runs of capitalised words after the first word ("Merit Network", "Better Lives"), carried on
    across the small words in `joiners` ("Department of Health")."""
    return [[tok.text for tok in tokens[a:b]] for a, b in capital_spans(tokens, joiners)]


def capital_spans(tokens, joiners: tuple[str, ...]) -> list[tuple[int, int]]:
    """The (start, end) token indices of the runs `capital_runs` returns."""
    spans, start = [], None
    for i in range(1, len(tokens)):
        text = tokens[i].text
        if text[:1].isupper() or (start is not None and text.lower() in joiners):
            start = i if start is None else start
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(tokens)))
    return spans
