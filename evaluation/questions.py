"""Question sets: the YAML question file format, and which passages hold each question's gold answer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from .metrics import normalize_answer

KINDS = ("fact", "paraphrase", "follow-up", "not-in-document", "open-question")
# What the assistant should do with a question of each kind.
ANSWERABLE, UNANSWERABLE, OPEN = "answerable", "unanswerable", "open"
CATEGORY = {
    "fact": ANSWERABLE,
    "paraphrase": ANSWERABLE,
    "follow-up": ANSWERABLE,
    "not-in-document": UNANSWERABLE,
    "open-question": OPEN,
    # SQuAD 2.0 questions carry these two kinds.
    "answerable": ANSWERABLE,
    "unanswerable": UNANSWERABLE,
}
_KEYS = {"id", "kind", "question", "answers", "history", "scope", "documents"}


class InputFileError(Exception):
    """A question file or benchmark file cannot be read; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Question:
    qid: str
    kind: str
    question: str
    answers: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    # Ask only these documents (None: the whole corpus).
    documents: tuple[str, ...] | None = None
    scope: str = ""
    # Passage ids that hold a gold answer; None until `with_gold_passages` fills them in.
    gold_passages: frozenset[str] | None = None

    @property
    def category(self) -> str:
        return CATEGORY[self.kind]


def load_questions(path: str | Path) -> list[Question]:
    """Read a question file (a top-level `questions:` list) and check every item.

    Raises:
        InputFileError: the file is missing, not YAML, or an item is malformed (the message names it).
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputFileError(f"Cannot read question file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"Question file {path} is not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        raise InputFileError(f"Question file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise InputFileError(f"Question file {path} must hold a top-level 'questions:' list")
    questions: list[Question] = []
    seen: set[str] = set()
    for n, item in enumerate(data["questions"], 1):
        question = _parse_item(item, f"{path}: question {n}")
        if question.qid in seen:
            raise InputFileError(f"{path}: question {n}: id '{question.qid}' is used twice")
        seen.add(question.qid)
        questions.append(question)
    if not questions:
        raise InputFileError(f"Question file {path} holds no questions")
    return questions


def _parse_item(item, where: str) -> Question:
    if not isinstance(item, dict):
        raise InputFileError(f"{where}: must be a mapping with id, kind, question and answers")
    unknown = sorted(set(map(str, item)) - _KEYS)
    if unknown:
        raise InputFileError(
            f"{where}: unknown key(s) {', '.join(unknown)} (expected: {', '.join(sorted(_KEYS))})"
        )
    qid = item.get("id")
    if not isinstance(qid, str | int) or isinstance(qid, bool) or not str(qid).strip():
        raise InputFileError(f"{where}: needs an 'id' (text)")
    where = f"{where} ('{qid}')"
    kind = item.get("kind")
    if kind not in KINDS:
        raise InputFileError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    text = item.get("question")
    if not isinstance(text, str) or not text.strip():
        raise InputFileError(f"{where}: 'question' must be non-empty text")
    answers = _strings(item.get("answers"), "answers", where)
    if CATEGORY[kind] == UNANSWERABLE and answers:
        raise InputFileError(f"{where}: a {kind} question must not list answers")
    if CATEGORY[kind] != UNANSWERABLE and not any(normalize_answer(a) for a in answers):
        raise InputFileError(f"{where}: a {kind} question needs at least one gold answer under 'answers'")
    documents = item.get("documents")
    scope = item.get("scope", "")
    if not isinstance(scope, str):
        raise InputFileError(f"{where}: 'scope' must be text")
    return Question(
        qid=str(qid),
        kind=kind,
        question=text,
        answers=answers,
        history=_strings(item.get("history"), "history", where),
        documents=None if documents is None else _strings(documents, "documents", where),
        scope=scope,
    )


def _strings(value, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputFileError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def with_gold_passages(questions: list[Question], passages: dict[str, tuple[str, str]]) -> list[Question]:
    """Fill in each question's gold passages: those whose normalised text contains a normalised gold answer.

    Args:
        questions: questions whose `gold_passages` is None get it computed; others are kept.
        passages: passage id -> (document id, passage text) for the whole corpus.
    """
    normalised = {pid: (doc_id, normalize_answer(text)) for pid, (doc_id, text) in passages.items()}
    out = []
    for q in questions:
        if q.gold_passages is None:
            golds = [g for g in map(normalize_answer, q.answers) if g]
            gold = frozenset(
                pid
                for pid, (doc_id, text) in normalised.items()
                if (q.documents is None or doc_id in q.documents) and any(g in text for g in golds)
            )
            q = dataclasses.replace(q, gold_passages=gold)
        out.append(q)
    return out
