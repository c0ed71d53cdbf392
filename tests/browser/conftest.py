"""Browser-test fixtures: the app on a free loopback port, and pytest-playwright pointed at Debian's Chromium.

Without Chromium (or without playwright) the tests skip, unless REQUIRE_BROWSER_TESTS is set: then
they fail, so CI cannot pass by skipping them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from web import create_app

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRED = bool(os.environ.get("REQUIRE_BROWSER_TESTS"))

if importlib.util.find_spec("pytest_playwright") is None and not REQUIRED:
    # Without the plugin the `page` fixture does not exist; skip the folder rather than error.
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Point pytest-playwright's browser/context/page fixtures at the system Chromium."""
    if not os.path.exists(CHROMIUM):
        if REQUIRED:
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip("system Chromium not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(assistant):
    """The app on the bundled corpus, on 127.0.0.1 and a free port, in a background thread."""
    server = make_server("127.0.0.1", 0, create_app(assistant=assistant), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def console(page):
    """Record console errors, uncaught errors and dialogs of `page` (attached before any navigation)."""
    seen = {"console": [], "pageerror": [], "dialog": []}
    page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    page.on("pageerror", lambda e: seen["pageerror"].append(str(e)))

    def on_dialog(dialog):
        seen["dialog"].append(dialog.message)
        dialog.dismiss()  # a handled dialog must be dismissed, or the page blocks

    page.on("dialog", on_dialog)
    return seen


class Chat:
    """Drive the chat page: open it, ask questions, find turns."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self) -> None:
        self.page.goto(self.base_url + "/")

    def ask(self, question: str):
        """Type `question`, press Enter and return the locator of the new turn once it is shown."""
        count = self.turns.count()
        self.page.fill("#question", question)
        self.page.press("#question", "Enter")
        turn = self.turns.nth(count)
        turn.wait_for()
        return turn

    @property
    def turns(self):
        return self.page.locator("#thread .turn")


@pytest.fixture
def chat(page, live_server, console) -> Chat:
    """The chat page, opened, with console errors recorded in `console`."""
    chat = Chat(page, live_server)
    chat.open()
    return chat
