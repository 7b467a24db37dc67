"""The counsellors' pages: start, institution, need, referral slip, about/privacy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from wiqnet.model import age_range_text
from wiqnet.needs import need_keys
from wiqnet.web import create_app, display

WEDNESDAY_3PM = datetime(2026, 11, 25, 15, 0)
WEDNESDAY_10AM = datetime(2026, 11, 25, 10, 0)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Return a setter for the local time the pages see."""

    def set_now(moment: datetime) -> None:
        monkeypatch.setattr(display, "local_now", lambda: moment)

    set_now(WEDNESDAY_3PM)
    return set_now


def text_of(response: Any) -> str:
    """Return the page's visible text with tags removed and spaces collapsed."""
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_start_page_has_the_search_box_submitting_to_suche(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<label for="q">Wobei braucht die Familie Hilfe?</label>' in html
    assert '<form class="search" action="/suche" method="get" role="search">' in html
    assert re.search(r'<input id="q" name="q" type="search"', html)


def test_start_page_links_every_need_with_its_count(client: Any) -> None:
    html = client.get("/").get_data(as_text=True)
    for key in need_keys():
        assert f'href="/anliegen/{key}"' in html
    assert ('<a href="/anliegen/arbeit">Arbeit und Beruf</a> <span class="count">(2)</span>'
            in html)


def test_start_page_shows_wiqs_contact_box(client: Any, at: Callable[[datetime], None]) -> None:
    text = text_of(client.get("/"))
    assert "Kontakt: WiQ – Wir im Quartier" in text
    assert "Sprechstunde Mi 14:00–16:00 · jetzt geöffnet (bis 16:00)" in text
    html = client.get("/").get_data(as_text=True)
    assert '<a href="tel:02151863472">02151 86 34 72</a>' in html
    assert '<a href="mailto:wiq@krefeld.de">wiq@krefeld.de</a>' in html


@pytest.mark.parametrize("moment, expected", [
    (WEDNESDAY_3PM, "Mi 14:00–16:00 · jetzt geöffnet (bis 16:00)"),
    (WEDNESDAY_10AM, "Mi 14:00–16:00 · öffnet heute 14:00"),
    (datetime(2026, 11, 26, 10, 0), "Mi 14:00–16:00 · öffnet Mi 14:00"),
])
def test_institution_page_says_open_now_or_next_opening(
        client: Any, at: Callable[[datetime], None], moment: datetime, expected: str) -> None:
    at(moment)
    assert expected in text_of(client.get("/einrichtung/wiq"))


def test_institution_page_shows_services_contact_place_and_source(
        client: Any, at: Callable[[datetime], None]) -> None:
    response = client.get("/einrichtung/wiq")
    html, text = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200
    assert "<h1>WiQ – Wir im Quartier</h1>" in html
    assert "Fallmanagement für Familien" in text
    assert "Zugang in der offenen Sprechstunde, per Telefon" in text
    assert "Kosten kostenlos" in text
    assert '<a href="tel:02151863472">02151 86 34 72</a>' in html
    assert '<a href="mailto:wiq@krefeld.de">wiq@krefeld.de</a>' in html
    assert "Virchowstraße 130a, 47805 Krefeld Quartier: Stephanplatz" in text
    assert ('href="https://www.openstreetmap.org/directions?route=%3B51.322848%2C6.572300"'
            in html)
    assert "Route planen (OpenStreetMap)" in text
    assert ("Quellen Pressemitteilung Stadt Krefeld (krefeld-facts.md), 13.04.2021 alt "
            "zuletzt bestätigt: 13.04.2021") in text
    assert 'href="/laufzettel/wiq-fallmanagement"' in html


def test_institution_page_lists_languages_by_name(client: Any) -> None:
    text = text_of(client.get("/einrichtung/hilfetelefon-gewalt"))
    assert "Sprachen Deutsch, Englisch, Türkisch, Arabisch" in text
    assert "Quartier:" not in text


def test_institution_page_warns_when_the_entry_is_stale(client: Any) -> None:
    text = text_of(client.get("/einrichtung/wiq"))
    assert ("Achtung: Diese Angaben wurden zuletzt am 13.04.2021 geprüft und sind vielleicht "
            "veraltet. Bitte vor der Vermittlung nachfragen.") in text
    html = client.get("/einrichtung/wiq").get_data(as_text=True)
    assert ("Pressemitteilung Stadt Krefeld (krefeld-facts.md), 13.04.2021 "
            '<span class="badge">alt</span>') in html
    recent = text_of(client.get("/einrichtung/hilfetelefon-gewalt"))  # source of 2026-12
    assert "Achtung" not in recent
    assert "Bundesweite Telefondienste (krefeld-facts.md), 01.12.2026 (Datum geschätzt)" in recent


def test_institution_page_has_no_warning_when_recently_verified(
        directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> None:
    small_data["institutions"][0]["verified"] = date.today().isoformat()
    app = create_app({"TESTING": True, "DATA": str(directory_yaml(small_data)),
                      "TILES": "none", "STALE_DAYS": 365})
    assert "Achtung" not in text_of(app.test_client().get("/einrichtung/wiq"))


def test_institution_page_lists_recorded_and_derived_partners(client: Any) -> None:
    text = text_of(client.get("/einrichtung/wiq"))
    assert "Kooperationspartner Vermittlung an: Jobcenter Krefeld" in text
    assert "gleicher Standort abgeleitet : Fabrik Heeder" in text
    jobcenter = text_of(client.get("/einrichtung/jobcenter"))
    assert "Vermittlung von: WiQ – Wir im Quartier" in jobcenter
    assert "Keine Kooperationen erfasst." in text_of(client.get("/einrichtung/hilfetelefon-gewalt"))


def test_unknown_institution_is_a_german_404_page(client: Any) -> None:
    response = client.get("/einrichtung/gibt-es-nicht")
    assert response.status_code == 404
    text = text_of(response)
    assert "Fehler 404" in text
    assert "Diese Einrichtung gibt es nicht (mehr) im Verzeichnis." in text


def test_need_page_groups_by_quarter_with_distance_from_wiq(client: Any) -> None:
    text = text_of(client.get("/anliegen/arbeit"))
    assert "<h1>" not in text
    assert "Entfernungen: Luftlinie von WiQ – Wir im Quartier." in text
    stephan = text.index("Stephanplatz (1)")
    outside = text.index("Außerhalb der Quartiere (1)")
    assert stephan < text.index("Fallmanagement für Familien") < outside
    assert outside < text.index("Bürgergeld und Arbeitsvermittlung")
    assert "Jobcenter Krefeld · Fütingsweg 34, 47805 Krefeld · 830 m" in text
    assert "WiQ – Wir im Quartier · Virchowstraße 130a, 47805 Krefeld · 0 m" in text


def test_need_page_sorts_by_distance_and_shows_places_without_address(client: Any) -> None:
    text = text_of(client.get("/anliegen/erziehung"))
    assert text.index("Fallmanagement für Familien") < text.index("Kindertagesbetreuung")
    assert "Katholische Kindertageseinrichtung Sankt Stephan · Philadelphiastraße 50" in text
    assert "360 m" in text
    phone_only = text_of(client.get("/anliegen/schutz"))
    assert "Ohne festen Ort (Telefon, online) (1)" in phone_only
    assert "Beratung am Telefon" in phone_only


def test_need_page_without_services_says_so(client: Any) -> None:
    assert ("Für dieses Anliegen ist noch kein Angebot erfasst."
            in text_of(client.get("/anliegen/senioren")))


def test_unknown_need_is_404(client: Any) -> None:
    response = client.get("/anliegen/raketen")
    assert response.status_code == 404
    assert "Dieses Anliegen gibt es nicht." in text_of(response)


def test_referral_slip_has_the_service_data_in_german(client: Any) -> None:
    response = client.get("/laufzettel/wiq-fallmanagement")
    html, text = response.get_data(as_text=True), text_of(response)
    assert '<article class="slip" lang="de">' in html
    for expected in ("Laufzettel", "Fallmanagement für Familien", "WiQ – Wir im Quartier",
                     "Was wird angeboten? Beratung und Begleitung bei Jobsuche",
                     "So erreichen Sie das Angebot in der offenen Sprechstunde per Telefon",
                     "Adresse Virchowstraße 130a 47805 Krefeld",
                     "Öffnungszeiten Mi 14:00–16:00", "Telefon 02151 86 34 72",
                     "Kosten kostenlos", "Bitte bringen Sie diesen Zettel mit.",
                     "Auf diesem Zettel stehen keine Angaben über Sie."):
        assert expected in text
    assert '<svg viewBox="0 0 320 200"' in html
    assert 'aria-label="Lageplan: WiQ – Wir im Quartier, Stephanplatz"' in html
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in html


@pytest.mark.parametrize("lang2, label, direction", [
    ("en", "What is offered?", "ltr"),
    ("tr", "Ne sunuluyor?", "ltr"),
    ("ar", "ما الذي يُقدَّم؟", "rtl"),
])
def test_referral_slip_adds_a_second_language_for_fixed_texts(
        client: Any, lang2: str, label: str, direction: str) -> None:
    html = client.get(f"/laufzettel/wiq-fallmanagement?lang2={lang2}").get_data(as_text=True)
    assert (f'<h2>Was wird angeboten? <span class="l2" lang="{lang2}" dir="{direction}">'
            f'{label}</span></h2>') in html
    assert f'<option value="{lang2}" selected>' in html


def test_referral_slip_ignores_an_unknown_second_language(client: Any) -> None:
    html = client.get("/laufzettel/wiq-fallmanagement?lang2=xx").get_data(as_text=True)
    assert 'class="l2"' not in html


def test_referral_slip_asks_nothing_about_the_family(client: Any) -> None:
    html = client.get("/laufzettel/wiq-fallmanagement").get_data(as_text=True)
    assert not re.search(r"<(input|textarea)\b", html)
    assert re.findall(r"<select [^>]*name=\"(\w+)\"", html) == ["lang2"]
    assert 'method="get"' in html


def test_referral_slip_without_address_has_no_map(client: Any) -> None:
    response = client.get("/laufzettel/hilfetelefon-gewalt-beratung")
    assert response.status_code == 200
    assert "<svg" not in response.get_data(as_text=True)
    assert "Telefon 116 016" in text_of(response)


def test_unknown_service_slip_is_404(client: Any) -> None:
    response = client.get("/laufzettel/nichts")
    assert response.status_code == 404
    assert "Dieses Angebot gibt es nicht (mehr) im Verzeichnis." in text_of(response)


def test_about_page_says_what_is_stored_and_credits_the_sources(client: Any) -> None:
    text = text_of(client.get("/impressum"))
    assert "Über Familien wird nichts gespeichert." in text
    assert "Open-Data-Portal der Stadt Krefeld" in text
    assert "© OpenStreetMap-Mitwirkende" in text
    assert "krefeld-open-data/kindergartens.json (1)" in text


PAGES = ["/", "/einrichtung/wiq", "/anliegen/arbeit", "/laufzettel/wiq-fallmanagement",
         "/impressum", "/status"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_light_and_accessible(client: Any, path: str) -> None:
    response = client.get(path)
    html = response.get_data(as_text=True)
    css = sum(len(client.get(f"/static/{name}").data) for name in ("wiqnet.css", "print.css"))
    assert len(response.data) + css < 100_000
    assert re.match(r'<!doctype html>\s*<html lang="de">', html)
    assert '<a class="skip" href="#inhalt">Zum Inhalt springen</a>' in html
    assert '<main id="inhalt"' in html
    assert html.count("<h1>") == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'<label for="{field_id}">' in html


def test_cached_pages_follow_the_clock(client: Any, at: Callable[[datetime], None]) -> None:
    at(datetime(2026, 11, 25, 13, 59))
    assert "öffnet heute 14:00" in text_of(client.get("/einrichtung/wiq"))
    at(datetime(2026, 11, 25, 14, 0))
    assert "jetzt geöffnet (bis 16:00)" in text_of(client.get("/einrichtung/wiq"))


def test_cached_pages_follow_the_language(client: Any) -> None:
    assert "<h2 id=\"angebote\">Angebote</h2>" in client.get("/einrichtung/wiq").get_data(
        as_text=True)
    client.get("/?lang=en")
    assert "<h2 id=\"angebote\">Services</h2>" in client.get("/einrichtung/wiq").get_data(
        as_text=True)


def test_slip_of_an_inactive_service_warns_the_counsellor(
        directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> None:
    small_data["institutions"][1]["status"] = "temporarily_closed"
    app = create_app({"TESTING": True, "DATA": str(directory_yaml(small_data)), "TILES": "none"})
    html = app.test_client().get("/laufzettel/fabrik-heeder-kultur").get_data(as_text=True)
    assert ('<p class="warning noprint" role="note">Achtung: Dieses Angebot ist zurzeit nicht '
            "aktiv (vorübergehend geschlossen).</p>") in html


def test_page_and_slip_show_ages_eligibility_documents_and_held_hours(
        directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> None:
    kita = small_data["institutions"][3]["services"][0]
    kita.update(minimum_age=0.33, maximum_age=6,
                eligibility="Für Familien mit Wohnsitz in Krefeld.", documents=["Kita-Navigator-Anmeldung", "Impfnachweis"],
                held_at=[{"institution": "fabrik-heeder", "opening_hours": "Fr 09:00-12:00",
                          "note": "gemeinsam mit dem Jobcenter"}])
    app = create_app({"TESTING": True, "DATA": str(directory_yaml(small_data)),
                      "TILES": "none", "SECRET_KEY": "test"})
    client = app.test_client()
    page = text_of(client.get("/einrichtung/kita-st-stephan"))
    assert "Alter 4 Monate – 6 Jahre" in page
    assert "Wer kann kommen? Für Familien mit Wohnsitz in Krefeld." in page
    assert "Bitte mitbringen Kita-Navigator-Anmeldung, Impfnachweis" in page
    assert "Sprechstunde auch hier Fabrik Heeder , Fr 09:00–12:00 – gemeinsam mit dem Jobcenter" \
        in page
    slip = text_of(client.get("/laufzettel/kita-st-stephan-betreuung?lang2=tr"))
    assert "Sprechstunde auch hier Danışma saati ayrıca burada Fabrik Heeder, " \
        "Virchowstraße 130a Fr 09:00–12:00 gemeinsam mit dem Jobcenter" in slip
    assert "Alter Yaş 4 Monate – 6 Jahre" in slip
    assert "Bitte mitbringen Lütfen yanınızda getirin Kita-Navigator-Anmeldung, Impfnachweis" \
        in slip
    english = text_of(client.get("/einrichtung/kita-st-stephan?lang=en"))
    assert "Age 4 months – 6 years" in english


@pytest.mark.parametrize(("minimum", "maximum", "de", "en"), [
    (0.33, None, "ab 4 Monaten", "from 4 months"),
    (6, 27, "6–27 Jahre", "6–27 years"),
    (None, 27, "bis 27 Jahre", "up to 27 years"),
    (0, 3, "bis 3 Jahre", "up to 3 years"),
    (3, None, "ab 3 Jahren", "from 3 years"),
    (1, None, "ab 1 Jahr", "from 1 year"),
    (0.5, 1, "6 Monate – 1 Jahr", "6 months – 1 year"),
    (None, None, "", ""),
])
def test_age_range_text(minimum: float | None, maximum: float | None, de: str, en: str) -> None:
    assert age_range_text(minimum, maximum, "de") == de
    assert age_range_text(minimum, maximum, "en") == en
