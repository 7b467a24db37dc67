"""The /netzwerk pages: read-only use, login, CSRF, link forms, stale-digest conflicts, exports."""

from __future__ import annotations

import hashlib
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
    return create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SECRET_KEY": "test",
            "CACHE_DIR": str(tmp_path / "cache"),
        }
    )


@pytest.fixture
def editor(editor_app: Any) -> Any:
    """Return a client of the app."""
    return editor_app.test_client()


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]* value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


def messages(html: str) -> list[str]:
    return re.findall(
        r'<p class="(?:box|problems)" role="(?:status|alert)">(.*?)</p>', html, re.DOTALL
    )


def field_errors(html: str) -> dict[str, str]:
    """Return the messages shown next to form fields, by field name."""
    return dict(
        re.findall(
            r'<span class="field-error" id="err-(\w+)" role="alert">(.*?)</span>', html, re.DOTALL
        )
    )


def log_in(client: Any) -> str:
    """Log in and return the /netzwerk page HTML."""
    page = client.get("/netzwerk/anmelden").get_data(as_text=True)
    response = client.post(
        "/netzwerk/anmelden",
        data={
            "csrf_token": field(page, "csrf_token"),
            "konto": "anna",
            "passwort": PASSWORD,
            "weiter": "/netzwerk",
        },
    )
    assert response.status_code == 302 and response.location == "/netzwerk"
    return str(client.get("/netzwerk").get_data(as_text=True))


def form(html: str, **values: str) -> dict[str, str]:
    return {
        "csrf_token": field(html, "csrf_token"),
        "digest": field(html, "digest"),
        "weiter": "/netzwerk",
        **values,
    }


