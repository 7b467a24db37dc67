"""The JSON API under /api/: institutions, services, needs, and its OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from importlib.resources import files
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_babel import gettext as _

from ..export import service_data
from ..model import Contact, Directory, Institution, Service
from ..needs import all_needs
from ..stats import need_counts
from .state import cached_body, current_directory

bp = Blueprint("api", __name__, url_prefix="/api")


@cache
def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3 document shipped as wiqnet/web/openapi.json."""
    text = files("wiqnet.web").joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _contact(contact: Contact | None) -> dict[str, str | None] | None:
    return asdict(contact) if contact else None


def service_json(svc: Service) -> dict[str, Any]:
    """Return a service as a JSON object."""
    return {"id": svc.id, "institution_id": svc.institution_id, **service_data(svc)}


def institution_summary(inst: Institution) -> dict[str, Any]:
    """Return the list form of an institution."""
    return {
        "id": inst.id,
        "name": inst.name,
        "category": inst.category,
        "quarter": inst.quarter,
        "status": inst.status,
        "kind": inst.kind,
        "record": inst.record,
        "address": asdict(inst.address) if inst.address else None,
        "location": asdict(inst.location) if inst.location else None,
        "needs": sorted({n for s in inst.services for n in s.needs}),
    }


def institution_json(inst: Institution, directory: Directory) -> dict[str, Any]:
    """Return the full form of an institution, with services and recorded links."""
    links = [
        link.as_json() for link in directory.links if inst.id in (link.source_id, link.target_id)
    ]
    return {
        **institution_summary(inst),
        "operator": inst.operator,
        "contact": _contact(inst.contact),
        "languages": list(inst.languages),
        "accessibility": inst.accessibility,
        "opening_hours": inst.opening_hours,
        "sources": [s.as_json() for s in inst.sources],
        "verified": inst.verified.isoformat() if inst.verified else None,
        "notes": inst.notes,
        "services": [service_json(s) for s in inst.services],
        "links": links,
    }


def _cached_json(build: Callable[[], dict[str, Any]]) -> Response:
    """Return a JSON response whose body is cached per Directory and query string."""
    body = cached_body(request.full_path, lambda: current_app.json.dumps(build()).encode())
    return Response(body, mimetype="application/json")


def _need_filter() -> str | None:
    need = request.args.get("need")
    if need is not None and need not in all_needs():
        abort(
            400,
            _(
                "Unbekanntes Anliegen „%(need)s“; gültig sind: %(keys)s",
                need=need,
                keys=", ".join(all_needs()),
            ),
        )
    return need


@bp.get("/institutions")
def institutions() -> Response:
    """List institutions; `?need=` keeps those offering that need, `?quarter=` one quarter."""
    need = _need_filter()
    quarter = request.args.get("quarter")
    known = [q.id for q in current_directory().quarters]
    if quarter is not None and quarter not in known:
        abort(
            400,
            _(
                "Unbekanntes Quartier „%(quarter)s“; gültig sind: %(ids)s",
                quarter=quarter,
                ids=", ".join(known),
            ),
        )

    def build() -> dict[str, Any]:
        items = [institution_summary(i) for i in current_directory().institutions]
        if need:
            items = [i for i in items if need in i["needs"]]
        if quarter:
            items = [i for i in items if i["quarter"] == quarter]
        return {"count": len(items), "institutions": items}

    return _cached_json(build)


@bp.get("/institutions/<inst_id>")
def institution(inst_id: str) -> Response:
    """Return one institution with its services and links."""
    directory = current_directory()
    inst = directory.institution(inst_id)
    if inst is None:
        abort(404, _("Keine Einrichtung mit der Kennung „%(id)s“.", id=inst_id))
    return jsonify(institution_json(inst, directory))


@bp.get("/services")
def services() -> Response:
    """List services; `?need=` keeps those tagged with that need."""
    need = _need_filter()

    def build() -> dict[str, Any]:
        items = [
            service_json(s) for s in current_directory().services() if not need or need in s.needs
        ]
        return {"count": len(items), "services": items}

    return _cached_json(build)


@bp.get("/services/<service_id>")
def service(service_id: str) -> Response:
    """Return one service."""
    svc = current_directory().service(service_id)
    if svc is None:
        abort(404, _("Kein Angebot mit der Kennung „%(id)s“.", id=service_id))
    return jsonify(service_json(svc))


@bp.get("/needs")
def needs() -> Response:
    """List the need categories with German and English labels and service counts."""

    def build() -> dict[str, Any]:
        counts = need_counts(current_directory())
        items = [
            {"key": n.key, "de": n.de, "en": n.en, "services": counts[n.key]}
            for n in all_needs().values()
        ]
        return {"count": len(items), "needs": items}

    return _cached_json(build)


@bp.get("/openapi.json")
def openapi() -> Response:
    """Serve the OpenAPI 3 description of this API."""
    return jsonify(openapi_document())
