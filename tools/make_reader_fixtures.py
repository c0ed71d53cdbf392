"""Make the document fixtures of tests/data/readers/ with real writers: reportlab, LibreOffice, python-docx.

    .venv/bin/python tools/make_reader_fixtures.py            # all fixtures
    .venv/bin/python tools/make_reader_fixtures.py --article  # only the bundled article as PDF, DOCX, HTML

Needs LibreOffice (`apt-get install -y libreoffice-writer-nogui`) for the DOCX and PDF it converts.
The bundled article (corpus/000_7a47272a2cc29dc3.txt) is written out paragraph by paragraph as the
corpus loader reads it: title and byline, paragraphs, lists, the "Key Questions" heading and references.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "tests" / "data" / "readers"
ARTICLE = ROOT / "corpus" / "000_7a47272a2cc29dc3.txt"
TITLE = "Escalation and information sharing: multi-agency procedures"
AUTHOR = "Northfield Safeguarding Partnership"

# Words split across lines with a hyphen where the two-column page wraps them (a PDF's line breaks).
_HYPHENATE = {
    "practitioners": "practi|tioners",
    "safeguarding": "safe|guarding",
    "responsibilities": "responsi|bilities",
    "information": "infor|mation",
    "professional": "profes|sional",
    "supervision": "super|vision",
    "arrangements": "arrange|ments",
    "disagreement": "disagree|ment",
}

TWO_COLUMN_PARAGRAPHS = [
    "Practitioners who are worried about a child should discuss their concerns with the designated "
    "safeguarding lead on the same working day. Information sharing is essential for effective "
    "safeguarding and promoting the welfare of children.",
    "Where a practitioner disagrees with a decision made by another agency, the disagreement should first "
    "be raised directly with the professional who made the decision, within five working days.",
    "If the disagreement is not resolved, the practitioner should escalate the concern to their line "
    "manager or supervision lead, who contacts their counterpart in the other agency.",
    "Responsibilities for escalation rest with every agency in the partnership. Arrangements for "
    "resolving professional differences are reviewed each year by the partnership board.",
    "Records of every escalation are kept on the child's file, with the date, the names of the "
    "professionals involved and the outcome agreed between them.",
    "A child who is at immediate risk of significant harm must be referred to the police or to "
    "children's social care at once; escalation never delays a referral.",
]


# ---------------------------------------------------------------- PDF with reportlab


def _wrap(words: list[str], width: float, font: str, size: float) -> list[str]:
    """Greedy line wrapping that splits a long word with a hyphen where the line has room for its head."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if stringWidth(trial, font, size) <= width:
            line = trial
            continue
        parts = _HYPHENATE.get(word.lower().strip(".,;"), "")
        if "|" in parts:
            cut = parts.index("|")
            head = f"{line} {word[:cut]}-".strip()
            if stringWidth(head, font, size) <= width:
                lines.append(head)
                line = word[cut:]
                continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def two_column_pdf(path: Path) -> None:
    """Three pages: a full-width title and two columns of text, running header and "Page N of 3" footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(TITLE)
    c.setAuthor(AUTHOR)
    gutter, margin = 24, 56
    col_width = (width - 2 * margin - gutter) / 2
    pages = [TWO_COLUMN_PARAGRAPHS[:2], TWO_COLUMN_PARAGRAPHS[2:4], TWO_COLUMN_PARAGRAPHS[4:]]
    for number, paragraphs in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(margin, height - 30, "Northfield Safeguarding Partnership procedures")
        c.drawRightString(width - margin, 30, f"Page {number} of {len(pages)}")
        y_top = height - 80
        if number == 1:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(margin, y_top, "Resolving professional disagreements")
            y_top -= 36
        c.setFont("Helvetica", 10)
        # Each page's first paragraph fills the left column, the second the right. The lines are drawn
        # across the page, left then right, as some writers order them: only a reader that finds the
        # columns keeps each paragraph whole.
        columns = [_wrap(p.split(), col_width, "Helvetica", 10) for p in paragraphs]
        for row in range(max(len(lines) for lines in columns)):
            for col, lines in enumerate(columns):
                if row < len(lines):
                    c.drawString(margin + col * (col_width + gutter), y_top - 13 * row, lines[row])
        c.showPage()
    c.save()


def scanned_pdf(path: Path) -> None:
    """A page that is one picture of text, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for i, line in enumerate(_wrap(TWO_COLUMN_PARAGRAPHS[0].split(), 1100 / 0.55, "Helvetica", 28)):
        draw.text((60, 60 + 40 * i), line, fill=0, font=font)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("Scanned referral form")
    c.drawImage(ImageReader(image), 40, 400, width=515, height=250)
    c.showPage()
    c.save()


