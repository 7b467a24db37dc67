"""Export the directory as Open Referral HSDS 3.0 (JSON tables), the mapping the CSV form reuses."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from babel import Locale

from ..model import Directory, Institution, Service, Source
from .records import LIST_SEPARATOR, NAMESPACE, _clean, _json

HSDS_STATUS = {
    "active": "active",
    "inactive": "inactive",
    "temporarily_closed": "temporarily closed",
}
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_SPEC = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_TIME_SPAN = r"(?:[01]\d|2[0-3]):[0-5]\d-(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)"
_RULE = re.compile(rf"({_DAY_SPEC}(?:,{_DAY_SPEC})*) ({_TIME_SPAN}(?:,{_TIME_SPAN})*)")


def hsds_id(table: str, our_id: str) -> str:
    """Return the stable HSDS UUID for one of our records."""
    return str(uuid.uuid5(NAMESPACE, f"{table}:{our_id}"))


def _days(spec: str) -> list[str]:
    days: list[str] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start = _DAYS.index(first)
        span = (_DAYS.index(last) - start) % 7 if last else 0
        days += [_DAYS[(start + i) % 7] for i in range(span + 1)]
    return [d.upper() for d in days]


def hsds_schedules(hours: str) -> list[dict[str, Any]]:
    """Return HSDS weekly schedule rows for simple OSM hours; [] when they are not simple.

    Simple: rules like `Mo-Th 07:00-16:30; Fr 07:00-15:00`, or `24/7`. Times are written
    HH:MM:SS, as HSDS's examples and its tabular form's `time` type have them.
    """
    text = hours.strip()
    if text == "24/7":
        return [
            {
                "freq": "WEEKLY",
                "byday": ",".join(d.upper() for d in _DAYS),
                "opens_at": "00:00:00",
                "closes_at": "23:59:00",
            }
        ]
    rows = []
    for rule in (r.strip() for r in text.split(";")):
        match = _RULE.fullmatch(rule)
        if not match:
            return []
        for span in match.group(2).split(","):
            opens, closes = span.split("-")
            rows.append(
                {
                    "freq": "WEEKLY",
                    "byday": ",".join(_days(match.group(1))),
                    "opens_at": f"{opens}:00",
                    "closes_at": f"{closes}:00",
                }
            )
    return rows


# HSDS 3.0 gives a schedule's timezone as a UTC offset (a number). Opening hours are Krefeld's
# local time (Europe/Berlin), so the export states the standard offset and says in the notes
# that summer time adds an hour; a consumer never reads the times as UTC.
HSDS_TIMEZONE = 1
HSDS_TIMEZONE_NOTE = "Ortszeit Krefeld (Europe/Berlin): UTC+1, in der Sommerzeit UTC+2"


def _schedules(owner_key: str, owner_id: str, hours: str | None) -> list[dict[str, Any]]:
    if not hours:
        return []
    rows = hsds_schedules(hours) or [{}]
    return [
        {
            "id": hsds_id("schedule", f"{owner_id}:{n}"),
            owner_key: hsds_id(owner_key.removesuffix("_id"), owner_id),
            **row,
            "description": hours,
            "timezone": HSDS_TIMEZONE,
            "notes": HSDS_TIMEZONE_NOTE,
        }
        for n, row in enumerate(rows)
    ]


def uri(address: str | None) -> str | None:
    """Return a web address as a URI: host in IDNA (punycode), other non-ASCII percent-encoded."""
    if not address:
        return address
    parts = urlsplit(address.strip())
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        ascii_host = quote(host)
    netloc = ascii_host + (f":{parts.port}" if parts.port else "")
    safe = "/%:@!$&'()*+,;=-._~?#[]"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe),
            quote(parts.fragment, safe=safe),
        )
    )


def _language_name(code: str) -> str:
    return str(Locale.parse("de").languages.get(code, code))


def to_hsds(directory: Directory) -> bytes:
    """Return the directory as Open Referral HSDS 3.0 JSON tables (stable uuid5 ids)."""
    return _json(hsds_tables(directory))


def hsds_tables(directory: Directory) -> dict[str, list[dict[str, Any]]]:
    """Return the directory as HSDS 3.0 tables: rows of each table, in a fixed table order."""
    tables: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "organization",
            "service",
            "location",
            "service_at_location",
            "schedule",
            "language",
            "address",
            "phone",
            "accessibility",
            "service_area",
            "required_document",
            "taxonomy",
            "taxonomy_term",
            "attribute",
        )
    }
    tables["taxonomy"].append(SOURCE_TAXONOMY)
    tables["taxonomy_term"].append(SOURCE_TERM)
    places = {
        i.id: hsds_id("location", i.id)
        for i in directory.institutions
        if i.address is not None or i.location is not None
    }
    for inst in directory.institutions:
        org = hsds_id("organization", inst.id)
        for n, source in enumerate(inst.sources):
            tables["attribute"].append(
                _source_attribute(org, "organization", f"{inst.id}:{n}", source)
            )
        description = LIST_SEPARATOR.join(
            p for p in (inst.category, f"Träger: {inst.operator}" if inst.operator else None) if p
        )
        tables["organization"].append(
            {"id": org, "name": inst.name, "description": description}
            | _clean({"email": inst.contact.email, "website": uri(inst.contact.website)})
        )
        if inst.contact.phone:
            tables["phone"].append(
                {
                    "id": hsds_id("phone", inst.id),
                    "organization_id": org,
                    "number": inst.contact.phone,
                }
            )
        loc = None
        if inst.address is not None or inst.location is not None:
            loc = hsds_id("location", inst.id)
            tables["location"].append(
                _clean(
                    {
                        "id": loc,
                        "location_type": "physical",
                        "organization_id": org,
                        "name": inst.name,
                        "description": inst.notes,
                        "latitude": inst.location.lat if inst.location else None,
                        "longitude": inst.location.lon if inst.location else None,
                    }
                )
            )
            tables["schedule"] += _schedules("location_id", inst.id, inst.opening_hours)
            if inst.accessibility:
                tables["accessibility"].append(
                    {
                        "id": hsds_id("accessibility", inst.id),
                        "location_id": loc,
                        "description": inst.accessibility,
                    }
                )
        if inst.address is not None:
            tables["address"].append(
                {
                    "id": hsds_id("address", inst.id),
                    "location_id": loc,
                    "address_1": inst.address.street,
                    "city": inst.address.city,
                    # Required by HSDS; known for Krefeld only, so left empty elsewhere.
                    "state_province": "Nordrhein-Westfalen"
                    if inst.address.city.strip() == "Krefeld"
                    else "",
                    "postal_code": inst.address.postcode,
                    "country": "DE",
                    "address_type": "physical",
                }
            )
        for svc in inst.services:
            _hsds_service(tables, inst, svc, org, loc, places)
    return tables


# Sources become HSDS attributes under one taxonomy term "Quelle" (value: URL or file + date).
SOURCE_TAXONOMY = {
    "id": hsds_id("taxonomy", "wiqnet-quelle"),
    "name": "wiqnet-quelle",
    "description": "Quellen der Angaben im wiqnet-Verzeichnis (Adresse und Datum)",
}
SOURCE_TERM = {
    "id": hsds_id("taxonomy_term", "quelle"),
    "code": "quelle",
    "name": "Quelle",
    "description": "Eine Quelle: Web-Adresse oder Recherche-Datei mit Datum der Quelle",
    "taxonomy_id": SOURCE_TAXONOMY["id"],
}


def _source_attribute(link_id: str, entity: str, key: str, source: Source) -> dict[str, Any]:
    where = " ".join(p for p in (source.url, f"({source.file})" if source.file else None) if p)
    stamp = ("ca. " if source.date_estimated else "") + source.date.isoformat()
    # HSDS 3.0's attribute has no label: the title leads the value.
    value = f"{source.title}: {where}" if source.title else where
    return _clean(
        {
            "id": hsds_id("attribute", key),
            "link_id": link_id,
            "link_type": "source",
            "link_entity": entity,
            "taxonomy_term_id": SOURCE_TERM["id"],
            "value": f"{value}, {stamp}",
        }
    )


def _hsds_service(
    tables: dict[str, list[dict[str, Any]]],
    inst: Institution,
    svc: Service,
    org: str,
    loc: str | None,
    places: dict[str, str],
) -> None:
    sid = hsds_id("service", svc.id)
    contact = svc.contact
    status = svc.status if inst.status == "active" else inst.status
    tables["service"].append(
        _clean(
            {
                "id": sid,
                "organization_id": org,
                "name": svc.name,
                "description": svc.description,
                "url": uri(contact.website) if contact else None,
                "email": contact.email if contact else None,
                "status": HSDS_STATUS.get(status, "inactive"),
                "application_process": svc.access_note,
                "fees_description": svc.cost,
                "eligibility_description": svc.eligibility or LIST_SEPARATOR.join(svc.audience),
                "minimum_age": svc.minimum_age,
                "maximum_age": svc.maximum_age,
                "assured_date": inst.verified.isoformat() if inst.verified else None,
            }
        )
    )
    for document in svc.documents:
        tables["required_document"].append(
            {
                "id": hsds_id("required_document", f"{svc.id}:{document}"),
                "service_id": sid,
                "document": document,
            }
        )
    for held in svc.held_at:
        if held.institution_id not in places:
            continue
        key = f"{svc.id}@{held.institution_id}"
        tables["service_at_location"].append(
            _clean(
                {
                    "id": hsds_id("service_at_location", key),
                    "service_id": sid,
                    "location_id": places[held.institution_id],
                    "description": held.note,
                }
            )
        )
        tables["schedule"] += _schedules("service_at_location_id", key, held.opening_hours)
    if contact and contact.phone:
        tables["phone"].append(
            {"id": hsds_id("phone", svc.id), "service_id": sid, "number": contact.phone}
        )
    if loc is not None:
        tables["service_at_location"].append(
            {"id": hsds_id("service_at_location", svc.id), "service_id": sid, "location_id": loc}
        )
    tables["schedule"] += _schedules("service_id", svc.id, svc.opening_hours)
    for code in svc.service_area:
        tables["service_area"].append(
            {
                "id": hsds_id("service_area", f"{svc.id}:{code}"),
                "service_id": sid,
                "name": code,
                "description": f"Postleitzahl {code}",
            }
        )
    for code in svc.languages or inst.languages:
        tables["language"].append(
            {
                "id": hsds_id("language", f"{svc.id}:{code}"),
                "service_id": sid,
                "name": _language_name(code),
                "code": code,
            }
        )
