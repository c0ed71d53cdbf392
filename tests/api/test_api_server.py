"""python -m web end to end: waitress prints its address, answers, logs no question, stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import re
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.serving import children

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Does Alice Smith at 12 Acacia Road need a COSA referral?"


def start(*args: str) -> tuple[subprocess.Popen, str, int]:
    """Start `python -m web --port 0 ARGS`; return the process and the host and port it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "web", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as in a terminal, for Ctrl+C
    )
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=60):
            proc.kill()
            pytest.fail("the server printed no address within 60 s")
    line = proc.stdout.readline()
    match = re.search(r"at http://([\d.]+):(\d+)/ ", line)
    if match is None:
        proc.kill()
        pytest.fail(f"unexpected first line: {line!r} {proc.stderr.read()}")
    return proc, match.group(1), int(match.group(2))


def request(host: str, port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        payload = json.dumps(body) if body is not None else None
        conn.request(method, path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def stop(proc: subprocess.Popen, how: str = "SIGTERM") -> tuple[int, str]:
    """Stop the server with SIGTERM to it, or with Ctrl+C (SIGINT to its whole process group)."""
    if how == "ctrl+c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return proc.returncode, out + err


@pytest.mark.parametrize(
    "workers, how",
    [
        ("1", "SIGTERM"),
        pytest.param(
            "2", "SIGTERM", marks=pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
        ),
        pytest.param("2", "ctrl+c", marks=pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")),
    ],
)
def test_server_answers_logs_no_question_and_stops_cleanly(workers, how):
    proc, host, port = start("--workers", workers)
    try:
        assert request(host, port, "GET", "/healthz")[0] == 200
        for _ in range(6):
            status, answer = request(host, port, "POST", "/api/ask", {"question": SECRET})
            assert status == 200 and answer["question"] == SECRET
        status, error = request(host, port, "POST", "/api/ask", {"question": SECRET, "history": 5})
        assert status == 400 and set(error) == {"error"}
        if workers == "2" and Path("/proc").is_dir():
            assert len(children(proc.pid)) == 2
    finally:
        code, output = stop(proc, how)
    assert code == 0, output
    assert "ERROR" not in output
    assert "Alice" not in output and "Acacia" not in output
    if Path("/proc").is_dir():
        assert children(proc.pid) == []


def test_port_in_use_is_a_clear_error():
    proc, host, port = start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "web", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        stop(proc)
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
