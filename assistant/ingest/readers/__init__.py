"""Readers: a document file in, its text and structure out (Extracted), or a ReadError naming the file
and the reason. One module per format: plain (.txt, .md), pdf, docx, html (.html, .htm)."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, ReadError, Span
from .pdf import Progress
from .sniff import FORMAT_NAMES, SUFFIX_FORMATS, expected_format, sniff

__all__ = ["SUFFIXES", "Extracted", "Progress", "ReadError", "Span", "read"]

SUFFIXES = tuple(SUFFIX_FORMATS)


def read(path: str | Path, *, progress: Progress | None = None) -> Extracted:
    """Read the document at `path` by the reader its suffix names, once its bytes are seen to be that format.

    Args:
        path: a .txt, .md, .pdf, .docx, .html or .htm file.
        progress: called with (pages read, pages in all) while a PDF is read.

    Raises:
        ReadError: the file cannot be read, is not what its name says, is encrypted, damaged, a scan
            without text, or holds no text. The message names the file and the reason.
    """
    path = Path(path)
    wanted = expected_format(path)
    if wanted is None:
        kinds = ", ".join(SUFFIXES)
        raise ReadError(path, f"not a document the assistant reads (it reads {kinds})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise ReadError(path, "the file is empty")
    found = sniff(path, raw[:8192])
    # A page saved as .html may be a fragment without <html>; a .txt or .md may quote HTML.
    fits = found == wanted or (wanted == "html" and found == "text") or (wanted == "text" and found == "html")
    if not fits:
        raise ReadError(
            path,
            f"the name says {FORMAT_NAMES[wanted]} but the file is {FORMAT_NAMES[found]}"
            + (f"; rename it to {path.stem}{_suffix_for(found)}" if _suffix_for(found) else ""),
        )
    if wanted == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, raw, progress=progress)
    if wanted == "docx":
        from .docx import read_docx

        return read_docx(path, raw)
    if wanted == "html":
        from .html import read_html

        return read_html(path, raw)
    from .plain import read_text

    return read_text(path, raw)


def _suffix_for(fmt: str) -> str:
    return {"pdf": ".pdf", "docx": ".docx", "html": ".html"}.get(fmt, "")
