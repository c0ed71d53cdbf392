"""Keep built indexes on disk (memory-mapped .npy arrays, a JSON manifest), keyed by corpus and settings."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import numpy as np

from .sparse import SparseBM25

try:
    import fcntl
except ImportError:  # Windows: builds are not serialised between processes, renames still are atomic.
    fcntl = None

log = logging.getLogger(__name__)

# Bump when the files or their meaning change: older folders are then never read again.
FORMAT_VERSION = 1
DEFAULT_DIR = ".index"
MANIFEST = "manifest.json"
TERMS = "terms.json"
ARRAYS = ("df", "idf", "lo", "hi", "indptr", "rows", "vals", "dense_slot", "dense")
# Index folders kept in one root (most recently used first): other corpora or settings that
# share the root, e.g. tests and the served corpus, do not evict each other at every start.
KEEP = 4
# A temporary folder older than this belongs to a builder that died: it may be removed.
_STALE_SECONDS = 3600
_CHUNK = 4096
# Arrays are written this many bytes per write. The kernel keeps written pages in page-cache folios
# about the size of the writes, and maps a whole folio into a process that reads one of its pages:
# saved with one write per array, a 1M-passage index put 690 MiB of mapped pages in the RSS of a
# process that had read 420 MiB worth of them in 4 KiB pages (Linux 6.18, ext4).
_WRITE_BYTES = 1 << 16


class StoreError(Exception):
    """A saved index is missing, incomplete, or does not match what was asked for."""


def index_root(index_dir: str) -> Path:
    """Return the folder that holds saved indexes: `index_dir`, or .index/ under the current directory."""
    return Path(index_dir) if index_dir else Path(DEFAULT_DIR)


def index_key(passages: Sequence, fingerprint: dict) -> str:
    """Return a hex digest of every passage's id and text, in order, and of `fingerprint`.

    `fingerprint` holds whatever else decides the index: scoring settings, analyzer, format version.
    A sequence that can describe its passages compactly (CorpusPassages.key_parts: each document's
    text once, then its passages' numbers and offsets) does; otherwise each passage is written as
    "<len(id)>:<id><len(text)>:<text>" (lengths in front keep the encoding unambiguous).
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(fingerprint, sort_keys=True, default=str).encode())
    digest.update(f"|{len(passages)}|".encode())
    key_parts = getattr(passages, "key_parts", None)
    if key_parts is not None:
        for part in key_parts():
            digest.update(part)
        return digest.hexdigest()[:40]
    items = iter(passages)
    while chunk := list(islice(items, _CHUNK)):
        part = "".join(f"{len(p.passage_id)}:{p.passage_id}{len(p.text)}:{p.text}" for p in chunk)
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


