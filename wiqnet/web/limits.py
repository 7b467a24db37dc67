"""Rate limits for the expensive routes (Flask-Limiter, keyed by the client's address).

Limits are counted where the setting RATE_LIMIT_STORAGE says (a Flask-Limiter storage
URI; default `memory://`, per worker process; `redis://…` shares them between workers); a route
opts in with `@limiter.limit(...)` and its blueprint is listed in LIMITED_AREAS. The limiter's
request hooks run only for those blueprints: every other request skips it (looking for no limit
cost a search request a sixteenth of its time). A breach answers 429 in the usual error shape,
with `Retry-After`.
"""

from __future__ import annotations

import time
from typing import TypeVar

from flask import Flask
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

H = TypeVar("H")
# The blueprints with rate-limited routes.
LIMITED_AREAS = frozenset({"flyer", "suggest"})
# A client over its limit waits this long for its 429: a flood of refusals must not
# cost more than the requests it replaces (the thread sleeps; the CPU is free).
BREACH_DELAY = 1.0


def _slow_refusal(_limit: RequestLimit) -> None:
    time.sleep(BREACH_DELAY)


limiter = Limiter(get_remote_address, headers_enabled=True, on_breach=_slow_refusal)


def init_app(app: Flask) -> None:
    """Attach the limiter to the app's limited blueprints, counting in the configured storage.

    Flask-Limiter hooks into every request of the app; the hooks it adds are moved to the
    scope of the LIMITED_AREAS (Flask runs a blueprint's hooks only for its own requests).
    Call this before the blueprints are registered.
    """
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("RATE_LIMIT_STORAGE") or "memory://"
    )
    # The limiter is one object per process: without this, an app made with
    # RATELIMIT_ENABLED=False would leave it off for every app made after it.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    before = list(app.before_request_funcs[None])
    after = list(app.after_request_funcs[None])
    teardown = list(app.teardown_request_funcs[None])
    limiter.init_app(app)
    _to_limited_areas(app.before_request_funcs, before)
    _to_limited_areas(app.after_request_funcs, after)
    _to_limited_areas(app.teardown_request_funcs, teardown)


def _to_limited_areas(hooks: dict[str | None, list[H]], kept: list[H]) -> None:
    """Move the app-wide hooks added since `kept` to the scope of the LIMITED_AREAS."""
    added = [hook for hook in hooks[None] if hook not in kept]
    hooks[None] = kept
    for area in sorted(LIMITED_AREAS):
        hooks[area] = [*hooks.get(area, []), *added]
