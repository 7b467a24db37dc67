"""Suggestions from the public and their review: form, limits, honeypot, diff, accept, reject."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiqnet.accounts import Accounts
from wiqnet.datafile import history
from wiqnet.state import StateDB, add_suggestion, get_suggestion, list_suggestions

PASSWORD = "geheim-genug-123"


@pytest.fixture
def web(instance_dir: Path, data_path: Path) -> Any:
    """Return the app with an editor "ben" and a low suggestion limit."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    return create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SUGGEST_RATE_LIMIT": "3 per hour",
        }
    )


def value(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"[^>]* value="([^"]*)"', html)
    assert found, f"no field {name}"
    return unescape(found.group(1))


def anonymous(web: Any) -> Any:
    client = web.test_client()
    client.environ_base["HTTP_REFERER"] = "http://localhost/"
    return client


@pytest.fixture
def editor(web: Any) -> Any:
    """Return a client logged in as editor."""
    client = anonymous(web)
    page = client.get("/anmelden").get_data(as_text=True)
    response = client.post(
        "/anmelden",
        data={"csrf_token": value(page, "csrf_token"), "konto": "ben", "passwort": PASSWORD},
    )
    assert response.status_code == 302
    return client


def suggest(client: Any, inst_id: str = "wiq", **fields: Any) -> Any:
    page = client.get(f"/einrichtung/{inst_id}/vorschlag").get_data(as_text=True)
    return client.post(
        f"/einrichtung/{inst_id}/vorschlag",
        data={"csrf_token": value(page, "csrf_token"), **fields},
    )


def stored(instance_dir: Path) -> list[Any]:
    return list_suggestions(StateDB(instance_dir), "open")[0]


def record(path: Path, inst_id: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["institutions"] if i["id"] == inst_id)


def test_every_institution_page_links_to_the_form(web: Any) -> None:
    html = anonymous(web).get("/einrichtung/wiq").get_data(as_text=True)
    assert 'href="/einrichtung/wiq/vorschlag"' in html
    assert "Fehler melden / Änderung vorschlagen" in html


def test_the_form_warns_never_to_enter_anything_about_a_family(web: Any) -> None:
    html = anonymous(web).get("/einrichtung/wiq/vorschlag").get_data(as_text=True)
    assert "niemals etwas über eine Familie" in html
    assert value(html, "phone") == "02151 86 34 72"
    english = anonymous(web).get("/einrichtung/wiq/vorschlag?lang=en").get_data(as_text=True)
    assert "never enter anything about a family" in english


def test_a_suggestion_is_stored_not_written(web: Any, data_path: Path, instance_dir: Path) -> None:
    before = data_path.read_bytes()
    response = suggest(
        anonymous(web),
        phone="02151 99 99 99",
        **{"services[0].description": "Neu beschrieben.", "kontakt": "info@example.org"},
    )
    assert response.status_code == 302
    assert response.location.endswith("/einrichtung/wiq/vorschlag/danke")
    assert data_path.read_bytes() == before
    [found] = stored(instance_dir)
    assert found.institution == "wiq"
    assert found.contact == "info@example.org"
    assert found.payload["changes"] == {
        "phone": "02151 99 99 99",
        "services#wiq-fallmanagement.description": "Neu beschrieben.",
    }
    assert found.payload["before"]["phone"] == "02151 86 34 72"


def test_the_honeypot_thanks_and_stores_nothing(web: Any, instance_dir: Path) -> None:
    response = suggest(anonymous(web), phone="0800 123", website2="http://spam.example")
    assert response.status_code == 302
    assert response.location.endswith("/vorschlag/danke")
    assert stored(instance_dir) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "1" * 51}, "Bitte höchstens 50 Zeichen"),
        ({"nachricht": "x" * 2001}, "Bitte höchstens 2000 Zeichen"),
        ({"kontakt": "k" * 201}, "Bitte höchstens 200 Zeichen"),
        ({"opening_hours": "Mo-Fr 9-17 Uhr"}, "Die Öffnungszeiten sind so nicht lesbar"),
        ({"services[0].minimum_age": "zwölf"}, "Bitte eine Zahl angeben"),
        ({"phone": "0800\x00123"}, "Bitte keine Steuerzeichen"),
        ({}, "mindestens eine Änderung"),
        ({"neu.name": "Neues Café"}, "Name, Beschreibung und Anliegen"),
    ],
    ids=[
        "phone-too-long",
        "message-too-long",
        "contact-too-long",
        "bad-hours",
        "bad-age",
        "control-character",
        "nothing",
        "half-a-new-service",
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    web: Any, instance_dir: Path, fields: dict[str, str], message: str
) -> None:
    response = suggest(anonymous(web), **fields)
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert stored(instance_dir) == []


