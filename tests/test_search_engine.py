"""The search engine: understanding, ranking signals, why, bridges, fallback and no match."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_SOURCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.errors import NotFound, UsageError
from wiqnet.model import Directory, Location
from wiqnet.search import SearchRequest, SearchResponse, search
from wiqnet.search.index import index_for
from wiqnet.search.query import understand
from wiqnet.search.suggest import closest_needs

# A Wednesday, 10:00: WiQ's consultation (We 14-16) opens later today.
NOW = datetime(2026, 11, 25, 10, 0)
SETTINGS = load_settings({"GEOCODER_URL": "http://127.0.0.1:9/"})


def extended(small: dict[str, Any]) -> dict[str, Any]:
    """Return the small sample plus debt counselling, a women's counselling and an inactive one."""
    small["institutions"] += [
        {"id": "schuldnerberatung", "name": "Schuldner- und Insolvenzberatung",
         "location": {"lat": 51.3300, "lon": 6.6000}, "sources": [dict(TEST_SOURCE)],
         "services": [{"id": "sb-beratung", "name": "Schuldnerberatung",
                       "description": "Beratung bei Schulden, Kontopfändung und Mahnungen.",
                       "needs": ["finanzen"], "languages": ["de", "tr"], "cost": "kostenlos",
                       "opening_hours": "We 14:00-16:00", "audience": ["Familien"]}]},
        {"id": "schuldner-nord", "name": "Beratungsstelle Nord",
         "location": {"lat": 51.3600, "lon": 6.5500}, "sources": [dict(TEST_SOURCE)],
         "services": [{"id": "nord-geld", "name": "Geldberatung", "description": "Haushaltsplan.",
                       "needs": ["finanzen"], "opening_hours": "Mo-Fr 09:00-12:00"}]},
        {"id": "alte-beratung", "name": "Alte Schuldnerberatung im Quartier", "status": "inactive",
         "location": {"lat": 51.3210, "lon": 6.5700}, "sources": [dict(TEST_SOURCE)],
         "services": [{"id": "alt-schulden", "name": "Schuldnerberatung",
                       "description": "Schulden", "needs": ["finanzen"]}]},
        {"id": "frauenberatung", "name": "Frauenberatungsstelle",
         "location": {"lat": 51.3350, "lon": 6.5900}, "sources": [dict(TEST_SOURCE)],
         "services": [{"id": "fb-gewalt", "name": "Beratung bei Gewalt",
                       "description": "Für Frauen.", "needs": ["schutz"]}]},
    ]
    small["links"] += [
        {"from": "jobcenter", "to": "schuldnerberatung", "kind": "kooperation",
         "sources": [dict(TEST_SOURCE)]},
        {"from": "frauenberatung", "to": "kita-st-stephan", "kind": "kooperation",
         "sources": [dict(TEST_SOURCE)]},
    ]
    return small


