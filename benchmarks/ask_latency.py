"""Time Assistant.ask on the bundled corpus over the dev questions, and the CLI from a cold start.

    python benchmarks/ask_latency.py [--rounds 5]

Prints median and 95th percentile per question (after one warm-up round) and the wall time of
`python -m assistant ask ...` including interpreter start-up, as docs/deployment.md reports them.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    assistant = Assistant.from_directory(ROOT / "corpus")
    build = time.perf_counter() - started
    questions = yaml.safe_load((ROOT / "questions" / "dev.yaml").read_text(encoding="utf-8"))["questions"]
    for q in questions:  # warm-up: caches of stems and sentence terms
        assistant.ask(q["question"], q.get("history", []))
    times = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            assistant.ask(q["question"], q.get("history", []))
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"build on the bundled corpus: {build * 1000:.0f} ms")
    print(f"ask: {len(times)} questions, median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms")
    cli = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "ask", "What is MAPPA?"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - t)
    print(f"CLI cold start to answer: best {min(cli):.2f} s, worst {max(cli):.2f} s (3 runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
