"""Plain-text reports: the settings used, the metric table, the sweep, a comparison and the failures."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from assistant import Settings
from assistant.config import settings_to_dict

from .runner import Record
from .scoring import Verdict

# (label, path into the metrics dict, decimals) for the rows that --compare lines up;
# the accuracy of each question kind goes after ANSWER_ROWS.
ANSWER_ROWS = (
    ("HasAns accuracy", ("answers", "hasans", "rate"), 3),
    ("HasAns token F1", ("answers", "hasans", "f1"), 3),
    ("NoAns accuracy", ("answers", "noans", "rate"), 3),
    ("Overall accuracy", ("answers", "overall", "rate"), 3),
    ("Overall token F1", ("answers", "overall", "f1"), 3),
    ("False-answer rate", ("answers", "false_answer_rate", "rate"), 3),
    ("False-abstention rate", ("answers", "false_abstention_rate", "rate"), 3),
)
OTHER_ROWS = (
    ("Success@1", ("retrieval", "success@1"), 3),
    ("Success@5", ("retrieval", "success@5"), 3),
    ("MRR@10", ("retrieval", "mrr@10"), 3),
    ("nDCG@10", ("retrieval", "ndcg@10"), 3),
    ("Recall@5", ("retrieval", "recall@5"), 3),
    ("Recall@10", ("retrieval", "recall@10"), 3),
    ("Faithfulness", ("faithfulness", "rate"), 3),
    ("Answer words, mean", ("answer_words", "mean"), 1),
    ("Answer words, p95", ("answer_words", "p95"), 0),
    ("Latency ms, median", ("latency_ms", "median"), 1),
    ("Latency ms, p95", ("latency_ms", "p95"), 1),
)


def settings_lines(settings: Settings, tokenizer: str) -> list[str]:
    """Return the retrieval and answer settings (every key), and the tokenizer, one section a line."""
    data = settings_to_dict(settings)
    lines = []
    for section in ("retrieval", "answer"):
        values = " ".join(f"{k}={_value(v)}" for k, v in data[section].items())
        lines.append(f"  {section}: {values}")
    lines.append(f"  tokenizer: {tokenizer}")
    return lines


def _value(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if value == "" else str(value)


def format_summary(metrics: dict) -> str:
    """Return the metric table of one run."""
    a = metrics["answers"]
    out = [f"{'Answers':<44}{'n':>7}{'count':>8}{'value':>8}"]
    out += [
        _row("HasAns accuracy (hit rate)", a["hasans"]),
        _row("HasAns token F1 (mean)", a["hasans"], value=a["hasans"]["f1"], count=False),
        _row("NoAns accuracy (not_found)", a["noans"]),
        _row("Overall accuracy", a["overall"]),
        _row("Overall token F1 (SQuAD v2.0 style)", a["overall"], value=a["overall"]["f1"], count=False),
        _row("False-answer rate (NoAns answered)", a["false_answer_rate"]),
        _row("False-abstention rate (HasAns not_found)", a["false_abstention_rate"]),
        _row("  of those, gold in first 3 related passages", a["abstention_leads"]),
    ]
    if a["errors"]:
        out.append(f"  {'Questions the engine refused':<42}{a['errors']:>7}")
    out.append("Accuracy by kind")
    for kind, share in metrics["by_kind"].items():
        label = f"  {kind.split('/', 1)[1]}" if "/" in kind else kind
        out.append(_row(label, share))
    r = metrics["retrieval"]
    out.append(f"{'Retrieval (questions with a gold passage)':<44}{r['n']:>7}")
    for name in ("Success@1", "Success@5", "MRR@10", "nDCG@10", "Recall@5", "Recall@10"):
        out.append(f"  {name:<42}{'':>15}{_num(r[name.lower()])}")
    f = metrics["faithfulness"]
    out.append(
        _row(
            "Faithfulness (quotes that are exact slices)",
            {"n": f["quotes"], "count": f["faithful"], "rate": f["rate"]},
            indent="",
        )
    )
    w, t = metrics["answer_words"], metrics["latency_ms"]
    out.append(
        f"{'Answer length in words (answers given)':<44}{w['n']:>7}"
        f"  mean {_num(w['mean'], 1)}  p95 {_num(w['p95'], 0)}"
    )
    out.append(
        f"{'Latency per question, ms':<44}{t['n']:>7}  median {_num(t['median'], 1)}  p95 {_num(t['p95'], 1)}"
    )
    return "\n".join(out)


def faithfulness_warning(metrics: dict) -> str:
    """Return a loud warning when a quote is not an exact slice of its cited passage, else ""."""
    f = metrics["faithfulness"]
    if not f["unfaithful"]:
        return ""
    shown = "; ".join(f"{u['id']}: {u['problem']}" for u in f["unfaithful"][:5])
    more = f" (and {len(f['unfaithful']) - 5} more)" if len(f["unfaithful"]) > 5 else ""
    return (
        f"!!! WARNING: FAITHFULNESS {_num(f['rate'])} < 1.000: "
        f"{len(f['unfaithful'])} of {f['quotes']} quotes "
        f"are not exact slices of their cited passage !!!\n!!! {shown}{more}"
    )


def format_sweep(result: dict) -> str:
    """Return the risk-coverage table of --sweep, marking the configured default and the best value."""
    out = [
        "Not-found threshold sweep (answered iff confidence >= threshold)",
        f"{'threshold':>9}{'answered':>9}{'coverage':>10}{'risk':>7}{'HasAns':>8}{'NoAns':>7}{'overall':>9}",
    ]
    for row in result["rows"]:
        marks = [
            label
            for label, on in (("default", row["default"]), ("best", row["threshold"] == result["best"]))
            if on
        ]
        out.append(
            f"{row['threshold']:>9.2f}{row['answered']:>9}{_num(row['coverage']):>10}{_num(row['risk']):>7}"
            f"{_num(row['hasans']):>8}{_num(row['noans']):>7}{_num(row['overall']):>9}"
            + (f"  <- {', '.join(marks)}" if marks else "")
        )
    if result["mismatches"]:
        out.append(
            f"!!! WARNING: at the default threshold the re-labelling disagrees with the engine on "
            f"{result['mismatches']} question(s); the sweep is approximate !!!"
        )
    return "\n".join(out)


def format_compare(labels: Sequence[str], metric_sets: Sequence[dict]) -> str:
    """Return the metrics of several runs side by side, with each run's difference from the first."""
    kinds = list(dict.fromkeys(k for ms in metric_sets for k in ms["by_kind"]))
    kind_rows = tuple((f"Accuracy {k}", ("by_kind", k, "rate"), 3) for k in kinds)
    rows = ANSWER_ROWS + kind_rows + OTHER_ROWS
    heads = [*labels, *(f"{lbl}-{labels[0]}" for lbl in labels[1:])]
    width = max(10, *(len(h) + 2 for h in heads))
    first = max(len(label) for label, _, _ in rows) + 2
    out = [f"{'metric':<{first}}" + "".join(f"{h:>{width}}" for h in heads)]
    for label, path, digits in rows:
        values = [_get(ms, path) for ms in metric_sets]
        diffs = [None if v is None or values[0] is None else v - values[0] for v in values[1:]]
        out.append(
            f"{label:<{first}}"
            + "".join(f"{_num(v, digits):>{width}}" for v in values)
            + "".join(f"{_signed(d, digits):>{width}}" for d in diffs)
        )
    return "\n".join(out)


