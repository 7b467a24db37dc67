"""Result cards in Debian's Chromium: the phone's first screen and "weitere anzeigen"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import QUARTERS_GEOJSON, serve_app
from test_web_results import many_kitas

from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on a directory with 25 day-care places."""
    from wiqnet.web import create_app

    folder = tmp_path_factory.mktemp("results")
    data = folder / "institutions.yaml"
    data.write_text(
        yaml.safe_dump(many_kitas(25), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
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


def _on_first_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_phone_first_screen_shows_search_box_and_first_card(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base_url + "/suche?q=Gewalt")
    page.screenshot(path=str(tmp_path / "card-360.png"))
    assert _on_first_screen(page, "#q")
    assert _on_first_screen(page, "#ergebnis-1 .card-title")
    assert _on_first_screen(page, "#ergebnis-1 a[href^='tel:']")
    assert not page.locator("#need").is_visible()  # the filters are folded away
    page.locator("summary").click()
    assert page.locator("#need").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(base_url + "/suche?q=Gewalt")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zu den Ergebnissen springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "treffer"
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_weitere_anzeigen(browser: Any, base_url: str, javascript: bool, tmp_path: Path) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(base_url + "/suche?need=kinderbetreuung")
    assert page.locator("#ergebnisse li.card").count() == 10
    if javascript:
        page.click("#weitere")
        page.locator("#ergebnis-20").wait_for()
        assert page.locator("#ergebnisse li.card").count() == 20  # appended in place
        assert page.evaluate("document.activeElement.closest('li').id") == "ergebnis-11"
        page.click("#weitere")
        page.locator("#ergebnis-26").wait_for()
        assert page.locator("#weitere").count() == 0
    else:
        with page.expect_navigation():
            page.click("#weitere")
        assert "offset=10" in page.url
        assert page.locator("#ergebnisse li.card").first.get_attribute("id") == "ergebnis-11"
        assert page.locator("#ergebnisse li.card").count() == 10
    page.screenshot(path=str(tmp_path / f"weitere-js-{javascript}.png"), full_page=True)
    context.close()
