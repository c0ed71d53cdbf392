"""Fit the confidence model (logistic regression over answer features) on public question sets.

    python tools/fit_models.py benchmarks/squad/squad2-dev-16-A.json [--dev questions/dev.yaml]

Runs the assistant with the current code, labels each best candidate (1: an answerable question whose
quote holds a gold answer, 0: an unanswerable question; answerable questions whose candidate misses are
left out, since answering and abstaining score the same there), and fits a logistic regression whose
weights keep the signs in FEATURE_SIGNS, on all SQuAD questions plus the dev set (each dev row counted
--dev-weight times). It prints the weights and, per threshold, SQuAD HasAns/NoAns and dev accuracy per
kind. The shipped CONFIDENCE_WEIGHTS are no longer fitted here: since 2026-12-07 they come from
`tools/fit_semantic.py confidence --lexical` on tuning data only (train-10, half A, the dev set), each
source and class weighted alike; this tool (one SQuAD file and the dev set, unbalanced) is kept to
reproduce the earlier fit.
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
from assistant.answer.confidence import FEATURE_SIGNS, FEATURES  # noqa: E402
from assistant.config import Settings, apply_overrides  # noqa: E402


def _norm(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def squad_rows(path: Path, settings: Settings, step: int) -> list[tuple[str, int, bool, dict]]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    docs, questions = [], []
    for n, article in enumerate(data):
        doc_id = f"a{n}"
        docs.append(Document.from_paragraphs(doc_id, [p["context"] for p in article["paragraphs"]]))
        for para in article["paragraphs"]:
            for qa in para["qas"]:
                questions.append(
                    (doc_id, qa["question"], [a["text"] for a in qa["answers"]], qa["is_impossible"])
                )
    assistant = Assistant(docs, settings)
    rows = []
    for doc_id, question, golds, impossible in questions[::step]:
        answer = assistant.ask(question, documents=[doc_id])
        features = answer.evidence.get("features")
        if features is not None:
            hit = any(_norm(g) in _norm(answer.candidate_text) for g in golds)
            rows.append(
                ("squad-noans" if impossible else "squad-hasans", 0 if impossible else 1, hit, features)
            )
    return rows


def dev_rows(path: Path, corpus: Path, settings: Settings) -> list[tuple[str, int, bool, dict]]:
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
        hit = answerable and any(_norm(g) in _norm(answer.candidate_text) for g in item["answers"])
        rows.append((item["kind"], 1 if answerable else 0, hit, features))
    return rows


def fit(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float = 1e-3, steps: int = 4000, names=FEATURES
) -> np.ndarray:
    """Weighted logistic regression by gradient descent, each weight held to its FEATURE_SIGNS sign."""
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.c_[(x - mu) / sd, np.ones(len(x))]
    signs = np.array([FEATURE_SIGNS[k] for k in names] + [0])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (weight * (p - y)) / weight.sum() + l2 * np.r_[w[:-1], 0])
        w = np.where((signs != 0) & (np.sign(w) != signs), 0.0, w)
    raw = w[:-1] / sd
    return np.r_[raw, w[-1] - (raw * mu).sum()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", type=Path)
    parser.add_argument("--dev", type=Path, default=Path("questions/dev.yaml"))
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument(
        "--dev-weight", type=float, default=5.0, help="weight of each dev row against a SQuAD row"
    )
    parser.add_argument("--step", type=int, default=2, help="use every Nth SQuAD question")
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    settings = apply_overrides(Settings(), args.set)
    rows = squad_rows(args.squad, settings, args.step) + dev_rows(args.dev, args.corpus, settings)
    # Answerable questions whose candidate misses score the same answered or not: leave them out.
    train = [r for r in rows if r[1] == 0 or r[2]]
    x = np.array([[r[3].get(k, 0.0) for k in FEATURES] for r in train])
    y = np.array([r[1] for r in train], dtype=float)
    weight = np.array([1.0 if r[0].startswith("squad") else args.dev_weight for r in train])
    weights = fit(x, y, weight)
    print("CONFIDENCE_WEIGHTS = {")
    for name, value in zip([*FEATURES, "bias"], weights, strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    all_x = np.array([[r[3].get(k, 0.0) for k in FEATURES] for r in rows])
    p = 1 / (1 + np.exp(-(all_x @ weights[:-1] + weights[-1])))
    kinds = sorted({r[0] for r in rows})
    print("threshold  " + "  ".join(f"{k:>15}" for k in kinds) + "   (share judged right)")
    for t in np.arange(0.2, 0.8, 0.05):
        cells = []
        for kind in kinds:
            idx = [i for i, r in enumerate(rows) if r[0] == kind]
            right = [(p[i] >= t and rows[i][2]) if rows[i][1] else p[i] < t for i in idx]
            cells.append(f"{np.mean(right):>15.3f}")
        print(f"{t:>9.2f}  " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
