"""Rate limits for the expensive routes (Flask-Limiter, keyed by the client's address).

Limits are counted in memory per worker process (`RATELIMIT_STORAGE_URI`, default
`memory://`); a route opts in with `@limiter.limit(...)`. A breach answers 429 in the
usual error shape, with `Retry-After`.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, headers_enabled=True)


def init_app(app: Flask) -> None:
    """Attach the limiter to the app, with in-memory counters unless configured otherwise."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
