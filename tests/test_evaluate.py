"""evaluate.py: metrics by hand-worked values, SQuAD reader, TREC files, --json/--sweep/--compare."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import pytest

import evaluate
from assistant import NotFoundError, Settings
from assistant.answer.objects import Answer, make_citation
from assistant.ingest.corpus import load_corpus
from assistant.retrieve.index import Hit
from evaluation import metrics as m
from evaluation.questions import InputFileError, load_questions
from evaluation.squad import read_squad, read_squad_json

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
QUESTIONS = DATA / "eval" / "questions.yaml"
SQUAD = DATA / "eval" / "squad-tiny.json"
FIXTURE = ["--questions", str(QUESTIONS), "--corpus", str(CORPUS)]
# The scripted runs pin the not-found threshold that the hand-worked values below assume.
SCRIPTED = [*FIXTURE, "--set", "answer.min_confidence=0.6"]

# What the scripted engine returns for each fixture question (tests/data/eval/questions.yaml).
# quote: the exact text it quotes (or would quote: the candidate); confidence: compared with
# answer.min_confidence, so answered iff quote and confidence >= threshold; open: an open_question answer.
# Passages of tests/data/corpus: escalation#1-3 (E1-E3) and home-visits#1-5 (H1-H5).
SCRIPT = {
    # q1 fact: answered, the quote holds the gold -> hit.
    "Who should a professional first raise a disagreement with?": {
        "quote": "raise it with the worker who made the decision",
        "confidence": 0.9,
        "ranking": [("escalation#1", 3.0), ("escalation#2", 1.0)],
    },
    # q2 fact: answered with the wrong sentence -> miss. Tied scores: the TREC file must keep E1 first.
    "How long before a disagreement is escalated?": {
        "quote": "The managers meet or speak within two working days.",
        "confidence": 0.7,
        "ranking": [("escalation#1", 2.0), ("escalation#2", 2.0), ("escalation#3", 0.5)],
    },
    # q3 paraphrase: below the threshold -> not_found (a false abstention; a hit at threshold <= 0.4).
    "Who takes the final call on a dispute that stays unresolved?": {
        "quote": "the local safeguarding partnership, which makes the final\ndecision",
        "confidence": 0.4,
        "ranking": [("escalation#3", 1.5), ("home-visits#1", 0.7), ("home-visits#5", 0.6)],
    },
    # q4 follow-up: answered, hit; its gold passage H3 only comes 6th.
    "And who do you tell?": {
        "quote": "report the concern to your manager",
        "confidence": 0.65,
        "ranking": [
            ("home-visits#2", 1.2),
            ("home-visits#4", 1.1),
            ("home-visits#1", 1.0),
            ("home-visits#5", 0.9),
            ("escalation#1", 0.8),
            ("home-visits#3", 0.7),
        ],
    },
    # q5 not-in-document: answered anyway -> a false answer (not_found from threshold 0.65 up).
    "How many visits can one worker make per day?": {
        "quote": "Lone working policies apply to every visit.",
        "confidence": 0.62,
        "ranking": [("home-visits#2", 1.0)],
    },
    # q6 not-in-document: nothing matched -> not_found at every threshold.
    "What is the capital of France?": {"quote": None, "confidence": 0.0, "ranking": []},
    # q7 open-question: the engine flags the quote as a question the text raises -> right.
    "What comes first on a home visit?": {
        "quote": "Your safety comes first.",
        "confidence": 0.5,
        "open": True,
        "ranking": [("home-visits#3", 2.0)],
    },
    # q8 fact: nothing matched and nothing ranked, though H5 holds the gold -> 0 on every retrieval measure.
    "When should a safeguarding concern be discussed with the lead?": {
        "quote": None,
        "confidence": 0.0,
        "ranking": [],
    },
}


class _Retrieval:
    def __init__(self, resolved_question: str, hits: list[Hit]) -> None:
        self.resolved_question, self.hits = resolved_question, hits


class ScriptedAssistant:
    """Stands in for Assistant: the real fixture documents, but answers and rankings from SCRIPT."""

    script = SCRIPT

    def __init__(self, documents, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.documents = {d.doc_id: d for d in documents}
        self._passages = {p.passage_id: p for d in documents for p in d.passages}

    @classmethod
    def from_directory(cls, directory, settings: Settings | None = None) -> ScriptedAssistant:
        documents, _problems = load_corpus(directory)
        return cls(documents, settings)

    def passage(self, passage_id: str):
        try:
            return self._passages[passage_id]
        except KeyError:
            raise NotFoundError(passage_id) from None

    def ask(self, question: str, history=(), *, documents=None) -> Answer:
        s = self.script[question]
        threshold = self.settings.answer.min_confidence
        cite = self._cite(s["quote"]) if s["quote"] else None
        evidence = {"confidence": s["confidence"], "threshold": threshold}
        common = {"question": question, "resolved_question": question, "evidence": evidence}
        if s.get("open"):
            evidence["open_question"] = True
            return Answer(status="open_question", answer=cite.quote, citations=(cite,), **common)
        if cite is not None and s["confidence"] >= threshold:
            return Answer(
                status="answered", answer=cite.quote, citations=(cite,), candidates=(cite,), **common
            )
        return Answer(status="not_found", answer="", candidates=(cite,) if cite else (), **common)

    def retrieve(self, question: str, history=(), *, k: int = 10, documents=None) -> _Retrieval:
        ranking = self.script[question]["ranking"][:k]
        return _Retrieval(question, [Hit(self._passages[p], s, r) for r, (p, s) in enumerate(ranking, 1)])

    def _cite(self, quote: str):
        for doc in self.documents.values():
            at = doc.text.find(quote)
            if at >= 0:
                passage = next(p for p in doc.passages if p.start <= at < p.end)
                return make_citation(doc, passage, at, at + len(quote), 1.0)
        raise AssertionError(f"not in the fixture corpus: {quote!r}")


@pytest.fixture
def scripted(monkeypatch):
    monkeypatch.setattr(evaluate, "Assistant", ScriptedAssistant)
    return ScriptedAssistant


def run_json(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "report.json"
    assert evaluate.main([*args, "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- metric definitions


def test_normalisation_follows_the_squad_script():
    # lower case, ASCII punctuation dropped, articles a/an/the dropped, spaces collapsed
    assert m.normalize_answer("The  Cat, sat on a MAT!") == "cat sat on mat"
    # punctuation is removed, not replaced by a space
    assert m.normalize_answer("An apple's well-known core") == "apples wellknown core"
    assert m.normalize_answer("theatre") == "theatre"  # "the" only as a whole word


def test_containment_is_a_substring_of_the_normalised_quote():
    assert m.contains_answer("It was first lit in 1698.", ["in 1698"])
    assert m.contains_answer("the Worker who made THE decision", ["worker who made the decision"])
    # Normalisation glues words across deleted punctuation; a substring test still finds the gold.
    assert m.contains_answer("include John Myhill's definition", ["John Myhill"])
    assert m.contains_answer("a polynomial-time reduction", ["polynomial"])
    # ... at the price of a rare false hit, as documented.
    assert m.contains_answer("after the death in 1332", ["13"])
    assert not m.contains_answer("anything at all", ["The"])  # normalises to nothing: never a match
    assert not m.contains_answer("", ["light"])
    assert not m.contains_answer("five working days", ["four working days", "two days"])


def test_token_f1_is_squads():
    # pred "raise it with worker who made decision" (7 tokens), gold "worker who made decision" (4):
    # 4 in common, P = 4/7, R = 1, F1 = 2PR/(P+R) = 8/11
    assert m.token_f1(
        "raise it with the worker who made the decision", "the worker who made the decision"
    ) == pytest.approx(8 / 11)
    # pred "managers meet or speak within two working days" (8), gold "five working days" (3): 2 in common,
    # P = 1/4, R = 2/3, F1 = (1/3)/(11/12) = 4/11
    assert m.token_f1(
        "The managers meet or speak within two working days.", "five working days"
    ) == pytest.approx(4 / 11)
    assert m.token_f1("", "") == 1.0  # abstaining on a no-answer question
    assert m.token_f1("", "light") == 0.0
    assert m.token_f1("dark", "light") == 0.0
    assert m.best_f1("light", ["dark", "light"]) == 1.0
    assert m.best_f1("light", []) == 0.0  # no gold answer: nothing to match


def test_ranking_measures_by_hand():
    ranking = ["a", "b", "c", "d"]
    relevant = {"b", "d", "z"}
    assert m.success_at(ranking, relevant, 1) == 0.0
    assert m.success_at(ranking, relevant, 2) == 1.0
    assert m.reciprocal_rank(ranking, relevant) == 0.5
    assert m.reciprocal_rank(ranking, relevant, 1) == 0.0
    # DCG = 1/log2(3) + 1/log2(5); ideal for 3 relevant = 1 + 1/log2(3) + 1/log2(4)
    ideal = 1 + 1 / math.log2(3) + 0.5
    assert m.ndcg_at(ranking, relevant) == pytest.approx((1 / math.log2(3) + 1 / math.log2(5)) / ideal)
    assert m.recall_at(ranking, relevant, 2) == pytest.approx(1 / 3)
    assert m.recall_at(ranking, relevant, 10) == pytest.approx(2 / 3)
    assert m.ndcg_at([], relevant) == 0.0 and m.recall_at(ranking, set(), 5) == 0.0
    assert m.ndcg_at(ranking, set()) == 0.0
    # k defaults to 10: a relevant id 11th is not found.
    eleventh = [str(i) for i in range(1, 12)]
    assert m.reciprocal_rank(eleventh, {"11"}) == 0.0 and m.ndcg_at(eleventh, {"11"}) == 0.0
    assert m.reciprocal_rank(eleventh, {"10"}) == 0.1


def test_median_and_nearest_rank_percentile():
    assert m.median([3, 1, 2]) == 2
    assert m.median([4, 1, 3, 2]) == 2.5
    # nearest rank: ceil(0.95 * 5) = 5th smallest; ceil(0.95 * 40) = 38th
    assert m.percentile([9, 9, 6, 7, 4], 95) == 9
    assert m.percentile(list(range(1, 41)), 95) == 38
    assert m.percentile(list(range(1, 102)), 100) == 101  # ceil(100% of 101) = 101st
    assert m.percentile([5, 1], 0) == 1  # at least the first
    assert m.median([]) is None and m.percentile([], 95) is None and m.mean([]) is None


# ---------------------------------------------------------------- a whole run, scripted engine


def test_answer_metrics_by_hand(scripted, tmp_path):
    metrics = run_json(tmp_path, *SCRIPTED)["metrics"]
    a = metrics["answers"]
    # answerable q1 q2 q3 q4 q8: hits q1, q4 -> 2/5; unanswerable q5 q6: not_found q6 -> 1/2;
    # all 8: q1 q4 q6 q7 right -> 4/8.
    assert (a["hasans"]["count"], a["hasans"]["n"], a["hasans"]["rate"]) == (2, 5, 0.4)
    assert (a["noans"]["count"], a["noans"]["n"], a["noans"]["rate"]) == (1, 2, 0.5)
    assert (a["overall"]["count"], a["overall"]["n"], a["overall"]["rate"]) == (4, 8, 0.5)
    assert a["false_answer_rate"]["rate"] == 0.5  # q5 answered, of q5 q6
    assert a["false_abstention_rate"]["rate"] == 0.4  # q3 and q8 not_found, of 5 answerable
    # F1: q1 8/11, q2 4/11, q3 0, q4 "report concern to your manager" vs "your manager": P 2/5, R 1 -> 4/7,
    # q8 0; HasAns = (12/11 + 4/7) / 5. Overall adds q5 0, q6 1 (abstained), q7 1 (exact quote), over 8.
    assert a["hasans"]["f1"] == pytest.approx((12 / 11 + 4 / 7) / 5)
    assert a["overall"]["f1"] == pytest.approx((12 / 11 + 4 / 7 + 2) / 8)
    by_kind = {k: (v["count"], v["n"]) for k, v in metrics["by_kind"].items()}
    assert by_kind == {
        "fact": (1, 3),
        "paraphrase": (0, 1),
        "follow-up": (1, 1),
        "not-in-document": (1, 2),
        "not-in-document/in-domain": (0, 1),
        "not-in-document/out-of-domain": (1, 1),
        "open-question": (1, 1),
    }


def test_retrieval_metrics_by_hand(scripted, tmp_path):
    r = run_json(tmp_path, *SCRIPTED)["metrics"]["retrieval"]
    # Gold passages (normalised gold inside normalised passage): q1 {E1}, q2 {E2}, q3 {E3, H5},
    # q4 {H3}, q7 {H3}, q8 {H5}; q5 and q6 have none and are left out: n = 6.
    # first gold rank: q1 1, q2 2, q3 1 (and H5 at 3), q4 6, q7 1, q8 none.
    assert r["n"] == 6
    assert r["success@1"] == pytest.approx(3 / 6)
    assert r["success@5"] == pytest.approx(4 / 6)
    assert r["mrr@10"] == pytest.approx((1 + 1 / 2 + 1 + 1 / 6 + 1 + 0) / 6)
    ndcg_q3 = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert r["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3) + ndcg_q3 + 1 / math.log2(7) + 1 + 0) / 6)
    assert r["recall@5"] == pytest.approx(4 / 6)
    assert r["recall@10"] == pytest.approx(5 / 6)


def test_faithfulness_length_and_latency(scripted, tmp_path):
    metrics = run_json(tmp_path, *SCRIPTED)["metrics"]
    # quotes given: q1 (9 words), q2 (9), q4 (6), q5 (7), q7 (4); all exact slices
    assert metrics["faithfulness"] == {"quotes": 5, "faithful": 5, "rate": 1.0, "unfaithful": []}
    assert metrics["answer_words"] == {"n": 5, "mean": 7.0, "p95": 9}
    assert (
        metrics["latency_ms"]["n"] == 8
        and metrics["latency_ms"]["p95"] >= metrics["latency_ms"]["median"] >= 0
    )


def test_an_unfaithful_quote_is_reported_loudly(scripted, monkeypatch, tmp_path, capsys):
    cite = ScriptedAssistant._cite

    def cite_wrong_passage(self, quote):
        good = cite(self, quote)
        doc = self.documents[good.document_id]
        other = next(p for p in doc.passages if p.passage_id != good.passage_id)
        return make_citation(doc, other, good.start, good.end, 1.0)

    monkeypatch.setattr(ScriptedAssistant, "_cite", cite_wrong_passage)
    metrics = run_json(tmp_path, *SCRIPTED)["metrics"]
    assert metrics["faithfulness"]["rate"] == 0.0 and len(metrics["faithfulness"]["unfaithful"]) == 5
    captured = capsys.readouterr()
    assert "WARNING: FAITHFULNESS 0.000 < 1.000: 5 of 5 quotes" in captured.out
    assert "WARNING: FAITHFULNESS" in captured.err


def test_table_prints_settings_and_metrics(scripted, capsys):
    assert evaluate.main(SCRIPTED) == 0
    out = capsys.readouterr().out
    assert "8 questions" in out
    assert "variant=okapi k1=1.2 b=0.75" in out and "stemmer=porter stopwords=true" in out
    assert "min_confidence=0.6" in out and "tokenizer: " in out
    rows = {line[:44].strip(): line[44:].split() for line in out.splitlines()}
    assert rows["HasAns accuracy (hit rate)"] == ["5", "2", "0.400"]
    assert rows["HasAns token F1 (mean)"] == ["5", "0.332"]  # (12/11 + 4/7) / 5 = 0.3325
    assert rows["in-domain"] == ["1", "0", "0.000"]
    assert rows["nDCG@10"] == ["0.651"]
    assert rows["Faithfulness (quotes that are exact slices)"] == ["5", "5", "1.000"]
    assert rows["Answer length in words (answers given)"] == ["5", "mean", "7.0", "p95", "9"]
    assert "WARNING" not in out


def test_json_holds_each_answer_and_verdict(scripted, tmp_path):
    report = run_json(tmp_path, *SCRIPTED)
    assert report["settings"]["answer"]["min_confidence"] == 0.6
    questions = {q["id"]: q for q in report["questions"]}
    assert list(questions) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]
    q1 = questions["q1"]
    assert (
        q1["answer"]["status"] == "answered" and q1["answer"]["citations"][0]["passage_id"] == "escalation#1"
    )
    assert q1["verdict"] == {"correct": True, "f1": pytest.approx(8 / 11), "reason": "", "unfaithful": []}
    assert q1["gold_passages"] == ["escalation#1"]
    assert q1["ranking"][0] == {"passage_id": "escalation#1", "score": 3.0}
    assert questions["q2"]["verdict"]["reason"] == "the quote contains no gold answer"
    assert questions["q3"]["verdict"]["reason"] == "abstained (not_found)"
    assert questions["q3"]["gold_passages"] == ["escalation#3", "home-visits#5"]
    assert (
        questions["q5"]["verdict"]["reason"]
        == "the document does not answer this, but the status is answered"
    )
    assert questions["q8"]["documents"] == ["home-visits"]
    assert "sweep" not in report


def test_failures_say_what_came_back_and_why(scripted, capsys):
    assert evaluate.main([*SCRIPTED, "--failures"]) == 0
    out = capsys.readouterr().out
    failed = [line.split()[1] for line in out.splitlines() if line.startswith("FAILED")]
    assert failed == ["q2", "q3", "q5", "q8"]
    assert "status: not_found (confidence 0.400, threshold 0.600)" in out
    assert "best candidate (not given): the local safeguarding partnership" in out
    assert "why: the quote contains no gold answer" in out
    assert "first gold passage at rank 2" in out
    assert "no gold passage among the 0 retrieved" in out


def test_sweep_relabels_from_one_pass(scripted, tmp_path, capsys):
    report = run_json(tmp_path, *SCRIPTED, "--sweep")
    rows = {row["threshold"]: row for row in report["sweep"]["rows"]}
    got = {t: (r["answered"], r["hasans"], r["noans"], r["overall"]) for t, r in rows.items()}
    # t <= 0.40: q1 q2 q3 q4 q5 answered; hits q1 q3 q4 (3/5), q5 wrong (1/2), right q1 q3 q4 q6 q7 (5/8)
    assert got[0.0] == got[0.4] == (5, 0.6, 0.5, 0.625)
    # 0.45-0.60: q3 drops out -> 2/5, 1/2, 4/8 (the engine's own figures at the default 0.6)
    assert got[0.45] == got[0.6] == (4, 0.4, 0.5, 0.5)
    # 0.65: q5 (0.62) abstains -> NoAns 2/2, right q1 q4 q5 q6 q7 = 5/8
    assert got[0.65] == (3, 0.4, 1.0, 0.625)
    assert got[0.7] == (2, 0.2, 1.0, 0.5)  # q4 (0.65) abstains
    assert got[0.9] == (1, 0.2, 1.0, 0.5)  # only q1 (0.9)
    assert got[1.0] == (0, 0.0, 1.0, 0.375)  # nothing answered; q7 stays an open question
    assert rows[0.65]["coverage"] == 3 / 8 and rows[0.65]["risk"] == pytest.approx(1 / 3)  # q2 wrong of 3
    assert rows[1.0]["risk"] is None
    assert report["sweep"]["best"] == 0.65  # 0.625 ties with t <= 0.4: the higher threshold wins
    assert report["sweep"]["mismatches"] == 0
    assert [t for t, r in rows.items() if r["default"]] == [0.6]
    out = capsys.readouterr().out
    assert "     0.60        4     0.500  0.500   0.400  0.500    0.500  <- default" in out
    assert "     0.65        3     0.375  0.333   0.400  1.000    0.625  <- best" in out


def test_set_overrides_the_threshold(scripted, tmp_path):
    report = run_json(tmp_path, *SCRIPTED, "--set", "answer.min_confidence=0.4")
    assert report["settings"]["answer"]["min_confidence"] == 0.4
    assert report["metrics"]["answers"]["hasans"]["rate"] == 0.6  # as the sweep row at 0.40


def test_compare_prints_configurations_side_by_side(scripted, tmp_path, capsys):
    (tmp_path / "base.yaml").write_text("# defaults\n", encoding="utf-8")
    (tmp_path / "low.yaml").write_text("answer:\n  min_confidence: 0.4\n", encoding="utf-8")
    out_json = tmp_path / "compare.json"
    args = [
        *SCRIPTED,
        "--compare",
        str(tmp_path / "base.yaml"),
        str(tmp_path / "low.yaml"),
        "--json",
        str(out_json),
    ]
    assert evaluate.main(args) == 0
    out = capsys.readouterr().out
    assert "Settings used (base):" in out and "Settings used (low):" in out
    cells = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    lines = {c[0]: c[1:] for c in cells}
    assert lines["metric"] == ["base", "low", "low-base"]
    assert lines["HasAns accuracy"] == ["0.400", "0.600", "+0.200"]
    assert lines["NoAns accuracy"] == ["0.500", "0.500", "+0.000"]
    assert lines["Overall accuracy"] == ["0.500", "0.625", "+0.125"]
    assert lines["Accuracy paraphrase"] == ["0.000", "1.000", "+1.000"]
    assert lines["Accuracy not-in-document/in-domain"] == ["0.000", "0.000", "+0.000"]
    # low also quotes q3 (9 words): (9 + 9 + 9 + 6 + 7 + 4) / 6 = 7.33
    assert lines["Answer words, mean"] == ["7.0", "7.3", "+0.3"]
    runs = json.loads(out_json.read_text(encoding="utf-8"))["runs"]
    assert [r["label"] for r in runs] == ["base", "low"]
    assert [r["settings"]["answer"]["min_confidence"] for r in runs] == [0.6, 0.4]


def test_trec_run_and_qrels_files(scripted, tmp_path):
    run, qrels = tmp_path / "run.trec", tmp_path / "qrels.txt"
    assert evaluate.main([*SCRIPTED, "--trec-run", str(run), "--qrels", str(qrels)]) == 0
    lines = run.read_text(encoding="utf-8").splitlines()
    # The tie at 2.0 in q2 is written 2.000000 then 1.999999 so that trec_eval keeps our order.
    assert [line for line in lines if line.startswith("q2 ")] == [
        "q2 Q0 escalation#1 1 2.000000 grounded-assistant",
        "q2 Q0 escalation#2 2 1.999999 grounded-assistant",
        "q2 Q0 escalation#3 3 0.500000 grounded-assistant",
    ]
    assert len(lines) == 2 + 3 + 3 + 6 + 1 + 0 + 1 + 0
    assert qrels.read_text(encoding="utf-8").splitlines() == [
        "q1 0 escalation#1 1",
        "q2 0 escalation#2 1",
        "q3 0 escalation#3 1",
        "q3 0 home-visits#5 1",
        "q4 0 home-visits#3 1",
        "q7 0 home-visits#3 1",
        "q8 0 home-visits#5 1",
    ]


def _reference_sums(run: Path, qrels: Path) -> dict[str, float]:
    """Sum ir-measures' per-query values (the queries it sees: those with a ranking and a gold)."""
    ir_measures = pytest.importorskip("ir_measures")
    from ir_measures import RR, R, Success, nDCG

    names = {
        Success @ 1: "success@1",
        Success @ 5: "success@5",
        RR @ 10: "mrr@10",
        nDCG @ 10: "ndcg@10",
        R @ 5: "recall@5",
        R @ 10: "recall@10",
    }
    sums = dict.fromkeys(names.values(), 0.0)
    qrels_list = list(ir_measures.read_trec_qrels(str(qrels)))
    run_list = list(ir_measures.read_trec_run(str(run)))
    for metric in ir_measures.iter_calc(list(names), qrels_list, run_list):
        sums[names[metric.measure]] += metric.value
    return sums