@pytest.fixture
def directory(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> Directory:
    return load_directory(directory_yaml(extended(small_data)))


def run(directory: Directory, query: str = "", **kwargs: Any) -> SearchResponse:
    return search(directory, SearchRequest(query=query, **kwargs), SETTINGS, now=NOW,
                  locate=lambda text: Location(51.3300, 6.6000))


def ids(response: SearchResponse) -> list[str]:
    return [r.service_id for r in response.results]


def test_compound_is_split_into_its_needs(directory: Directory) -> None:
    understood = understand("Familie hat Mietschulden", index_for(directory))
    assert set(understood.needs) == {"finanzen", "wohnen"}
    assert understood.topics == ["raeumungsschutz"]


def test_typo_is_corrected_and_reported(directory: Directory) -> None:
    response = run(directory, "Schuldnerbratung")
    assert response.needs == ["finanzen"]
    assert response.corrections == {"schuldnerbratung": "schuldnerberatung"}
    assert ids(response)[0] == "sb-beratung"


@pytest.mark.parametrize(("query", "needs"), [
    ("Kind hört nicht", ["erziehung"]),
    ("Hortplatz", ["kinderbetreuung"]),
    ("debt advice", ["finanzen"]),
    ("GERMAN COURSE", ["sprache"]),
    ("Erziehungsfragen", ["erziehung"]),
    ("häusliche Gewalt", ["schutz"]),
    ("haeusliche gewalt", ["schutz"]),
])
def test_queries_are_understood(directory: Directory, query: str, needs: list[str]) -> None:
    assert understand(query, index_for(directory)).needs == needs


def test_inactive_services_never_show(directory: Directory) -> None:
    response = run(directory, "Schuldnerberatung", limit=100)
    assert "alt-schulden" not in ids(response)
    assert response.total == 2
    assert run(directory, "Schuldnerberatung", limit=100, include_home=True).total == 3


def test_result_json_contract_and_why(directory: Directory) -> None:
    body = run(directory, "Schulden", language="tr", near="somewhere",
               open_at="Mi 15:00").to_json()
    assert list(body) == ["query", "needs", "topics", "language", "language_name", "results",
                          "total"]
    assert body["topics"] == ["schuldnerberatung"]
    assert (body["language"], body["language_name"]) == ("de", "Deutsch")
    first = body["results"][0]
    assert list(first) == ["institution_id", "institution", "service_id", "service", "needs",
                           "score", "distance_m", "why", "path", "languages", "topics", "group"]
    assert first["service_id"] == "sb-beratung"
    assert first["distance_m"] == 0
    assert first["languages"] == ["de", "tr"]
    assert first["why"] == ["Thema: Schuldnerberatung", "Anliegen: Geld und Schulden",
                            "im Quartier gibt es dafür kein Angebot – nächstes in der Stadt",
                            "spricht Türkisch", "0 m",
                            "Mi 15:00 geöffnet", "kostenlos", "über Jobcenter Krefeld"]
    assert first["path"] == ["wiq", "jobcenter", "schuldnerberatung"]


def test_quarter_comes_before_outside(small_data: dict[str, Any],
                                      directory_yaml: Callable[..., Path]) -> None:
    twin = {"id": "kita-aussen", "name": "Kita Außen", "sources": [dict(TEST_SOURCE)],
            "location": {"lat": 51.3600, "lon": 6.5000},
            "services": [{"id": "kita-aussen-betreuung", "name": "Kindertagesbetreuung",
                          "description": "Betreuung für Kinder ab zwei Jahren.",
                          "needs": ["kinderbetreuung", "erziehung"]}]}
    small_data["institutions"].append(twin)
    response = run(load_directory(directory_yaml(small_data)), need="kinderbetreuung")
    assert ids(response) == ["kita-st-stephan-betreuung", "kita-aussen-betreuung"]
    assert "im Quartier Stephanplatz" in response.results[0].why


def test_distance_from_a_place_ranks_nearer_first(directory: Directory) -> None:
    near_nord = search(directory, SearchRequest(query="Geld", near="x"), SETTINGS, now=NOW,
                       locate=lambda text: Location(51.3600, 6.5500))
    assert ids(near_nord)[0] == "nord-geld"
    assert near_nord.results[0].distance_m == 0


def test_open_at_prefers_services_open_then(directory: Directory) -> None:
    morning = run(directory, need="finanzen", open_at="Mo 10:00")
    assert ids(morning)[0] == "nord-geld"
    assert "Mo 10:00 geöffnet" in morning.results[0].why
    assert any("Mo 10:00 geschlossen" in r.why for r in morning.results)


def test_without_open_at_the_why_tells_todays_hours(directory: Directory) -> None:
    response = run(directory, "Schuldnerberatung")
    assert "öffnet heute 14:00" in response.results[0].why


def test_audience_and_cost(directory: Directory) -> None:
    response = run(directory, "Geld kostenlos", audience="familien")
    assert ids(response)[0] == "sb-beratung"
    assert "für Familien" in response.results[0].why
    assert "kostenlos" in response.results[0].why


def test_language_named_in_the_query(directory: Directory) -> None:
    response = run(directory, "Schulden türkisch")
    assert "spricht Türkisch" in response.results[0].why


def test_bridge_direct_and_from_another_institution(directory: Directory) -> None:
    jobs = run(directory, "Jobcenter Bürgergeld")
    job = next(r for r in jobs.results if r.institution_id == "jobcenter")
    assert job.path == ["wiq", "jobcenter"]
    assert "direkter Kontakt von WiQ – Wir im Quartier" in job.why
    other = run(directory, "Schuldnerberatung", origin="jobcenter")
    assert other.results[0].path == ["jobcenter", "schuldnerberatung"]


def test_nothing_in_the_quarter_lifts_the_nearest_city_wide_service(
        directory: Directory) -> None:
    response = run(directory, "häusliche Gewalt")
    first = response.results[0]
    assert first.service_id == "fb-gewalt"
    assert first.path == []
    assert first.why == [
        "Thema: Schutz vor Gewalt",
        "Anliegen: Schutz und Krise",
        "im Quartier gibt es dafür kein Angebot – nächstes in der Stadt",
        "Kontakt möglich über Katholische Kindertageseinrichtung Sankt Stephan",
    ]
    assert ids(response)[1] == "hilfetelefon-gewalt-beratung"


def test_no_match_says_so_suggests_needs_and_points_to_wiq(directory: Directory) -> None:
    body = run(directory, "Pflegheim").to_json()
    assert body["results"] == []
    assert body["needs"] == ["senioren"]
    assert body["message"] == (
        "Im Verzeichnis gibt es noch kein Angebot für „Pflegheim“ (Anliegen: Alter und Pflege). "
        "Die offene Sprechstunde von WiQ – Wir im Quartier hilft bei jedem Anliegen weiter: "
        "Mi 14:00–16:00, Virchowstraße 130a, 47805 Krefeld, Telefon 02151 86 34 72, "
        "wiq@krefeld.de.")
    assert {"need": "sozialberatung", "label": "Allgemeine Sozialberatung"} in body["suggestions"]


def test_closest_need_categories_by_label_or_word(directory: Directory) -> None:
    assert closest_needs("Gesundhaitsweesen", index_for(directory), exclude=[])[0] == "gesundheit"
    assert closest_needs("🙂", index_for(directory), exclude=[]) == ["sozialberatung"]


@pytest.mark.parametrize("query", [
    "und oder für die", "🙂🙂🙂", "مرحبا كيف حالك", "שלום", "'; DROP TABLE services; --",
    "<script>alert(1)</script>", "\x00\x01\t\n", "a" * 500, "%s %d {0} {{x}}",
])
def test_garbage_gets_a_clear_answer(directory: Directory, query: str) -> None:
    body = run(directory, query).to_json()
    assert body["query"] == query
    if not body["results"]:
        assert body["message"].startswith(("Keine passenden Angebote", "Im Verzeichnis"))
        assert body["suggestions"]


@pytest.mark.parametrize(("request_args", "message"), [
    ({"query": ""}, ("type what the family needs, e.g. 'Schulden' or 'Kita', "
                    "or choose a need category")),
    ({"query": "   "}, "type what the family needs"),
    ({"query": "x" * 10_000}, "the query has 10000 characters; the limit is 500"),
    ({"query": "x", "need": "finanzn"}, ("'finanzn' is not a need category; did you mean "
                                        "'finanzen'?")),
    ({"query": "x", "language": "Türkisch"}, "'Türkisch' is not a language code"),
    ({"query": "x", "limit": 0}, "the limit must be between 1 and 100, not 0"),
])
def test_bad_requests_raise_usage_errors(directory: Directory, request_args: dict[str, Any],
                                         message: str) -> None:
    with pytest.raises(UsageError) as info:
        run(directory, **request_args)
    assert str(info.value).startswith(message)


def test_unknown_origin_is_not_found(directory: Directory) -> None:
    with pytest.raises(NotFound, match="no institution with id 'wiqq'; did you mean 'wiq'"):
        run(directory, "Schulden", origin="wiqq")


def test_index_is_built_once_per_directory(directory: Directory,
                                           directory_yaml: Callable[..., Path]) -> None:
    assert index_for(directory) is index_for(directory)
    reloaded = load_directory(directory.path)
    assert index_for(reloaded) is not index_for(directory)


def test_a_changed_vocabulary_next_to_the_data_is_picked_up(directory: Directory) -> None:
    assert run(directory, "Moos").results == []
    vocabulary = Path(directory.path).with_name("vocabulary.yaml")
    vocabulary.write_text("words:\n  finanzen: [Moos]\n", encoding="utf-8")
    assert run(directory, "Moos").needs == ["finanzen"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(min_size=1, max_size=200))
def test_any_text_gives_an_answer_or_a_usage_error(directory: Directory, query: str) -> None:
    try:
        body = run(directory, query).to_json()
    except UsageError as exc:
        assert not query.strip() and "type what the family needs" in str(exc)
        return
    assert body["results"] or body["message"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(near=st.text(max_size=60), open_at=st.text(max_size=40))
def test_filter_values_never_fail_a_search(directory: Directory, near: str, open_at: str) -> None:
    def nowhere(place: str) -> Location:
        raise UsageError(f"no place found for '{place}'")  # the geocoder, which is offline here

    response = search(directory, SearchRequest(query="Schulden", near=near, open_at=open_at),
                      SETTINGS, now=NOW, locate=nowhere)
    assert response.results
    assert len(response.notices) <= 2
    assert all(n.startswith(("„", "Den Ort")) for n in response.notices)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from("abcçğışöüäßرضوةىأ ْ ِ"), max_size=60))
