"""A small self-contained map for the referral slip: an inline SVG, no script.

The frame is a Web Mercator view, so a basemap from the flyer's tile cache fits under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..flyer.tiles import View, fit_view
from ..geo import distance_m, quarter_centre
from ..model import Location, Quarter

WIDTH, HEIGHT, PAD = 320, 200, 16
MM_PER_UNIT = 25.4 / 96  # one SVG unit is one CSS pixel
SCALES = (50, 100, 200, 500, 1000, 2000)
MAX_REFERENCE_M = 5000.0


@dataclass(frozen=True, slots=True)
class Outline:
    """A quarter drawn on the map: its SVG path and where its name goes."""

    path: str
    name: str
    label_x: float
    label_y: float
    own: bool


@dataclass(frozen=True, slots=True)
class SlipMap:
    """Coordinates (in SVG units) of the place, quarter outlines, WiQ and a scale bar."""

    width: int
    height: int
    x: float
    y: float
    outlines: tuple[Outline, ...]
    quarter_name: str
    scale_metres: int
    scale_length: float
    view: View
    reference: tuple[float, float] | None = None


def slip_map(
    location: Location | None,
    quarter: Quarter | None,
    reference: Location | None = None,
    quarters: tuple[Quarter, ...] = (),
) -> SlipMap | None:
    """Project the place, the quarters and WiQ (`reference`) into a small SVG frame.

    The frame fits the place, its own quarter, the other quarters and the reference point
    when they lie within 5 km (the reference is also left out when it is the place itself).
    None without a location.
    """
    if location is None:
        return None
    if reference is not None and (
        reference == location or distance_m(reference, location) > MAX_REFERENCE_M
    ):
        reference = None
    shown = {
        q.id: q for q in quarters if distance_m(location, quarter_centre(q)) <= MAX_REFERENCE_M
    }
    if quarter is not None:
        shown[quarter.id] = quarter
    extra = [(reference.lon, reference.lat)] if reference else []
    points = [
        (location.lon, location.lat),
        *extra,
        *(point for q in shown.values() for point in q.polygon),
    ]
    span = 0.002
    corners = [
        (lat + dy, lon + dx)
        for lon, lat in points
        for dx, dy in ((-span, -span / 2), (span, span / 2))
    ]
    view = fit_view(corners, WIDTH * MM_PER_UNIT, HEIGHT * MM_PER_UNIT, margin_mm=PAD * MM_PER_UNIT)

    def project(lon: float, lat: float) -> tuple[float, float]:
        x, y = view.to_mm(lat, lon)
        return round(x / MM_PER_UNIT, 1), round(y / MM_PER_UNIT, 1)

    outlines = []
    for each in shown.values():
        ring = [project(x, y) for x, y in each.polygon]
        centre = quarter_centre(each)
        label_x, label_y = project(centre.lon, centre.lat)
        path = "M" + " L".join(f"{x},{y}" for x, y in ring) + " Z"
        outlines.append(
            Outline(
                path, each.name, label_x, label_y, quarter is not None and each.id == quarter.id
            )
        )
    x, y = project(location.lon, location.lat)
    per_metre = 1 / (view.metres_per_mm() * MM_PER_UNIT)
    metres = max((s for s in SCALES if s * per_metre <= WIDTH / 3), default=SCALES[0])
    return SlipMap(
        WIDTH,
        HEIGHT,
        x,
        y,
        tuple(outlines),
        quarter.name if quarter else "",
        metres,
        math.floor(metres * per_metre * 10) / 10,
        view,
        project(reference.lon, reference.lat) if reference else None,
    )
