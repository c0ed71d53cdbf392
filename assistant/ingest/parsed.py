"""Keep each document's recovered structure (passages, sentences, front block) beside the saved indexes.

Recovering a document's paragraphs, sections and sentences is most of a cold start: about 2 s for 10,000
passages of plain text here, against well under a second to open their saved index. The result is saved
under the SHA-256 of the document's id, text and given metadata and of the code that recovers it
(`structure_version`), so the next start, in the CLI or in every server worker, reads it back instead.
A document whose text, metadata or structure code changed is recovered anew; a saved file that cannot be
read is ignored with a warning. Quotes stay slices of the document's own text: only offsets are saved.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .document import Document
from .saved import mark_used, read_json, save_json

log = logging.getLogger(__name__)

FOLDER = "parsed"
# The code and word lists that decide a document's structure: a change to any of them is a new version.
_SOURCES = ("ingest/structure.py", "ingest/document.py", "ingest/parsed.py", "language/text.py")


@lru_cache(maxsize=1)
def structure_version() -> str:
    """A digest of the code and data files that recover a document's structure."""
    package = resources.files("assistant")
    digest = hashlib.sha256()
    files = [package.joinpath(name) for name in _SOURCES]
    files += sorted((f for f in package.joinpath("data").iterdir() if f.name.endswith(".txt")), key=str)
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]


def parse_saved(doc_id: str, text: str, metadata: dict, *, path: str = "", root: Path | None) -> Document:
    """Return Document.from_text(doc_id, text, metadata, path=path): read back from under `root` when
    saved there for this id, text, metadata and structure code, else recovered now (and saved there when
    `root` is given and writable)."""
    if root is None:
        return Document.from_text(doc_id, text, metadata, path=path)
    given = json.dumps([structure_version(), doc_id, metadata], sort_keys=True, default=str)
    digest = hashlib.sha256(given.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    saved = root / FOLDER / f"{digest.hexdigest()}.json"
    try:
        data, mtime = read_json(saved)
        doc = _decode(data, doc_id, text, metadata, path)
        mark_used(saved, mtime)
        return doc
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.warning("%s: saved structure unreadable (%s); recovering it again", saved, exc)
    doc = Document.from_text(doc_id, text, metadata, path=path)
    if not doc.passages.kept_as_given():
        try:
            save_json(saved, _encode(doc, metadata))
        except (OSError, ValueError) as exc:  # ValueError: a lone surrogate has no UTF-8
            log.warning("structure of %s not saved to %s: %s", doc_id, saved.parent, exc)
    return doc


def _encode(doc: Document, given: dict) -> dict:
    # Only what recovery added to the metadata (a title, an author found in the text): the given
    # metadata may hold what JSON cannot (a YAML date), and it is given again when read back.
    found = {k: v for k, v in doc.metadata.items() if k not in given or given[k] != v}
    front = [doc.front.start, doc.front.end] if doc.front is not None else None
    passages = [[p.number, p.section, p.kind, p.start, p.end, _sentences(p)] for p in doc.passages]
    return {"found": found, "excluded": doc.excluded, "front": front, "passages": passages}


def _sentences(passage) -> list[list[int]]:
    return [[s.start, s.end, int(s.is_question)] for s in passage.sentences]


def _decode(data: dict, doc_id: str, text: str, given: dict, path: str) -> Document:
    found = {str(k): str(v) for k, v in data["found"].items()}
    doc = Document(doc_id=doc_id, text=text, metadata={**given, **found}, path=path)
    size = len(text)

    def span(start, end) -> tuple[int, int]:
        start, end = int(start), int(end)
        if not 0 <= start <= end <= size:
            raise ValueError(f"span {start}-{end} outside the text")
        return start, end

    doc.excluded = [(*span(s, e), str(role)) for s, e, role in data["excluded"]]
    if data["front"] is not None:
        doc.set_front(*span(*data["front"]))
    for number, section, kind, start, end, sentences in data["passages"]:
        rows = [(*span(a, b), bool(q)) for a, b, q in sentences]
        doc.passages._add(int(number), str(section), str(kind), *span(start, end), rows)
    return doc
