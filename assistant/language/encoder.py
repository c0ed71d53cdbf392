"""The shipped sentence encoder: all-MiniLM-L6-v2 as an int8 ONNX graph, run with onnxruntime.

Text in, one L2-normalised 384-d vector per text out (mean pooling is inside the graph), so the cosine
of two texts is the dot product of their vectors. Only onnxruntime and tokenizers are needed at run
time; the model card is assistant/models/README.md and tools/export_encoder.py made the files.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from importlib import resources

import numpy as np

MODEL_FILE = "models/minilm-l6-int8.onnx"
TOKENIZER_FILE = "models/minilm-tokenizer.json"
DIMENSIONS = 384
# Sentences are short; a longer one is cut to this many word pieces (the model saw up to 256 in training).
MAX_TOKENS = 128
# One text per run: int8 activations are quantised per run, so in a batch a text's vector would depend on
# its batch-mates (cosine differences up to 0.02); alone it is the same whatever else is encoded, and on
# 2 CPU cores no slower (51 paragraphs: 4.0 s one by one, 8.4 s in batches of 32).
_BATCH = 1


class Encoder:
    """Embeds texts; one instance is shared by all threads of a process (onnxruntime sessions are)."""

    def __init__(self, threads: int = 1) -> None:
        self.digest = model_digest()
        self._session = onnx_session(MODEL_FILE, threads)
        self._tokenizer = shipped_tokenizer()
        self._tokenizer.no_padding()  # the file pads to 128; batches are padded here to their longest
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return a (len(texts), 384) float32 array of unit vectors, in the order of `texts`."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        # A lone surrogate (valid in a Python str, not in UTF-8) would stop the tokenizer: it reads as "?".
        clean = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
        with self._lock:  # the tokenizer's padding state is not shared safely between threads
            encodings = self._tokenizer.encode_batch(clean)
        # Similar lengths batched together: little padding to run through the model.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for at in range(0, len(order), _BATCH):
            rows = order[at : at + _BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            vectors = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out[rows] = vectors
        return out


def onnx_session(model_file: str, threads: int):
    """An onnxruntime session on a graph shipped in the package (CPU, `threads` threads, quiet)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    model = resources.files("assistant").joinpath(model_file).read_bytes()
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def shipped_tokenizer():
    """A new tokenizer read from the shipped all-MiniLM-L6-v2 tokenizer file (each user sets its own
    padding and truncation)."""
    from tokenizers import Tokenizer

    text = resources.files("assistant").joinpath(TOKENIZER_FILE).read_text(encoding="utf-8")
    return Tokenizer.from_str(text)


@lru_cache(maxsize=1)
def model_digest() -> str:
    """The first 16 hex digits of the model file's sha256: names the vectors it made."""
    return hashlib.sha256(resources.files("assistant").joinpath(MODEL_FILE).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """The process's one encoder (loading it takes a few hundred ms; it holds about 25 MB)."""
    return Encoder()
