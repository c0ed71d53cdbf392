"""Fixtures for the API tests: one app around the shared bundled-corpus assistant, and its client."""

from __future__ import annotations

import pytest

from web import create_app


@pytest.fixture
def app(assistant):
    """A fresh app per test; the assistant (and its index) is built once per run."""
    return create_app({"TESTING": True}, assistant=assistant)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ask(client):
    """POST a JSON body to /api/ask and return the response."""

    def post(body=None, **kwargs):
        return client.post("/api/ask", json=body, **kwargs)

    return post


@pytest.fixture
def doc_id(assistant) -> str:
    """The id of the bundled document."""
    return next(iter(assistant.documents))
