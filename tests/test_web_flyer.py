"""GET /flyer.pdf: the same flyer as the CLI, from the web app (tiles off)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import PUBLIC_URL


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """Return the text of a PDF given as bytes."""
    path = tmp_path / "flyer.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


@pytest.mark.browser
def test_flyer_pdf_for_a_need(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?need=kinderbetreuung&lang=tr")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="flyer-kinderbetreuung.pdf"'
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "Mahallenizdeki başvuru noktaları" in text and "02151 86 34 72" in text
    assert "Jobcenter Krefeld" not in text


@pytest.mark.browser
def test_flyer_pdf_for_listed_places_keeps_their_order(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?id=jobcenter&id=fabrik-heeder&size=a5")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert text.index("Jobcenter Krefeld") < text.index("Fabrik Heeder")


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("need=kita", 400, "unknown need &#39;kita&#39;"),
        ("quarter=mitte", 400, "unknown quarter &#39;mitte&#39;"),
        ("lang=fr", 400, "unknown flyer language &#39;fr&#39;; choose one of de, en, tr, ar"),
        ("size=A3", 400, "unknown paper size &#39;A3&#39;; choose A4 or A5"),
        ("id=nirgendwo", 404, "no institution with id &#39;nirgendwo&#39;"),
        ("need=schutz", 404, "no active place with a location"),
    ],
)
def test_flyer_pdf_bad_input_is_an_error_page(
    client: Any, query: str, status: int, message: str
) -> None:
    response = client.get(f"/flyer.pdf?{query}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_need_page_has_the_flyer_button(client: Any) -> None:
    page = client.get("/anliegen/kinderbetreuung").get_data(as_text=True)
    assert (
        '<a class="button" href="/flyer.pdf?need=kinderbetreuung">Flyer drucken (PDF)</a>' in page
    )
    english = client.get("/anliegen/kinderbetreuung?lang=en").get_data(as_text=True)
    assert ">Print flyer (PDF)</a>" in english


@pytest.mark.browser
def test_search_page_button_prints_the_results(client: Any, tmp_path: Path) -> None:
    page = client.get("/suche?q=Kita").get_data(as_text=True)
    found = re.search(
        r'<a class="button" href="(/flyer\.pdf\?[^"]+)">Flyer drucken \(PDF\)</a>', page
    )
    assert found, page
    link = html.unescape(found.group(1))
    assert "id=kita-st-stephan" in link
    response = client.get(link)
    assert response.status_code == 200
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in pdf_text(response.data, tmp_path)


@pytest.mark.browser
def test_flyer_pdf_for_a_search_query(client: Any, tmp_path: Path) -> None:
    response = client.get("/flyer.pdf?q=Kita&lang=en")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "Your points of contact in the neighbourhood" in text


@pytest.mark.browser
def test_an_unreachable_tile_server_still_gives_a_flyer_without_basemap(
    data_path: Path, tmp_path: Path
) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "SECRET_KEY": "test",
            "TILES": "http://127.0.0.1:9/{z}/{x}/{y}.png",
            "CACHE_DIR": str(tmp_path / "cache"),
            "PUBLIC_URL": PUBLIC_URL,
        }
    )
    response = app.test_client().get("/flyer.pdf?need=kinderbetreuung")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in text
    assert "02151 86 34 72" in text


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every flyer that is actually rendered (the rendering itself stays real)."""
    from wiqnet.web import flyer as web_flyer

    calls: list[str] = []
    real = web_flyer.make_flyer

    def spy(directory: Any, options: Any, settings: Any) -> Any:
        calls.append(",".join(options.ids or options.needs))
        return real(directory, options, settings)

    monkeypatch.setattr(web_flyer, "make_flyer", spy)
    return calls


def test_head_answers_without_rendering(client: Any, printed: list[str]) -> None:
    response = client.head("/flyer.pdf?need=kinderbetreuung")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert printed == []


@pytest.mark.browser
def test_flyers_are_cached_per_parameters_and_rate_limited(
    data_path: Path, printed: list[str]
) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "SECRET_KEY": "test",
            "FLYER_RATE_LIMIT": "1 per minute",
            "PUBLIC_URL": "https://wiq.example.org/",
        }
    )
    client = app.test_client()
    first = client.get("/flyer.pdf?id=jobcenter")
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"]
    assert "X-RateLimit-Limit" not in client.get("/api/search?q=Kita").headers
    again = client.get("/flyer.pdf?id=jobcenter")
    assert again.status_code == 200 and again.data == first.data
    other = client.get("/flyer.pdf?id=fabrik-heeder")
    assert other.status_code == 429
    assert "Zu viele Anfragen in kurzer Zeit" in other.get_data(as_text=True)
    assert int(other.headers["Retry-After"]) > 0
    assert printed == ["jobcenter"]


def test_a_busy_printer_answers_503_instead_of_queueing(
    client: Any, printed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiqnet.web import flyer as web_flyer

    monkeypatch.setattr(web_flyer, "PRINT_WAIT", 0.01)
    with web_flyer._PRINTING:
        response = client.get("/flyer.pdf?id=jobcenter")
    assert response.status_code == 503
    assert "Gerade wird ein anderer Flyer gedruckt" in response.get_data(as_text=True)
    assert printed == []
