"""Load documents and metadata, recover paragraphs and sections, split them into passages."""

from __future__ import annotations

import json
import logging
import operator
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import FrozenInstanceError, dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import overload

import yaml

from .errors import CorpusError
from .text import BULLET_GLYPHS, ENUMERATOR, is_question, is_wrapped, split_sentences, trim_span, word_count

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = (".txt", ".md")
METADATA_SUFFIXES = (".yaml", ".yml")
_BLANK_LINES = re.compile(r"\n[ \t\f\v]*\n\s*")
_ENUMERATED = re.compile(r"^\s*" + ENUMERATOR.pattern, re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[" + BULLET_GLYPHS + r"]\s+|" + ENUMERATOR.pattern + ")", re.IGNORECASE)
_TERMINATED = re.compile(r"[.!?][\"'’”)\]]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")
_OWN_DOTTED = re.compile(r"(\d{1,3}(?:\.\d{1,3})+)\.?\s+[A-Z]")  # "2.1 Remember ..."
_OWN_NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)\.?\s+[A-Z]")  # and "12. Practitioners ..."
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
    def locator(self) -> str:
        if self.kind == "front":
            return "title and byline"
        # A document that numbers its paragraphs ("2.1 Remember that ...", "12. Practitioners should ...")
        # is cited by its own numbers; a list's "1. Raise the concern ..." is an item, not a paragraph.
        own = (_OWN_NUMBER if self.kind != "list" else _OWN_DOTTED).match(self.text[:16])
        where = f"paragraph {own.group(1) if own else self.number}"
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

    def __post_init__(self) -> None:
        if not isinstance(self.passages, PassageList) or self.passages._doc is not self:
            self.passages = PassageList(self, self.passages or ())

    @property
    def title(self) -> str:
        return str(self.metadata.get("title") or self.doc_id)

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
        _recover_structure(doc)
        return doc

    @classmethod
    def from_paragraphs(cls, doc_id: str, paragraphs: list[str], metadata: dict | None = None) -> Document:
        """Build a document whose paragraphs are already known (one passage each), e.g. SQuAD."""
        text = "\n\n".join(paragraphs)
        doc = cls(doc_id=doc_id, text=text, metadata=dict(metadata or {}))
        pos = 0
        for n, para in enumerate(paragraphs, 1):
            _add_passage(doc, n, "", "text", pos, pos + len(para))
            pos += len(para) + 2
        return doc


