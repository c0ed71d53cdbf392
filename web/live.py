"""Serve the newest saved index without a restart: between requests each process compares the corpus's
stamp (assistant/retrieve/stamp.py), which `python -m assistant add` rewrites, and when it changed
loads the corpus and its saved index again in a background thread, then swaps the new Assistant in.
Requests already running finish on the Assistant they started with; none waits for the load."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assistant import Assistant, AssistantError
from assistant.retrieve.stamp import signature

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # how often a process looks at the stamp (one stat() call)


class LiveAssistant:
    """Holds the Assistant a process serves and replaces it when the corpus's stamp changes."""

    def __init__(
        self,
        assistant: Assistant,
        load: Callable[[], Assistant],
        stamp: Path,
        *,
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self._assistant = assistant
        self._load = load
        self._stamp = stamp
        self._seen = signature(stamp)
        self._check_seconds = check_seconds
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._loading = False
        self.reloads = 0  # how many times a new Assistant was swapped in

    def current(self) -> Assistant:
        """Return the Assistant to answer this request with; start a reload when the stamp changed."""
        now = time.monotonic()
        if now - self._checked >= self._check_seconds:
            with self._lock:
                if now - self._checked >= self._check_seconds and not self._loading:
                    self._checked = now
                    found = signature(self._stamp)
                    if found != self._seen:
                        self._seen = found
                        self._loading = True
                        threading.Thread(target=self._reload, name="reload-index", daemon=True).start()
        return self._assistant

    def _reload(self) -> None:
        started = time.perf_counter()
        try:
            fresh = self._load()
        except (AssistantError, OSError) as exc:
            log.error("new index not loaded, still serving the previous one: %s", exc)
        except Exception:  # never let a bad update stop the process serving
            log.exception("new index not loaded, still serving the previous one")
        else:
            self._assistant = fresh  # one reference assignment: each request sees one or the other
            self.reloads += 1
            log.info(
                "loaded the updated corpus: %d documents (%.1f s)",
                len(fresh.documents),
                time.perf_counter() - started,
            )
        finally:
            with self._lock:
                self._loading = False
                self._checked = time.monotonic()
