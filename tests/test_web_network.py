"""The /netzwerk pages: read-only use, login, CSRF, link forms, stale-digest conflicts, exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.accounts import Accounts

PASSWORD = "geheim-genug-123"


@pytest.fixture
def editor_app(data_path: Path, tmp_path: Path, instance_dir: Path) -> Any:
    """Return the app with a coordinator account "anna"."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("anna", "coordinator", PASSWORD)
    return create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none",
                       "SECRET_KEY": "test", "CACHE_DIR": str(tmp_path / "cache")})


@pytest.fixture
def editor(editor_app: Any) -> Any:
    """Return a client of the app."""
    return editor_app.test_client()


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def messages(html: str) -> list[str]:
    return re.findall(r'<p class="(?:box|problems)" role="(?:status|alert)">(.*?)</p>', html,
                      re.DOTALL)


def log_in(client: Any) -> str:
    """Log in and return the /netzwerk page HTML."""
    page = client.get("/netzwerk/anmelden").get_data(as_text=True)
    response = client.post("/netzwerk/anmelden", data={
        "csrf_token": field(page, "csrf_token"), "konto": "anna", "passwort": PASSWORD,
        "weiter": "/netzwerk"})
    assert response.status_code == 302 and response.location == "/netzwerk"
    return str(client.get("/netzwerk").get_data(as_text=True))


def form(html: str, **values: str) -> dict[str, str]:
    return {"csrf_token": field(html, "csrf_token"), "digest": field(html, "digest"),
            "weiter": "/netzwerk", **values}