def encrypted_pdf(path: Path, *, user_password: str) -> None:
    """A PDF encrypted with `user_password` ("" opens without a password: owner restrictions only)."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner-secret", canPrint=1, canCopy=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=enc, invariant=1)
    c.setTitle("Restricted procedure")
    c.setFont("Helvetica", 11)
    y = 760
    for line in _wrap(TWO_COLUMN_PARAGRAPHS[5].split(), 480, "Helvetica", 11):
        c.drawString(56, y, line)
        y -= 15
    c.showPage()
    c.save()


# ---------------------------------------------------------------- DOCX and HTML

POLICY_HTML_MAIN = """
<h1>Safeguarding and child protection policy</h1>
<p>This policy applies to all staff, volunteers and trustees of Riverside Youth Club.</p>
<h2>Designated safeguarding lead</h2>
<p>The designated safeguarding lead is Priya Shah, who can be contacted on 01632 960 123.</p>
<h2>What to do if you are worried</h2>
<ol>
<li>Listen to the child and take what they say seriously.</li>
<li>Write down what was said, in the child's own words, as soon as possible.</li>
<li>Tell the designated safeguarding lead on the same day.</li>
</ol>
<h3>Signs of concern</h3>
<ul>
<li>Unexplained injuries or injuries in unusual places.</li>
<li>A sudden change in behaviour or school performance.</li>
<li>Being frightened of a parent or carer.</li>
</ul>
<h2>Contacts</h2>
<table>
<tr><th>Service</th><th>Telephone</th><th>Hours</th></tr>
<tr><td>Children's social care</td><td>01632 960 200</td><td>9am to 5pm</td></tr>
<tr><td>Emergency duty team</td><td>01632 960 999</td><td>Out of hours</td></tr>
</table>
<p>This policy is reviewed every year by the board of trustees.</p>
"""


def policy_docx(path: Path) -> None:
    """A Word document made by python-docx: heading styles, numbered and bulleted lists, a table."""
    import docx

    d = docx.Document()
    d.core_properties.title = "Safeguarding and child protection policy"
    d.core_properties.author = "Riverside Youth Club"
    d.add_heading("Safeguarding and child protection policy", level=1)
    d.add_paragraph("This policy applies to all staff, volunteers and trustees of Riverside Youth Club.")
    d.add_heading("Designated safeguarding lead", level=2)
    d.add_paragraph("The designated safeguarding lead is Priya Shah, who can be contacted on 01632 960 123.")
    d.add_heading("What to do if you are worried", level=2)
    for item in (
        "Listen to the child and take what they say seriously.",
        "Write down what was said, in the child's own words, as soon as possible.",
        "Tell the designated safeguarding lead on the same day.",
    ):
        d.add_paragraph(item, style="List Number")
    d.add_heading("Signs of concern", level=3)
    for item in (
        "Unexplained injuries or injuries in unusual places.",
        "A sudden change in behaviour or school performance.",
        "Being frightened of a parent or carer.",
    ):
        d.add_paragraph(item, style="List Bullet")
    d.add_heading("Contacts", level=2)
    rows = [
        ("Service", "Telephone", "Hours"),
        ("Children's social care", "01632 960 200", "9am to 5pm"),
        ("Emergency duty team", "01632 960 999", "Out of hours"),
    ]
    table = d.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("This policy is reviewed every year by the board of trustees.")
    d.save(str(path))


def saved_page(title: str, author: str, main: str, *, description: str = "") -> str:
    """A web page as a browser saves it: cookie banner, navigation, the main content, related links,
    footer and scripts."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} - Northfield Council</title>
