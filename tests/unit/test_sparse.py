"""The sparse backend gives rank-bm25's exact scores and top-k for every variant."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from assistant.retrieve import sparse
from assistant.retrieve.sparse import Params, SparseBM25, select_top

REFERENCE = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}
VOCAB = [f"t{i}" for i in range(12)]
UNKNOWN = ["zz", "qq"]


def reference(corpus: list[list[str]], params: Params):
    extra = {"epsilon": params.epsilon} if params.variant == "okapi" else {"delta": params.delta}
    return REFERENCE[params.variant](corpus, k1=params.k1, b=params.b, **extra)


def expected_top(scores: np.ndarray, k: int, rows=None) -> list[int]:
    candidates = range(len(scores)) if rows is None else rows
    return sorted((i for i in candidates if scores[i] > 0), key=lambda i: (-scores[i], i))[:k]


# Skewed word choice so that some terms are in most passages (dense, floored idf) and some in few.
words = st.one_of(st.sampled_from(VOCAB[:3]), st.sampled_from(VOCAB))
passages = st.lists(words, min_size=0, max_size=14)
corpora = st.lists(passages, min_size=5, max_size=40).filter(lambda c: any(c))
queries = st.lists(st.one_of(words, st.sampled_from(UNKNOWN)), min_size=1, max_size=9)
params = st.builds(
    Params,
    variant=st.sampled_from(sparse.VARIANTS),
    k1=st.floats(0.05, 3.0),
    # b = 1 gives rank-bm25 0/0 = NaN for an empty passage; its scores are defined below 1.
    b=st.floats(0.0, 0.99),
    epsilon=st.floats(-0.5, 1.0),
    delta=st.floats(0.0, 2.0),
)
layouts = st.sampled_from(["default", "all-sparse", "all-dense", "pruned", "unpruned", "sampled"])


@contextmanager
def layout(name: str):
    """Force the code paths small corpora would not take.

    No dense terms; only dense terms; candidates from the rarest terms whenever the bound allows
    ("pruned"); every passage scored, above the probe's floor ("unpruned") or above a threshold
    sampled from the scores ("sampled").
    """
    patches = {
        "default": {},
        "all-sparse": {"DENSE_SHARE": 2.0},
        "all-dense": {"DENSE_SHARE": 0.0},
        "pruned": {"_NS_SCAN": 1e9},
        "unpruned": {"_NS_SCAN": 0.0, "_NS_DENSE": 0.0, "_NS_SCATTER": 0.0, "_PROBE": 1},
        "sampled": {"_SAMPLE": 2, "DENSE_SHARE": 0.0},
    }[name]
    with mock.patch.multiple(sparse, **patches) if patches else _nothing():
        yield


@contextmanager
def _nothing():
    yield


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(corpus=corpora, query=queries, p=params, how=layouts)
def test_scores_equal_rank_bm25_for_every_variant(corpus, query, p, how):
    with layout(how):
        ours = SparseBM25.build(corpus, p)
    expected = reference(corpus, p).get_scores(query)
    assert np.array_equal(ours.get_scores(query), expected)


@common
@given(corpus=corpora, query=queries, p=params, how=layouts, k=st.integers(1, 12), data=st.data())
def test_top_k_equals_rank_bm25_order_with_ties_by_row(corpus, query, p, how, k, data):
    with layout(how):
        ours = SparseBM25.build(corpus, p)
        expected = reference(corpus, p).get_scores(query)
        rows, scores = ours.top_k(query, k)
        assert rows.tolist() == expected_top(expected, k)
        assert np.array_equal(scores, expected[rows])
        subset = sorted(data.draw(st.sets(st.integers(0, len(corpus) - 1), min_size=1)))
        rows, _ = ours.top_k(query, k, np.array(subset))
        assert rows.tolist() == expected_top(expected, k, subset)


def test_repeated_query_terms_count_each_time():
    corpus = [["a", "b"], ["b", "c"], ["c"], ["d", "a"], ["e"], []]
    ours = SparseBM25.build(corpus, Params("plus", 1.2, 0.75, 0.25, 1.0))
    once, twice = ours.get_scores(["a"]), ours.get_scores(["a", "a"])
    assert np.array_equal(twice, reference(corpus, ours.params).get_scores(["a", "a"]))
    assert np.allclose(twice, 2 * once)


@pytest.mark.parametrize("variant", sparse.VARIANTS)
def test_unknown_terms_add_nothing(variant):
    corpus = [["a", "b"], ["b", "c"], ["c"], ["d", "a"], ["e"]]
    ours = SparseBM25.build(corpus, Params(variant, 1.2, 0.75, 0.25, 1.0))
    assert np.array_equal(ours.get_scores(["a", "nowhere"]), ours.get_scores(["a"]))
    assert not ours.get_scores(["nowhere"]).any()
    assert ours.top_k(["nowhere"], 3)[0].tolist() == []


def test_plus_gives_passages_without_the_term_idf_times_delta():
    corpus = [["a"], ["b"], ["b"], ["c"], ["c", "b"]]
    ours = SparseBM25.build(corpus, Params("plus", 1.2, 0.75, 0.25, 0.5))
    scores = ours.get_scores(["a"])
    assert scores[1:].tolist() == [ours.idf("a") * 0.5] * 4
    # Every passage scores above 0, so all of them come back, ties in passage order.
    assert ours.top_k(["a"], 10)[0].tolist() == [0, 1, 2, 3, 4]


def test_okapi_idf_floor_uses_the_average_idf_in_first_occurrence_order():
    corpus = [["x", "y"], ["x", "z"], ["x"], ["x", "w"], ["v"]]
    ours = SparseBM25.build(corpus, Params("okapi", 1.5, 0.75, 0.25, 1.0))
    ref = reference(corpus, ours.params)
    assert ours.terms == list(ref.idf)
    assert ours.average_idf == ref.average_idf
    assert ours.idf("x") == ref.idf["x"] == 0.25 * ref.average_idf


def test_corpus_of_empty_passages_scores_zero():
    # rank-bm25 divides by zero here; every score is 0 and nothing is found.
    ours = SparseBM25.build([[], [], [], [], []], Params())
    assert ours.get_scores(["a"]).tolist() == [0.0] * 5
    assert ours.top_k(["a"], 3)[0].tolist() == []


def test_select_top_breaks_ties_by_row_and_drops_non_positive():
    scores = np.array([0.0, 2.0, 1.0, 2.0, -1.0, 1.0, 2.0])
    rows, got = select_top(scores, 4)
    assert rows.tolist() == [1, 3, 6, 2]
    assert got.tolist() == [2.0, 2.0, 2.0, 1.0]
    assert select_top(scores, 10)[0].tolist() == [1, 3, 6, 2, 5]
    assert select_top(scores, 2, np.array([0, 2, 3, 5]))[0].tolist() == [3, 2]


def test_sampled_threshold_keeps_exact_order_on_large_ties():
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 5, size=200_000).astype(np.float64)
    rows, got = select_top(scores, 25)
    assert rows.tolist() == expected_top(scores, 25)
    assert got.tolist() == [4.0] * 25


def test_pruned_search_reads_only_rare_terms_when_they_decide():
    rare = [["rare", "common"]] * 3
    corpus = rare + [["common", "other"]] * 200 + [["other"]] * 50
    ours = SparseBM25.build(corpus, Params())
    with mock.patch.object(SparseBM25, "get_scores", side_effect=AssertionError("full scan")):
        rows, _ = ours.top_k(["common", "rare"], 2)
    assert rows.tolist() == [0, 1]
    assert np.array_equal(ours.arrays["dense"].shape, (2, len(corpus)))
