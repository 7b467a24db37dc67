"""The institution form: fields with limits, current values, and the posted changes.

Form fields are named by their data path inside the institution (`address.street`,
`services[0].cost`, `sources[1].date`), so the one writer's validation problems
(`institutions[3].services[0].cost`) land next to the field they concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from .. import hours


@dataclass(frozen=True, slots=True)
class Field:
    """One form field: its data path suffix, label, kind and length limit."""

    key: str
    label: Any
    kind: str = "text"  # text | long | list | number | date | hours | status | needs | access
    limit: int = 200


STATUS = {
    "active": lazy_gettext("aktiv"),
    "temporarily_closed": lazy_gettext("vorübergehend geschlossen"),
    "inactive": lazy_gettext("eingestellt"),
}
ACCESS = {
    "appointment": lazy_gettext("Termin"),
    "open_hours": lazy_gettext("offene Sprechstunde"),
    "phone": lazy_gettext("Telefon"),
    "online": lazy_gettext("online"),
    "walk_in": lazy_gettext("ohne Anmeldung"),
}
INSTITUTION_FIELDS = (
    Field("name", lazy_gettext("Name")),
    Field("operator", lazy_gettext("Träger")),
    Field("category", lazy_gettext("Kategorie"), limit=100),
    Field("address.street", lazy_gettext("Straße und Hausnummer")),
    Field("address.postcode", lazy_gettext("PLZ"), limit=5),
    Field("address.city", lazy_gettext("Ort"), limit=100),
    Field("phone", lazy_gettext("Telefon"), limit=50),
    Field("email", lazy_gettext("E-Mail")),
    Field("website", lazy_gettext("Website"), limit=500),
    Field("opening_hours", lazy_gettext("Öffnungszeiten"), "hours", 500),
    Field("languages", lazy_gettext("Sprachen (Kürzel, mit Komma)"), "list", 100),
    Field("accessibility", lazy_gettext("Barrierefreiheit"), "long", 1000),
    Field("notes", lazy_gettext("Hinweise für Beratende"), "long", 2000),
    Field("status", lazy_gettext("Status"), "status", 20),
)
SERVICE_FIELDS = (
    Field("name", lazy_gettext("Name des Angebots")),
    Field("description", lazy_gettext("Beschreibung"), "long", 2000),
    Field("needs", lazy_gettext("Anliegen"), "needs", 400),
    Field("topics", lazy_gettext("Themen (mit Komma)"), "list", 500),
    Field("languages", lazy_gettext("Sprachen (Kürzel, mit Komma)"), "list", 100),
    Field("minimum_age", lazy_gettext("Mindestalter (Jahre)"), "number", 6),
    Field("maximum_age", lazy_gettext("Höchstalter (Jahre)"), "number", 6),
    Field("cost", lazy_gettext("Kosten")),
    Field("access", lazy_gettext("Zugang"), "access", 100),
    Field("access_note", lazy_gettext("Hinweis zum Zugang"), "long", 1000),
    Field("opening_hours", lazy_gettext("Zeiten des Angebots"), "hours", 500),
    Field("status", lazy_gettext("Status"), "status", 20),
)
SOURCE_FIELDS = (
    Field("url", lazy_gettext("Web-Adresse"), limit=500),
    Field("file", lazy_gettext("oder Recherche-Datei")),
    Field("title", lazy_gettext("Titel")),
    Field("date", lazy_gettext("Datum der Quelle"), "date", 10),
)
MAX_SERVICES = 50
MAX_SOURCES = 30
_NUMBER = re.compile(r"\d{1,3}([.,]\d{1,2})?\Z")


NEW_FIELDS = (
    Field(
        "id",
        lazy_gettext("Kennung (klein, mit Bindestrichen, z. B. beratungsstelle-west)"),
        limit=64,
    ),
    Field("name", lazy_gettext("Name")),
    Field("services[0].name", lazy_gettext("Name des ersten Angebots")),
    Field("services[0].description", lazy_gettext("Beschreibung des Angebots"), "long", 2000),
    Field("services[0].needs", lazy_gettext("Anliegen"), "needs", 400),
    Field("sources[0].url", lazy_gettext("Quelle: Web-Adresse"), limit=500),
    Field("sources[0].date", lazy_gettext("Datum der Quelle"), "date", 10),
)


def new_record(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the new institution's record from the "new" form, and German errors by field."""
    fields = [(f.key, f) for f in NEW_FIELDS]
    stored, errors = changes(values, {}, fields)
    for name, _f in fields:
        if name not in errors and _empty_value(values.get(name)):
            errors[name] = _("Bitte ausfüllen.")
    if "id" not in errors and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", values.get("id", "")):
        errors["id"] = _(
            "Bitte nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. beratungsstelle-west."
        )
    inst_id = str(values.get("id", ""))
    record = {
        "id": inst_id,
        "name": stored.get("name"),
        "sources": [{"url": stored.get("sources[0].url"), "date": stored.get("sources[0].date")}],
        "services": [
            {
                "id": f"{inst_id}-angebot",
                "name": stored.get("services[0].name"),
                "description": stored.get("services[0].description"),
                "needs": stored.get("services[0].needs"),
            }
        ],
        "status": "active",
    }
    return record, errors


