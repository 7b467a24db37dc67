"""Errors: one JSON shape under /api/, German HTML pages elsewhere; never a traceback.

JSON: {"error": {"status": 404, "code": "not_found", "message": "..."}}.
Views raise werkzeug's HTTP exceptions (`abort(404)`) or a WiqnetError subclass
(NotFound, UsageError, ...), which maps to its `http_status`.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..errors import DataFileError, WiqnetError
from .i18n import force_locale
from .state import current_request

log = logging.getLogger("wiqnet.web")

CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    414: "uri_too_long",
    429: "too_many_requests",
    500: "internal_error",
    502: "bad_gateway",
    503: "unavailable",
}


def _default_message(status: int) -> str:
    messages = {
        400: _("Die Anfrage ist ungültig."),
        404: _("Diese Seite gibt es nicht."),
        405: _("Diese Methode ist hier nicht erlaubt."),
        409: _("Die Daten wurden inzwischen geändert."),
        414: _("Die Adresse ist zu lang."),
        429: _("Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment."),
        500: _("Ein interner Fehler ist aufgetreten."),
        502: _("Ein anderer Dienst hat nicht geantwortet."),
        503: _("Die Daten sind gerade nicht verfügbar."),
    }
    return str(messages.get(status, _("Ein Fehler ist aufgetreten.")))


def error_response(status: int, message: object | None = None) -> Response | tuple[str, int]:
    """Render an error as JSON under /api/ (always in English) and as an HTML page elsewhere.

    message may be a lazy translation or an exception; it is rendered in the response's
    language, so one response never mixes German and English.
    """
    if request.path.startswith("/api/"):
        with force_locale("en"):
            text = str(message) if message else _default_message(status)
        body = {"error": {"status": status, "code": CODES.get(status, "error"), "message": text}}
        response = jsonify(body)
        response.status_code = status
        return response
    text = str(message) if message else _default_message(status)
    return render_template("errors/error.html", status=status, message=text), status


def _http(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    custom = (
        exc.description and exc.description != type(exc).description and status != 429
    )  # the limiter's description is its rule, not for users
    message = exc.description if custom else None
    response = error_response(status, message)
    if status == 405 and isinstance(response, Response):
        allowed = exc.get_headers()
        response.headers.extend([h for h in allowed if h[0] == "Allow"])
    return response


def _wiqnet(exc: WiqnetError) -> Response | tuple[str, int]:
    if isinstance(exc, DataFileError):
        log.error("data unavailable: %s", exc)
        return error_response(503)
    return error_response(exc.http_status, exc)


def _unexpected(exc: Exception) -> Response | tuple[str, int]:
    if isinstance(exc, HTTPException):
        return _http(exc)
    log.exception("unexpected error on %s", request.path)
    return error_response(500)


# Longer URLs answer 414 in the usual error shape. gunicorn refuses request lines over
# 8190 bytes itself (with its own page); `wiqnet serve --production` allows that many.
MAX_URL = 8000


def _url_length() -> None:
    if len(current_request().full_path) > MAX_URL:
        abort(414)


def init_app(app: Flask) -> None:
    """Register the error handlers and the URL length check."""
    app.before_request(_url_length)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(WiqnetError, _wiqnet)
    app.register_error_handler(Exception, _unexpected)
