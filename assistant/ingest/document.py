"""A document, its passages and sentences: what every reader produces and every later stage reads.

structure.py finds the paragraphs, sections and sentences of a text; corpus.py loads documents from files.
"""

from __future__ import annotations

import json
import operator
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import FrozenInstanceError, dataclass, field
from itertools import accumulate
from typing import overload

from .structure import add_passage, recover_structure

_OWN_DOTTED = re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.?\s+[A-Z]")  # "2.1 Remember ..."
_OWN_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)\.?\s+[A-Z]")  # and "12. Practitioners ..."


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    is_question: bool


class Passage:
    """One passage of a document: its place, kind and sentences; `text` is document.text[start:end].

    Behaves as the frozen dataclass it was (same fields, equality, hash and repr). Passages of a
    Document are stored compactly in its PassageList, which makes these objects on access: their
    text is sliced from the document's text and their sentences built when first read.
    """

    __slots__ = (
        "passage_id",
        "doc_id",
        "number",
        "section",
        "kind",  # "text", "list", "question", "reference" or "front"
        "start",
        "end",
        "_source",  # the passage's own text, or (with _list) its document's whole text
        "_list",
        "_row",
        "_sentences",
    )
    __match_args__ = (
        "passage_id",
        "doc_id",
        "number",
        "section",
        "kind",
        "start",
        "end",
        "text",
        "sentences",
    )

    def __init__(
        self,
        passage_id: str,
        doc_id: str,
        number: int,
        section: str,
        kind: str,
        start: int,
        end: int,
        text: str,
        sentences: tuple[Sentence, ...],
    ) -> None:
        _init(self, passage_id, doc_id, number, section, kind, start, end, text, None, -1, tuple(sentences))

    @classmethod
    def _stored(cls, passages: PassageList, row: int, doc: Document, section: str, kind: str) -> Passage:
        p = cls.__new__(cls)
        number, start, end = passages._number[row], passages._start[row], passages._end[row]
        _init(
            p,
            f"{doc.doc_id}#{number}",
            doc.doc_id,
            number,
            section,
            kind,
            start,
            end,
            doc.text,
            passages,
            row,
            None,
        )
        return p

    @property
    def text(self) -> str:
        return self._source if self._list is None else self._source[self.start : self.end]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        found = self._sentences
        if found is None:
            found = self._list._sentences_of(self._row)
            object.__setattr__(self, "_sentences", found)
        return found

    @property
    def page(self) -> int | None:
        """The page the passage starts on, for a document with pages (a PDF); else None."""
        doc = self._list._doc if self._list is not None else None
        return doc.page_at(self.start) if doc is not None else None

    @property
    def locator(self) -> str:
        return self.locator_on(self.page)

    def locator_on(self, page: int | None) -> str:
        """The locator naming `page` first when there is one: "page 12, paragraph 3 (Reporting a concern)"."""
        if self.kind == "front":
            where = "title and byline"
            return f"page {page}, {where}" if page else where
        # A document that numbers its paragraphs ("2.1 Remember that ...", "12. Practitioners should ...")
        # is cited by its own numbers; a list's "1. Raise the concern ..." is an item, not a paragraph.
        own = (_OWN_NUMBER if self.kind != "list" else _OWN_DOTTED).match(self.text[:16])
        where = f"paragraph {own.group(1) if own else self.number}"
        if page:
            where = f"page {page}, {where}"
        return f"{where} ({self.section})" if self.section else where

    def _fields(self) -> tuple:
        return (
            self.passage_id,
            self.doc_id,
            self.number,
            self.section,
            self.kind,
            self.start,
            self.end,
            self.text,
            self.sentences,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        names = self.__match_args__
        return "Passage(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields(), strict=True)) + ")"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self):
        return (Passage, self._fields())


def _init(p: Passage, *values: object) -> None:
    for name, value in zip(Passage.__slots__, values, strict=True):
        object.__setattr__(p, name, value)


# The next wider array type, for a column whose values outgrow its own ("H" holds no negative value).
_WIDER = {"H": "i", "i": "q"}


