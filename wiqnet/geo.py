"""Geography: which quarter a point lies in, and distances."""

from __future__ import annotations

from geopy.distance import geodesic

from .model import Location, Quarter


def _inside(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def quarter_of(location: Location | None, quarters: tuple[Quarter, ...]) -> str | None:
    """Return the id of the quarter that contains the location, or None."""
    if location is None:
        return None
    for quarter in quarters:
        if _inside(location.lon, location.lat, quarter.polygon):
            return quarter.id
    return None


def distance_m(a: Location, b: Location) -> float:
    """Return the geodesic distance in metres between two points."""
    return float(geodesic((a.lat, a.lon), (b.lat, b.lon)).meters)
