"""Editing an institution in the browser: form, save, limits, hours check, conflicts, retire."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.accounts import Accounts

PASSWORD = "geheim-genug-123"


@pytest.fixture
def web(instance_dir: Path, data_path: Path) -> Any:
    """Return the app with an editor "ben"."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    return create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})


def value(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]* value="([^"]*)"', html)
    assert found, f"no field {name}"
    return unescape(found.group(1))


def fields(html: str) -> dict[str, Any]:
    """Return the form's fields as a browser would post them unchanged."""
    data: dict[str, Any] = {}
    for name, val in re.findall(r'<input id="f-[^"]*" name="([^"]+)" value="([^"]*)"', html):
        data[name] = unescape(val)
    for name, text in re.findall(
        r'<textarea id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.DOTALL
    ):
        data[name] = unescape(text)
    for name, chosen in re.findall(
        r'<select id="f-[^"]*" name="([^"]+)">(.*?)</select>', html, re.DOTALL
    ):
        found = re.search(r'value="([^"]*)" selected', chosen)
        data[name] = found.group(1) if found else ""
    for name, val in re.findall(r'name="([^"]+)" value="([^"]*)" checked', html):
        data.setdefault(name, []).append(val)
    data["csrf_token"] = value(html, "csrf_token")
    data["digest"] = value(html, "digest")
    return data


@pytest.fixture
def editor(web: Any) -> Any:
    """Return a client logged in as editor."""
    client = web.test_client()
    page = client.get("/anmelden").get_data(as_text=True)
    response = client.post(
        "/anmelden",
        data={"csrf_token": value(page, "csrf_token"), "konto": "ben", "passwort": PASSWORD},
    )
    assert response.status_code == 302
    return client


def record(path: Path, inst_id: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["institutions"] if i["id"] == inst_id)


def test_anonymous_visitors_are_sent_to_the_login(web: Any) -> None:
    response = web.test_client().get("/bearbeiten/wiq")
    assert response.status_code == 302
    assert response.location.startswith("/anmelden?weiter=/bearbeiten/wiq")


def test_the_form_shows_the_record(editor: Any) -> None:
    html = editor.get("/bearbeiten/wiq").get_data(as_text=True)
    assert value(html, "phone") == "02151 86 34 72"
    assert value(html, "address.street") == "Virchowstraße 130a"
    assert value(html, "services[0].cost") == "kostenlos"
    assert 'name="services[0].needs" value="arbeit" checked' in html
    assert value(html, "sources[1].url") == ""  # the blank row for a new source


def test_a_save_changes_only_what_was_changed(editor: Any, data_path: Path) -> None:
    data_path.write_text(
        data_path.read_text(encoding="utf-8") + "# von Hand ergänzt\n", encoding="utf-8"
    )
    before = data_path.read_text(encoding="utf-8")
    data = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    data["phone"] = "02151 86 00 00"
    data["services[0].minimum_age"] = "0,5"
    data["sources[1].url"] = "https://www.krefeld.de/wiq"
    data["sources[1].date"] = "2026-11-30"
    response = editor.post("/bearbeiten/wiq", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = record(data_path, "wiq")
    assert saved["phone"] == "02151 86 00 00"
    assert saved["services"][0]["minimum_age"] == 0.5
    assert saved["sources"][-1]["url"] == "https://www.krefeld.de/wiq"
    after = data_path.read_text(encoding="utf-8")
    assert after.endswith("# von Hand ergänzt\n")  # comments kept
    assert Path(str(data_path) + ".bak").read_text(encoding="utf-8") == before
    assert "Gespeichert." in editor.get(response.location).get_data(as_text=True)


def test_an_hours_error_is_shown_next_to_the_field(editor: Any, data_path: Path) -> None:
    before = data_path.read_text(encoding="utf-8")
    data = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    data["opening_hours"] = "Mo-Fr 9-17 Uhr"
    data["phone"] = "02151 1"
    response = editor.post("/bearbeiten/wiq", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(
        r'id="e-opening_hours" role="alert">Die Öffnungszeiten sind so nicht lesbar', html
    )
    assert value(html, "opening_hours") == "Mo-Fr 9-17 Uhr"
    assert value(html, "phone") == "02151 1"  # nothing typed is lost
    assert data_path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("name", "x" * 201, "Bitte höchstens 200 Zeichen (jetzt 201)."),
        ("services[0].minimum_age", "drei", "Bitte eine Zahl angeben"),
        ("sources[0].date", "12.3.2020", "Bitte das Datum als JJJJ-MM-TT angeben"),
        ("phone", "0215\x1b1", "Bitte keine Steuerzeichen"),
        ("status", "weg", "Bitte einen Status aus der Liste wählen."),
    ],
)
def test_bad_fields_get_german_messages(editor: Any, name: str, text: str, message: str) -> None:
    data = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    data[name] = text
    response = editor.post("/bearbeiten/wiq", data=data)
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))