def _check_against_reference(report: dict, run: Path, qrels: Path) -> None:
    ours = report["metrics"]["retrieval"]
    # A question with a gold passage but no ranking counts 0 for us (trec_eval -c); ir-measures skips it,
    # so compare sums: ours * n == the reference's sum over the questions it scored.
    for name, total in _reference_sums(run, qrels).items():
        assert ours[name] * ours["n"] == pytest.approx(total, abs=1e-9), name


def test_retrieval_metrics_match_ir_measures_on_the_scripted_run(scripted, tmp_path):
    run, qrels = tmp_path / "run.trec", tmp_path / "qrels.txt"
    report = run_json(tmp_path, *SCRIPTED, "--trec-run", str(run), "--qrels", str(qrels))
    _check_against_reference(report, run, qrels)


@pytest.mark.parametrize("source", [FIXTURE, ["--squad", str(SQUAD)]], ids=["fixture", "squad"])
def test_retrieval_metrics_match_ir_measures_on_the_engine(source, tmp_path):
    run, qrels = tmp_path / "run.trec", tmp_path / "qrels.txt"
    report = run_json(tmp_path, *source, "--trec-run", str(run), "--qrels", str(qrels))
    _check_against_reference(report, run, qrels)
    for line_list in (run.read_text(encoding="utf-8").splitlines(),):
        per_q: dict[str, list[float]] = {}
        for line in line_list:
            qid, q0, _doc, rank, score, _tag = line.split()
            assert q0 == "Q0"
            per_q.setdefault(qid, []).append(float(score))
            assert int(rank) == len(per_q[qid])
        assert all(a > b for scores in per_q.values() for a, b in zip(scores, scores[1:], strict=False))