def links_in(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("links") or []


def test_read_only_page_needs_no_login(client: Any) -> None:
    response = client.get("/netzwerk")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Kooperationsnetzwerk</h1>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert '<a href="/einrichtung/wiq" data-id="wiq">' in html
    for heading in ("Brückenbauer", "Ohne Kooperation (3)", "Versorgung und Lücken",
                    "Vorgeschlagene Kontakte", "Export"):
        assert heading in html
    assert '<iframe class="net-map" src="/karte/netzwerk"' in html
    assert 'action="/netzwerk/verbindung"' not in html
    assert "anmelden" not in html  # no password configured: no login offered


def test_ego_view(client: Any) -> None:
    html = client.get("/netzwerk/wiq?schritte=2").get_data(as_text=True)
    assert "Netzwerk: WiQ – Wir im Quartier" in html
    assert 'aria-current="page">2</strong>' in html
    assert "Jobcenter Krefeld" in html and "Fabrik Heeder" in html
    assert 'stroke="#000000" stroke-width="3"' in html  # the focus is ringed


@pytest.mark.parametrize(("url", "status"), [
    ("/netzwerk/gibtsnicht", 404), ("/netzwerk/export/dot", 404)])
def test_not_found(client: Any, url: str, status: int) -> None:
    assert client.get(url).status_code == status


@pytest.mark.parametrize(("fmt", "mimetype", "start"), [
    ("graphml", "application/graphml+xml", b"<?xml"), ("gexf", "application/gexf+xml", b"<?xml"),
    ("json", "application/json", b"{"), ("csv", "text/csv", b"from,to,kind"),
    ("svg", "image/svg+xml", b"<svg"), ("png", "image/png", b"\x89PNG")])
def test_exports_download(client: Any, fmt: str, mimetype: str, start: bytes) -> None:
    response = client.get(f"/netzwerk/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data.startswith(start)
    assert re.fullmatch(rf'attachment; filename="wiqnet-netzwerk-\d{{4}}-\d\d-\d\d\.{fmt}"',
                        response.headers["Content-Disposition"])


def test_login_shows_forms_and_logout_hides_them(editor: Any) -> None:
    html = log_in(editor)
    assert "Angemeldet als Koordinatorin." in html
    assert 'action="/netzwerk/verbindung"' in html
    editor.post("/abmelden", data={"csrf_token": field(html, "csrf_token")})
    assert 'action="/netzwerk/verbindung"' not in editor.get("/netzwerk").get_data(as_text=True)


def test_add_link_from_the_web(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    response = editor.post("/netzwerk/verbindung", data=form(
        html, von="wiq", zu="kita-st-stephan", art="kooperation", seit="2023-02-01",
        quelle="Protokoll"))
    assert response.status_code == 302
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [("Verbindung eingetragen: WiQ – Wir im Quartier – Katholische "
                              "Kindertageseinrichtung Sankt Stephan (Kooperation).")]
    assert links_in(data_path)[-1] == {"from": "wiq", "to": "kita-st-stephan",
                                       "kind": "kooperation", "since": date(2023, 2, 1),
                                       "sources": [{"file": "Protokoll",
                                                    "date": date(2023, 2, 1),
                                                    "supports": ["cooperation"]}]}
    assert field(page, "digest") != field(html, "digest")


def test_stale_digest_is_refused_with_a_clear_message(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    with data_path.open("a", encoding="utf-8") as handle:
        handle.write("# von Hand ergänzt\n")
    response = editor.post("/netzwerk/verbindung", data=form(
        html, von="wiq", zu="kita-st-stephan", art="kooperation", quelle="Protokoll"))
    assert response.location == ("/netzwerk?von=wiq&zu=kita-st-stephan&art=kooperation"
                                 "&quelle=Protokoll#eintragen")
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [
        ("Die Datei wurde inzwischen geändert – von jemand anderem oder in einem Editor. Ihre "
        "Änderung wurde nicht gespeichert, damit nichts verloren geht. Die Seite zeigt jetzt "
        "den neuen Stand; bitte prüfen und noch einmal eintragen.")]
    assert field(page, "von") == "wiq"  # the form keeps what she typed
    assert data_path.read_text(encoding="utf-8").endswith("# von Hand ergänzt\n")
    assert len(links_in(data_path)) == 1


def test_post_with_a_wrong_csrf_token_is_rejected(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    data = form(html, von="wiq", zu="kita-st-stephan", art="kooperation")
    data["csrf_token"] = "forged"
    assert editor.post("/netzwerk/verbindung", data=data).status_code == 400
    assert len(links_in(data_path)) == 1


def test_post_without_login_is_forbidden(editor: Any, data_path: Path) -> None:
    html = editor.get("/netzwerk/anmelden").get_data(as_text=True)
    response = editor.post("/netzwerk/verbindung", data={
        "csrf_token": field(html, "csrf_token"), "digest": "x", "von": "wiq",
        "zu": "kita-st-stephan", "art": "kooperation"})
    assert response.status_code == 403
    assert len(links_in(data_path)) == 1


@pytest.mark.parametrize(("values", "message"), [
    ({"von": "wiq", "zu": "nirgends", "art": "kooperation"},
     "Die Einrichtung „nirgends“ gibt es nicht im Verzeichnis."),
    ({"von": "wiq", "zu": "wiq", "art": "kooperation"},
     "Bitte zwei verschiedene Einrichtungen wählen."),
    ({"von": "wiq", "zu": "jobcenter", "art": "freundschaft"},
     "Bitte eine Art der Verbindung wählen."),
    ({"von": "wiq", "zu": "jobcenter", "art": "vermittlung"},
     "Diese Verbindung ist schon eingetragen."),
    ({"von": "wiq", "zu": "jobcenter", "art": "kooperation", "seit": "1.2.2023"},
     "Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2024-03-01."),
    ({"von": "wiq", "zu": "jobcenter", "art": "kooperation", "seit": "2024-03-01",
      "bis": "2023-01-31"},
     "Nicht gespeichert: das Ende (2023-01-31) liegt vor dem Beginn (2024-03-01)."),
], ids=["unknown", "self", "kind", "duplicate", "date", "until-before-since"])
def test_bad_form_input(editor: Any, data_path: Path, values: dict[str, str],
                        message: str) -> None:
    html = log_in(editor)
    before = data_path.read_bytes()
    response = editor.post("/netzwerk/verbindung", data=form(html, **values))
    assert messages(editor.get(response.location).get_data(as_text=True)) == [message]
    assert data_path.read_bytes() == before


def test_refusals_are_worded_in_english_too(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    values = {"von": "wiq", "zu": "jobcenter", "art": "kooperation", "seit": "2024-03-01",
              "bis": "2023-01-31"}
    editor.set_cookie("lang", "en")
    response = editor.post("/netzwerk/verbindung", data=form(html, **values))
    assert messages(editor.get(response.location).get_data(as_text=True)) == [
        "Not saved: the end (2023-01-31) lies before the start (2024-03-01)."]


def test_removing_a_link_that_is_not_recorded_is_a_german_message(
        editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    response = editor.post("/netzwerk/verbindung/entfernen", data={
        "csrf_token": field(html, "csrf_token"), "digest": field(html, "digest"),
        "von": "wiq", "zu": "kita-st-stephan", "art": "kooperation"})
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == ["Diese Verbindung ist nicht (mehr) eingetragen."]


def test_remove_link_from_the_ego_view(editor: Any, data_path: Path) -> None:
    log_in(editor)
    html = editor.get("/netzwerk/wiq").get_data(as_text=True)
    assert 'action="/netzwerk/verbindung/entfernen"' in html
    response = editor.post("/netzwerk/verbindung/entfernen", data={
        "csrf_token": field(html, "csrf_token"), "digest": field(html, "digest"),
        "weiter": "/netzwerk/wiq?schritte=1", "von": "wiq", "zu": "jobcenter",
        "art": "vermittlung"})
    assert response.location == "/netzwerk/wiq?schritte=1"
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == ["Verbindung entfernt: WiQ – Wir im Quartier – Jobcenter Krefeld."]
    assert links_in(data_path) == []


def test_a_slow_first_analysis_answers_with_a_self_reloading_page(
        client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from wiqnet.web import network as web_network

    release = threading.Event()
    original = web_network._prepare

    def slow(*args: Any) -> None:
        release.wait(10)
        original(*args)

    monkeypatch.setattr(web_network, "_prepare", slow)
    monkeypatch.setattr(web_network, "WAIT_SECONDS", 0.05)
    web_network._jobs.clear()
    response = client.get("/netzwerk")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    html = response.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Die Auswertung des Netzwerks wird gerade berechnet." in html
    release.set()
    monkeypatch.setattr(web_network, "WAIT_SECONDS", 10.0)
    assert client.get("/netzwerk").status_code == 200


def test_english_page(client: Any) -> None:
    html = client.get("/netzwerk?lang=en").get_data(as_text=True)
    assert "<h1>Cooperation network</h1>" in html
    assert "Work and career" in html or "General social counselling" in html
