"""Real browser: the network diagram's nodes open their institution; nothing leaves localhost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve_app

from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def base_url(data_path: Path, tmp_path: Path) -> Iterator[str]:
    """Serve the app on the small sample with a real threaded server on 127.0.0.1."""
    from wiqnet.web import create_app

    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none",
                      "SECRET_KEY": "test", "CACHE_DIR": str(tmp_path / "cache")})
    with serve_app(app) as url:
        yield url


def test_clicking_a_node_opens_the_institution(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("request", lambda req: req.url.startswith((base_url, "data:", "about:"))
                    or problems.append(f"request left localhost: {req.url}"))
            page.goto(f"{base_url}/netzwerk")
            assert page.locator("svg.network-diagram g.nodes circle").count() == 5
            assert page.locator("iframe.net-map").count() == 1
            page.click("svg.network-diagram a[data-id=jobcenter]")
            page.wait_for_url(f"{base_url}/einrichtung/jobcenter")
            assert page.locator("h1").inner_text() == "Jobcenter Krefeld"
        finally:
            browser.close()
    assert problems == []
