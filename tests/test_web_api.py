"""The JSON API: institutions, services, needs, one error shape, OpenAPI, CORS."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import jsonschema
import pytest

from wiqnet.datafile.load import load_directory
from wiqnet.needs import need_keys
from wiqnet.stats import compute_stats
from wiqnet.web import create_app
from wiqnet.web.api import openapi_document


def error_of(response: Any) -> dict[str, Any]:
    """Return the error object of a JSON error response, checking its shape."""
    assert response.content_type == "application/json"
    body = response.get_json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == response.status_code
    error: dict[str, Any] = body["error"]
    return error


def test_institutions_lists_all_in_file_order(client: Any) -> None:
    body = client.get("/api/institutions").get_json()
    assert body["count"] == 5
    assert [i["id"] for i in body["institutions"]] == [
        "wiq", "fabrik-heeder", "jobcenter", "kita-st-stephan", "hilfetelefon-gewalt"]
    wiq = body["institutions"][0]
    assert wiq["quarter"] == "stephanplatz"
    assert wiq["address"] == {"street": "Virchowstraße 130a", "postcode": "47805",
                              "city": "Krefeld"}
    assert wiq["location"] == {"lat": 51.322848, "lon": 6.5723, "approximate": False,
                               "method": None}


@pytest.mark.parametrize("query, ids", [
    ("?need=schutz", ["hilfetelefon-gewalt"]),
    ("?quarter=stephanplatz", ["wiq", "fabrik-heeder", "kita-st-stephan"]),
    ("?need=arbeit&quarter=stephanplatz", ["wiq"]),
])
def test_institutions_filter(client: Any, query: str, ids: list[str]) -> None:
    body = client.get(f"/api/institutions{query}").get_json()
    assert [i["id"] for i in body["institutions"]] == ids
    assert body["count"] == len(ids)


def test_institution_detail_has_services_source_and_links(client: Any) -> None:
    body = client.get("/api/institutions/wiq").get_json()
    assert body["sources"] == [{"file": "krefeld-facts.md", "title": "Pressemitteilung Stadt Krefeld",
                                "date": "2021-04-13"}]
    assert body["verified"] == "2021-04-13"
    assert body["contact"] == {"phone": "02151 86 34 72", "email": "wiq@krefeld.de",
                               "website": None}
    assert [s["id"] for s in body["services"]] == ["wiq-fallmanagement"]
    assert body["links"] == [{"from": "wiq", "to": "jobcenter", "kind": "vermittlung",
                              "note": None, "since": None, "until": None,
                              "sources": [{"file": "krefeld-facts.md",
                                           "title": "Pressemitteilung Stadt Krefeld",
                                           "date": "2021-04-13"}]}]


def test_services_filter_by_need(client: Any) -> None:
    body = client.get("/api/services?need=arbeit").get_json()
    assert [s["id"] for s in body["services"]] == ["wiq-fallmanagement", "jobcenter-buergergeld"]
    assert client.get("/api/services").get_json()["count"] == 5


def test_service_detail(client: Any) -> None:
    body = client.get("/api/services/hilfetelefon-gewalt-beratung").get_json()
    assert body["institution_id"] == "hilfetelefon-gewalt"
    assert body["needs"] == ["schutz"]
    assert body["access"] == ["phone"]


def test_needs_lists_the_17_categories_with_counts(client: Any) -> None:
    body = client.get("/api/needs").get_json()
    assert body["count"] == 17
    assert [n["key"] for n in body["needs"]] == list(need_keys())
    arbeit = next(n for n in body["needs"] if n["key"] == "arbeit")
    assert arbeit == {"key": "arbeit", "de": "Arbeit und Beruf", "en": "Work and career",
                      "services": 2}


@pytest.mark.parametrize("path, status, code, message", [
    ("/api/institutions/nope", 404, "not_found", "Keine Einrichtung mit der Kennung „nope“."),
    ("/api/services/nope", 404, "not_found", "Kein Angebot mit der Kennung „nope“."),
    ("/api/nothing-here", 404, "not_found", "Diese Seite gibt es nicht."),
    ("/api/services?need=raketen", 400, "bad_request",
     "Unbekanntes Anliegen „raketen“; gültig sind: " + ", ".join(need_keys())),
    ("/api/institutions?quarter=mond", 400, "bad_request",
     "Unbekanntes Quartier „mond“; gültig sind: hardenbergviertel, stephanplatz"),
])
def test_errors_have_one_json_shape(client: Any, path: str, status: int, code: str,
                                    message: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert error_of(response) == {"status": status, "code": code, "message": message}


def test_method_not_allowed_is_json_with_allow_header(client: Any) -> None:
    response = client.post("/api/needs")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_unexpected_error_is_json_without_traceback(app: Any) -> None:
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/boom", "boom", boom)
    response = app.test_client().get("/api/boom")
    assert response.status_code == 500
    assert error_of(response) == {"status": 500, "code": "internal_error",
                                  "message": "Ein interner Fehler ist aufgetreten."}
    assert b"secret internals" not in response.data


def test_errors_are_in_english_when_switched(client: Any) -> None:
    response = client.get("/api/services/nope?lang=en")
    assert error_of(response)["message"] == "No service with the id “nope”."


def _api_paths(app: Any) -> set[str]:
    return {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}


def test_every_api_route_is_documented_and_every_documented_path_exists(app: Any) -> None:
    documented = set(openapi_document()["paths"])
    assert _api_paths(app) == documented


def test_openapi_is_served(client: Any) -> None:
    body = client.get("/api/openapi.json").get_json()
    assert body["openapi"].startswith("3.")
    assert body == openapi_document()


def _json_schema(node: Any) -> Any:
    """Turn OpenAPI 3.0 schema dialect (nullable, $ref to components) into JSON Schema."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "example")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.mark.parametrize("path, url", [
    ("/api/institutions", "/api/institutions"),
    ("/api/institutions/{inst_id}", "/api/institutions/wiq"),
    ("/api/services", "/api/services"),
    ("/api/services/{service_id}", "/api/services/wiq-fallmanagement"),
    ("/api/needs", "/api/needs"),
    ("/api/institutions/{inst_id}", "/api/institutions/nope"),
    ("/api/services", "/api/services?need=raketen"),
])
def test_responses_match_the_openapi_schemas(client: Any, path: str, url: str) -> None:
    document = openapi_document()
    response = client.get(url)
    spec = document["paths"][path]["get"]["responses"][str(response.status_code)]
    if "$ref" in spec:
        spec = document["components"]["responses"][spec["$ref"].rsplit("/", 1)[1]]
    schema = _json_schema(spec["content"]["application/json"]["schema"])
    schema["$defs"] = _json_schema(document["components"]["schemas"])
    jsonschema.validate(response.get_json(), schema)


def test_cors_is_off_by_default(client: Any) -> None:
    response = client.get("/api/needs", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_allows_only_configured_origins(data_path: Any) -> None:
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none",
                      "CORS_ORIGINS": "https://partner.example, https://other.example"})
    client = app.test_client()
    allowed = client.get("/api/needs", headers={"Origin": "https://partner.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Origin" in allowed.headers["Vary"]
    denied = client.get("/api/needs", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    page = client.get("/", headers={"Origin": "https://partner.example"})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_api_needs_counts_only_active_services_like_the_start_page_and_stats(
        directory_yaml: Any, small_data: dict[str, Any]) -> None:
    small_data["institutions"][0]["services"][0]["status"] = "inactive"
    small_data["institutions"][2]["status"] = "inactive"
    path = directory_yaml(small_data)
    app = create_app({"TESTING": True, "DATA": str(path), "TILES": "none", "SECRET_KEY": "t"})
    body = app.test_client().get("/api/needs").get_json()
    stats = compute_stats(load_directory(path), date(2026, 12, 1))
    assert {n["key"]: n["services"] for n in body["needs"]} == {
        n.key: n.services for n in stats.by_need}
