"""Display helpers for templates: labels, hours, links and dates in the UI language."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import lazy_gettext

from .. import hours
from ..geo import local_now as local_now  # the web's clock: tests set it here
from ..model import Institution, Location, Source, age_range_text
from ..needs import need_label
from ..text import link_kind_label
from .i18n import language_name, ui_language

ACCESS_LABELS = {
    "appointment": lazy_gettext("mit Termin"),
    "open_hours": lazy_gettext("in der offenen Sprechstunde"),
    "phone": lazy_gettext("per Telefon"),
    "online": lazy_gettext("online"),
    "walk_in": lazy_gettext("ohne Termin vorbeikommen"),
}
STATUS_LABELS = {
    "active": lazy_gettext("aktiv"),
    "inactive": lazy_gettext("nicht mehr aktiv"),
    "temporarily_closed": lazy_gettext("vorübergehend geschlossen"),
}


def tel_href(phone: str) -> str:
    """Return a tel: URI for a phone number as written, e.g. '02151 86 34 72'."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def route_href(location: Location | None, address: str | None) -> str | None:
    """Return an OpenStreetMap directions link to a place (opened by the user, not loaded)."""
    if location is not None:
        query = {"route": f";{location.lat:.6f},{location.lon:.6f}"}
        return "https://www.openstreetmap.org/directions?" + urlencode(query)
    if address:
        return "https://www.openstreetmap.org/search?" + urlencode({"query": address})
    return None


def hours_status(expr: str | None) -> str:
    """Return 'jetzt geöffnet (bis ...)' or the next opening, in the UI language."""
    return hours.status_text(expr, local_now(), ui_language())


def hours_is_open(expr: str | None) -> bool:
    """Return whether the place is open right now (False when unknown)."""
    return bool(hours.is_open(expr, local_now()))


def hours_short(expr: str | None, lang: str | None = None) -> str:
    """Return compact opening hours in the UI language (or `lang`)."""
    return hours.short_hours(expr, lang or ui_language(), local_now())


def is_stale(verified: date | None) -> bool:
    """Return whether an entry was last verified more than STALE_DAYS ago (or never)."""
    if verified is None:
        return True
    return (local_now().date() - verified).days > int(current_app.config["STALE_DAYS"])


def age_text(minimum: float | None, maximum: float | None) -> str:
    """Return a service's age range in the UI language ('' when open)."""
    return age_range_text(minimum, maximum, ui_language())


def source_is_old(source: Source) -> bool:
    """Return whether a source is older than STALE_DAYS (shown as 'alt')."""
    return is_stale(source.date)


def format_date(value: date | datetime | None) -> str:
    """Return a date as 13.04.2021 (German) or 2021-04-13 (English)."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if ui_language() == "de" else value.strftime("%Y-%m-%d")


def need_name(key: str, lang: str | None = None) -> str:
    """Return a need's label in the UI language."""
    return need_label(key, lang or ui_language())


def distance_text(metres: float | None) -> str:
    """Return a distance as '350 m' or '1,2 km' ('' when unknown)."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    km = f"{metres / 1000:.1f}"
    return (km.replace(".", ",") if ui_language() == "de" else km) + " km"


def switch_language_url(lang: str) -> str:
    """Return the current URL with `lang` set (the header's language switch)."""
    args = request.args.to_dict()
    args["lang"] = lang
    return request.path + "?" + urlencode(args)


def access_label(mode: str) -> str:
    """Return the label of an access mode."""
    return str(ACCESS_LABELS.get(mode, mode))


def kind_label(kind: str) -> str:
    """Return the label of a link kind."""
    return link_kind_label(kind, ui_language())


def status_label(status: str) -> str:
    """Return the label of an institution status."""
    return str(STATUS_LABELS.get(status, status))


def address_line(inst: Institution) -> str:
    """Return the institution's address on one line ('' when it has none)."""
    return inst.address.one_line() if inst.address else ""


def init_app(app: Flask) -> None:
    """Make the helpers available in every template."""
    app.jinja_env.globals.update(
        tel_href=tel_href, route_href=route_href, hours_status=hours_status,
        hours_short=hours_short, hours_is_open=hours_is_open, is_stale=is_stale,
        age_text=age_text, source_is_old=source_is_old,
        format_date=format_date,
        need_name=need_name, distance_text=distance_text, access_label=access_label,
        kind_label=kind_label, status_label=status_label, address_line=address_line,
        switch_language_url=switch_language_url, language_name=language_name,
    )
