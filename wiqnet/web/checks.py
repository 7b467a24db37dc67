"""Checking and history (editors): the Prüfliste, recording a check, the change log per record.

A check goes through the one writer (`wiqnet.datafile.record_check`): `verified` moves to
the day of the check and the change log gets a `check` entry with method and note.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from ..datafile import MAX_CHECK_NOTE, history, record_check
from ..errors import NotFound, WiqnetError
from ..geo import KREFELD
from ..model import Directory, Institution
from ..needs import all_needs
from ..stats import check_list, checked_recently
from . import auth, editform
from .account import safe_next
from .display import STATUS_LABELS, format_date, kind_label, local_now
from .state import current_directory, current_settings, holder

bp = Blueprint("checks", __name__)
log = logging.getLogger("wiqnet.web")

METHOD_LABELS = {
    "phone": lazy_gettext("Telefon"),
    "website": lazy_gettext("Website"),
    "visit": lazy_gettext("Besuch"),
    "email": lazy_gettext("E-Mail der Einrichtung"),
    "suggestion": lazy_gettext("Vorschlag übernommen"),
}
FORM_METHODS = ("phone", "website", "visit", "email")  # what a person picks in the form
ACTION_LABELS = {
    "edit": lazy_gettext("Bearbeitet"),
    "add": lazy_gettext("Angelegt"),
    "retire": lazy_gettext("Als eingestellt markiert"),
    "check": lazy_gettext("Geprüft"),
    "link-add": lazy_gettext("Verbindung eingetragen"),
    "link-remove": lazy_gettext("Verbindung entfernt"),
    "suggestion-accepted": lazy_gettext("Vorschlag übernommen"),
    "import": lazy_gettext("Import"),
    "geocode": lazy_gettext("Koordinaten ergänzt"),
}
OTHER_LABELS = {
    "verified": lazy_gettext("Geprüft am"),
    "location.lat": lazy_gettext("Koordinaten (Breite)"),
    "location.lon": lazy_gettext("Koordinaten (Länge)"),
    "links": lazy_gettext("Verbindung"),
    "id": lazy_gettext("Kennung"),
}
_PART = re.compile(r"(services|sources)\[(\d+)\]\.(.+)")
PER_PAGE = 50
MAX_FILTER = 80  # longest need, quarter or status key accepted in the query


def field_label(path: str) -> str:
    """Return the German label of a changed field (`services[0].cost` -> "Angebot 1: Kosten")."""
    part = _PART.fullmatch(path)
    if part:
        fields = editform.SERVICE_FIELDS if part.group(1) == "services" else editform.SOURCE_FIELDS
        label = next((str(f.label) for f in fields if f.key == part.group(3)), part.group(3))
        what = _("Angebot") if part.group(1) == "services" else _("Quelle")
        return f"{what} {int(part.group(2)) + 1}: {label}"
    for field in editform.INSTITUTION_FIELDS:
        if field.key == path:
            return str(field.label)
    return str(OTHER_LABELS.get(path, path))


def value_text(value: Any) -> str:
    """Return a logged value as text: lists joined, a link as its two ends and kind."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict) and "from" in value:
        names = [current_directory().institution(str(value.get(k))) for k in ("from", "to")]
        ends = [
            n.name if n else str(value.get(k)) for n, k in zip(names, ("from", "to"), strict=True)
        ]
        return f"{ends[0]} – {ends[1]} ({kind_label(str(value.get('kind')))})"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return str(_("ja") if value else _("nein"))
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(date.fromisoformat(value))
    return str(value)


def time_text(moment: datetime) -> str:
    """Return a log entry's time in local time, as 01.12.2026 14:05."""
    local = moment.astimezone(KREFELD)
    return f"{format_date(local.date())} {local:%H:%M}"


def check_today() -> date:
    """Return the latest day a check may carry: today in Krefeld, but never after the server's
    today (the validator refuses a `verified` in the future)."""
    return min(local_now().date(), date.today())


def _filters() -> dict[str, str]:
    """Return the list's filters from the query (unknown values are ignored)."""
    directory = current_directory()
    need = request.args.get("bedarf", "")[:MAX_FILTER]
    quarter = request.args.get("quartier", "")[:MAX_FILTER]
    status = request.args.get("status", "active")[:MAX_FILTER]
    return {
        "bedarf": need if need in all_needs() else "",
        "quartier": quarter if directory.quarter(quarter) else "",
        "status": status if status in STATUS_LABELS or status == "alle" else "active",
    }


def _page_number(pages: int) -> int:
    """Return the requested page (1-based), kept within 1..pages."""
    try:
        wanted = int(request.args.get("seite", "1")[:6])
    except ValueError:
        wanted = 1
    return min(max(wanted, 1), max(pages, 1))


def coverage(directory: Directory, today: date) -> tuple[int, int]:
    """Return how many active institutions were checked in the last 12 months, of how many."""
    return checked_recently(directory, today), sum(1 for i in directory.institutions if i.active)


@bp.app_template_global("check_coverage")
def current_coverage() -> tuple[int, int]:
    """Return the live directory's check coverage (the start page's box for editors)."""
    return coverage(current_directory(), local_now().date())


