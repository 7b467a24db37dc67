"""Security headers for every response, and CORS for the API (off unless configured).

Content-Security-Policy: only the app's own scripts, styles and images, plus `data:`
images and the configured tile host. A view that must run inline script (a folium map)
calls `allow_inline_map()`: its response then allows `<script nonce="{{ csp_nonce() }}">`
and inline styles, and nothing else changes.

The headers are added by a WSGI middleware to the finished header list: set on the response,
werkzeug checked each value for newlines twice and copied it, a tenth of the web layer's
time of a search request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from .state import flask_app

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Header = tuple[str, str]
# The same on every response.
FIXED_HEADERS: tuple[Header, ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
)
# The WSGI environ key where `allow_inline_map()` leaves the nonce the response's CSP allows.
INLINE_NONCE = "wiqnet.csp_inline_nonce"


@lru_cache(maxsize=64)
def tile_origin(template: str) -> str | None:
    """Return (cached: every response asks) the CSP source for a tile URL template, or None."""
    if not template or template.lower() == "none":
        return None
    parts = urlsplit(template)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def csp_nonce() -> str:
    """Return this request's CSP nonce (for inline scripts of map pages)."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = secrets.token_urlsafe(16)
        g.csp_nonce = nonce
    return nonce


def allow_inline_map() -> str:
    """Let this response run inline scripts carrying the nonce; return the nonce."""
    nonce = csp_nonce()
    request.environ[INLINE_NONCE] = nonce
    return nonce


def security_headers(tiles: str, inline_nonce: str | None) -> tuple[Header, ...]:
    """Return the security headers for the TILES setting and the nonce of inline scripts."""
    if inline_nonce is None:
        return _fixed_headers(tiles)
    policy = _policy(tiles, f"'self' 'nonce-{inline_nonce}'", "'self' 'unsafe-inline'")
    return (("Content-Security-Policy", policy), *FIXED_HEADERS)


@lru_cache(maxsize=64)
def _fixed_headers(tiles: str) -> tuple[Header, ...]:
    """Return (cached: the same for every response) the headers without inline scripts."""
    return (("Content-Security-Policy", _policy(tiles, "'self'", "'self'")), *FIXED_HEADERS)


def _policy(tiles: str, script: str, style: str) -> str:
    origin = tile_origin(tiles)
    img = "'self' data:" + (f" {origin}" if origin else "")
    return (
        f"default-src 'self'; img-src {img}; script-src {script}; style-src {style}; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'"
    )


@lru_cache(maxsize=64)
def _origins(setting: str) -> tuple[str, ...]:
    """Return (cached: every response asks) the origins of the CORS_ORIGINS setting."""
    return tuple(o.strip() for o in setting.split(",") if o.strip())


def _cors(response: Response) -> Response:
    allowed = _origins(str(flask_app().config.get("CORS_ORIGINS") or ""))
    if not allowed:
        return response
    origin = request.headers.get("Origin")
    if not origin or not request.path.startswith("/api/"):
        return response
    if "*" in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return response
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    return response


class SecurityHeaders:
    """WSGI middleware that appends the security headers to every response of the app."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        """Wrap the app's WSGI callable; read TILES from its config on each response."""
        self.config = app.config
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Run the app, adding the headers to those it starts its response with."""

        def start(
            status: str, headers: list[Header], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            tiles = str(self.config.get("TILES") or "")
            added = security_headers(tiles, environ.get(INLINE_NONCE))
            return start_response(status, [*headers, *added], exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    """Add the security headers to every response, and CORS headers if CORS_ORIGINS is set."""
    if _origins(str(app.config.get("CORS_ORIGINS") or "")):
        app.after_request(_cors)
    app.wsgi_app = SecurityHeaders(app, app.wsgi_app)  # type: ignore[method-assign]
    app.jinja_env.globals["csp_nonce"] = csp_nonce
