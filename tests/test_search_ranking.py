"""Ranking by topic: specialists first, authorities in their place, WiQ as the bridge, situations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.model import Directory
from wiqnet.search import SearchRequest, SearchResponse, search

NOW = datetime(2026, 11, 25, 10, 0)
SETTINGS = load_settings({"GEOCODER_URL": "http://127.0.0.1:9/"})


def place(
    small: dict[str, Any], inst_id: str, name: str, lat: float, services: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return an institution in the sample's format (its source fields copied from WiQ)."""
    sourced = copy.deepcopy(
        {k: v for k, v in small["institutions"][0].items() if k in ("source", "sources")}
    )
    return {
        "id": inst_id,
        "name": name,
        "location": {"lat": lat, "lon": 6.58},
        **sourced,
        "services": services,
    }


def landscape(small: dict[str, Any]) -> dict[str, Any]:
    """Return the sample plus a specialist, an authority, a catch-all and others."""
    small["institutions"] += [
        place(
            small,
            "diakonie-schulden",
            "Diakonie",
            51.33,
            [
                {
                    "id": "schuldnerberatung",
                    "name": "Schuldner- und Insolvenzberatung",
                    "description": "Beratung bei Schulden und Privatinsolvenz, P-Konto-Bescheinigung.",
                    "needs": ["finanzen"],
                    "topics": ["schuldnerberatung", "insolvenzberatung", "p-konto"],
                    "languages": ["de", "tr"],
                }
            ],
        ),
        place(
            small,
            "wohngeldstelle",
            "Wohngeldstelle der Stadt Krefeld",
            51.331,
            [
                {
                    "id": "wohngeld",
                    "name": "Wohngeld",
                    "description": "Nimmt Anträge auf Wohngeld an und entscheidet darüber.",
                    "needs": ["aemter", "finanzen", "wohnen"],
                    "topics": ["wohngeld"],
                }
            ],
        ),
        place(
            small,
            "allesberatung",
            "Beratungsladen",
            51.3229,
            [
                {
                    "id": "alles",
                    "name": "Beratung für alle Lebenslagen",
                    "description": "Hilft bei Schulden, Wohngeld, Kita, Sucht, Arbeit und Erziehung.",
                    "needs": [
                        "sozialberatung",
                        "finanzen",
                        "aemter",
                        "kinderbetreuung",
                        "gesundheit",
                        "arbeit",
                        "erziehung",
                    ],
                }
            ],
        ),
        place(
            small,
            "geldkurs",
            "Familienbildung",
            51.3229,
            [
                {
                    "id": "haushaltskurs",
                    "name": "Kurs rund ums Familienbudget",
                    "description": "Ein Kurs für Familien über Einkaufen und Sparen.",
                    "needs": ["finanzen"],
                }
            ],
        ),
        place(
            small,
            "suchtberatung",
            "Caritas Suchtberatung",
            51.34,
            [
                {
                    "id": "sucht",
                    "name": "Beratung bei Alkohol und Drogen",
                    "description": "Für Betroffene und Angehörige, auch bei Cannabis.",
                    "needs": ["gesundheit"],
                }
            ],
        ),
    ]
    return small


