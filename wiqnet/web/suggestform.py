"""The public suggestion form's fields, its payload, and the review's diff and changes.

A suggestion's payload (stored as JSON in the state database):
`changes` maps a field key to the suggested text (as the edit form shows it), `before` the
same keys to the text the record had when the suggestion was sent; services are keyed by
their id (`services#kita-nord-1.description`), so a reordered file still matches. Optional:
`new_service` (name, description, needs), `closure` (a status) and `message`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from . import editform
from .editform import Field

_INSTITUTION_KEYS = (
    "name",
    "operator",
    "address.street",
    "address.postcode",
    "address.city",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "accessibility",
)
_SERVICE_KEYS = (
    "name",
    "description",
    "languages",
    "minimum_age",
    "maximum_age",
    "cost",
    "access_note",
    "opening_hours",
)
INSTITUTION_FIELDS = tuple(f for f in editform.INSTITUTION_FIELDS if f.key in _INSTITUTION_KEYS)
SERVICE_FIELDS = tuple(f for f in editform.SERVICE_FIELDS if f.key in _SERVICE_KEYS)
NEW_SERVICE_FIELDS = (
    Field("neu.name", lazy_gettext("Name des neuen Angebots")),
    Field("neu.description", lazy_gettext("Beschreibung des neuen Angebots"), "long", 2000),
    Field("neu.needs", lazy_gettext("Anliegen des neuen Angebots"), "needs", 400),
)
CLOSURES = {
    "temporarily_closed": lazy_gettext("Die Einrichtung ist vorübergehend geschlossen."),
    "inactive": lazy_gettext("Die Einrichtung oder das Angebot gibt es nicht mehr."),
}
MESSAGE = Field("nachricht", lazy_gettext("Weitere Hinweise zur Einrichtung"), "long", 2000)
CONTACT = Field("kontakt", lazy_gettext("Ihre E-Mail oder Telefonnummer"), limit=200)
HONEYPOT = "website2"
MAX_TOTAL = 12_000  # characters of all fields together


def form_fields(record: dict[str, Any]) -> list[tuple[str, Field]]:
    """Return (form name, field) of the record's own and its services' suggestible fields."""
    out = [(f.key, f) for f in INSTITUTION_FIELDS]
    for index in range(min(len(record.get("services") or []), editform.MAX_SERVICES)):
        out.extend((f"services[{index}].{f.key}", f) for f in SERVICE_FIELDS)
    return out


def _service_ids(record: dict[str, Any]) -> list[str]:
    """Return the ids of the record's services in file order."""
    return [str(s.get("id")) for s in record.get("services") or [] if isinstance(s, dict)]


def _key(name: str, ids: list[str]) -> str:
    """Return the stored key of a form name (services by id, not by position)."""
    found = re.match(r"services\[(\d+)\]\.(.+)", name)
    if not found or int(found.group(1)) >= len(ids):
        return name
    return f"services#{ids[int(found.group(1))]}.{found.group(2)}"


def form_name(key: str, ids: list[str]) -> str | None:
    """Return the current form name of a stored key, or None when its service is gone."""
    found = re.match(r"services#(.+?)\.([a-z_]+)\Z", key)
    if not found:
        return key
    if found.group(1) not in ids:
        return None
    return f"services[{ids.index(found.group(1))}].{found.group(2)}"


