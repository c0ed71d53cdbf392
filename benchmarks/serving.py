"""Start the production server (`python -m web`) for a benchmark, and find its worker processes."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `python -m web` prints once it listens: "... at http://HOST:PORT/ (N process(es) ...".
_ADDRESS = re.compile(r"at http://([^/\s]+):(\d+)/ \((\d+) process")


def start_server(
    *, workers: int | None = None, corpus: str | None = None, config: str | None = None, timeout: float = 300
) -> tuple[subprocess.Popen, str, int, int]:
    """Start `python -m web` on a free loopback port, in its own session.

    Returns the process, its host, port and number of serving processes. Exits with the server's
    error output when it does not start within `timeout` seconds.
    """
    command = [sys.executable, "-m", "web", "--host", "127.0.0.1", "--port", "0"]
    if workers:
        command += ["--workers", str(workers)]
    if corpus:
        command += ["--corpus", corpus]
    if config:
        command += ["--config", config]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = _ADDRESS.search(line)
        if match:
            # Drain the server's log in the background so that a full pipe never blocks it.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, match.group(1), int(match.group(2)), int(match.group(3))
    proc.kill()
    raise SystemExit(f"the server did not start:\n{proc.stderr.read()}")


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is `pid` (Linux /proc; empty elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)
