"""Read a PDF with pdfminer.six: text boxes in reading order (columns one after the other), page by page.

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

# Below this many pages one process reads them all: starting workers costs more than it saves.
PAGES_PER_WORKER = 24
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
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as f:
            doc = PDFDocument(PDFParser(f), password="")
            count = sum(1 for _ in PDFPage.create_pages(doc))
            metadata = _metadata(doc)
    except PDFPasswordIncorrect as exc:
        raise ReadError(path, "the PDF is encrypted and needs a password; save a copy without one") from exc
    except PDFEncryptionError as exc:
        raise ReadError(path, f"the PDF is encrypted in a way that cannot be opened ({exc})") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise ReadError(path, f"the PDF is damaged and cannot be read ({_why(exc)})") from exc
    return count, metadata


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _metadata(doc) -> dict:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    found = {}
    for info in doc.info or ():
        for key, name in (("Title", "title"), ("Author", "author")):
            value = resolve1(info.get(key))
            if isinstance(value, bytes):
                value = decode_text(value)
            if isinstance(value, str) and clean_line(value) and not found.get(name):
                found[name] = clean_line(value)
    if _NON_TITLE.search(found.get("title", "")):
        del found["title"]
    return found


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
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextBox, LTTextLine

    pages = []
    try:
        for layout in extract_pages(path, laparams=LAParams(), page_numbers=range(first, last)):
            height = layout.height or 1.0
            boxes, images = [], 0
            for item in layout:
                if isinstance(item, LTFigure | LTImage):
                    images += 1
                if not isinstance(item, LTTextBox):
                    continue
                # A box's lines, cut where the font changes: a heading set close above its paragraph
                # ("Key questions:" / "How do we ...?") is a box of its own.
                runs: list[tuple[float, bool, list[str]]] = []
                for line in item:
                    text = line.get_text().strip("\r\n") if isinstance(line, LTTextLine) else ""
                    if not text.strip():
                        continue
                    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                    size = max((round(c.size, 1) for c in chars), default=0.0)
                    bold = bool(chars) and all("bold" in c.fontname.lower() for c in chars)
                    if runs and runs[-1][:2] == (size, bold):
                        runs[-1][2].append(text)
                    else:
                        runs.append((size, bold, [text]))
                top, bottom = (layout.y1 - item.y1) / height, (layout.y1 - item.y0) / height
                for size, bold, texts in runs:
                    boxes.append(_Box(top, bottom, tuple(texts), size, bold))
            pages.append(_Page(tuple(boxes), images))
    except Exception as exc:  # pdfminer raises many kinds on a damaged page
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
