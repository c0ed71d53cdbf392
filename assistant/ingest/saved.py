"""The files kept beside the saved indexes for each document: its extracted text (extracted.py) and its
recovered structure (parsed.py).

Each is written whole or not at all, its modification time is set again whenever a load uses it, and
`prune` deletes those no load has used for KEEP_DAYS days, so the folder holds what the corpora served
lately need rather than every version of every document ever loaded. A deleted entry costs only time:
the next load that needs it reads or recovers the document again, to the same text and offsets.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

KEEP_DAYS = 30
_DAY = 86400  # seconds
# A write is renamed into place at once; a temporary file this old belongs to a process that died.
_STALE_SECONDS = 3600


def save_json(saved: Path, data: dict) -> None:
    """Write `data` to `saved` as JSON, whole or not at all."""
    saved.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=saved.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dumps: the C encoder
        os.replace(tmp, saved)  # readers see the whole file or none
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(saved: Path) -> tuple[object, float]:
    """Return the JSON in `saved` and the file's modification time (for mark_used)."""
    with open(saved, encoding="utf-8") as f:
        return json.loads(f.read()), os.fstat(f.fileno()).st_mtime


def mark_used(saved: Path, mtime: float) -> None:
    """Record that a load used `saved`, last marked at `mtime`, so that `prune` keeps it: its modification
    time is set to now, at most once a day (one system call a document saved)."""
    if time.time() - mtime < _DAY:
        return
    try:
        os.utime(saved)
    except OSError:
        pass  # a read-only folder: the entry may be pruned and then made again, nothing worse


def prune(folder: Path, *, keep_days: float = KEEP_DAYS) -> int:
    """Delete the saved files of `folder` that no load has used for `keep_days` days, and temporary files
    of writers that died; return how many were deleted. Problems are logged, never raised."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    deleted = 0
    for entry in entries:
        if entry.name.startswith(".tmp-"):
            limit = _STALE_SECONDS
        elif entry.name.endswith(".json"):
            limit = keep_days * _DAY
        else:
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > limit:
                os.unlink(entry.path)
                deleted += 1
        except FileNotFoundError:
            continue  # another worker pruned it first
        except OSError as exc:
            log.warning("%s not deleted: %s", entry.path, exc)
    if deleted:
        log.info("deleted %d saved files unused for %g days from %s", deleted, keep_days, folder)
    return deleted