# ---------------------------------------------------------------- SQuAD


def test_squad_reader_makes_one_document_per_article():
    squad = read_squad(SQUAD)
    assert [d.doc_id for d in squad.documents] == ["Lighthouse_keeping", "Honey_bee"]
    doc = squad.documents[0]
    assert doc.title == "Lighthouse keeping"
    assert [p.passage_id for p in doc.passages] == [f"Lighthouse_keeping#{n}" for n in (1, 2, 3)]
    assert (
        doc.passages[1].text
        == "The Eddystone Lighthouse was first lit in 1698. It stands on dangerous rocks south of Plymouth."
    )
    assert all(doc.text[p.start : p.end] == p.text for p in doc.passages)
    qs = {q.qid: q for q in squad.questions}
    assert list(qs) == ["lh-1", "lh-2", "lh-3", "lh-4", "hb-1", "hb-2", "hb-3", "hb-4"]
    assert qs["lh-1"].answers == ("light",)  # repeated gold texts kept once
    assert qs["lh-2"].answers == ("1698", "in 1698")
    assert (qs["lh-2"].kind, qs["lh-2"].documents, qs["lh-2"].gold_passages) == (
        "answerable",
        ("Lighthouse_keeping",),
        frozenset({"Lighthouse_keeping#2"}),
    )
    assert (qs["lh-3"].kind, qs["lh-3"].answers, qs["lh-3"].gold_passages) == (
        "unanswerable",
        (),
        frozenset(),
    )
    assert qs["hb-3"].documents == ("Honey_bee",)


