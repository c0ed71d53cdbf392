"""python -m web with two workers picks up `python -m assistant add` without a restart: every worker loads
the new index, and no request fails meanwhile."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.api.test_api_server import request, start, stop

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")]

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "readers"


def test_every_worker_loads_an_added_document(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("000_7a47272a2cc29dc3.txt", "000_7a47272a2cc29dc3.yaml"):
        shutil.copyfile(ROOT / "corpus" / name, corpus / name)
    config = tmp_path / "config.yaml"
    config.write_text(f"retrieval:\n  index_dir: {tmp_path / 'index'}\n", encoding="utf-8")
    proc, host, port = start("--workers", "2", "--corpus", str(corpus), "--config", str(config))
    statuses, seen_new = [], 0
    try:
        listed = request(host, port, "GET", "/api/documents")[1]["documents"]
        assert [d["document_id"] for d in listed] == ["000_7a47272a2cc29dc3"]
        added = subprocess.run(
            [sys.executable, "-m", "assistant", "add", str(DATA / "two_column.pdf")]
            + ["--corpus", str(corpus), "--config", str(config)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stdout + added.stderr
        deadline = time.monotonic() + 90
        # Each request is a new connection, so the two workers share them; 40 in a row that list the
        # new document means both have it.
        while seen_new < 40 and time.monotonic() < deadline:
            status, body = request(host, port, "GET", "/api/documents")
            statuses.append(status)
            ids = [d["document_id"] for d in body["documents"]] if status == 200 else []
            seen_new = seen_new + 1 if "two_column" in ids else 0
        status, answer = request(
            host, port, "POST", "/api/ask", {"question": "Where are records of every escalation kept?"}
        )
    finally:
        code, output = stop(proc)
    assert seen_new == 40, output
    assert set(statuses) == {200}
    assert status == 200 and answer["citations"][0]["page"] == 3
    assert code == 0 and "ERROR" not in output
    assert output.count("loaded the updated corpus") == 2, output  # one line from each worker
