"""Real browser and real servers: an edit with an hours error, two editors at once, a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import serve_app

from wiqnet.accounts import Accounts
from wiqnet.datafile import load_yaml, validate_document
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
PASSWORD = "geheim-genug-123"


@pytest.fixture
def base_url(data_path: Path, instance_dir: Path) -> Iterator[str]:
    """Serve the app with editors "ben" and "cem" on a real threaded server."""
    from wiqnet.web import create_app

    accounts = Accounts(instance_dir)
    accounts.add("ben", "editor", PASSWORD)
    accounts.add("cem", "editor", PASSWORD)
    app = create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})
    with serve_app(app) as url:
        yield url


def log_in(page: Any, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/anmelden")
    page.fill("#konto", name)
    page.fill("#passwort", PASSWORD)
    page.click("form[action='/anmelden'] button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_an_edit_with_an_hours_error(base_url: str, data_path: Path) -> None:
    before = data_path.read_text(encoding="utf-8")
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            log_in(page, base_url, "ben")
            page.goto(f"{base_url}/bearbeiten/wiq")
            reading = page.locator("[id='h-opening_hours']")
            sync_api.expect(reading).to_have_text("Gelesen als: Mi 14:00–16:00")
            page.fill("[id='f-opening_hours']", "Mo-Fr 9-17 Uhr")
            sync_api.expect(reading).to_contain_text("Die Öffnungszeiten sind so nicht lesbar")
            page.fill("[id='f-phone']", "02151 86 00 00")
            page.click("form.edit-form button[type=submit]")
            error = page.locator("[id='e-opening_hours']")
            sync_api.expect(error).to_contain_text("Die Öffnungszeiten sind so nicht lesbar")
            assert page.input_value("[id='f-phone']") == "02151 86 00 00"
            assert data_path.read_text(encoding="utf-8") == before
            page.fill("[id='f-opening_hours']", "Mo-Fr 09:00-17:00")
            sync_api.expect(reading).to_have_text("Gelesen als: Mo–Fr 09:00–17:00")
            page.click("form.edit-form button[type=submit]")
            sync_api.expect(page.locator("p.box[role=status]")).to_have_text("Gespeichert.")
        finally:
            browser.close()
    saved = yaml.safe_load(data_path.read_text(encoding="utf-8"))["institutions"][0]
    assert (saved["opening_hours"], saved["phone"]) == ("Mo-Fr 09:00-17:00", "02151 86 00 00")
    assert problems == []


def test_two_editors_save_the_same_record_at_once(base_url: str, data_path: Path) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = []
            for name, email in (("ben", "ben-neu@krefeld.de"), ("cem", "cem-neu@krefeld.de")):
                page = browser.new_context().new_page()
                log_in(page, base_url, name)
                page.goto(f"{base_url}/bearbeiten/wiq")
                page.fill("[id='f-email']", email)
                pages.append(page)
            # Both forms were opened on the same file; both are sent before either answer.
            for page in pages:
                page.evaluate("document.querySelector('form.edit-form').submit()")
            for page in pages:
                page.wait_for_load_state("load")
                page.wait_for_selector("p[role=status], p[role=alert]")
            outcomes = [
                p.locator("p[role=status], p[role=alert]").first.inner_text() for p in pages
            ]
            assert outcomes.count("Gespeichert.") == 1
            assert sum("Nichts wurde gespeichert." in text for text in outcomes) == 1
            texts = [p.locator("p[role=status], p[role=alert]").first.inner_text() for p in pages]
            loser = pages[0] if "Nichts wurde gespeichert." in texts[0] else pages[1]
            kept = loser.input_value("[id='f-email']")
            assert kept in ("ben-neu@krefeld.de", "cem-neu@krefeld.de")
            saved = yaml.safe_load(data_path.read_text(encoding="utf-8"))["institutions"][0]
            assert saved["email"] != kept
            loser.click("form.edit-form button[type=submit]")
            sync_api.expect(loser.locator("p.box[role=status]")).to_have_text("Gespeichert.")
        finally:
            browser.close()
    saved = yaml.safe_load(data_path.read_text(encoding="utf-8"))["institutions"][0]
    assert saved["email"] == kept


def _post(opener: Any, url: str, form: dict[str, str]) -> int:
    try:
        with opener.open(url, data=urllib.parse.urlencode(form).encode(), timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def test_killing_the_server_during_saves_leaves_the_file_intact(
    data_path: Path, instance_dir: Path
) -> None:
    from tests.test_cli_serve import free_port, wait_until_up
    from tests.test_web_account import Browser, token

    Accounts(instance_dir).add("ben", "editor", PASSWORD)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wiqnet", "--data", str(data_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WIQNET_TILES": "none"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/status", process)
        browser = Browser(base)
        assert browser.log_in("ben", PASSWORD) == 302
        saved = threading.Event()
        stop = threading.Event()

        def keep_saving() -> None:
            number = 0
            while not stop.is_set():
                try:
                    page = browser.request("/bearbeiten/wiq")[1]
                except OSError:  # the server is gone
                    return
                if "digest" not in page:
                    return
                digest = page.split('name="digest" value="')[1].split('"')[0]
                number += 1
                status = _post(
                    browser.opener,
                    base + "/bearbeiten/wiq",
                    {
                        "csrf_token": token(page),
                        "digest": digest,
                        "notes": f"Speichern Nummer {number}. " + "langer Text " * 125,
                    },
                )
                if status == 0:
                    return
                if status == 302 and number >= 2:  # a save went through
                    saved.set()

        worker = threading.Thread(target=keep_saving)
        worker.start()
        assert saved.wait(120), "no save went through"
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=15)
        stop.set()
        worker.join(60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    doc = load_yaml(data_path)
    assert [p for p in validate_document(doc) if p.severity == "error"] == []
    assert doc.data["institutions"][0]["notes"].startswith("Speichern Nummer ")