def test_validation_problems_land_next_to_the_field(editor: Any) -> None:
    data = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    data["address.postcode"] = "4780"
    response = editor.post("/bearbeiten/wiq", data=data)
    assert response.status_code == 422
    assert 'id="e-address.postcode" role="alert">Ungültig:' in response.get_data(as_text=True)


def test_a_stale_form_is_refused_and_comes_back_filled(editor: Any, data_path: Path) -> None:
    data = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    other = fields(editor.get("/bearbeiten/wiq").get_data(as_text=True))
    other["phone"] = "02151 11 11 11"
    assert editor.post("/bearbeiten/wiq", data=other).status_code == 302
    data["email"] = "neu@krefeld.de"
    response = editor.post("/bearbeiten/wiq", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nichts wurde gespeichert." in html
    assert value(html, "email") == "neu@krefeld.de"
    assert record(data_path, "wiq")["email"] == "wiq@krefeld.de"
    assert record(data_path, "wiq")["phone"] == "02151 11 11 11"
    again = editor.post("/bearbeiten/wiq", data={**fields(html), "email": "neu@krefeld.de"})
    assert again.status_code == 302


def test_retire_marks_the_institution_inactive(editor: Any, data_path: Path) -> None:
    html = editor.get("/bearbeiten/jobcenter").get_data(as_text=True)
    response = editor.post(
        "/bearbeiten/jobcenter/einstellen",
        data={"csrf_token": value(html, "csrf_token"), "digest": value(html, "digest")},
    )
    assert response.status_code == 302
    assert record(data_path, "jobcenter")["status"] == "inactive"


def test_the_live_hours_check_reads_the_hours_in_german(editor: Any) -> None:
    good = editor.get("/bearbeiten/oeffnungszeiten?text=Mo-Fr 09:00-12:00").get_json()
    assert good == {"ok": True, "message": "Gelesen als: Mo–Fr 09:00–12:00"}
    bad = editor.get("/bearbeiten/oeffnungszeiten?text=Mo 9-12").get_json()
    assert bad["ok"] is False and "nicht lesbar" in bad["message"]


def test_an_unknown_institution_is_a_404(editor: Any) -> None:
    assert editor.get("/bearbeiten/gibt-es-nicht").status_code == 404


def test_without_csrf_token_a_clear_page(editor: Any) -> None:
    response = editor.post("/bearbeiten/wiq", data={"phone": "1"})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)


def test_add_an_institution(editor: Any, data_path: Path) -> None:
    html = editor.get("/bearbeiten/neu").get_data(as_text=True)
    data = {
        "csrf_token": value(html, "csrf_token"),
        "digest": value(html, "digest"),
        "id": "beratung-west",
        "name": "Beratungsstelle West",
        "services[0].name": "Offene Sprechstunde",
        "services[0].description": "Beratung für Familien zu Anträgen und Geldfragen.",
        "services[0].needs": ["aemter", "finanzen"],
        "sources[0].url": "https://www.krefeld.de/beratung-west",
        "sources[0].date": "2026-11-01",
    }
    response = editor.post("/bearbeiten/neu", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location == "/bearbeiten/beratung-west"
    assert record(data_path, "beratung-west")["services"][0]["needs"] == ["aemter", "finanzen"]
    again = editor.post(
        "/bearbeiten/neu",
        data={
            **data,
            "digest": value(editor.get("/bearbeiten/neu").get_data(as_text=True), "digest"),
        },
    )
    assert again.status_code == 422
    assert "Diese Kennung ist schon vergeben." in again.get_data(as_text=True)


def test_a_new_institution_needs_its_fields(editor: Any) -> None:
    html = editor.get("/bearbeiten/neu").get_data(as_text=True)
    response = editor.post(
        "/bearbeiten/neu",
        data={
            "csrf_token": value(html, "csrf_token"),
            "digest": value(html, "digest"),
            "id": "Beratung West",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Bitte nur Kleinbuchstaben" in text and "Bitte ausfüllen." in text


def test_fields_not_sent_stay_and_unticking_all_needs_is_refused(
    editor: Any, data_path: Path
) -> None:
    html = editor.get("/bearbeiten/wiq").get_data(as_text=True)
    base = {"csrf_token": value(html, "csrf_token"), "digest": value(html, "digest")}
    response = editor.post("/bearbeiten/wiq", data={**base, "services[0].needs": ""})
    assert response.status_code == 422
    assert 'id="e-services[0].needs" role="alert">Ungültig:' in response.get_data(as_text=True)
    response = editor.post("/bearbeiten/wiq", data={**base, "notes": "Bitte vorher anrufen."})
    assert response.status_code == 302
    saved = record(data_path, "wiq")
    assert saved["notes"] == "Bitte vorher anrufen."
    assert saved["phone"] == "02151 86 34 72" and len(saved["services"][0]["needs"]) == 6
