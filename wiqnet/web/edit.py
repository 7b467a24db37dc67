"""Editing institutions in the browser (editors and coordinators): edit, add, retire.

Every save goes through the one writer (`wiqnet.datafile.records` → `edit_data_file`):
validated like `wiqnet validate`, comments kept, atomic with a backup, and refused when
the file changed since the form was opened; the form then comes back with what was typed.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from .. import hours
from ..datafile import (
    add_institution,
    load_yaml_cached,
    record_check,
    retire_institution,
    update_institution,
)
from ..errors import ConflictError, NotFound, ValidationFailed, WiqnetError
from ..needs import all_needs
from ..state import decide, get_suggestion
from . import auth, editform, suggestform
from .state import current_directory, holder

bp = Blueprint("edit", __name__)
log = logging.getLogger("wiqnet.web")


def stored_record(inst_id: str) -> tuple[dict[str, Any], str, bool]:
    """Return the stored record, the file's digest and whether the data uses topics."""
    doc = load_yaml_cached(current_directory().path)
    institutions = doc.data.get("institutions") or []
    record = next((i for i in institutions if isinstance(i, dict) and i.get("id") == inst_id), None)
    if record is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    topics = any(
        "topics" in s
        for i in institutions
        if isinstance(i, dict)
        for s in i.get("services") or []
        if isinstance(s, dict)
    )
    return record, doc.digest, topics


def load_record(inst_id: str) -> dict[str, Any]:
    """Return the stored record of the institution (404 when unknown)."""
    return stored_record(inst_id)[0]


def _page(
    inst_id: str,
    record: dict[str, Any],
    digest: str,
    names: list[Any],
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    *,
    suggestion: int | None = None,
    new_service: bool = False,
) -> Any:
    """Render the form (for a suggestion: prefilled with it, and accepting it on save)."""
    return render_template(
        "edit/form.html",
        inst_id=inst_id,
        record=record,
        digest=digest,
        values=values,
        errors=errors,
        fields=dict(names),
        needs=all_needs(),
        status_labels=editform.STATUS,
        access_labels=editform.ACCESS,
        services=len(record.get("services") or []),
        sources=len({n.split("]")[0] for n, _f in names if n.startswith("sources[")}),
        service_fields=editform.SERVICE_FIELDS,
        source_fields=editform.SOURCE_FIELDS,
        institution_fields=editform.INSTITUTION_FIELDS,
        suggestion=suggestion,
        new_service=new_service,
    ), status


def page_for_suggestion(
    inst_id: str,
    record: dict[str, Any],
    digest: str,
    names: list[Any],
    values: dict[str, Any],
    number: int,
    new_service: bool,
) -> Any:
    """Render the edit form prefilled with a suggestion; saving it accepts the suggestion."""
    return _page(
        inst_id, record, digest, names, values, {}, suggestion=number, new_service=new_service
    )


def suggestion_journal(number: int | None) -> dict[str, str]:
    """Return the change log's reason and action for a write that accepts a suggestion."""
    if number is None:
        return {}
    return {"reason": f"Vorschlag #{number} angenommen", "action": "suggestion-accepted"}


def with_new_service(record: dict[str, Any]) -> dict[str, Any]:
    """Return the record with an empty service appended (the form's block for a new one)."""
    return {**record, "services": [*(record.get("services") or []), {}]}


def _suggestion_number(inst_id: str) -> int | None:
    """Return the number of the open suggestion for this institution that this save accepts."""
    text = request.form.get("vorschlag", "")
    if not (text.isdigit() and len(text) < 10):
        return None
    found = get_suggestion(auth.state_db(), int(text))
    usable = found is not None and found.institution == inst_id and found.status == "open"
    return found.id if found is not None and usable else None


