"""The review queue of suggestions (editors and coordinators): diff, accept, edit, reject.

Accepting writes through the one writer (`update_institution`) with the digest of the file
the reviewer saw: if the file changed since, nothing is written, the suggestion stays open
and the page shows the diff against the new state.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..datafile import update_institution
from ..errors import ConflictError, NotFound, ValidationFailed, WiqnetError
from ..needs import all_needs
from ..state import (
    STATUSES,
    Suggestion,
    count_open,
    decide,
    get_suggestion,
    list_suggestions,
)
from . import auth, editform, suggestform
from .edit import accepted, stored_record, suggestion_journal, with_new_service
from .edit import page_for_suggestion as edit_page
from .state import current_directory, holder

bp = Blueprint("review", __name__)
log = logging.getLogger("wiqnet.web")
PAGE_SIZE = 100
MAX_REASON = 1000
_BERLIN = ZoneInfo("Europe/Berlin")


def when(stamp: float | None) -> str:
    """Return a stored time as German local date and time."""
    if stamp is None:
        return ""
    return datetime.fromtimestamp(stamp, _BERLIN).strftime("%d.%m.%Y %H:%M")


def _suggestion(number: int) -> Suggestion:
    """Return the suggestion or answer 404."""
    found = get_suggestion(auth.state_db(), number)
    if found is None:
        abort(404, _("Diesen Vorschlag gibt es nicht."))
    return found


@bp.app_template_global("open_suggestions")
def open_suggestions() -> int:
    """Return how many suggestions wait for review (the editors' box on the start page)."""
    return count_open(auth.state_db())


@bp.get("/vorschlaege")
@auth.editor_required
def queue() -> str:
    """List the suggestions waiting for review, oldest first (or the decided ones)."""
    status = request.args.get("status", "open")
    if status not in STATUSES:
        status = "open"
    page_text = request.args.get("seite", "1")
    page = int(page_text) if page_text.isdigit() and 0 < len(page_text) < 7 else 1
    items, total = list_suggestions(
        auth.state_db(), status, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    directory = current_directory()
    names = {s.institution: directory.institution(s.institution) for s in items}
    labels = suggestform.field_labels()
    return render_template(
        "review/queue.html",
        items=items,
        total=total,
        status=status,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        names={k: (v.name if v else k) for k, v in names.items()},
        when=when,
        summaries={s.id: suggestform.summary(s.payload, labels) for s in items},
    )


def _show(suggestion: Suggestion, errors: dict[str, str] | None = None, status: int = 200) -> Any:
    """Render one suggestion with its diff against the current record."""
    inst = current_directory().institution(suggestion.institution)
    record: dict[str, Any] = {}
    digest = ""
    if inst is not None:
        record, digest, _topics = stored_record(suggestion.institution)
    return render_template(
        "review/show.html",
        s=suggestion,
        inst=inst,
        rows=suggestform.diff(suggestion.payload, record) if inst else [],
        digest=digest,
        closures=suggestform.CLOSURES,
        status_labels=editform.STATUS,
        current_status=record.get("status", "active"),
        needs=all_needs(),
        errors=errors or {},
        when=when,
    ), status


@bp.get("/vorschlaege/<int:number>")
@auth.editor_required
def show(number: int) -> Any:
    """Show one suggestion: field by field, what the record says now and what is suggested."""
    return _show(_suggestion(number))


def _open(number: int) -> Suggestion:
    """Return the suggestion if still open; else answer with the page saying who decided."""
    suggestion = _suggestion(number)
    if suggestion.status != "open":
        abort(409, _("Über diesen Vorschlag wurde schon entschieden."))
    return suggestion


def _changes(
    suggestion: Suggestion, record: dict[str, Any], topics: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the suggestion as the writer's changes, and problems by form name."""
    names = editform.fields_for(record, topics)
    posted = {r.name: r.suggested for r in suggestform.diff(suggestion.payload, record) if r.name}
    changed, errors = editform.changes(posted, editform.current_values(record, names), names)
    closure = suggestion.payload.get("closure")
    if closure in editform.STATUS and record.get("status") != closure:
        changed["status"] = closure
    new = suggestion.payload.get("new_service")
    if new:
        index = len(record.get("services") or [])
        taken = {s.id for i in current_directory().institutions for s in i.services}
        prefix = f"services[{index}]."
        changed[prefix + "id"] = suggestform.new_service_id(
            suggestion.institution, str(new.get("name", "")), taken
        )
        for part in ("name", "description", "needs"):
            changed[prefix + part] = new.get(part)
    return changed, errors


@bp.post("/vorschlaege/<int:number>/annehmen")
@auth.editor_required
def accept(number: int) -> Any:
    """Write the suggestion through the one writer, then mark it accepted."""
    suggestion = _open(number)
    record, digest, topics = stored_record(suggestion.institution)
    if request.form.get("digest", "") != digest:
        flash(_stale_message(), "error")
        return _show(suggestion, status=409)
    changed, errors = _changes(suggestion, record, topics)
    if errors:
        flash(
            _(
                "Nicht übernommen: %(problems)s Bitte „Bearbeiten und annehmen“ nutzen.",
                problems=" ".join(errors.values()),
            ),
            "error",
        )
        return _show(suggestion, status=422)
    if changed:
        try:
            update_institution(
                current_directory().path,
                suggestion.institution,
                changed,
                expected_digest=digest,
                **auth.write_as(),
                **suggestion_journal(number),
            )
        except ConflictError:
            holder().refresh()
            flash(_stale_message(), "error")
            return _show(suggestion, status=409)
        except ValidationFailed as exc:
            problems = " ".join(p.message for p in exc.problems if p.severity == "error")
            flash(
                _(
                    "Nicht übernommen: die Datei wäre danach ungültig (%(problems)s). Bitte "
                    "„Bearbeiten und annehmen“ nutzen.",
                    problems=problems,
                ),
                "error",
            )
            return _show(suggestion, status=422)
        except NotFound:
            abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
        except WiqnetError as exc:
            log.warning("accepting suggestion #%d refused: %s", number, exc)
            flash(_("Nicht übernommen: die Datei konnte nicht geschrieben werden."), "error")
            return _show(suggestion, status=503)
        finally:
            holder().refresh()
    return accepted(number, suggestion.institution)


def _stale_message() -> str:
    """Return the message for a data file that changed while the reviewer looked."""
    return str(
        _(
            "Die Datei wurde inzwischen geändert. Nichts wurde übernommen; der Vorschlag bleibt "
            "offen. Unten steht der Vergleich mit dem neuen Stand – bitte noch einmal prüfen."
        )
    )


@bp.get("/vorschlaege/<int:number>/bearbeiten")
@auth.editor_required
def edit(number: int) -> Any:
    """Open the edit form prefilled with the suggestion; saving it accepts the suggestion."""
    suggestion = _open(number)
    record, digest, topics = stored_record(suggestion.institution)
    extra = bool(suggestion.payload.get("new_service"))
    shaped = with_new_service(record) if extra else record
    names = editform.fields_for(shaped, topics)
    values = suggestform.suggested_values(suggestion.payload, record, names)
    return edit_page(suggestion.institution, shaped, digest, names, values, number, extra)


@bp.post("/vorschlaege/<int:number>/ablehnen")
@auth.editor_required
def reject(number: int) -> Any:
    """Reject the suggestion with a reason (required); nothing is written to the data file."""
    suggestion = _open(number)
    reason = request.form.get("grund", "").replace("\r\n", "\n").strip()
    if not reason:
        return _show(suggestion, {"grund": _("Bitte einen Grund angeben.")}, 422)
    if len(reason) > MAX_REASON:
        message = _("Bitte höchstens %(n)d Zeichen (jetzt %(m)d).", n=MAX_REASON, m=len(reason))
        return _show(suggestion, {"grund": message}, 422)
    account = auth.current_account()
    decide(auth.state_db(), number, "rejected", account.name if account else "?", reason)
    flash(_("Vorschlag #%(n)d abgelehnt.", n=number), "ok")
    return redirect(url_for("review.queue"))