@pytest.fixture
def directory(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> Directory:
    return load_directory(directory_yaml(landscape(small_data)))


def run(directory: Directory, query: str, **kwargs: Any) -> SearchResponse:
    return search(directory, SearchRequest(query=query, **kwargs), SETTINGS, now=NOW)


def ids(response: SearchResponse) -> list[str]:
    return [r.service_id for r in response.results]


def test_the_topic_asked_for_ranks_above_a_shared_need(directory: Directory) -> None:
    found = ids(run(directory, "Schulden"))
    assert found[0] == "schuldnerberatung"
    assert found.index("schuldnerberatung") < found.index("haushaltskurs")


def test_a_specialist_ranks_above_a_catch_all(directory: Directory) -> None:
    found = ids(run(directory, "Schulden"))
    assert found.index("schuldnerberatung") < found.index("alles")
    sucht = ids(run(directory, "Sohn kifft"))
    assert sucht[0] == "sucht"


def test_an_authority_ranks_below_counselling_unless_its_benefit_is_named(
    directory: Directory,
) -> None:
    debts = ids(run(directory, "Schulden"))
    assert debts.index("schuldnerberatung") < debts.index("wohngeld")
    benefit = run(directory, "Wohngeld beantragen")
    assert ids(benefit)[0] == "wohngeld"
    assert "Thema: Wohngeld" in benefit.results[0].why
    # Asked for counselling about the benefit, the office gets no lift.
    advice = {r.service_id: r.score for r in run(directory, "Beratung zum Wohngeld").results}
    assert advice["wohngeld"] < {r.service_id: r.score for r in benefit.results}["wohngeld"]


def test_the_home_institution_is_the_bridge_not_a_result(directory: Directory) -> None:
    response = run(directory, "Begleitung zum Amt", limit=100)
    assert "wiq-fallmanagement" not in ids(response)
    assert "wiq-fallmanagement" in ids(run(directory, "Begleitung zum Amt", include_home=True))
    assert ids(run(directory, "WiQ"))[0] == "wiq-fallmanagement"
    assert "wiq-fallmanagement" in ids(run(directory, "Wir im Quartier"))


def test_a_situation_gets_the_best_service_for_each_need(directory: Directory) -> None:
    response = run(
        directory,
        "Wir haben hohe Schulden, suchen dringend einen Kita-Platz "
        "und unser Sohn kifft seit Monaten",
        limit=6,
    )
    labels = [g["label"] for g in response.groups]
    assert sorted(labels) == ["Kita-Platz", "Schuldnerberatung", "Suchtberatung"]
    # The needs come in the order of their best results (the surest answer first).
    assert labels == list(dict.fromkeys(r.group for r in response.results))
    firsts = {r.group: r.service_id for r in reversed(response.results)}
    assert firsts["Schuldnerberatung"] == "schuldnerberatung"
    assert firsts["Suchtberatung"] == "sucht"
    assert firsts["Kita-Platz"] == "kita-st-stephan-betreuung"
    assert {r.group for r in response.results[:3]} == {
        "Kita-Platz",
        "Schuldnerberatung",
        "Suchtberatung",
    }
    assert response.to_json()["groups"] == response.groups


def test_one_service_for_two_needs_makes_room_for_a_fourth(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    data = landscape(small_data)
    shelter = {"needs": ["wohnen"], "topics": ["wohnungsnotfallhilfe"]}
    data["institutions"] += [
        place(
            data,
            "notschlaf",
            "Notschlafstelle",
            51.3301,
            [
                {
                    "id": "notschlaf",
                    "name": "Notschlafstelle",
                    "description": "Betten für Wohnungslose.",
                    **shelter,
                }
            ],
        ),
        place(
            data,
            "anlauf",
            "Anlaufstelle für junge Erwachsene",
            51.36,
            [
                {
                    "id": "anlauf",
                    "name": "Anlaufstelle für junge Erwachsene",
                    "description": "Hilft jungen Wohnungslosen bei Jobsuche und Bewerbung.",
                    "needs": ["wohnen", "arbeit"],
                    "topics": ["wohnungsnotfallhilfe", "jobsuche"],
                }
            ],
        ),
    ]
    directory = load_directory(directory_yaml(data))
    query = "Junger Mann ist wohnungslos, ohne Job, hat Schulden und kifft viel"
    response = run(directory, query, limit=3)
    assert len(response.groups) == 4
    assert sorted(ids(response)) == ["anlauf", "schuldnerberatung", "sucht"]
    # With room for every need, each need keeps its own best answer as well.
    assert "notschlaf" in ids(run(directory, query))


def test_one_word_for_two_topics_is_no_situation(directory: Directory) -> None:
    assert run(directory, "Mietschulden").groups == []
    assert run(directory, "Schuldnerberatung").groups == []
    assert run(directory, "Treffpunkt für Senioren").groups == []
    assert sorted(g["key"] for g in run(directory, "Schulden und Kita").groups) == [
        "kita-platz",
        "schuldnerberatung",
    ]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("Sohn kifft", "sohn"),
        ("Befreiung Rundfunkbeitrag", "befreiung"),
        ("Tochter spricht kaum", "spricht"),
        ("Vater holt das Kind nicht ab", "holt"),
        ("kreş arıyorum", "kres"),
    ],
)
def test_correct_words_are_never_corrected(directory: Directory, query: str, kept: str) -> None:
    assert kept not in run(directory, query).corrections


def test_a_real_typo_is_still_corrected(directory: Directory) -> None:
    response = run(directory, "Schuldnerberatng")
    assert response.corrections == {"schuldnerberatng": "schuldnerberatung"}
    assert ids(response)[0] == "schuldnerberatung"


