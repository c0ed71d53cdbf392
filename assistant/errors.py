"""Exception hierarchy; every message is safe to show to a user."""


class AssistantError(Exception):
    """Base class: the message explains the problem in plain words."""


class ConfigError(AssistantError):
    """A configuration file or value is invalid."""


class CorpusError(AssistantError):
    """A document or its metadata cannot be loaded."""


class QueryError(AssistantError):
    """A question cannot be searched (empty, too long, nothing searchable)."""


class NotFoundError(AssistantError):
    """An unknown document or passage id was asked for."""
