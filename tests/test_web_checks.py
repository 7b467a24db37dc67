"""Checking in the browser: the Prüfliste, recording a check, coverage, history, stale cards."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.accounts import Accounts
from wiqnet.datafile import history, update_institution

PASSWORD = "geheim-genug-123"


@pytest.fixture
def web(instance_dir: Path, data_path: Path) -> Any:
    """Return the app with an editor "ben" and a coordinator "cora"."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    Accounts(instance_dir).add("cora", "coordinator", PASSWORD)
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})
    app.extensions["wiqnet"].interval = 0  # the tests also write the file directly
    return app


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "no csrf token"
    return unescape(found.group(1))


def log_in(web: Any, name: str) -> Any:
    client = web.test_client()
    page = client.get("/anmelden").get_data(as_text=True)
    response = client.post(
        "/anmelden", data={"csrf_token": token(page), "konto": name, "passwort": PASSWORD}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def editor(web: Any) -> Any:
    """Return a client logged in as editor."""
    return log_in(web, "ben")


def verified(path: Path, inst_id: str) -> Any:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["institutions"] if i["id"] == inst_id).get("verified")


def post_check(client: Any, inst_id: str, **fields: str) -> Any:
    page = client.get("/pruefliste").get_data(as_text=True)
    data = {"csrf_token": token(page), "datum": date.today().isoformat(), "art": "phone"}
    return client.post(f"/pruefen/{inst_id}", data={**data, **fields})


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="eintrag-([^"]+)">', html)


