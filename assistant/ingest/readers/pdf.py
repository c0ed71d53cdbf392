"""Read a PDF with PDFium (pypdfium2): text boxes in reading order (columns one after the other), page by
page (pdf_layout.py makes the boxes).

Running headers and footers (a short line at the top or bottom of the page that recurs, numbers aside,
on other pages) and page numbers are left out; a word hyphenated across lines is joined again; title and
author come from the PDF's metadata. A long PDF is read in several processes, a slice of pages each.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from .base import Extracted, ReadError, TextBuilder, clean_line

Progress = Callable[[int, int], None]  # (pages read, pages in all)

# Below this many pages one process reads them all: starting a worker (about a second) costs more than
# it saves; PDFium reads about 70 pages a second on one core.
PAGES_PER_WORKER = 400
MAX_WORKERS = 4
_EDGE = 0.1  # the top and bottom tenth of a page hold its running header and footer
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—(]?\s*#\s*[-–—)]?(?:\s*(?:of|/)\s*#)?$", re.IGNORECASE)
# Glyphs PDF writers give bullets: the Symbol and Wingdings fonts' private-use codes, an unmapped "(cid:N)".
_BULLET_CODES = re.compile(r"^(?:[\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8]|\(cid:\d+\))\s*")
_CID = re.compile(r"\(cid:\d+\)")
_ITEM_START = re.compile(
    r"^(?:[-*\u2022\u2013\u00b7\u25cf\u25aa\u25e6\u2023\u2043\u25a0\u27a2]\s|\(?(?:[ivx]{1,5}|[a-z]|\d{1,2})[).]\s)"
)
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})
_TERMINATED = re.compile(r"[.!?:;,][\"'’”)\]]*$")
# Titles a writer fills in for itself rather than the author ("Microsoft Word - policy.docx").
_NON_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled\b)|\.(?:docx?|pdf|rtf|odt)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Box:
    top: float  # distance from the page's top, as a share of its height
    bottom: float
    lines: tuple[str, ...]
    size: float  # the largest font size in its first line
    bold: bool


@dataclass(frozen=True, slots=True)
class _Page:
    boxes: tuple[_Box, ...]
    images: int


def read_pdf(path: Path, raw: bytes, *, progress: Progress | None = None) -> Extracted:
    """Read the PDF at `path` (whose bytes are `raw`).

    Raises:
        ReadError: the file is encrypted, truncated or damaged, or has no text layer (a scan).
    """
    if b"%%EOF" not in raw[-2048:]:
        raise ReadError(path, "the PDF is incomplete (it stops before its end marker): the file is truncated")
    count, metadata = _open(path)
    if count == 0:
        raise ReadError(path, "the PDF has no pages")
    pages = _read_all(path, count, progress)
    return _assemble(path, pages, metadata)


def _open(path: Path) -> tuple[int, dict]:
    """Return the page count and title/author; refuse an encrypted or unreadable file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(
                path, "the PDF is encrypted and needs a password; save a copy without one"
            ) from exc
        raise ReadError(path, f"the PDF is damaged and cannot be read ({exc})") from exc
    try:
        info = pdf.get_metadata_dict()
        count = len(pdf)
    except Exception as exc:  # a damaged document catalogue
        raise ReadError(path, f"the PDF is damaged and cannot be read ({_why(exc)})") from exc
    finally:
        pdf.close()
    found = {
        name: clean_line(str(info.get(key) or "")) for key, name in (("Title", "title"), ("Author", "author"))
    }
    if _NON_TITLE.search(found["title"]):
        found["title"] = ""
    return count, {k: v for k, v in found.items() if v}


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _read_all(path: Path, count: int, progress: Progress | None) -> list[_Page]:
    slices = [(a, min(a + PAGES_PER_WORKER, count)) for a in range(0, count, PAGES_PER_WORKER)]
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(slices))
    done = 0
    if progress:
        progress(0, count)
    if workers <= 1:
        pages = []
        for a, b in slices:
            pages += _read_pages(str(path), a, b)
            done += b - a
            if progress:
                progress(done, count)
        return pages
    results: dict[int, list[_Page]] = {}
    # "spawn": a forked copy of a process with threads (a running server) may deadlock.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(_read_pages, str(path), a, b): a for a, b in slices}
        for future in as_completed(futures):
            pages = future.result()
            results[futures[future]] = pages
            done += len(pages)
            if progress:
                progress(done, count)
    return [page for a, _ in slices for page in results[a]]


