"""The status page and hot reload as seen through the app."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TEST_SOURCE

from wiqnet.web import create_app


def text_of(response: Any) -> str:
    """Return the page's visible text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.fixture
def live(app: Any) -> Any:
    """Return the app with the change check running on every request."""
    app.extensions["wiqnet"].interval = 0
    return app


def test_status_shows_file_counts_and_no_problems(client: Any, data_path: Path) -> None:
    response = client.get("/status")
    assert response.status_code == 200
    text = text_of(response)
    assert f"Datendatei {data_path.name}" in text
    assert str(data_path.parent) not in text  # no absolute path for anonymous visitors
    assert "Einrichtungen 5 Angebote 5 Kooperationen 1 Quartiere 2" in text
    assert re.search(r"Zuletzt geladen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)
    assert "Die Datendatei ist fehlerfrei geladen." in text


def test_an_edit_shows_up_without_a_restart(
    live: Any, data_path: Path, small_data: dict[str, Any]
) -> None:
    client = live.test_client()
    assert client.get("/einrichtung/neu").status_code == 404
    small_data["institutions"].append(
        {
            "id": "neu",
            "name": "Neue Beratungsstelle",
            "sources": [dict(TEST_SOURCE)],
            "services": [
                {
                    "id": "neu-beratung",
                    "name": "Beratung",
                    "description": "Offene Beratung.",
                    "needs": ["sozialberatung"],
                }
            ],
        }
    )
    data_path.write_text(yaml.safe_dump(small_data, allow_unicode=True), encoding="utf-8")
    assert "Neue Beratungsstelle" in text_of(client.get("/einrichtung/neu"))
    assert client.get("/api/institutions").get_json()["count"] == 6


def test_a_broken_edit_keeps_the_last_good_data_and_shows_errors_on_status(
    live: Any, data_path: Path, small_data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    client = live.test_client()
    client.get("/")
    small_data["institutions"][0]["name"] = "Umbenannt"
    small_data["institutions"][0]["services"][0]["needs"] = ["raketen"]
    data_path.write_text(
        yaml.safe_dump(small_data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with caplog.at_level(logging.ERROR):
        page = client.get("/einrichtung/wiq")
    assert page.status_code == 200
    assert "<h1>WiQ – Wir im Quartier</h1>" in page.get_data(as_text=True)
    status = client.get("/status")
    assert status.status_code == 200
    text = text_of(status)
    assert "Die letzte Änderung der Datendatei enthält Fehler" in text
    assert "Die Seiten zeigen weiter den letzten fehlerfreien Stand." in text
    assert re.search(
        rf"{re.escape(data_path.name)}:\d+:\d+: \S+: 'raketen' is not a need "
        "category",
        text,
    )
    assert any("'raketen' is not a need category" in r.getMessage() for r in caplog.records)


def test_a_yaml_syntax_error_is_located_on_status(live: Any, data_path: Path) -> None:
    client = live.test_client()
    client.get("/")
    data_path.write_text("institutions:\n  - id: wiq\n   name: x\n", encoding="utf-8")
    text = text_of(client.get("/status"))
    assert re.search(rf"{re.escape(data_path.name)}:3:\d+: YAML syntax error", text)


def test_without_valid_data_pages_answer_503_and_status_explains(
    directory_yaml: Callable[..., Path],
) -> None:
    path = directory_yaml("institutions: [")
    app = create_app({"TESTING": True, "DATA": str(path), "TILES": "none"})
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 503
    assert "Die Daten sind gerade nicht verfügbar." in text_of(page)
    api = client.get("/api/institutions")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "unavailable"
    status = client.get("/status")
    assert status.status_code == 503
    text = text_of(status)
    assert "Es gibt noch keinen fehlerfreien Stand." in text
    assert "Zuletzt geladen noch nie" in text
    assert re.search(r"institutions\.yaml:\d+:\d+: YAML syntax error", text)


def test_a_file_of_empty_entries_shows_a_hundred_errors_on_status_and_in_the_log(
    live: Any, data_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = live.test_client()
    client.get("/")
    data_path.write_text("institutions:\n" + "- {}\n" * 20_000, encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        status = client.get("/status")
    text = text_of(status)
    assert text.count("missing required field") == 100
    assert "and more errors: validation stops after 100" in text
    assert len(caplog.records) == 102  # the summary, 100 errors and the note
