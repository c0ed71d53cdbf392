"""python -m assistant ask: readable and JSON output, history, another corpus, and errors (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.__main__ import main
from tests.contract import ANSWER_KEYS

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = str(ROOT / "corpus")
FIXTURE_CORPUS = str(ROOT / "tests" / "data" / "corpus")
GOLD = "cognitive behavioural programmes are most effective"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def test_readable_output_shows_the_quote_and_where_it_comes_from(capsys):
    code, out, err = run(
        capsys, "ask", "Which treatment approaches are most effective?", "--corpus", BUNDLED_CORPUS
    )
    assert (code, err) == (0, "")
    flat = " ".join(out.split())  # the quote is wrapped over several lines
    assert GOLD in flat
    assert "paragraph" in out
    assert "Jon Brown" in out and "000_7a47272a2cc29dc3#" in out


def test_readable_output_starts_each_quoted_list_item_on_a_new_line(capsys):
    question = "What should public awareness and education approaches provide?"
    code, out, err = run(capsys, "ask", question, "--corpus", BUNDLED_CORPUS)
    assert (code, err) == (0, "")
    assert "\n    (i) Non sensationalism and evidence based information" in out
    assert "provision of:\n" in out


def test_json_output_is_the_answer_object(capsys):
    data = run_json(
        capsys, "ask", "Which treatment approaches are most effective?", "--corpus", BUNDLED_CORPUS
    )
    assert set(data) == ANSWER_KEYS
    assert data["status"] == "answered"
    assert GOLD in data["answer"]
    assert all(c["quote"] in data["answer"] for c in data["citations"])


def test_history_resolves_a_follow_up(capsys):
    argv = ("ask", "Is it cost effective?", "--history", "What is COSA?", "--corpus", BUNDLED_CORPUS)
    data = run_json(capsys, *argv)
    assert data["question"] == "Is it cost effective?"
    assert "COSA" in data["resolved_question"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "Searched for: Is it cost effective?" in out and "COSA" in out


def test_corpus_option_answers_from_another_folder(capsys):
    data = run_json(
        capsys,
        "ask",
        "Who should a professional first raise a disagreement with?",
        "--corpus",
        FIXTURE_CORPUS,
    )
    assert data["status"] == "answered"
    assert {c["document_id"] for c in data["citations"]} == {"escalation"}


def test_not_found_is_said_in_readable_output(capsys):
    code, out, _ = run(capsys, "ask", "What is the capital of France?", "--corpus", BUNDLED_CORPUS)
    assert code == 0
    assert "does not cover this" in out
    assert "  > " not in out  # no quote is presented as the answer


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_exits_2_with_an_error(capsys, question):
    code, out, err = run(capsys, "ask", question, "--corpus", BUNDLED_CORPUS)
    assert code == 2
    assert out == ""
    assert err.startswith("error:") and "empty" in err


def test_a_missing_corpus_folder_exits_2_naming_it(capsys, tmp_path):
    missing = tmp_path / "no-such-corpus"
    code, out, err = run(capsys, "ask", "What is MAPPA?", "--corpus", str(missing))
    assert code == 2
    assert out == ""
    assert err.startswith("error:") and str(missing.resolve()) in err


def test_a_missing_config_file_exits_2_naming_it(capsys, tmp_path):
    missing = tmp_path / "missing.yaml"
    code, _, err = run(capsys, "ask", "What is MAPPA?", "--config", str(missing), "--corpus", BUNDLED_CORPUS)
    assert code == 2
    assert err.startswith("error:") and str(missing) in err


def test_a_missing_question_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["ask"])
    assert info.value.code == 2
    assert "question" in capsys.readouterr().err
