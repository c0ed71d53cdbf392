"""Tell a file's real format from its first bytes, whatever its name says."""

from __future__ import annotations

import zipfile
from pathlib import Path

# What each file name suffix promises.
SUFFIX_FORMATS = {
    ".txt": "text",
    ".md": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
}
FORMAT_NAMES = {
    "text": "plain text",
    "pdf": "a PDF",
    "docx": "a Word document (.docx)",
    "html": "a web page (HTML)",
    "doc": "an old Word document (.doc) or a password-protected Word file",
    "zip": "a zip archive that is not a Word document (a spreadsheet, presentation or OpenDocument file?)",
    "binary": "a binary file of an unknown kind",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")


def sniff(path: Path, head: bytes) -> str:
    """Return the format the bytes are ("text", "pdf", "docx", "html", "doc", "zip" or "binary")."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError):
            return "docx" if b"word/" in head else "zip"  # damaged: the reader says so
        return "docx" if "word/document.xml" in names else "zip"
    if head.startswith(_OLE2):
        return "doc"
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML_STARTS):
        return "html"
    return "text"


def expected_format(path: Path) -> str | None:
    """Return the format a file's suffix promises, or None for a suffix no reader takes."""
    return SUFFIX_FORMATS.get(path.suffix.lower())
