"""python -m assistant check FILE... and add FILE... [--corpus DIR]: per-file reports, progress, exit
codes, the copy into the corpus, the saved index and the stamp running servers watch."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from assistant.__main__ import main
from assistant.ingest.progress import reporter
from assistant.retrieve.stamp import stamp_path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "readers"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("000_7a47272a2cc29dc3.txt", "000_7a47272a2cc29dc3.yaml"):
        shutil.copyfile(ROOT / "corpus" / name, folder / name)
    return folder


def test_check_reports_each_file_and_adds_nothing(capsys, config, corpus):
    code = main(["check", str(DATA / "two_column.pdf"), str(DATA / "scanned.pdf"), "--config", str(config)])
    out, err = capsys.readouterr()
    assert code == 2  # one file refused
    assert "ok       two_column.pdf (pdf)" in out
    assert "title: Escalation and information sharing: multi-agency procedures" in out
    assert "author: Northfield Safeguarding Partnership" in out
    assert "3 pages, 0 sections, 6 passages" in out
    assert "refused  scanned.pdf: the PDF has no text layer" in out
    assert "1 of 2 file(s) can be added" in out
    # Not a terminal: progress is plain lines, on stderr.
    assert "two_column.pdf: 3/3 pages" in err and "\r" not in err
    assert sorted(p.name for p in corpus.iterdir()) == [
        "000_7a47272a2cc29dc3.txt",
        "000_7a47272a2cc29dc3.yaml",
    ]


def test_check_every_good_file_exits_0(capsys, config):
    code = main(["check", str(DATA / "policy.docx"), str(DATA / "policy_page.html"), "--config", str(config)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.count("title: Safeguarding and child protection policy") == 2
    assert "3 sections, 5 passages" in out


def test_add_copies_reads_indexes_and_stamps(capsys, config, corpus, tmp_path):
    source = tmp_path / "incoming"
    source.mkdir()
    shutil.copyfile(DATA / "two_column.pdf", source / "escalation.pdf")
    (source / "escalation.yaml").write_text("publisher: Northfield Safeguarding Partnership\n")
    shutil.copyfile(DATA / "encrypted.pdf", source / "locked.pdf")
    code = main(
        ["add", str(source / "escalation.pdf"), str(source / "locked.pdf"), "--corpus", str(corpus)]
        + ["--config", str(config)]
    )
    out, _ = capsys.readouterr()
    assert code == 2
    assert "ok       escalation.pdf (pdf)" in out
    assert "refused  locked.pdf: the PDF is encrypted" in out
    assert "index saved: 2 documents" in out and "1 of 2 file(s) added" in out
    assert (corpus / "escalation.pdf").read_bytes() == (DATA / "two_column.pdf").read_bytes()
    assert (corpus / "escalation.yaml").exists() and not (corpus / "locked.pdf").exists()
    stamp = json.loads(stamp_path(str(tmp_path / "index"), corpus).read_text())
    assert stamp["documents"] == 2 and stamp["corpus"] == str(corpus.resolve())
    # The new document answers, cited by page.
    code = main(
        ["ask", "Where are records of every escalation kept?", "--corpus", str(corpus), "--json"]
        + ["--config", str(config)]
    )
    answer = json.loads(capsys.readouterr().out)
    assert code == 0 and answer["status"] == "answered"
    assert answer["citations"][0]["document_id"] == "escalation"
    assert answer["citations"][0]["page"] == 3
    assert answer["citations"][0]["publisher"] == "Northfield Safeguarding Partnership"


def test_add_refuses_a_clash_with_a_document_already_there(capsys, config, corpus, tmp_path):
    shutil.copyfile(DATA / "policy.docx", tmp_path / "000_7a47272a2cc29dc3.docx")
    code = main(
        ["add", str(tmp_path / "000_7a47272a2cc29dc3.docx"), "--corpus", str(corpus), "--config", str(config)]
    )
    out, _ = capsys.readouterr()
    assert code == 2
    assert "already has a document with id '000_7a47272a2cc29dc3'" in out
    assert "0 of 1 file(s) added" in out
    assert not (corpus / "000_7a47272a2cc29dc3.docx").exists()


def test_add_refuses_to_replace_a_different_file_of_the_same_name(capsys, config, corpus, tmp_path):
    shutil.copyfile(DATA / "policy.docx", corpus / "policy.docx")
    shutil.copyfile(DATA / "policy_python_docx.docx", tmp_path / "policy.docx")
    code = main(["add", str(tmp_path / "policy.docx"), "--corpus", str(corpus), "--config", str(config)])
    out, _ = capsys.readouterr()
    assert code == 2 and "a different policy.docx is already in the corpus" in out
    assert (corpus / "policy.docx").read_bytes() == (DATA / "policy.docx").read_bytes()


def test_add_to_a_missing_corpus_is_an_error(capsys, config, tmp_path):
    code = main(
        ["add", str(DATA / "policy.docx"), "--corpus", str(tmp_path / "nowhere"), "--config", str(config)]
    )
    _, err = capsys.readouterr()
    assert code == 2 and "Corpus folder not found" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    tty = _Terminal()
    update = reporter("big.pdf", stream=tty)
    for done in (0, 24, 48, 300):
        update(done, 300)
    shown = tty.getvalue()
    assert shown.count("\r") == 4 and shown.endswith("] 300/300 pages\n")
    assert "[##" in shown and "24/300 pages" in shown
    plain = io.StringIO()
    update = reporter("big.pdf", stream=plain)
    for done in range(0, 301, 6):
        update(done, 300)
    lines = plain.getvalue().splitlines()
    assert lines[0] == "big.pdf: 0/300 pages" and lines[-1] == "big.pdf: 300/300 pages"
    assert len(lines) == 11  # the start, each tenth: a log stays short
