"""Login with named accounts: lock-out, logout that revokes, cookie flags, CSRF, gunicorn."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

from wiqnet.accounts import Accounts
from wiqnet.state import MAX_FAILURES

PASSWORD = "geheim-genug-123"


@pytest.fixture
def accounts(instance_dir: Path) -> Accounts:
    """Return the instance's accounts with coordinator "anna" and editor "ben"."""
    found = Accounts(instance_dir)
    found.add("anna", "coordinator", PASSWORD)
    found.add("ben", "editor", PASSWORD)
    return found


@pytest.fixture
def web(accounts: Accounts, data_path: Path) -> Any:
    """Return the app with two accounts."""
    from wiqnet.web import create_app

    return create_app({"TESTING": True, "DATA": str(data_path), "TILES": "none"})


def token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]* value="([^"]*)"', html)
    assert found, "no csrf_token field"
    return found.group(1)


def log_in(client: Any, name: str = "anna", password: str = PASSWORD) -> Any:
    page = client.get("/anmelden").get_data(as_text=True)
    return client.post(
        "/anmelden",
        data={
            "csrf_token": token(page),
            "konto": name,
            "passwort": password,
            "weiter": "/netzwerk",
        },
    )


def test_login_and_the_role_shows(web: Any) -> None:
    client = web.test_client()
    response = log_in(client)
    assert response.status_code == 302 and response.location == "/netzwerk"
    assert "Angemeldet als anna (Koordinatorin)." in client.get("/anmelden").get_data(as_text=True)


def test_an_editor_may_not_edit_links(web: Any) -> None:
    client = web.test_client()
    assert log_in(client, "ben").status_code == 302
    html = client.get("/anmelden").get_data(as_text=True)
    assert "Angemeldet als ben (Redaktion)." in html
    response = client.post(
        "/netzwerk/verbindung",
        data={
            "csrf_token": token(html),
            "von": "wiq",
            "zu": "kita-st-stephan",
            "art": "kooperation",
        },
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "password"),
    [("anna", "falsch-falsch"), ("niemand", PASSWORD), ("", PASSWORD), ("anna", "x" * 2000)],
)
def test_wrong_logins_get_one_message(web: Any, name: str, password: str) -> None:
    response = log_in(web.test_client(), name, password)
    assert response.status_code == 401
    assert re.search(
        "Kontoname (oder Passwort stimmt nicht|\\(höchstens)", response.get_data(as_text=True)
    )


def test_login_without_csrf_token_gets_a_clear_page(web: Any) -> None:
    client = web.test_client()
    client.get("/anmelden")
    response = client.post("/anmelden", data={"konto": "anna", "passwort": PASSWORD})
    assert response.status_code == 400
    assert "Das Formular ist abgelaufen oder stammt nicht von dieser Seite." in response.get_data(
        as_text=True
    )


def test_the_lock_out_spares_other_accounts_from_the_same_address(web: Any) -> None:
    client = web.test_client()
    codes = [log_in(client, "anna", "falsch-falsch").status_code for _ in range(MAX_FAILURES)]
    assert codes == [401] * (MAX_FAILURES - 1) + [429]
    right = log_in(client, "anna")
    assert right.status_code == 429
    assert "Zu viele falsche Passwörter für dieses Konto." in right.get_data(as_text=True)
    assert log_in(web.test_client(), "ben").status_code == 302


def test_a_copied_cookie_stops_working_after_logout(web: Any) -> None:
    client = web.test_client()
    log_in(client)
    cookie = client.get_cookie("session").value
    copy = web.test_client()
    copy.set_cookie("session", cookie)
    assert "Angemeldet als anna" in copy.get("/anmelden").get_data(as_text=True)
    html = client.get("/anmelden").get_data(as_text=True)
    assert client.post("/abmelden", data={"csrf_token": token(html)}).status_code == 302
    assert "Angemeldet als" not in copy.get("/anmelden").get_data(as_text=True)


def test_a_removed_account_is_logged_out(web: Any, accounts: Accounts) -> None:
    client = web.test_client()
    log_in(client)
    accounts.remove("anna")
    assert "Angemeldet als" not in client.get("/anmelden").get_data(as_text=True)


