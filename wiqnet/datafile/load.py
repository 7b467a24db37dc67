"""Build the immutable Directory from a validated data file."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from .. import geo
from ..errors import DataFileError, ValidationFailed
from ..model import (
    Address,
    Contact,
    Directory,
    HeldAt,
    Institution,
    Link,
    Location,
    Quarter,
    Service,
    Source,
)
from .store import Document, checked_document, load_yaml, read_regular

QUARTERS_FILE = "quarters.geojson"
QUARTERS_MAX_BYTES = 16 * 1024 * 1024


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _contact(raw: dict[str, Any]) -> Contact:
    return Contact(
        phone=_str(raw.get("phone")), email=_str(raw.get("email")), website=_str(raw.get("website"))
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _sources(value: Any) -> tuple[Source, ...]:
    out = []
    for raw in value if isinstance(value, list) else []:
        day = _date(raw.get("date")) if isinstance(raw, dict) else None
        if day is None:
            continue
        out.append(
            Source(
                date=day,
                url=_str(raw.get("url")),
                file=_str(raw.get("file")),
                title=_str(raw.get("title")),
                date_estimated=raw.get("date_estimated") is True,
                supports=_tuple(raw.get("supports")),
                note=_str(raw.get("note")),
            )
        )
    return tuple(out)


def _held_at(value: Any) -> tuple[HeldAt, ...]:
    return tuple(
        HeldAt(str(raw["institution"]), _str(raw.get("opening_hours")), _str(raw.get("note")))
        for raw in (value if isinstance(value, list) else [])
        if isinstance(raw, dict) and raw.get("institution")
    )


def _location(loc: Any) -> Location | None:
    if not isinstance(loc, dict):
        return None
    return Location(
        float(loc["lat"]),
        float(loc["lon"]),
        approximate=loc.get("approximate") is True,
        method=_str(loc.get("method")),
    )


def _service(raw: dict[str, Any], institution_id: str) -> Service:
    contact = raw.get("contact")
    return Service(
        id=str(raw["id"]),
        institution_id=institution_id,
        name=str(raw["name"]),
        description=str(raw.get("description") or ""),
        needs=_tuple(raw.get("needs")),
        audience=_tuple(raw.get("audience")),
        languages=_tuple(raw.get("languages")),
        cost=_str(raw.get("cost")),
        opening_hours=_str(raw.get("opening_hours")),
        contact=_contact(contact) if isinstance(contact, dict) else None,
        access=_tuple(raw.get("access")),
        access_note=_str(raw.get("access_note")),
        service_area=_tuple(raw.get("service_area")),
        status=str(raw.get("status") or "active"),
        minimum_age=_number(raw.get("minimum_age")),
        maximum_age=_number(raw.get("maximum_age")),
        eligibility=_str(raw.get("eligibility")),
        documents=_tuple(raw.get("documents")),
        held_at=_held_at(raw.get("held_at")),
        topics=_tuple(raw.get("topics")),
    )


def _institution(raw: dict[str, Any], line: int, quarters: tuple[Quarter, ...]) -> Institution:
    inst_id = str(raw["id"])
    addr = raw.get("address")
    location = _location(raw.get("location"))
    status = str(raw.get("status") or "active")
    return Institution(
        id=inst_id,
        name=str(raw["name"]),
        services=tuple(
            _service(s, inst_id)
            if status == "active" or "status" in s
            else _service({**s, "status": status}, inst_id)
            for s in raw.get("services") or []
        ),
        sources=_sources(raw.get("sources")),
        address=Address(
            str(addr.get("street", "")), str(addr.get("postcode", "")), str(addr.get("city", ""))
        )
        if isinstance(addr, dict)
        else None,
        location=location,
        operator=_str(raw.get("operator")),
        contact=_contact(raw),
        languages=_tuple(raw.get("languages")),
        accessibility=_str(raw.get("accessibility")),
        opening_hours=_str(raw.get("opening_hours")),
        status=status,
        verified=_date(raw.get("verified")),
        notes=_str(raw.get("notes")),
        category=_str(raw.get("category")),
        quarter=geo.quarter_of(location, quarters),
        kind=str(raw.get("kind") or "organization"),
        record=str(raw.get("record") or "full"),
        line=line,
    )


def link_from_raw(raw: dict[str, Any]) -> Link:
    """Return a link from its data-file (or change-log) mapping."""
    return Link(
        source_id=str(raw["from"]),
        target_id=str(raw["to"]),
        kind=str(raw["kind"]),
        note=_str(raw.get("note")),
        since=_date(raw.get("since")),
        until=_date(raw.get("until")),
        sources=_sources(raw.get("sources")),
    )


def load_quarters(path: str | os.PathLike[str]) -> tuple[Quarter, ...]:
    """Read quarter outlines from a GeoJSON FeatureCollection of polygons."""
    if not os.path.lexists(path):
        return ()
    try:
        raw = json.loads(read_regular(path, str(path), QUARTERS_MAX_BYTES).decode("utf-8"))
    except ValueError as exc:
        raise DataFileError(f"{path}:1:1: cannot read quarter outlines: {exc}") from None
    quarters = []
    for feature in raw.get("features", []):
        props = feature.get("properties", {})
        ring = feature["geometry"]["coordinates"][0]
        quarters.append(
            Quarter(
                id=str(props["id"]),
                name=str(props["name"]),
                polygon=tuple((float(x), float(y)) for x, y in ring),
                approximate=bool(props.get("approximate", True)),
                source=_str(props.get("source")),
            )
        )
    return tuple(quarters)


def build_directory(doc: Document, quarters: tuple[Quarter, ...] = ()) -> Directory:
    """Turn a validated document into a Directory."""
    data = doc.data
    institutions = tuple(
        _institution(raw, doc.position(("institutions", i))[0], quarters)
        for i, raw in enumerate(data.get("institutions") or [])
    )
    links = tuple(link_from_raw(raw) for raw in data.get("links") or [])
    return Directory(
        institutions=institutions, links=links, quarters=quarters, path=doc.path, digest=doc.digest
    )


def load_directory(path: str | os.PathLike[str], *, warnings: list[Any] | None = None) -> Directory:
    """Load, validate and build the directory; raise ValidationFailed on errors."""
    from .validate import validate_document

    known = checked_document(path)
    if known is not None and known[0].path == str(path):
        doc, problems = known
    else:
        doc = load_yaml(path)
        problems = validate_document(doc)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValidationFailed(problems)
    if warnings is not None:
        warnings.extend(problems)
    quarters = load_quarters(Path(path).with_name(QUARTERS_FILE))
    return build_directory(doc, quarters)