@pytest.mark.parametrize(
    ("query", "language", "name"),
    [
        ("borçlarım var", "tr", "Türkisch"),
        ("borclarim var", "tr", "Türkisch"),
        ("ديون كثيرة", "ar", "Arabisch"),
        ("debt advice", "en", "Englisch"),
    ],
)
def test_other_languages_find_the_specialist_and_say_how_they_were_read(
    directory: Directory, query: str, language: str, name: str
) -> None:
    response = run(directory, query)
    assert (response.language, response.language_name) == (language, name)
    assert ids(response)[0] == "schuldnerberatung"
    assert response.results[0].languages == ["de", "tr"]


def extended(small: dict[str, Any], services: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the landscape plus an institution without a place holding some services."""
    data = landscape(small)
    office = place(data, "amt", "Amt", 51.33, services)
    del office["location"]
    data["institutions"].append(office)
    return data


def offer(sid: str, topics: list[str], needs: list[str], **more: Any) -> dict[str, Any]:
    """Return a service in the data file's format (its own lists: YAML has no aliases here)."""
    return {
        "id": sid,
        "name": "Angebot",
        "description": "Ein Angebot.",
        "needs": list(needs),
        "topics": list(topics),
        **more,
    }


def test_a_service_used_online_is_as_near_as_one_in_the_quarter(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    data = extended(
        small_data,
        [
            offer("b-telefon", ["kita-platz"], ["kinderbetreuung"], access=["phone"]),
            offer("a-portal", ["kita-platz"], ["kinderbetreuung"], access=["online"]),
        ],
    )
    found = run(load_directory(directory_yaml(data)), "Kitaplatz")
    score = {r.service_id: r.score for r in found.results}
    assert score["a-portal"] > score["b-telefon"]


def test_a_service_for_the_age_told_ranks_above_one_for_other_ages(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    youth = ["freizeit-kinder-jugend"]
    data = extended(
        small_data,
        [
            offer("a-kinder", youth, ["freizeit"], minimum_age=2, maximum_age=10),
            offer("b-jugend", youth, ["freizeit"], minimum_age=12, maximum_age=27),
        ],
    )
    directory = load_directory(directory_yaml(data))
    assert ids(run(directory, "youth club for teenagers"))[0] == "b-jugend"
    assert ids(run(directory, "Freizeit für 7-jährige"))[0] == "a-kinder"


def test_a_query_naming_an_institution_lists_its_services_first(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    data = landscape(small_data)
    for inst_id, name, service_id, service_name, topics, needs in (
        (
            "dksb",
            "Kinderschutzbund Krefeld",
            "willkommen",
            "Willkommenstasche",
            ["fruehe-hilfen"],
            ["erziehung"],
        ),
        ("jugendamt", "Jugendamt", "kinderschutz", "Kinderschutz", ["kinderschutz"], ["schutz"]),
    ):
        service = offer(service_id, topics, needs, name=service_name, description=service_name)
        data["institutions"].append(place(data, inst_id, name, 51.33, [service]))
    directory = load_directory(directory_yaml(data))
    assert ids(run(directory, "Kinderschutzbund"))[0] == "willkommen"
    assert ids(run(directory, "Kinderschutz"))[0] == "kinderschutz"


def test_a_clinic_ranks_below_counselling_unless_treatment_is_asked(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    data = landscape(small_data)
    for inst_id, service_id, name, topics in (
        (
            "klinik",
            "psychiatrie",
            "Klinik für Psychiatrie",
            ["psychische-gesundheit", "gesundheit-versorgung"],
        ),
        ("spz", "psychosoziale-beratung", "Psychosoziale Beratung", ["psychische-gesundheit"]),
    ):
        service = offer(service_id, topics, ["gesundheit"], name=name, description=name)
        data["institutions"].append(place(data, inst_id, name, 51.36, [service]))
    directory = load_directory(directory_yaml(data))
    assert ids(run(directory, "Depressionen"))[0] == "psychosoziale-beratung"
    assert ids(run(directory, "Depressionen, Klinik gesucht"))[0] == "psychiatrie"


def test_a_topic_word_in_several_names_names_no_institution(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    data = landscape(small_data)
    for inst_id, name in (("kita-nord", "Kita Nord"), ("kita-sued", "Kita Süd")):
        service = {"id": f"{inst_id}-treff", "name": "Elterncafé", "description": "Elterncafé"}
        data["institutions"].append(
            place(data, inst_id, name, 51.33, [{**service, "needs": ["erziehung"]}])
        )
    found = ids(run(load_directory(directory_yaml(data)), "Kita"))
    assert found[0] == "kita-st-stephan-betreuung"
    assert "kita-nord-treff" not in found[:2]