class PassageList(Sequence[Passage]):
    """A document's passages, in order, as compact columns; reads give Passage objects.

    A list of Passage objects, each with its own copy of its text and a tuple of Sentence objects,
    took about 1.9 KB a passage besides the document's text (1.9 GB for a million). Here a passage is a
    few array entries: numbers, offsets and its sentences' (start, end) pairs and question flags.
    Passages appended whose id, document or text are not those of the document's own passages
    (`<doc_id>#<number>`, document.text[start:end]) are kept as they are.
    """

    __slots__ = (
        "_doc",
        "_number",
        "_start",
        "_end",
        "_label",  # per passage: index of its (section, kind) in _labels
        "_labels",
        "_label_ids",
        "_first",  # passage i has sentences _first[i] to _first[i + 1] - 1
        "_bounds",  # start and end of each sentence, in pairs, counted from the passage's start
        "_asked",  # 1 where a sentence is a question
        "_kept",  # row -> Passage for passages kept as they are
        "_sequential",  # passage i is numbered i + 1 (as corpus.py numbers them)
        "_rows_by_number",  # number -> row, when they are not sequential
    )

    def __init__(self, doc: Document, passages: Iterable[Passage] = ()) -> None:
        self._doc = doc
        # Offsets fit 32 bits unless a document is longer than 2 GiB, and sentence offsets within
        # a passage 16 bits; a column widens when a value does not fit (_put).
        self._number, self._start, self._end = array("i"), array("i"), array("i")
        self._label = array("H")
        self._labels: list[tuple[str, str]] = []
        self._label_ids: dict[tuple[str, str], int] = {}
        self._first, self._bounds, self._asked = array("i", [0]), array("H"), bytearray()
        self._kept: dict[int, Passage] = {}
        self._sequential = True
        self._rows_by_number: dict[int, int] | None = None
        self.extend(passages)

    def __len__(self) -> int:
        return len(self._number)

    @overload
    def __getitem__(self, i: int) -> Passage: ...

    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._passage(j) for j in range(*i.indices(len(self._number)))]
        n = len(self._number)
        i = operator.index(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("passage index out of range")
        return self._passage(i)

    def __iter__(self) -> Iterator[Passage]:
        for i in range(len(self._number)):
            yield self._passage(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PassageList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like the list it replaces

    def __repr__(self) -> str:
        return repr(list(self))

    def append(self, passage: Passage) -> None:
        """Add a passage; one of the document's own is stored compactly, any other as it is."""
        doc = self._doc
        own = (
            passage.doc_id == doc.doc_id
            and passage.passage_id == f"{doc.doc_id}#{passage.number}"
            and passage.text == doc.text[passage.start : passage.end]
        )
        sentences = [(s.start, s.end, s.is_question) for s in passage.sentences] if own else ()
        self._add(passage.number, passage.section, passage.kind, passage.start, passage.end, sentences)
        if not own:
            self._kept[len(self._number) - 1] = passage

    def extend(self, passages: Iterable[Passage]) -> None:
        for passage in passages:
            self.append(passage)

    def kept_as_given(self) -> list[Passage]:
        """Return the passages appended that are not the document's own, stored as they were given."""
        return list(self._kept.values())

    def find(self, passage_id: str) -> Passage | None:
        """Return the passage with this id, or None."""
        for passage in self._kept.values():
            if passage.passage_id == passage_id:
                return passage
        prefix, sep, number = passage_id.rpartition("#")
        if not sep or prefix != self._doc.doc_id or not (number.isascii() and number.isdigit()):
            return None
        row = self._row_of(int(number))
        if row is None or row in self._kept:
            return None
        passage = self._passage(row)
        return passage if passage.passage_id == passage_id else None  # "7" is found for "#007"

    def containing(self, offset: int) -> Passage | None:
        """Return the first passage with start <= offset < end, or None."""
        for i, (start, end) in enumerate(zip(self._start, self._end, strict=True)):
            if start <= offset < end:
                return self._passage(i)
        return None

    def id_spans(self, size: int = 4096) -> Iterator[tuple[list[str], str, Sequence[int], Sequence[int]]]:
        """Yield the passages, in order, as blocks (ids, source, starts, ends) of at most `size`.

        Passage k of a block has id ids[k] and text source[starts[k]:ends[k]]: no Passage object
        and no copy of the text is made. The source is the document's text, or the own text of a
        passage kept as given (alone in its block).
        """
        text, prefix = self._doc.text, f"{self._doc.doc_id}#"
        cuts = sorted({0, len(self._number), *self._kept, *(k + 1 for k in self._kept)})
        for lo, hi in zip(cuts, cuts[1:], strict=False):
            if lo in self._kept:
                p = self._kept[lo]
                yield [p.passage_id], p.text, (0,), (len(p.text),)
                continue
            for a in range(lo, hi, size):
                b = min(a + size, hi)
                ids = [f"{prefix}{n}" for n in self._number[a:b]]
                yield ids, text, self._start[a:b], self._end[a:b]

    def sections(self) -> Iterator[str]:
        """Yield each passage's section heading ("" when none), in order."""
        labels, kept = self._labels, self._kept
        for i, label in enumerate(self._label):
            yield kept[i].section if i in kept else labels[label][0]

    def key_parts(self) -> Iterator[bytes]:
        """Yield bytes that decide every passage's id, text and section, for a saved index's key.

        The document's id and text once, then the passages' numbers and offsets (ids are
        `<doc_id>#<number>`, texts are slices of the document's text): hashing the text once per
        document, not once per passage, takes a quarter of the time at a million passages. A passage
        kept as given is written out whole.
        """
        doc = self._doc
        raw = doc.text.encode("utf-8", "surrogatepass")
        yield f"D{len(doc.doc_id)}:{doc.doc_id}{len(raw)}:".encode("utf-8", "surrogatepass")
        yield raw
        if doc.pages:  # a PDF's page starts (a text document's key is as it was before pages)
            yield f"P{len(doc.pages)}:{','.join(map(str, doc.pages))}".encode()
        for column in (self._number, self._start, self._end, self._label):
            yield f"{column.typecode}{len(column)}:".encode()
            yield column.tobytes()
        labels = json.dumps(self._labels, ensure_ascii=False)
        yield f"L{len(labels)}:{labels}".encode("utf-8", "surrogatepass")
        for row in sorted(self._kept):
            p = self._kept[row]
            yield f"K{row}:{len(p.passage_id)}:{p.passage_id}{len(p.text)}:{p.text}{p.section}".encode(
                "utf-8", "surrogatepass"
            )

    def doc_ids(self) -> Iterator[str]:
        """Yield each passage's document id, in order."""
        doc_id = self._doc.doc_id
        for i in range(len(self._number)):
            yield self._kept[i].doc_id if i in self._kept else doc_id

    def _passage(self, row: int) -> Passage:
        kept = self._kept.get(row) if self._kept else None
        if kept is not None:
            return kept
        section, kind = self._labels[self._label[row]]
        return Passage._stored(self, row, self._doc, section, kind)

    def _row_of(self, number: int) -> int | None:
        numbers = self._number
        if self._sequential:
            # No table: a request for a passage that does not exist costs nothing to answer.
            return number - 1 if 0 < number <= len(numbers) else None
        table = self._rows_by_number
        if table is None:
            table = {}
            for i, n in enumerate(numbers):
                table.setdefault(n, i)
            self._rows_by_number = table
        return table.get(number)

    def _add(
        self,
        number: int,
        section: str,
        kind: str,
        start: int,
        end: int,
        sentences: Iterable[tuple[int, int, bool]],
    ) -> None:
        label = self._label_ids.get((section, kind))
        if label is None:
            label = self._label_ids[(section, kind)] = len(self._labels)
            self._labels.append((section, kind))
        self._put("_label", label)
        self._put("_number", number)
        self._put("_start", start)
        self._put("_end", end)
        for a, b, asked in sentences:
            self._put("_bounds", a - start)
            self._put("_bounds", b - start)
            self._asked.append(1 if asked else 0)
        self._put("_first", len(self._asked))
        self._sequential = self._sequential and number == len(self._number)
        self._rows_by_number = None

    def _put(self, name: str, value: int) -> None:
        column = getattr(self, name)
        while True:
            try:
                column.append(value)
                return
            except OverflowError:
                if column.typecode == "q":
                    raise
                column = array(_WIDER[column.typecode], column)
                setattr(self, name, column)

    def _sentences_of(self, row: int) -> tuple[Sentence, ...]:
        first, last, bounds, asked = self._first[row], self._first[row + 1], self._bounds, self._asked
        at = self._start[row]
        return tuple(
            Sentence(at + bounds[2 * j], at + bounds[2 * j + 1], asked[j] == 1) for j in range(first, last)
        )


class CorpusPassages(Sequence[Passage]):
    """Every passage of a list of documents, in order, as one read-only sequence (row i is passage i)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._lists: list[PassageList] = [d.passages for d in documents]  # see Document.__post_init__
        self._ends = list(accumulate(len(p) for p in self._lists))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, i: int) -> Passage: ...

    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...

    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(n))]
        i = operator.index(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("passage index out of range")
        k = bisect_right(self._ends, i)
        return self._lists[k][i - (self._ends[k - 1] if k else 0)]

    def __iter__(self) -> Iterator[Passage]:
        for passages in self._lists:
            yield from passages

    def id_spans(self, size: int = 4096) -> Iterator[tuple[list[str], str, Sequence[int], Sequence[int]]]:
        """Yield the passages, in order, as blocks (ids, source, starts, ends): see PassageList.id_spans."""
        for passages in self._lists:
            yield from passages.id_spans(size)

    def key_parts(self) -> Iterator[bytes]:
        """Yield bytes that decide every passage's id and text, in order: see PassageList.key_parts."""
        for passages in self._lists:
            yield from passages.key_parts()

    def sections(self) -> Iterator[str]:
        """Yield each passage's section heading, in order."""
        for passages in self._lists:
            yield from passages.sections()

    def texts(self) -> Iterator[str]:
        """Yield each passage's text, in order."""
        for _, source, starts, ends in self.id_spans():
            yield from (source[s:e] for s, e in zip(starts, ends, strict=True))

    def doc_ids(self) -> Iterator[str]:
        """Yield each passage's document id, in order."""
        for passages in self._lists:
            yield from passages.doc_ids()


@dataclass(slots=True)
class Document:
    doc_id: str
    text: str
    metadata: dict
    # A PassageList (a list of Passage objects given here is stored in one).
    passages: PassageList = None  # type: ignore[assignment]
    # Spans of text kept out of answers (title, byline, boilerplate), with what they are.
    excluded: list[tuple[int, int, str]] = field(default_factory=list)
    path: str = ""
    # The title and byline block (passage number 0): cited for "who wrote this?", never searched.
    front: Passage | None = None
    # Where each page starts in `text` (page n at pages[n - 1]), for a document read from a PDF.
    pages: tuple[int, ...] = ()
    # What the file was: "text" (.txt, .md), "pdf", "docx" or "html".
    format: str = "text"

    def __post_init__(self) -> None:
        if not isinstance(self.passages, PassageList) or self.passages._doc is not self:
            self.passages = PassageList(self, self.passages or ())

    def set_front(self, start: int, end: int) -> None:
        """Keep text[start:end], title and byline, as passage 0: cited for "who wrote this?"."""
        self.front = Passage(
            f"{self.doc_id}#0", self.doc_id, 0, "", "front", start, end, self.text[start:end], ()
        )

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or self.doc_id)

    def page_at(self, offset: int) -> int | None:
        """Return the page (1-based) holding text[offset], or None for a document without pages."""
        if not self.pages:
            return None
        return max(bisect_right(self.pages, offset), 1)

    @property
    def author(self) -> str:
        # Front matter of static-site pages names authors in other keys too, often as lists.
        for key in ("author", "authors", "speakers", "creator"):
            value = self.metadata.get(key)
            if value:
                return _names_text(value)
        return ""

    @property
    def publisher(self) -> str:
        return str(self.metadata.get("publisher") or "")

    @classmethod
    def from_text(cls, doc_id: str, text: str, metadata: dict | None = None, *, path: str = "") -> Document:
        """Build a document from raw text, recovering its paragraphs and sections."""
        doc = cls(doc_id=doc_id, text=text, metadata=dict(metadata or {}), path=path)
        recover_structure(doc)
        return doc

    @classmethod
    def from_paragraphs(cls, doc_id: str, paragraphs: list[str], metadata: dict | None = None) -> Document:
        """Build a document whose paragraphs are already known (one passage each), e.g. SQuAD."""
        text = "\n\n".join(paragraphs)
        doc = cls(doc_id=doc_id, text=text, metadata=dict(metadata or {}))
        pos = 0
        for n, para in enumerate(paragraphs, 1):
            add_passage(doc, n, "", "text", pos, pos + len(para))
            pos += len(para) + 2
        return doc


def _names_text(value) -> str:
    """ "Jon Brown", or a list of names as one text: ["A", "B", "C"] -> "A, B and C"."""
    if isinstance(value, (list, tuple)):
        names = [str(v).strip() for v in value if str(v).strip()]
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
    return str(value).strip()
