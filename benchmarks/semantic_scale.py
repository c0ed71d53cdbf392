"""The sentence encoder at scale: build time, index size, memory and ask latency with meaning on.

    python benchmarks/semantic_scale.py                    # 2k passages stored; 10k and 100k lazy and off
    python benchmarks/semantic_scale.py --stored 2k,10k    # more stored (embedding: ~4.5 ms a sentence)

The corpus is real English: the paragraphs of SQuAD 2.0 train-10 (../shared/datasets), written as
.txt documents of 100 paragraphs each and cycled until there are N passages; the questions are
train-10's, asked of the whole corpus. Two ways to serve meaning are measured, each in fresh processes
(one builds and saves the index, the next starts from it, reports its RSS and asks the questions):

- stored (`answer.semantic_max_passages` >= N): every sentence embedded at build time and saved with the
  index as float16 (768 bytes a sentence), memory-mapped when served;
- lazy (the default above 5,000 passages): nothing embedded up front; the sentences of the passages a
  question reads are embedded when the answer is not found (at most 50,000 vectors cached).

Against the same corpus with `answer.semantic: false`. Prints one row per size and way.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAIN10 = ROOT.parent / "shared" / "datasets" / "squad2-train-10.json.gz"
PER_DOCUMENT = 100
HEADER = (
    "| passages | meaning | sentences embedded | build (s) | index on disk (MB) | of which vectors "
    "| cold start (s) | RSS after start (MB) | RSS peak (MB) | ask median (ms) | ask p95 (ms) |"
)


def _size(text: str) -> int:
    text = text.lower()
    return int(float(text[:-1]) * 1_000) if text.endswith("k") else int(text)


def _train10():
    sys.path.insert(0, str(ROOT))
    from evaluation.squad import read_squad

    return read_squad(TRAIN10)


def write_corpus(folder: Path, n: int) -> None:
    """N passages of train-10's paragraphs, 100 to a .txt document (paragraphs cycled)."""
    paragraphs = [" ".join(p.text.split()) for d in _train10().documents for p in d.passages]
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(0, n, PER_DOCUMENT):
        body = [paragraphs[(d + i) % len(paragraphs)] for i in range(min(PER_DOCUMENT, n - d))]
        (folder / f"doc-{d // PER_DOCUMENT:05d}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")


def questions(count: int) -> list[str]:
    if count <= 0:
        return []
    asked = [q.question for q in _train10().questions]
    return asked[:: max(1, len(asked) // count)][:count]


def child(corpus: str, index_dir: str, semantic: str, max_passages: int, count: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from assistant import Assistant, Settings
    from assistant.config import apply_overrides

    overrides = [f"retrieval.index_dir={index_dir}", f"answer.semantic_max_passages={max_passages}"]
    settings = apply_overrides(Settings(), [*overrides, f"answer.semantic={semantic}"])
    started = time.perf_counter()
    assistant = Assistant.from_directory(corpus, settings)
    start_s = time.perf_counter() - started
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for question in questions(count):
        t = time.perf_counter()
        assistant.ask(question)
        times.append((time.perf_counter() - t) * 1000)
    times = sorted(times) or [float("nan")]
    return {
        "passages": len(assistant.index),
        "sentences": _embedded(assistant.meaning),
        "start_s": start_s,
        "rss_start_mb": rss_start,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
    }


def _embedded(meaning) -> int:
    """Sentences with a vector: all of them when stored; those embedded while asking when lazy."""
    return 0 if meaning is None else meaning.embedded


def _run(corpus: Path, index_dir: Path, semantic: str, max_passages: int, count: int) -> dict:
    command = [sys.executable, __file__, "--child", str(corpus), str(index_dir), semantic, str(max_passages)]
    command += ["--questions", str(count)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(n: int, way: str, count: int, work: Path) -> dict:
    """Build (timed, in its own process), then start from the saved index and ask (another process)."""
    corpus, index_dir = work / f"corpus-{n}", work / f"index-{n}-{way}"
    if not corpus.exists():
        write_corpus(corpus, n)
    semantic = "false" if way == "off" else "true"
    max_passages = n if way == "stored" else min(5_000, n - 1)
    built = _run(corpus, index_dir, semantic, max_passages, 0)
    served = _run(corpus, index_dir, semantic, max_passages, count)
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    vectors = sum(f.stat().st_size for f in index_dir.rglob("sentences-*.npy"))
    return {"n": n, "way": way, "build_s": built["start_s"], "index_mb": size / 2**20,
            "vectors_mb": vectors / 2**20, **{k: served[k] for k in served if k != "start_s"},
            "cold_start_s": served["start_s"]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lazy", default="10k,100k", help="sizes served lazily and with meaning off")
    parser.add_argument("--stored", default="2k", help="sizes whose every sentence is embedded and saved")
    parser.add_argument("--questions", type=int, default=200, help="questions asked per row")
    parser.add_argument("--workdir", help="scratch folder (default: a temporary one)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        corpus, index_dir, semantic, max_passages = args.child
        print(json.dumps(child(corpus, index_dir, semantic, int(max_passages), args.questions)))
        return 0
    plan = [(_size(s), "off") for s in args.lazy.split(",") if s]
    plan += [(_size(s), "lazy") for s in args.lazy.split(",") if s]
    plan += [(_size(s), "stored") for s in args.stored.split(",") if s]
    plan.sort(key=lambda p: (p[0], ("off", "lazy", "stored").index(p[1])))
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        print(HEADER)
        print("|" + "---:|" * 11)
        for n, way in plan:
            r = measure(n, way, args.questions, Path(tmp))
            print(
                f"| {r['passages']:,} | {way} | {r['sentences']:,} | {r['build_s']:.1f} "
                f"| {r['index_mb']:.0f} | {r['vectors_mb']:.0f} | {r['cold_start_s']:.2f} "
                f"| {r['rss_start_mb']:.0f} | {r['rss_peak_mb']:.0f} "
                f"| {r['median_ms']:.1f} | {r['p95_ms']:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
