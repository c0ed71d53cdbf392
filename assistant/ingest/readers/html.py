"""Read a saved web page with trafilatura: its main content only (navigation, cookie banners, related
links and footers left out), headings h1-h6, lists and tables kept, <title> and meta author as metadata.
Nothing on the page is run: scripts are parsed as text and dropped."""

from __future__ import annotations

from pathlib import Path

from .base import Extracted, ReadError, TextBuilder, clean_line
from .plain import decode


def read_html(path: Path, raw: bytes) -> Extracted:
    """Read the web page at `path`.

    Raises:
        ReadError: the page has no main content (an empty shell filled in by scripts).
    """
    import trafilatura
    from lxml import etree

    page = decode(raw)
    try:
        xml = trafilatura.extract(
            page,
            output_format="xml",
            include_tables=True,
            include_links=False,
            include_images=False,
            include_comments=False,
            # Measured: the same text as the default on whole pages, and nothing (not the menus) from
            # a page whose content scripts fill in.
            favor_precision=True,
            with_metadata=True,
        )
    except Exception as exc:  # a page lxml cannot parse at all
        raise ReadError(path, f"the web page cannot be parsed ({type(exc).__name__}: {exc})") from exc
    if not xml:
        raise ReadError(path, "the web page has no main text (is it filled in by scripts?)")
    root = etree.fromstring(xml.encode("utf-8"))
    out = TextBuilder()
    main = root.find("main")
    _write(out, main if main is not None else root)
    metadata = {"title": clean_line(root.get("title") or ""), "author": clean_line(root.get("author") or "")}
    if not out.text.strip():
        raise ReadError(path, "the web page has no main text (is it filled in by scripts?)")
    return out.build(path, "html", metadata)


def _text(element) -> str:
    return clean_line("".join(element.itertext()))


def _write(out: TextBuilder, parent) -> None:
    for el in parent:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            rend = el.get("rend") or "h2"
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            out.heading(_text(el), level)
        elif tag == "list":
            _write_list(out, el)
        elif tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_text(c) for c in row.findall("cell")]
                if any(cells):
                    rows.append(" | ".join(c for c in cells if c))
            out.items(rows, "table")
        elif tag in ("p", "quote", "code"):
            out.paragraph(_text(el))
        elif tag in ("div", "section", "main"):
            _write(out, el)
        elif tag:
            out.paragraph(_text(el))


def _write_list(out: TextBuilder, el) -> None:
    numbered = el.get("rend") == "ol"
    items = []
    for n, item in enumerate(el.findall("item"), 1):
        text = _text(item)
        if text:
            items.append(f"{n}. {text}" if numbered else f"\u2022 {text}")
    out.items(items, "list")
