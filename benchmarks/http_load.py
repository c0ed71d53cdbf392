"""HTTP load: start the production server (python -m web, waitress) and POST /api/ask from concurrent clients.

Usage: python benchmarks/http_load.py [--clients 8] [--duration 15] [--workers N] [--corpus DIR]

Prints requests per second, latency percentiles and the error count. A measurement, not a test: the
figure depends on the machine (the target is 200 requests/s with 8 clients on a 2-core machine).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from serving import start_server

ROOT = Path(__file__).resolve().parent.parent
TARGET = 200.0
# A mix like real use: answered, not found, and follow-ups that carry the earlier turn as history.
BODIES = [
    {"question": "Which treatment approaches are most effective?"},
    {"question": "What does COSA stand for?"},
    {"question": "What is MAPPA?"},
    {"question": "What are the three factors that reduce sexual abuse?"},
    {"question": "What is the capital of France?"},
    {
        "question": "Is it cost effective?",
        "history": [{"question": "What is COSA?", "answer": "", "resolved_question": "What is COSA?"}],
    },
    {"question": "Who wrote this article?"},
    {
        "question": "What about internet offenders?",
        "history": ["How are sex offenders managed in the community?"],
    },
]


def server_cpu_seconds(pid: int) -> float | None:
    """Return the CPU time (user + system) used so far by `pid` and its child workers (Linux /proc)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    total = 0.0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def client(
    host: str, port: int, stop_at: float, offset: int, latencies: list[float], errors: list[str]
) -> None:
    """POST /api/ask over one keep-alive connection until `stop_at`, recording each latency."""
    payloads = [json.dumps(b).encode() for b in BODIES]
    headers = {"Content-Type": "application/json"}
    conn = http.client.HTTPConnection(host, port, timeout=30)
    n = offset
    while time.perf_counter() < stop_at:
        body = payloads[n % len(payloads)]
        n += 1
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/ask", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
                continue
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
    conn.close()


def run(host: str, port: int, clients: int, duration: float) -> tuple[list[float], list[str], float]:
    """Run `clients` threads for `duration` seconds; return latencies, errors and the elapsed time."""
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    stop_at = started + duration
    threads = [
        threading.Thread(target=client, args=(host, port, stop_at, i, latencies, errors))
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of `values`, in milliseconds."""
    if len(values) < 2:
        return (values[0] if values else 0.0) * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; return 0, or 1 when a request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    parser.add_argument("--workers", type=int, help="server processes (default: python -m web's default)")
    parser.add_argument("--corpus", help="documents folder (default: the bundled corpus)")
    parser.add_argument("--config", help="YAML settings file")
    args = parser.parse_args(argv)
    proc, host, port, workers = start_server(
        workers=args.workers, corpus=args.corpus, config=args.config, timeout=120
    )
    try:
        client(host, port, time.perf_counter() + 1.0, 0, [], [])  # warm up
        cpu_before = server_cpu_seconds(proc.pid)
        latencies, errors, elapsed = run(host, port, args.clients, args.duration)
        cpu_after = server_cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    rate = len(latencies) / elapsed
    print(
        f"POST /api/ask through waitress at http://{host}:{port}/ ({workers} server process(es)), "
        f"{args.clients} clients, {elapsed:.1f} s"
    )
    print(f"requests:   {len(latencies)} ok, {len(errors)} errors")
    print(
        f"throughput: {rate:.1f} requests/s (target {TARGET:.0f}: {'met' if rate >= TARGET else 'NOT met'})"
    )
    print(
        f"latency:    p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms, "
        f"p99 {percentile(latencies, 99):.1f} ms"
    )
    if cpu_before is not None and latencies:
        per_request = (cpu_after - cpu_before) / len(latencies) * 1000
        print(
            f"server CPU: {per_request:.2f} ms per request, ~{1000 / per_request:.0f} requests/s per busy "
            f"core ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})"
        )
    if errors:
        print("errors:     " + ", ".join(sorted(set(errors))))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
