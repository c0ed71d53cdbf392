"""Profile Assistant.ask end to end on a synthetic library of up to a million passages.

    python benchmarks/profile_ask.py [--passages 1000000] [--questions 300] [--index-dir DIR]

Documents are generated deterministically (real English words from the shipped word-vector
vocabulary plus made-up ones, Zipf-distributed, in sentences of 8-20 words, 60-120 words a
passage) and stored as Documents with their passages and sentence spans. The index is saved
under --index-dir, so the first run builds it (minutes at 1M) and later runs load it. Prints
construction and ask latency (p50/p95), the process's memory (RSS, anonymous and file-backed,
and its peak) after construction and after the first pass of questions, the time of each stage
of ask, and the functions where the time goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import os
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The assistant package settles numpy's thread settings before numpy loads: load it first, as the
# server and the command line do.
importlib.import_module("assistant")

import numpy as np  # noqa: E402

from assistant import pipeline  # noqa: E402
from assistant.config import Settings, settings_from_mapping  # noqa: E402
from assistant.ingest.document import Document, Passage, Sentence  # noqa: E402
from assistant.language.text import stopwords  # noqa: E402
from assistant.retrieve import index as index_module  # noqa: E402
from assistant.retrieve.store import IndexStore  # noqa: E402

VOCABULARY = 50_000
PASSAGES_PER_DOCUMENT = 1000
TEMPLATES = (
    "What is {0}?",
    "What does the guidance say about {0} and {1}?",
    "How should {0} {1} be handled when {2}?",
    "Who is responsible for {0} {1} {2}?",
    "When must {0} {1} be reported to {2} {3}?",
    "Why are {0} {1} {2} important for {3} {4}?",
)


def vocabulary(seed: int = 0) -> list[str]:
    """Return 50,000 distinct words, most frequent first: shipped real words, then made-up ones."""
    data = np.load(ROOT / "assistant" / "data" / "wordvecs.npz")
    stop = stopwords()
    real = [w for w in str(data["words"]).split("\n") if w.isalpha() and w not in stop]
    rng = np.random.default_rng(seed)
    real = [real[i] for i in rng.permutation(len(real))]
    made_up = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in "aeiou" for c in range(1000)]
    return (real + made_up)[:VOCABULARY]


def zipf_cdf() -> np.ndarray:
    cdf = np.cumsum(1.0 / np.arange(1, VOCABULARY + 1))
    return cdf / cdf[-1]


def documents(n_passages: int, seed: int = 0) -> tuple[list[Document], list[str]]:
    """Return the synthetic documents and the vocabulary they are written in.

    Passages and sentence spans are made directly (the generator knows where sentences end), which
    takes seconds where splitting a million paragraphs with Document.from_paragraphs takes minutes.
    """
    words = np.array(vocabulary(seed), dtype=object)
    rng = np.random.default_rng(seed)
    cdf = zipf_cdf()
    docs = []
    for d in range(0, n_passages, PASSAGES_PER_DOCUMENT):
        count = min(PASSAGES_PER_DOCUMENT, n_passages - d)
        lengths = rng.integers(60, 121, size=count)
        draws = np.searchsorted(cdf, rng.random(int(lengths.sum())), side="right")
        tokens = words[np.minimum(draws, VOCABULARY - 1)].tolist()
        doc_id = f"doc{d // PASSAGES_PER_DOCUMENT:04d}"
        parts: list[str] = []
        made: list[tuple[int, int, list[Sentence]]] = []
        offset = pos = 0
        for length in lengths.tolist():
            body = tokens[pos : pos + length]
            pos += length
            sentences, spans, at, start = [], [], offset, 0
            while start < length:
                end = min(start + int(rng.integers(8, 21)), length)
                sentence = body[start].capitalize() + " " + " ".join(body[start + 1 : end]) + "."
                sentences.append(sentence)
                spans.append(Sentence(at, at + len(sentence), False))
                at += len(sentence) + 1
                start = end
            text = " ".join(sentences)
            made.append((offset, offset + len(text), spans))
            parts.append(text)
            offset += len(text) + 2
        # The text first: passages appended afterwards are stored as slices of it, not copies.
        doc = Document(
            doc_id=doc_id,
            text="\n\n".join(parts),
            metadata={"title": f"Guide {d // PASSAGES_PER_DOCUMENT}"},
        )
        for number, (start, end, spans) in enumerate(made, 1):
            doc.passages.append(
                Passage(
                    f"{doc_id}#{number}",
                    doc_id,
                    number,
                    "",
                    "text",
                    start,
                    end,
                    parts[number - 1],
                    tuple(spans),
                )
            )
        docs.append(doc)
    return docs, words.tolist()


def questions(words: list[str], count: int, seed: int = 1) -> list[tuple[str, list[str]]]:
    """Return (question, history) pairs; every fourth question is a follow-up of the one before."""
    rng = np.random.default_rng(seed)
    cdf = zipf_cdf()
    out: list[tuple[str, list[str]]] = []
    for i in range(count):
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        picks = np.minimum(np.searchsorted(cdf, rng.random(5), side="right"), VOCABULARY - 1)
        question = template.format(*(words[j] for j in picks.tolist()))
        history = [out[-1][0]] if i % 4 == 3 and out else []
        if history:
            question = f"And what about {words[int(picks[0])]}?"
        out.append((question, history))
    return out


def stage_timers(assistant) -> dict[str, list[float]]:
    """Wrap the stages of ask (those that exist in this version) to time each call."""
    times: dict[str, list[float]] = defaultdict(list)

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name].append(time.perf_counter() - t)

        return wrapper

    for name in ("choose", "quote_spans", "quote_span", "passage_refs", "resolve", "parse_history"):
        if hasattr(pipeline, name):
            setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    assistant.index.search = timed("Index.search (BM25 top-k)", assistant.index.search)
    for name in ("_expand", "_about_document", "_prepare"):
        if hasattr(assistant, name):
            setattr(assistant, name, timed(f"Assistant.{name}", getattr(assistant, name)))
    return times


def memory() -> dict[str, float]:
    """Return this process's memory in MiB: rss, peak (high-water mark), anon and file (Linux).

    `file` is mostly the memory-mapped index pages that searches have read: shared with other
    processes that map the same index, and given back to the kernel under memory pressure.
    """
    fields = {"VmRSS": "rss", "VmHWM": "peak", "RssAnon": "anon", "RssFile": "file"}
    found: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in fields:
                    found[fields[name]] = int(value.split()[0]) / 1024
    except OSError:
        pass
    if "peak" not in found:  # not Linux: ru_maxrss is KiB on Linux, bytes on macOS
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024
        found["peak"] = found["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    return found


def describe(m: dict[str, float]) -> str:
    parts = f" (anonymous {m['anon']:,.0f} MiB, file-backed {m['file']:,.0f} MiB)" if "anon" in m else ""
    return f"RSS {m['rss']:,.0f} MiB{parts}, peak {m['peak']:,.0f} MiB"


def by_module(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Return own (tottime) seconds per source file, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        path = Path(filename)
        if "assistant" in path.parts:
            key = f"assistant/{path.name}"
        elif "site-packages" in path.parts or "lib" in path.parts:
            key = (
                path.parts[path.parts.index("site-packages") + 1]
                if "site-packages" in path.parts
                else path.name
            )
        else:
            key = filename
        totals[key] += tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument(
        "--index-dir",
        default=os.path.join(tempfile.gettempdir(), "assistant-profile-index"),
        help="where the synthetic index is saved (default: %(default)s)",
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed from the profile")
    args = parser.parse_args(argv)

    t = time.perf_counter()
    docs, words = documents(args.passages)
    made = time.perf_counter() - t
    print(f"documents: {len(docs):,} with {args.passages:,} passages, generated in {made:.1f} s", flush=True)
    settings = settings_from_mapping({"retrieval": {"index_dir": args.index_dir}}, base=Settings())
    parts: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                parts[name] += time.perf_counter() - t

        return wrapper

    # Split construction: the corpus hash, loading (or building) the index, and everything else.
    with (
        mock.patch.object(index_module, "index_key", timed("hash of the passages", index_module.index_key)),
        mock.patch.object(
            IndexStore, "load_or_build", timed("load (or build) the index", IndexStore.load_or_build)
        ),
    ):
        t = time.perf_counter()
        assistant = pipeline.Assistant(docs, settings)
        construct = time.perf_counter() - t
    split = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items())
    print(f"Assistant construction: {construct:.2f} s ({split}; index in {args.index_dir})", flush=True)
    print(f"memory after construction: {describe(memory())}", flush=True)

    asked = questions(words, args.questions)
    # The first pass maps the index's pages into this process (page faults); the second is warm.
    for label in ("first pass", "second pass"):
        plain = []
        for q, h in asked:
            t = time.perf_counter()
            assistant.ask(q, h)
            plain.append(time.perf_counter() - t)
        plain_ms = np.asarray(plain) * 1e3
        print(
            f"ask, {label} over {len(asked)} questions: p50 {np.percentile(plain_ms, 50):.2f} ms, "
            f"p95 {np.percentile(plain_ms, 95):.2f} ms, max {plain_ms.max():.2f} ms",
            flush=True,
        )
        if label == "first pass":
            # The serving figure: the process after construction and one pass of questions.
            print(f"memory after {len(asked)} asks: {describe(memory())}", flush=True)

    # Stage timers alone cost about a microsecond a call; cProfile slows Python code far more
    # than numpy, so it runs separately and only says where the time goes, not how much there is.
    times = stage_timers(assistant)
    statuses: dict[str, int] = defaultdict(int)
    staged = []
    for q, h in asked:
        t = time.perf_counter()
        answer = assistant.ask(q, h)
        staged.append(time.perf_counter() - t)
        statuses[answer.status] += 1
    total = sum(staged) * 1e3
    print(f"  answers: {dict(statuses)}; memory at the end: {describe(memory())}")
    print()
    print("| stage of ask | calls | total ms | mean ms | p95 ms | share of ask |")
    print("|---|---|---|---|---|---|")
    for name, values in sorted(times.items(), key=lambda kv: -sum(kv[1])):
        v = np.asarray(values) * 1e3
        print(
            f"| {name} | {len(v)} | {v.sum():.0f} | {v.mean():.2f} | {np.percentile(v, 95):.2f} | "
            f"{v.sum() / total:.0%} |"
        )
    profiler = cProfile.Profile()
    for q, h in asked:
        profiler.enable()
        assistant.ask(q, h)
        profiler.disable()
    stats = pstats.Stats(profiler)
    print()
    print("Own time by source file (cProfile, a third run):")
    profiled = sum(s for _, s in by_module(stats))
    for name, seconds in by_module(stats)[:12]:
        print(f"  {name:40s} {seconds * 1e3:8.0f} ms  {seconds / profiled:5.0%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print()
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
