"""Log in and out with a named account (roles: editor, coordinator)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from . import auth

bp = Blueprint("account", __name__)
MAX_NAME = 64
MAX_PASSWORD = 1024
MAX_NEXT = 500


def safe_next(target: str | None) -> str:
    """Return target if it is a path on this site, else the start page (no open redirect)."""
    if (
        target
        and len(target) <= MAX_NEXT
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and target.isprintable()
        and "\\" not in target
    ):
        return target
    return url_for("pages.index")


@bp.route("/anmelden", methods=["GET", "POST"])
@bp.route("/netzwerk/anmelden", methods=["GET", "POST"], endpoint="network_login")
def login() -> tuple[str, int] | BaseResponse:
    """Show the login form; log in with account name and password."""
    error, status = None, 200
    name = request.form.get("konto", "").strip()
    if request.method == "POST":
        password = request.form.get("passwort", "")
        if not auth.editing_enabled():
            error, status = (
                _("Anmelden ist nicht eingerichtet: es gibt noch kein Konto („wiqnet user add“)."),
                401,
            )
        elif not name or len(name) > MAX_NAME or not password or len(password) > MAX_PASSWORD:
            error, status = (
                _("Bitte Kontoname (höchstens %(n)d Zeichen) und Passwort angeben.", n=MAX_NAME),
                401,
            )
        else:
            outcome = auth.attempt_login(name, password)
            if outcome == "ok":
                flash(_("Sie sind angemeldet."), "ok")
                return redirect(safe_next(request.form.get("weiter")))
            if outcome == "locked":
                error, status = (
                    _(
                        "Zu viele falsche Passwörter für dieses Konto. Bitte "
                        "versuchen Sie es in zehn Minuten noch einmal."
                    ),
                    429,
                )
            else:
                error, status = _("Kontoname oder Passwort stimmt nicht."), 401
    return render_template(
        "account/login.html",
        error=error,
        name=name[:MAX_NAME],
        next=safe_next(request.values.get("weiter")),
    ), status


@bp.post("/abmelden")
def logout() -> BaseResponse:
    """Log out: the session ends on the server too."""
    auth.log_out()
    flash(_("Sie sind abgemeldet."), "ok")
    return redirect(safe_next(request.form.get("weiter")))