class IndexStore:
    """A folder of saved indexes, one sub-folder per key, written atomically and never modified."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def load(self, key: str) -> SparseBM25:
        """Return the index saved under `key`, its arrays memory-mapped (shared between processes).

        Raises:
            StoreError: nothing is saved under `key`, or what is there is incomplete or inconsistent.
        """
        folder = self.path(key)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise StoreError(f"{folder / MANIFEST}: not a JSON object")
            if manifest.get("format") != FORMAT_VERSION or manifest.get("key") != key:
                raise StoreError(f"{folder}: saved for another format or key")
            terms = json.loads((folder / TERMS).read_text(encoding="utf-8"))
            if not isinstance(terms, list) or len(terms) != manifest["n_terms"]:
                raise StoreError(f"{folder / TERMS}: expected {manifest['n_terms']} terms")
            arrays = {}
            for name in ARRAYS:
                spec = manifest["arrays"][name]
                array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                if str(array.dtype) != spec["dtype"] or list(array.shape) != spec["shape"]:
                    raise StoreError(f"{folder / name}.npy: shape or type differs from the manifest")
                arrays[name] = array
            backend = SparseBM25(terms, arrays, manifest["meta"])
        except FileNotFoundError as exc:
            raise StoreError(f"{folder}: no saved index ({exc.filename} missing)") from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # ValueError covers bad JSON and truncated or malformed .npy files.
            raise StoreError(f"{folder}: unreadable saved index ({exc})") from exc
        _touch(folder / MANIFEST)
        return backend

    def save(self, key: str, backend: SparseBM25, info: dict | None = None) -> Path:
        """Write `backend` under `key`: into a temporary folder first, then renamed into place.

        Readers therefore see a complete index or none. A broken folder already under `key` is replaced.

        Raises:
            OSError: the folder cannot be written.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{key[:12]}-", dir=self.root))
        try:
            arrays = {}
            for name in ARRAYS:
                array = np.ascontiguousarray(backend.arrays[name])
                _write(
                    tmp / f"{name}.npy", lambda f, a=array: np.save(_SmallWrites(f), a, allow_pickle=False)
                )
                arrays[name] = {"dtype": str(array.dtype), "shape": list(array.shape)}
            _write(tmp / TERMS, lambda f: f.write(json.dumps(backend.terms, ensure_ascii=False).encode()))
            manifest = {
                "format": FORMAT_VERSION,
                "key": key,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "n_passages": len(backend),
                "n_terms": len(backend.terms),
                "meta": backend.meta,
                "arrays": arrays,
                "info": info or {},
            }
            # The manifest goes last: a folder without one is never loaded.
            _write(tmp / MANIFEST, lambda f: f.write(json.dumps(manifest, indent=1, default=str).encode()))
            final = self.path(key)
            if final.exists():
                trash = Path(tempfile.mkdtemp(prefix=f".trash-{key[:12]}-", dir=self.root))
                os.replace(final, trash / key)
                shutil.rmtree(trash, ignore_errors=True)
            try:
                os.rename(tmp, final)
            except OSError:
                if not (final / MANIFEST).exists():
                    raise
                # Another process saved the same key first; its copy is as good as ours.
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.prune(keep=key)
        return final

    def load_or_build(
        self, key: str, build: Callable[[], SparseBM25], info: dict | None = None
    ) -> SparseBM25:
        """Return the index saved under `key`, building and saving it first when there is none.

        When the folder cannot be written the freshly built index is returned without being saved.
        """
        try:
            return self.load(key)
        except StoreError as exc:
            log.info("building the index (%s)", exc)
        backend = None
        try:
            with self._lock():
                try:
                    # Another worker may have built it while this one waited for the lock.
                    return self.load(key)
                except StoreError:
                    pass
                backend = build()
                self.save(key, backend, info)
        except OSError as exc:
            log.warning("index not saved to %s: %s", self.root, exc)
            return backend if backend is not None else build()
        try:
            # Serve the memory-mapped copy: its pages are shared with other workers and the
            # build's own arrays are freed.
            return self.load(key)
        except StoreError as exc:
            log.warning("saved index cannot be read back (%s); serving it from memory", exc)
            return backend

    def prune(self, *, keep: str) -> None:
        """Delete all but the most recently used index folders, and leftovers of dead builders."""
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return
        now = time.time()
        folders = []
        for entry in entries:
            try:
                if entry.name.startswith((".tmp-", ".trash-")):
                    if now - entry.stat().st_mtime > _STALE_SECONDS:
                        shutil.rmtree(entry, ignore_errors=True)
                elif entry.is_dir() and entry.name != keep and (entry / MANIFEST).exists():
                    folders.append(((entry / MANIFEST).stat().st_mtime, entry))
            except OSError:
                continue
        folders.sort(reverse=True)
        # Processes still using a deleted folder keep their mapped files until they exit.
        for _, entry in folders[KEEP - 1 :]:
            shutil.rmtree(entry, ignore_errors=True)

    @contextmanager
    def _lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        with open(self.root / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class _SmallWrites:
    """A binary file's `write`, passed to the file _WRITE_BYTES at a time."""

    def __init__(self, handle) -> None:
        self._handle = handle

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        for at in range(0, len(view), _WRITE_BYTES):
            self._handle.write(view[at : at + _WRITE_BYTES])
        return len(view)


def _write(path: Path, write: Callable) -> None:
    with open(path, "wb") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass
