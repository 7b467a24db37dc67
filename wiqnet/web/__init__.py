"""The Flask app factory: settings, translations, security headers, errors, blueprints.

Adding a blueprint: write `wiqnet/web/<area>.py` with a module-level `bp`, templates in
`wiqnet/web/templates/<area>/`, then add `<area>.bp` to the tuple marked BLUEPRINTS in
`create_app` (one-line edit). Blueprints read the live data with
`wiqnet.web.state.current_directory()`.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..accounts import Accounts
from ..config import SETTINGS, load_settings
from ..datafile import DirectoryHolder
from ..errors import WiqnetError
from ..state import SESSION_HOURS, StateDB, instance_secret

SETTING_NAMES = frozenset(s.name for s in SETTINGS)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web app; settings: defaults < WIQNET_CONFIG file < WIQNET_* env < test_config."""
    from . import (
        account,
        api,
        auth,
        checks,
        display,
        edit,
        errorpages,
        flyer,
        i18n,
        limits,
        maps,
        network,
        pages,
        review,
        search,
        security,
        status,
        suggest,
    )

    flask_only = {k: v for k, v in (test_config or {}).items() if k not in SETTING_NAMES}
    settings = load_settings({k: v for k, v in (test_config or {}).items() if k in SETTING_NAMES})
    instance = Path(settings.instance_dir).resolve()
    if not settings.secret_key:
        settings = replace(settings, secret_key=instance_secret(instance))
    app = Flask(__name__, instance_path=str(instance))
    app.session_interface = auth.Sessions()
    # Behind TLS (PUBLIC_URL https://...) cookies are sent over HTTPS only.
    tls = settings.public_url.lower().startswith("https://")
    app.config.update(
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=tls,
        REMEMBER_COOKIE_SECURE=tls,
        PREFERRED_URL_SCHEME="https" if tls else "http",
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    if settings.trusted_proxies:
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.extensions["wiqnet.settings"] = settings
    app.extensions["wiqnet.state"] = StateDB(instance)
    app.extensions["wiqnet.accounts"] = Accounts(instance, settings.admin_password_hash)
    app.config.update(settings)
    app.config.update(flask_only)
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 3600)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    holder = app.extensions["wiqnet"] = DirectoryHolder(settings.data)
    # Load now: gunicorn --preload then shares it with every worker. A broken file is logged;
    # /status shows why, pages answer 503 until the file is fixed.
    with contextlib.suppress(WiqnetError):
        holder.current()
    i18n.init_app(app)
    display.init_app(app)
    security.init_app(app)
    errorpages.init_app(app)
    limits.init_app(app)
    auth.init_app(app)
    # BLUEPRINTS: add yours here, one entry per area.
    for bp in (
        pages.bp,
        account.bp,
        edit.bp,
        suggest.bp,
        review.bp,
        checks.bp,
        api.bp,
        status.bp,
        flyer.bp,
        network.bp,
        search.bp,
        maps.bp,
    ):
        app.register_blueprint(bp)
    return app
