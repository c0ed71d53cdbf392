"""Progress of long work on the command line: a bar redrawn in place on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

_WIDTH = 30


def reporter(label: str, unit: str = "pages", stream: TextIO | None = None):
    """Return a callback(done, total) that shows `label`'s progress on `stream` (stderr by default).

    On a terminal it redraws one line ("policy.pdf [#########.....] 120/300 pages"); otherwise it
    writes a line at the start, at each tenth and at the end, so a log stays short.
    """
    out = stream if stream is not None else sys.stderr
    tty = out.isatty()
    shown = {"tenth": -1}

    def update(done: int, total: int) -> None:
        if total <= 0:
            return
        if tty:
            filled = _WIDTH * done // total
            end = "\n" if done >= total else ""
            out.write(f"\r{label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total} {unit}{end}")
            out.flush()
            return
        tenth = 10 * done // total
        if tenth != shown["tenth"]:
            shown["tenth"] = tenth
            out.write(f"{label}: {done}/{total} {unit}\n")
            out.flush()

    return update