def format_failures(records: Sequence[Record], verdicts: Sequence[Verdict]) -> str:
    """Return each failed question with what came back and why it failed."""
    out = []
    for r, v in zip(records, verdicts, strict=True):
        if v.correct and not r.unfaithful:
            continue
        q = r.question
        if out:
            out.append("")
        out.append(f"FAILED {q.qid} [{q.kind}{'/' + q.scope if q.scope else ''}] {q.question}")
        if q.history:
            out.append(f"  history: {' | '.join(q.history)}")
        threshold = r.answer.get("evidence", {}).get("threshold")
        conf = (
            f" (confidence {_num(r.confidence)}, threshold {_num(threshold)})"
            if r.confidence is not None
            else ""
        )
        out.append(f"  status: {r.status}{conf}")
        if r.status == "error":
            out.append(f"  error: {r.answer.get('message', '')}")
        if r.quote:
            out.append(_wrap("quote", r.quote))
        elif r.candidate_quote:
            out.append(_wrap("best candidate (not given)", r.candidate_quote))
        if q.answers:
            out.append(_wrap("gold", " | ".join(q.answers)))
        out.append(f"  retrieval: {_retrieval_note(r)}")
        if not v.correct:
            out.append(f"  why: {v.reason}")
        for problem in r.unfaithful:
            out.append(f"  UNFAITHFUL: {problem}")
    return "\n".join(out) if out else "No failures."


def _retrieval_note(r: Record) -> str:
    gold = r.question.gold_passages or frozenset()
    top = ", ".join(pid for pid, _ in r.ranking[:3]) or "nothing"
    if not gold:
        return f"no gold passage; top: {top}"
    ranks = [i for i, (pid, _) in enumerate(r.ranking, 1) if pid in gold]
    where = (
        f"first gold passage at rank {ranks[0]}"
        if ranks
        else f"no gold passage among the {len(r.ranking)} retrieved"
    )
    return f"{where} (gold: {', '.join(sorted(gold)[:3])}{', ...' if len(gold) > 3 else ''}; top: {top})"


def _wrap(label: str, text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), 100, initial_indent=f"  {label}: ", subsequent_indent=" " * (len(label) + 4)
    )


def _row(
    label: str, share: dict, *, value: float | None = None, count: bool = True, indent: str = "  "
) -> str:
    shown = share["rate"] if value is None else value
    counted = str(share["count"]) if count else ""
    return f"{indent}{label:<{44 - len(indent)}}{share['n']:>7}{counted:>8}{_num(shown):>8}"


def _get(metrics: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(metrics, dict) or key not in metrics:
            return None
        metrics = metrics[key]
    return metrics


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:+.{digits}f}"
