"""Settings with defaults in code, optionally overridden from one YAML file."""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ConfigError

CONFIG_ENV = "ASSISTANT_CONFIG"
DEFAULT_CONFIG = Path("config.yaml")


@dataclass(frozen=True, slots=True)
class CorpusSettings:
    path: str = "corpus"
    # What to do with a document that cannot be loaded: "error" refuses to start, "skip" logs and goes on.
    on_error: str = "error"
    boilerplate_file: str = ""


@dataclass(frozen=True, slots=True)
class RetrievalSettings:
    variant: str = "okapi"
    k1: float = 1.2
    b: float = 0.75
    epsilon: float = 0.25
    delta: float = 1.0
    stemmer: str = "porter"
    stopwords: bool = True
    top_k: int = 5
    backend: str = "auto"
    index_dir: str = ""


@dataclass(frozen=True, slots=True)
class AnswerSettings:
    # The not-found threshold: answer only when the confidence model gives at least this.
    min_confidence: float = 0.4
    # A question sentence of the document ("Key Questions") is cited when it matches better than any
    # answer and covers this share of the question: a third, as users reword the document's question
    # ("Does attachment play a part ...?" for "What is the role of attachment ...?").
    open_question_coverage: float = 0.33
    max_words: int = 70
    # A longer sentence is cut to the window of this many words that holds the most question terms.
    clip_words: int = 80
    # A sentence opening with "It"/"This" is quoted with the sentence before it if both fit in this.
    context_words: int = 40
    max_sentences: int = 2
    # Quote the runner-up sentence too when it scores within pair_margin of the best and both fit
    # in pair_words words (pair_margin 0 turns it off).
    pair_margin: float = 0.3
    pair_words: int = 50
    candidate_passages: int = 5
    passage_weight: float = 0.3
    type_bonus: float = 0.15
    novelty_penalty: float = 0.3
    bigram_bonus: float = 0.0
    # Near-synonym credit: cosine at or below synonym_low earns nothing, at synonym_high or above
    # earns synonym_credit (an exact match always earns 1). synonym_credit 0 turns it off.
    synonym_low: float = 0.45
    synonym_high: float = 0.8
    synonym_credit: float = 0.8
    # A question word absent from the corpus adds its closest corpus terms (cosine >= expand_min)
    # to the search.
    expand_min: float = 0.6
    expand_per_term: int = 2
    # Credit (0-1) a question word earns when it is in the heading of the sentence's section.
    heading_credit: float = 0.8
    # Credit (0-1) a lower-case question word earns from a sentence that has it only inside a name
    # ("support" in "Circles of Support and Accountability"); 1 turns the discount off.
    inner_name_credit: float = 0.5
    follow_ups: bool = True
    carried_weight: float = 0.35
    # Meaning as well as words: the shipped sentence encoder (assistant/models/README.md). With it,
    # the passages shown beside "not found" are ranked by meaning, the closest sentence marked.
    # false gives the lexical engine alone (no encoder loaded; for very large corpora).
    semantic: bool = True
    # The encoder also chooses and decides answers: its cosine weighs in each sentence's score and in
    # the confidence (refitted with it), its nearest sentences add passages, and a follow-up is also
    # answered on its own words. Off by default: on SQuAD half B it answered more (HasAns 0.754 ->
    # 0.809) but abstained less (NoAns 0.547 -> 0.513), and the held-out set fell 201 -> 195/241.
    semantic_answers: bool = False
    # The answer checker (a cross-encoder fine-tuned on SQuAD, assistant/language/checker.py) reads the
    # question with each of the best few sentences: its probability helps pick the best one and weighs
    # in the confidence (a model refitted with it). Off by default: on SQuAD half B it answered better
    # (0.638 -> 0.656, NoAns 0.525 -> 0.542), on the practitioner report sets worse (held-out
    # 200 -> 196/241, blind report sets 41 -> 37/95).
    checker: bool = False
    # It reads the best this many sentences; score + checker_weight x its probability picks among them.
    checker_candidates: int = 3
    checker_weight: float = 1.0
    # Sentences the encoder finds nearest the question add their passages to the candidates.
    semantic_sentences: int = 3
    # Above this many passages, sentence vectors are computed at query time for the passages a question
    # reads (cached), not stored for the whole corpus (about 0.8 KB a sentence), and the encoder adds
    # no passages of its own.
    semantic_max_passages: int = 5_000
    # A follow-up is answered on its own words when that is this much more confident than with the
    # earlier turns' words, or when only it answers (semantic only).
    history_margin: float = 1.0


