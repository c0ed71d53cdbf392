"""Shared fixtures: settings, the bundled corpus assistant, a small fixture corpus, a config file of
one test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = ROOT / "corpus"
FIXTURE_CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def assistant(settings) -> Assistant:
    """The assistant on the bundled corpus, built once per test run (it is read-only)."""
    return Assistant.from_directory(BUNDLED_CORPUS, settings)


@pytest.fixture(scope="session")
def fixture_assistant(settings) -> Assistant:
    """The assistant on the small two-document fixture corpus."""
    return Assistant.from_directory(FIXTURE_CORPUS, settings)


@pytest.fixture
def config(tmp_path) -> Path:
    """A config file whose saved indexes (and extracted texts) live under the test's tmp_path."""
    path = tmp_path / "config.yaml"
    path.write_text(f"retrieval:\n  index_dir: {tmp_path / 'index'}\n", encoding="utf-8")
    return path
