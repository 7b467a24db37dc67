"""Real browser: the network diagram's nodes open their institution; nothing leaves localhost."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def base_url(data_path: Path, tmp_path: Path) -> Iterator[str]:
    """Serve the app on the small sample with a real threaded server on 127.0.0.1."""
    from werkzeug.serving import make_server

    from wiqnet.web import create_app

    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none",
                      "SECRET_KEY": "test", "CACHE_DIR": str(tmp_path / "cache")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_clicking_a_node_opens_the_institution(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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
