"""A small self-contained map for the referral slip: an inline SVG, no tiles, no script."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..geo import distance_m
from ..model import Location, Quarter

WIDTH, HEIGHT, PAD = 320, 200, 16
METRES_PER_DEGREE = 111_320.0
SCALES = (50, 100, 200, 500, 1000, 2000)
MAX_REFERENCE_M = 5000.0


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
    reference: tuple[float, float] | None = None


def slip_map(location: Location | None, quarter: Quarter | None,
             reference: Location | None = None) -> SlipMap | None:
    """Project the place, its quarter and a reference point (WiQ) into a small SVG frame.

    The reference point is left out when it is the place itself or more than 5 km away.
    Returns None without a location.
    """
    if location is None:
        return None
    if reference is not None and (reference == location
                                  or distance_m(reference, location) > MAX_REFERENCE_M):
        reference = None
    extra = [(reference.lon, reference.lat)] if reference else []
    points = [(location.lon, location.lat), *extra, *(quarter.polygon if quarter else ())]
    lons = [x for x, _ in points]
    lats = [y for _, y in points]
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
                   round(metres * per_metre, 1),
                   project(reference.lon, reference.lat) if reference else None)
