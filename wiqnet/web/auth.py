"""Logins with named accounts and roles: Flask-Login over server-side sessions, Flask-WTF CSRF.

Reading needs no login. Editors edit institutions, services and checks; coordinators also
links and accounts. The Flask session cookie carries only a random session token; the
state database (`wiqnet.state`) knows which account it belongs to, so logout (or a removed
account, or a new password) ends it for every copy of the cookie. Failed logins are
counted per account and client address in the same database, shared by all workers.
Every POST form carries Flask-WTF's CSRF token (`csrf_token()` in templates).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypedDict, TypeVar

from flask import Flask, Request, Response, abort, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from itsdangerous import URLSafeTimedSerializer

from ..accounts import Account, Accounts
from ..state import (
    SESSION_HOURS,
    StateDB,
    begin_attempt,
    create_session,
    is_locked,
    login_succeeded,
    lookup_session,
    revoke_session,
)
from .errorpages import error_response
from .state import current_request

F = TypeVar("F", bound=Callable[..., Any])
login_manager = LoginManager()
csrf = CSRFProtect()


class SessionUser(UserMixin):  # type: ignore[misc]
    """The logged-in account of a request, with its session token as Flask-Login's id."""

    def __init__(self, account: Account, token: str) -> None:
        """Keep the account and the session token."""
        self.account = account
        self.token = token

    def get_id(self) -> str:
        """Return the session token (what the cookie carries)."""
        return self.token


def accounts() -> Accounts:
    """Return the app's accounts file."""
    found: Accounts = current_app.extensions["wiqnet.accounts"]
    return found


def state_db() -> StateDB:
    """Return the app's state database."""
    found: StateDB = current_app.extensions["wiqnet.state"]
    return found


def _load_user(token: str) -> SessionUser | None:
    """Return the user of a live session token, or None (logged out, expired, removed)."""
    name = lookup_session(state_db(), token)
    account = accounts().get(name) if name else None
    return SessionUser(account, token) if account else None


class Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per set of keys.

    Flask builds it anew for every request, a tenth of the time of a small API answer.
    """

    def __init__(self) -> None:
        """Start without signers."""
        self._signers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the signer for the app's current secret key and its fallbacks."""
        key = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if key not in self._signers:
            self._signers[key] = super().get_signing_serializer(app)
        return self._signers[key]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Open the session; without a cookie (most requests) a new one, checked more cheaply."""
        if "HTTP_COOKIE" not in request.environ or self.get_cookie_name(app) not in request.cookies:
            return None if self.get_signing_serializer(app) is None else self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save the session; an empty one left unchanged (most requests) sets no cookie.

        Every response varies with the Cookie header: the `lang` cookie picks its language.
        """
        session.accessed = True
        if session or session.modified:
            super().save_session(app, session, response)
        elif response.headers.getlist("Vary"):
            response.vary.add("Cookie")
        else:  # what vary.add does without a Vary header, without parsing one
            response.headers.add("Vary", "Cookie")


def editing_enabled() -> bool:
    """Return whether any account exists (else nobody can log in)."""
    return bool(accounts().all())


def current_account() -> Account | None:
    """Return the logged-in account, or None."""
    return current_user.account if current_user.is_authenticated else None


class WriteAs(TypedDict):
    """The keyword arguments that tell the writer who writes and whether to commit to git."""

    actor: str
    git_commit: bool


def write_as() -> WriteAs:
    """Return the writer's actor (the logged-in account) and the GIT_COMMIT setting."""
    account = current_account()
    return WriteAs(
        actor=account.name if account else "web",
        git_commit=bool(current_app.config.get("GIT_COMMIT", False)),
    )


def has_role(role: str) -> bool:
    """Return whether the current session is logged in with at least that role."""
    account = current_account()
    return account is not None and account.can(role)


def is_coordinator() -> bool:
    """Return whether the current session is a coordinator's."""
    return has_role("coordinator")


def is_editor() -> bool:
    """Return whether the current session may edit institutions (editor or coordinator)."""
    return has_role("editor")


def _address() -> str:
    """Return the client's address (the proxy's forwarded one with TRUSTED_PROXIES)."""
    return request.remote_addr or "?"


def attempt_login(name: str, password: str) -> str:
    """Try to log in; return "ok", "wrong" or "locked" (too many wrong passwords lately)."""
    db, address = state_db(), _address()
    if not begin_attempt(db, name, address):
        return "locked"
    account = accounts().authenticate(name, password)
    if account is None:
        return "locked" if is_locked(db, name, address) else "wrong"
    login_succeeded(db, name, address)
    session.clear()
    login_user(SessionUser(account, create_session(db, account.name, SESSION_HOURS)))
    return "ok"


def log_out() -> None:
    """End the session on the server (a copied cookie stops working) and in the browser."""
    if current_user.is_authenticated:
        revoke_session(state_db(), current_user.get_id())
    logout_user()
    session.clear()


def role_required(role: str) -> Callable[[F], F]:
    """Let only a logged-in account with the role use the view (GET: else go to login)."""

    def decorate(view: F) -> F:
        """Wrap the view with the role check."""

        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            """Check the role, then run the view."""
            if has_role(role):
                return view(*args, **kwargs)
            if request.method == "GET" and not current_user.is_authenticated:
                return redirect(url_for("account.login", weiter=request.full_path.rstrip("?")))
            if role == "coordinator":
                abort(
                    403,
                    _("Bitte melden Sie sich als Koordinatorin an, um das Netzwerk zu bearbeiten."),
                )
            abort(
                403,
                _(
                    "Bitte melden Sie sich mit einem Konto an, das Einträge bearbeiten "
                    "darf. Ihre Anmeldung ist vielleicht abgelaufen."
                ),
            )

        return wrapper  # type: ignore[return-value]

    return decorate


coordinator_required = role_required("coordinator")
editor_required = role_required("editor")


def _csrf_failed(exc: CSRFError) -> Any:
    """Answer a missing, expired or foreign CSRF token with a clear page (400)."""
    return error_response(
        400,
        _(
            "Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte laden Sie die "
            "Seite neu und versuchen Sie es noch einmal."
        ),
    )


def init_app(app: Flask) -> None:
    """Set up Flask-Login, CSRF protection and the template helpers."""
    # Flask-Login's hook after every request only sets or clears remember-me cookies, which
    # wiqnet never sets (and `log_out` clears the whole session): it is left out.
    after = list(app.after_request_funcs.get(None, []))
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    app.after_request_funcs[None] = after
    # CSRF protection checks only the methods it protects (POST, ...): its hook, run for
    # every request, is wrapped so that a GET skips it at once.
    hooks = app.before_request_funcs.setdefault(None, [])
    kept = list(hooks)
    csrf.init_app(app)
    protect = [hook for hook in hooks if hook not in kept]

    def unless_safe() -> None:
        if current_request().method in app.config["WTF_CSRF_METHODS"]:
            for hook in protect:
                hook()

    hooks[:] = [*kept, unless_safe]
    app.register_error_handler(CSRFError, _csrf_failed)
    app.jinja_env.globals.update(
        is_coordinator=is_coordinator,
        is_editor=is_editor,
        editing_enabled=editing_enabled,
        current_account=current_account,
    )