def links_in(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("links") or []


def _page(client: Any) -> Any:
    """Return GET /netzwerk once the background analysis is done (each try waits for it)."""
    response = client.get("/netzwerk")
    while response.status_code == 503:
        response = client.get("/netzwerk")
    return response


def test_read_only_page_needs_no_login(client: Any) -> None:
    response = _page(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Kooperationsnetzwerk</h1>" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert '<a href="/einrichtung/wiq" data-id="wiq"' in html
    for heading in (
        "Brückenbauer",
        "Ohne Kooperation (3)",
        "Versorgung und Lücken",
        "Vorgeschlagene Kontakte",
        "Export",
    ):
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


@pytest.mark.parametrize(
    ("url", "status"), [("/netzwerk/gibtsnicht", 404), ("/netzwerk/export/dot", 404)]
)
def test_not_found(client: Any, url: str, status: int) -> None:
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("fmt", "mimetype", "start"),
    [
        ("graphml", "application/graphml+xml", b"<?xml"),
        ("gexf", "application/gexf+xml", b"<?xml"),
        ("json", "application/json", b"{"),
        ("csv", "text/csv", b"from,to,kind"),
        ("svg", "image/svg+xml", b"<svg"),
        ("png", "image/png", b"\x89PNG"),
    ],
)
def test_exports_download(client: Any, fmt: str, mimetype: str, start: bytes) -> None:
    response = client.get(f"/netzwerk/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data.startswith(start)
    assert re.fullmatch(
        rf'attachment; filename="wiqnet-netzwerk-\d{{4}}-\d\d-\d\d\.{fmt}"',
        response.headers["Content-Disposition"],
    )


def test_login_shows_forms_and_logout_hides_them(editor: Any) -> None:
    html = log_in(editor)
    assert "Angemeldet als Koordinatorin." in html
    assert 'action="/netzwerk/verbindung"' in html
    editor.post("/abmelden", data={"csrf_token": field(html, "csrf_token")})
    assert 'action="/netzwerk/verbindung"' not in editor.get("/netzwerk").get_data(as_text=True)


def test_add_link_from_the_web(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    response = editor.post(
        "/netzwerk/verbindung",
        data=form(
            html,
            von="wiq",
            zu="kita-st-stephan",
            art="kooperation",
            seit="2023-02-01",
            quelle="Protokoll",
        ),
    )
    assert response.status_code == 302
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [
        (
            "Verbindung eingetragen: WiQ – Wir im Quartier – Katholische "
            "Kindertageseinrichtung Sankt Stephan (Kooperation)."
        )
    ]
    assert links_in(data_path)[-1] == {
        "from": "wiq",
        "to": "kita-st-stephan",
        "kind": "kooperation",
        "since": date(2023, 2, 1),
        "sources": [{"file": "Protokoll", "date": date(2023, 2, 1), "supports": ["cooperation"]}],
    }
    assert field(page, "digest") != field(html, "digest")


def test_stale_digest_is_refused_with_a_clear_message(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    with data_path.open("a", encoding="utf-8") as handle:
        handle.write("# von Hand ergänzt\n")
    response = editor.post(
        "/netzwerk/verbindung",
        data=form(html, von="wiq", zu="kita-st-stephan", art="kooperation", quelle="Protokoll"),
    )
    assert response.location == (
        "/netzwerk?von=wiq&zu=kita-st-stephan&art=kooperation&quelle=Protokoll#eintragen"
    )
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [
        (
            "Die Datei wurde inzwischen geändert – von jemand anderem oder in einem Editor. Ihre "
            "Änderung wurde nicht gespeichert, damit nichts verloren geht. Die Seite zeigt jetzt "
            "den neuen Stand; bitte prüfen und noch einmal eintragen."
        )
    ]
    assert field(page, "von") == "WiQ – Wir im Quartier"  # the form keeps the choice, by name
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
    response = editor.post(
        "/netzwerk/verbindung",
        data={
            "csrf_token": field(html, "csrf_token"),
            "digest": "x",
            "von": "wiq",
            "zu": "kita-st-stephan",
            "art": "kooperation",
        },
    )
    assert response.status_code == 403
    assert len(links_in(data_path)) == 1


@pytest.mark.parametrize(
    ("values", "name", "message"),
    [
        (
            {"von": "wiq", "zu": "nirgends", "art": "kooperation"},
            "zu",
            "Die Einrichtung „nirgends“ gibt es nicht im Verzeichnis.",
        ),
        (
            {"von": "nirgends", "zu": "wiq", "art": "kooperation"},
            "von",
            "Die Einrichtung „nirgends“ gibt es nicht im Verzeichnis.",
        ),
        (
            {"von": "wiq", "zu": "wiq", "art": "kooperation"},
            "zu",
            "Bitte zwei verschiedene Einrichtungen wählen.",
        ),
        (
            {"von": "wiq", "zu": "jobcenter", "art": "freundschaft"},
            "art",
            "Bitte eine Art der Verbindung wählen.",
        ),
        (
            {"von": "wiq", "zu": "jobcenter", "art": "vermittlung"},
            "zu",
            "Diese Verbindung ist schon eingetragen.",
        ),
        (
            {"von": "wiq", "zu": "jobcenter", "art": "kooperation", "seit": "1.2.2023"},
            "seit",
            "Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2024-03-01.",
        ),
        (
            {
                "von": "wiq",
                "zu": "jobcenter",
                "art": "kooperation",
                "seit": "2024-03-01",
                "bis": "2023-01-31",
            },
            "bis",
            "Nicht gespeichert: das Ende (2023-01-31) liegt vor dem Beginn (2024-03-01).",
        ),
    ],
    ids=["unknown", "unknown-from", "self", "kind", "duplicate", "date", "until-before-since"],
)
def test_bad_form_input_is_shown_next_to_its_field(
    editor: Any, data_path: Path, values: dict[str, str], name: str, message: str
) -> None:
    html = log_in(editor)
    before = data_path.read_bytes()
    response = editor.post("/netzwerk/verbindung", data=form(html, **values))
    page = editor.get(response.location).get_data(as_text=True)
    assert field_errors(page) == {name: message}
    assert messages(page) == []
    assert re.search(rf'name="{name}"[^>]*aria-invalid="true" aria-describedby="err-{name}"', page)
    assert data_path.read_bytes() == before


def test_refusals_are_worded_in_english_too(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    values = {
        "von": "wiq",
        "zu": "jobcenter",
        "art": "kooperation",
        "seit": "2024-03-01",
        "bis": "2023-01-31",
    }
    editor.set_cookie("lang", "en")
    response = editor.post("/netzwerk/verbindung", data=form(html, **values))
    assert field_errors(editor.get(response.location).get_data(as_text=True)) == {
        "bis": "Not saved: the end (2023-01-31) lies before the start (2024-03-01)."
    }


def test_removing_a_link_that_is_not_recorded_is_a_german_message(
    editor: Any, data_path: Path
) -> None:
    html = log_in(editor)
    response = editor.post(
        "/netzwerk/verbindung/entfernen",
        data={
            "csrf_token": field(html, "csrf_token"),
            "digest": field(html, "digest"),
            "von": "wiq",
            "zu": "kita-st-stephan",
            "art": "kooperation",
            "bestaetigt": "1",
        },
    )
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == ["Diese Verbindung ist nicht (mehr) eingetragen."]


def test_remove_link_from_the_ego_view(editor: Any, data_path: Path) -> None:
    log_in(editor)
    html = editor.get("/netzwerk/wiq").get_data(as_text=True)
    assert 'action="/netzwerk/verbindung/entfernen"' in html
    response = editor.post(
        "/netzwerk/verbindung/entfernen",
        data={
            "csrf_token": field(html, "csrf_token"),
            "digest": field(html, "digest"),
            "weiter": "/netzwerk/wiq?schritte=1",
            "von": "wiq",
            "zu": "jobcenter",
            "art": "vermittlung",
            "bestaetigt": "1",
        },
    )
    assert response.location == "/netzwerk/wiq?schritte=1"
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == ["Verbindung entfernt: WiQ – Wir im Quartier – Jobcenter Krefeld."]
    assert links_in(data_path) == []


def test_a_slow_first_analysis_answers_with_a_self_reloading_page(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from wiqnet.web import network as web_network

    release = threading.Event()
    original = web_network._prepare

    def slow(*args: Any) -> None:
        release.wait(10)
        original(*args)

    monkeypatch.setattr(web_network, "_prepare", slow)
    monkeypatch.setattr(web_network, "WAIT_SECONDS", 0.05)
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


def test_suggestions_are_introduced_by_their_rules(client: Any) -> None:
    html = _page(client).get_data(as_text=True)
    intro = html.split('id="vorschlaege"', 1)[1].split("</p>", 2)
    assert "nicht beim selben Träger" in intro[0] and "höchstens 2\u00a0km" in intro[0]
    assert "Familien" in intro[0] and "getrennte Teile des Netzwerks" in intro[1]
    english = client.get("/netzwerk?lang=en").get_data(as_text=True)
    assert "not under the same operator" in english and "at most 2\u00a0km apart" in english


def test_a_link_removed_in_the_file_can_be_added_before_the_next_reload_check(
    editor_app: Any, data_path: Path
) -> None:
    editor_app.extensions["wiqnet"].interval = 3600  # this process checks the file rarely
    editor = editor_app.test_client()
    html = log_in(editor)
    data = yaml.safe_load(data_path.read_text(encoding="utf-8"))
    data["links"] = []
    data_path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    fresh = hashlib.sha256(data_path.read_bytes()).hexdigest()
    response = editor.post(
        "/netzwerk/verbindung",
        data={
            **form(html, von="wiq", zu="jobcenter", art="vermittlung", quelle="Protokoll"),
            "digest": fresh,
        },
    )
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [
        ("Verbindung eingetragen: WiQ – Wir im Quartier – Jobcenter Krefeld (Vermittlung).")
    ]
    assert [(x["from"], x["to"], x["kind"]) for x in links_in(data_path)] == [
        ("wiq", "jobcenter", "vermittlung")
    ]


def test_a_full_disk_on_a_web_write_is_a_message_not_a_500(
    editor: Any, data_path: Path, full_disk: Any
) -> None:
    html = log_in(editor)
    before = data_path.read_bytes()
    full_disk(1)
    response = editor.post(
        "/netzwerk/verbindung",
        data=form(html, von="wiq", zu="kita-st-stephan", art="kooperation", quelle="Protokoll"),
    )
    assert response.status_code == 302
    page = editor.get(response.location).get_data(as_text=True)
    assert messages(page) == [
        (
            "Nicht gespeichert: die Datei kann nicht geschrieben werden (der Datenträger ist voll, "
            "oder es fehlen Schreibrechte). Nichts wurde geändert."
        )
    ]
    assert data_path.read_bytes() == before


def test_removing_a_link_asks_for_confirmation_first(editor: Any, data_path: Path) -> None:
    log_in(editor)
    html = editor.get("/netzwerk/wiq").get_data(as_text=True)
    before = data_path.read_bytes()
    asked = editor.post(
        "/netzwerk/verbindung/entfernen",
        data={
            "csrf_token": field(html, "csrf_token"),
            "digest": field(html, "digest"),
            "weiter": "/netzwerk/wiq",
            "von": "wiq",
            "zu": "jobcenter",
            "art": "vermittlung",
        },
    )
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and data_path.read_bytes() == before
    assert (
        "Soll die Verbindung WiQ – Wir im Quartier – Jobcenter Krefeld (Vermittlung) aus "
        "dem Verzeichnis entfernt werden?"
    ) in page
    assert '<input type="hidden" name="bestaetigt" value="1">' in page
    assert '<a href="/netzwerk/wiq">Abbrechen</a>' in page


def test_link_form_picks_institutions_by_name(editor: Any, data_path: Path) -> None:
    html = log_in(editor)
    assert '<option value="Katholische Kindertageseinrichtung Sankt Stephan">' in html
    assert "Von (Name der Einrichtung)" in html
    response = editor.post(
        "/netzwerk/verbindung",
        data=form(
            html,
            von="WiQ – Wir im Quartier",
            zu="katholische kindertageseinrichtung sankt stephan",
            art="kooperation",
            quelle="Protokoll",
        ),
    )
    assert response.status_code == 302
    assert links_in(data_path)[-1]["to"] == "kita-st-stephan"


def test_form_errors_stand_next_to_the_form(editor: Any) -> None:
    html = log_in(editor)
    response = editor.post(
        "/netzwerk/verbindung",
        data=form(html, von="Nirgendwo", zu="jobcenter", art="kooperation", quelle="x"),
    )
    page = editor.get(response.location).get_data(as_text=True)
    section = page[page.index('id="eintragen"') :]
    assert "Die Einrichtung „Nirgendwo“ gibt es nicht im Verzeichnis." in section
    assert page.count("Die Einrichtung „Nirgendwo“") == 1
    assert field(page, "von") == "Nirgendwo"


def test_funders_report_downloads_as_html(client: Any) -> None:
    page = client.get("/netzwerk").get_data(as_text=True)
    assert 'href="/netzwerk/bericht.pdf" download>PDF</a>' in page
    response = client.get("/netzwerk/bericht.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/netzwerk/bericht.doc").status_code == 404
    assert client.get("/netzwerk/bericht.html?vergleich=gestern").status_code == 400


@pytest.mark.browser
def test_funders_report_downloads_as_pdf(client: Any) -> None:
    response = client.get("/netzwerk/bericht.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_network_csv_for_excel(client: Any) -> None:
    page = client.get("/netzwerk").get_data(as_text=True)
    assert 'href="/netzwerk/export/csv?excel=1" download>CSV für Excel</a>' in page
    body = client.get("/netzwerk/export/csv?excel=1").data
    assert body.startswith("\ufeff".encode()) and b";" in body.splitlines()[0]
    assert "wiq;jobcenter;vermittlung;true" in body.decode("utf-8-sig")


def test_dashboard_links_to_every_part_and_the_form_from_the_top(editor: Any) -> None:
    html = log_in(editor)
    top = html[html.index("<h1>") : html.index('<h2 id="diagramm">')]
    for target in ("#diagramm", "#bruecken", "#vorschlaege", "#export", "#eintragen"):
        assert f'href="{target}"' in top
    assert "/netzwerk/bericht.pdf" in html and "/netzwerk/bericht.html" in html
    assert 'class="net-phone-list"' in html


def test_report_downloads_as_html(client: Any) -> None:
    _page(client)
    response = client.get("/netzwerk/bericht.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="wiqnet-netzwerkbericht-'
    )
    assert "Netzwerkbericht WiQ" in response.get_data(as_text=True)
    assert client.get("/netzwerk/bericht.doc").status_code == 404


def test_explore_data_has_degree_broker_score_and_services(client: Any) -> None:
    _page(client)
    data = client.get("/netzwerk/daten.json").get_json()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {"wiq", "jobcenter"}
    assert nodes["wiq"]["degree"] == 1 and nodes["wiq"]["services"] == [
        "Fallmanagement für Familien"
    ]
    assert data["edges"][0]["kindLabel"] == "Vermittlung" and data["edges"][0]["directed"]
