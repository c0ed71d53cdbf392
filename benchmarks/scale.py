"""Scale benchmark: rank-bm25 against our sparse backend on a synthetic Zipf corpus (10k to 1M passages).

    python benchmarks/scale.py [--sizes 10k,100k,1M] [--queries 200] [--reference-queries 50]

The corpus is deterministic: passages of 60-120 tokens drawn from a 50,000-word vocabulary with
Zipf-distributed word frequencies (rank r has probability proportional to 1/r), and queries of 3-8
distinct words drawn from the same distribution. Each backend is measured in its own subprocess
(build, then serve) so that peak RSS is honest; the table compares them side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VOCABULARY = 50_000
ZIPF_EXPONENT = 1.0
MIN_LEN, MAX_LEN = 60, 120
MIN_QUERY, MAX_QUERY = 3, 8
TOP = 10
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def zipf_cdf(vocabulary: int = VOCABULARY, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    weights = 1.0 / np.arange(1, vocabulary + 1, dtype=np.float64) ** exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def words(vocabulary: int = VOCABULARY) -> list[str]:
    """Return the synthetic vocabulary, most frequent word first."""
    return [f"w{i}" for i in range(vocabulary)]


def generate(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return the token ids of n passages (flat) and the offsets where each passage starts."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(MIN_LEN, MAX_LEN + 1, size=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    cdf = zipf_cdf()
    ids = np.empty(int(offsets[-1]), dtype=np.int32)
    step = 1 << 24
    for s in range(0, len(ids), step):
        e = min(s + step, len(ids))
        ids[s:e] = np.minimum(np.searchsorted(cdf, rng.random(e - s), side="right"), VOCABULARY - 1)
    return ids, offsets


def queries(count: int, seed: int = 1) -> list[list[str]]:
    """Return `count` queries of 3-8 distinct words, drawn with the corpus's word frequencies."""
    rng = np.random.default_rng(seed)
    cdf = zipf_cdf()
    vocab = words()
    out = []
    for _ in range(count):
        m = int(rng.integers(MIN_QUERY, MAX_QUERY + 1))
        chosen: list[str] = []
        while len(chosen) < m:
            w = vocab[min(int(np.searchsorted(cdf, rng.random(), side="right")), VOCABULARY - 1)]
            if w not in chosen:
                chosen.append(w)
        out.append(chosen)
    return out


def tokenized(ids: np.ndarray, offsets: np.ndarray) -> list[list[str]]:
    """Return the passages as lists of word strings (what both backends index)."""
    vocab = np.array(words(), dtype=object)
    flat = vocab[ids]
    return [flat[a:b].tolist() for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def top_rows(scores: np.ndarray, k: int = TOP) -> list[int]:
    """Rank-bm25's scores -> the rows of the k best positive scores, ties in row order."""
    positive = np.flatnonzero(scores > 0)
    order = positive[np.lexsort((positive, -scores[positive]))][:k]
    return order.tolist()


def _timed_queries(run, qs: list[list[str]]) -> tuple[list[float], list[list[int]], list[list[float]]]:
    latencies, tops, scores = [], [], []
    for q in qs:
        t = time.perf_counter()
        rows, got = run(q)
        latencies.append(time.perf_counter() - t)
        tops.append(rows)
        scores.append(got)
    return latencies, tops, scores


# Workers: each runs in a fresh process and prints one JSON object.


def worker_reference_build(data: Path, variant: str, n_queries: int) -> dict:
    from rank_bm25 import BM25L, BM25Okapi, BM25Plus

    ids, offsets = np.load(data / "ids.npy"), np.load(data / "offsets.npy")
    qs = json.loads((data / "queries.json").read_text())[:n_queries]
    corpus = tokenized(ids, offsets)
    del ids
    cls = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}[variant]
    extra = {"epsilon": 0.25} if variant == "okapi" else {"delta": 1.0}
    cpu, t = time.process_time(), time.perf_counter()
    bm25 = cls(corpus, k1=1.2, b=0.75, **extra)
    build, build_cpu = time.perf_counter() - t, time.process_time() - cpu
    del corpus

    def run(q):
        s = bm25.get_scores(q)
        rows = top_rows(s)
        return rows, s[rows].tolist()

    latencies, tops, scores = _timed_queries(run, qs)
    rss = peak_rss_mib()
    path = data / "rank_bm25.pickle"
    t = time.perf_counter()
    with open(path, "wb") as f:
        pickle.dump(bm25, f, protocol=pickle.HIGHEST_PROTOCOL)
    save = time.perf_counter() - t
    size = path.stat().st_size
    bm25 = None
    t = time.perf_counter()
    with open(path, "rb") as f:
        pickle.load(f)
    load = time.perf_counter() - t
    path.unlink()
    return {
        "build_s": build,
        "build_cpu_s": build_cpu,
        "save_s": save,
        "size_bytes": size,
        "load_s": load,
        "latencies": latencies,
        "tops": tops,
        "scores": scores,
        "rss_mib": rss,
    }


