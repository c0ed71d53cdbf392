"""Fit the confidence model (logistic regression over answer features) on public question sets.

    python tools/fit_confidence.py ../shared/benchmarks/squad2-dev-16.json [--dev questions/dev.yaml]

Runs the assistant with the current code, labels each best candidate (1: an answerable question whose
quote holds a gold answer, 0: an unanswerable question; answerable questions whose candidate misses are
left out, since answering and abstaining score the same there), fits on the even-numbered SQuAD articles
plus the dev set, and reports the held-out odd articles. Paste the printed weights into
CONFIDENCE_WEIGHTS in assistant/answer.py, then choose answer.min_confidence with evaluate.py --sweep.
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import Assistant, Document  # noqa: E402
from assistant.answer import FEATURES  # noqa: E402
from assistant.config import Settings, apply_overrides  # noqa: E402


def _norm(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def squad_rows(path: Path, settings: Settings, step: int) -> list[tuple[int, int, dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    docs, questions = [], []
    for n, article in enumerate(data):
        doc_id = f"a{n}"
        docs.append(Document.from_paragraphs(doc_id, [p["context"] for p in article["paragraphs"]]))
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                questions.append((n, doc_id, qa["question"], [a["text"] for a in qa["answers"]], qa["is_impossible"]))
    assistant = Assistant(docs, settings)
    rows = []
    for n, doc_id, question, golds, impossible in questions[::step]:
        answer = assistant.ask(question, documents=[doc_id])
        features = answer.evidence.get("features")
        if features is None:
            continue
        hit = any(_norm(g) in _norm(answer.candidate.quote) for g in golds)
        if impossible or hit:
            rows.append((n % 2, 0 if impossible else 1, features))
    return rows


def dev_rows(path: Path, corpus: Path, settings: Settings) -> list[tuple[int, int, dict]]:
    assistant = Assistant.from_directory(corpus, settings)
    rows = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
        if item["kind"] == "open-question":
            continue
        answer = assistant.ask(item["question"], item.get("history", []))
        features = answer.evidence.get("features")
        if features is None or answer.evidence.get("about_document"):
            continue
        answerable = item["kind"] != "not-in-document"
        hit = answerable and any(_norm(g) in _norm(answer.candidate.quote) for g in item["answers"])
        if not answerable or hit:
            rows.append((0, 1 if answerable else 0, features))
    return rows


def fit(rows, l2: float = 1e-3, steps: int = 4000) -> np.ndarray:
    x = np.array([[r[2].get(k, 0.0) for k in FEATURES] for r in rows])
    y = np.array([r[1] for r in rows], dtype=float)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.c_[(x - mu) / sd, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0])
    raw = w[:-1] / sd
    return np.r_[raw, w[-1] - (raw * mu).sum()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", type=Path)
    parser.add_argument("--dev", type=Path, default=Path("questions/dev.yaml"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--dev-weight", type=int, default=5, help="repeat each dev row this many times")
    parser.add_argument("--step", type=int, default=1, help="use every Nth SQuAD question")
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    settings = apply_overrides(Settings(), args.set)
    squad = squad_rows(args.squad, settings, args.step)
    dev = dev_rows(args.dev, args.corpus, settings)
    train = [r for r in squad if r[0] == 0] + dev * args.dev_weight
    weights = fit(train)
    print("CONFIDENCE_WEIGHTS = {")
    for name, value in zip([*FEATURES, "bias"], weights, strict=True):
        print(f'    "{name}": {value:.4f},')
    print("}")
    held = [r for r in squad if r[0] == 1]
    x = np.array([[r[2].get(k, 0.0) for k in FEATURES] for r in held])
    p = 1 / (1 + np.exp(-(x @ weights[:-1] + weights[-1])))
    y = np.array([r[1] for r in held])
    for t in np.arange(0.2, 0.85, 0.05):
        print(f"held-out odd articles: threshold {t:.2f}  answered-right kept {np.mean(p[y == 1] >= t):.3f}"
              f"  unanswerable abstained {np.mean(p[y == 0] < t):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
