"""Read a .txt or .md file: its text, decoded, line endings made "\\n"; structure.py finds the rest."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, ReadError


def decode(raw: bytes) -> str:
    """Decode a text file's bytes (UTF-8, else Windows-1252, else Latin-1), line endings made "\\n"."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace") if _mostly_cp1252(raw) else raw.decode("latin-1")
    # Quotes are slices of this string, so line endings are normalised once, here.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_cp1252(raw: bytes) -> bool:
    return all(b not in raw for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def read_text(path: Path, raw: bytes) -> Extracted:
    text = decode(raw)
    if not text.strip():
        raise ReadError(path, "document is empty")
    return Extracted(str(path), "text", text)
