"""Real browser, real server: an editor records a check on the Prüfliste and reads the history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import serve_app

from wiqnet.accounts import Accounts
from wiqnet.datafile import history
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
PASSWORD = "geheim-genug-123"


@pytest.fixture
def base_url(data_path: Path, instance_dir: Path) -> Iterator[str]:
    """Serve the app with editor "ben" on a real threaded server."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})
    with serve_app(app) as url:
        yield url


def log_in(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/anmelden")
    page.fill("#konto", "ben")
    page.fill("#passwort", PASSWORD)
    page.click("form[action='/anmelden'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_a_check_on_the_list_drops_the_entry_and_shows_in_the_history(
    base_url: str, data_path: Path
) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            log_in(page, base_url)
            page.click("#pflege a[href='/pruefliste']")
            first = page.locator("tbody tr").first
            inst_id = (first.get_attribute("id") or "").removeprefix("eintrag-")
            assert inst_id
            first.locator("select[name=art]").select_option("website")
            first.locator("input[name=notiz]").fill("Website gelesen")
            first.locator("button[type=submit]").click()
            sync_api.expect(page.locator("p.box[role=status]")).to_contain_text(
                "Prüfung eingetragen"
            )
            assert page.locator("tbody tr").first.get_attribute("id") != f"eintrag-{inst_id}"
            page.goto(f"{base_url}/verlauf/{inst_id}")
            entry = page.locator("section.history-entry").first
            sync_api.expect(entry.locator("h2")).to_contain_text("Geprüft · ben")
            sync_api.expect(entry).to_contain_text("Website gelesen")
            sync_api.expect(entry.locator("td").first).to_have_text("Geprüft am")
        finally:
            browser.close()
    assert problems == []
    (logged,) = history(data_path, inst_id)
    assert logged.details == {"method": "website", "on": date.today().isoformat()}
