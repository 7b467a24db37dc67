"""Maps in a real browser (Debian chromium via Playwright), tiles off, data with hostile names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import serve_app
from fake_tiles import serve_tiles

from wiqnet.cli import main
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS
from wiqnet.web import create_app

pytestmark = pytest.mark.browser
EVIL_IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_data(directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> Path:
    """Return a data file in which one name tries to inject markup."""
    small_data["institutions"][3]["name"] = EVIL_IMG
    return directory_yaml(small_data)


@contextmanager
def serving(data: Path, tiles: str = "none") -> Iterator[str]:
    """Serve the web app on 127.0.0.1 and yield its base URL."""
    with serve_app(create_app({"DATA": str(data), "TILES": tiles, "SECRET_KEY": "test"})) as url:
        yield url


@pytest.fixture
def server(hostile_data: Path) -> Iterator[str]:
    """Serve the web app on 127.0.0.1 (tiles off) and return its base URL."""
    with serving(hostile_data) as url:
        yield url


class Watched:
    """A page with its console errors, page errors, dialogs and requests recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r.url))

    def foreign_requests(self) -> list[str]:
        """Return requests to anything but localhost (data: URIs and local files are fine)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "file")
            and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
        ]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Return one headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    """Return a fresh page (1200×900, own context) that records what goes wrong."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield Watched(context.new_page())
    context.close()


SHOWN_PLACES = """() => {
    const single = document.querySelectorAll('.leaflet-marker-icon.wiq-m').length;
    const clustered = [...document.querySelectorAll('.marker-cluster span')]
        .reduce((n, s) => n + Number(s.textContent), 0);
    return single + clustered; }"""


def wait_for_places(page: Any, count: int) -> None:
    """Wait until the map settles on count places (single markers plus cluster counts)."""
    page.wait_for_selector("[data-wiq-loaded]")
    page.wait_for_function(f"() => ({SHOWN_PLACES})() === {count}", timeout=10_000)


def open_popup(tab: Any, name: str) -> None:
    """Click a place's marker once the map is idle; retry if an animation swallowed the click."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab.wait_for_selector("[data-wiq-loaded]")
    for _ in range(3):
        tab.locator(".leaflet-zoom-anim").wait_for(state="detached")
        tab.get_by_role("button", name=name, exact=True).click()
        try:
            tab.locator(".leaflet-popup-content h3").wait_for(timeout=3000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"clicking {name!r} opened no popup")


def click_until_popup(tab: Any, target: Any, title: str) -> None:
    """Click target until the popup titled title is open (a marker animation may eat a click)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        tab.locator(".leaflet-zoom-anim").wait_for(state="detached")
        target.click()
        try:
            tab.locator(".leaflet-popup-content h3", has_text=title).wait_for(timeout=3000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"clicking did not open the popup {title!r}")


def test_directory_map_markers_popup_outline_layers(server: str, page: Watched) -> None:
    tab = page.page
    tab.goto(f"{server}/karte")
    wait_for_places(tab, 3)
    assert tab.locator(".wiq-home").count() == 1
    assert tab.locator("path.wiq-quarter").count() == 2
    assert tab.locator(".wiq-quarter-label").all_inner_texts() == [
        "Hardenbergviertel",
        "Stephanplatz",
    ]
    open_popup(tab, "Jobcenter Krefeld")
    popup = tab.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "Jobcenter Krefeld"
    assert "Bürgergeld und Arbeitsvermittlung" in popup.inner_text()
    assert popup.locator("a.wiq-more").get_attribute("href") == "/einrichtung/jobcenter"
    tab.locator(".leaflet-control-layers").hover()
    for label in ("Arbeit und Beruf", "Ämter und Anträge"):
        tab.locator(".leaflet-control-layers-overlays label", has_text=label).locator(
            "input"
        ).uncheck()
    tab.wait_for_function(
        "() => document.querySelector('.folium-map').getAttribute('data-wiq-shown') === '2'"
    )
    assert tab.locator('[aria-label="Jobcenter Krefeld"]').count() == 0
    assert tab.locator(".wiq-legend summary").inner_text() == "Legende"
    assert page.problems == []
    assert page.foreign_requests() == []


def test_hostile_name_is_shown_as_text(server: str, page: Watched) -> None:
    tab = page.page
    tab.goto(f"{server}/karte")
    open_popup(tab, EVIL_IMG)
    assert tab.locator(".leaflet-popup-content h3").inner_text() == EVIL_IMG
    assert tab.locator(".leaflet-popup-content img, .leaflet-marker-pane img").count() == 0
    assert page.problems == [] and page.foreign_requests() == []


def test_a_place_at_wiqs_address_stays_clickable(server: str, page: Watched) -> None:
    tab = page.page
    tab.goto(f"{server}/karte")
    open_popup(tab, "Fabrik Heeder")
    assert tab.locator(".leaflet-popup-content h3").inner_text() == "Fabrik Heeder"
    tab.locator(".leaflet-popup-close-button").click()
    tab.locator(".leaflet-popup").wait_for(state="detached")  # the old popup is gone
    click_until_popup(tab, tab.locator(".wiq-home b"), "WiQ – Wir im Quartier")
    popup = tab.locator(".leaflet-popup-content")
    assert popup.locator("h3").inner_text() == "WiQ – Wir im Quartier"
    assert popup.locator('a[href="tel:02151863472"]').inner_text() == "02151 86 34 72"
    assert popup.locator('a[href="mailto:wiq@krefeld.de"]').inner_text() == "wiq@krefeld.de"
    assert popup.locator("a.wiq-more").get_attribute("href") == "/einrichtung/wiq"
    assert "Fallmanagement für Familien" in popup.inner_text()


def test_search_map_frame_shows_numbered_results(server: str, page: Watched) -> None:
    tab = page.page
    tab.goto(f"{server}/karte/suche?q=Kita&near=51.3215,6.5705")
    tab.wait_for_selector(".wiq-num")
    assert tab.locator(".wiq-num b").all_inner_texts()[0] == "1"
    assert tab.locator(".wiq-here").count() == 1
    assert page.problems == [] and page.foreign_requests() == []


def test_standalone_file_works_from_disk(runner: CliRunner, tmp_path: Path, page: Watched) -> None:
    out = tmp_path / "karte.html"
    assert runner.invoke(main, ["map", "--network", "-o", str(out)]).exit_code == 0
    tab = page.page
    tab.goto(out.as_uri())
    wait_for_places(tab, 3)
    assert tab.locator("path.wiq-link").count() == 1
    assert tab.locator("path.wiq-quarter").count() == 2
    assert page.problems == []
    assert page.foreign_requests() == [] and page.requests == [out.as_uri()]


def test_tiles_come_from_the_configured_server_and_pass_the_csp(
    data_path: Path, page: Watched
) -> None:
    with serve_tiles() as tiles, serving(data_path, tiles.template) as url:
        tab = page.page
        tab.goto(f"{url}/karte")
        tab.wait_for_selector("img.leaflet-tile-loaded")
        assert tiles.requests and all(p.endswith(".png") for p, _agent in tiles.requests)
        assert (
            "OpenStreetMap-Mitwirkende" in tab.locator(".leaflet-control-attribution").inner_text()
        )
        assert tab.locator(".folium-map.wiq-plain").count() == 0
    assert page.problems == [] and page.foreign_requests() == []