def test_any_mix_of_letters_is_read_in_one_of_four_languages(directory: Directory,
                                                              query: str) -> None:
    understood = understand(query, index_for(directory))
    assert understood.language in ("de", "en", "tr", "ar")
    assert all(score > 0 for score in understood.topic_scores.values())


def test_wiq_counts_as_in_the_quarter_even_outside_the_outlines(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    data = extended(small_data)
    data["institutions"][0]["location"] = {"lat": 51.3400, "lon": 6.6000}
    moved = load_directory(directory_yaml(data))
    first = run(moved, "Begleitung zum Amt", include_home=True).results[0]
    assert first.service_id == "wiq-fallmanagement"
    assert not any("nächstes in der Stadt" in reason for reason in first.why)


def test_service_area_prefers_services_for_the_familys_postcode(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    data = extended(small_data)
    data["institutions"][5]["services"][0]["service_area"] = ["47809"]
    data["institutions"][6]["services"][0]["service_area"] = ["47805"]
    areas = load_directory(directory_yaml(data))
    quarter = run(areas, "Schuldnerberatung")
    assert "zuständig für 47805" in next(r for r in quarter.results
                                         if r.service_id == "nord-geld").why
    family = search(areas, SearchRequest(query="Geld", near="47809"), SETTINGS, now=NOW,
                    locate=lambda text: Location(51.3228, 6.5723))
    order = ids(family)
    assert order.index("sb-beratung") < order.index("nord-geld")
    assert "zuständig für 47809" in family.results[order.index("sb-beratung")].why
