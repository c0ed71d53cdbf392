"""Keep each file's extracted text, with its pages, headings and metadata, beside the saved indexes.

A PDF, Word file or web page is read once: the text its reader gave is saved under the SHA-256 of the
file's bytes (and the readers' version), so loading the corpus again, in the CLI or in every server
worker, reuses that exact text rather than extracting it anew. Quotes are slices of this text.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import readers as readers_package
from .readers import Extracted, Progress, Span, read
from .saved import mark_used, read_json, save_json

log = logging.getLogger(__name__)

FOLDER = "extracted"


@lru_cache(maxsize=1)
def readers_version() -> str:
    """A digest of the readers' code and the libraries' versions: a text saved by another reader is
    never reused."""
    digest = hashlib.sha256()
    for module in sorted(Path(readers_package.__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    for lib in ("pypdfium2", "python-docx", "trafilatura", "lxml"):
        try:
            digest.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{lib}=-".encode())
    return digest.hexdigest()[:16]


def read_saved(path: Path, root: Path | None, *, progress: Progress | None = None) -> Extracted:
    """Return the text of the document at `path`: the one saved under `root` for these bytes, or
    read now (and saved there when `root` is given and writable).

    Raises:
        ReadError: the file cannot be read (see readers.read).
    """
    if root is None:
        return read(path, progress=progress)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return read(path, progress=progress)  # it names the file and the reason
    saved = root / FOLDER / f"{digest}-{readers_version()}.json"
    try:
        data, mtime = read_json(saved)
        extracted = _decode(path, data)
        mark_used(saved, mtime)
        return extracted
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("%s: saved text unreadable (%s); reading the file again", saved, exc)
    extracted = read(path, progress=progress)
    try:
        save_json(saved, _encode(extracted))
    except OSError as exc:
        log.warning("extracted text of %s not saved to %s: %s", path.name, saved.parent, exc)
    return extracted


def _encode(e: Extracted) -> dict:
    spans = {k: [[s.start, s.end, s.level] for s in getattr(e, k)] for k in ("headings", "lists", "tables")}
    return {"format": e.format, "text": e.text, "metadata": e.metadata, "pages": list(e.pages), **spans}


def _decode(path: Path, data: dict) -> Extracted:
    text = data["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    pages = tuple(int(p) for p in data["pages"])
    if any(not 0 <= p <= len(text) for p in pages) or list(pages) != sorted(pages):
        raise ValueError("page offsets outside the text")
    spans = {
        k: tuple(Span(int(a), int(b), int(c)) for a, b, c in data[k]) for k in ("headings", "lists", "tables")
    }
    return Extracted(str(path), str(data["format"]), text, dict(data["metadata"]), pages, **spans)
