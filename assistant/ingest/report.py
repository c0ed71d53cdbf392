"""What reading a file recovered (title, author, pages, sections, passages) or why it was refused: the
per-file report of `python -m assistant check` and `add`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from .corpus import load_document
from .readers import Progress


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    ok: bool
    reason: str = ""  # why it was refused, naming the file
    format: str = ""
    title: str = ""
    author: str = ""
    pages: int = 0  # 0 for a format without pages
    sections: int = 0
    passages: int = 0

    def lines(self) -> list[str]:
        """The report in words: what was recovered, or why the file was refused."""
        name = Path(self.path).name
        if not self.ok:
            return [f"refused  {self.reason}"]
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}, " if self.pages else ""
        return [
            f"ok       {name} ({self.format})",
            f"         title: {self.title or '(none)'}",
            f"         author: {self.author or '(none)'}",
            f"         {pages}{self.sections} section{'s' if self.sections != 1 else ''}, "
            f"{self.passages} passage{'s' if self.passages != 1 else ''}",
        ]


def check_file(
    path: str | Path, *, extracted_dir: Path | None = None, progress: Progress | None = None
) -> FileReport:
    """Read `path` as the corpus would (its reader, then paragraphs and sections) and report on it."""
    path = Path(path)
    try:
        doc = load_document(path, extracted_dir=extracted_dir, progress=progress)
    except CorpusError as exc:
        return FileReport(str(path), False, str(exc))
    sections = {s for s in doc.passages.sections() if s}
    return FileReport(
        str(path),
        True,
        format=doc.format,
        title=doc.title if doc.metadata.get("title") else "",
        author=doc.author,
        pages=len(doc.pages),
        sections=len(sections),
        passages=len(doc.passages),
    )
