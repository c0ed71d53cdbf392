"""Every command in the README runs as written, or in a reduced form where running it in full would start a
server or take minutes; each form is named by the handler that runs it:

- `python -m assistant ...`, `grounded-assistant ...`: run in full (a second each); `add ... --corpus DIR`
  adds to a copy of DIR, with its saved index in a temporary folder.
- `python evaluate.py ...`: run in full with `--limit 5 --jobs 1` added (a full SQuAD half takes a minute).
- `python -m web ...`: the server is not started; `--help` runs, and each option the README gives must be
  one the server takes.
- `curl ... /api/... -d JSON`: the same request goes to the app through Flask's test client, not a socket.
- `make TARGET`: `make -n TARGET` (dry run) must succeed, so the target exists; `make test` itself is what
  runs this file.
- Python blocks: run in full in a fresh interpreter.

A command that no handler knows fails the test, so a new command block needs a handler here. No command
may name a file outside the repository.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MAX_CHARS = 12_000
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
PYTHON = sys.executable
BIN = Path(sys.executable).parent


def _blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == language]


def _commands() -> list[str]:
    """Each shell command of the README's bash blocks: continuation lines joined, comments dropped."""
    commands = []
    for body in _blocks("bash"):
        for line in body.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


COMMANDS = _commands()


def _run(argv: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _python(words: list[str]) -> list[str]:
    """`.venv/bin/python`, `python` or `python3` -> this interpreter (the one the tests run under)."""
    if words[0] in ("python", "python3") or words[0].endswith("/python"):
        return [PYTHON, *words[1:]]
    return words


def _console(name: str) -> list[str]:
    """The installed console command, or (package not reinstalled since pyproject.toml changed) the
    callable its entry point names, run the same way."""
    script = BIN / name
    if script.exists():
        return [str(script)]
    module = {"grounded-assistant": "assistant.__main__", "grounded-assistant-web": "web.__main__"}[name]
    return [PYTHON, "-c", f"import sys; from {module} import main; sys.exit(main())"]


def run_cli(words: list[str]) -> None:
    argv = _console(Path(words[0]).name) + words[1:] if "grounded-assistant" in words[0] else _python(words)
    result = _run(argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def run_add(words: list[str]) -> None:
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        at = words.index("--corpus") + 1
        copy = Path(tmp) / "corpus"
        shutil.copytree(ROOT / words[at], copy)
        config = Path(tmp) / "config.yaml"
        config.write_text(f"retrieval:\n  index_dir: {Path(tmp) / 'index'}\n", encoding="utf-8")
        result = _run([*_python(words[:at]), str(copy), *words[at + 1 :], "--config", str(config)])
        assert result.returncode == 0, result.stdout + result.stderr
        assert "file(s) added" in result.stdout
        added = {Path(w).name for w in words[4 : at - 1]}
        assert added <= {p.name for p in copy.iterdir()}


def run_evaluate(words: list[str]) -> None:
    result = _run([*_python(words), "--limit", "5", "--jobs", "1"], timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Overall accuracy" in result.stdout and "Faithfulness" in result.stdout


def check_server(words: list[str]) -> None:
    base = _console(Path(words[0]).name) if "grounded-assistant-web" in words[0] else _python(words[:3])
    result = _run([*base, "--help"])
    assert result.returncode == 0, result.stderr
    rest = words[1:] if "grounded-assistant-web" in words[0] else words[3:]
    for option in (w for w in rest if w.startswith("--")):
        assert option in result.stdout, f"python -m web takes no {option}"


def check_curl(words: list[str], client) -> None:
    url = next(w for w in words if w.startswith("http"))
    path = "/" + url.split("/", 3)[3]
    body = words[words.index("-d") + 1]
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert data["status"] == "answered" and data["citations"], data


def check_make(words: list[str]) -> None:
    target = words[1]
    result = _run(["make", "-n", target])
    assert result.returncode == 0, f"make has no target {target}: {result.stderr}"


def _handler(command: str):
    words = shlex.split(command)
    first = words[0]
    if first == "make":
        return check_make
    if first == "curl":
        return check_curl
    if "grounded-assistant-web" in first or words[1:3] == ["-m", "web"]:
        return check_server
    if words[1:4] == ["-m", "assistant", "add"] and "--corpus" in words:
        return run_add
    if "grounded-assistant" in first or words[1:3] == ["-m", "assistant"]:
        return run_cli
    if words[1:2] == ["evaluate.py"]:
        return run_evaluate
    return None


def test_the_readme_is_at_most_12000_characters():
    assert len(README.read_text(encoding="utf-8")) <= MAX_CHARS


def test_the_readme_has_commands_and_every_one_has_a_handler():
    assert len(COMMANDS) >= 10
    unknown = [c for c in COMMANDS if _handler(c) is None]
    assert not unknown, f"README commands this test does not exercise: {unknown}"


def test_no_command_names_a_file_outside_the_repository():
    for command in COMMANDS:
        for word in shlex.split(command):
            value = word.split("=", 1)[-1]
            if value.startswith(("http://", "https://", "{", "-")) or "/" not in value or " " in value:
                continue
            if value.startswith(".venv/"):
                continue  # made by make install-dev
            assert not value.startswith(("/", "..", "~")), f"{command}: {value} is outside the repository"
            assert (ROOT / value).exists(), f"{command}: {value} is not in the repository"


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command(command, assistant):
    handler = _handler(command)
    assert handler is not None
    words = shlex.split(command)
    if handler is check_curl:
        from web import create_app

        handler(words, create_app({"TESTING": True}, assistant=assistant).test_client())
    else:
        handler(words)


@pytest.mark.parametrize("code", _blocks("python"))
def test_readme_python_block(code):
    result = _run([PYTHON, "-c", code])
    assert result.returncode == 0, result.stderr


def test_every_yaml_block_is_valid_yaml():
    import yaml

    blocks = _blocks("yaml")
    assert blocks
    for block in blocks:
        assert isinstance(yaml.safe_load(block), dict)


def test_every_docs_link_resolves():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert {"docs/architecture.md", "docs/how-it-answers.md", "docs/evaluation.md"} <= set(links)
    assert {"docs/api.md", "docs/deployment.md", "docs/chat.png"} <= set(links)
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing


def test_no_work_period_labels_in_docs_or_question_files():
    # Figures are dated by a commit or a date; "session" here is only the browser's sessionStorage.
    files = [README, *(ROOT / "docs").glob("*.md"), *(ROOT / "questions").glob("*.yaml")]
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = re.sub(r"sessionStorage|sessions? does|sessions? of", "", line)
            assert not re.search(r"\bsession\b", rest, re.I), f"{path.name}:{n}: {line.strip()}"
