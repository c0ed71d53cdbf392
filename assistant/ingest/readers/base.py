"""What every reader returns (Extracted), how it fails (ReadError), and the builder that writes the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import CorpusError


class ReadError(CorpusError):
    """A file that cannot be read as a document; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"{Path(path).name}: {reason}")

    def __reduce__(self):  # raised in a page worker, it crosses back to the reading process
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    level: int = 0  # a heading's level (1 for a title or h1); 0 for lists and tables


@dataclass(frozen=True, slots=True)
class Extracted:
    """A document's text as one string, with where its pages, headings, lists and tables lie in it.

    `text` has paragraphs, headings, list items and table rows each on a block of their own, blocks
    separated by a blank line. Offsets are character offsets into `text`.
    """

    path: str
    format: str  # "text", "pdf", "docx" or "html"
    text: str
    metadata: dict = field(default_factory=dict)  # "title" and "author" when the file names them
    pages: tuple[
        int, ...
    ] = ()  # the offset where each page starts (page n at pages[n - 1]); () without pages
    headings: tuple[Span, ...] = ()
    lists: tuple[Span, ...] = ()
    tables: tuple[Span, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """Return the number of the page holding `offset` (1-based), or None for a format without pages."""
        if not self.pages:
            return None
        lo, hi = 0, len(self.pages)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.pages[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return max(lo, 1)


_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_line(text: str) -> str:
    """One line of text: runs of spaces and tabs made one space, ends trimmed, no line breaks."""
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


class TextBuilder:
    """Writes blocks one after another, separated by blank lines, noting the spans of headings, lists,
    tables and the start of each page."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.pages: list[int] = []
        self.headings: list[Span] = []
        self.lists: list[Span] = []
        self.tables: list[Span] = []

    def _write(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return start, self._length

    def new_page(self) -> None:
        """Mark that the next block starts a new page."""
        self.pages.append(self._length + (2 if self._parts else 0))

    def paragraph(self, text: str) -> tuple[int, int] | None:
        text = text.strip()
        return self._write(text) if text else None

    def heading(self, text: str, level: int) -> None:
        text = clean_line(text)
        if text:
            start, end = self._write(text)
            self.headings.append(Span(start, end, level))

    def items(self, lines: list[str], kind: str) -> None:
        """Write a list ("list") or a table ("table", one row a line) as one block."""
        lines = [line for line in (clean_line(x) for x in lines) if line]
        if lines:
            start, end = self._write("\n".join(lines))
            (self.lists if kind == "list" else self.tables).append(Span(start, end))

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def build(self, path: Path, fmt: str, metadata: dict) -> Extracted:
        text = self.text
        if not text.strip():
            raise ReadError(path, "no text found in the file")
        # A page that ends with nothing after it (a blank last page) would start past the text.
        pages = tuple(min(p, len(text)) for p in self.pages)
        meta = {k: v for k, v in metadata.items() if v}
        return Extracted(
            str(path), fmt, text, meta, pages, tuple(self.headings), tuple(self.lists), tuple(self.tables)
        )
