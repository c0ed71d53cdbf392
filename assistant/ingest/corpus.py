"""Load documents and their metadata from a folder: .txt and .md files, and PDF, Word and web pages through
their readers (readers/), with YAML sidecars or front matter."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import yaml

from ..errors import CorpusError
from . import extracted, parsed
from .document import Document
from .extracted import read_saved
from .parsed import parse_saved
from .readers import SUFFIXES, Progress
from .readers.plain import decode
from .saved import prune

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
DOCUMENT_SUFFIXES = SUFFIXES  # .txt .md .pdf .docx .html .htm
METADATA_SUFFIXES = (".yaml", ".yml")
KINDS = ", ".join(DOCUMENT_SUFFIXES)


def load_corpus(
    directory: str | Path,
    *,
    extracted_dir: str | Path | None = None,
    progress: Callable[[Path], Progress | None] | None = None,
) -> tuple[list[Document], list[CorpusError]]:
    """Load every document of `directory` (.txt, .md, .pdf, .docx, .html, .htm) with its YAML metadata.

    Returns the documents that loaded and one CorpusError per file that did not, so the caller
    decides whether to refuse to start or to skip them. Raises CorpusError when the folder itself
    is missing or holds no documents at all.

    Args:
        extracted_dir: where the text read from PDF, Word and HTML files (extracted.py) and every
            document's recovered structure (parsed.py) are kept; None reads and recovers them every time.
            Those no load has used for saved.KEEP_DAYS days are deleted after this one (saved.py).
        progress: given a file, returns the callback for its reader's progress (or None).
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
                CorpusError(f"{other.name}: not a document the assistant reads (it reads {KINDS})")
            )
    for meta in (p for p in files if p.suffix.lower() in METADATA_SUFFIXES):
        if meta.stem not in stems:
            problems.append(
                CorpusError(f"{meta.name}: metadata file has no document ({meta.stem} with {KINDS})")
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
            documents.append(
                load_document(
                    path, extracted_dir=extracted_dir, progress=progress(path) if progress else None
                )
            )
        except CorpusError as exc:
            problems.append(exc)
    if not doc_files:
        raise CorpusError(f"Corpus folder {directory.resolve()} holds no documents ({KINDS})")
    if extracted_dir is not None:
        for folder in (extracted.FOLDER, parsed.FOLDER):
            prune(Path(extracted_dir) / folder)
    return documents, problems


def load_document(
    path: Path, *, extracted_dir: str | Path | None = None, progress: Progress | None = None
) -> Document:
    """Load one document and its metadata (a sidecar <stem>.yaml, or YAML front matter).

    A PDF, Word file or web page is read by its reader (or its text taken from `extracted_dir`);
    its own title and author are used unless the sidecar names them. Its paragraphs, sections and
    sentences are recovered (or read back from `extracted_dir`, parsed.py).
    """
    path = Path(path)
    root = Path(extracted_dir) if extracted_dir is not None else None
    if path.suffix.lower() not in TEXT_SUFFIXES:
        text = read_saved(path, root, progress=progress)
        metadata, body = dict(text.metadata), text.text
        pages, fmt = text.pages, text.format
    else:
        metadata, body = _split_front_matter(path, _read_text(path))
        pages, fmt = (), "text"
    metadata, body = _with_sidecar(path, metadata, body, own=fmt != "text")
    if not body.strip():
        raise CorpusError(f"{path.name}: document is empty")
    doc = parse_saved(path.stem, body, metadata, path=str(path), root=root)
    doc.pages, doc.format = pages, fmt
    if not doc.passages:
        raise CorpusError(f"{path.name}: no readable paragraphs found")
    if not metadata:
        log.warning("%s: no metadata (add %s.yaml); using its first heading as title", path.name, path.stem)
    return doc


def _with_sidecar(path: Path, metadata: dict, body: str, *, own: bool) -> tuple[dict, str]:
    """Add the sidecar's metadata: over the file's own (a PDF's title), or instead of front matter."""
    sidecars = [path.with_suffix(s) for s in METADATA_SUFFIXES if path.with_suffix(s).exists()]
    if len(sidecars) > 1:
        raise CorpusError(f"{path.name}: has both {sidecars[0].name} and {sidecars[1].name}; keep one")
    sidecar = sidecars[0] if sidecars else None
    if sidecar is not None:
        if metadata and not own:
            raise CorpusError(f"{path.name}: has both front matter and {sidecar.name}; keep one")
        metadata = {**metadata, **_read_metadata(sidecar)}
    return metadata, body


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot read file ({exc.strerror or exc})") from exc
    if b"\x00" in raw[:8192]:
        raise CorpusError(f"{path.name}: looks like a binary file, not text")
    return decode(raw)


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
