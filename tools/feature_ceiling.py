"""How far could any model over our answer evidence go? A cross-validated gradient-boosted classifier.

    python evaluate.py --squad benchmarks/squad/squad2-dev-16-A.json --set answer.min_confidence=0 \
        --json squad0.json
    python evaluate.py --set answer.min_confidence=0 --json dev0.json
    python evaluate.py --questions questions/heldout.yaml --set answer.min_confidence=0 --json heldout0.json
    python tools/feature_ceiling.py squad0.json dev0.json heldout0.json

Reads evaluate.py --json runs made with the threshold at 0 (every question keeps its best candidate and
the evidence `features` the confidence model weighs). A candidate is right when its question is
answerable and its quote holds a gold answer. SQuAD questions are split into four folds by article,
the others into four random folds; a gradient-boosted classifier (scikit-learn, a developer tool only:
`pip install scikit-learn`) is fitted on three folds of every run at once and scores the fourth. For
the present confidence and for the classifier, it prints per threshold SQuAD HasAns and NoAns accuracy
and, per other run, not-in-document questions kept not found. If no threshold of the classifier meets
a target that the present confidence misses, the evidence, not the model fitted on it, is the limit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

NEGATIVE = {"unanswerable", "not-in-document"}


def load(path: Path) -> dict:
    """One run: feature matrix (features, then the present confidence), labels, kinds and groups."""
    questions = json.loads(path.read_text(encoding="utf-8"))["questions"]
    names = sorted({k for q in questions for k in (q["answer"].get("evidence") or {}).get("features", {})})
    rows, labels, kinds, groups, forced = [], [], [], [], []
    for q in questions:
        evidence = q["answer"].get("evidence") or {}
        features = evidence.get("features", {})
        rows.append([features.get(k, 0.0) for k in names] + [evidence.get("confidence", 0.0)])
        answered = q["answer"]["status"] != "not_found"
        labels.append(int(q["kind"] not in NEGATIVE and answered and q["verdict"]["correct"]))
        kinds.append(q["kind"])
        groups.append((q.get("documents") or [""])[0])
        forced.append(not answered)  # not found whatever the threshold ("How many ...?" without a number)
    return {
        "x": np.array(rows),
        "y": np.array(labels),
        "kind": np.array(kinds),
        "group": groups,
        "forced": np.array(forced),
    }


def folds(run: dict, squad: bool, k: int = 4) -> np.ndarray:
    """A fold number per question: by article for SQuAD, at random (seeded) otherwise."""
    if squad:
        articles = sorted(set(run["group"]))
        return np.array([articles.index(g) % k for g in run["group"]])
    return np.random.default_rng(0).permutation(len(run["y"])) % k


def cross_validated(runs: list[dict], fold_ids: list[np.ndarray], weights: list[float], k: int = 4):
    from sklearn.ensemble import HistGradientBoostingClassifier

    scores = [np.zeros(len(r["y"])) for r in runs]
    for fold in range(k):
        x = np.vstack([r["x"][f != fold] for r, f in zip(runs, fold_ids, strict=True)])
        y = np.concatenate([r["y"][f != fold] for r, f in zip(runs, fold_ids, strict=True)])
        w = np.concatenate([np.full((f != fold).sum(), wt) for f, wt in zip(fold_ids, weights, strict=True)])
        model = HistGradientBoostingClassifier(max_depth=3, max_iter=150, learning_rate=0.05, random_state=0)
        model.fit(x, y, sample_weight=w)
        for r, f, s in zip(runs, fold_ids, scores, strict=True):
            s[f == fold] = model.predict_proba(r["x"][f == fold])[:, 1]
    return [np.where(r["forced"], 0.0, s) for r, s in zip(runs, scores, strict=True)]


def table(name: str, runs: list[dict], scores: list[np.ndarray], paths: list[Path]) -> None:
    squad, others = runs[0], runs[1:]
    print(f"\n{name}: threshold  SQuAD HasAns  NoAns  " + "  ".join(f"{p.stem} NID" for p in paths[1:]))
    for t in np.arange(0.2, 0.62, 0.02):
        s = scores[0]
        has = ((s >= t) & (squad["y"] == 1)).sum() / (squad["kind"] == "answerable").sum()
        no = ((s < t) & (squad["kind"] == "unanswerable")).sum() / (squad["kind"] == "unanswerable").sum()
        cells = []
        for r, sc in zip(others, scores[1:], strict=True):
            nid = r["kind"] == "not-in-document"
            cells.append(f"{((sc < t) & nid).sum()}/{nid.sum()}")
        print(f"  {t:.2f}  {has:.3f}  {no:.3f}  " + "  ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", type=Path, help="evaluate.py --json of a SQuAD run at threshold 0")
    parser.add_argument("others", type=Path, nargs="+", help="evaluate.py --json runs at threshold 0")
    parser.add_argument("--weight", type=float, default=5.0, help="weight of a row of the other runs")
    args = parser.parse_args(argv)
    paths = [args.squad, *args.others]
    runs = [load(p) for p in paths]
    width = {r["x"].shape[1] for r in runs}
    if len(width) != 1:
        print("the runs weigh different features: make them with the same code", file=sys.stderr)
        return 2
    present = [np.where(r["forced"], 0.0, r["x"][:, -1]) for r in runs]
    table("present confidence", runs, present, paths)
    fold_ids = [folds(r, i == 0) for i, r in enumerate(runs)]
    weights = [1.0] + [args.weight] * len(args.others)
    table("gradient boosting, cross-validated", runs, cross_validated(runs, fold_ids, weights), paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
