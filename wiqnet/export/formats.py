"""Every export format by name: one entry point for the CLI and the web."""

from __future__ import annotations

from ..errors import UsageError
from ..model import Directory
from .hsds import to_hsds
from .records import to_csv, to_geojson, to_graphml, to_json

FORMATS = ("json", "csv", "geojson", "graphml", "hsds")
WRITERS = {
    "json": to_json,
    "csv": to_csv,
    "geojson": to_geojson,
    "graphml": to_graphml,
    "hsds": to_hsds,
}


def export_directory(directory: Directory, fmt: str) -> bytes:
    """Return the directory in one of FORMATS as bytes (UTF-8 text)."""
    if fmt not in WRITERS:
        raise UsageError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](directory)
