"""Exports of the directory: JSON, CSV, GeoJSON, GraphML, HSDS 3.0 (JSON and tabular), Excel CSV."""

from .excel import for_excel
from .formats import FORMATS, export_directory
from .hsds import hsds_tables
from .hsdscsv import hsds_csv_files, write_folder
from .records import service_data

__all__ = [
    "FORMATS",
    "export_directory",
    "for_excel",
    "hsds_csv_files",
    "hsds_tables",
    "service_data",
    "write_folder",
]
