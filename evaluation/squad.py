"""Read a SQuAD v2.0 JSON file: one document per article, one passage per paragraph, one question per qa."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import NamedTuple

from assistant import Document

from .questions import InputFileError, Question


class SquadSet(NamedTuple):
    documents: list[Document]
    questions: list[Question]


def read_squad(path: str | Path) -> SquadSet:
    """Read SQuAD v2.0: each question is asked of its own article, and its gold passage is its own paragraph.

    Answerable questions get kind "answerable" with their distinct answer texts; questions with
    `is_impossible: true` get kind "unanswerable" and no gold (their `plausible_answers` are ignored).
    Passage ids are `<article title>#<paragraph number from 1>`. A path ending `.gz` is read gzipped
    (SQuAD 2.0 train-10 in ../shared/datasets is shipped so).

    Raises:
        InputFileError: the file is missing, not JSON, or not in the SQuAD layout.
    """
    data = read_squad_json(path)
    try:
        return _convert(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputFileError(f"SQuAD file {path} is not in the SQuAD v2.0 layout ({exc!r})") from exc


def read_squad_json(path: str | Path) -> dict:
    """The SQuAD file's JSON as it is (gzipped where the path ends `.gz`), for tools that rewrite it.

    Raises:
        InputFileError: the file is missing or not JSON.
    """
    path = Path(path)
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        return json.loads(raw.decode("utf-8"))
    except (OSError, EOFError) as exc:  # EOFError, gzip.BadGzipFile: a damaged .gz
        reason = getattr(exc, "strerror", None) or exc
        raise InputFileError(f"Cannot read SQuAD file {path}: {reason}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"SQuAD file {path} is not valid JSON: {exc}") from exc


def _convert(data: dict) -> SquadSet:
    documents: list[Document] = []
    questions: list[Question] = []
    seen_docs: set[str] = set()
    seen_ids: set[str] = set()
    for n, article in enumerate(data["data"], 1):
        title = str(article.get("title") or f"article-{n}")
        # Ids go into TREC files, which split on white space.
        doc_id = "_".join(title.split())
        if doc_id in seen_docs:
            doc_id = f"{doc_id}-{n}"
        seen_docs.add(doc_id)
        paragraphs = article["paragraphs"]
        documents.append(
            Document.from_paragraphs(doc_id, [p["context"] for p in paragraphs], {"title": title})
        )
        for number, paragraph in enumerate(paragraphs, 1):
            for qa in paragraph["qas"]:
                qid = "_".join(str(qa["id"]).split())
                if qid in seen_ids:
                    raise KeyError(f"question id {qid} is used twice")
                seen_ids.add(qid)
                impossible = bool(qa.get("is_impossible", False))
                answers = () if impossible else tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                questions.append(
                    Question(
                        qid=qid,
                        kind="unanswerable" if impossible else "answerable",
                        question=qa["question"],
                        answers=answers,
                        documents=(doc_id,),
                        gold_passages=frozenset() if impossible else frozenset({f"{doc_id}#{number}"}),
                    )
                )
    if not documents:
        raise KeyError("no articles under 'data'")
    return SquadSet(documents, questions)