def test_the_total_size_is_limited(
    web: Any, instance_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiqnet.web import suggestform

    monkeypatch.setattr(suggestform, "MAX_TOTAL", 100)
    response = suggest(anonymous(web), nachricht="x" * 60, accessibility="y" * 60)
    assert response.status_code == 422
    assert "Zu viel Text auf einmal" in response.get_data(as_text=True)
    assert stored(instance_dir) == []


def test_typed_text_comes_back_escaped(web: Any) -> None:
    response = suggest(anonymous(web), phone="1" * 60, nachricht="<script>alert(1)</script>")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_missing_csrf_token_gets_a_clear_page(web: Any, instance_dir: Path) -> None:
    response = anonymous(web).post("/einrichtung/wiq/vorschlag", data={"phone": "0800 1"})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen" in response.get_data(as_text=True)
    assert stored(instance_dir) == []


def test_an_unknown_institution_is_a_404_page(web: Any) -> None:
    client = anonymous(web)
    assert client.get("/einrichtung/gibt-es-nicht/vorschlag").status_code == 404
    response = client.post("/einrichtung/gibt-es-nicht/vorschlag", data={"phone": "1"})
    assert response.status_code in (400, 404)
    assert client.get("/einrichtung/gibt-es-nicht/vorschlag/danke").status_code == 404


def test_senders_are_rate_limited_per_address(web: Any, instance_dir: Path) -> None:
    client = anonymous(web)
    statuses = [suggest(client, nachricht=f"Hinweis {n}").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert "Zu viele Anfragen" in suggest(client, nachricht="noch einer").get_data(as_text=True)
    assert len(stored(instance_dir)) == 3
    other = anonymous(web)
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert suggest(other, nachricht="von woanders").status_code == 302


def test_an_app_without_limits_made_before_leaves_the_limit_on(data_path: Path) -> None:
    from wiqnet.web import create_app

    create_app({"TESTING": True, "DATA": str(data_path), "RATELIMIT_ENABLED": False})
    limited = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SUGGEST_RATE_LIMIT": "1 per hour",
        }
    )
    client = anonymous(limited)
    statuses = [suggest(client, nachricht=f"Hinweis {n}").status_code for n in range(2)]
    assert statuses == [302, 429]


def test_the_queue_is_for_editors_only(web: Any, editor: Any) -> None:
    assert anonymous(web).get("/vorschlaege").status_code == 302
    assert editor.get("/vorschlaege").status_code == 200
    suggest(anonymous(web), nachricht="Die Kita hat einen neuen Eingang.")
    start = editor.get("/").get_data(as_text=True)
    assert '<a href="/vorschlaege">Offene Vorschläge: 1</a>' in start
    assert "Offene Vorschläge" not in anonymous(web).get("/").get_data(as_text=True)


