"""Start-up safety: a bad config value names the key and the expected type, a missing corpus names the
path, and `python -m web` exits non-zero with the message instead of serving half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, ConfigError, CorpusError
from web import create_app

from .support import GOOD_FILES, write_files

ROOT = Path(__file__).resolve().parents[2]

# config.yaml content -> the message (key and expected type or range)
BAD_CONFIGS = {
    "port-not-an-integer": ("web:\n  port: eighty\n", "'web.port' must be an integer, got str 'eighty'"),
    "port-out-of-range": (
        "web:\n  port: 70000\n",
        "'web.port' must be an integer from 0 to 65535, got 70000",
    ),
    "port-negative": ("web:\n  port: -1\n", "'web.port' must be an integer from 0 to 65535, got -1"),
    "no-threads": ("web:\n  threads: 0\n", "'web.threads' must be an integer of at least 1, got 0"),
    "threads-a-float": ("web:\n  threads: 2.5\n", "'web.threads' must be an integer, got float 2.5"),
    "k1-not-a-number": ("retrieval:\n  k1: high\n", "'retrieval.k1' must be a number, got str 'high'"),
    "stopwords-not-a-bool": (
        "retrieval:\n  stopwords: maybe\n",
        "'retrieval.stopwords' must be true or false",
    ),
    "starters-not-a-list": (
        "web:\n  starter_questions: Why?\n",
        "'web.starter_questions' must be a list of strings",
    ),
    "on-error-unknown": (
        "corpus:\n  on_error: ignore\n",
        "'corpus.on_error' must be one of error, skip, got 'ignore'",
    ),
    "path-not-a-string": ("corpus:\n  path: [a, b]\n", "'corpus.path' must be a string"),
    "unknown-key": ("web:\n  prot: 8080\n", "unknown key 'web.prot' (expected one of: host, port, threads"),
    "unknown-section": ("server:\n  port: 1\n", "unknown section 'server'"),
    "not-yaml": ("web: {port: [8000\n", "is not valid YAML"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS)
def test_a_bad_config_value_stops_the_app_naming_the_key_and_type(tmp_path, case):
    content, message = BAD_CONFIGS[case]
    config = tmp_path / "config.yaml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        create_app({"ASSISTANT_CONFIG": str(config)})
    assert message in str(info.value)
    assert str(config) in str(info.value)


def test_a_missing_corpus_folder_names_the_path_it_looked_for(tmp_path):
    missing = tmp_path / "no-such-folder"
    with pytest.raises(CorpusError) as info:
        create_app({"ASSISTANT_CORPUS": str(missing)})
    assert str(info.value) == f"Corpus folder not found: {missing.resolve()}"


def test_a_relative_corpus_path_in_the_config_is_reported_resolved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text("corpus:\n  path: documents\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        Assistant.from_config(config)
    assert str(tmp_path / "documents") in str(info.value)


def test_a_corpus_folder_of_only_bad_documents_refuses_to_start_in_skip_mode_too(tmp_path):
    corpus = write_files(tmp_path / "corpus", {"empty.txt": b"", "image.txt": b"\x00\x01"})
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus:\n  on_error: skip\n  path: {corpus}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="the corpus is empty"):
        create_app({"ASSISTANT_CONFIG": str(config)})


# ---------------------------------------------------------------- python -m web as a process


def run_web(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m web ARGS` from tmp_path (no ./config.yaml there); fail if it keeps running."""
    environ = {k: v for k, v in os.environ.items() if k != "ASSISTANT_CONFIG"}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    environ.update(env or {})
    try:
        return subprocess.run(
            [sys.executable, "-m", "web", "--port", "0", *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            timeout=90,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"python -m web kept running (serving half-configured?): {exc.stdout!r}")


def assert_refused(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert message in result.stderr
    assert "Serving" not in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["port-out-of-range", "no-threads", "k1-not-a-number", "not-yaml"])
def test_python_m_web_exits_2_on_a_bad_config_value(tmp_path, case):
    content, message = BAD_CONFIGS[case]
    config = tmp_path / "bad.yaml"
    config.write_text(content, encoding="utf-8")
    result = run_web(tmp_path, "--config", str(config))
    # --port 0 on the command line wins over web.port, yet a bad web.port still stops the start.
    assert_refused(result, message)
    assert result.stderr.startswith("error: ") and str(config) in result.stderr


def test_python_m_web_exits_2_when_the_environment_names_a_missing_config(tmp_path):
    missing = tmp_path / "missing.yaml"
    result = run_web(tmp_path, env={"ASSISTANT_CONFIG": str(missing)})
    assert_refused(result, f"error: Config file not found: {missing}")


def test_python_m_web_exits_2_naming_a_missing_corpus_folder(tmp_path):
    missing = tmp_path / "nowhere"
    result = run_web(tmp_path, "--corpus", str(missing))
    assert_refused(result, f"error: Corpus folder not found: {missing.resolve()}")


def test_python_m_web_exits_2_naming_a_bad_document(tmp_path):
    corpus = write_files(tmp_path / "corpus", {**GOOD_FILES, "empty.txt": b""})
    config = tmp_path / "config.yaml"
    config.write_text(f"retrieval:\n  index_dir: {tmp_path / 'index'}\n", encoding="utf-8")
    result = run_web(tmp_path, "--corpus", str(corpus), "--config", str(config))
    assert_refused(result, "error: empty.txt: document is empty")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: must be an integer from 0 to 65535"),
        (["--port", "http"], "argument --port: invalid integer value: 'http'"),
        (["--threads", "0"], "argument --threads: must be at least 1"),
        (["--workers", "-1"], "argument --workers: must be at least 1"),
    ],
    ids=["port-out-of-range", "port-not-a-number", "no-threads", "negative-workers"],
)
def test_python_m_web_exits_2_on_a_bad_option(tmp_path, args, message):
    # Options are checked before anything loads, so these return at once.
    result = run_web(tmp_path, *args)
    assert_refused(result, message)
