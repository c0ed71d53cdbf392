"""Record, per question, every candidate sentence's features (the encoder's cosine among them).

    python tools/semantic_traces.py OUT.pkl squad.json[.gz] [--questions q.yaml --corpus DIR] [--set k=v]

For each question: whether it is answerable, and for each sentence of the candidate passages the
features choose() weighs, whether it could answer (not a question sentence, of the asked type) and
whether it holds a gold answer. tools/fit_semantic.py fits on these; nothing here decides anything.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import Assistant, Document, pipeline  # noqa: E402
from assistant.answer.kinds import needs_typed_answer  # noqa: E402
from assistant.config import Settings, apply_overrides  # noqa: E402
from evaluation.metrics import normalize_answer  # noqa: E402
from evaluation.squad import read_squad  # noqa: E402

_TRACE: list = []


def _traced_choose(original):
    def choose(*args, **kwargs):
        _TRACE.clear()
        kwargs["trace"] = _TRACE
        return original(*args, **kwargs)

    return choose


def squad_items(path: Path) -> tuple[list[Document], list[dict]]:
    squad = read_squad(path)
    items = [
        {
            "question": q.question,
            "answers": list(q.answers),
            "documents": list(q.documents),
            "document": q.documents[0] if q.documents else "",
        }
        for q in squad.questions
    ]
    return squad.documents, items


def record(assistant: Assistant, items: list[dict], source: str) -> list[dict]:
    rows = []
    for item in items:
        _TRACE.clear()
        answer = assistant.ask(item["question"], item.get("history", []), documents=item.get("documents"))
        golds = [normalize_answer(g) for g in item.get("answers") or [] if normalize_answer(g)]
        typed = needs_typed_answer(answer.resolved_question)
        sentences, texts = [], []
        for cand, f in _TRACE:
            text = assistant.document(cand.passage.doc_id).text[cand.start : cand.end]
            norm = normalize_answer(text)
            eligible = not cand.is_question and not (typed and f.get("type_missing"))
            sentences.append((dict(f), eligible, any(g in norm for g in golds)))
            texts.append(text)
        features = answer.evidence.get("features")
        hit = bool(golds) and any(g in normalize_answer(answer.candidate_text) for g in golds)
        rows.append(
            {
                "source": source,
                "question": answer.resolved_question,
                "document": item.get("document", ""),
                "texts": texts,
                "kind": item.get("kind", "answerable" if golds else "unanswerable"),
                "answerable": bool(golds),
                "sentences": sentences,
                "features": features,
                "hit": hit,
                "status": answer.status,
                "special": sorted(
                    k for k in answer.evidence if k not in ("confidence", "threshold", "features")
                ),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("squad", type=Path, nargs="*")
    parser.add_argument("--questions", type=Path, action="append", default=[])
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--step", type=int, default=1, help="use every Nth question of each SQuAD file")
    args = parser.parse_args(argv)
    settings = apply_overrides(Settings(), args.set)
    pipeline.choose = _traced_choose(pipeline.choose)
    rows = []
    for path in args.squad:
        docs, items = squad_items(path)
        items = items[:: args.step]
        rows += record(Assistant(docs, settings), items, path.name)
        print(f"{path}: {len(items)} questions", file=sys.stderr)
    for path in args.questions:
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        assistant = Assistant.from_directory(args.corpus, settings)
        rows += record(assistant, items, path.name)
    args.out.write_bytes(pickle.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
