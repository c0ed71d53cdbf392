"""Recover a document's structure from its raw text: title and byline, sections, paragraphs, passages.

General rules, not rules for one file: blank-line separated blocks that continue each other are joined,
headings open sections, lists keep their items, boilerplate and running headers are left out, and each
paragraph becomes one passage (or several, when very long) with its sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from ..language.text import (
    BULLET_GLYPHS,
    ENUMERATOR,
    is_question,
    is_wrapped,
    split_sentences,
    trim_span,
    word_count,
)


class Document(Protocol):
    """What this module reads and fills in of a document.Document (which imports this module, not the
    other way round): its text and metadata, its passage list, the spans left out, the front block."""

    text: str
    metadata: dict
    passages: Any
    excluded: list[tuple[int, int, str]]

    def set_front(self, start: int, end: int) -> None: ...


_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")
_ENUMERATED = re.compile(r"^\s*" + ENUMERATOR.pattern, re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[" + BULLET_GLYPHS + r"]\s+|" + ENUMERATOR.pattern + ")", re.IGNORECASE)
_TERMINATED = re.compile(r"[.!?][\"'’”)\]]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
# A Markdown thematic break ("* * *", "*******", "___"): a separator, never text. ("---" under a line
# underlines a heading instead, so it is left alone.)
_THEMATIC_BREAK = re.compile(r"^[ \t]{0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
# "12. Practitioners should share information ...": a numbered paragraph of guidance.
_NUMBERED_PARAGRAPH = re.compile(r"^\d{1,3}\.\s+[A-Z]")
_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s+[A-Z]")
_BYLINE = re.compile(r"^(?:[-–—]+\s*|by\s+)[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}$", re.IGNORECASE)
_REFERENCE = re.compile(
    r"^[A-Z][\w'’-]+,\s+(?:[A-Z]\.?[ ,]*)+"  # Beckett, R., ...
    # Smith and Jones (2008)
    r"|^[A-Z][\w'’-]+(?:,?\s+(?:and\s+|&\s+)?[A-Z][\w'’-]+)*\s+\((?:19|20)\d\d[a-z]?\)"
)
_REFERENCE_HEADINGS = {"references", "bibliography", "sources", "further reading", "notes"}
# Text pasted without sentence punctuation (a PDF dump) can make one "sentence" of thousands of words.
# Longer than _RUN_ON_WORDS, it is cut into pieces of _RUN_ON_PIECE_WORDS words (fewer than a quote's
# clip window, so a quote holds the words that matched), and a paragraph longer than _MAX_PASSAGE_WORDS
# into several passages at sentence boundaries: each question then does bounded work.
_RUN_ON_WORDS = 200
_RUN_ON_PIECE_WORDS = 50
_MAX_PASSAGE_WORDS = 500
_NON_SPACE = re.compile(r"\S+")
# Words that cannot end a sentence: a block ending in one continues in the next block.
_DANGLING = frozenset(
    "a an the and or but of in on at to for with by from as that which who whose some their its "
    "our this these those into onto than about between within".split()
)


@lru_cache(maxsize=1)
def _boilerplate() -> tuple[re.Pattern, ...]:
    raw = resources.files("assistant").joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    lines = (ln.strip() for ln in raw.splitlines())
    return tuple(re.compile(ln, re.IGNORECASE) for ln in lines if ln and not ln.startswith("#"))


def _blocks(text: str) -> list[tuple[int, int]]:
    """Return the spans of blank-line separated blocks, whitespace trimmed."""
    spans, pos = [], 0
    for m in _BLANK_LINES.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    trimmed = (trim_span(text, s, e) for s, e in spans)
    return [(s, e) for s, e in trimmed if e > s]


def _split_marked_lines(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a block at the Markdown lines that stand alone without a blank line around them: a heading
    ("...their body.\n###  6. Role-play scenarios.") becomes a block of its own and a thematic break
    ("* * *") goes, so neither is read into the sentence before or after it."""
    out = []
    for s, e in blocks:
        start = s
        for m in re.finditer(r"[^\n]+", text[s:e]):
            a, b = s + m.start(), s + m.end()
            line = text[a:b]
            heading = _MD_HEADING.match(line.lstrip()) is not None and a > s
            if not heading and not _THEMATIC_BREAK.match(line):
                continue
            if text[start:a].strip():
                out.append(trim_span(text, start, a))
            if heading:
                start = a  # the heading opens the next block, with the lines after it
            else:
                start = b
        if text[start:e].strip():
            out.append(trim_span(text, start, e))
    return out


