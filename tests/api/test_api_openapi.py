"""The OpenAPI document is valid, its schemas match real responses, and the API accepts what it allows."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from web import create_app


@pytest.fixture(scope="module")
def api(assistant):
    """A test client shared by the module (hypothesis runs many examples through it)."""
    return create_app(assistant=assistant).test_client()


@pytest.fixture(scope="module")
def spec(api) -> dict:
    return api.get("/api/openapi.json").get_json()


@pytest.fixture(scope="module")
def conforms(spec):
    """Return a function telling whether an instance is valid for a named component schema."""
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT4))

    def check(name: str, instance: object) -> bool:
        validator = OAS30Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry)
        try:
            validator.validate(instance)
        except ValidationError:
            return False
        return True

    return check


def test_document_is_valid_openapi_3(spec):
    validate(spec)


PASSAGE_URL = "/api/passages/" + quote("000_7a47272a2cc29dc3#3", safe="")


@pytest.mark.parametrize(
    "method, path, url, body, schema",
    [
        (
            "post",
            "/api/ask",
            "/api/ask",
            {"question": "Which treatment approaches are most effective?"},
            "Answer",
        ),
        (
            "post",
            "/api/ask",
            "/api/ask",
            {"question": "Is it cost effective?", "history": ["What is COSA?"]},
            "Answer",
        ),
        ("post", "/api/ask", "/api/ask", {"question": "What is the capital of France?"}, "Answer"),
        ("post", "/api/ask", "/api/ask", {"question": "Who wrote this article?"}, "Answer"),
        ("post", "/api/ask", "/api/ask", {}, "Error"),
        ("post", "/api/ask", "/api/ask", {"question": "What is COSA?", "documents": ["nope"]}, "Error"),
        ("get", "/api/documents", "/api/documents", None, "DocumentList"),
        ("get", "/api/documents/{document_id}", "/api/documents/000_7a47272a2cc29dc3", None, "Document"),
        ("get", "/api/documents/{document_id}", "/api/documents/nope", None, "Error"),
        ("get", "/api/passages/{passage_id}", PASSAGE_URL, None, "PassageDetail"),
        ("get", "/api/passages/{passage_id}", "/api/passages/nope", None, "Error"),
        ("get", "/healthz", "/healthz", None, "Health"),
    ],
)
def test_responses_match_their_schema_and_status(api, spec, conforms, method, path, url, body, schema):
    response = getattr(api, method)(url, json=body)
    assert conforms(schema, response.get_json())
    assert str(response.status_code) in spec["paths"][path][method]["responses"]


def test_body_over_the_limit_is_a_documented_413(api, spec, conforms):
    response = api.post(
        "/api/ask", data='{"question": "' + "x" * 70_000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert "413" in spec["paths"]["/api/ask"]["post"]["responses"]
    assert conforms("Error", response.get_json())


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["What is COSA?", "", " ", "\u3000", "\x85", "\ufeff", "\x00", "a\x01", "x" * 1000, "x" * 1001]
)
turns = texts | st.fixed_dictionaries(
    {"question": texts}, optional={"answer": texts | st.none(), "resolved_question": texts | st.integers()}
)
values = st.none() | st.integers() | st.booleans() | texts
bodies = st.fixed_dictionaries(
    {},
    optional={
        "question": texts | values,
        "history": st.lists(turns, max_size=22) | values,
        "documents": st.just(["000_7a47272a2cc29dc3"])
        | st.just([])
        | st.lists(st.integers(), max_size=2)
        | values,
        "extra": values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies | values | st.lists(texts, max_size=2))
def test_api_accepts_exactly_the_bodies_the_schema_allows(api, conforms, body):
    response = api.post("/api/ask", json=body)
    if conforms("AskRequest", body):
        assert response.status_code == 200, response.get_json()
        assert conforms("Answer", response.get_json())
    else:
        assert response.status_code == 400
        assert conforms("Error", response.get_json())
