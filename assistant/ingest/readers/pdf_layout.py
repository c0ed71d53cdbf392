"""A PDF page's text boxes in reading order, from PDFium's text runs: runs make lines, lines make boxes
(paragraphs), and boxes are ordered by cutting the page at its white space (X-Y cut): across it first
(a title above two columns), then down it (the left column before the right)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Line:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    parts: list[str] = field(default_factory=list)


@dataclass
class Block:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lines: list[str]


def page_blocks(page) -> tuple[list[Block], float, int]:
    """Return the text blocks of a pypdfium2 page in reading order, its height and its image count."""
    import pypdfium2.raw as raw

    _, height = page.get_size()
    textpage = page.get_textpage()
    runs = []
    try:
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top)
            if not text.strip():
                continue
            index = textpage.get_index(left + 0.5, (bottom + top) / 2, 2, 2)
            size = (
                round(raw.FPDFText_GetFontSize(textpage.raw, index), 1)
                if index is not None and index >= 0
                else top - bottom
            )
            runs.append((left, right, height - top, height - bottom, size, text))
    finally:
        textpage.close()
    images = sum(1 for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    return _order(_blocks(_lines(runs))), height, images


_BULLETS = set("\u2022\u25cf\u25aa\u25e6\u2023\u2043\u25a0\u27a2\u00b7-*\u2013") | {
    chr(c) for c in range(0xF000, 0xF100)
}


def _lines(runs) -> list[_Line]:
    """Join the runs of one row into lines, split where a gap is wider than a letter pair (a gutter);
    a bullet joins its item however far it stands."""
    rows: list[list[tuple]] = []
    for run in sorted(runs, key=lambda r: (r[2] + r[3]) / 2):
        middle = (run[2] + run[3]) / 2
        if rows and abs(middle - rows[-1][0][6]) < 0.4 * max(run[4], 1.0):
            rows[-1].append((*run, rows[-1][0][6]))
        else:
            rows.append([(*run, middle)])
    lines: list[_Line] = []
    for row in rows:
        current: _Line | None = None
        for x0, x1, top, bottom, size, text, _ in sorted(row, key=lambda r: r[0]):
            bullet = current is not None and "".join(current.parts).strip() in _BULLETS
            if current is not None and 0 <= x0 - current.x1 < (3.0 if bullet else 0.8) * size:
                current.parts.append(text if not bullet else " " + text.lstrip())
                current.x1, current.top = max(current.x1, x1), min(current.top, top)
                current.bottom, current.size = max(current.bottom, bottom), size
                continue
            current = _Line(x0, x1, top, bottom, size, [text])
            lines.append(current)
    return lines


def _blocks(lines: list[_Line]) -> list[Block]:
    """Join lines into paragraphs: the next line below, as wide in part, in the same size, close enough."""
    blocks: list[Block] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        text = "".join(line.parts).rstrip("\r\n")
        home = None
        for block in reversed(blocks):
            overlap = min(block.x1, line.x1) - max(block.x0, line.x0)
            narrower = min(block.x1 - block.x0, line.x1 - line.x0)
            # Line pitch from glyph bottoms: wrapped lines sit about 1.2-1.5 sizes apart, a new
            # paragraph further.
            pitch = line.bottom - block.bottom
            if (
                block.size == line.size
                and overlap > 0.3 * narrower
                and 0.5 * line.size < pitch <= 1.55 * line.size
            ):
                home = block
                break
        if home is None:
            blocks.append(Block(line.x0, line.x1, line.top, line.bottom, line.size, [text]))
        else:
            home.lines.append(text)
            home.x0, home.x1, home.bottom = min(home.x0, line.x0), max(home.x1, line.x1), line.bottom
    return blocks


def _order(blocks: list[Block]) -> list[Block]:
    """Reading order by X-Y cut: columns (a band of white space down the region) one after the other;
    else the bands of white space across it, with consecutive bands of columns read as one region."""
    if len(blocks) <= 1:
        return blocks
    down = _cut_down(blocks)
    if len(down) > 1:
        return [b for part in down for b in _order(part)]
    strips = _cut_across(blocks)
    if len(strips) == 1:
        return sorted(blocks, key=lambda b: (b.top, b.x0))
    groups: list[tuple[bool, list[Block]]] = []
    for strip in strips:
        columns = len(_cut_down(strip)) > 1
        if groups and columns and groups[-1][0]:
            groups[-1][1].extend(strip)
        else:
            groups.append((columns, list(strip)))
    if len(groups) == 1:  # bands of columns whose gutters do not line up: band by band
        return [b for strip in strips for b in _order(strip)]
    return [b for _, group in groups for b in _order(group)]


def _cut_across(blocks: list[Block]) -> list[list[Block]]:
    parts, reach = [], None
    for block in sorted(blocks, key=lambda b: b.top):
        if reach is not None and block.top > reach:
            parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(block)
        reach = block.bottom if reach is None else max(reach, block.bottom)
    return parts


def _cut_down(blocks: list[Block]) -> list[list[Block]]:
    parts, reach = [], None
    for block in sorted(blocks, key=lambda b: b.x0):
        if reach is not None and block.x0 > reach:
            parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(block)
        reach = block.x1 if reach is None else max(reach, block.x1)
    return parts
