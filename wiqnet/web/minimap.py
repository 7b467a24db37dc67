"""A small self-contained map for the referral slip: an inline SVG, no tiles, no script."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Location, Quarter

WIDTH, HEIGHT, PAD = 320, 200, 16
METRES_PER_DEGREE = 111_320.0
SCALES = (50, 100, 200, 500, 1000, 2000)


@dataclass(frozen=True, slots=True)
class SlipMap:
    """Coordinates (in SVG units) of the place, the quarter outline and a scale bar."""

    width: int
    height: int
    x: float
    y: float
    outline: str
    quarter_name: str
    scale_metres: int
    scale_length: float


def slip_map(location: Location | None, quarter: Quarter | None) -> SlipMap | None:
    """Project the place and its quarter into a small SVG frame; None without a location."""
    if location is None:
        return None
    lons = [location.lon] + ([x for x, _ in quarter.polygon] if quarter else [])
    lats = [location.lat] + ([y for _, y in quarter.polygon] if quarter else [])
    span = 0.004
    west, east = min(lons) - span / 2, max(lons) + span / 2
    south, north = min(lats) - span / 4, max(lats) + span / 4
    shrink = math.cos(math.radians(location.lat))
    world_w, world_h = (east - west) * shrink, north - south
    unit = min((WIDTH - 2 * PAD) / world_w, (HEIGHT - 2 * PAD) / world_h)
    off_x = (WIDTH - world_w * unit) / 2
    off_y = (HEIGHT - world_h * unit) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (round(off_x + (lon - west) * shrink * unit, 1),
                round(off_y + (north - lat) * unit, 1))

    outline = ""
    if quarter:
        points = [project(x, y) for x, y in quarter.polygon]
        outline = "M" + " L".join(f"{x},{y}" for x, y in points) + " Z"
    x, y = project(location.lon, location.lat)
    per_metre = unit / METRES_PER_DEGREE
    metres = max((s for s in SCALES if s * per_metre <= WIDTH / 3), default=SCALES[0])
    return SlipMap(WIDTH, HEIGHT, x, y, outline, quarter.name if quarter else "", metres,
                   round(metres * per_metre, 1))