def test_review_shows_a_diff_and_accepting_writes_it(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    suggest(anonymous(web), phone="02151 99 99 99", nachricht="<b>bitte</b>")
    [found] = stored(instance_dir)
    queue = editor.get("/vorschlaege").get_data(as_text=True)
    assert f'href="/vorschlaege/{found.id}"' in queue
    page = editor.get(f"/vorschlaege/{found.id}").get_data(as_text=True)
    assert re.search(r"02151 86 34 72</td>\s*<td class=\"after\">02151 99 99 99", page)
    assert "&lt;b&gt;bitte&lt;/b&gt;" in page
    response = editor.post(
        f"/vorschlaege/{found.id}/annehmen",
        data={"csrf_token": value(page, "csrf_token"), "digest": value(page, "digest")},
    )
    assert response.status_code == 302
    assert record(data_path, "wiq")["phone"] == "02151 99 99 99"
    decided = get_suggestion(StateDB(instance_dir), found.id)
    assert decided is not None
    assert (decided.status, decided.reviewer) == ("accepted", "ben")
    assert "02151 99 99 99" in anonymous(web).get("/einrichtung/wiq").get_data(as_text=True)
    entry, check = history(data_path, "wiq")
    assert (check.action, check.details["method"], check.actor) == ("check", "suggestion", "ben")
    assert record(data_path, "wiq")["verified"] == date.today()
    assert (entry.actor, entry.action) == ("ben", "suggestion-accepted")
    assert entry.reason == f"Vorschlag #{found.id} angenommen"
    assert [(c.field, c.before, c.after) for c in entry.changes] == [
        ("phone", "02151 86 34 72", "02151 99 99 99")
    ]


def test_accepting_on_a_changed_file_keeps_the_suggestion_open(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    suggest(anonymous(web), phone="02151 99 99 99")
    [found] = stored(instance_dir)
    page = editor.get(f"/vorschlaege/{found.id}").get_data(as_text=True)
    data_path.write_text(
        data_path.read_text(encoding="utf-8").replace("02151 86 34 72", "02151 11 11 11"),
        encoding="utf-8",
    )
    response = editor.post(
        f"/vorschlaege/{found.id}/annehmen",
        data={"csrf_token": value(page, "csrf_token"), "digest": value(page, "digest")},
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Die Datei wurde inzwischen geändert" in html
    assert "seit dem Vorschlag geändert (damals: „02151 86 34 72“)" in html
    assert record(data_path, "wiq")["phone"] == "02151 11 11 11"
    assert stored(instance_dir)[0].status == "open"


def test_a_new_service_and_a_closure_are_accepted(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    suggest(
        anonymous(web),
        "kita-st-stephan",
        schliessung="temporarily_closed",
        **{"neu.name": "Sprachcafé", "neu.description": "Deutsch üben.", "neu.needs": "sprache"},
    )
    [found] = stored(instance_dir)
    page = editor.get(f"/vorschlaege/{found.id}").get_data(as_text=True)
    assert "vorübergehend geschlossen" in page
    editor.post(
        f"/vorschlaege/{found.id}/annehmen",
        data={"csrf_token": value(page, "csrf_token"), "digest": value(page, "digest")},
    )
    saved = record(data_path, "kita-st-stephan")
    assert saved["status"] == "temporarily_closed"
    assert saved["services"][-1] == {
        "id": "kita-st-stephan-sprachcafe",
        "name": "Sprachcafé",
        "description": "Deutsch üben.",
        "needs": ["sprache"],
    }


def test_edit_then_accept_opens_the_form_prefilled(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    suggest(anonymous(web), phone="02151 99 99 99", email="neu@krefeld.de")
    [found] = stored(instance_dir)
    form = editor.get(f"/vorschlaege/{found.id}/bearbeiten").get_data(as_text=True)
    assert value(form, "phone") == "02151 99 99 99"
    assert value(form, "vorschlag") == str(found.id)
    response = editor.post(
        "/bearbeiten/wiq",
        data={
            "csrf_token": value(form, "csrf_token"),
            "digest": value(form, "digest"),
            "vorschlag": str(found.id),
            "phone": "02151 99 99 98",
            "email": "neu@krefeld.de",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/vorschlaege")
    saved = record(data_path, "wiq")
    assert (saved["phone"], saved["email"]) == ("02151 99 99 98", "neu@krefeld.de")
    assert stored(instance_dir) == []
    entry = next(e for e in history(data_path, "wiq") if e.action == "suggestion-accepted")
    assert (entry.actor, entry.reason) == ("ben", f"Vorschlag #{found.id} angenommen")


def test_edit_then_accept_adds_the_suggested_service(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    suggest(
        anonymous(web),
        **{"neu.name": "Sprachcafé", "neu.description": "Deutsch üben.", "neu.needs": "sprache"},
    )
    [found] = stored(instance_dir)
    form = editor.get(f"/vorschlaege/{found.id}/bearbeiten").get_data(as_text=True)
    assert value(form, "services[1].name") == "Sprachcafé"
    assert value(form, "neues_angebot") == "1"
    response = editor.post(
        "/bearbeiten/wiq",
        data={
            "csrf_token": value(form, "csrf_token"),
            "digest": value(form, "digest"),
            "vorschlag": str(found.id),
            "neues_angebot": "1",
            "services[1].name": "Sprachcafé am Mittwoch",
            "services[1].description": "Deutsch üben.",
            "services[1].needs": ["", "sprache"],
        },
    )
    assert response.status_code == 302
    added = record(data_path, "wiq")["services"][1]
    assert added["id"] == "wiq-sprachcafe-am-mittwoch"
    assert (added["name"], added["needs"]) == ("Sprachcafé am Mittwoch", ["sprache"])
    assert stored(instance_dir) == []


def test_an_oversized_request_gets_a_clear_page(web: Any, instance_dir: Path) -> None:
    response = suggest(anonymous(web), nachricht="x" * 100, kontakt="y" * 70_000)
    assert response.status_code == 413
    assert "Zu viel Text auf einmal" in response.get_data(as_text=True)
    assert stored(instance_dir) == []


def test_a_save_accepts_only_an_open_suggestion_of_the_same_institution(
    web: Any, editor: Any, instance_dir: Path
) -> None:
    suggest(anonymous(web), "jobcenter", phone="0800 5")
    [found] = stored(instance_dir)
    form = editor.get("/bearbeiten/wiq").get_data(as_text=True)
    response = editor.post(
        "/bearbeiten/wiq",
        data={
            "csrf_token": value(form, "csrf_token"),
            "digest": value(form, "digest"),
            "vorschlag": str(found.id),
            "phone": "0800 6",
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/bearbeiten/wiq")
    assert stored(instance_dir)[0].status == "open"


def test_rejecting_needs_a_reason_and_writes_nothing(
    web: Any, editor: Any, data_path: Path, instance_dir: Path
) -> None:
    before = data_path.read_bytes()
    suggest(anonymous(web), phone="02151 99 99 99")
    [found] = stored(instance_dir)
    page = editor.get(f"/vorschlaege/{found.id}").get_data(as_text=True)
    token = value(page, "csrf_token")
    response = editor.post(f"/vorschlaege/{found.id}/ablehnen", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Bitte einen Grund angeben." in response.get_data(as_text=True)
    response = editor.post(
        f"/vorschlaege/{found.id}/ablehnen",
        data={"csrf_token": token, "grund": "Nummer ist die alte."},
    )
    assert response.status_code == 302
    decided = get_suggestion(StateDB(instance_dir), found.id)
    assert decided is not None
    assert (decided.status, decided.reason) == ("rejected", "Nummer ist die alte.")
    assert data_path.read_bytes() == before
    again = editor.post(
        f"/vorschlaege/{found.id}/ablehnen", data={"csrf_token": token, "grund": "doppelt"}
    )
    assert again.status_code == 409


def test_unknown_suggestions_are_404_pages(editor: Any) -> None:
    assert editor.get("/vorschlaege/999").status_code == 404
    assert editor.get("/vorschlaege/999/bearbeiten").status_code == 404
    assert editor.get("/vorschlaege?seite=abc&status=kaputt").status_code == 200


def test_a_suggestion_for_a_removed_service_is_marked(
    web: Any, editor: Any, instance_dir: Path
) -> None:
    number = add_suggestion(
        StateDB(instance_dir),
        "wiq",
        {"changes": {"services#weg.description": "x"}, "before": {}},
    )
    page = editor.get(f"/vorschlaege/{number}").get_data(as_text=True)
    assert "Dieses Angebot gibt es nicht mehr" in page


def test_the_rate_limit_storage_is_a_setting(data_path: Path) -> None:
    from wiqnet.web import create_app

    app = create_app({"DATA": str(data_path), "TILES": "none", "RATE_LIMIT_STORAGE": "memory://"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "phone",
                "opening_hours",
                "services[0].maximum_age",
                "nachricht",
                "kontakt",
                "neu.name",
                "neu.needs",
                "schliessung",
                "website2",
                "services[9].cost",
            ]
        ),
        st.text(max_size=300),
        max_size=4,
    )
)
def test_any_input_gets_an_answer_never_a_500(data_path: Path, fields: dict[str, str]) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {"TESTING": True, "DATA": str(data_path), "TILES": "none", "RATELIMIT_ENABLED": False}
    )
    response = suggest(anonymous(app), **fields)
    assert response.status_code in (302, 422)
    assert "<script" not in response.get_data(as_text=True).replace('<script src="', "")
