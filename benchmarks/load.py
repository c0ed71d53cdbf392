"""Bounded load on loopback: the production server started as `make run` starts it, many clients at once.

Usage: python benchmarks/load.py [--clients 32] [--duration 60 | --requests 20000] [--corpus DIR]

Starts `python -m web` with its default workers on a free loopback port, warms it up with every dev
question once, then runs the clients (each one keep-alive connection) for the duration or until the
request count is reached, POSTing the dev questions (questions/dev.yaml: answerable, not in the
document, follow-ups with their history) in a shuffled round. Prints requests/s, latency
percentiles, the error count (a failed request, or an answer that differs from the first one the
same question got) and the resident memory (RSS, from /proc) of the server process and
its workers at the start of the run and at the end.

Exits 1 when a request failed or memory grew by more than --max-growth-mb, so it can gate a release.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import yaml
from serving import children, start_server

ROOT = Path(__file__).resolve().parent.parent
DEV_QUESTIONS = ROOT / "questions" / "dev.yaml"
SAMPLE_SECONDS = 5.0


def load_bodies(path: Path) -> list[tuple[str, bytes]]:
    """Return (kind, JSON body) for every question of the dev set, history included."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bodies = []
    for item in data["questions"]:
        body = {"question": item["question"]}
        if item.get("history"):
            body["history"] = item["history"]
        bodies.append((item["kind"], json.dumps(body).encode()))
    return bodies


def server_pids(pid: int, workers: int) -> list[int]:
    """Return the server's process id and its workers' (children, from /proc), once they are forked."""
    deadline = time.monotonic() + 30
    while True:
        workers_now = children(pid)
        # One process serves alone; several are forked children of the one that printed the address.
        if workers <= 1 or len(workers_now) >= workers or time.monotonic() > deadline:
            return [pid, *workers_now]
        time.sleep(0.1)


def rss_mb(pid: int) -> float | None:
    """Return the resident set size of `pid` in MB (VmRSS from /proc/<pid>/status), or None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def memory(pids: list[int]) -> dict[int, float]:
    """Return the RSS in MB of each process that still exists."""
    return {pid: mb for pid in pids if (mb := rss_mb(pid)) is not None}


class Load:
    """Shared state of the clients: what to send next, when to stop, and what happened."""

    def __init__(
        self,
        bodies: list[tuple[str, bytes]],
        *,
        requests: int | None,
        stop_at: float | None,
        expected: dict[int, str] | None = None,
    ) -> None:
        self.bodies = bodies
        self.requests = requests
        self.stop_at = stop_at
        # Digest of each question's answer: the first one seen (in the warm-up) is the one expected.
        self.expected = expected if expected is not None else {}
        self.sent = 0
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self._lock = threading.Lock()

    def next_body(self) -> tuple[int, bytes] | None:
        """Return the next question (its number and body), or None when the run is over."""
        with self._lock:
            if self.requests is not None and self.sent >= self.requests:
                return None
            if self.stop_at is not None and time.perf_counter() >= self.stop_at:
                return None
            number = self.sent % len(self.bodies)
            self.sent += 1
            return number, self.bodies[number][1]

    def record(self, number: int, latency: float, payload: bytes) -> None:
        """Record a 200 response to question `number`; an answer unlike the warm-up's is an error."""
        digest = hashlib.sha256(payload).hexdigest()
        status = json.loads(payload)["status"]
        with self._lock:
            if self.expected.setdefault(number, digest) != digest:
                self.errors["answer differs from the first one to the same question"] += 1
                return
            self.latencies.append(latency)
            self.statuses[status] += 1

    def fail(self, error: str) -> None:
        with self._lock:
            self.errors[error] += 1


