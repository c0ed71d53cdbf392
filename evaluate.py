"""Benchmark the assistant on a question set or SQuAD 2.0: answers, abstention, retrieval, faithfulness.

Examples:
  python evaluate.py                                  # bundled dev questions on the bundled corpus
  python evaluate.py --squad benchmarks/squad/squad2-dev-16-A.json
  python evaluate.py --sweep                          # risk-coverage table over the not-found threshold
  python evaluate.py --compare base.yaml nostem.yaml  # ablation: configurations side by side
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant import Assistant, AssistantError, Settings, load_settings
from assistant.config import apply_overrides, settings_from_mapping, settings_to_dict
from evaluation.questions import InputFileError, Question, load_questions, with_gold_passages
from evaluation.report import (
    faithfulness_warning,
    format_compare,
    format_failures,
    format_summary,
    format_sweep,
    settings_lines,
)
from evaluation.runner import Progress, Record, run_questions
from evaluation.scoring import Verdict, judge, summarise, sweep
from evaluation.squad import read_squad
from evaluation.trec import RUN_TAG, qrels_lines, run_lines, write_lines

ROOT = Path(__file__).resolve().parent
DEFAULT_QUESTIONS = ROOT / "questions" / "dev.yaml"
# One worker per core, up to 4: the engine, not the evaluation, is what takes the time.
DEFAULT_JOBS = min(os.cpu_count() or 1, 4)


@dataclass(frozen=True, slots=True)
class Run:
    """One configuration's results: what came back per question, the verdicts and the metrics."""

    label: str  # "" for a single run; the settings file's name under --compare
    settings: Settings
    corpus: str
    passages: int
    records: list[Record]
    verdicts: list[Verdict]
    metrics: dict
    sweep: dict | None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0, or 2 when an input file or option is bad."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on bad options (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return _run(args)
    except (AssistantError, InputFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="evaluate.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument(
        "--questions", metavar="FILE", help="question file (YAML; default: questions/dev.yaml)"
    )
    source.add_argument(
        "--squad", metavar="FILE", help="SQuAD v2.0 JSON: each article a document, each paragraph a passage"
    )
    p.add_argument("--corpus", metavar="DIR", help="folder of documents (default: the config's corpus.path)")
    p.add_argument(
        "--config", metavar="FILE", help="YAML settings file (default: $ASSISTANT_CONFIG or ./config.yaml)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting, e.g. retrieval.stemmer=none (repeatable)",
    )
    p.add_argument(
        "--compare",
        nargs="+",
        metavar="YAML",
        help="run each settings file (applied over --config/--set) and print them side by side",
    )
    p.add_argument(
        "--sweep",
        action="store_true",
        help="print accuracy, NoAns accuracy and coverage at each not-found threshold",
    )
    p.add_argument(
        "--failures", action="store_true", help="print every failed question, what came back and why"
    )
    p.add_argument(
        "--json", metavar="OUT", help="write every metric and, per question, the answer object and verdict"
    )
    p.add_argument(
        "--trec-run", metavar="OUT", help="write the top-10 passages per question as a TREC run file"
    )
    p.add_argument("--qrels", metavar="OUT", help="write the gold passages as a TREC qrels file")
    p.add_argument("--limit", type=int, metavar="N", help="evaluate only the first N questions")
    p.add_argument(
        "--jobs",
        type=int,
        default=DEFAULT_JOBS,
        metavar="N",
        help=f"share the questions among N forked processes (same results, sooner; default {DEFAULT_JOBS})",
    )
    return p


def _run(args: argparse.Namespace) -> int:
    for out in (args.json, args.trec_run, args.qrels):
        if out and not Path(out).resolve().parent.is_dir():
            raise InputFileError(f"Cannot write {out}: its folder does not exist")
    if args.limit is not None and args.limit < 1:
        raise InputFileError("--limit must be at least 1")
    if args.jobs < 1:
        raise InputFileError("--jobs must be at least 1")
    base = apply_overrides(load_settings(args.config), args.set)
    configs = [("", base)] if not args.compare else _compare_configs(args.compare, base)
    if args.squad:
        if args.corpus:
            raise InputFileError("--squad brings its own documents: leave out --corpus")
        squad = read_squad(args.squad)
        questions, source = squad.questions, f"SQuAD file {args.squad}"

        def build(settings: Settings) -> tuple[Assistant, str]:
            return Assistant(squad.documents, settings), f"{len(squad.documents)} SQuAD articles"
    else:
        path = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
        questions, source = load_questions(path), f"question file {path}"

        def build(settings: Settings) -> tuple[Assistant, str]:
            corpus = args.corpus or settings.corpus.path
            assistant = Assistant.from_directory(corpus, settings)
            return assistant, f"{corpus} ({len(assistant.documents)} document(s))"

    questions = questions[: args.limit] if args.limit else questions
    runs = [_evaluate(label, settings, *build(settings), questions, args) for label, settings in configs]
    _print_report(args, source, runs)
    _write_outputs(args, source, runs)
    return 0


