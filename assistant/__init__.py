"""Grounded question answering: quote the documents, cite where, say when they do not answer."""

import os

# Each question multiplies a few tiny matrices; a BLAS thread pool only spins and steals the cores
# (measured on the bundled corpus: median 45 ms per question with the default pool, 4 ms with one
# thread). Set before numpy loads; a caller who imported numpy first keeps its own setting.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from .answer.objects import Answer, Citation, PassageRef  # noqa: E402
from .config import Settings, load_settings  # noqa: E402
from .errors import AssistantError, ConfigError, CorpusError, NotFoundError, QueryError  # noqa: E402
from .ingest.corpus import load_corpus  # noqa: E402
from .ingest.document import Document, Passage  # noqa: E402
from .pipeline import Assistant  # noqa: E402

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
