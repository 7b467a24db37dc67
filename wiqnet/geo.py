"""Geography: which quarter a point lies in, and distances."""

from __future__ import annotations

import re
from statistics import fmean

from geopy.distance import geodesic

from .model import Directory, Location, Quarter


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


def fold_address(text: str) -> str:
    """Return text folded for comparison: `Virchowstr. 1` = `Virchow-Strasse 1`."""
    folded = text.lower().replace("str.", "strasse").replace("ß", "ss")
    return re.sub(r"[^a-z0-9äöü]+", "", folded)


def known_place(text: str, directory: Directory) -> Location | None:
    """Return where a place lies from the directory alone, without a geocoder.

    Knows an institution's name or street address (with or without postcode and city), and
    a postcode (the centre of the directory's places with that postcode); else None.
    """
    wanted = fold_address(text)
    postcode_points = []
    for inst in directory.institutions:
        if inst.location is None:
            continue
        if fold_address(inst.name) == wanted:
            return inst.location
        if inst.address is None:
            continue
        street = fold_address(inst.address.street)
        if wanted in (street, street + fold_address(inst.address.postcode + inst.address.city),
                      street + fold_address(inst.address.city)):
            return inst.location
        if wanted == inst.address.postcode:
            postcode_points.append(inst.location)
    if not postcode_points:
        return None
    return Location(fmean(p.lat for p in postcode_points), fmean(p.lon for p in postcode_points))
