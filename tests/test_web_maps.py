"""Map pages: /karte, /karte/suche, /karte/netzwerk, the vendor assets, and their CSP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from wiqnet.web import create_app, display


def nonce_of(response: Any) -> str:
    """Return the script nonce the response's CSP allows."""
    match = re.search(
        r"script-src 'self' 'nonce-([^']+)'", response.headers["Content-Security-Policy"]
    )
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


def places(html: str) -> list[list[Any]]:
    """Return the place tuples of the page's places layer."""
    match = re.search(r"wiqnet\.places\(map_\w+,\s*(\{.*?\})\);", html, re.DOTALL)
    assert match
    return list(json.loads(match.group(1))["places"])


def test_directory_map_page(client: Any) -> None:
    response = client.get("/karte")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Karte – wiqnet</title>" in html
    assert "<h1>Karte aller Einrichtungen</h1>" in html
    assert '<div class="wiq-mapbox"><div class="folium-map"' in re.sub(r"\s+<div", "<div", html)
    assert [p[5] for p in places(html)] == [
        "Fabrik Heeder",
        "Jobcenter Krefeld",
        "Katholische Kindertageseinrichtung Sankt Stephan",
    ]
    assert '"link":"/einrichtung/"' in html
    assert '<option value="arbeit">Arbeit und Beruf</option>' in html


def test_every_script_carries_the_responses_nonce(client: Any) -> None:
    response = client.get("/karte")
    nonce = nonce_of(response)
    tags = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
    assert len(tags) >= 6 and all(f'nonce="{nonce}"' in t for t in tags)
    again = client.get("/karte")
    assert nonce_of(again) != nonce
    assert f'nonce="{nonce_of(again)}"' in again.get_data(as_text=True)


def test_map_assets_are_served_by_the_app_not_a_cdn(client: Any) -> None:
    html = client.get("/karte").get_data(as_text=True)
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/jquery/jquery.min.js",
        "/static/vendor/leaflet-markercluster/leaflet.markercluster.js",
        "/static/vendor/wiqnet/wiqmap.js",
    ]
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert all(s.startswith("/static/") for s in styles)
    for url in [*sources, *styles]:
        assert client.get(url).status_code == 200, url
    layers = client.get("/static/vendor/leaflet/images/layers.png")
    assert layers.status_code == 200 and layers.mimetype == "image/png"


@pytest.mark.parametrize(
    "url",
    [
        "/static/vendor/leaflet/../../jquery/data/jquery.js",
        "/static/vendor/bootstrap/bootstrap.js",
        "/static/vendor/wiqnet/../maps.py",
    ],
)
def test_vendor_route_serves_nothing_else(client: Any, url: str) -> None:
    assert client.get(url).status_code == 404


def test_need_filter_and_unknown_need(client: Any) -> None:
    html = client.get("/karte?need=kinderbetreuung").get_data(as_text=True)
    assert "<h1>Karte: Kinderbetreuung</h1>" in html
    assert [p[5] for p in places(html)] == ["Katholische Kindertageseinrichtung Sankt Stephan"]
    assert '<option value="kinderbetreuung" selected>' in html
    missing = client.get("/karte?need=kita")
    assert missing.status_code == 404
    assert "Dieses Anliegen gibt es nicht: kita" in missing.get_data(as_text=True)


def test_search_map_frame_numbers_the_results(client: Any) -> None:
    response = client.get("/karte/suche?q=Kita")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and '<body class="wiq-frame">' in html
    assert "<title>Karte der Suchergebnisse – wiqnet</title>" in html
    assert places(html)[0][4] == "1"
    assert places(html)[0][5] == "Katholische Kindertageseinrichtung Sankt Stephan"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def test_search_map_without_a_query_is_a_clean_400(client: Any) -> None:
    response = client.get("/karte/suche")
    assert response.status_code == 400
    assert "type what the family needs" in response.get_data(as_text=True)


def test_network_map_draws_the_links(client: Any) -> None:
    html = client.get("/karte/netzwerk").get_data(as_text=True)
    assert "<title>Karte mit Kooperationen – wiqnet</title>" in html
    assert "WiQ – Wir im Quartier → Jobcenter Krefeld" in html


def test_web_popups_say_whether_it_is_open_now(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(display, "local_now", lambda: datetime(2026, 11, 25, 15, 0))
    html = client.get("/karte").get_data(as_text=True)
    pin = json.loads(re.search(r"wiqnet\.pin\(map_\w+,\s*(\{.*?\})\);", html).group(1))
    assert pin["statuses"][pin["info"][2]] == ["jetzt geöffnet (bis 16:00)", True, "Mi 14:00–16:00"]


def test_english_map(client: Any) -> None:
    html = client.get("/karte?lang=en").get_data(as_text=True)
    assert '"more":"More about this place"' in html and "Legend" in html


def test_map_page_escapes_the_data(
    directory_yaml: Callable[..., Path], small_data: dict[str, Any]
) -> None:
    small_data["institutions"][2]["name"] = "<script>alert(1)</script>"
    small_data["institutions"][3]["name"] = '"><img src=x onerror=alert(1)>'
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(directory_yaml(small_data)),
            "TILES": "none",
            "SECRET_KEY": "test",
        }
    )
    client = app.test_client()
    for url in ("/karte", "/karte/netzwerk", "/karte/suche?q=Kita"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in json.dumps(
        places(client.get("/karte").get_data(as_text=True))
    )


def test_tiles_host_is_allowed_by_the_csp(data_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "SECRET_KEY": "test",
            "TILES": "https://tile.openstreetmap.de/{z}/{x}/{y}.png",
        }
    )
    response = app.test_client().get("/karte")
    assert (
        "img-src 'self' data: https://tile.openstreetmap.de"
        in response.headers["Content-Security-Policy"]
    )
    assert '"https://tile.openstreetmap.de/{z}/{x}/{y}.png"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name",
    ["leaflet/x%00.png", "leaflet/" + "a" * 5000 + ".png", "leaflet/" + "a/" * 3000 + "b.png"],
)
def test_hostile_asset_names_are_404(client: Any, name: str) -> None:
    assert client.get(f"/static/vendor/{name}").status_code == 404