def _new_page(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Any:
    """Render the form for a new institution."""
    return render_template(
        "edit/new.html",
        values=values,
        errors=errors,
        new_fields=editform.NEW_FIELDS,
        needs=all_needs(),
        digest=load_yaml_cached(current_directory().path).digest,
    ), status


@bp.route("/bearbeiten/neu", methods=["GET", "POST"])
@auth.editor_required
def new() -> Any:
    """Add an institution with its first service and source; then edit the rest."""
    if request.method == "GET":
        return _new_page({}, {})
    fields = [(f.key, f) for f in editform.NEW_FIELDS]
    values = editform.posted_values(request.form, fields)
    record, errors = editform.new_record(values)
    if errors:
        flash(_("Nicht gespeichert: bitte die markierten Felder korrigieren."), "error")
        return _new_page(values, errors, 422)
    try:
        add_institution(
            current_directory().path,
            record,
            expected_digest=request.form.get("digest", ""),
            **auth.write_as(),
        )
    except ConflictError:
        flash(
            _(
                "Die Datei wurde inzwischen geändert. Nichts wurde gespeichert; Ihre Eingaben "
                "stehen unten, bitte noch einmal speichern."
            ),
            "error",
        )
        return _new_page(values, {}, 409)
    except ValidationFailed as exc:
        flash(
            _("Nicht gespeichert: die Datei wäre danach ungültig.")
            + " "
            + " ".join(p.message for p in exc.problems if p.severity == "error"),
            "error",
        )
        return _new_page(values, {}, 422)
    except WiqnetError as exc:
        if exc.code == "record.id_taken":
            return _new_page(values, {"id": _("Diese Kennung ist schon vergeben.")}, 422)
        raise
    finally:
        holder().refresh()
    flash(_("Einrichtung angelegt. Bitte die übrigen Angaben ergänzen."), "ok")
    return redirect(url_for("edit.form", inst_id=record["id"]))


def _with_service_id(inst_id: str, index: int, changed: dict[str, Any]) -> dict[str, Any]:
    """Give a new service (the form's extra block) an unused id, first among its fields."""
    prefix = f"services[{index}]."
    if not any(key.startswith(prefix) for key in changed):
        return changed
    taken = {s.id for i in current_directory().institutions for s in i.services}
    name = str(changed.get(prefix + "name") or "angebot")
    return {prefix + "id": suggestform.new_service_id(inst_id, name, taken), **changed}


def _filled(posted: dict[str, Any], record: dict[str, Any], names: list[Any]) -> dict[str, Any]:
    """Return the form values: what was sent, and the stored values for fields not sent."""
    return {**editform.current_values(record, names), **posted}


@bp.get("/bearbeiten/<inst_id>")
@auth.editor_required
def form(inst_id: str) -> Any:
    """Show the edit form of an institution with its services and sources."""
    record, digest, topics = stored_record(inst_id)
    names = editform.fields_for(record, topics)
    return _page(inst_id, record, digest, names, editform.current_values(record, names), {})


@bp.post("/bearbeiten/<inst_id>")
@auth.editor_required
def save(inst_id: str) -> Any:
    """Save the changed fields; on any problem show the form again with what was typed."""
    suggestion = _suggestion_number(inst_id)
    extra = suggestion is not None and request.form.get("neues_angebot") == "1"
    page = functools.partial(_page, suggestion=suggestion, new_service=extra)
    record, digest, topics = stored_record(inst_id)
    shaped = with_new_service(record) if extra else record
    names = editform.fields_for(shaped, topics)
    posted = editform.posted_values(request.form, names)
    changed, errors = editform.changes(posted, editform.current_values(shaped, names), names)
    if extra:
        changed = _with_service_id(inst_id, len(record.get("services") or []), changed)
    sent_digest = request.form.get("digest", "")
    if sent_digest != digest:
        flash(
            _(
                "Die Datei wurde inzwischen geändert – von jemand anderem oder in einem Editor. "
                "Nichts wurde gespeichert. Ihre Eingaben stehen unten; bitte mit dem neuen "
                "Stand vergleichen und noch einmal speichern."
            ),
            "error",
        )
        return page(inst_id, shaped, digest, names, _filled(posted, shaped, names), errors, 409)
    if errors:
        flash(_("Nicht gespeichert: bitte die markierten Felder korrigieren."), "error")
        return page(inst_id, shaped, digest, names, _filled(posted, shaped, names), errors, 422)
    if not changed:
        flash(_("Keine Änderung – nichts gespeichert."), "ok")
        if suggestion is not None:
            return redirect(url_for("review.show", number=suggestion))
        return redirect(url_for("edit.form", inst_id=inst_id))
    try:
        update_institution(
            current_directory().path,
            inst_id,
            changed,
            expected_digest=digest,
            **auth.write_as(),
            **suggestion_journal(suggestion),
        )
    except ConflictError:
        holder().refresh()
        record, digest, _topics = stored_record(inst_id)
        shaped = with_new_service(record) if extra else record
        flash(
            _(
                "Die Datei wurde gerade von jemand anderem geändert. Nichts wurde gespeichert. "
                "Ihre Eingaben stehen unten; bitte prüfen und noch einmal speichern."
            ),
            "error",
        )
        return page(inst_id, shaped, digest, names, _filled(posted, shaped, names), {}, 409)
    except ValidationFailed as exc:
        known = {n for n, _f in names}
        general = []
        for problem in exc.problems:
            if problem.severity != "error":
                continue
            missing = re.fullmatch(r"missing required field '(\w+)'", problem.message)
            where = f"{problem.where}.{missing.group(1)}" if missing else problem.where
            target = editform.field_of(where, known)
            if target:
                errors.setdefault(target, _("Ungültig: %(msg)s", msg=problem.message))
            else:
                general.append(problem.message)
        flash(
            _("Nicht gespeichert: die Datei wäre danach ungültig.") + " " + " ".join(general),
            "error",
        )
        return page(inst_id, shaped, digest, names, _filled(posted, shaped, names), errors, 422)
    except NotFound:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    except WiqnetError as exc:
        log.warning("edit refused: %s", exc)
        flash(
            _(
                "Nicht gespeichert: die Datei konnte nicht geschrieben werden. Der Grund steht "
                "im Protokoll des Servers."
            ),
            "error",
        )
        return page(inst_id, shaped, digest, names, _filled(posted, shaped, names), {}, 503)
    finally:
        holder().refresh()
    if suggestion is not None:
        return accepted(suggestion, inst_id, _("bearbeitet und angenommen"))
    flash(_("Gespeichert."), "ok")
    return redirect(url_for("edit.form", inst_id=inst_id))


def accepted(number: int, inst_id: str, how: str = "") -> BaseResponse:
    """Mark the suggestion accepted by the current account; go back to the queue."""
    account = auth.current_account()
    reviewer = account.name if account else "?"
    try:  # the suggestion confirms the record: it leaves the Prüfliste
        record_check(
            current_directory().path,
            inst_id,
            method="suggestion",
            note=f"Vorschlag #{number} angenommen",
            **auth.write_as(),
        )
    except WiqnetError as exc:
        log.warning("suggestion #%d accepted, but the check was not recorded: %s", number, exc)
    finally:
        holder().refresh()
    if decide(auth.state_db(), number, "accepted", reviewer, how):
        flash(_("Gespeichert. Vorschlag #%(n)d ist angenommen.", n=number), "ok")
    else:
        flash(_("Gespeichert. Vorschlag #%(n)d war schon entschieden.", n=number), "ok")
    log.info("suggestion #%d for %s accepted by %s", number, inst_id, reviewer)
    return redirect(url_for("review.queue"))


@bp.post("/bearbeiten/<inst_id>/einstellen")
@auth.editor_required
def retire(inst_id: str) -> BaseResponse:
    """Mark the institution as no longer offered (status: eingestellt); the record stays."""
    try:
        retire_institution(
            current_directory().path,
            inst_id,
            expected_digest=request.form.get("digest", ""),
            **auth.write_as(),
        )
    except ConflictError:
        flash(
            _(
                "Die Datei wurde inzwischen geändert; nichts wurde gespeichert. Bitte noch "
                "einmal versuchen."
            ),
            "error",
        )
    except NotFound:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    else:
        flash(_("Als eingestellt markiert."), "ok")
    finally:
        holder().refresh()
    return redirect(url_for("edit.form", inst_id=inst_id))


@bp.get("/bearbeiten/oeffnungszeiten")
@auth.editor_required
def check_hours() -> BaseResponse:
    """Check an opening hours expression; answer JSON with a German reading or the problem."""
    text = request.args.get("text", "")[:500].strip()
    if not text:
        return jsonify(ok=True, message="")
    if hours.check(text) is not None:
        return jsonify(ok=False, message=editform.hours_message(text))
    return jsonify(ok=True, message=_("Gelesen als: %(hours)s", hours=hours.short_hours(text)))