def test_a_gzipped_squad_file_reads_as_the_plain_one(tmp_path):
    packed = tmp_path / "squad.json.gz"
    packed.write_bytes(gzip.compress(SQUAD.read_bytes()))
    assert read_squad(packed) == read_squad(SQUAD)
    assert read_squad_json(packed) == read_squad_json(SQUAD) == json.loads(SQUAD.read_text(encoding="utf-8"))
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(gzip.compress(SQUAD.read_bytes())[:-20])
    with pytest.raises(InputFileError, match="Cannot read SQuAD file"):
        read_squad(broken)


def test_squad_run_asks_each_question_of_its_article(tmp_path, capsys):
    report = run_json(tmp_path, "--squad", str(SQUAD))
    assert report["metrics"]["questions"] == 8
    assert (
        report["metrics"]["answers"]["hasans"]["n"] == 6 and report["metrics"]["answers"]["noans"]["n"] == 2
    )
    assert report["metrics"]["retrieval"]["n"] == 6
    assert set(report["metrics"]["by_kind"]) == {"answerable", "unanswerable"}
    for q in report["questions"]:
        assert {p["passage_id"].split("#")[0] for p in q["ranking"]} <= set(q["documents"])
    assert report["metrics"]["faithfulness"]["rate"] in (1.0, None)
    assert "8/8 questions" in capsys.readouterr().err  # the progress line