def worker_sparse_build(data: Path, variant: str) -> dict:
    from assistant.retrieve.sparse import Params, SparseBM25
    from assistant.retrieve.store import IndexStore

    ids, offsets = np.load(data / "ids.npy"), np.load(data / "offsets.npy")
    corpus = tokenized(ids, offsets)
    del ids
    params = Params(variant, 1.2, 0.75, 0.25, 1.0)
    cpu, t = time.process_time(), time.perf_counter()
    backend = SparseBM25.build(corpus, params)
    build, build_cpu = time.perf_counter() - t, time.process_time() - cpu
    store = IndexStore(data / "index")
    t = time.perf_counter()
    folder = store.save("bench", backend)
    save = time.perf_counter() - t
    return {
        "build_s": build,
        "build_cpu_s": build_cpu,
        "save_s": save,
        "size_bytes": folder_size(folder),
        "build_rss_mib": peak_rss_mib(),
        "dense_terms": int(backend.arrays["dense"].shape[0]),
        "postings": int(len(backend.arrays["rows"])),
    }


def worker_sparse_serve(data: Path) -> dict:
    from assistant.retrieve.store import IndexStore

    qs = json.loads((data / "queries.json").read_text())
    t = time.perf_counter()
    backend = IndexStore(data / "index").load("bench")
    load = time.perf_counter() - t

    def run(q):
        rows, got = backend.top_k(q, TOP)
        return rows.tolist(), got.tolist()

    run(qs[0])  # first call pays for lazy imports inside numpy, not for the index
    latencies, tops, scores = _timed_queries(run, qs)
    return {"load_s": load, "latencies": latencies, "tops": tops, "scores": scores, "rss_mib": peak_rss_mib()}


def _spawn(*args: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker failed: {' '.join(args)}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def agreement(ours: list[list[int]], ours_scores, reference: list[list[int]], ref_scores) -> tuple[int, int]:
    """Return (identical, identical up to the order of equal scores) counts over the reference's queries."""
    same = same_ties = 0
    for a, sa, b, sb in zip(ours, ours_scores, reference, ref_scores, strict=False):
        if a == b and sa == sb:
            same += 1
        # Ties aside: the same multiset of scores, and passages differing only where scores tie.
        strict_a = {r for r, s in zip(a, sa, strict=True) if sa.count(s) == 1}
        strict_b = {r for r, s in zip(b, sb, strict=True) if sb.count(s) == 1}
        if sorted(sa) == sorted(sb) and strict_a == strict_b:
            same_ties += 1
    return same, same_ties


def measure(label: str, n: int, args, workdir: Path) -> dict:
    data = workdir / label
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    t = time.perf_counter()
    ids, offsets = generate(n, args.seed)
    np.save(data / "ids.npy", ids)
    np.save(data / "offsets.npy", offsets)
    qs = queries(args.queries, args.seed + 1)
    (data / "queries.json").write_text(json.dumps(qs))
    print(
        f"[{label}] corpus: {n:,} passages, {len(ids):,} tokens ({time.perf_counter() - t:.1f} s)", flush=True
    )
    del ids, offsets
    n_ref = args.queries if n < 1_000_000 else min(args.queries, args.reference_queries)
    ref = _spawn("reference", str(data), args.variant, str(n_ref))
    print(f"[{label}] rank-bm25 done: build {ref['build_s']:.1f} s", flush=True)
    built = _spawn("sparse-build", str(data), args.variant)
    print(f"[{label}] sparse build done: {built['build_s']:.1f} s", flush=True)
    served = _spawn("sparse-serve", str(data))
    same, same_ties = agreement(served["tops"], served["scores"], ref["tops"], ref["scores"])
    shutil.rmtree(data, ignore_errors=True)
    return {
        "label": label,
        "n": n,
        "reference": ref,
        "built": built,
        "served": served,
        "reference_queries": n_ref,
        "same": same,
        "same_ties": same_ties,
    }


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1e3, q))


