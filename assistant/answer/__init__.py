"""Answering: resolve follow-ups, pick candidate sentences, weigh the evidence, decide and quote.

The answer object (Answer, Citation, PassageRef) is re-exported here and from `assistant`.
"""

from .objects import Answer, Citation, PassageRef

__all__ = ["Answer", "Citation", "PassageRef"]