# ---------------------------------------------------------------- the real engine, end to end


def test_engine_run_on_the_fixture_is_consistent_and_deterministic(tmp_path):
    first = run_json(tmp_path, *FIXTURE)
    second = run_json(tmp_path, *FIXTURE)
    for report in (first, second):
        del report["metrics"]["latency_ms"]
        for q in report["questions"]:
            del q["latency_ms"]
    assert first == second
    questions = {q["id"]: q for q in first["questions"]}
    # Nothing in the corpus mentions capitals or France.
    assert questions["q6"]["answer"]["status"] == "not_found" and questions["q6"]["verdict"]["correct"]
    assert first["metrics"]["faithfulness"]["rate"] in (1.0, None)
    correct = sum(q["verdict"]["correct"] for q in first["questions"])
    assert first["metrics"]["answers"]["overall"]["count"] == correct


def test_default_run_is_the_dev_set_on_the_bundled_corpus(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("ASSISTANT_CONFIG", raising=False)
    assert evaluate.main(["--limit", "20"]) == 0
    out = capsys.readouterr().out
    assert "questions/dev.yaml, 20 questions" in out and "Overall accuracy" in out


def test_dev_set_file_is_valid():
    questions = load_questions(ROOT / "questions" / "dev.yaml")
    assert len(questions) > 100 and len({q.qid for q in questions}) == len(questions)


def test_held_out_file_is_valid_and_shares_no_id_or_question_with_dev():
    dev = load_questions(ROOT / "questions" / "dev.yaml")
    held = load_questions(ROOT / "questions" / "heldout.yaml")
    assert len(held) == 241 and len({q.qid for q in held}) == len(held)
    assert not {q.qid for q in held} & {q.qid for q in dev}
    assert not {q.question.lower() for q in held} & {q.question.lower() for q in dev}


# ---------------------------------------------------------------- bad input: a clear message and exit 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("questions: [", "not valid YAML"),
        ("items: []", "top-level 'questions:' list"),
        ("questions:\n  - {id: a, kind: guess, question: Q, answers: [x]}", "'kind' must be one of"),
        ("questions:\n  - {id: a, kind: fact, question: Q}", "needs at least one gold answer"),
        (
            "questions:\n  - {id: a, kind: not-in-document, question: Q, answers: [x]}",
            "must not list answers",
        ),
        ("questions:\n  - {id: a, kind: fact, question: '', answers: [x]}", "'question' must be non-empty"),
        (
            "questions:\n  - {id: a, kind: fact, question: Q, answers: [x], history: nope}",
            "'history' must be a list",
        ),
        ("questions:\n  - {id: a, kind: fact, question: Q, answers: [x], extra: 1}", "unknown key(s) extra"),
        (
            "questions:\n  - {id: a, kind: fact, question: Q, answers: [x]}\n"
            "  - {id: a, kind: fact, question: R, answers: [y]}",
            "id 'a' is used twice",
        ),
        (
            "questions:\n  - {id: a, kind: fact, question: Q, answers: [x], documents: [nowhere]}",
            "unknown document(s): nowhere",
        ),
    ],
)
def test_bad_question_file_exits_2(tmp_path, capsys, content, message):
    path = tmp_path / "q.yaml"
    path.write_text(content, encoding="utf-8")
    assert evaluate.main(["--questions", str(path), "--corpus", str(CORPUS)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--questions", "missing.yaml"], "Cannot read question file"),
        (["--squad", "missing.json"], "Cannot read SQuAD file"),
        ([*FIXTURE, "--set", "answer.nothing=1"], "unknown key 'answer.nothing'"),
        ([*FIXTURE, "--set", "noequals"], "must look like section.key=value"),
        ([*FIXTURE, "--json", "no/such/folder/out.json"], "its folder does not exist"),
        (["--squad", str(SQUAD), "--corpus", str(CORPUS)], "leave out --corpus"),
        ([*FIXTURE, "--limit", "0"], "--limit must be at least 1"),
        ([*FIXTURE, "--jobs", "0"], "--jobs must be at least 1"),
        ([*FIXTURE, "--corpus", "no/such/corpus"], "Corpus folder not found"),
        (["--no-such-option"], "unrecognized arguments"),
        (["--squad", str(SQUAD), "--questions", str(QUESTIONS)], "not allowed with argument"),
    ],
)
def test_bad_options_exit_2(capsys, args, message):
    assert evaluate.main(args) == 2
    assert message in capsys.readouterr().err


