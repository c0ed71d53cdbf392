"""The stamp a corpus update leaves beside the saved indexes, which running servers watch.

`python -m assistant add` saves the new index, then rewrites the stamp of its corpus; each server
process compares the stamp's signature between requests and, when it changed, loads the corpus and
the saved index again in the background and swaps them in (web/live.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from .store import index_root


def stamp_path(index_dir: str, corpus: str | Path) -> Path:
    """Return the stamp file of the corpus folder `corpus` under the index root `index_dir`."""
    name = hashlib.sha256(str(Path(corpus).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return index_root(index_dir) / f"corpus-{name}.stamp"


def write_stamp(path: Path, info: dict) -> None:
    """Replace the stamp at `path` (atomically: a reader sees the old one or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-stamp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({**info, "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, f, default=str)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def signature(path: Path) -> tuple[int, int, int] | None:
    """Return what identifies the stamp's current version (inode, size, modification time), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)
