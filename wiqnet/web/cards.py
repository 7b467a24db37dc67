"""Result cards: what a counsellor acts on for one search result, in the UI language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from flask_babel import gettext as _

from .. import hours
from ..geo import distance_m
from ..model import Directory, Institution, Service, age_range_text
from .display import access_label, distance_text, format_date, is_stale, local_now
from .i18n import language_name, ui_language

# A sentence ends at . ! or ? followed by a capital letter; abbreviations such as "z. B."
# or "ca." and ordinals such as "1. Klasse" do not end it.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:z|B|u|a|ca|bzw|ggf|inkl|evtl|Nr|Str|St|Dr|usw|etc|d|h|"
    r"o|ä|vgl|Tel|Mo|Di|Mi|Do|Fr|Sa|So)|\d)\.$"
)
_END = re.compile(r"[.!?](?=\s+[A-ZÄÖÜ„\"(])")


class Found(Protocol):
    """A search result (wiqnet.search's Result): what a card needs of it."""

    institution_id: str
    service_id: str
    distance_m: float | None
    why: list[str]
    languages: list[str]
    group: str | None


@dataclass(frozen=True, slots=True)
class Card:
    """One result as the counsellor sees it: the result plus the facts to act on."""

    result: Found
    service: Service
    institution: Institution
    summary: str
    address: str
    quarter: str
    distance: str
    phone: str | None
    hours_today: str
    hours_state: str
    is_open: bool
    languages: str
    cost: str
    ages: str
    access: list[str]
    stale: str  # "nicht bestätigt seit 12.09.2017" when the record is stale, else ""


def first_sentence(text: str) -> str:
    """Return the first sentence of a description (all of it when it has one sentence)."""
    clean = " ".join(text.split())
    for match in _END.finditer(clean):
        if not _ABBREVIATIONS.search(clean[: match.end()]):
            return clean[: match.end()]
    return clean


def _distance(result: Found, inst: Institution, home: Institution | None) -> str:
    """Say how far the place is: from the searched place, else from WiQ's contact point."""
    if result.distance_m is not None:
        return str(_("%(d)s entfernt", d=distance_text(result.distance_m)))
    if home is None or home.location is None or inst.location is None or inst.id == home.id:
        return ""
    if inst.location == home.location:
        return str(_("im selben Haus wie WiQ"))
    return str(_("%(d)s von WiQ", d=distance_text(distance_m(home.location, inst.location))))


def _hours(expr: str | None) -> tuple[str, str, bool]:
    """Return today's hours, the open/next-opening state and whether it is open now."""
    now, lang = local_now(), ui_language()
    today = hours.today_hours(expr, now, lang)
    if today is None:
        return "", _("Zeiten unbekannt"), False
    state = hours.status_text(expr, now, lang)
    if today == "00:00–24:00":
        return "", state, True
    shown = _("heute %(hours)s", hours=today) if today else _("heute geschlossen")
    return shown, state, bool(hours.is_open(expr, now))


def _stale(inst: Institution) -> str:
    """Say since when a stale record is unconfirmed ("" when it is fresh)."""
    if not is_stale(inst.confirmed):
        return ""
    if inst.confirmed is None:
        return str(_("nie bestätigt"))
    return str(_("nicht bestätigt seit %(date)s", date=format_date(inst.confirmed)))


def make_card(directory: Directory, result: Found) -> Card:
    """Build the card of one search result from the directory."""
    service = directory.service(result.service_id)
    inst = directory.institution(result.institution_id)
    assert service is not None and inst is not None
    home = directory.institution(str(current_app.config["HOME_INSTITUTION"]))
    quarter = directory.quarter(inst.quarter) if inst.quarter else None
    contact = service.contact if service.contact and service.contact.phone else inst.contact
    today, state, is_open = _hours(service.opening_hours or inst.opening_hours)
    access = [access_label(mode) for mode in service.access]
    if service.access_note:
        access.append(service.access_note)
    return Card(
        result=result,
        service=service,
        institution=inst,
        summary=first_sentence(service.description),
        address=inst.address.one_line() if inst.address else "",
        quarter=quarter.name if quarter else "",
        distance=_distance(result, inst, home),
        phone=contact.phone,
        hours_today=today,
        hours_state=state,
        is_open=is_open,
        languages=", ".join(language_name(code) for code in result.languages),
        cost=service.cost or "",
        ages=age_range_text(service.minimum_age, service.maximum_age, ui_language()),
        access=access,
        stale=_stale(inst),
    )
