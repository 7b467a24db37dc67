"""Merge imported records into the data file, keeping every field a person edited.

Each imported institution carries an `origin` block: the dataset, a stable key and the
values as they were imported. A field whose current value differs from its imported
value was edited by a person, and a re-import leaves it alone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..datafile.edit import edit_data_file
from ..datafile.history import Journal
from .krefeld_rules import says_enough

# Text that stays unquoted in flow style for every YAML parser (PyYAML stops at `?`, `,`, ...).
_SAFE_PLAIN = re.compile(r"[\w][\w .@/+()-]*")
# Imported fields, in the order they appear in a record.
FIELDS = (
    "name",
    "category",
    "operator",
    "address",
    "location",
    "phone",
    "email",
    "website",
    "opening_hours",
)
ORDER = ("id", *FIELDS, "sources", "verified", "services", "origin")


@dataclass(frozen=True)
class ImportRecord:
    """One institution as an importer read it, before it meets the data file."""

    dataset: str
    key: str
    slug: str
    street_slug: str
    fields: dict[str, Any]
    services: tuple[dict[str, Any], ...]
    sources: tuple[dict[str, Any], ...]
    verified: date


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outside: int = 0
    not_targets: int = 0


def plain(value: Any) -> Any:
    """Return round-trip YAML data as plain Python values, for comparison."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _yaml_value(name: str, value: Any, in_flow: bool = False) -> Any:
    """Return value as round-trip YAML: maps and lists in flow style, risky text quoted."""
    if isinstance(value, dict):
        result = CommentedMap()
        for key, item in value.items():
            result[key] = _yaml_value(key, item, True)
        result.fa.set_flow_style()
        return result
    if isinstance(value, list):
        seq = CommentedSeq(_yaml_value(name, v, True) for v in value)
        seq.fa.set_flow_style()
        return seq
    if name == "postcode" or (
        in_flow and isinstance(value, str) and _SAFE_PLAIN.fullmatch(value) is None
    ):
        return DoubleQuotedScalarString(value)
    return value


def yaml_sources(sources: tuple[dict[str, Any], ...]) -> CommentedSeq:
    """Return sources as a block list of one-line flow mappings, each date its own object."""
    return CommentedSeq(
        _yaml_value(
            "source",
            {
                k: date.fromordinal(v.toordinal()) if isinstance(v, date) else v
                for k, v in source.items()
            },
        )
        for source in sources
    )


