"""The coordinator's login (password hash from the config) and CSRF tokens for edit forms.

Reading needs no login. Editing needs a session login with the password whose hash is the
ADMIN_PASSWORD_HASH setting (`wiqnet hash-password` makes one); an empty hash disables
editing. Every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from itsdangerous import URLSafeTimedSerializer
from werkzeug.security import check_password_hash

F = TypeVar("F", bound=Callable[..., Any])
# Failed logins per client address (per app and process): MAX_FAILURES within
# FAILURE_WINDOW seconds lock that address out until the oldest failure ages out.
MAX_FAILURES = 5
FAILURE_WINDOW = 600.0
_failures_lock = threading.Lock()
SESSION_KEY = "coordinator"
CSRF_KEY = "csrf_token"


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


def editing_enabled() -> bool:
    """Return whether a coordinator password is configured."""
    return bool(current_app.config.get("ADMIN_PASSWORD_HASH"))


def is_coordinator() -> bool:
    """Return whether the current session is logged in as the coordinator."""
    return editing_enabled() and session.get(SESSION_KEY) is True


def check_password(password: str) -> bool:
    """Return whether the password matches the configured hash."""
    stored = str(current_app.config.get("ADMIN_PASSWORD_HASH") or "")
    if not stored or not password:
        return False
    try:
        return check_password_hash(stored, password)
    except (ValueError, TypeError):
        current_app.logger.error("ADMIN_PASSWORD_HASH is not a werkzeug password hash")
        return False


def _recent_failures(now: float) -> deque[float]:
    """Return this client's failed login times within the window (older ones dropped)."""
    failures: defaultdict[str, deque[float]] = current_app.extensions.setdefault(
        "wiqnet.login_failures", defaultdict(deque)
    )
    times = failures[request.remote_addr or "?"]
    while times and times[0] < now - FAILURE_WINDOW:
        times.popleft()
    return times


def locked_out() -> bool:
    """Return whether this client failed to log in too often lately."""
    with _failures_lock:
        return len(_recent_failures(time.monotonic())) >= MAX_FAILURES


def record_failure() -> None:
    """Remember a failed login of this client."""
    now = time.monotonic()
    with _failures_lock:
        _recent_failures(now).append(now)


def log_in() -> None:
    """Mark the session as the coordinator's, with a fresh CSRF token."""
    session.clear()
    session[SESSION_KEY] = True
    session[CSRF_KEY] = secrets.token_urlsafe(32)


def log_out() -> None:
    """End the coordinator's session."""
    session.clear()


def csrf_token() -> str:
    """Return the session's CSRF token, creating it on first use."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def check_csrf() -> None:
    """Abort with 400 unless the posted form carries the session's CSRF token."""
    sent = request.form.get(CSRF_KEY, "")
    expected = session.get(CSRF_KEY)
    if not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(
            400,
            _(
                "Das Formular ist abgelaufen oder stammt nicht von dieser Seite. "
                "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."
            ),
        )


def coordinator_required(view: F) -> F:
    """Let only the logged-in coordinator post to the view (with a valid CSRF token)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        """Check CSRF and login, then run the view."""
        check_csrf()
        if not is_coordinator():
            abort(
                403, _("Bitte melden Sie sich als Koordinatorin an, um das Netzwerk zu bearbeiten.")
            )
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """Offer csrf_token() and is_coordinator() to templates."""
    app.jinja_env.globals.update(
        csrf_token=csrf_token, is_coordinator=is_coordinator, editing_enabled=editing_enabled
    )
