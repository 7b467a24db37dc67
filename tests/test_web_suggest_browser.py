"""Real browser, real server: the whole upkeep loop, from an anonymous suggestion to the
reviewed record on its page, in its history and off the Prüfliste."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import serve_app

from wiqnet.accounts import Accounts
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
PASSWORD = "geheim-genug-123"
NEW_PHONE = "02151 99 88 77"


@pytest.fixture
def base_url(data_path: Path, instance_dir: Path) -> Iterator[str]:
    """Serve the app with the editor "ben" on a real threaded server."""
    from wiqnet.web import create_app

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})
    with serve_app(app) as url:
        yield url


def log_in(page: Any, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/anmelden")
    page.fill("#konto", name)
    page.fill("#passwort", PASSWORD)
    page.click("form[action='/anmelden'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_a_suggestion_goes_from_the_public_form_to_the_page(
    base_url: str, data_path: Path, tmp_path: Path
) -> None:
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # 1. Anyone, without an account, suggests a new phone number.
            # Tall windows: screenshots show whole pages without full_page, which resizes
            # the window and can swallow the next click.
            tall = {"width": 1100, "height": 2400}
            visitor = browser.new_context(viewport=tall).new_page()
            visitor.on("pageerror", lambda exc: problems.append(str(exc)))
            visitor.goto(f"{base_url}/einrichtung/wiq")
            visitor.click("text=Fehler melden / Änderung vorschlagen")
            visitor.wait_for_url(f"{base_url}/einrichtung/wiq/vorschlag")
            sync_api.expect(visitor.locator("p.warning[role=note]")).to_contain_text(
                "niemals etwas über eine Familie"
            )
            visitor.fill("[id='f-phone']", NEW_PHONE)
            visitor.fill("[id='f-kontakt']", "info@example.org")
            visitor.screenshot(path=str(tmp_path / "suggest-form.png"))
            visitor.click("form.suggest-form button[type=submit]")
            sync_api.expect(visitor.locator("p.box[role=status]")).to_contain_text(
                "Ihr Vorschlag ist angekommen"
            )
            assert NEW_PHONE not in data_path.read_text(encoding="utf-8")

            # 2. An editor reviews it: the queue, the diff, accept.
            editor = browser.new_context(viewport=tall).new_page()
            editor.on("pageerror", lambda exc: problems.append(str(exc)))
            log_in(editor, base_url, "ben")
            editor.goto(f"{base_url}/pruefliste")
            sync_api.expect(editor.locator("#eintrag-wiq .badge.stale")).to_have_count(1)
            editor.goto(f"{base_url}/vorschlaege")
            row = editor.locator("table.queue tbody tr")
            sync_api.expect(row).to_have_count(1)
            sync_api.expect(row).to_contain_text("WiQ")
            editor.screenshot(path=str(tmp_path / "review-queue.png"))
            row.locator("a").click()
            diff = editor.locator("table.diff tbody tr")
            sync_api.expect(diff).to_have_count(1)
            sync_api.expect(diff.locator("td.before")).to_have_text("02151 86 34 72")
            sync_api.expect(diff.locator("td.after")).to_contain_text(NEW_PHONE)
            sync_api.expect(editor.locator("main")).to_contain_text(
                "Antwort erbeten an: info@example.org"
            )
            editor.screenshot(path=str(tmp_path / "review-diff.png"))
            editor.get_by_role("button", name="Annehmen", exact=True).click()
            sync_api.expect(editor.locator("p.box[role=status]")).to_contain_text("ist angenommen")
            sync_api.expect(editor.locator("main")).to_contain_text("Keine Vorschläge.")

            # 3. The institution's page shows the new fact.
            visitor.goto(f"{base_url}/einrichtung/wiq")
            sync_api.expect(visitor.locator("#kontakt").locator("..")).to_contain_text(NEW_PHONE)

            # 4. The history lists it: who, why, before and after.
            editor.goto(f"{base_url}/verlauf/wiq")
            accepted = editor.locator(".history-entry", has_text="Vorschlag #1 angenommen")
            sync_api.expect(accepted).to_have_count(2)  # the edit and the check
            sync_api.expect(accepted.first).to_contain_text("ben")
            changes = editor.locator(".history-changes", has_text="Telefon")
            sync_api.expect(changes).to_contain_text("02151 86 34 72")
            sync_api.expect(changes).to_contain_text(NEW_PHONE)
            editor.screenshot(path=str(tmp_path / "history.png"))

            # 5. The Prüfliste drops it: confirmed today, no longer stale, at the end.
            editor.goto(f"{base_url}/pruefliste")
            sync_api.expect(editor.locator("#eintrag-wiq .badge.stale")).to_have_count(0)
            rows = editor.locator("table.check-list tbody tr")
            sync_api.expect(rows.last).to_have_attribute("id", "eintrag-wiq")
        finally:
            browser.close()
    saved = yaml.safe_load(data_path.read_text(encoding="utf-8"))["institutions"][0]
    assert saved["phone"] == NEW_PHONE
    assert problems == []
