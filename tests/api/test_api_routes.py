"""Document, passage, health and OpenAPI routes; 404 and 405; security headers on every response."""

from __future__ import annotations

from urllib.parse import quote

import pytest


def test_documents_lists_id_title_author_and_passage_count(client, assistant, doc_id):
    body = client.get("/api/documents").get_json()
    [summary] = body["documents"]
    assert summary == {
        "document_id": doc_id,
        "title": assistant.document(doc_id).title,
        "author": "Jon Brown",
        "publisher": "NSPCC",
        "passage_count": len(assistant.document(doc_id).passages),
    }


def test_document_has_metadata_full_text_and_passage_offsets(client, assistant, doc_id):
    body = client.get(f"/api/documents/{doc_id}").get_json()
    doc = assistant.document(doc_id)
    assert body["text"] == doc.text
    assert body["metadata"]["author"] == "Jon Brown"
    assert len(body["passages"]) == len(doc.passages)
    for p in body["passages"]:
        assert body["text"][p["start"] : p["end"]] == p["text"]
        for s in p["sentences"]:
            assert p["start"] <= s["start"] < s["end"] <= p["end"]
    assert {e["role"] for e in body["excluded"]} >= {"title", "byline"}


def test_passage_by_id_with_the_hash_percent_encoded(client, assistant, doc_id):
    passage_id = f"{doc_id}#4"
    body = client.get("/api/passages/" + quote(passage_id, safe="")).get_json()
    assert body["passage_id"] == passage_id
    assert body["text"] == assistant.passage(passage_id).text
    assert body["title"] == assistant.document(doc_id).title
    assert body["locator"] == "paragraph 4"


@pytest.mark.parametrize(
    "url", ["/api/documents/no-such-doc", "/api/passages/no-such%23passage", "/api/nothing"]
)
def test_unknown_ids_and_routes_are_json_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "not_found"
    assert error["message"]


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.get_data(as_text=True)


def test_health(client, assistant):
    body = client.get("/healthz").get_json()
    assert body == {
        "status": "ok",
        "documents": len(assistant.documents),
        "passages": sum(len(d.passages) for d in assistant.documents.values()),
    }


@pytest.mark.parametrize(
    "url, method",
    [
        ("/api/documents", "post"),
        ("/api/documents/x", "delete"),
        ("/api/passages/x", "put"),
        ("/healthz", "post"),
        ("/api/openapi.json", "post"),
        ("/", "post"),
        ("/documents/x", "post"),
    ],
)
def test_wrong_method_is_a_405_with_allow(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    if url.startswith(("/api/", "/healthz")):
        assert response.get_json()["error"]["code"] == "method_not_allowed"


ROUTES = [
    ("get", "/"),
    ("get", "/documents/000_7a47272a2cc29dc3"),
    ("get", "/api/documents"),
    ("get", "/api/documents/000_7a47272a2cc29dc3"),
    ("get", "/api/passages/000_7a47272a2cc29dc3%231"),
    ("get", "/healthz"),
    ("get", "/api/openapi.json"),
    ("get", "/favicon.ico"),
    ("get", "/static/app.js"),
    ("get", "/static/app.css"),
    ("get", "/api/documents/missing"),
    ("get", "/missing"),
    ("get", "/api/ask"),
    ("post", "/api/ask"),
]


# Written out here, not imported from web/security.py, so that a header dropped or weakened there
# fails this test instead of being compared with itself.
EXPECTED_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@pytest.mark.parametrize("method, url", ROUTES)
def test_security_headers_on_every_response(client, method, url):
    with getattr(client, method)(
        url, json={"question": "What is COSA?"} if method == "post" else None
    ) as response:
        headers = response.headers
    got = {name: headers.get_all(name) for name in EXPECTED_SECURITY_HEADERS}
    assert got == {name: [value] for name, value in EXPECTED_SECURITY_HEADERS.items()}


def test_a_header_a_view_sets_itself_is_kept(app):
    # add_headers fills in only what a response lacks (setdefault), so a view may tighten one.
    from web.security import add_headers

    with app.test_request_context("/"):
        response = app.response_class("x", headers={"Referrer-Policy": "same-origin"})
        add_headers(response)
    assert response.headers.get_all("Referrer-Policy") == ["same-origin"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_openapi_describes_every_route(client, app):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {path for path in spec["paths"]}
    routes = {
        rule.rule.replace("<doc_id>", "{document_id}").replace("<passage_id>", "{passage_id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }
    assert routes == documented
    for path, item in spec["paths"].items():
        rule = next(
            r
            for r in app.url_map.iter_rules()
            if r.rule.replace("<doc_id>", "{document_id}").replace("<passage_id>", "{passage_id}") == path
        )
        assert {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}} == set(item), path


def test_openapi_references_resolve(client):
    spec = client.get("/api/openapi.json").get_json()

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(spec):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in spec["components"][section], ref


def test_openapi_request_limits_match_the_api(client):
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["AskRequest"]
    assert schema["required"] == ["question"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["question"]["maxLength"] == 1000
    assert schema["properties"]["history"]["maxItems"] == 20


def test_answer_matches_the_openapi_answer_schema(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    answer = client.post("/api/ask", json={"question": "What is MAPPA?"}).get_json()
    assert set(schemas["Answer"]["required"]) == set(answer)
    assert set(schemas["Citation"]["required"]) == set(answer["citations"][0])
    assert set(schemas["PassageRef"]["required"]) == set(answer["passages"][0])


@pytest.mark.parametrize("url, headers", [("/api", {}), ("/anything", {"Accept": "application/json"})])
def test_json_clients_get_json_404s(client, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