<meta name="author" content="{html.escape(author)}">
<meta name="description" content="{html.escape(description or title)}">
<script>document.write("<p>INJECTED BY SCRIPT</p>");</script>
<style>.cookie-banner {{ background: #eee }}</style>
</head>
<body>
<div class="cookie-banner" id="cookie-banner"><p>We use cookies to make this site work and to collect
information about how you use it.</p><button>Accept additional cookies</button>
<button>Reject additional cookies</button></div>
<header class="site-header"><a href="/">Northfield Council</a>
<nav aria-label="Main"><ul><li><a href="/bins">Bins and recycling</a></li>
<li><a href="/council-tax">Council tax</a></li><li><a href="/schools">Schools and education</a></li>
<li><a href="/social-care">Social care</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/social-care">Social care</a> &gt;
Safeguarding</div>
<main id="content"><article>
{main}
</article></main>
<aside class="related"><h2>Related content</h2><ul><li><a href="/fostering">Fostering</a></li>
<li><a href="/adoption">Adoption</a></li></ul></aside>
<footer class="site-footer"><ul><li><a href="/accessibility">Accessibility statement</a></li>
<li><a href="/privacy">Privacy notice</a></li><li><a href="/cookies">Cookies</a></li></ul>
<p>&copy; Northfield Council 2026</p></footer>
<script src="analytics.js"></script>
<noscript><p>Turn on JavaScript for the best experience.</p></noscript>
</body>
</html>
"""


def soffice(source: Path, target_dir: Path, convert_to: str) -> Path:
    """Convert `source` with LibreOffice; return the file it wrote."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("LibreOffice not found: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                convert_to,
                "--outdir",
                str(target_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return target_dir / (source.stem + "." + convert_to.split(":")[0])


# ---------------------------------------------------------------- the bundled article


def article_parts() -> list[tuple[str, str]]:
    """The article as (role, text) in order: "title", "byline", "heading", "text", "list" (items on lines),
    "question", "reference" and "boilerplate", each paragraph's words as the corpus loader joins them."""
    from assistant.ingest.corpus import load_document

    doc = load_document(ARTICLE)
    regions = [(p.start, p.end, p.kind) for p in doc.passages]
    regions += [(s, e, role) for s, e, role in doc.excluded]
    parts = []
    for s, e, role in sorted(regions):
        block = doc.text[s:e]
        if role == "list":
            # The introduction and each item ("(i) ...") on lines of their own.
            items = [" ".join(b.split()) for b in re.split(r"\n\s*\n", block) if b.strip()]
            parts.append(("list", "\n".join(items)))
        else:
            parts.append((role, " ".join(block.split())))
    return parts


def article_html(path: Path) -> None:
    body = []
    for role, text in article_parts():
        if role == "title":
            body.append(f'<p class="title"><strong>{html.escape(text)}</strong></p>')
        elif role == "heading":
            body.append(f"<h2>{html.escape(text)}</h2>")
        elif role == "list":
            # The items are typed as paragraphs that start "(i)", as in the article.
            body += [f"<p>{html.escape(line)}</p>" for line in text.split("\n")]
        elif role != "boilerplate":
            body.append(f"<p>{html.escape(text)}</p>")
    main = "\n".join(body)
    path.write_text(
        saved_page("Managing sex offenders", "Jon Brown", main, description="NSPCC article"), encoding="utf-8"
    )


def article_docx(path: Path) -> None:
    """The article written with python-docx, with a running header and a page-number footer."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.core_properties.title = (
        "How are - and how should - sexual offenders against children be managed in the community?"
    )
    d.core_properties.author = "Jon Brown"
    section = d.sections[0]
    section.header.paragraphs[0].text = "NSPCC  |  Managing sex offenders"
    footer = section.footer.paragraphs[0]
    footer.text = "Page "
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    for role, text in article_parts():
        if role == "title":
            d.add_paragraph(text, style="Title")
        elif role == "heading":
            d.add_heading(text, level=2)
        elif role == "list":
            for line in text.split("\n"):  # paragraphs that start "(i)", as in the article
                d.add_paragraph(line)
        elif role != "boilerplate":
            d.add_paragraph(text)
    d.save(str(path))


def make_article(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    article_html(out / "article.html")
    article_docx(out / "article.docx")
    with tempfile.TemporaryDirectory() as tmp:
        # LibreOffice prints the Word file to PDF: headers, footers and page numbers on every page.
        pdf = soffice(out / "article.docx", Path(tmp), "pdf")
        shutil.copyfile(pdf, out / "article.pdf")


def make_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    two_column_pdf(out / "two_column.pdf")
    scanned_pdf(out / "scanned.pdf")
    encrypted_pdf(out / "encrypted.pdf", user_password="open-sesame")
    encrypted_pdf(out / "no_copying.pdf", user_password="")
    policy_docx(out / "policy_python_docx.docx")
    page = saved_page("Safeguarding and child protection policy", "Riverside Youth Club", POLICY_HTML_MAIN)
    (out / "policy_page.html").write_text(page, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        # LibreOffice Writer saves the web page as Word: a word processor's own DOCX.
        src = Path(tmp) / "policy.html"
        src.write_text(
            "<html><head><title>Safeguarding and child protection policy</title>"
            '<meta name="author" content="Riverside Youth Club"></head>'
            f"<body>{POLICY_HTML_MAIN}</body></html>",
            encoding="utf-8",
        )
        shutil.copyfile(soffice(src, Path(tmp), "docx:MS Word 2007 XML"), out / "policy.docx")
        # And prints it to PDF (one column, with its table).
        src_docx = Path(tmp) / "policy_lo.docx"
        shutil.copyfile(out / "policy.docx", src_docx)
        shutil.copyfile(soffice(src_docx, Path(tmp), "pdf"), out / "policy.pdf")
    # Damaged and mislabelled files.
    whole = (out / "two_column.pdf").read_bytes()
    (out / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    word = (out / "policy.docx").read_bytes()
    (out / "truncated.docx").write_bytes(word[: len(word) // 2])
    shutil.copyfile(out / "policy.docx", out / "really_word.pdf")
    shutil.copyfile(out / "two_column.pdf", out / "really_pdf.docx")
    shutil.copyfile(out / "two_column.pdf", out / "really_pdf.html")
    (out / "empty.html").write_text(
        saved_page("Nothing here", "", "<div id='app'></div>").replace(
            "<main id=\"content\"><article>\n<div id='app'></div>\n</article></main>", "<div id='app'></div>"
        ),
        encoding="utf-8",
    )
    # A zip that is not a Word document (a spreadsheet's parts are elsewhere).
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    (out / "spreadsheet.docx").write_bytes(buf.getvalue())
    make_article(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", action="store_true", help="only the bundled article's three formats")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    (make_article if args.article else make_all)(args.out)
    for path in sorted(args.out.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
