"""The network's download formats: plain data, cheap to import for the CLI's options."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A download format: its file extension and media type."""

    extension: str
    mimetype: str


FORMATS: dict[str, ExportFormat] = {
    "graphml": ExportFormat("graphml", "application/graphml+xml"),
    "gexf": ExportFormat("gexf", "application/gexf+xml"),
    "json": ExportFormat("json", "application/json"),
    "csv": ExportFormat("csv", "text/csv"),
    "svg": ExportFormat("svg", "image/svg+xml"),
    "png": ExportFormat("png", "image/png"),
}