def test_bad_squad_and_compare_files_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"data": [{"title": "x", "paragraphs": [{"qas": []}]}]}', encoding="utf-8")
    assert evaluate.main(["--squad", str(bad)]) == 2
    assert "not in the SQuAD v2.0 layout" in capsys.readouterr().err
    bad.write_text("{not json", encoding="utf-8")
    assert evaluate.main(["--squad", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    conf = tmp_path / "c.yaml"
    conf.write_text("retrieval:\n  variant: nonsense\n", encoding="utf-8")
    assert evaluate.main([*FIXTURE, "--compare", str(conf)]) == 2
    assert "must be one of" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert evaluate.main(["--help"]) == 0
    assert "--sweep" in capsys.readouterr().out


def test_a_question_the_engine_refuses_is_a_failure_not_a_crash(tmp_path, capsys):
    path = tmp_path / "q.yaml"
    long_question = "Why " + "really " * 200 + "?"  # over the engine's 1,000-character limit
    path.write_text(
        f"questions:\n  - {{id: long, kind: fact, question: '{long_question}', answers: [x]}}\n",
        encoding="utf-8",
    )
    report = run_json(tmp_path, "--questions", str(path), "--corpus", str(CORPUS), "--failures")
    (q,) = report["questions"]
    assert q["answer"]["status"] == "error" and "too long" in q["answer"]["message"]
    assert q["verdict"]["reason"] == "the engine refused the question"
    assert report["metrics"]["answers"]["errors"] == 1
    out = capsys.readouterr().out
    assert "Questions the engine refused" in out and "FAILED long [fact]" in out


def test_worker_processes_give_the_same_results(monkeypatch, tmp_path):
    from evaluation import runner

    monkeypatch.setattr(runner, "_CHUNK", 3)  # 8 questions -> 3 chunks over 2 processes
    reports = [run_json(tmp_path, "--squad", str(SQUAD), "--jobs", jobs) for jobs in ("1", "2")]
    for report in reports:
        del report["metrics"]["latency_ms"]
        for q in report["questions"]:
            del q["latency_ms"]
    assert reports[0] == reports[1]
    assert [q["id"] for q in reports[1]["questions"]] == [
        "lh-1",
        "lh-2",
        "lh-3",
        "lh-4",
        "hb-1",
        "hb-2",
        "hb-3",
        "hb-4",
    ]
