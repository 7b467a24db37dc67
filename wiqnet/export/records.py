"""Export the directory as JSON, CSV (a row per service), GeoJSON or GraphML; one entry point for every format."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import asdict
from typing import Any

from ..model import Directory, Institution, Link, Service, sources_text
from ..needs import need_label

# Fixed namespace for HSDS ids: uuid5(NAMESPACE, "<table>:<our id>"). Never change it,
# or every exported id changes.
NAMESPACE = uuid.UUID("73556564-268a-4fa1-aea3-f5bdc0285d2b")
LIST_SEPARATOR = "; "
CSV_COLUMNS = (
    "institution_id",
    "institution_name",
    "category",
    "operator",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "quarter",
    "phone",
    "email",
    "website",
    "institution_languages",
    "accessibility",
    "institution_opening_hours",
    "institution_status",
    "sources",
    "verified",
    "notes",
    "service_id",
    "service_name",
    "description",
    "needs",
    "need_labels",
    "audience",
    "service_languages",
    "cost",
    "service_opening_hours",
    "service_phone",
    "service_email",
    "service_website",
    "access",
    "access_note",
    "service_area",
    "service_status",
)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None or an empty list, dict or string."""
    return {k: v for k, v in data.items() if v is not None and v != [] and v != {} and v != ""}


def service_data(svc: Service) -> dict[str, Any]:
    """Return a service's fields as plain data, every key present (None where unknown)."""
    return {
        "id": svc.id,
        "name": svc.name,
        "description": svc.description,
        "needs": list(svc.needs),
        "audience": list(svc.audience),
        "languages": list(svc.languages),
        "cost": svc.cost,
        "opening_hours": svc.opening_hours,
        "contact": asdict(svc.contact) if svc.contact else None,
        "access": list(svc.access),
        "access_note": svc.access_note,
        "service_area": list(svc.service_area),
        "status": svc.status,
        "minimum_age": svc.minimum_age,
        "maximum_age": svc.maximum_age,
        "eligibility": svc.eligibility,
        "documents": list(svc.documents),
        "held_at": [
            {"institution": h.institution_id, "opening_hours": h.opening_hours, "note": h.note}
            for h in svc.held_at
        ],
    }


def _service_dict(svc: Service) -> dict[str, Any]:
    """Return a service in the data file's layout, without empty fields."""
    data = service_data(svc)
    data["contact"] = _clean(data["contact"]) if data["contact"] else None
    data["held_at"] = [_clean(h) for h in data["held_at"]]
    return _clean(data)


def institution_dict(inst: Institution) -> dict[str, Any]:
    """Return an institution as plain data in the data file's layout, plus its quarter."""
    addr, loc = inst.address, inst.location
    return _clean(
        {
            "id": inst.id,
            "name": inst.name,
            "category": inst.category,
            "operator": inst.operator,
            "address": {"street": addr.street, "postcode": addr.postcode, "city": addr.city}
            if addr
            else None,
            "location": _clean(
                {
                    "lat": loc.lat,
                    "lon": loc.lon,
                    "approximate": loc.approximate or None,
                    "method": loc.method,
                }
            )
            if loc
            else None,
            "quarter": inst.quarter,
            "kind": None if inst.kind == "organization" else inst.kind,
            "record": None if inst.record == "full" else inst.record,
            "phone": inst.contact.phone,
            "email": inst.contact.email,
            "website": inst.contact.website,
            "languages": list(inst.languages),
            "accessibility": inst.accessibility,
            "opening_hours": inst.opening_hours,
            "status": inst.status,
            "sources": [s.as_json() for s in inst.sources],
            "verified": inst.verified.isoformat() if inst.verified else None,
            "notes": inst.notes,
            "services": [_service_dict(s) for s in inst.services],
        }
    )


def _link_dict(link: Link) -> dict[str, Any]:
    return _clean(link.as_json())


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_json(directory: Directory) -> bytes:
    """Return the whole directory as plain JSON."""
    return _json(
        {
            "institutions": [institution_dict(i) for i in directory.institutions],
            "links": [_link_dict(link) for link in directory.links],
            "quarters": [
                {"id": q.id, "name": q.name, "approximate": q.approximate, "source": q.source}
                for q in directory.quarters
            ],
        }
    )


def _joined(values: tuple[str, ...]) -> str:
    return LIST_SEPARATOR.join(values)


def to_csv(directory: Directory) -> bytes:
    """Return one CSV row per service, with its institution's fields."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for inst in directory.institutions:
        addr, loc, contact = inst.address, inst.location, inst.contact
        head = [
            inst.id,
            inst.name,
            inst.category or "",
            inst.operator or "",
            addr.street if addr else "",
            addr.postcode if addr else "",
            addr.city if addr else "",
            loc.lat if loc else "",
            loc.lon if loc else "",
            inst.quarter or "",
            contact.phone or "",
            contact.email or "",
            contact.website or "",
            _joined(inst.languages),
            inst.accessibility or "",
            inst.opening_hours or "",
            inst.status,
            sources_text(inst.sources),
            inst.verified.isoformat() if inst.verified else "",
            inst.notes or "",
        ]
        for svc in inst.services:
            own = svc.contact
            writer.writerow(
                head
                + [
                    svc.id,
                    svc.name,
                    svc.description,
                    _joined(svc.needs),
                    _joined(tuple(need_label(n) for n in svc.needs)),
                    _joined(svc.audience),
                    _joined(svc.languages),
                    svc.cost or "",
                    svc.opening_hours or "",
                    (own.phone if own else None) or "",
                    (own.email if own else None) or "",
                    (own.website if own else None) or "",
                    _joined(svc.access),
                    svc.access_note or "",
                    _joined(svc.service_area),
                    svc.status,
                ]
            )
    return buffer.getvalue().encode("utf-8")


def to_geojson(directory: Directory) -> bytes:
    """Return the institutions that have a location as a GeoJSON FeatureCollection of Points."""
    features = []
    for inst in directory.institutions:
        if inst.location is None:
            continue
        needs = sorted({n for s in inst.services for n in s.needs})
        properties = _clean(
            {
                "id": inst.id,
                "name": inst.name,
                "category": inst.category,
                "operator": inst.operator,
                "address": inst.address.one_line() if inst.address else None,
                "quarter": inst.quarter,
                "status": inst.status,
                "needs": needs,
                "need_labels": [need_label(n) for n in needs],
                "services": [s.name for s in inst.services],
                "phone": inst.contact.phone,
                "email": inst.contact.email,
                "website": inst.contact.website,
                "opening_hours": inst.opening_hours,
                "sources": sources_text(inst.sources),
                "verified": inst.verified.isoformat() if inst.verified else None,
            }
        )
        features.append(
            {
                "type": "Feature",
                "id": inst.id,
                "properties": properties,
                "geometry": {
                    "type": "Point",
                    "coordinates": [inst.location.lon, inst.location.lat],
                },
            }
        )
    return _json({"type": "FeatureCollection", "features": features})


def to_graphml(directory: Directory) -> bytes:
    """Return the institution network (links and derived edges) as GraphML."""
    from ..network.export import export_network

    return export_network(directory, "graphml")
