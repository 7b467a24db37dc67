"""Rate limits for the expensive routes (Flask-Limiter, keyed by the client's address).

Limits are counted in memory per worker process (`RATELIMIT_STORAGE_URI`, default
`memory://`); a route opts in with `@limiter.limit(...)` and its blueprint is listed in
LIMITED_AREAS: every other request skips the limiter at once (it would cost a search
request a tenth of its time to find no limit). A breach answers 429 in the usual error
shape, with `Retry-After`.
"""

from __future__ import annotations

import time

from flask import Flask, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

# The blueprints with rate-limited routes.
LIMITED_AREAS = frozenset({"flyer"})
# A client over its limit waits this long for its 429: a flood of refusals must not
# cost more than the requests it replaces (the thread sleeps; the CPU is free).
BREACH_DELAY = 1.0


def _slow_refusal(_limit: RequestLimit) -> None:
    time.sleep(BREACH_DELAY)


limiter = Limiter(get_remote_address, headers_enabled=True, on_breach=_slow_refusal)


@limiter.request_filter
def _unlimited() -> bool:
    """Return whether the request is outside every limited area (the limiter skips it)."""
    return request.blueprint not in LIMITED_AREAS


def init_app(app: Flask) -> None:
    """Attach the limiter to the app, with in-memory counters unless configured otherwise."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
