"""Each hand rule's contribution: the engine with one rule switched off, on the tuning and the report sets.

A hand rule here is a decision written by hand in the pipeline, not a weight fitted by a model: a
question rewrite, a special answer, a veto. Each is switched off by replacing its function with the
neutral one (the question as it is, no special answer, no veto), one at a time, and every set is asked
again. The table gives, per set, the right answers with the rule on (the engine as it is) and the change
when it is off: a rule pays where switching it off loses answers.

    python tools/ablate_rules.py                     # every rule, every set (about half an hour)
    python tools/ablate_rules.py --rules respell --sets dev heldout

Tuning sets (dev, the blind -tune sets, SQuAD half A) may guide what is removed; the report sets
(held-out, the blind -report sets, SQuAD half B) are reported, never tuned on. SQuAD 2.0 train-10
(`--sets train10`), which no rule was written from, is the widest check. The encoder's default use only
ranks the passages shown beside "not found" and changes no answer, so it is off here (faster).
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, load_settings, pipeline  # noqa: E402
from assistant.config import apply_overrides  # noqa: E402
from assistant.language.phrasal_verbs import PhrasalVerbs  # noqa: E402
from evaluation.questions import load_questions, with_gold_passages  # noqa: E402
from evaluation.runner import run_questions  # noqa: E402
from evaluation.scoring import judge, summarise  # noqa: E402
from evaluation.squad import read_squad  # noqa: E402

BLIND = ROOT / "questions" / "blind"
TRAIN10 = ROOT.parent / "shared" / "datasets" / "squad2-train-10.json.gz"
# name -> (role, kind, question file, corpus folder)
SETS = {
    "dev": ("tune", "questions", ROOT / "questions/dev.yaml", ROOT / "corpus"),
    "blind-tune": ("tune", "blind", "tune", None),
    "squad-A": ("tune", "squad", ROOT / "benchmarks/squad/squad2-dev-16-A.json", None),
    "train10": ("tune", "squad", TRAIN10, None),
    "heldout": ("report", "questions", ROOT / "questions/heldout.yaml", ROOT / "corpus"),
    "blind-report": ("report", "blind", "report", None),
    "squad-B": ("report", "squad", ROOT / "benchmarks/squad/squad2-dev-16-B.json", None),
}
DEFAULT_SETS = ("dev", "blind-tune", "squad-A", "heldout", "blind-report", "squad-B")
BLIND_CORPORA = {
    "000_7a47272a2cc29dc3": ROOT / "corpus",
    "escalation": ROOT / "tests/data/corpus",
    "faq": ROOT / "tests/data/fostering",
    "lado": ROOT / "tests/data/allegations",
}


def _same(self, question, *_args, **_kwargs):
    return question


# name -> (what the rule does, [(object, attribute, neutral replacement)])
RULES = {
    "open-question": (
        "a question the document asks and leaves open is quoted as such (status open_question)",
        [(pipeline, "_leaves_open", lambda *a: False)],
    ),
    "misses-what-is-asked": (
        "veto: a count, phone number, expansion or ranking asked for and absent from the quote",
        [(pipeline, "_misses_what_is_asked", lambda *a: False)],
    ),
    "next-step": (
        '"What next?" quotes what follows the last answer',
        [(pipeline.Assistant, "_next_step", lambda *a: None)],
    ),
    "about-document": (
        '"Who wrote this?" answered from the byline or metadata',
        [(pipeline.Assistant, "_about_document", lambda *a: None)],
    ),
    "respell": (
        "unknown words corrected to a corpus word one edit away",
        [(pipeline.Assistant, "_respell", _same)],
    ),
    "spell-out": (
        '"What does X stand for?" searches the acronym with its long form',
        [(pipeline.Assistant, "_spell_out", lambda *a: None)],
    ),
    "acronym-query": (
        "an acronym added to the search when the question spells it out",
        [(pipeline.Assistant, "_acronyms_of", lambda *a: [])],
    ),
    "rarity-fallback": (
        "on a small corpus where BM25 scores all 0, passages ranked by the rarity of the words they hold",
        [(pipeline.Assistant, "_rarity_fallback", lambda *a: [])],
    ),
    "query-rewrites": (
        '"how many" -> "how", meta words ("the author says") and time limits dropped from the search',
        [
            (pipeline, "_HOW_OPERATOR", mock.Mock(sub=lambda _r, s: s)),
            (pipeline, "_META", mock.Mock(sub=lambda _r, s: s)),
            (pipeline, "TIME_LIMIT", mock.Mock(sub=lambda _r, s: s)),
        ],
    ),
    "phrasal-verbs": (
        'phrasal verbs rewritten to the corpus word ("find out" -> "discover")',
        [(PhrasalVerbs, "rewrite", lambda self, question, _in_corpus: question)],
    ),
    "preamble": (
        "a case description before the question read as an earlier turn",
        [(pipeline, "_split_preamble", lambda q, turns, _a: (q, turns))],
    ),
    "recall-listing": (
        '"the first one" after a turn sent without its answer: that turn answered again',
        [(pipeline.Assistant, "_recall_listing", lambda self, q, turns, d: turns)],
    ),
}


def _load(name: str, settings) -> list[tuple[Assistant, list]]:
    """The (assistant, questions) pairs of one set."""
    _role, kind, source, corpus = SETS[name]
    if kind == "squad":
        squad = read_squad(source)
        pairs = [(Assistant(squad.documents, settings), squad.questions)]
    elif kind == "questions":
        pairs = [(Assistant.from_directory(corpus, settings), load_questions(source))]
    else:
        pairs = [
            (Assistant.from_directory(folder, settings), load_questions(BLIND / f"{doc}-{source}.yaml"))
            for doc, folder in BLIND_CORPORA.items()
        ]
    out = []
    for assistant, questions in pairs:
        passages = {
            p.passage_id: (p.doc_id, p.text) for d in assistant.documents.values() for p in d.passages
        }
        out.append((assistant, with_gold_passages(questions, passages)))
    return out


def _score(pairs, jobs: int) -> dict:
    """Right answers over all the set's questions, and SQuAD's overall / HasAns / NoAns shares."""
    records, verdicts = [], []
    for assistant, questions in pairs:
        rs = run_questions(assistant, questions, jobs=jobs)
        records += rs
        verdicts += [judge(r.question, r.status, r.quote) for r in rs]
    a = summarise(records, verdicts)["answers"]
    return {
        "right": sum(v.correct for v in verdicts),
        "of": len(verdicts),
        "hasans": a["hasans"]["count"],
        "noans": a["noans"]["count"],
    }


def _switch_off(rule: str, stack: ExitStack) -> None:
    for obj, attr, neutral in RULES[rule][1]:
        stack.enter_context(mock.patch.object(obj, attr, neutral))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rules", nargs="*", choices=sorted(RULES), default=list(RULES))
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=list(DEFAULT_SETS))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    settings = apply_overrides(load_settings(), ["answer.semantic=false"])
    started = time.perf_counter()
    sets = {name: _load(name, settings) for name in args.sets}
    base = {name: _score(pairs, args.jobs) for name, pairs in sets.items()}
    header = ["rule"] + [f"{n} ({SETS[n][0]})" for n in args.sets]
    rows = [["engine as it is"] + [f"{b['right']}/{b['of']}" for b in base.values()]]
    for rule in args.rules:
        with ExitStack() as stack:
            _switch_off(rule, stack)
            off = {name: _score(pairs, args.jobs) for name, pairs in sets.items()}
        rows.append([f"{rule} off"] + [_delta(base[n], off[n]) for n in args.sets])
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for rule in args.rules:
        print(f"- {rule}: {RULES[rule][0]}")
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


def _delta(on: dict, off: dict) -> str:
    """Change in right answers when the rule is off (NoAns change in brackets when it differs)."""
    d = off["right"] - on["right"]
    noans = off["noans"] - on["noans"]
    text = f"{d:+d}" if d else "0"
    if noans and noans != d:
        text += f" (NoAns {noans:+d})"
    return text


if __name__ == "__main__":
    raise SystemExit(main())
