"""HSDS 3.0's tabular form: one CSV file per table plus a `datapackage.json` describing them.

The rows are those of the HSDS JSON export (`export.hsds_tables`); only the tables that have
rows are written, each with the columns its rows use, named as in HSDS.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import WriteError
from ..model import Directory
from .hsds import hsds_tables

# HSDS's file name for each table (its datapackage's `path`).
CSV_FILES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "schedule": "schedules.csv",
    "language": "languages.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "accessibility": "accessibility.csv",
    "service_area": "service_areas.csv",
    "required_document": "required_documents.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "attribute": "attributes.csv",
}
DATAPACKAGE = "datapackage.json"


def _cell(value: Any) -> str:
    """Return a value as CSV text (empty for None)."""
    return "" if value is None else str(value)


def _type(values: list[Any]) -> str:
    """Return the Table Schema type that fits every given value."""
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


def _field(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the Table Schema field for one column."""
    field: dict[str, Any] = {
        "name": name,
        "type": _type([row[name] for row in rows if row.get(name) not in (None, "")]),
    }
    if name == "id" or name.endswith("_id"):
        field["format"] = "uuid"
    if name == "id":
        field["constraints"] = {"required": True, "unique": True}
    return field


def _resource(
    table: str, columns: list[str], rows: list[dict[str, Any]], present: set[str]
) -> dict[str, Any]:
    """Return the data package resource for one table's CSV file (keys to present tables)."""
    links = [c for c in columns if c.endswith("_id") and c.removesuffix("_id") in present]
    schema: dict[str, Any] = {
        "fields": [_field(c, rows) for c in columns],
        "primaryKey": "id",
    }
    if links:
        schema["foreignKeys"] = [
            {"fields": c, "reference": {"resource": c.removesuffix("_id"), "fields": "id"}}
            for c in links
        ]
    return {
        "name": table,
        "path": CSV_FILES[table],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def hsds_csv_files(directory: Directory) -> dict[str, bytes]:
    """Return the tabular HSDS export: file name -> content, `datapackage.json` last."""
    tables = {name: rows for name, rows in hsds_tables(directory).items() if rows}
    files: dict[str, bytes] = {}
    resources = []
    for table, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows for key in row))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        files[CSV_FILES[table]] = buffer.getvalue().encode("utf-8")
        resources.append(_resource(table, columns, rows, set(tables)))
    package = {
        "profile": "tabular-data-package",
        "name": "wiqnet-hsds",
        "title": "wiqnet: Verzeichnis von WiQ – Wir im Quartier (Krefeld) in HSDS 3.0",
        "description": "Open Referral Human Services Data Specification 3.0, tabular form. "
        "Each record's sources are attributes with the taxonomy term 'Quelle'.",
        "resources": resources,
    }
    files[DATAPACKAGE] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode()
    return files


def write_folder(target: str | os.PathLike[str], files: dict[str, bytes]) -> None:
    """Write files into a new (or empty) folder at once: a temp folder beside it, renamed."""
    folder = Path(target)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise WriteError(f"{folder}: exists and is not a folder; give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise WriteError(
            f"{folder}: the folder is not empty; give a new or empty folder "
            "(the export never mixes its files with others)"
        )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    except OSError as exc:
        raise _error(folder, exc) from None
    try:
        for name, content in files.items():
            with (tmp / name).open("wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        os.replace(tmp, folder)  # replaces an empty folder; never a filled one
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _error(folder, exc) from None


def _error(folder: Path, exc: OSError) -> WriteError:
    """Explain why the folder could not be written; nothing was left behind."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = "a part of the path is a file, not a folder"
    return WriteError(f"{folder}: cannot be written ({reason}); nothing was changed")
