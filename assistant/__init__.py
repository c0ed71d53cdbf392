"""Grounded question answering: quote the documents, cite where, say when they do not answer."""

from .answer import Answer, Citation, PassageRef
from .config import Settings, load_settings
from .corpus import Document, Passage, load_corpus
from .errors import AssistantError, ConfigError, CorpusError, NotFoundError, QueryError
from .pipeline import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "ConfigError",
    "CorpusError",
    "Document",
    "NotFoundError",
    "Passage",
    "PassageRef",
    "QueryError",
    "Settings",
    "load_corpus",
    "load_settings",
]
