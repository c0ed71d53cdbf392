"""create_app and python -m web: configuration, corpus choice, errors before the first request."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import ConfigError, CorpusError
from web import create_app
from web.__main__ import BLAS_THREAD_VARIABLES, main

FIXTURE_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def test_factory_serves_another_corpus():
    app = create_app({"ASSISTANT_CORPUS": str(FIXTURE_CORPUS)})
    body = app.test_client().get("/api/documents").get_json()
    assert {d["document_id"] for d in body["documents"]} == {"escalation", "home-visits"}


def test_factory_reads_the_web_section_of_the_config(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"corpus:\n  path: {FIXTURE_CORPUS}\n"
        "web:\n  title: Test desk\n  notice: Call the duty desk first.\n"
        "  starter_questions: ['When do I escalate?']\n",
        encoding="utf-8",
    )
    app = create_app({"ASSISTANT_CONFIG": str(config)})
    html = app.test_client().get("/").get_data(as_text=True)
    assert "<title>Test desk</title>" in html
    assert "Call the duty desk first." in html
    assert 'class="starter">When do I escalate?</button>' in html
    assert app.test_client().get("/api/openapi.json").get_json()["info"]["title"] == "Test desk API"


def test_factory_answers_from_the_chosen_corpus():
    client = create_app({"ASSISTANT_CORPUS": str(FIXTURE_CORPUS)}).test_client()
    answer = client.post(
        "/api/ask", json={"question": "When is a disagreement escalated to line managers?"}
    ).get_json()
    assert answer["status"] == "answered"
    assert answer["citations"][0]["document_id"] == "escalation"


def test_missing_corpus_fails_at_startup(tmp_path):
    with pytest.raises(CorpusError):
        create_app({"ASSISTANT_CORPUS": str(tmp_path / "missing")})


def test_bad_config_fails_at_startup(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("web:\n  colour: blue\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="web.colour"):
        create_app({"ASSISTANT_CONFIG": str(config)})


def test_body_limit_is_64_kb_by_default(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024


def test_main_reports_a_bad_corpus_and_exits_2(tmp_path, capsys, monkeypatch):
    for name in BLAS_THREAD_VARIABLES:
        monkeypatch.setenv(name, "1")
    assert main(["--corpus", str(tmp_path / "missing"), "--port", "0"]) == 2
    assert "Corpus folder not found" in capsys.readouterr().err


def test_main_help_names_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for option in ("--corpus", "--config", "--host", "--port"):
        assert option in out
