"""Security: headers, escaping of every YAML value on every page, nothing loaded from outside."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wiqnet.needs import need_keys
from wiqnet.web import create_app
from wiqnet.web.security import tile_origin

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CSP_NO_TILES = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)


def hostile(small_data: dict[str, Any]) -> dict[str, Any]:
    """Put both payloads into every free-text value of the sample directory."""
    for n, inst in enumerate(small_data["institutions"]):
        payload = f"{SCRIPT} {IMG} {n}"
        for key in ("name", "operator", "category", "notes", "accessibility"):
            inst[key] = payload
        inst["sources"] = [
            {"file": payload, "title": payload, "note": payload, "date": "2026-01-10"}
        ]
        if "address" in inst:
            inst["address"]["street"] = payload
            inst["address"]["city"] = payload
        inst["opening_hours"] = f'Mo-Fr 08:00-12:00 "{SCRIPT}"'
        for svc in inst["services"]:
            for key in ("name", "description", "cost", "access_note"):
                svc[key] = payload
            svc["audience"] = [payload]
    small_data["links"][0].update(note=SCRIPT, sources=[{"file": IMG, "date": "2026-01-10"}])
    return small_data


def hostile_quarters(folder: Path) -> None:
    """Give the quarters hostile names."""
    path = folder / "quarters.geojson"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"name": "Hardenbergviertel"', '"name": "<script>alert(1)</script>"')
    text = text.replace('"name": "Stephanplatz"', '"name": "\\"><img src=x onerror=alert(1)>"')
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hostile_app(directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> Any:
    """Return an app whose data holds script payloads in every free-text field."""
    path = directory_yaml(hostile(small_data))
    hostile_quarters(path.parent)
    app = create_app({"TESTING": True, "DATA": str(path), "TILES": "none"})
    directory = app.extensions["wiqnet"].current()
    assert directory.institutions[0].name.startswith(SCRIPT)
    return app


def every_get_url(app: Any) -> Iterator[str]:
    """Yield a URL for every GET route, once per known record, with a hostile query string."""
    directory = app.extensions["wiqnet"].current()
    values = {
        "inst_id": [i.id for i in directory.institutions],
        "service_id": [s.id for s in directory.services()],
        "key": list(need_keys()),
    }
    query = "?q=" + SCRIPT + "&lang2=ar&x=" + IMG.replace("&", "%26")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        names = list(rule.arguments)
        if not names:
            yield rule.rule + query
        elif len(names) == 1 and names[0] in values:
            for value in values[names[0]]:
                yield re.sub(r"<[^>]+>", value, rule.rule) + query


def test_every_page_escapes_every_value(hostile_app: Any) -> None:
    client = hostile_app.test_client()
    urls = list(every_get_url(hostile_app))
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.mimetype in ("application/json", "text/vcard"):  # data, never rendered
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            continue
        if not response.mimetype.startswith("text/"):
            continue
        body = response.get_data(as_text=True)
        assert SCRIPT not in body, url
        assert "<img src=x" not in body, url


def test_api_returns_hostile_values_unchanged_as_json(hostile_app: Any) -> None:
    body = hostile_app.test_client().get("/api/institutions/wiq").get_json()
    assert body["name"] == f"{SCRIPT} {IMG} 0"


def inline_scripts(html: str) -> list[str]:
    """Return the opening tags of <script> elements without src."""
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]


def test_pages_load_nothing_from_outside_and_run_no_inline_script(hostile_app: Any) -> None:
    client = hostile_app.test_client()
    for url in every_get_url(hostile_app):
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        loaded = re.findall(
            r'<(?:script|img|iframe|source|audio|video)\b[^>]*\ssrc="([^"]*)"', html
        )
        loaded += re.findall(r'<link\b[^>]*\shref="([^"]*)"', html)
        loaded += re.findall(r"url\(([^)]*)\)", html)
        for target in loaded:
            assert not re.match(r"(?i)\s*['\"]?(https?:)?//", target), (url, target)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        for tag in inline_scripts(html):
            assert nonce and f'nonce="{nonce.group(1)}"' in tag, (url, tag)
        assert ' style="' not in html, url


@pytest.mark.parametrize("name", ["wiqnet.css", "print.css"])
def test_stylesheets_load_nothing_from_outside(client: Any, name: str) -> None:
    css = client.get(f"/static/{name}").get_data(as_text=True)
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


@pytest.mark.parametrize(
    "path",
    ["/", "/einrichtung/wiq", "/api/needs", "/nope", "/api/nope", "/static/wiqnet.css", "/status"],
)
def test_security_headers_on_every_response(client: Any, path: str) -> None:
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CSP_NO_TILES
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_csp_allows_the_configured_tile_host(data_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        }
    )
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp


@pytest.mark.parametrize(
    "template, origin",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8765/{z}/{x}/{y}.png", "http://127.0.0.1:8765"),
        ("none", None),
        ("", None),
        ("tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_origin(template: str, origin: str | None) -> None:
    assert tile_origin(template) == origin


def test_a_map_view_can_allow_nonced_inline_script(app: Any) -> None:
    from flask import render_template_string

    from wiqnet.web.security import allow_inline_map

    def map_view() -> str:
        nonce = allow_inline_map()
        return render_template_string('<script nonce="{{ csp_nonce() }}">1</script>', n=nonce)

    app.add_url_rule("/testkarte", "testkarte", map_view)
    response = app.test_client().get("/testkarte")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", csp)
    assert nonce and f'nonce="{nonce.group(1)}"' in response.get_data(as_text=True)
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert app.test_client().get("/").headers["Content-Security-Policy"] == CSP_NO_TILES


def test_debug_is_off_and_errors_show_no_traceback(data_path: Path) -> None:
    app = create_app({"DATA": str(data_path), "TILES": "none"})
    assert not app.debug and not app.testing

    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Ein interner Fehler ist aufgetreten." in body
    assert "secret internals" not in body and "Traceback" not in body


def test_language_cookie_is_httponly_and_samesite(client: Any) -> None:
    cookie = client.get("/?lang=en").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