def _empty_value(value: Any) -> bool:
    """Return whether a posted value is empty."""
    return not value


def fields_for(record: dict[str, Any], with_topics: bool) -> list[tuple[str, Field]]:
    """Return (form name, field) for the record: its own, its services' and sources' (+1 blank)."""
    out = [(f.key, f) for f in INSTITUTION_FIELDS]
    for index in range(min(len(record.get("services") or []), MAX_SERVICES)):
        out.extend(
            (f"services[{index}].{f.key}", f)
            for f in SERVICE_FIELDS
            if with_topics or f.key != "topics"
        )
    rows = min(len(record.get("sources") or []) + 1, MAX_SOURCES)
    for index in range(rows):
        out.extend((f"sources[{index}].{f.key}", f) for f in SOURCE_FIELDS)
    return out


def _lookup(record: Any, name: str) -> Any:
    """Return the record's value at a form name (None when absent)."""
    node = record
    for part in re.findall(r"[a-z_]+|\[\d+\]", name):
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def shown(value: Any, field: Field) -> Any:
    """Return a stored value as the form shows it (lists: comma text; needs/access: a list)."""
    if value is None:
        return [] if field.kind in ("needs", "access") else ""
    if field.kind in ("needs", "access"):
        return [str(v) for v in value]
    if field.kind == "list":
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def current_values(record: dict[str, Any], names: list[tuple[str, Field]]) -> dict[str, Any]:
    """Return the form's values for the stored record."""
    return {name: shown(_lookup(record, name), field) for name, field in names}


def posted_values(form: Any, names: list[tuple[str, Field]]) -> dict[str, Any]:
    """Return the submitted values (lists for check boxes, text otherwise).

    A field the request does not carry stays as it is (check-box groups carry an empty
    hidden value, so unticking all of them is a change).
    """
    return {
        name: (
            [v for v in form.getlist(name) if v]
            if field.kind in ("needs", "access")
            else form.get(name, "").replace("\r\n", "\n").strip()
        )
        for name, field in names
        if name in form
    }


def _stored(text: Any, field: Field) -> Any:
    """Convert a checked form value into what the data file stores (raises ValueError)."""
    if field.kind in ("needs", "access"):
        return list(text)
    if not text:
        return None
    if field.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if field.kind == "number":
        if not _NUMBER.match(text):
            raise ValueError(_("Bitte eine Zahl angeben, z. B. 3 oder 0,5."))
        number = float(text.replace(",", "."))
        return int(number) if number.is_integer() else number
    if field.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("Bitte das Datum als JJJJ-MM-TT angeben, z. B. 2024-03-01.")
            ) from None
    if field.kind == "hours":
        if hours.check(text) is not None:
            raise ValueError(hours_message(text))
        return text
    if field.kind == "status" and text not in STATUS:
        raise ValueError(_("Bitte einen Status aus der Liste wählen."))
    return text


def hours_message(text: str) -> str:
    """Return the German explanation of an opening hours expression that does not parse."""
    problem = hours.check(text) or ""
    found = re.search(r"at character (\d+)", problem)
    place = _(" (an Stelle %(n)s)", n=found.group(1)) if found else ""
    return str(
        _(
            "Die Öffnungszeiten sind so nicht lesbar%(place)s. Schreibweise wie "
            "„Mo-Fr 09:00-17:00; Sa 10:00-12:00“, Tage Mo Tu We Th Fr Sa Su, Zeiten mit "
            "Minuten, freier Text in Anführungszeichen.",
            place=place,
        )
    )


def changes(
    posted: dict[str, Any], current: dict[str, Any], names: list[tuple[str, Field]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the changed fields as stored values, and German errors by form name."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, field in names:
        if name not in posted:
            continue
        value = posted[name]
        size = sum(len(v) for v in value) if isinstance(value, list) else len(value)
        if size > field.limit:
            errors[name] = _("Bitte höchstens %(n)d Zeichen (jetzt %(m)d).", n=field.limit, m=size)
            continue
        if isinstance(value, str) and not value.isprintable() and field.kind != "long":
            errors[name] = _("Bitte keine Steuerzeichen oder Zeilenumbrüche.")
            continue
        if value == current.get(name):
            continue
        try:
            out[name] = _stored(value, field)
        except ValueError as exc:
            errors[name] = str(exc)
    return out, errors


def field_of(where: str, names: set[str]) -> str | None:
    """Return the form name a validation problem's data path points at (or its parent's)."""
    inside = re.sub(r"^institutions\[\d+\]\.?", "", where)
    while inside:
        if inside in names:
            return inside
        shorter = re.sub(r"(\.[a-z_]+|\[\d+\])$", "", inside)
        if shorter == inside:
            return None
        inside = shorter
    return None