def _split_boilerplate_lines(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a web page's leftovers out of the block they share lines with ("Was this page helpful? Yes No"
    / "Cookies on this site" / "We use cookies ..."): each such line becomes a block of its own, which
    is then dropped as boilerplate."""
    out = []
    for s, e in blocks:
        block = text[s:e]
        if "\n" not in block or is_wrapped(block) or _is_boilerplate(block):
            # One line, wrapped prose (whose lines are prose, whatever they look like), or a leftover
            # as a whole ("Press back browser button to return to" / "the HOME PAGE").
            out.append((s, e))
            continue
        start = s
        for m in re.finditer(r"[^\n]+", text[s:e]):
            a, b = s + m.start(), s + m.end()
            if text[a:b].strip() and _is_boilerplate(text[a:b]):
                if text[start:a].strip():
                    out.append((start, a))
                out.append((a, b))
                start = b
        if text[start:e].strip():
            out.append((start, e))
    # Trim the white space the cuts leave at either end.
    return [trim_span(text, s, e) for s, e in out]


def _is_boilerplate(block: str) -> bool:
    return word_count(block) <= 25 and any(p.search(block.strip()) for p in _boilerplate())


def _continues(prev: str, nxt: str, in_list: bool, numbered: bool = False) -> bool:
    """Tell whether block `nxt` continues the paragraph that ends with block `prev`.

    `numbered`: the document numbers its paragraphs ("12. Practitioners should ..."), so such a block
    after a finished sentence is a paragraph of its own, not the next item of a list.
    """
    if _MD_HEADING.match(prev) or _MD_HEADING.match(nxt):
        # "## Escalation" then "1. Raise the concern ...": the list opens the section; and a heading
        # opens a section even after a line left unfinished ("According to X, author of").
        return False
    if numbered and _NUMBERED_PARAGRAPH.match(nxt) and _TERMINATED.search(prev) and _TERMINATED.search(nxt):
        return False
    if _NUMBERED_HEADING.match(nxt) and _is_heading(nxt) and not in_list and not prev.endswith(":"):
        return False  # "1. Introduction" opens a section; it does not continue a title or paragraph
    if _ENUMERATED.match(nxt):
        if not in_list and _is_title_line(prev):
            return False  # "Escalation steps" then "1. Raise the concern ...": a heading, not an intro
        return in_list or not _TERMINATED.search(prev)
    if _BULLET.match(nxt) and (in_list or prev.rstrip().endswith(":")):
        return True  # "... a person has:" then "- behaved ...": the list joins its introduction
    if _TERMINATED.search(prev) or prev.endswith(":") or _MD_HEADING.match(prev):
        return False
    first = nxt.lstrip()[:1]
    if first.islower() or first in ",;)":
        return True
    if _NUMBER_GOES_ON.match(nxt.lstrip()) and word_count(prev) >= 8 and not _is_heading(prev.strip()):
        return True  # "... compliant with Working Together to Safeguard Children" / "2010 and the ..."
    if prev.count("(") > prev.count(")"):
        return True
    return _ends_dangling(prev)


# A number that goes on in lower case ("2010 and the Fostering ...", "42 criminal justice areas").
_NUMBER_GOES_ON = re.compile(r"\d[\d,.%]*\s+[a-z]")


def _ends_dangling(block: str) -> bool:
    """Tell whether a block ends on a word that needs more after it ("in", "the", "which")."""
    last_word = re.findall(r"[\w']+$", block.lower())
    return bool(last_word) and last_word[0] in _DANGLING


def _is_title_line(block: str) -> bool:
    """A short heading-like line ("Escalation steps"), not the start of a sentence a list completes
    ("... three factors which combine to reducing overall levels of sexual abuse in communities")."""
    stripped = block.strip()
    return (
        word_count(stripped) <= 6
        and _is_heading(stripped)
        and not stripped.endswith(":")
        and not _ends_dangling(stripped)
    )


def _is_list_block(block: str) -> bool:
    """Tell whether a block is a list: enumerated items, or a block of bullet lines."""
    if _ENUMERATED.match(block):
        return True
    # A bullet item may wrap onto lines of its own ("* Our designated person is the manager," /
    # "[Eve Ratcliff](...)."): the first line decides.
    lines = [line for line in block.splitlines() if line.strip()]
    return bool(lines) and _BULLET.match(lines[0]) is not None


def _is_heading(block: str) -> bool:
    if _MD_HEADING.match(block):
        return True
    stripped = block.strip()
    lines = stripped.split("\n")
    # A heading wrapped onto a second line that goes on in lower case ("Key Questions which require
    # further" / "consideration:") is still one heading.
    if len(lines) == 2 and lines[1].strip()[:1].islower() and not _TERMINATED.search(lines[0]):
        stripped = " ".join(line.strip() for line in lines)
    if "\n" in stripped or stripped.endswith((",", ";")):
        return False
    if _NUMBERED_HEADING.match(stripped):
        # "2. The seven golden rules" alone on its line (list items merge into one multi-line block).
        return word_count(stripped) <= 10 and not _TERMINATED.search(stripped)
    if _ENUMERATED.match(block) or _BULLET.match(block):
        return False
    # A line all in bold ("**Guiding Principles **") is a heading as its words would be.
    stripped = _unbold(stripped)
    return word_count(stripped) <= 12 and not _TERMINATED.search(stripped) and stripped[:1].isupper()


def _unbold(line: str) -> str:
    """The words of a line wrapped whole in Markdown bold ("**Risks Affecting Children **"), else the line."""
    mark = line[:2]
    if mark in ("**", "__") and len(line) > 4 and line.endswith(mark) and mark not in line[2:-2]:
        return line[2:-2].strip("*_ ")
    return line


_CONTENTS_HEADINGS = frozenset(["contents", "table of contents", "in this guide", "in this document"])


def _running_headers(text: str, blocks: list[tuple[int, int]]) -> set[int]:
    """Return the indexes of blocks that are a page's running header or footer in a PDF dump.

    Such a line ("Safeguarding guide 2024 | Page 3") recurs, numbers aside, is short and unpunctuated,
    and either stands next to a page break (a form feed, as pdftotext writes) or recurs at least three
    times and at least once falls inside a sentence that goes on after it. A heading that recurs ("Key
    points" in every chapter) never interrupts a sentence, so it stays a heading.
    """
    seen: dict[str, list[int]] = {}
    for i, (s, e) in enumerate(blocks):
        block = text[s:e]
        if word_count(block) <= 15 and "\n" not in block.strip() and not _TERMINATED.search(block):
            seen.setdefault(re.sub(r"\d+", "#", _squash(block).lower()), []).append(i)
    headers: set[int] = set()
    for found in seen.values():
        if len(found) >= 2 and any(_at_page_break(text, *blocks[i]) for i in found):
            headers.update(found)
            continue
        if len(found) < 3:
            continue
        for i in found:
            if 0 < i < len(blocks) - 1:
                before, after = text[slice(*blocks[i - 1])], text[slice(*blocks[i + 1])]
                if not _TERMINATED.search(before) and not before.endswith(":") and after[:1].islower():
                    headers.update(found)
                    break
    return headers


def _at_page_break(text: str, start: int, end: int) -> bool:
    return "\f" in text[max(0, start - 4) : start] or "\f" in text[end : end + 4]


def _split_glued_headings(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split "Purpose\nThis note explains ..." (a heading with its paragraph on the next line, as PDF
    text dumps give it) into the heading and the paragraph."""
    out = []
    for s, e in blocks:
        newline = text.find("\n", s, e)
        if newline > s:
            rest = newline + 1
            while rest < e and text[rest].isspace():
                rest += 1
            first = text[s:newline].strip()
            # A Markdown heading is a line of its own, whatever follows it. Another heading needs a
            # capital after it, and a block that is not wrapped prose ("The National Offender Management"
            # / "Service (NOMS) will ..." is not a heading and its paragraph).
            glued = _MD_HEADING.match(first) or (
                text[rest : rest + 1].isupper()
                and not is_wrapped(text[s:e])
                and ((_is_title_line(first) and not _BULLET.match(first)) or _is_caps_label(first))
            )
            if rest < e and glued:
                out += [(s, s + len(text[s:newline].rstrip())), (rest, e)]
                continue
        out.append((s, e))
    return out


def _is_caps_label(line: str) -> bool:
    """ "EXTERNAL SUPPORT:" or "SAFEGUARDING TEAM (all deputies are trained):": a heading in capitals,
    with a colon before the lines it heads."""
    head = re.sub(r"\s*\([^)]*\)", "", line).removesuffix(":")
    letters = [ch for ch in head if ch.isalpha()]
    return (
        line.endswith(":")
        and word_count(head) <= 8
        and len(letters) >= 3
        and all(ch.isupper() for ch in letters)
    )


def _numbers_paragraphs(text: str, blocks: list[tuple[int, int]]) -> bool:
    """Tell whether the document numbers its paragraphs: at least two blocks "N. ..." of two or more
    sentences (a list of steps has short items)."""
    count = 0
    for s, e in blocks:
        m = _NUMBERED_PARAGRAPH.match(text[s:e])
        # Sentences after the number: "12." alone reads as a sentence of its own.
        if m and len(split_sentences(text, s + m.end() - 1, e)) >= 2:
            count += 1
            if count >= 2:
                return True
    return False


def recover_structure(doc: Document) -> None:
    """Find the title, byline, sections and paragraphs of `doc.text` and add its passages to `doc`."""
    paragraphs = _paragraphs(doc)
    body_from = _front_matter(doc, paragraphs)
    _add_passages(doc, paragraphs[body_from:])


def _paragraphs(doc: Document) -> list[list[int]]:
    """1. Merge blank-line separated blocks that continue each other into paragraphs [start, end,
    is_list]; boilerplate and running headers are left out."""
    text = doc.text
    paragraphs: list[list[int]] = []  # [start, end, is_list]
    blocks = _split_marked_lines(text, _blocks(text))
    blocks = _split_glued_headings(text, _split_boilerplate_lines(text, blocks))
    headers = _running_headers(text, blocks)
    numbered = _numbers_paragraphs(text, blocks)
    for i, (s, e) in enumerate(blocks):
        block = text[s:e]
        if i in headers or _is_boilerplate(block):
            doc.excluded.append((s, e, "boilerplate"))
            continue
        if paragraphs:
            ps, pe, in_list = paragraphs[-1]
            if pe is not None and _continues(text[ps:pe], block, bool(in_list), numbered):
                paragraphs[-1] = [ps, e, in_list or _is_list_block(block)]
                continue
        paragraphs.append(
            [s, e, _is_list_block(block) and not (numbered and _NUMBERED_PARAGRAPH.match(block))]
        )
    return paragraphs


def _front_matter(doc: Document, paragraphs: list[list[int]]) -> int:
    """2. Front matter: short unterminated blocks before the first body paragraph (title, byline).
    Mark them, fill in a missing title or author, and return the index of the first body paragraph."""
    text = doc.text
    body_from = len(paragraphs)
    titles = []
    known_title = _squash(str(doc.metadata.get("title") or ""))
    for i, (s, e, is_list) in enumerate(paragraphs):
        block = text[s:e]
        heading = bool(_MD_HEADING.match(block)) or _unbold(block.strip()) != block.strip()
        if is_list and titles and titles[-1].lower().rstrip(":") in _CONTENTS_HEADINGS:
            doc.excluded.append((s, e, "contents"))  # "Contents" then "1. Introduction 2. Roles": no text
            continue
        if _opens_body(block, is_list, heading, known_title, titles):
            body_from = i
            break
        role = "byline" if _BYLINE.match(block.strip()) else "title"
        doc.excluded.append((s, e, role))
        if role == "title":
            titles.append(_heading_name(block))
        elif not doc.metadata.get("author"):
            doc.metadata["author"] = block.strip().lstrip("-–— ").removeprefix("by ").strip()
    if titles and not doc.metadata.get("title"):
        doc.metadata["title"] = max(titles, key=len)
    front = [(s, e) for s, e, role in doc.excluded if role in ("title", "byline")]
    if front:
        start, end = min(f[0] for f in front), max(f[1] for f in front)
        doc.set_front(start, end)
    return body_from


def _opens_body(block: str, is_list: bool, heading: bool, known_title: str, titles: list[str]) -> bool:
    """Whether a block is body text, not front matter (the titles seen so far are front matter)."""
    return bool(
        word_count(block) >= 25
        or (_TERMINATED.search(block) and not block.rstrip().endswith("?"))
        # A markdown heading other than the known title opens the first section, as does a
        # numbered one ("1. Introduction").
        or (heading and known_title and _squash(block.lstrip("# ")) != known_title)
        or (_NUMBERED_HEADING.match(block) and _is_heading(block))
        # After the whole known title, a short line that is no byline heads the first section
        # ("Neglect guidance" / "Signs of neglect" / "Staff should look out for: ...").
        or (
            known_title
            and titles
            and _squash(" ".join(titles)).endswith(known_title)
            and not _BYLINE.match(block.strip())
            and block.strip().lower().rstrip(":") not in _CONTENTS_HEADINGS
        )
        # "COLLEGE DETAILS:" heads lines of content; three or more lines are no title either.
        or _is_caps_label(block)
        or (len(block.strip().splitlines()) >= 3 and not _BLANK_LINES.search(block))
        # A list of two or more items is content, however short ("- Jon Brown" is a byline).
        or (is_list and len(block.strip().splitlines()) >= 2)
    )


def _add_passages(doc: Document, paragraphs: list[list[int]]) -> None:
    """3. Sections and passages: headings open sections, and each body paragraph becomes one passage
    (or several, when very long) of its kind: text, list, question or reference."""
    text = doc.text
    section, in_refs, number = "", False, 0
    for s, e, is_list in paragraphs:
        block = text[s:e]
        if _is_heading(block):
            section = _heading_name(block).rstrip(":").strip()
            in_refs = section.lower() in _REFERENCE_HEADINGS
            doc.excluded.append((s, e, "heading"))
            continue
        if section.lower() in _CONTENTS_HEADINGS:
            doc.excluded.append((s, e, "contents"))  # a table of contents lists headings; it answers nothing
            continue
        if _REFERENCE.match(block) and number > 0 and not in_refs:
            in_refs, section = True, "References"
        sentences = split_sentences(text, s, e)
        if in_refs:
            kind = "reference"
        elif is_list:
            kind = "list"
        elif (
            sentences
            and is_question(text[sentences[0][0] : sentences[0][1]])
            and all(text[a:b].rstrip("'\"’”)] ").endswith("?") for a, b in sentences)
        ):
            kind = "question"
        else:
            kind = "text"
        for start, end in _passage_spans(text, s, e):
            number += 1
            # The paragraph's sentences, found above, are the passage's when it is the whole paragraph.
            found = sentences if (start, end) == (s, e) else None
            add_passage(doc, number, section, kind, start, end, found)


def _passage_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the paragraph text[start:end] as one span, or cut at sentences when it is very long."""
    if word_count(text[start:end]) <= _MAX_PASSAGE_WORDS:
        return [(start, end)]
    groups: list[list[tuple[int, int]]] = [[]]
    words = 0
    for a, b in _sentence_spans(text, start, end):
        n = word_count(text[a:b])
        if groups[-1] and words + n > _MAX_PASSAGE_WORDS:
            groups.append([])
            words = 0
        groups[-1].append((a, b))
        words += n
    if len(groups) == 1:
        return [(start, end)]
    spans = [(g[0][0], g[-1][1]) for g in groups]
    spans[0] = (start, spans[0][1])
    spans[-1] = (spans[-1][0], end)
    return spans


def _sentence_spans(text: str, start: int, end: int, found=None) -> list[tuple[int, int]]:
    """Return the sentence spans of text[start:end], run-on sentences cut into pieces.

    `found`: split_sentences(text, start, end) when the caller has it already (it is not split again).
    """
    spans = []
    for a, b in split_sentences(text, start, end) if found is None else found:
        words = [m.span() for m in _NON_SPACE.finditer(text, a, b)]
        if len(words) <= _RUN_ON_WORDS:
            spans.append((a, b))
            continue
        for i in range(0, len(words), _RUN_ON_PIECE_WORDS):
            piece = (words[i][0], words[min(i + _RUN_ON_PIECE_WORDS, len(words)) - 1][1])
            if any(ch.isalnum() for ch in text[piece[0] : piece[1]]):
                spans.append(piece)
    return spans


def _heading_name(block: str) -> str:
    """A heading's words: without Markdown's hashes ("## Training ##") or bold ("**Training**"), one line."""
    return " ".join(_unbold(_CLOSING_HASHES.sub("", block.strip().lstrip("#")).strip()).split())


# A Markdown heading's optional closing sequence: "# Policy statement #".
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def add_passage(
    doc: Document, number: int, section: str, kind: str, start: int, end: int, found=None
) -> None:
    """Add text[start:end] to `doc` as passage `number`, with its sentences (questions marked).

    `found`: split_sentences(doc.text, start, end) when the caller has it already.
    """
    spans = _sentence_spans(doc.text, start, end, found)
    sentences: list[tuple[int, int, bool]] = []
    for a, b in spans:
        asked = is_question(doc.text[a:b])
        # "(numbers viewing ...)?" after a question belongs to that question.
        if not asked and sentences and sentences[-1][2]:
            asked = doc.text[a:b].rstrip("'\"’”)] ").endswith("?")
        sentences.append((a, b, asked))
    doc.passages._add(number, section, kind, start, end, sentences)
