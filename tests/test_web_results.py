"""Result cards and paging on /suche (Flask test client, real YAML in a tmp dir)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SMALL, TEST_SOURCE

from wiqnet import hours
from wiqnet.config import load_settings
from wiqnet.datafile import load_directory
from wiqnet.search import SearchRequest, search
from wiqnet.web import create_app
from wiqnet.web.cards import first_sentence


def many_kitas(count: int) -> dict[str, Any]:
    """Return the small sample plus `count` day-care places near WiQ."""
    data = copy.deepcopy(SMALL)
    for number in range(1, count + 1):
        data["institutions"].append(
            {
                "id": f"kita-{number:02d}",
                "name": f"Kita Nummer {number:02d}",
                "address": {
                    "street": f"Teststraße {number}",
                    "postcode": "47805",
                    "city": "Krefeld",
                },
                "location": {"lat": 51.3225 + number / 10000, "lon": 6.5700},
                "sources": [dict(TEST_SOURCE)],
                "verified": "2026-01-01",
                **({"phone": "02151 98 76 54"} if number == 1 else {}),
                "services": [
                    {
                        "id": f"kita-{number:02d}-betreuung",
                        "name": f"Betreuung {number:02d}",
                        "description": "Betreuung für Kinder ab 2 Jahren. Mit Mittagessen.",
                        "needs": ["kinderbetreuung"],
                    }
                ],
            }
        )
    return data


@pytest.fixture
def kita_client(directory_yaml: Callable[..., Path]) -> Any:
    """Return a client on a directory with 25 day-care places."""
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(directory_yaml(many_kitas(25))),
            "TILES": "none",
            "SECRET_KEY": "test",
        }
    )
    return app.test_client()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Beratung für Familien. Ohne Termin.", "Beratung für Familien."),
        ("Hilfe z. B. bei Anträgen. Kostenlos.", "Hilfe z. B. bei Anträgen."),
        ("Für Kinder ab der 1. Klasse. Nachmittags.", "Für Kinder ab der 1. Klasse."),
        ("Nur ein Satz ohne Punkt", "Nur ein Satz ohne Punkt"),
        ("  Zeilen\n umbrochen.  Zweiter Satz.", "Zeilen umbrochen."),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first


def test_card_shows_what_a_counsellor_acts_on(client: Any) -> None:
    html = client.get("/suche?q=Gewalt").get_data(as_text=True)
    start = html.index('id="ergebnis-1"')
    card = html[start : html.index("</li>", start)]
    assert "Anonym, kostenlos, Tag und Nacht, in vielen Sprachen." in card
    assert '<a href="tel:116016">116 016</a>' in card
    assert "rund um die Uhr geöffnet" in card
    assert "Deutsch, Arabisch, Englisch, Türkisch" in card
    assert "per Telefon" in card and "kostenlos" in card
    assert "Warum dieser Treffer" in card


def test_card_gives_address_quarter_distance_international_phone(kita_client: Any) -> None:
    html = kita_client.get("/suche?need=kinderbetreuung&limit=30").get_data(as_text=True)
    assert "Philadelphiastraße 50, 47799 Krefeld · Stephanplatz · " in html
    assert re.search(r"Teststraße 1, 47805 Krefeld · Stephanplatz · \d+ m von WiQ", html)
    assert "Zeiten unbekannt" in html  # the generated Kitas have no hours
    assert '<a href="tel:+492151987654">02151 98 76 54</a>' in html
    assert "WiQ – Wir im Quartier</p>" not in html  # WiQ is the bridge, not a result


def test_weitere_anzeigen_pages_with_offset_and_limit(kita_client: Any) -> None:
    html = kita_client.get("/suche?need=kinderbetreuung").get_data(as_text=True)
    assert html.count('class="card"') == 10
    assert "26 Angebote gefunden" in html
    more = re.search(r'<a class="button" id="weitere" href="([^"]+)">weitere anzeigen</a>', html)
    assert more is not None
    href = more.group(1).replace("&amp;", "&")
    assert "offset=10" in href and "limit=10" in href and href.endswith("#ergebnis-11")
    second = kita_client.get(href.split("#")[0]).get_data(as_text=True)
    assert 'id="ergebnis-11" value="11"' in second and 'id="ergebnis-1"' not in second
    assert "Treffer 11–20" in second
    last = kita_client.get("/suche?need=kinderbetreuung&offset=20&limit=10").get_data(as_text=True)
    assert last.count('class="card"') == 6 and 'id="weitere"' not in last


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("offset=abc", "„offset“ muss eine ganze Zahl sein, nicht „abc“"),
        ("offset=-1", "„offset“ muss zwischen 0 und 99 liegen, nicht -1"),
        ("offset=100", "„offset“ muss zwischen 0 und 99 liegen, nicht 100"),
    ],
)
def test_bad_offset_is_explained(kita_client: Any, query: str, message: str) -> None:
    response = kita_client.get(f"/suche?need=kinderbetreuung&{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_filters_fold_into_details_and_open_when_used(client: Any) -> None:
    plain = client.get("/suche?q=Kita").get_data(as_text=True)
    assert '<details class="filter-box">' in plain
    used = client.get("/suche?q=Kita&language=tr").get_data(as_text=True)
    assert '<details class="filter-box" open>' in used and "Filter (aktiv)" in used


def test_skip_link_to_the_results(client: Any) -> None:
    html = client.get("/suche?q=Kita").get_data(as_text=True)
    assert '<a class="skip" href="#treffer">Zu den Ergebnissen springen</a>' in html
    assert '<h2 id="treffer" tabindex="-1">' in html


def test_open_now_ranks_unknown_hours_after_known_open(directory_yaml: Callable[..., Path]) -> None:
    from datetime import datetime

    data = copy.deepcopy(SMALL)
    # The Jobcenter (hours unknown) would win on language; it must still follow an open
    # counselling place (WiQ itself is the bridge, never a result of its own search).
    data["institutions"][2]["languages"] = ["tr"]
    data["institutions"].append(
        {
            "id": "beratung-offen",
            "name": "Arbeitslosenberatung am Mittwoch",
            "address": {"street": "Teststraße 9", "postcode": "47805", "city": "Krefeld"},
            "location": {"lat": 51.3230, "lon": 6.5710},
            "opening_hours": "We 14:00-16:00",
            "sources": [dict(TEST_SOURCE)],
            "verified": "2026-01-01",
            "services": [
                {
                    "id": "beratung-offen-arbeit",
                    "name": "Beratung zu Bürgergeld und Arbeit",
                    "description": "Beratung zu Bürgergeld und Arbeitsvermittlung.",
                    "needs": ["arbeit"],
                }
            ],
        }
    )
    directory = load_directory(str(directory_yaml(data)))
    wednesday = datetime(2026, 12, 2, 15, 0)
    response = search(
        directory,
        SearchRequest(
            query="Bürgergeld Arbeitsvermittlung", need="arbeit", language="tr", open_at="jetzt"
        ),
        load_settings({"HOME_INSTITUTION": "wiq"}, environ={}),
        now=wednesday,
    )
    tiers = []
    for result in response.results:
        service = directory.service(result.service_id)
        inst = directory.institution(result.institution_id)
        assert service is not None and inst is not None
        state = hours.is_open(service.opening_hours or inst.opening_hours, wednesday)
        tiers.append({True: 0, None: 1, False: 2}[state])
    assert 1 in tiers and 0 in tiers
    assert tiers == sorted(tiers), [(r.service_id, r.score) for r in response.results]


def test_a_situation_shows_each_group_as_cards_numbered_in_order(
    directory_yaml: Callable[..., Path],
) -> None:
    from test_search_ranking import landscape

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "TILES": "none",
            "DATA": str(directory_yaml(landscape(copy.deepcopy(SMALL)))),
        }
    )
    html = (
        app.test_client()
        .get(
            "/suche",
            query_string={
                "q": "Wir haben hohe Schulden, suchen dringend einen Kita-Platz und unser Sohn kifft "
                "seit Monaten",
                "limit": "6",
            },
        )
        .get_data(as_text=True)
    )
    headings = re.findall(r'<h3 class="group">([^<]+)</h3>', html)
    assert sorted(headings) == ["Kita-Platz", "Schuldnerberatung", "Suchtberatung"]
    groups = html.split('<h3 class="group">')[1:]
    by_heading = dict(zip(headings, groups, strict=True))
    assert all('class="card"' in group and '<h4 class="card-title">' in group for group in groups)
    numbers = [int(n) for n in re.findall(r'id="ergebnis-(\d+)"', html)]
    assert len(numbers) >= 3 and numbers == list(range(1, len(numbers) + 1))
    assert "Kindertagesbetreuung" in by_heading["Kita-Platz"]
    assert "Schuldner- und Insolvenzberatung" in by_heading["Schuldnerberatung"]
