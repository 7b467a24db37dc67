"""Security headers for every response, and CORS for the API (off unless configured).

Content-Security-Policy: only the app's own scripts, styles and images, plus `data:`
images and the configured tile host. A view that must run inline script (a folium map)
calls `allow_inline_map()`: its response then allows `<script nonce="{{ csp_nonce() }}">`
and inline styles, and nothing else changes.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request


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
    g.csp_inline_map = True
    return csp_nonce()


def content_security_policy() -> str:
    """Return the CSP header value for the current request."""
    tiles = str(current_app.config.get("TILES") or "")
    if not g.get("csp_inline_map"):
        return _fixed_policy(tiles)
    return _policy(tiles, f"'self' 'nonce-{csp_nonce()}'", "'self' 'unsafe-inline'")


@lru_cache(maxsize=64)
def _fixed_policy(tiles: str) -> str:
    """Return (cached: the same for every response) the CSP value without inline scripts."""
    return _policy(tiles, "'self'", "'self'")


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


def _cors(response: Response) -> None:
    allowed = _origins(str(current_app.config.get("CORS_ORIGINS") or ""))
    if not allowed:
        return
    origin = request.headers.get("Origin")
    if not origin or not request.path.startswith("/api/"):
        return
    if "*" in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"


def _headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "SAMEORIGIN"
    headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
    _cors(response)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
