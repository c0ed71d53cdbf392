"""Split squad2-dev-16.json into two fixed halves by article, for honest measurement.

    python tools/split_squad.py ../shared/benchmarks/squad2-dev-16.json [--out benchmarks/squad]

Half A (articles 1, 3, 5, ... in file order) is for tuning and training; half B (articles 2, 4, 6, ...)
is for reporting only: nothing is fitted, calibrated or chosen on it. The split is by article, so no
paragraph of a reported article is ever seen in training. Writes squad2-dev-16-A.json and
squad2-dev-16-B.json in the standard SQuAD v2.0 layout and prints each half's articles and counts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

SOURCE_SHA256 = "e67e5969b6dc6c1642154740806b79263b77fc048c7c11ee60d534eb48ef81e8"


def split(data: dict) -> dict[str, dict]:
    """Return {"A": ..., "B": ...}: alternate articles in file order, A first."""
    articles = data["data"]
    return {
        half: {"version": data.get("version", "v2.0"), "data": articles[start::2]}
        for half, start in (("A", 0), ("B", 1))
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/squad"))
    args = parser.parse_args(argv)
    raw = args.source.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256:
        parser.error(f"{args.source}: sha256 {digest} is not the squad2-dev-16.json this split is defined on")
    args.out.mkdir(parents=True, exist_ok=True)
    for half, part in split(json.loads(raw)).items():
        path = args.out / f"squad2-dev-16-{half}.json"
        path.write_text(json.dumps(part, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        qas = [q for a in part["data"] for p in a["paragraphs"] for q in p["qas"]]
        impossible = sum(q.get("is_impossible", False) for q in qas)
        titles = ", ".join(a["title"] for a in part["data"])
        counts = f"{len(part['data'])} articles, {len(qas)} questions ({impossible} unanswerable)"
        print(f"{path}: {counts}: {titles}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