def _compare_configs(paths: list[str], base: Settings) -> list[tuple[str, Settings]]:
    labels = [Path(p).stem for p in paths]
    if len(set(labels)) < len(labels):
        labels = list(paths)
    configs = []
    for label, path in zip(labels, paths, strict=True):
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputFileError(f"Cannot read settings file {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise InputFileError(
                f"Settings file {path} must be a mapping of sections (corpus, retrieval, answer, web)"
            )
        configs.append((label, settings_from_mapping(data, base=base, origin=str(path))))
    return configs


def _evaluate(
    label: str,
    settings: Settings,
    assistant: Assistant,
    corpus: str,
    questions: list[Question],
    args: argparse.Namespace,
) -> Run:
    """Run the questions through one assistant and return its records, verdicts and metrics."""
    for q in questions:
        unknown = [d for d in q.documents or () if d not in assistant.documents]
        if unknown:
            raise InputFileError(f"Question '{q.qid}' names unknown document(s): {', '.join(unknown)}")
    passages = {p.passage_id: (p.doc_id, p.text) for d in assistant.documents.values() for p in d.passages}
    questions = with_gold_passages(questions, passages)
    progress = Progress(len(questions), label=f"questions ({label})" if label else "questions")
    records = run_questions(assistant, questions, progress, jobs=args.jobs)
    verdicts = [judge(r.question, r.status, r.quote) for r in records]
    return Run(
        label=label,
        settings=settings,
        corpus=corpus,
        passages=len(passages),
        records=records,
        verdicts=verdicts,
        metrics=summarise(records, verdicts),
        sweep=sweep(records, _threshold(records)) if args.sweep else None,
    )


def _threshold(records: list[Record]) -> float | None:
    """Return the not-found threshold the engine reports in its answers' evidence (None if none does)."""
    return next((r.threshold for r in records if r.threshold is not None), None)


def _print_report(args: argparse.Namespace, source: str, runs: list[Run]) -> None:
    first = runs[0]
    print(f"Questions: {source}, {len(first.records)} questions")
    print(f"Corpus: {first.corpus}, {first.passages} passages")
    for run in runs:
        print(f"Settings used{f' ({run.label})' if run.label else ''}:")
        print("\n".join(settings_lines(run.settings, _tokenizer())))
    print()
    if len(runs) == 1:
        print(format_summary(first.metrics))
    else:
        print(format_compare([r.label for r in runs], [r.metrics for r in runs]))
    for run in runs:
        title = f"[{run.label}] " if run.label else ""
        warning = faithfulness_warning(run.metrics)
        if warning:
            print(f"\n{title}{warning}")
            print(f"{title}{warning}", file=sys.stderr)
        if run.sweep is not None:
            print(f"\n{title}{format_sweep(run.sweep)}")
        if args.failures:
            print(f"\n{title}{format_failures(run.records, run.verdicts)}")


def _write_outputs(args: argparse.Namespace, source: str, runs: list[Run]) -> None:
    if args.json:
        data = [_run_json(run) for run in runs]
        report = {"source": source} | (data[0] if len(runs) == 1 else {"runs": data})
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.qrels:
        write_lines(args.qrels, qrels_lines(runs[0].records))
    if args.trec_run:
        out = Path(args.trec_run)
        for run in runs:
            tag = re.sub(r"[^\w.-]+", "_", run.label) or RUN_TAG
            path = out if len(runs) == 1 else out.with_name(f"{out.stem}-{tag}{out.suffix}")
            write_lines(path, run_lines(run.records, tag=tag))


def _run_json(run: Run) -> dict:
    data = {"label": run.label} if run.label else {}
    data |= {"corpus": run.corpus, "settings": settings_to_dict(run.settings), "tokenizer": _tokenizer()}
    data["metrics"] = run.metrics
    if run.sweep is not None:
        data["sweep"] = run.sweep
    data["questions"] = [_question_json(r, v) for r, v in zip(run.records, run.verdicts, strict=True)]
    return data


def _question_json(r: Record, v: Verdict) -> dict:
    q = r.question
    return {
        "id": q.qid,
        "kind": q.kind,
        "scope": q.scope,
        "question": q.question,
        "history": list(q.history),
        "documents": list(q.documents) if q.documents is not None else None,
        "gold_answers": list(q.answers),
        "gold_passages": sorted(q.gold_passages or ()),
        "answer": r.answer,
        "verdict": {"correct": v.correct, "f1": v.f1, "reason": v.reason, "unfaithful": list(r.unfaithful)},
        "ranking": [{"passage_id": pid, "score": score} for pid, score in r.ranking],
        "latency_ms": r.latency * 1000,
    }


def _tokenizer() -> str:
    # The tokenizer is fixed in code, not a setting; show its pattern so a run can be reproduced.
    from assistant.language import text

    pattern = getattr(getattr(text, "_WORD", None), "_pattern", None)
    return f"nltk RegexpTokenizer {pattern}" if pattern else "assistant.language.text.tokenize"


if __name__ == "__main__":
    sys.exit(main())
