"""Cut a document into blocks for the reader view, marking the quoted span wherever it falls and where
each page of a PDF starts."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant import Document


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    quoted: bool
    # The first quoted piece carries the "Quoted" label and the #quoted anchor.
    first: bool = False
    # A page starts here (text is ""): the reader view marks it, with a link into the PDF.
    page: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    role: str  # "passage", "front", "heading", "title", "byline", "boilerplate" or "text"
    pieces: tuple[Piece, ...]
    number: int = 0
    passage_id: str = ""
    locator: str = ""
    cited: bool = False


def quote_range(doc: Document, start: str | None, end: str | None) -> tuple[int, int] | None:
    """Return (start, end) from query-string values when they are a non-empty range of the text."""
    try:
        s, e = int(start or ""), int(end or "")
    except ValueError:
        return None
    return (s, e) if 0 <= s < e <= len(doc.text) else None


def reader_blocks(doc: Document, *, quote: tuple[int, int] | None = None, cited: str = "") -> list[Block]:
    """Return the whole text of `doc` as blocks in reading order, with `quote` split out as quoted pieces.

    Args:
        doc: the document.
        quote: the character range to mark, anywhere in the text (a byline quote lies outside passages).
        cited: the passage id to outline.
    """
    pages = _page_starts(doc)
    # The front passage (title and byline, when the engine defines one) is cited like any passage.
    front = getattr(doc, "front", None)
    passages = ([front] if front is not None else []) + list(doc.passages)
    regions = [(p.start, p.end, "front" if p is front else "passage", p) for p in passages]
    regions += [(s, e, role, None) for s, e, role in doc.excluded]
    regions.sort(key=lambda r: (r[0], r[3] is None))
    blocks: list[Block] = []
    pos = 0
    for start, end, role, passage in regions:
        # Regions may overlap (boilerplate inside a merged paragraph): each character is shown once.
        start = max(start, pos)
        if start >= end:
            continue
        if doc.text[pos:start].strip():
            blocks.append(Block("text", _pieces(doc.text, pos, start, quote, pages)))
        pieces = _pieces(doc.text, start, end, quote, pages)
        if passage is None:
            blocks.append(Block(role, pieces))
        else:
            blocks.append(
                Block(
                    role,
                    pieces,
                    passage.number,
                    passage.passage_id,
                    passage.locator,
                    passage.passage_id == cited,
                )
            )
        pos = end
    if doc.text[pos:].strip():
        blocks.append(Block("text", _pieces(doc.text, pos, len(doc.text), quote, pages)))
    return _label_first_quoted(blocks)


def _label_first_quoted(blocks: list[Block]) -> list[Block]:
    for i, block in enumerate(blocks):
        for j, piece in enumerate(block.pieces):
            if piece.quoted:
                pieces = (*block.pieces[:j], replace(piece, first=True), *block.pieces[j + 1 :])
                blocks[i] = replace(block, pieces=pieces)
                return blocks
    return blocks


def _page_starts(doc: Document) -> dict[int, int]:
    """Return {offset: page number} for each page after the first, at its first character that is not
    white space (a page that starts between two blocks is marked at the start of the next)."""
    text, starts = doc.text, {}
    for number, offset in enumerate(getattr(doc, "pages", ()), 1):
        while offset < len(text) and text[offset].isspace():
            offset += 1
        if number > 1 and offset < len(text):
            starts.setdefault(offset, number)
    return starts


def _pieces(
    text: str, start: int, end: int, quote: tuple[int, int] | None, pages: dict[int, int]
) -> tuple[Piece, ...]:
    cuts = {start, end}
    if quote is not None and quote[1] > start and quote[0] < end:
        cuts |= {max(start, quote[0]), min(end, quote[1])}
    marks = {at: n for at, n in pages.items() if start <= at < end} if pages else {}
    cuts |= set(marks)
    bounds = sorted(cuts)
    pieces = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a in marks:
            pieces.append(Piece("", False, page=marks[a]))
        quoted = quote is not None and quote[0] <= a and b <= quote[1]
        pieces.append(Piece(text[a:b], quoted))
    return tuple(pieces)