@dataclass(frozen=True, slots=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8
    title: str = "Safeguarding guidance assistant"
    notice: str = (
        "Answers are quoted from the documents listed. This tool does not replace professional "
        "judgement or local safeguarding procedures. If a child is in immediate danger, call 999."
    )
    starter_questions: tuple[str, ...] = (
        "Which treatment approaches are most effective?",
        "What does COSA stand for?",
        "What is MAPPA?",
        "What are the three factors that reduce sexual abuse?",
    )


@dataclass(frozen=True, slots=True)
class Settings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    web: WebSettings = field(default_factory=WebSettings)


CHOICES = {
    ("corpus", "on_error"): ("error", "skip"),
    ("retrieval", "variant"): ("okapi", "plus", "l"),
    ("retrieval", "stemmer"): ("porter", "snowball", "none"),
    ("retrieval", "backend"): ("auto", "rank_bm25", "sparse"),
}
# Bounds (inclusive; None: open) of values that would otherwise start a broken server: a port past
# 65535 wraps round to another port, and no threads means requests are queued and never answered.
RANGES = {
    ("web", "port"): (0, 65535),
    ("web", "threads"): (1, None),
    ("answer", "expand_per_term"): (0, None),
    ("answer", "checker_candidates"): (1, None),
    ("answer", "checker_weight"): (0, None),
}


def load_settings(path: str | Path | None = None) -> Settings:
    """Read settings from `path`, `$ASSISTANT_CONFIG` or ./config.yaml; defaults when none exists.

    Raises:
        ConfigError: the file is missing (when named explicitly), unreadable, not YAML,
            or has an unknown key or a value of the wrong type.
    """
    explicit = path is not None or CONFIG_ENV in os.environ
    path = Path(path if path is not None else os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))
    if not path.exists():
        if explicit:
            raise ConfigError(f"Config file not found: {path}")
        return Settings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Config file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must be a mapping of sections, got {type(data).__name__}")
    return settings_from_mapping(data, origin=str(path))


def settings_from_mapping(data: dict, *, base: Settings | None = None, origin: str = "config") -> Settings:
    """Build Settings from nested `{section: {key: value}}`, checking every key and type."""
    base = base or Settings()
    sections = {}
    for section, values in data.items():
        if section not in _section_types():
            raise ConfigError(
                f"{origin}: unknown section '{section}' (expected one of: {', '.join(_section_types())})"
            )
        if values is None:
            continue
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: section '{section}' must be a mapping of keys to values")
        current = getattr(base, section)
        changes = {}
        hints = typing.get_type_hints(type(current))
        for key, value in values.items():
            if key not in hints:
                known = ", ".join(f.name for f in dataclasses.fields(current))
                raise ConfigError(f"{origin}: unknown key '{section}.{key}' (expected one of: {known})")
            changes[key] = _coerce(f"{section}.{key}", value, hints[key], origin)
            choices = CHOICES.get((section, key))
            if choices and changes[key] not in choices:
                raise ConfigError(
                    f"{origin}: '{section}.{key}' must be one of {', '.join(choices)}, got {value!r}"
                )
            low, high = RANGES.get((section, key), (None, None))
            if (low is not None and changes[key] < low) or (high is not None and changes[key] > high):
                bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
                raise ConfigError(
                    f"{origin}: '{section}.{key}' must be {_type_name(hints[key])} {bound}, got {value!r}"
                )
        sections[section] = dataclasses.replace(current, **changes)
    return dataclasses.replace(base, **sections)


def apply_overrides(settings: Settings, overrides: list[str]) -> Settings:
    """Apply `section.key=value` strings (values parsed as YAML scalars), as in `--set`."""
    data: dict[str, dict] = {}
    for item in overrides:
        name, sep, raw = item.partition("=")
        section, dot, key = name.strip().partition(".")
        if not sep or not dot or not key:
            raise ConfigError(f"Override '{item}' must look like section.key=value")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError as exc:
            raise ConfigError(f"Override '{item}' has an unreadable value") from exc
        data.setdefault(section, {})[key] = value
    return settings_from_mapping(data, base=settings, origin="--set")


def settings_to_dict(settings: Settings) -> dict:
    """Return the settings as plain nested dicts (for printing and JSON reports)."""
    return dataclasses.asdict(settings)


def _section_types() -> dict[str, type]:
    return {f.name: f.default_factory for f in dataclasses.fields(Settings)}


def _coerce(name: str, value, hint, origin: str):
    expected = _type_name(hint)
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif typing.get_origin(hint) is tuple:
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
    raise ConfigError(f"{origin}: '{name}' must be {expected}, got {type(value).__name__} {value!r}")


def _type_name(hint) -> str:
    if typing.get_origin(hint) is tuple:
        return "a list of strings"
    if isinstance(hint, types.UnionType):
        return " or ".join(_type_name(h) for h in typing.get_args(hint))
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(hint, str(hint))
