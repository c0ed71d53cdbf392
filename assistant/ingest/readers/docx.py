"""Read a Word document (.docx) with python-docx: headings from paragraph styles, numbered and bulleted
lists, tables row by row, title and author from its core properties. Headers and footers are left out."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .base import Extracted, ReadError, TextBuilder, clean_line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, raw: bytes) -> Extracted:
    """Read the Word document at `path`.

    Raises:
        ReadError: the file is damaged (a truncated zip) or holds no text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ReadError(path, f"the Word file is damaged or incomplete and cannot be opened ({exc})") from exc
    except Exception as exc:  # lxml and python-docx raise other kinds on a damaged part
        raise ReadError(path, f"the Word file is damaged ({type(exc).__name__}: {exc})") from exc
    props = document.core_properties
    metadata = {"title": clean_line(props.title or ""), "author": clean_line(props.author or "")}
    out = TextBuilder()
    numbering = _Numbering(document)
    _write_body(out, document, document.element.body, numbering)
    return out.build(path, "docx", metadata)


def _write_body(out: TextBuilder, document, body, numbering: _Numbering) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    items: list[str] = []
    counters: dict[tuple[str, int], int] = {}

    def flush() -> None:
        if items:
            out.items(items, "list")
            items.clear()

    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, document)
            text = clean_line(paragraph.text)
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            level = _heading_level(style)
            marker = numbering.marker(paragraph, style, counters)
            if level:
                flush()
                out.heading(text, level)
            elif marker is not None:
                items.append(f"{marker} {text}")
            else:
                flush()
                out.paragraph(text)
        elif child.tag == f"{_W}tbl":
            flush()
            rows = []
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    value = clean_line(cell.text)
                    if value and (not cells or cells[-1] != value):  # a merged cell repeats
                        cells.append(value)
                if cells:
                    rows.append(" | ".join(cells))
            out.items(rows, "table")
        elif child.tag == f"{_W}sdt":  # a content control holding paragraphs
            flush()
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _write_body(out, document, content, numbering)
    flush()


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        number = style.removeprefix("Heading ").strip()
        return int(number) if number.isdigit() else 1
    return 0


class _Numbering:
    """Says what marker a list paragraph has: "•" for a bullet, "3." for the third item of a numbered list."""

    def __init__(self, document) -> None:
        self._formats: dict[tuple[str, int], str] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {}
        for a in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = fmt.get(f"{_W}val") if fmt is not None else "bullet"
            abstract[a.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                for ilvl, fmt in abstract.get(ref.get(f"{_W}val"), {}).items():
                    self._formats[(num.get(f"{_W}numId"), ilvl)] = fmt

    def marker(self, paragraph, style: str, counters: dict[tuple[str, int], int]) -> str | None:
        num_id, ilvl = _num_pr(paragraph._p.pPr)
        if num_id is None and paragraph.style is not None:
            num_id, ilvl = _num_pr(paragraph.style.element.pPr)
        if num_id is None or num_id == "0":
            if style.startswith("List Number"):
                num_id, ilvl = f"style:{style}", 0
            elif style.startswith("List Bullet") or style == "List Paragraph":
                return "\u2022"
            else:
                return None
        fmt = self._formats.get((num_id, ilvl), "decimal" if num_id.startswith("style:") else "bullet")
        if fmt in ("bullet", "none"):
            return "\u2022"
        count = counters[(num_id, ilvl)] = counters.get((num_id, ilvl), 0) + 1
        if fmt in ("lowerLetter", "upperLetter"):
            letter = chr(ord("a") + (count - 1) % 26)
            return f"{letter.upper() if fmt == 'upperLetter' else letter})"
        if fmt in ("lowerRoman", "upperRoman"):
            roman = _roman(count)
            return f"({roman.upper() if fmt == 'upperRoman' else roman})"
        return f"{count}."


def _num_pr(ppr) -> tuple[str | None, int]:
    if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
        return None, 0
    ilvl = ppr.numPr.ilvl
    return str(ppr.numPr.numId.val), int(ilvl.val) if ilvl is not None else 0


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out