def _read_pages(path: str, first: int, last: int) -> list[_Page]:
    """Read pages first..last-1 (0-based) of the PDF into boxes of lines; raise ReadError when damaged."""
    import pypdfium2 as pdfium

    from .pdf_layout import page_blocks

    pages = []
    try:
        pdf = pdfium.PdfDocument(path)
        try:
            for number in range(first, last):
                page = pdf[number]
                try:
                    blocks, height, images = page_blocks(page)
                finally:
                    page.close()
                height = height or 1.0
                boxes = tuple(
                    _Box(b.top / height, b.bottom / height, tuple(b.lines), b.size, False) for b in blocks
                )
                pages.append(_Page(boxes, images))
        finally:
            pdf.close()
    except Exception as exc:  # PDFium raises PdfiumError on a damaged page
        raise ReadError(path, f"the PDF is damaged and cannot be read ({_why(exc)})") from exc
    return pages


def _edge_key(box: _Box) -> str | None:
    """The box's words with numbers made "#", when it is a short line at the top or bottom of its page."""
    if len(box.lines) > 2 or (box.top > _EDGE and box.bottom < 1 - _EDGE):
        return None
    words = clean_line(" ".join(box.lines))
    if len(words.split()) > 15:
        return None
    return re.sub(r"\d+", "#", words.lower())


def _running(pages: list[_Page]) -> set[str]:
    """Return the edge lines that recur on at least two pages (and a third of them): headers, footers."""
    counts = Counter(k for page in pages for k in {_edge_key(b) for b in page.boxes} if k)
    needed = max(2, len(pages) // 3)
    return {k for k, n in counts.items() if n >= needed}


def _assemble(path: Path, pages: list[_Page], metadata: dict) -> Extracted:
    running = _running(pages)
    sizes = Counter()
    for page in pages:
        for box in page.boxes:
            sizes[box.size] += sum(len(line) for line in box.lines)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    heading_sizes = sorted({b.size for p in pages for b in p.boxes if b.size >= body * 1.15}, reverse=True)
    out = TextBuilder()
    for page in pages:
        out.new_page()
        for box in page.boxes:
            key = _edge_key(box)
            if key is not None and (key in running or _PAGE_NUMBER.match(key)):
                continue
            _write_box(out, box, body, heading_sizes)
    if not out.text.strip():
        images = sum(p.images for p in pages)
        if images:
            raise ReadError(
                path,
                f"the PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
                "run it through text recognition (OCR) or ask for a text version",
            )
        raise ReadError(path, "no text found in the PDF")
    return out.build(path, "pdf", metadata)


def _write_box(out: TextBuilder, box: _Box, body: float, heading_sizes: list[float]) -> None:
    lines = [_CID.sub("", _BULLET_CODES.sub("\u2022 ", line.translate(_LIGATURES))) for line in box.lines]
    text = clean_line(" ".join(lines))
    if not text:
        return
    words = len(text.split())
    if len(lines) <= 2 and words <= 15 and not _TERMINATED.search(text):
        if box.size in heading_sizes:
            out.heading(text, 1 + heading_sizes.index(box.size))
            return
        if box.bold and box.size >= body:
            out.heading(text, len(heading_sizes) + 1)
            return
    items = _join_lines(lines)
    if len(items) > 1 and any(_ITEM_START.match(i) for i in items[1:]):
        out.items(items, "list")
    else:
        out.paragraph(" ".join(items))


def _join_lines(lines: list[str]) -> list[str]:
    """Join a box's lines into its paragraph, or its list's items: a word hyphenated at a line's end is
    joined ("safe-" / "guarding" -> "safeguarding"); a line that starts with a bullet or "(ii)" opens an
    item."""
    items: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        if not items or _ITEM_START.match(line):
            items.append(line)
            continue
        prev = items[-1]
        if prev.endswith("\u00ad"):
            items[-1] = prev[:-1] + line
        elif len(prev) > 1 and prev[-1] == "-" and prev[-2].isalpha() and line[:1].islower():
            items[-1] = prev[:-1] + line
        else:
            items[-1] = f"{prev} {line}"
    return items