def _set(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set key in mapping, inserting a new key at its place in ORDER."""
    if key in mapping:
        mapping[key] = value
        return
    rank = ORDER.index(key)
    position = sum(1 for k in mapping if k in ORDER and ORDER.index(k) < rank)
    mapping.insert(position, key, value)


def _unique(base: str, taken: set[str], alternative: str) -> str:
    """Return base, or base-alternative, or base-alternative-N: whichever is free first."""
    if base not in taken:
        return base
    candidate = f"{base}-{alternative}" if alternative else base
    number = 2
    while candidate in taken:
        candidate = f"{base}-{alternative}-{number}" if alternative else f"{base}-{number}"
        number += 1
    return candidate


def _service(record_id: str, spec: dict[str, Any], taken: set[str]) -> CommentedMap:
    service = CommentedMap()
    service["id"] = _unique(f"{record_id}-{spec['key']}", taken, "")
    taken.add(service["id"])
    for key in ("name", "description", "needs", "audience"):
        if key in spec:
            service[key] = _yaml_value(key, spec[key])
    return service


def _new_institution(record: ImportRecord, taken: set[str]) -> CommentedMap:
    inst = CommentedMap()
    inst["id"] = _unique(record.slug, taken, record.street_slug)
    taken.add(inst["id"])
    for key in FIELDS:
        if key in record.fields:
            inst[key] = _yaml_value(key, record.fields[key])
    inst["sources"] = yaml_sources(record.sources)
    inst["verified"] = date.fromordinal(record.verified.toordinal())  # own object: no YAML anchor
    inst["services"] = CommentedSeq(_service(inst["id"], s, taken) for s in record.services)
    imported = {k: record.fields[k] for k in FIELDS if k in record.fields}
    imported["services"] = [s["key"] for s in record.services]
    inst["origin"] = _yaml_value(
        "origin", {"dataset": record.dataset, "key": record.key, "imported": imported}
    )
    return inst


def _better_descriptions(inst: CommentedMap, record: ImportRecord) -> bool:
    """Replace generated descriptions that say too little; return whether one changed.

    A description a person wrote (long enough, more than the name) is never touched.
    """
    changed = False
    services = {str(s.get("id")): s for s in inst.get("services") or []}
    for spec in record.services:
        service = services.get(f"{inst['id']}-{spec['key']}")
        if service is None or not isinstance(service.get("description"), str):
            continue
        current = str(service["description"])
        if says_enough(current, str(service.get("name", "")), str(inst.get("name", ""))):
            continue
        if spec["description"] != current:
            service["description"] = _yaml_value("description", spec["description"])
            changed = True
    return changed


def _update(inst: CommentedMap, record: ImportRecord, taken: set[str]) -> tuple[bool, list[str]]:
    """Bring an existing imported institution up to date; return (changed, kept fields)."""
    origin = inst["origin"]
    if not isinstance(origin.get("imported"), dict):
        origin["imported"] = _yaml_value("imported", {})
    imported = origin["imported"]
    changed, kept = False, []
    for key in FIELDS:
        new, old, current = record.fields.get(key), imported.get(key), inst.get(key)
        if plain(current) != plain(old):
            if plain(new) != plain(current):
                kept.append(key)
            continue
        if plain(new) == plain(old):
            continue
        changed = True
        if new is None:
            inst.pop(key, None)
            imported.pop(key, None)
        else:
            _set(inst, key, _yaml_value(key, new))
            imported[key] = _yaml_value(key, new, True)
    changed |= _better_descriptions(inst, record)
    known = [str(k) for k in imported.get("services") or []]
    for spec in record.services:
        if spec["key"] in known:
            continue
        inst.setdefault("services", CommentedSeq()).append(_service(inst["id"], spec, taken))
        known.append(spec["key"])
        imported["services"] = _yaml_value("services", known)
        changed = True
    return changed, kept


def merge_records(data: Any, records: list[ImportRecord], report: ImportReport) -> None:
    """Merge records into round-trip data (the mutate step of an edit)."""
    if data.get("institutions") is None:
        data["institutions"] = CommentedSeq()
    institutions = data["institutions"]
    by_key = {
        str(i["origin"]["key"]): i
        for i in institutions
        if isinstance(i.get("origin"), dict) and "key" in i["origin"]
    }
    taken = {str(i.get("id")) for i in institutions}
    taken |= {str(s.get("id")) for i in institutions for s in i.get("services") or []}
    seen: set[str] = set()
    for record in records:
        if record.key in seen:
            report.skipped.append(f"{record.dataset}: {record.fields['name']} (listed twice)")
            continue
        seen.add(record.key)
        existing = by_key.get(record.key)
        if existing is None:
            inst = _new_institution(record, taken)
            institutions.append(inst)
            by_key[record.key] = inst
            report.added.append(inst["id"])
            continue
        changed, kept = _update(existing, record, taken)
        (report.updated if changed else report.unchanged).append(str(existing["id"]))
        report.kept.extend(f"{existing['id']}.{key}" for key in kept)


def apply_import(
    path: str | os.PathLike[str],
    records: list[ImportRecord],
    *,
    dry_run: bool = False,
    actor: str = "import",
    reason: str = "",
    git_commit: bool = False,
) -> ImportReport:
    """Merge records into the data file through edit_data_file; write nothing in a dry run."""
    report = ImportReport()
    datasets = ", ".join(sorted({r.dataset for r in records}))
    journal = Journal(
        "import", actor, reason or f"import of {datasets}".strip(), git_commit=git_commit
    )
    edit_data_file(
        path,
        lambda data: merge_records(data, records, report),
        dry_run=dry_run,
        journal=journal,
    )
    return report