def test_redirect_after_login_stays_on_the_site(web: Any) -> None:
    client = web.test_client()
    page = client.get("/anmelden").get_data(as_text=True)
    response = client.post(
        "/anmelden",
        data={
            "csrf_token": token(page),
            "konto": "anna",
            "passwort": PASSWORD,
            "weiter": "//evil.example/",
        },
    )
    assert response.location == "/"


def test_login_when_there_is_no_account(client: Any) -> None:
    page = client.get("/anmelden").get_data(as_text=True)
    response = client.post(
        "/anmelden", data={"csrf_token": token(page), "konto": "anna", "passwort": PASSWORD}
    )
    assert "es gibt noch kein Konto" in response.get_data(as_text=True)


def test_the_old_coordinator_hash_logs_in_as_koordination(data_path: Path) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATA": str(data_path),
            "TILES": "none",
            "ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
        }
    )
    assert log_in(app.test_client(), "koordination").status_code == 302


@pytest.mark.parametrize(
    ("public_url", "secure"), [("https://wiq.example/", True), ("http://127.0.0.1:5000/", False)]
)
def test_cookie_flags(accounts: Accounts, data_path: Path, public_url: str, secure: bool) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {"TESTING": True, "DATA": str(data_path), "TILES": "none", "PUBLIC_URL": public_url}
    )
    response = log_in(app.test_client())
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("; Secure" in cookie) is secure


def test_behind_a_proxy_the_forwarded_address_is_locked_out(
    accounts: Accounts, data_path: Path
) -> None:
    from wiqnet.web import create_app

    app = create_app(
        {"TESTING": True, "DATA": str(data_path), "TILES": "none", "TRUSTED_PROXIES": 1}
    )
    client = app.test_client()
    page = client.get("/anmelden").get_data(as_text=True)

    def attempt(address: str, password: str) -> int:
        return int(
            client.post(
                "/anmelden",
                headers={"X-Forwarded-For": address},
                data={"csrf_token": token(page), "konto": "anna", "passwort": password},
            ).status_code
        )

    assert [attempt("10.0.0.1", "falsch-falsch") for _ in range(MAX_FAILURES)][-1] == 429
    assert attempt("10.0.0.2", PASSWORD) == 302


# --- two gunicorn workers sharing the lock-out and the sessions -----------------------------


class Browser:
    """An HTTP client with its own cookies that does not follow redirects."""

    def __init__(self, base: str) -> None:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any) -> None:
                return None

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        """GET (or POST the form); return status and body."""
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def log_in(self, name: str, password: str) -> int:
        """Post the login form; return the status."""
        page = self.request("/anmelden")[1]
        return self.request(
            "/anmelden", {"csrf_token": token(page), "konto": name, "passwort": password}
        )[0]


@pytest.fixture
def gunicorn(accounts: Accounts, data_path: Path) -> Iterator[str]:
    """Run `wiqnet serve --production` with two workers; yield its base URL."""
    from tests.test_cli_serve import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wiqnet",
            "--data",
            str(data_path),
            "serve",
            "--production",
            "--workers",
            "2",
            "--threads",
            "2",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "WIQNET_TILES": "none"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/status", process)
        yield base
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_two_gunicorn_workers_share_lock_out_and_sessions(gunicorn: str) -> None:
    # Each request is a new connection, so the two workers share the work between them.
    guesses = [Browser(gunicorn).log_in("anna", "falsch-falsch") for _ in range(MAX_FAILURES + 3)]
    assert guesses == [401] * (MAX_FAILURES - 1) + [429] * 4
    assert Browser(gunicorn).log_in("anna", PASSWORD) == 429
    editor = Browser(gunicorn)
    assert editor.log_in("ben", PASSWORD) == 302
    pages = [editor.request("/anmelden")[1] for _ in range(4)]
    assert all('action="/abmelden"' in page for page in pages)
    stolen = Browser(gunicorn)
    for cookie in editor.jar:
        stolen.jar.set_cookie(cookie)
    assert 'action="/abmelden"' in stolen.request("/anmelden")[1]
    assert editor.request("/abmelden", {"csrf_token": token(pages[0])})[0] == 302
    assert all('action="/abmelden"' not in stolen.request("/anmelden")[1] for _ in range(4))
