"""Maps: folium maps of the directory, search and network, their assets, the slip's small map."""

from .assets import Asset, asset_path
from .build import (
    MapOptions,
    MapParts,
    build_map,
    directory_map,
    map_title,
    page_parts,
    query_map,
    write_standalone,
)
from .layers import WiqMap
from .overlay import add_network_overlay
from .slip import SlipMap, slip_map

__all__ = [
    "Asset",
    "MapOptions",
    "MapParts",
    "SlipMap",
    "WiqMap",
    "add_network_overlay",
    "asset_path",
    "build_map",
    "directory_map",
    "map_title",
    "page_parts",
    "query_map",
    "slip_map",
    "write_standalone",
]