def load_corpus(directory: str | Path) -> tuple[list[Document], list[CorpusError]]:
    """Load every .txt/.md document of `directory` with its YAML metadata.

    Returns the documents that loaded and one CorpusError per file that did not, so the caller
    decides whether to refuse to start or to skip them. Raises CorpusError when the folder itself
    is missing or holds no documents at all.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"Corpus folder not found: {directory.resolve()}")
    documents: list[Document] = []
    problems: list[CorpusError] = []
    seen: dict[str, Path] = {}
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    doc_files = [p for p in files if p.suffix.lower() in DOCUMENT_SUFFIXES]
    stems = {p.stem for p in doc_files}
    for other in files:
        if other.suffix.lower() not in DOCUMENT_SUFFIXES + METADATA_SUFFIXES:
            problems.append(
                CorpusError(f"{other.name}: not a document the assistant reads (save it as .txt or .md)")
            )
    for meta in (p for p in files if p.suffix.lower() in METADATA_SUFFIXES):
        if meta.stem not in stems:
            problems.append(
                CorpusError(f"{meta.name}: metadata file has no document ({meta.stem}.txt or .md)")
            )
    for path in doc_files:
        if path.stem in seen:
            problems.append(
                CorpusError(
                    f"{path.name}: document id '{path.stem}' is already used by {seen[path.stem].name}"
                )
            )
            continue
        seen[path.stem] = path
        try:
            documents.append(load_document(path))
        except CorpusError as exc:
            problems.append(exc)
    if not doc_files:
        raise CorpusError(f"Corpus folder {directory.resolve()} holds no .txt or .md documents")
    return documents, problems


def load_document(path: Path) -> Document:
    """Load one document and its metadata (a sidecar <stem>.yaml, or YAML front matter)."""
    text = _read_text(path)
    metadata, body = _split_front_matter(path, text)
    sidecars = [path.with_suffix(s) for s in METADATA_SUFFIXES if path.with_suffix(s).exists()]
    if len(sidecars) > 1:
        raise CorpusError(f"{path.name}: has both {sidecars[0].name} and {sidecars[1].name}; keep one")
    sidecar = sidecars[0] if sidecars else None
    if sidecar is not None:
        if metadata:
            raise CorpusError(f"{path.name}: has both front matter and {sidecar.name}; keep one")
        metadata = _read_metadata(sidecar)
    if not body.strip():
        raise CorpusError(f"{path.name}: document is empty")
    doc = Document.from_text(path.stem, body, metadata, path=str(path))
    if not doc.passages:
        raise CorpusError(f"{path.name}: no readable paragraphs found")
    if not metadata:
        log.warning("%s: no metadata (add %s.yaml); using its first heading as title", path.name, path.stem)
    return doc


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    if b"\x00" in raw[:8192]:
        raise CorpusError(f"{path.name}: looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace") if _mostly_cp1252(raw) else raw.decode("latin-1")
    # Quotes are slices of this string, so line endings are normalised once, here.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_cp1252(raw: bytes) -> bool:
    return all(b not in raw for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    after = text.find("\n", end + 4)
    body = text[after + 1 :] if after >= 0 else ""
    return _parse_metadata(path.name, text[4:end], first_line=2), body


def _read_metadata(path: Path) -> dict:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path.name}: cannot read metadata ({exc})") from exc
    return _parse_metadata(path.name, raw)


def _parse_metadata(name: str, raw: str, *, first_line: int = 1) -> dict:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CorpusError(f"{name}: metadata is not valid YAML ({_yaml_problem(exc, first_line)})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CorpusError(f"{name}: metadata must be a YAML mapping (title:, author:, publisher:)")
    return {str(k): v for k, v in data.items()}


def _yaml_problem(exc: yaml.YAMLError, first_line: int) -> str:
    """Say where and what the YAML error is ("line 2: expected ',' or ']'"), for the person fixing it."""
    mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
    if mark is None or not problem:
        return exc.__class__.__name__
    return f"line {mark.line + first_line}: {problem}"


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
    if _MD_HEADING.match(prev):
        return False  # "## Escalation" then "1. Raise the concern ...": the list opens the section
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
    return word_count(stripped) <= 12 and not _TERMINATED.search(stripped) and stripped[:1].isupper()


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


def _recover_structure(doc: Document) -> None:
    text = doc.text
    # 1. Merge blank-line separated blocks that continue each other into paragraphs.
    paragraphs: list[list[int]] = []  # [start, end, is_list]
    blocks = _split_glued_headings(text, _split_boilerplate_lines(text, _blocks(text)))
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
    # 2. Front matter: short unterminated blocks before the first body paragraph (title, byline).
    body_from = len(paragraphs)
    titles = []
    known_title = _squash(str(doc.metadata.get("title") or ""))
    for i, (s, e, is_list) in enumerate(paragraphs):
        block = text[s:e]
        heading = bool(_MD_HEADING.match(block))
        if is_list and titles and titles[-1].lower().rstrip(":") in _CONTENTS_HEADINGS:
            doc.excluded.append((s, e, "contents"))  # "Contents" then "1. Introduction 2. Roles": no text
            continue
        if (
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
        ):
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
        doc.front = Passage(f"{doc.doc_id}#0", doc.doc_id, 0, "", "front", start, end, text[start:end], ())
    # 3. Sections and passages.
    section, in_refs, number = "", False, 0
    for s, e, is_list in paragraphs[body_from:]:
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
            _add_passage(doc, number, section, kind, start, end)


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


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the sentence spans of text[start:end], run-on sentences cut into pieces."""
    spans = []
    for a, b in split_sentences(text, start, end):
        words = [m.span() for m in _NON_SPACE.finditer(text, a, b)]
        if len(words) <= _RUN_ON_WORDS:
            spans.append((a, b))
            continue
        for i in range(0, len(words), _RUN_ON_PIECE_WORDS):
            piece = (words[i][0], words[min(i + _RUN_ON_PIECE_WORDS, len(words)) - 1][1])
            if any(ch.isalnum() for ch in text[piece[0] : piece[1]]):
                spans.append(piece)
    return spans


def _names_text(value) -> str:
    """ "Jon Brown", or a list of names as one text: ["A", "B", "C"] -> "A, B and C"."""
    if isinstance(value, (list, tuple)):
        names = [str(v).strip() for v in value if str(v).strip()]
        return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)
    return str(value).strip()


def _heading_name(block: str) -> str:
    """A heading's words: without Markdown's opening and closing hashes ("## Training ##"), one line."""
    return " ".join(_CLOSING_HASHES.sub("", block.strip().lstrip("#")).split())


# A Markdown heading's optional closing sequence: "# Policy statement #".
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _add_passage(doc: Document, number: int, section: str, kind: str, start: int, end: int) -> None:
    spans = _sentence_spans(doc.text, start, end)
    sentences: list[tuple[int, int, bool]] = []
    for a, b in spans:
        asked = is_question(doc.text[a:b])
        # "(numbers viewing ...)?" after a question belongs to that question.
        if not asked and sentences and sentences[-1][2]:
            asked = doc.text[a:b].rstrip("'\"’”)] ").endswith("?")
        sentences.append((a, b, asked))
    doc.passages._add(number, section, kind, start, end, sentences)
