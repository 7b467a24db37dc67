"""Real browser: the network diagram's nodes open their institution; nothing leaves localhost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import press_release, serve_app

from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS
from wiqnet.web.network import CYTOSCAPE

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


OLD = [{"file": "protokoll.md", "date": "2020-03-01"}]


@pytest.fixture
def base_url(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path], tmp_path: Path
) -> Iterator[str]:
    """Serve the app on the small sample plus a chain of links, on 127.0.0.1."""
    from wiqnet.web import create_app

    # hilfetelefon-gewalt - jobcenter - wiq - kita-st-stephan - fabrik-heeder
    small_data["links"] += [
        {"from": "wiq", "to": "kita-st-stephan", "kind": "kooperation", "sources": press_release()},
        {
            "from": "kita-st-stephan",
            "to": "fabrik-heeder",
            "kind": "kooperation",
            "sources": press_release(),
        },
        {"from": "jobcenter", "to": "hilfetelefon-gewalt", "kind": "kooperation", "sources": OLD},
    ]
    app = create_app(
        {
            "TESTING": True,
            "DATA": str(directory_yaml(small_data)),
            "TILES": "none",
            "SECRET_KEY": "test",
            "CACHE_DIR": str(tmp_path / "cache"),
        }
    )
    client = app.test_client()
    while client.get("/netzwerk").status_code == 503:  # the first analysis runs in the background
        client.get("/netzwerk")
    with serve_app(app) as url:
        yield url


def _open(browser: Any, base_url: str, problems: list[str], width: int = 1280) -> Any:
    """Return a page at /netzwerk with animations off, recording errors and outside requests."""
    page = browser.new_page(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "Content Security Policy" not in msg.text
            and problems.append(msg.text)
        ),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "request",
        lambda req: (
            req.url.startswith((base_url, "data:", "about:"))
            or problems.append(f"request left localhost: {req.url}")
        ),
    )
    page.goto(f"{base_url}/netzwerk")
    return page


def _state(page: Any) -> tuple[str, str, str]:
    """Return the interactive view's focus and visible node and link counts."""
    box = page.locator("#net-explore")
    return (
        box.get_attribute("data-focus") or "",
        box.get_attribute("data-visible-nodes") or "",
        box.get_attribute("data-visible-edges") or "",
    )


def _show_canvas(page: Any) -> None:
    """Scroll the canvas into view and wait two frames, so the scroll event has been handled."""
    page.locator(".net-canvas").scroll_into_view_if_needed()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _click_node(page: Any, node_id: str) -> None:
    """Click a node of the interactive view where cytoscape drew it."""
    _show_canvas(page)
    x, y = page.evaluate(
        """id => { const r = wiqnetNetwork.getElementById(id).renderedPosition();
        const b = document.querySelector('.net-canvas').getBoundingClientRect();
        return [b.left + r.x, b.top + r.y]; }""",
        node_id,
    )
    page.mouse.click(x, y)


needs_cytoscape = pytest.mark.skipif(
    not CYTOSCAPE.is_file(), reason="cytoscape.js is not installed (bash .ci/setup)"
)


@needs_cytoscape
def test_focus_mode_shows_one_or_two_steps_around_a_clicked_node(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, base_url, problems)
            page.wait_for_selector("#net-explore[data-state=ready]")
            assert page.locator("#net-static").is_hidden()
            assert _state(page) == ("", "5", "4")
            _click_node(page, "jobcenter")
            page.wait_for_selector("#net-explore[data-focus=jobcenter]")
            assert _state(page) == ("jobcenter", "3", "2")
            page.select_option("select[name=steps]", "2")
            page.wait_for_selector("#net-explore[data-visible-nodes='4']")
            assert _state(page) == ("jobcenter", "4", "3")
            assert "Fokus: Jobcenter Krefeld, 2 Schritt(e)" in page.inner_text("[data-net-status]")
            page.click("button[data-action=reset]")
            page.wait_for_selector("#net-explore[data-focus='']")
            assert _state(page) == ("", "5", "4")
        finally:
            browser.close()
    assert problems == []


@needs_cytoscape
def test_filters_by_kind_need_placement_and_confirmation(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, base_url, problems)
            page.wait_for_selector("#net-explore[data-state=ready]")
            page.uncheck("input[name=kind][value=vermittlung]")
            assert _state(page) == ("", "5", "3")
            page.check("input[name=kind][value=vermittlung]")
            page.fill("input[name=since]", "2021-01-01")  # the 2020 link is not confirmed since
            page.wait_for_selector("#net-explore[data-visible-edges='3']")
            page.fill("input[name=since]", "")
            page.select_option("select[name=need]", "arbeit")  # the Jobcenter and its partners
            page.wait_for_selector("#net-explore[data-visible-nodes='3']")
            page.select_option("select[name=need]", "")
            page.wait_for_selector("#net-explore[data-visible-nodes='5']")
            _show_canvas(page)
            node = page.evaluate("""() => { const n = wiqnetNetwork.getElementById('wiq');
                const r = n.renderedPosition(); return [r.x, r.y]; }""")
            box = page.locator(".net-canvas").bounding_box()
            page.mouse.move(box["x"] + node[0], box["y"] + node[1])
            page.wait_for_selector("#net-explore[data-tip=wiq]")
            tip = page.inner_text(".net-tip")
            assert "WiQ – Wir im Quartier" in tip and "Partner: 2" in tip and "Brückenwert" in tip
            assert "Fallmanagement für Familien" in tip
        finally:
            browser.close()
    assert problems == []


def test_phone_shows_a_list_instead_of_the_diagram(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, base_url, problems, width=360)
            assert page.locator(".net-phone-list").is_visible()
            assert page.locator("#net-static").is_hidden()
            assert page.locator("#net-explore").is_hidden()
            items = page.locator(".net-phone-list > li summary")
            assert items.count() == 5
            assert items.first.inner_text() == "Jobcenter Krefeld (Verbindungen: 2)"
            items.first.click()
            assert (
                page.locator(".net-phone-list > li")
                .first.get_by_text("WiQ – Wir im Quartier")
                .is_visible()
            )
            box = page.locator(".net-phone-list").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        finally:
            browser.close()
    assert problems == []


def test_phone_page_is_no_wider_than_the_screen(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _open(browser, base_url, problems, width=360)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            cards = page.locator("table.net-stack")
            assert cards.count() >= 2
            for i in range(cards.count()):  # brokers, isolates, suggestions: one card per row
                box = cards.nth(i).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 360
                assert page.evaluate(
                    "t => t.scrollWidth <= t.clientWidth", cards.nth(i).element_handle()
                )
        finally:
            browser.close()
    assert problems == []


def test_clicking_a_node_opens_the_institution(base_url: str) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on(
                "request",
                lambda req: (
                    req.url.startswith((base_url, "data:", "about:"))
                    or problems.append(f"request left localhost: {req.url}")
                ),
            )
            page.goto(f"{base_url}/netzwerk")
            assert page.locator("svg.network-diagram g.nodes a").count() == 5
            page.evaluate("() => { document.getElementById('net-static').hidden = false; }")
            assert page.locator("iframe.net-map").count() == 1
            page.click("svg.network-diagram a[data-id=jobcenter]")
            page.wait_for_url(f"{base_url}/einrichtung/jobcenter")
            assert page.locator("h1").inner_text() == "Jobcenter Krefeld"
        finally:
            browser.close()
    assert problems == []
