"""Reading a long PDF: time and peak memory (the reading process and its page workers together).

    .venv/bin/python benchmarks/read_pdf.py [--pages 300] [--keep FILE]

Writes a PDF of --pages A4 pages with reportlab (guidance-style text, about 630 words a page, a heading
every third page, a running header and a "Page N of M" footer), then reads it as `python -m assistant
add` does, in a fresh process: the reader (PDFium through pypdfium2; worker processes past 400 pages), the
structure (paragraphs, sections, passages), then the same file again from the saved extracted text.
Prints the figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ARTICLE = ROOT / "corpus" / "000_7a47272a2cc29dc3.txt"
SECTIONS = [
    "Recognising abuse and neglect",
    "Responding to a disclosure",
    "Making a referral",
    "Strategy discussions",
    "Child protection conferences",
    "Resolving professional disagreements",
    "Allegations against staff",
    "Information sharing",
    "Safer recruitment",
    "Children missing education",
    "Online safety",
]


def write_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    paragraphs = [
        " ".join(b.split()) for b in ARTICLE.read_text(encoding="utf-8").split("\n\n\n") if b.strip()
    ]
    paragraphs = [p for p in paragraphs if len(p.split()) > 25]
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("Multi-agency safeguarding procedures (benchmark)")
    c.setAuthor("Benchmark Partnership")
    k = 0
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(56, height - 30, "Multi-agency safeguarding procedures")
        c.drawRightString(width - 56, 30, f"Page {number} of {pages}")
        y = height - 70
        if number % 3 == 1:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(56, y, f"Part {number // 3 + 1}: {SECTIONS[(number // 3) % len(SECTIONS)]}")
            y -= 28
        c.setFont("Helvetica", 10)
        while y > 80:
            text = f"({number}.{k % 7 + 1}) " + paragraphs[k % len(paragraphs)]
            k += 1
            for line in textwrap.wrap(text, 95):
                if y <= 60:
                    break
                c.drawString(56, y, line)
                y -= 12.5
            y -= 8
        c.showPage()
    c.save()


def _tree_rss(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in bytes (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(x) for x in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _workers(pages: int) -> int:
    from assistant.ingest.readers import pdf

    slices = -(-pages // pdf.PAGES_PER_WORKER)
    workers = min(pdf.MAX_WORKERS, os.cpu_count() or 1, slices)
    return workers if workers > 1 else 0


def measure(path: Path) -> dict:
    """Run in a fresh process: read, recover structure, read again from the saved text."""
    from assistant.ingest.corpus import load_document
    from assistant.ingest.progress import reporter

    peak = {"rss": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak["rss"] = max(peak["rss"], _tree_rss(os.getpid()))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    saved = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    doc = load_document(path, extracted_dir=saved, progress=reporter(path.name))
    first = time.perf_counter() - t0
    # CPU time of this process and its (finished) page workers: what the reading costs whatever else
    # the machine is doing.
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    stop.set()
    sampler.join()
    t0 = time.perf_counter()
    again = load_document(path, extracted_dir=saved)
    second = time.perf_counter() - t0
    assert again.text == doc.text
    return {
        "pages": len(doc.pages),
        "characters": len(doc.text),
        "words": len(doc.text.split()),
        "passages": len(doc.passages),
        "sections": len({s for s in doc.passages.sections() if s}),
        "read_s": round(first, 2),
        "cpu_s": round(cpu, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "peak_rss_mb": round(peak["rss"] / 2**20, 1),
        "from_saved_text_s": round(second, 2),
        "workers": _workers(len(doc.pages)),
        "cpus": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="write the PDF here and keep it")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / f"guidance_{args.pages}_pages.pdf"
        t0 = time.perf_counter()
        write_pdf(path, args.pages)
        print(
            f"wrote {path.name}: {args.pages} pages, {path.stat().st_size / 2**20:.1f} MB "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)], capture_output=True, text=True, check=True
        )
        sys.stderr.write(child.stderr)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"read {figures['pages']} pages in {figures['read_s']} s "
        f"({figures['workers'] or 'no'} worker processes, {figures['cpus']} CPUs, load average "
        f"{figures['load_average']}; {figures['cpu_s']} s of CPU in all), "
        f"peak memory {figures['peak_rss_mb']} MB (reader and workers together)"
    )
    print(
        f"recovered {figures['words']:,} words, {figures['sections']} sections, "
        f"{figures['passages']} passages; "
        f"loaded again from the saved text in {figures['from_saved_text_s']} s"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
