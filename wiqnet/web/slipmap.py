"""The slip map's basemap: streets from the configured tiles, through the flyer's tile cache."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from flask import current_app

from ..errors import TileError, UsageError
from ..flyer import basemap_image
from ..maps import SlipMap
from .state import current_settings


@dataclass(frozen=True, slots=True)
class Basemap:
    """A basemap image as a data: URI, with the printed attribution of its tiles."""

    uri: str
    attribution: str


def basemap_for(drawn: SlipMap) -> Basemap | None:
    """Return the streets under the slip map, or None without tiles (or when they fail)."""
    try:
        found = basemap_image(drawn.view, current_settings())
    except (TileError, UsageError) as exc:
        current_app.logger.warning("slip map without streets: %s", exc)
        return None
    if found is None:
        return None
    image, attribution = found
    return Basemap("data:image/jpeg;base64," + base64.b64encode(image).decode("ascii"), attribution)
