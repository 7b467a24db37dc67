"""The search API and the results page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiqnet.cli import main
from wiqnet.web.api import openapi_document


def test_api_returns_the_json_contract(client: Any) -> None:
    response = client.get("/api/search?q=Mietschulden&near=51.3228,6.5723&limit=2&include_home=1")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body["needs"]) == {"finanzen", "wohnen"}
    assert body["topics"] == ["raeumungsschutz"]
    assert list(body["results"][0]) == ["institution_id", "institution", "service_id", "service",
                                        "needs", "score", "distance_m", "why", "path",
                                        "languages", "topics", "group"]


def test_api_why_follows_the_ui_language(client: Any) -> None:
    body = client.get("/api/search?q=Kita&lang=en").get_json()
    assert body["results"][0]["why"][:2] == ["Topic: Day-care place", "Need: Childcare"]


@pytest.mark.parametrize(("query", "message"), [
    ("q=", "type what the family needs"),
    ("q=x&limit=abc", "„limit“ muss eine ganze Zahl sein, nicht „abc“"),
    ("q=x&need=geld", "'geld' is not a need category"),
    ("q=" + "x" * 10_000, "the query has 10000 characters"),
])
def test_api_bad_input_is_400_in_the_error_shape(client: Any, query: str, message: str) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert error["message"].startswith(message)


def test_api_unknown_origin_is_404(client: Any) -> None:
    response = client.get("/api/search?q=Schulden&from=nobody")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "no institution with id 'nobody'"


def test_openapi_documents_search() -> None:
    operation = openapi_document()["paths"]["/api/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "q", "need", "language", "near", "open_at", "audience", "limit", "from", "include_home"}


def test_page_shows_count_results_and_why(client: Any) -> None:
    response = client.get("/suche?q=Mietschulden&include_home=1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "1 Angebot gefunden" in html
    assert "Verstanden als: Wohnen, Geld und Schulden" in html
    assert "<li>Anliegen: Geld und Schulden</li>" in html
    assert "Sprache der Suchanfrage: Deutsch" in html
    assert 'href="/laufzettel/wiq-fallmanagement"' in html


def test_page_leaves_out_the_home_institution_unless_asked(client: Any) -> None:
    assert "1 Angebot gefunden" not in client.get("/suche?q=Mietschulden").get_data(as_text=True)
    named = client.get("/suche?q=WiQ").get_data(as_text=True)
    assert 'href="/laufzettel/wiq-fallmanagement"' in named


def test_page_filters_are_plain_form_controls(client: Any) -> None:
    html = client.get("/suche?q=Beratung&need=schutz&language=tr").get_data(as_text=True)
    assert '<form class="search" action="/suche" method="get"' in html
    assert '<option value="schutz" selected>Schutz und Krise</option>' in html
    assert '<option value="tr" selected>Türkisch</option>' in html
    for name in ("q", "near", "open_at", "audience"):
        assert f'name="{name}"' in html
    assert "<li>spricht Türkisch</li>" in html


def test_page_without_query_shows_the_form_and_a_hint(client: Any) -> None:
    response = client.get("/suche")
    assert response.status_code == 200
    assert "Beschreiben Sie das Anliegen in eigenen Worten" in response.get_data(as_text=True)


def test_page_empty_state_helps(client: Any) -> None:
    html = client.get("/suche?q=%F0%9F%99%82").get_data(as_text=True)
    assert "Kein passendes Angebot gefunden" in html
    assert "Die offene Sprechstunde von WiQ – Wir im Quartier hilft" in html
    assert '<a href="/suche?need=sozialberatung">Allgemeine Sozialberatung</a>' in html


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "שלום עולם",
])
def test_page_escapes_the_query(client: Any, query: str) -> None:
    response = client.get("/suche", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html


def test_page_bad_input_is_400_with_a_german_message(client: Any) -> None:
    response = client.get("/suche?q=x&need=geld")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Die Suche konnte so nicht ausgeführt werden." in html
    assert "„geld“ ist kein Anliegen." in html
    assert "not a need category" not in html


@pytest.mark.parametrize(("args", "notice"), [
    ("open_at=bald", "„bald“ bei „Geöffnet am“ konnte nicht gelesen werden"),
    ("near=Mondstra%C3%9Fe+99", "Den Ort „Mondstraße 99“ bei „In der Nähe von“ kennt die Suche"),
])
def test_page_unreadable_filters_are_ignored_with_a_german_notice(client: Any, args: str,
                                                                  notice: str) -> None:
    response = client.get(f"/suche?q=Kita&{args}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert notice in html
    assert "Kindertagesbetreuung" in html


def test_page_notice_follows_the_english_switch(client: Any) -> None:
    html = client.get("/suche?q=Kita&open_at=bald&lang=en").get_data(as_text=True)
    assert "“bald” in “Open at” could not be read and was ignored." in html


@pytest.mark.parametrize("value", ["15 Uhr", "morgen 10 Uhr", "Mo 9:30", "jetzt"])
def test_open_at_as_people_type_it(client: Any, value: str) -> None:
    body = client.get("/api/search", query_string={"q": "Kita", "open_at": value}).get_json()
    assert "notices" not in body and body["results"]


@pytest.mark.parametrize("value", ["Virchowstraße 130", "virchowstr. 130a", "47805",
                                   "Westwall 37, Krefeld"])
def test_near_takes_krefeld_streets_and_postcodes_offline(client: Any, value: str) -> None:
    body = client.get("/api/search", query_string={"q": "Kita", "near": value}).get_json()
    assert "notices" not in body
    assert body["results"][0]["distance_m"] is not None


def test_language_filter_lists_the_languages_in_the_data(client: Any) -> None:
    html = client.get("/suche?q=Gewalt").get_data(as_text=True)
    assert '<option value="tr">Türkisch</option>' in html
    assert "Sprachen: Deutsch, Arabisch, Englisch, Türkisch" in html


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=120), limit=st.sampled_from(["", "3", "x", "-1", "1000"]))
def test_api_answers_any_input_with_200_or_400(client: Any, query: str, limit: str) -> None:
    response = client.get("/api/search", query_string={"q": query, "limit": limit})
    assert response.status_code in (200, 400)
    body = response.get_json()
    assert ("results" in body) if response.status_code == 200 else ("error" in body)


def test_api_and_cli_give_the_same_json(client: Any, runner: CliRunner) -> None:
    args = {"q": "Begleitung zum Jobcenter", "open_at": "Mi 15:00", "limit": "2"}
    api = client.get("/api/search", query_string=args).get_json()
    cli = runner.invoke(main, ["search", args["q"], "--open-at", args["open_at"], "--limit", "2",
                               "--json"])
    assert json.loads(cli.output) == api


def test_results_page_embeds_the_numbered_map_with_the_same_search(client: Any) -> None:
    page = client.get("/suche?q=Kita&language=tr&limit=3").get_data(as_text=True)
    assert ('<iframe class="result-map" src="/karte/suche?q=Kita&amp;language=tr&amp;limit=3"'
            in page)
    listed = [r["institution"] for r in
              client.get("/api/search?q=Kita&language=tr&limit=3").get_json()["results"]]
    frame = client.get("/karte/suche?q=Kita&language=tr&limit=3").get_data(as_text=True)
    positions = [frame.find(name) for name in listed]
    assert all(p >= 0 for p in positions), "every listed result is on the map"
