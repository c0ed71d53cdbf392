"""What the sentence encoder costs: cold start with a saved index, memory, and ask latency, on and off.

    python benchmarks/semantic_cost.py [--corpus DIR] [--questions questions/dev.yaml]

Each setting runs in a fresh process: the index is built (and saved) once, then a second process
times `Assistant.from_config` with the saved index (cold start), reports its peak RSS, and asks every
question of the file once (median and p95 latency). Prints both settings side by side and the ratios.
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


def _child(corpus: str, questions: str, semantic: bool, index_dir: str) -> dict:
    sys.path.insert(0, str(ROOT))
    import yaml

    from assistant import Assistant, Settings
    from assistant.config import apply_overrides

    settings = apply_overrides(
        Settings(), [f"answer.semantic={'true' if semantic else 'false'}", f"retrieval.index_dir={index_dir}"]
    )
    started = time.perf_counter()
    assistant = Assistant.from_directory(corpus, settings)
    start_s = time.perf_counter() - started
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    items = yaml.safe_load(Path(questions).read_text(encoding="utf-8"))["questions"]
    times = []
    for item in items:
        t = time.perf_counter()
        assistant.ask(item["question"], item.get("history", []))
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "start_s": start_s,
        "rss_start_mb": rss_start,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--questions", default=str(ROOT / "questions" / "dev.yaml"))
    parser.add_argument("--child", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.corpus, args.questions, args.child == "on", args.index_dir)))
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as index_dir:
        for mode in ("off", "on"):
            command = [sys.executable, __file__, "--child", mode, "--index-dir", index_dir]
            command += ["--corpus", args.corpus, "--questions", args.questions]
            subprocess.run(command, check=True, capture_output=True)  # builds and saves the index
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"{'':<28}{'semantic off':>14}{'semantic on':>14}{'ratio':>8}")
    for key, label in (
        ("start_s", "cold start, saved index (s)"),
        ("rss_start_mb", "RSS after start (MB)"),
        ("rss_peak_mb", "RSS peak after asking (MB)"),
        ("median_ms", "ask median (ms)"),
        ("p95_ms", "ask p95 (ms)"),
    ):
        off, on = results["off"][key], results["on"][key]
        print(f"{label:<28}{off:>14.2f}{on:>14.2f}{on / off if off else float('nan'):>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