def render(results: list[dict], args) -> str:
    lines = [
        f"Synthetic Zipf corpus (vocabulary {VOCABULARY:,}, exponent {ZIPF_EXPONENT}, "
        f"passages {MIN_LEN}-{MAX_LEN} tokens, queries {MIN_QUERY}-{MAX_QUERY} words), "
        f"BM25 {args.variant} k1=1.2 b=0.75, top-{TOP}.",
        f"{os.cpu_count()} CPUs; load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "| passages | backend | build | index on disk | load | query median | query p95 | peak RSS "
        "| speed-up (median / p95) | top-10 identical |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ref, built, served = r["reference"], r["built"], r["served"]
        rm, rp = _ms(ref["latencies"], 50), _ms(ref["latencies"], 95)
        om, op = _ms(served["latencies"], 50), _ms(served["latencies"], 95)
        n_ref = r["reference_queries"]
        lines.append(
            f"| {r['n']:,} | rank-bm25 | {ref['build_s']:.1f} s | "
            f"{ref['size_bytes'] / 2**20:,.0f} MiB (pickle) | {ref['load_s']:.2f} s (unpickle) | "
            f"{rm:,.1f} ms | {rp:,.1f} ms | {ref['rss_mib']:,.0f} MiB (build + serve) | "
            f"1x | reference ({n_ref} queries) |"
        )
        lines.append(
            f"| {r['n']:,} | sparse | {built['build_s']:.1f} s (+{built['save_s']:.1f} s save) | "
            f"{built['size_bytes'] / 2**20:,.0f} MiB | {served['load_s']:.2f} s | "
            f"{om:.2f} ms | {op:.2f} ms | "
            f"{served['rss_mib']:,.0f} MiB serving ({built['build_rss_mib']:,.0f} MiB build) | "
            f"{rm / om:,.0f}x / {rp / op:,.0f}x | {r['same']}/{n_ref} ({r['same_ties']}/{n_ref} ties aside) |"
        )
    lines.append("")
    lines.append(
        f"Latency over {args.queries} queries for the sparse backend; rank-bm25 over the first "
        f"{args.queries} (first {args.reference_queries} at 1M passages). Build times are wall clock "
        "on a shared machine; CPU time: "
        + ", ".join(
            f"{r['n']:,}: rank-bm25 {r['reference']['build_cpu_s']:.1f} s, "
            f"sparse {r['built']['build_cpu_s']:.1f} s"
            for r in results
        )
        + "."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated: 10k, 100k, 1M or a number")
    parser.add_argument("--queries", type=int, default=200, help="queries timed per size (at least 200)")
    parser.add_argument("--reference-queries", type=int, default=50, help="rank-bm25 queries at 1M passages")
    parser.add_argument("--variant", default="okapi", choices=("okapi", "plus", "l"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="scratch folder (default: a temporary one)")
    parser.add_argument("--json", metavar="FILE", help="also write the raw measurements to FILE")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, rest = args.worker[0], args.worker[1:]
        if kind == "reference":
            out = worker_reference_build(Path(rest[0]), rest[1], int(rest[2]))
        elif kind == "sparse-build":
            out = worker_sparse_build(Path(rest[0]), rest[1])
        else:
            out = worker_sparse_serve(Path(rest[0]))
        print(json.dumps(out))
        return 0
    if args.queries < 1:
        parser.error("--queries must be positive")
    sizes = []
    for item in args.sizes.split(","):
        item = item.strip()
        sizes.append((item, SIZES[item] if item in SIZES else int(item.replace("_", ""))))
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        results = [measure(label, n, args, workdir) for label, n in sizes]
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(render(results, args))
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
