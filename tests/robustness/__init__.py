"""Robustness tests: bad documents, hostile requests, start-up safety, properties and API fuzzing."""
