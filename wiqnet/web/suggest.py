"""The public "Fehler melden / Änderung vorschlagen" form of every institution (no login).

Suggestions go into the state database (`wiqnet.state.suggestions`), never into the data
file; editors review them at /vorschlaege. Per-field and total size limits, a rate limit per
address (Flask-Limiter, `SUGGEST_RATE_LIMIT`), CSRF, and a honeypot field: a bot that fills
it gets the same thank-you page and nothing is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from ..needs import all_needs
from ..state import add_suggestion
from . import suggestform
from .auth import state_db
from .edit import load_record
from .editform import MAX_SERVICES, current_values
from .limits import limiter
from .state import current_directory, current_settings

bp = Blueprint("suggest", __name__)
log = logging.getLogger("wiqnet.web")
MAX_BODY = 64 * 1024


def _rate() -> str:
    """Return the configured limit of suggestions per address."""
    return current_settings().suggest_rate_limit


def _page(
    inst_id: str,
    record: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status: int,
) -> Any:
    """Render the suggestion form."""
    inst = current_directory().institution(inst_id)
    return render_template(
        "suggest/form.html",
        inst_id=inst_id,
        name=inst.name if inst else record.get("name", inst_id),
        record=record,
        service_count=min(len(record.get("services") or []), MAX_SERVICES),
        service_fields=suggestform.SERVICE_FIELDS,
        institution_fields=suggestform.INSTITUTION_FIELDS,
        new_fields=suggestform.NEW_SERVICE_FIELDS,
        closures=suggestform.CLOSURES,
        message=suggestform.MESSAGE,
        contact=suggestform.CONTACT,
        honeypot=suggestform.HONEYPOT,
        needs=all_needs(),
        values=values,
        errors=errors,
    ), status


@bp.route("/einrichtung/<inst_id>/vorschlag", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
def form(inst_id: str) -> Any:
    """Show the suggestion form, or store a sent suggestion and thank the sender."""
    record = load_record(inst_id)
    names = suggestform.form_fields(record)
    if request.method == "GET":
        return _page(inst_id, record, current_values(record, names), {}, 200)
    if (request.content_length or 0) > MAX_BODY:
        abort(413, _("Zu viel Text auf einmal. Bitte kürzen oder aufteilen."))
    if request.form.get(suggestform.HONEYPOT):
        log.info("suggestion for %s dropped: honeypot filled", inst_id)
        return redirect(url_for("suggest.thanks", inst_id=inst_id))
    payload, errors = suggestform.read_form(request.form, record)
    if errors:
        values = {**current_values(record, names), **request.form.to_dict()}
        values["neu.needs"] = request.form.getlist("neu.needs")
        return _page(inst_id, record, values, errors, 422)
    number = add_suggestion(state_db(), inst_id, payload, suggestform.contact_of(request.form))
    log.info("suggestion #%d for %s stored", number, inst_id)
    return redirect(url_for("suggest.thanks", inst_id=inst_id))


@bp.get("/einrichtung/<inst_id>/vorschlag/danke")
def thanks(inst_id: str) -> BaseResponse | str:
    """Thank the sender (the same page whatever happened to the suggestion)."""
    inst = current_directory().institution(inst_id)
    if inst is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    return render_template("suggest/thanks.html", inst=inst)