@bp.get("/pruefliste")
@auth.editor_required
def check_list_page() -> Any:
    """List the institutions by staleness, oldest confirmation first, with a check form each."""
    directory = current_directory()
    today = check_today()
    chosen = _filters()
    entries = check_list(
        directory,
        need=chosen["bedarf"] or None,
        quarter=chosen["quartier"] or None,
        status=None if chosen["status"] == "alle" else chosen["status"],
    )
    stale_days = current_settings().stale_days
    pages = (len(entries) + PER_PAGE - 1) // PER_PAGE
    page = _page_number(pages)
    shown = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
    checked, active = coverage(directory, today)
    return render_template(
        "checks/list.html",
        entries=shown,
        total=len(entries),
        stale=sum(1 for i in entries if i.stale_on(today, stale_days)),
        stale_days=stale_days,
        today=today,
        page=page,
        pages=pages,
        filters=chosen,
        needs=all_needs(),
        quarters=directory.quarters,
        status_labels=STATUS_LABELS,
        methods={k: METHOD_LABELS[k] for k in FORM_METHODS},
        checked=checked,
        active=active,
        here=request.full_path.rstrip("?"),
        note_limit=MAX_CHECK_NOTE,
    )


def _institution(inst_id: str) -> Institution:
    """Return the institution, or answer 404."""
    inst = current_directory().institution(inst_id)
    if inst is None:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    return inst


def _check_page(
    inst: Institution, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Any:
    """Render the check form of one institution."""
    return render_template(
        "checks/check.html",
        inst=inst,
        values=values,
        errors=errors,
        methods={k: METHOD_LABELS[k] for k in FORM_METHODS},
        note_limit=MAX_CHECK_NOTE,
        back=safe_next(values.get("weiter") or url_for("checks.check_list_page")),
        recent=[e for e in reversed(history(current_directory().path, inst.id))][:5],
        action_labels=ACTION_LABELS,
        method_labels=METHOD_LABELS,
        time_text=time_text,
    ), status


def _posted() -> tuple[dict[str, str], dict[str, str], date | None]:
    """Return the posted check form, its German errors and the day of the check."""
    values = {
        "datum": request.form.get("datum", "").strip()[:40],
        "art": request.form.get("art", "")[:40],
        "notiz": request.form.get("notiz", "")[: MAX_CHECK_NOTE + 1],
        "weiter": request.form.get("weiter", "")[:2000],
    }
    errors: dict[str, str] = {}
    day: date | None = None
    try:
        day = date.fromisoformat(values["datum"]) if values["datum"] else check_today()
    except ValueError:
        errors["datum"] = _("Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2026-11-30.")
    if day is not None and day > check_today():
        errors["datum"] = _("Das Datum liegt in der Zukunft. Bitte den Tag der Prüfung angeben.")
    if values["art"] not in FORM_METHODS:
        errors["art"] = _("Bitte angeben, wie geprüft wurde.")
    if len(values["notiz"]) > MAX_CHECK_NOTE:
        errors["notiz"] = _("Die Notiz ist zu lang (höchstens %(n)d Zeichen).", n=MAX_CHECK_NOTE)
    return values, errors, day


@bp.get("/pruefen/<inst_id>")
@auth.editor_required
def check_form(inst_id: str) -> Any:
    """Show the form to record a check of one institution."""
    inst = _institution(inst_id)
    values = {"datum": check_today().isoformat(), "weiter": request.args.get("weiter", "")}
    return _check_page(inst, values, {})


@bp.post("/pruefen/<inst_id>")
@auth.editor_required
def check_save(inst_id: str) -> Any:
    """Record a check; on a problem show the form again with what was typed."""
    inst = _institution(inst_id)
    values, errors, day = _posted()
    if errors or day is None:
        flash(_("Nicht gespeichert: bitte die markierten Felder korrigieren."), "error")
        return _check_page(inst, values, errors, 422)
    try:
        record_check(
            current_directory().path,
            inst_id,
            on=day,
            method=values["art"],
            note=values["notiz"],
            **auth.write_as(),
        )
    except NotFound:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    except WiqnetError as exc:
        log.warning("check refused: %s", exc)
        flash(
            _(
                "Nicht gespeichert: die Datei konnte nicht geschrieben werden "
                "(vielleicht schreibt gerade jemand anderes). Bitte noch einmal versuchen."
            ),
            "error",
        )
        return _check_page(inst, values, {}, 503)
    finally:
        holder().refresh()
    flash(_("Prüfung eingetragen: %(name)s.", name=inst.name), "ok")
    return redirect(safe_next(values["weiter"] or url_for("checks.check_list_page")))


@bp.get("/verlauf/<inst_id>")
@auth.editor_required
def history_page(inst_id: str) -> Any:
    """List the change log of one institution, newest first, field by field."""
    directory = current_directory()
    inst = directory.institution(inst_id)
    entries = list(reversed(history(directory.path, inst_id)))
    if inst is None and not entries:
        abort(404, _("Diese Einrichtung gibt es nicht (mehr) im Verzeichnis."))
    return render_template(
        "checks/history.html",
        inst_id=inst_id,
        inst=inst,
        entries=entries,
        action_labels=ACTION_LABELS,
        method_labels=METHOD_LABELS,
        field_label=field_label,
        value_text=value_text,
        time_text=time_text,
    )
