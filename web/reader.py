"""Cut a document into blocks for the reader view, marking the quoted span wherever it falls."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant import Document


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    quoted: bool
    # The first quoted piece carries the "Quoted" label and the #quoted anchor.
    first: bool = False


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
            blocks.append(Block("text", _pieces(doc.text, pos, start, quote)))
        pieces = _pieces(doc.text, start, end, quote)
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
        blocks.append(Block("text", _pieces(doc.text, pos, len(doc.text), quote)))
    return _label_first_quoted(blocks)


def _label_first_quoted(blocks: list[Block]) -> list[Block]:
    for i, block in enumerate(blocks):
        for j, piece in enumerate(block.pieces):
            if piece.quoted:
                pieces = (*block.pieces[:j], replace(piece, first=True), *block.pieces[j + 1 :])
                blocks[i] = replace(block, pieces=pieces)
                return blocks
    return blocks


def _pieces(text: str, start: int, end: int, quote: tuple[int, int] | None) -> tuple[Piece, ...]:
    if quote is None or quote[1] <= start or quote[0] >= end:
        return (Piece(text[start:end], False),)
    a, b = max(start, quote[0]), min(end, quote[1])
    pieces = []
    if a > start:
        pieces.append(Piece(text[start:a], False))
    pieces.append(Piece(text[a:b], True))
    if b < end:
        pieces.append(Piece(text[b:end], False))
    return tuple(pieces)
