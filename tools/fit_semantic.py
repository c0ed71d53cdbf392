"""Fit the encoder's place in the engine on tuning data only (SQuAD train-10, SQuAD half A, dev set).

    python tools/semantic_traces.py tune.pkl benchmarks/squad/squad2-dev-16-A.json \
        ../shared/datasets/squad2-train-10.json.gz --questions questions/dev.yaml \
        --step 2 --set answer.semantic_answers=true   # the encoder's cosine is a feature only so
    python tools/fit_semantic.py sentence tune.pkl      # weight of "dense" in a sentence's score
    python tools/fit_semantic.py confidence tune.pkl    # SEMANTIC_WEIGHTS and the threshold

The lexical model, CONFIDENCE_WEIGHTS, from traces of the engine without the encoder (as on 2026-12-07):

    python tools/semantic_traces.py lexical-train10.pkl ../shared/datasets/squad2-train-10.json.gz \
        --step 2 --set answer.semantic=false
    python tools/semantic_traces.py lexical-A.pkl benchmarks/squad/squad2-dev-16-A.json --step 2 \
        --questions questions/dev.yaml --set answer.semantic=false
    python tools/fit_semantic.py confidence --lexical lexical-train10.pkl lexical-A.pkl

The answer checker's model, CHECKER_WEIGHTS (after tools/train_checker.py), on what the checker never saw
(half A's articles outside its TRAIN_ARTICLES, and the dev set):

    python tools/semantic_traces.py checker-A.pkl benchmarks/squad/squad2-dev-16-A.json \
        --questions questions/dev.yaml --set answer.semantic=false --set answer.checker=true
    python tools/fit_semantic.py confidence --checker checker-A.pkl

`sentence`: for each weight on a grid, the share of answerable questions whose best sentence holds a
gold answer, per source. `confidence`: refits the sign-constrained logistic model of
assistant/answer/confidence.py (rows: the best candidate; 1 = answerable and its quote holds a gold answer,
0 = unanswerable; answerable misses left out, as answering and abstaining score the same there) on
every source, each source and class weighted to the same total, and prints per threshold each
source's accuracy
(answerable right = answered with gold; unanswerable right = not found) so the threshold is chosen on
the tuning sources. Half B and the held-out set are never given to this tool.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer.confidence import CHECKER_FEATURES, SEMANTIC_FEATURES  # noqa: E402
from assistant.answer.confidence import FEATURES as LEXICAL_FEATURES  # noqa: E402
from tools.fit_models import fit  # noqa: E402
from tools.train_checker import checker_saw, lexical_score  # noqa: E402

GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


def _best_holds_gold(sentences, weight: float) -> bool:
    best, best_score = False, -np.inf
    for f, eligible, gold in sentences:
        if not eligible:
            continue
        score = lexical_score(f) + weight * f.get("dense", 0.0)
        if score > best_score:
            best, best_score = gold, score
    return best


def sentence(rows: list[dict]) -> None:
    by_source = defaultdict(list)
    for r in rows:
        if r["answerable"] and r["sentences"]:
            by_source[r["source"]].append(r["sentences"])
    print("weight  " + "  ".join(f"{s[:22]:>22}" for s in by_source))
    for w in GRID:
        cells = [f"{np.mean([_best_holds_gold(s, w) for s in rs]):>22.3f}" for rs in by_source.values()]
        print(f"{w:>6.2f}  " + "  ".join(cells))


def confidence(rows: list[dict], names: tuple[str, ...] = SEMANTIC_FEATURES) -> None:
    """Fit the confidence model over the features `names` (the encoder's model by default; the lexical
    one, CONFIDENCE_WEIGHTS, with LEXICAL_FEATURES from traces of the lexical engine)."""
    usable = [
        r for r in rows if r["features"] is not None and not r["special"] and r["status"] != "open_question"
    ]
    train = [r for r in usable if not r["answerable"] or r["hit"]]
    sources = sorted({r["source"] for r in usable})
    # Each source, and within it each class (answers / does not), weighs the same: SQuAD train-10 is
    # 93% answerable, and a model fitted to that prior answers too readily where half cannot be.
    cell = defaultdict(int)
    for r in train:
        cell[r["source"], r["answerable"]] += 1
    x = np.array([[r["features"].get(k, 0.0) for k in names] for r in train])
    y = np.array([1.0 if r["answerable"] else 0.0 for r in train])
    weight = np.array([1.0 / cell[r["source"], r["answerable"]] for r in train])
    weights = fit(x, y, weight * len(train), names=names)
    print("CONFIDENCE_WEIGHTS = {")
    for name, value in zip([*names, "bias"], weights, strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    all_x = np.array([[r["features"].get(k, 0.0) for k in names] for r in usable])
    p = 1 / (1 + np.exp(-(all_x @ weights[:-1] + weights[-1])))
    print(
        "threshold  " + "  ".join(f"{s[:22]:>22}" for s in sources) + "   (accuracy of the thresholded rows)"
    )
    for t in np.arange(0.2, 0.71, 0.025):
        cells = []
        for s in sources:
            idx = [i for i, r in enumerate(usable) if r["source"] == s]
            right = [(p[i] >= t and usable[i]["hit"]) if usable[i]["answerable"] else p[i] < t for i in idx]
            cells.append(f"{np.mean(right):>22.3f}")
        print(f"{t:>9.3f}  " + "  ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("sentence", "confidence"))
    parser.add_argument("traces", type=Path, nargs="+")
    parser.add_argument("--lexical", action="store_true", help="confidence: the model without the encoder")
    parser.add_argument(
        "--checker",
        action="store_true",
        help="confidence: the model with the answer checker (CHECKER_WEIGHTS), on questions it never saw",
    )
    args = parser.parse_args(argv)
    rows = [r for path in args.traces for r in pickle.loads(path.read_bytes())]
    if args.what == "sentence":
        sentence(rows)
    elif args.checker:
        # Where the checker was trained its scores are in sample: fitted only on the rest.
        confidence([r for r in rows if not checker_saw(r)], CHECKER_FEATURES)
    else:
        confidence(rows, LEXICAL_FEATURES if args.lexical else SEMANTIC_FEATURES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