def client(host: str, port: int, load: Load) -> None:
    """POST /api/ask over one keep-alive connection until the run is over."""
    headers = {"Content-Type": "application/json"}
    conn = http.client.HTTPConnection(host, port, timeout=60)
    while (item := load.next_body()) is not None:
        number, body = item
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/ask", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            latency = time.perf_counter() - started
            if response.status != 200:
                load.fail(f"HTTP {response.status}")
                continue
            load.record(number, latency, payload)
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            load.fail(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.close()


def run(host: str, port: int, clients: int, load: Load, sample=None) -> float:
    """Run `clients` threads until the load is done, calling `sample()` every few seconds meanwhile;
    return the elapsed seconds."""
    stop = threading.Event()

    def sampler() -> None:
        while not stop.wait(SAMPLE_SECONDS):
            sample()

    if sample is not None:
        threading.Thread(target=sampler, daemon=True).start()
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(host, port, load)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stop.set()
    return elapsed


def percentile(values: list[float], q: int) -> float:
    """Return the q-th percentile (1-99) of `values`, in milliseconds."""
    if len(values) < 2:
        return (values[0] if values else 0.0) * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def describe(mem: dict[int, float], server: int) -> str:
    parts = [f"{'server' if pid == server else 'worker'} {pid}: {mb:.1f}" for pid, mb in mem.items()]
    return f"{sum(mem.values()):.1f} MB ({', '.join(parts)})"


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the figures; return 0, or 1 on a failed request or memory growth."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--requests", type=int, help="stop after this many requests instead of a duration")
    parser.add_argument("--corpus", help="documents folder (default: the config's, the bundled corpus)")
    parser.add_argument("--config", help="YAML settings file")
    parser.add_argument("--questions", default=str(DEV_QUESTIONS), help="questions file (default: dev set)")
    parser.add_argument(
        "--max-growth-mb", type=float, default=50.0, help="fail when total RSS grows more (default 50)"
    )
    parser.add_argument("--seed", type=int, default=0, help="shuffles the question order")
    args = parser.parse_args(argv)
    bodies = load_bodies(Path(args.questions))
    random.Random(args.seed).shuffle(bodies)
    kinds = Counter(kind for kind, _ in bodies)

    proc, host, port, workers = start_server(corpus=args.corpus, config=args.config)
    try:
        pids = server_pids(proc.pid, workers)
        at_ready = memory(pids)
        # Warm-up: every question a few times over as many connections as workers, so that every
        # worker's lazy caches are filled before memory is compared.
        warm = Load(bodies, requests=len(bodies) * 3 * workers, stop_at=None)
        run(host, port, 2 * workers, warm)
        at_start = memory(pids)
        stop_at = None if args.requests else time.perf_counter() + args.duration
        load = Load(bodies, requests=args.requests, stop_at=stop_at, expected=warm.expected)
        samples = []  # (requests answered so far, total RSS in MB)
        elapsed = run(
            host, port, args.clients, load, lambda: samples.append((load.sent, sum(memory(pids).values())))
        )
        at_end = memory(pids)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    done = len(load.latencies)
    errors = sum(load.errors.values()) + sum(warm.errors.values())
    growth = sum(at_end.values()) - sum(at_start.values())
    mix = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    print(f"server: python -m web, {workers} worker process(es), {host}:{port}")
    print(f"questions: {len(bodies)} from {Path(args.questions).name} ({mix})")
    print(f"clients: {args.clients}, requests: {done + sum(load.errors.values())} in {elapsed:.1f} s")
    print(f"answers: {dict(load.statuses)}")
    print(f"requests/s: {done / elapsed:.1f}")
    print(
        f"latency ms: p50 {percentile(load.latencies, 50):.1f}  p95 {percentile(load.latencies, 95):.1f}  "
        f"p99 {percentile(load.latencies, 99):.1f}  max {max(load.latencies, default=0) * 1000:.1f}"
    )
    print(f"errors: {errors}" + (f" {dict(load.errors + warm.errors)}" if errors else ""))
    if at_ready:
        print(f"RSS when ready:      {describe(at_ready, proc.pid)}")
        print(f"RSS at start of run: {describe(at_start, proc.pid)}")
        print(f"RSS at end of run:   {describe(at_end, proc.pid)}")
        print(f"RSS growth over the run: {growth:+.1f} MB (limit {args.max_growth_mb:g} MB)")
        series = "  ".join(f"{n}:{mb:.1f}" for n, mb in samples[:: max(len(samples) // 12, 1)][:13])
        print(f"RSS total every {SAMPLE_SECONDS:g} s (requests:MB): {series}")
    else:
        print("RSS: not available (no /proc)")
    if errors:
        return 1
    return 1 if at_start and growth > args.max_growth_mb else 0


if __name__ == "__main__":
    sys.exit(main())
