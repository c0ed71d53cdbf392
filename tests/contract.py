"""The answer object's contract (issue 2), in one place for the library, CLI and API tests."""

from __future__ import annotations

# The keys plus what we added: `message` (the fixed framing) and `evidence` (why this status).
ANSWER_KEYS = frozenset(
    {"question", "resolved_question", "status", "answer", "citations", "passages", "message", "evidence"}
)
# The keys; citations also carry publisher, section and source.
CITATION_KEYS = frozenset(
    {"quote", "passage_id", "document_id", "title", "author", "locator", "start", "end", "score"}
)
PASSAGE_KEYS = frozenset({"passage_id", "text", "score", "locator"})
STATUSES = frozenset({"answered", "not_found", "open_question"})
