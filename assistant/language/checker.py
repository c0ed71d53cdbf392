"""The answer checker: a cross-encoder that reads a question and a sentence together and gives the
probability that the sentence answers it.

all-MiniLM-L6-v2 fine-tuned on SQuAD 2.0 pairs (tools/train_checker.py; model card
assistant/models/README.md), as an int8 ONNX graph run with onnxruntime, with the sentence encoder's
tokenizer. Unlike the encoder, which embeds each text alone, it sees both texts at once, so it can tell
"who founded it?" from "who funded it?" where a cosine cannot. It costs about 7 ms a pair here, so it
reads only the best few candidate sentences (answer.checker_candidates).
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

import numpy as np

from .encoder import onnx_session, shipped_tokenizer

MODEL_FILE = "models/checker-int8.onnx"
# Question and sentence together are cut to this many word pieces (the longer of the two first), as in
# training.
MAX_TOKENS = 128


class Checker:
    """Scores (question, sentence) pairs; one instance is shared by all threads of a process."""

    def __init__(self, threads: int = 1) -> None:
        self._session = onnx_session(MODEL_FILE, threads)
        self._tokenizer = shipped_tokenizer()
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        self._lock = threading.Lock()

    def score(self, question: str, sentence: str) -> float:
        """Return the probability (0 to 1) that `sentence` answers `question`."""
        # A lone surrogate (valid in a Python str, not in UTF-8) would stop the tokenizer: it reads as "?".
        q, s = (t.encode("utf-8", "replace").decode("utf-8") for t in (question, sentence))
        with self._lock:  # the tokenizer's truncation state is not shared safely between threads
            encoding = self._tokenizer.encode(q, s)
        feeds = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        logit = float(self._session.run(None, feeds)[0].reshape(-1)[0])
        return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))


@lru_cache(maxsize=1)
def shared_checker() -> Checker:
    """The process's one checker (loading it takes a few hundred ms; it holds about 25 MB)."""
    return Checker()
