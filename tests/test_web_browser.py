"""Real browser: Debian's Chromium through Playwright against the app on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import QUARTERS_GEOJSON, SMALL, serve_app

from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
PAGES = [
    "/",
    "/einrichtung/wiq",
    "/einrichtung/jobcenter",
    "/anliegen/arbeit",
    "/laufzettel/wiq-fallmanagement",
    "/laufzettel/wiq-fallmanagement?lang2=ar",
    "/impressum",
    "/status",
    "/suche?q=Schulden",
    "/?lang=en",
]

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on the small sample with a real threaded server on 127.0.0.1."""
    from wiqnet.web import create_app

    folder = tmp_path_factory.mktemp("browser")
    data = folder / "institutions.yaml"
    data.write_text(yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    app = create_app({"TESTING": True, "DATA": str(data), "TILES": "none", "SECRET_KEY": "test"})
    with serve_app(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch headless Chromium once for the module."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """Return a fresh page that records console errors and every request it makes."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    new_page = context.new_page()
    new_page.problems = []  # console errors, page errors, and requests that leave the app
    new_page.on(
        "console",
        lambda msg: msg.type == "error" and new_page.problems.append(f"console: {msg.text}"),
    )
    new_page.on("pageerror", lambda exc: new_page.problems.append(f"pageerror: {exc}"))
    new_page.on(
        "request",
        lambda req: (
            req.url.startswith((base_url, "data:", "about:"))
            or new_page.problems.append(f"request left localhost: {req.url}")
        ),
    )
    yield new_page
    context.close()


def test_search_from_the_start_page_with_the_keyboard_alone(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type("Kita")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base_url + "/suche?q=Kita"
    assert "Kindertagesbetreuung" in page.inner_text("main")
    assert page.problems == []


def test_skip_link_is_the_first_tab_stop_and_visible_on_focus(page: Any, base_url: str) -> None:
    page.goto(base_url + "/einrichtung/wiq")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    page.keyboard.press("Enter")
    page.wait_for_url("**/einrichtung/wiq#inhalt")  # the jump lands after the key press returns


def test_referral_slip_prints_to_one_pdf_page_with_the_service_data(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    page.goto(base_url + "/laufzettel/wiq-fallmanagement?lang2=tr")
    pdf = tmp_path / "laufzettel.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Fallmanagement für Familien",
        "WiQ – Wir im Quartier",
        "Virchowstraße 130a",
        "47805 Krefeld",
        "Mi 14:00–16:00",
        "02151 86 34 72",
        "wiq@krefeld.de",
        "Ne sunuluyor?",
        "Auf diesem Zettel stehen keine Angaben über Sie.",
    ):
        assert expected in text, expected
    assert "Zum Inhalt springen" not in text and "Zweite Sprache" not in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert page.problems == []


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_console_errors_stay_local_and_fit_360px(
    page: Any, base_url: str, path: str
) -> None:
    response = page.goto(base_url + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.problems == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
