"""Metric definitions: SQuAD answer normalisation, containment and token F1, ranking measures, percentiles."""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = frozenset(string.punctuation)


def normalize_answer(text: str) -> str:
    """Normalise as SQuAD's official script: lower case, drop punctuation and articles, collapse spaces.

    Same steps in the same order as `normalize_answer` in the SQuAD v2.0 evaluation script
    (punctuation is `string.punctuation`, ASCII only).
    """
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def contains_answer(text: str, golds: Iterable[str]) -> bool:
    """Tell whether normalised `text` contains a normalised gold answer (plain substring test).

    A substring, not whole words: SQuAD's normalisation deletes punctuation without leaving a space
    ("Myhill's" -> "myhills", "polynomial-time" -> "polynomialtime"), so a whole-word test would miss
    real hits. The price is a rare false hit ("13" inside "1332"). A gold that normalises to nothing
    (such as "The") never matches.
    """
    haystack = normalize_answer(text)
    for gold in golds:
        needle = normalize_answer(gold)
        if needle and needle in haystack:
            return True
    return False


def token_f1(prediction: str, gold: str) -> float:
    """Return SQuAD's token F1 of `prediction` against one gold answer (`compute_f1` of the v2.0 script)."""
    pred_tokens = normalize_answer(prediction).split()
    gold_tokens = normalize_answer(gold).split()
    if not pred_tokens or not gold_tokens:
        # v2.0: an empty prediction is right only for an empty gold (an abstention on a no-answer question).
        return float(pred_tokens == gold_tokens)
    common = Counter(pred_tokens) & Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def best_f1(prediction: str, golds: Sequence[str]) -> float:
    """Return the highest token F1 of `prediction` over the gold answers (0.0 when there are none)."""
    return max((token_f1(prediction, g) for g in golds), default=0.0)


def success_at(ranking: Sequence[str], relevant: set[str] | frozenset[str], k: int) -> float:
    """Return 1.0 when a relevant id is among the first k of `ranking`, else 0.0."""
    return float(any(pid in relevant for pid in ranking[:k]))


def reciprocal_rank(ranking: Sequence[str], relevant: set[str] | frozenset[str], k: int = 10) -> float:
    """Return 1/rank of the first relevant id within the first k (0.0 when none)."""
    for rank, pid in enumerate(ranking[:k], 1):
        if pid in relevant:
            return 1.0 / rank
    return 0.0


def ndcg_at(ranking: Sequence[str], relevant: set[str] | frozenset[str], k: int = 10) -> float:
    """Return nDCG@k with binary gains: DCG = sum of 1/log2(rank+1) over relevant ids in the first k,
    divided by the DCG of an ideal ranking of min(|relevant|, k) relevant ids (0.0 when none are relevant)."""
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    if ideal == 0:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, pid in enumerate(ranking[:k], 1) if pid in relevant)
    return dcg / ideal


def recall_at(ranking: Sequence[str], relevant: set[str] | frozenset[str], k: int) -> float:
    """Return the share of the relevant ids found in the first k (0.0 when none are relevant)."""
    if not relevant:
        return 0.0
    return len(set(ranking[:k]) & set(relevant)) / len(relevant)


def mean(values: Sequence[float]) -> float | None:
    """Return the arithmetic mean, or None for no values."""
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    """Return the median (the mean of the two middle values for an even count), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: Sequence[float], p: float) -> float | None:
    """Return the nearest-rank p-th percentile: the smallest value with >= p% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def rate(count: int, total: int) -> float | None:
    """Return count/total, or None when total is 0 (printed as n/a)."""
    return count / total if total else None
