"""Exports of the directory: JSON, CSV, GeoJSON, GraphML, HSDS 3.0 (JSON and tabular), Excel CSV."""

# The names are imported on first use (lazy_loader); __init__.pyi lists them.
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
