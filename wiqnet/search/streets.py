"""Krefeld street names and house numbers, offline: where a typed address or postcode lies.

The packaged streets.json is derived from the Krefeld open data (see `build_streets`,
run by tools/build_streets.py); the directory's own addresses are added at run time.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from statistics import fmean
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import GeocodingError, UsageError
from ..model import Directory, Location
from .analysis import fold
from .index import SearchIndex
from .messages import text

FILE_NAME = "streets.json"
SOURCE = (
    "Krefeld open data (Adressbuch der Stadt Krefeld), GeoJSON from "
    "https://github.com/tursics/map-krefeld, changed 2017-09-12; "
    "file: krefeld-open-data/*.json"
)
CITY = "krefeld"
STREET_CUTOFF = 88.0
_NUMBER = re.compile(r"^(.*?)[\s,]*(\d{1,4})\s*([a-z])?$")
_POSTCODE = re.compile(r"\b(4\d{4})\b")
_LATLON = re.compile(r"-?\d{1,3}(?:\.\d+)?\s*[,;]\s*-?\d{1,3}(?:\.\d+)?")
# A point: (house number or -1, lat, lon).
Point = tuple[int, float, float]


def street_key(name: str) -> str:
    """Return the comparison form of a street name: folded, 'Str.' = 'Straße', no spaces."""
    folded = fold(" ".join(name.split()))
    folded = re.sub(r"str\.?(?=\s|$|-)", "strasse", folded)
    folded = re.sub(r"strasse\b", "strasse", folded)
    return re.sub(r"[^a-z0-9]", "", folded.replace(CITY, ""))


def split_street(text: str) -> tuple[str, int | None]:
    """Split 'Westwall 37a' into ('westwall', 37); the number is None when none is given."""
    cleaned = " ".join(text.replace(",", " ").split()).casefold()
    match = _NUMBER.match(cleaned)
    if match and match.group(1).strip():
        return street_key(match.group(1)), int(match.group(2))
    return street_key(cleaned), None


@dataclass(frozen=True)
class Streets:
    """Street keys -> points sorted by house number, postcodes -> their centre."""

    streets: dict[str, tuple[Point, ...]]
    names: dict[str, str]
    postcodes: dict[str, Location]

    def locate(self, text: str) -> tuple[Location, str, bool] | None:
        """Return the point of an address or postcode, how it was read, and if it was guessed.

        A street is guessed when it was misspelt ("Wesstwall" is read as "Westwall").
        """
        cleaned = " ".join(text.split())
        code = _POSTCODE.search(cleaned)
        rest = _POSTCODE.sub(" ", cleaned)
        rest = re.sub(rf"\b{CITY}\b", " ", rest, flags=re.IGNORECASE).strip(" ,")
        if not rest:
            if code and code.group(1) in self.postcodes:
                return self.postcodes[code.group(1)], code.group(1), False
            return None
        key, number = split_street(rest)
        guessed = key not in self.streets
        if guessed:
            best = (
                process.extractOne(
                    key, list(self.streets), scorer=fuzz.ratio, score_cutoff=STREET_CUTOFF
                )
                if len(key) > 4
                else None
            )
            if best is None:
                return None
            key = str(best[0])
        points = self.streets[key]
        name = self.names[key]
        if number is None:
            middle = points[len(points) // 2]
            return Location(middle[1], middle[2]), name, guessed
        return _at_number(points, number), f"{name} {number}", guessed


def _at_number(points: tuple[Point, ...], number: int) -> Location:
    """Return the point of a house number: known, between two known ones, or the nearest."""
    numbered = [p for p in points if p[0] >= 0] or list(points)
    position = bisect_left([p[0] for p in numbered], number)
    if position < len(numbered) and numbered[position][0] == number:
        return Location(numbered[position][1], numbered[position][2])
    if 0 < position < len(numbered):
        low, high = numbered[position - 1], numbered[position]
        share = (number - low[0]) / (high[0] - low[0])
        return Location(low[1] + share * (high[1] - low[1]), low[2] + share * (high[2] - low[2]))
    nearest = numbered[min(position, len(numbered) - 1)]
    return Location(nearest[1], nearest[2])


def _collect(rows: Iterable[tuple[str, str, float, float]]) -> dict[str, Any]:
    """Group (street, postcode, lat, lon) rows into the streets.json structure."""
    streets: dict[str, dict[int, tuple[float, float]]] = defaultdict(dict)
    names: dict[str, str] = {}
    codes: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for street, postcode, lat, lon in rows:
        key, number = split_street(street)
        if not key:
            continue
        match = _NUMBER.match(" ".join(street.split()))
        names.setdefault(key, " ".join((match.group(1) if match else street).split()))
        streets[key].setdefault(-1 if number is None else number, (round(lat, 6), round(lon, 6)))
        if postcode:
            codes[postcode].append((lat, lon))
    return {
        "streets": {
            names[k]: sorted([n, *p] for n, p in v.items()) for k, v in sorted(streets.items())
        },
        "postcodes": {
            c: [round(fmean(p[0] for p in v), 6), round(fmean(p[1] for p in v), 6)]
            for c, v in sorted(codes.items())
        },
    }


def build_streets(folder: Path) -> dict[str, Any]:
    """Derive the street index from the open-data GeoJSON files in a folder."""
    rows = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for feature in data.get("features", []):
            props = feature.get("properties") or {}
            if props.get("street") and props.get("lat") and props.get("lng"):
                rows.append(
                    (
                        str(props["street"]),
                        str(props.get("zip") or "").strip(),
                        float(props["lat"]),
                        float(props["lng"]),
                    )
                )
    return {"source": SOURCE, **_collect(rows)}


@cache
def _packaged() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        files("wiqnet.search").joinpath(FILE_NAME).read_text(encoding="utf-8")
    )
    return raw


def streets_for(directory: Directory) -> Streets:
    """Return the open-data streets plus the directory's own located addresses."""
    rows = [
        (inst.address.street, inst.address.postcode, inst.location.lat, inst.location.lon)
        for inst in directory.institutions
        if inst.address is not None and inst.location is not None
    ]
    mine = _collect(rows)
    shipped = _packaged()
    streets: dict[str, dict[int, tuple[float, float]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for source in (mine, shipped):
        for name, points in source["streets"].items():
            key = street_key(name)
            names.setdefault(key, name)
            for number, lat, lon in points:
                streets[key].setdefault(int(number), (lat, lon))
    postcodes = {code: Location(*point) for code, point in shipped["postcodes"].items()}
    postcodes.update({code: Location(*point) for code, point in mine["postcodes"].items()})
    return Streets(
        streets={k: tuple(sorted((n, *p) for n, p in v.items())) for k, v in streets.items()},
        names=names,
        postcodes=postcodes,
    )


def near_place(
    value: str | None,
    index: SearchIndex,
    fallback: Callable[[str], Location],
    lang: str,
    notices: list[str],
) -> Location | None:
    """Read "In der Nähe von": offline streets and postcodes first, then `fallback`.

    A place that cannot be found is ignored with a notice (in the UI language).
    """
    if value is None or not value.strip():
        return None
    cleaned = " ".join(value.split())
    if not _LATLON.fullmatch(cleaned):
        streets = index.directory.derived(
            ("search", "streets"), lambda: streets_for(index.directory)
        )
        found = streets.locate(cleaned)
        if found is not None:
            point, read, guessed = found
            if guessed:
                notices.append(text("near_read", lang, value=cleaned, place=read))
            return point
    try:
        return fallback(cleaned)
    except (UsageError, GeocodingError):
        notices.append(text("near", lang, value=cleaned))
        return None
