"""Dump every answer object on the bundled question sets and the SQuAD halves, or compare two dumps.

A refactoring that must not change behaviour is checked by dumping before and after and comparing:

    python tools/compare_answers.py dump before.json --jobs 2
    ... change the code ...
    python tools/compare_answers.py dump after.json --jobs 2
    python tools/compare_answers.py compare before.json after.json

Each question is asked through the same code path evaluate.py uses (evaluation.runner.run_questions,
with the question's history and documents), and the answer object is kept as the public Assistant.ask
returns it (Answer.to_dict()), together with the top-10 passage ranking evaluate.py scores. Latencies are
left out: they differ from run to run. `compare` prints the number of identical answers per set and every
difference, and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, load_settings  # noqa: E402
from evaluation.questions import load_questions  # noqa: E402
from evaluation.runner import Progress, run_questions  # noqa: E402
from evaluation.squad import read_squad  # noqa: E402

# name -> (kind, path relative to the repository root)
SETS = {
    "dev": ("questions", "questions/dev.yaml"),
    "heldout": ("questions", "questions/heldout.yaml"),
    "squad-A": ("squad", "benchmarks/squad/squad2-dev-16-A.json"),
    "squad-B": ("squad", "benchmarks/squad/squad2-dev-16-B.json"),
}


def dump_set(name: str, jobs: int) -> dict[str, dict]:
    """Ask every question of one set; return {question id: {"answer": ..., "ranking": ...}}."""
    kind, rel = SETS[name]
    settings = load_settings()
    if kind == "squad":
        squad = read_squad(ROOT / rel)
        assistant, questions = Assistant(squad.documents, settings), squad.questions
    else:
        assistant = Assistant.from_directory(ROOT / settings.corpus.path, settings)
        questions = load_questions(ROOT / rel)
    records = run_questions(assistant, questions, Progress(len(questions), label=name), jobs=jobs)
    out: dict[str, dict] = {}
    for r in records:
        if r.question.qid in out:
            raise SystemExit(f"{name}: question id {r.question.qid!r} appears twice")
        out[r.question.qid] = {
            "answer": r.answer,
            "ranking": [[pid, score] for pid, score in r.ranking],
            "unfaithful": list(r.unfaithful),
        }
    return out


def compare(before: dict, after: dict, out=sys.stdout) -> int:
    """Print identical counts per set and every difference; return the number of differences."""
    differences = 0
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a is None or b is None:
            print(f"{name}: only in the {'second' if a is None else 'first'} dump", file=out)
            differences += 1
            continue
        same = 0
        for qid in sorted(set(a) | set(b)):
            if qid not in a or qid not in b:
                print(f"{name} {qid}: only in the {'second' if qid not in a else 'first'} dump", file=out)
                differences += 1
            elif a[qid] == b[qid]:
                same += 1
            else:
                differences += 1
                for key in sorted(set(a[qid]) | set(b[qid])):
                    for path, x, y in _diff(a[qid].get(key), b[qid].get(key), key):
                        print(f"{name} {qid} {path}:\n  before: {x!r}\n  after:  {y!r}", file=out)
        print(f"{name}: {same} of {len(set(a) | set(b))} identical", file=out)
    return differences


def _diff(x, y, path: str):
    """Yield (path, before, after) for each leaf where x and y differ."""
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y), key=str):
            yield from _diff(x.get(k), y.get(k), f"{path}.{k}")
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            yield from _diff(u, v, f"{path}[{i}]")
    elif x != y:
        yield path, x, y


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="ask every question and write the answer objects to OUT (JSON)")
    d.add_argument("out")
    d.add_argument("--jobs", type=int, default=1, help="forked processes per set (same answers, sooner)")
    d.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    c = sub.add_parser("compare", help="compare two dumps; exit 1 when any answer differs")
    c.add_argument("before")
    c.add_argument("after")
    args = p.parse_args(argv)
    if args.command == "dump":
        names = [n for n in args.sets.split(",") if n]
        unknown = [n for n in names if n not in SETS]
        if unknown:
            p.error(f"unknown set(s): {', '.join(unknown)}")
        data = {name: dump_set(name, args.jobs) for name in names}
        Path(args.out).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {sum(len(v) for v in data.values())} answers to {args.out}")
        return 0
    before = json.loads(Path(args.before).read_text("utf-8"))
    after = json.loads(Path(args.after).read_text("utf-8"))
    differences = compare(before, after)
    print(f"{differences} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