def read_form(form: Any, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the payload of a posted suggestion form and German errors by form name."""
    names = form_fields(record)
    current = editform.current_values(record, names)
    posted = editform.posted_values(form, names)
    _stored, errors = editform.changes(posted, current, names)
    extra_names = [(f.key, f) for f in (*NEW_SERVICE_FIELDS, MESSAGE, CONTACT)]
    extra = editform.posted_values(form, extra_names)
    _ignored, extra_errors = editform.changes(extra, {}, extra_names)
    errors.update(extra_errors)
    ids = _service_ids(record)
    changed = {n: v for n, v in posted.items() if v != current.get(n) and n not in errors}
    payload: dict[str, Any] = {
        "changes": {_key(n, ids): v for n, v in changed.items()},
        "before": {_key(n, ids): current.get(n, "") for n in changed},
    }
    new = {f.key[4:]: extra.get(f.key) for f in NEW_SERVICE_FIELDS if extra.get(f.key)}
    if new:
        for f in NEW_SERVICE_FIELDS:
            if not extra.get(f.key) and f.key not in errors:
                errors[f.key] = _("Bitte für ein neues Angebot Name, Beschreibung und Anliegen.")
        payload["new_service"] = new
    closure = form.get("schliessung", "")
    if closure in CLOSURES:
        payload["closure"] = closure
    if extra.get(MESSAGE.key):
        payload["message"] = extra[MESSAGE.key]
    total = sum(len(str(v)) for v in (*posted.values(), *extra.values()))
    if total > MAX_TOTAL:
        errors["_total"] = _(
            "Zu viel Text auf einmal (%(m)d Zeichen, höchstens %(n)d). Bitte kürzen oder "
            "aufteilen.",
            m=total,
            n=MAX_TOTAL,
        )
    if not errors and not (
        payload["changes"] or new or "closure" in payload or "message" in payload
    ):
        errors["_total"] = _(
            "Bitte tragen Sie mindestens eine Änderung, ein neues Angebot, eine Schließung "
            "oder einen Hinweis ein."
        )
    return payload, errors


def field_labels() -> dict[str, str]:
    """Return the suggestible fields' labels by key, in the current language."""
    return {f.key: str(f.label) for f in (*INSTITUTION_FIELDS, *SERVICE_FIELDS)}


def summary(payload: dict[str, Any], labels: dict[str, str]) -> str:
    """Return what a suggestion is about, for the queue: field labels (four, then "…"), parts."""
    names = []
    for key in payload.get("changes", {}):
        label = labels.get(key.rsplit(".", 1)[-1] if key.startswith("services#") else key, key)
        if label not in names:
            names.append(label)
    parts = [", ".join(names[:4]) + (", …" if len(names) > 4 else "")] if names else []
    for key, label in (
        ("new_service", _("neues Angebot")),
        ("closure", _("Schließung")),
        ("message", _("Hinweis")),
    ):
        if payload.get(key):
            parts.append(str(label))
    return " · ".join(parts)


def contact_of(form: Any) -> str:
    """Return the sender's contact as posted (checked by read_form)."""
    return str(form.get(CONTACT.key, "")).strip()[: CONTACT.limit]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the review's diff."""

    label: str
    service: str
    name: str | None  # the form name now, None when the service is gone
    now: Any
    suggested: Any
    then: Any

    @property
    def stale(self) -> bool:
        """Tell whether the record changed in this field since the suggestion was sent."""
        return self.name is None or self.now != self.then

    @property
    def done(self) -> bool:
        """Tell whether the record already has the suggested value."""
        return bool(self.now == self.suggested)


def diff(payload: dict[str, Any], record: dict[str, Any]) -> list[Row]:
    """Return the field-by-field diff of a suggestion against the current record."""
    ids = _service_ids(record)
    labels = {n: f for n, f in form_fields(record)}
    current = editform.current_values(record, list(labels.items()))
    rows = []
    for key, suggested in payload.get("changes", {}).items():
        name = form_name(key, ids)
        field = labels.get(name or "")
        label = str(field.label) if field else key.rsplit(".", 1)[-1]
        service = ""
        found = re.match(r"services#(.+?)\.", key)
        if found:
            services = record.get("services") or []
            service = next(
                (str(s.get("name")) for s in services if str(s.get("id")) == found.group(1)),
                found.group(1),
            )
        then = payload.get("before", {}).get(key, "")
        rows.append(Row(label, service, name, current.get(name or "", ""), suggested, then))
    return rows


def _slug(text: str) -> str:
    """Return a lower-case id part for a name (umlauts spelled out)."""
    text = text.lower()
    for letter, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(letter, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", text))[:40] or "angebot"


def new_service_id(inst_id: str, name: str, taken: set[str]) -> str:
    """Return an unused service id for a new service of the institution."""
    base = f"{inst_id}-{_slug(name)}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def suggested_values(
    payload: dict[str, Any], record: dict[str, Any], names: list[tuple[str, Field]]
) -> dict[str, Any]:
    """Return the edit form's values: the current record with the suggestion applied."""
    values = editform.current_values(record, names)
    ids = _service_ids(record)
    known = {n for n, _f in names}
    for key, suggested in payload.get("changes", {}).items():
        name = form_name(key, ids)
        if name in known:
            values[name] = suggested
    if payload.get("closure"):
        values["status"] = payload["closure"]
    new = payload.get("new_service")
    if new:
        index = len(ids)
        for part in ("name", "description", "needs"):
            if part in new:
                values[f"services[{index}].{part}"] = new[part]
    return values