def test_anonymous_visitors_are_sent_to_the_login(web: Any) -> None:
    client = web.test_client()
    for url in ("/pruefliste", "/pruefen/wiq", "/verlauf/wiq"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/anmelden" in response.location


def test_the_list_is_ordered_by_staleness_and_counts_coverage(editor: Any) -> None:
    html = editor.get("/pruefliste").get_data(as_text=True)
    order = rows(html)
    # oldest confirmation first: the 2017 open-data records, WiQ (2021), ...
    assert order.index("fabrik-heeder") < order.index("wiq")
    assert "veraltet" in html
    assert "In den letzten 12 Monaten geprüft: 0 von 5 aktiven Einrichtungen (0 %)." in html


def test_filters_by_need_quarter_and_status(editor: Any, data_path: Path) -> None:
    only = rows(editor.get("/pruefliste?bedarf=schutz").get_data(as_text=True))
    assert only == ["hilfetelefon-gewalt"]
    update_institution(data_path, "jobcenter", {"status": "inactive"}, expected_digest=None)
    assert "jobcenter" not in rows(editor.get("/pruefliste").get_data(as_text=True))
    assert rows(editor.get("/pruefliste?status=inactive").get_data(as_text=True)) == ["jobcenter"]
    assert "jobcenter" in rows(editor.get("/pruefliste?status=alle").get_data(as_text=True))
    quarter = rows(editor.get("/pruefliste?quartier=stephanplatz").get_data(as_text=True))
    everything = rows(editor.get("/pruefliste").get_data(as_text=True))
    assert set(quarter) <= set(everything)
    # unknown filter values are ignored, never an error
    assert editor.get("/pruefliste?bedarf=x&quartier=y&status=z&seite=abc").status_code == 200


def test_recording_a_check_updates_verified_logs_it_and_drops_the_entry(
    editor: Any, data_path: Path
) -> None:
    before = rows(editor.get("/pruefliste").get_data(as_text=True))
    assert before[0] != "wiq" and "wiq" in before
    first = before[0]
    response = post_check(
        editor, first, art="website", notiz="Website gelesen", weiter="/pruefliste"
    )
    assert response.status_code == 302
    assert response.location == "/pruefliste"
    assert str(verified(data_path, first)) == date.today().isoformat()
    (entry,) = history(data_path, first)
    assert (entry.action, entry.actor, entry.reason) == ("check", "ben", "Website gelesen")
    assert entry.details == {"method": "website", "on": date.today().isoformat()}
    html = editor.get("/pruefliste").get_data(as_text=True)
    assert rows(html)[0] != first  # no longer the stalest
    row = html[html.index(f'<tr id="eintrag-{first}">') :].split("</tr>")[0]
    assert "veraltet" not in row
    assert "Prüfung eingetragen" in html
    assert "In den letzten 12 Monaten geprüft: 1 von 5" in html


def test_a_second_check_on_the_same_day_is_still_logged(editor: Any, data_path: Path) -> None:
    assert post_check(editor, "wiq").status_code == 302
    assert post_check(editor, "wiq", art="visit", notiz="vor Ort").status_code == 302
    entries = history(data_path, "wiq")
    assert [e.details["method"] for e in entries] == ["phone", "visit"]
    assert entries[1].changes == ()


def test_an_older_check_never_moves_verified_back(editor: Any, data_path: Path) -> None:
    post_check(editor, "wiq")
    post_check(editor, "wiq", datum="2020-01-01")
    assert str(verified(data_path, "wiq")) == date.today().isoformat()
    assert history(data_path, "wiq")[1].details["on"] == "2020-01-01"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"datum": "30.11.2026"}, "datum", "Bitte das Datum als JJJJ-MM-TT angeben"),
        ({"datum": "x" * 5000}, "datum", "Bitte das Datum als JJJJ-MM-TT angeben"),
        (
            {"datum": (date.today() + timedelta(days=30)).isoformat()},
            "datum",
            "Das Datum liegt in der Zukunft",
        ),
        ({"art": ""}, "art", "Bitte angeben, wie geprüft wurde."),
        ({"art": "suggestion"}, "art", "Bitte angeben, wie geprüft wurde."),
        ({"art": "telepathy" * 100}, "art", "Bitte angeben, wie geprüft wurde."),
        ({"notiz": "x" * 501}, "notiz", "Die Notiz ist zu lang (höchstens 500 Zeichen)."),
    ],
)
def test_bad_fields_get_german_messages_and_the_form_back(
    editor: Any, data_path: Path, fields: dict[str, str], field: str, message: str
) -> None:
    response = post_check(editor, "wiq", **{"notiz": "meine Notiz", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="e-{field}"' in html
    assert message in unescape(html)
    if field != "notiz":
        assert "meine Notiz" in html
    assert history(data_path) == []


def test_without_csrf_token_a_clear_page(editor: Any, data_path: Path) -> None:
    response = editor.post("/pruefen/wiq", data={"datum": "2026-11-01", "art": "phone"})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    assert history(data_path) == []


def test_an_unknown_institution_is_a_404(editor: Any) -> None:
    assert editor.get("/pruefen/gibt-es-nicht").status_code == 404
    assert post_check(editor, "gibt-es-nicht").status_code == 404
    assert editor.get("/verlauf/gibt-es-nicht").status_code == 404


def test_the_history_lists_changes_newest_first_in_german(
    editor: Any, web: Any, data_path: Path
) -> None:
    update_institution(
        data_path, "jobcenter", {"phone": "+49 2151 1"}, expected_digest=None, actor="anna"
    )
    post_check(editor, "jobcenter", notiz="Telefonisch bestätigt")
    coordinator = log_in(web, "cora")
    html = unescape(coordinator.get("/verlauf/jobcenter").get_data(as_text=True))
    assert html.index("Geprüft · ben") < html.index("Bearbeitet · anna")
    assert "Telefonisch bestätigt" in html
    assert "Geprüft per Telefon" in html
    assert "<td>Telefon</td>" in html and "<td>+49 2151 1</td>" in html
    assert "<td>Geprüft am</td>" in html
    # the link recorded for the jobcenter shows too (removed by the coordinator)
    assert editor.get("/verlauf/jobcenter").status_code == 200


def test_the_history_of_a_record_without_changes(editor: Any) -> None:
    html = editor.get("/verlauf/wiq").get_data(as_text=True)
    assert "noch keine Änderung aufgezeichnet" in html


def test_the_start_page_and_status_show_coverage(editor: Any, web: Any) -> None:
    post_check(editor, "wiq")
    start = editor.get("/").get_data(as_text=True)
    assert "In den letzten 12 Monaten geprüft: 1 von 5 aktiven Einrichtungen (20 %)." in start
    assert 'href="/pruefliste"' in start
    anonymous = web.test_client()
    assert "/pruefliste" not in anonymous.get("/").get_data(as_text=True)
    status = anonymous.get("/status").get_data(as_text=True)
    assert "1 von 5 aktiven Einrichtungen" in status


def test_the_institution_page_links_editors_to_check_and_history(editor: Any, web: Any) -> None:
    html = editor.get("/einrichtung/wiq").get_data(as_text=True)
    assert 'href="/pruefen/wiq"' in html and 'href="/verlauf/wiq"' in html
    assert "/pruefen/wiq" not in web.test_client().get("/einrichtung/wiq").get_data(as_text=True)


def test_stale_results_are_marked_in_search(web: Any, data_path: Path) -> None:
    client = web.test_client()
    html = client.get("/suche?q=Kita").get_data(as_text=True)
    assert "nicht bestätigt seit 12.09.2017" in html
    update_institution(
        data_path, "kita-st-stephan", {"verified": date.today()}, expected_digest=None
    )
    html = client.get("/suche?q=Kita").get_data(as_text=True)
    card = html[html.index("Katholische Kindertageseinrichtung") :][:400]
    assert "nicht bestätigt seit" not in card


def test_the_list_pages(editor: Any, data_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wiqnet.web import checks

    monkeypatch.setattr(checks, "PER_PAGE", 2)
    first = editor.get("/pruefliste").get_data(as_text=True)
    assert "Seite 1 von 3" in first and len(rows(first)) == 2
    last = editor.get("/pruefliste?seite=99").get_data(as_text=True)
    assert "Seite 3 von 3" in last and len(rows(last)) == 1


def test_with_git_commit_a_check_is_committed_as_the_editor(
    instance_dir: Path, data_path: Path
) -> None:
    from wiqnet.web import create_app

    git = ["git", "-C", str(data_path.parent)]
    subprocess.run([*git, "init", "-q"], check=True)
    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none", "GIT_COMMIT": True})
    assert post_check(log_in(app, "ben"), "wiq", notiz="am Telefon").status_code == 302
    log = subprocess.run([*git, "log", "--format=%an|%s|%b"], capture_output=True, text=True)
    assert log.stdout.strip() == "ben|wiqnet check: wiq|am Telefon"


def test_a_save_in_the_edit_form_is_logged_as_the_editor(editor: Any, data_path: Path) -> None:
    html = editor.get("/bearbeiten/wiq").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([^"]*)"', html)
    assert digest
    response = editor.post(
        "/bearbeiten/wiq",
        data={"csrf_token": token(html), "digest": digest.group(1), "phone": "02151 86 00 00"},
    )
    assert response.status_code == 302
    (entry,) = history(data_path, "wiq")
    assert (entry.actor, entry.action) == ("ben", "edit")
    assert [(c.field, c.after) for c in entry.changes] == [("phone", "02151 86 00 00")]
