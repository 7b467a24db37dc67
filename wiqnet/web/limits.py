"""Rate limits for the expensive routes (Flask-Limiter, keyed by the client's address).

Limits are counted where the setting RATE_LIMIT_STORAGE says (a Flask-Limiter storage
URI; default `memory://`, per worker process; `redis://…` shares them between workers); a route opts in with `@limiter.limit(...)`. A breach answers 429 in the
usual error shape, with `Retry-After`.
"""

from __future__ import annotations

import time

from flask import Flask
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

# A client over its limit waits this long for its 429: a flood of refusals must not
# cost more than the requests it replaces (the thread sleeps; the CPU is free).
BREACH_DELAY = 1.0


def _slow_refusal(_limit: RequestLimit) -> None:
    time.sleep(BREACH_DELAY)


limiter = Limiter(get_remote_address, headers_enabled=True, on_breach=_slow_refusal)


def init_app(app: Flask) -> None:
    """Attach the limiter to the app, counting in the configured storage (default: memory)."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("RATE_LIMIT_STORAGE") or "memory://"
    )
    limiter.init_app(app)
