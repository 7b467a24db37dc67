"""Importers: turn outside data (Krefeld open data) into directory records."""

from .krefeld import import_files

__all__ = ["import_files"]
