"""Choose and number the places on a flyer: by need, in or near the quarter, capped per paper size."""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..errors import NotFound, UsageError
from ..hours import short_hours
from ..model import Directory, Institution, Location, Quarter, Service
from ..needs import all_needs, need_colour

NEAR_M = 500.0
ALL = "all"


@dataclass(frozen=True, slots=True)
class Entry:
    """One numbered place on the flyer, with its short contact lines."""

    number: int
    institution: Institution
    phone: str | None
    hours: str
    colour: str


@dataclass(frozen=True, slots=True)
class Selection:
    """What a flyer shows: numbered entries, the home contact point and the quarters."""

    entries: tuple[Entry, ...]
    left_out: int
    home: Institution | None
    home_hours: str
    quarters: tuple[Quarter, ...]
    needs: tuple[str, ...]
    data_date: date
    data_date_kind: str  # "verified" (latest verified date) or "file_date" (data file mtime)


def _metres(origin: Location, lat: float, lon: float) -> tuple[float, float]:
    """Project a point to metres east/north of origin (good enough within a city)."""
    return ((lon - origin.lon) * 111_320.0 * math.cos(math.radians(origin.lat)),
            (lat - origin.lat) * 110_540.0)


def distance_to_quarter(location: Location, quarter: Quarter, inside: bool) -> float:
    """Return the distance in metres from a point to a quarter outline (0 inside)."""
    if inside:
        return 0.0
    ring = [_metres(location, lat, lon) for lon, lat in quarter.polygon]
    best = math.inf
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def check_needs(needs: tuple[str, ...]) -> tuple[str, ...]:
    """Return the need keys if all are known, else raise UsageError listing the keys."""
    known = all_needs()
    for key in needs:
        if key not in known:
            raise UsageError(f"unknown need '{key}'; choose from: {', '.join(known)}")
    return tuple(dict.fromkeys(needs))


def quarters_for(directory: Directory, quarter: str) -> tuple[Quarter, ...]:
    """Return the quarter outlines the flyer covers ('all' or one quarter id)."""
    if quarter == ALL:
        return directory.quarters
    found = directory.quarter(quarter)
    if found is None:
        choices = ", ".join([q.id for q in directory.quarters] + [ALL])
        raise UsageError(f"unknown quarter '{quarter}'; choose one of {choices}")
    return (found,)


def _matching(institution: Institution, needs: tuple[str, ...]) -> list[Service]:
    """Return the institution's active services that meet one of the needs (any if none given)."""
    return [s for s in institution.services if s.status == "active"
            and (not needs or set(s.needs) & set(needs))]


def _distance(institution: Institution, quarters: tuple[Quarter, ...]) -> float:
    """Return the distance in metres to the nearest of the quarters (0 without outlines)."""
    assert institution.location is not None
    if not quarters:
        return 0.0
    return min(distance_to_quarter(institution.location, q, institution.quarter == q.id)
               for q in quarters)


def stable_hours(expr: str | None, lang: str) -> str:
    """Return the short hours most weeks show (so a public holiday this week does not leak in)."""
    if not expr:
        return ""
    now = datetime.now()
    weeks = Counter(short_hours(expr, lang, now + timedelta(weeks=w)) for w in range(3))
    return weeks.most_common(1)[0][0]


def _entry(number: int, institution: Institution, needs: tuple[str, ...], lang: str) -> Entry:
    """Build the legend entry of a place from its matching services."""
    services = _matching(institution, needs)
    phone = institution.contact.phone or next(
        (s.contact.phone for s in services if s.contact and s.contact.phone), None)
    expr = next((s.opening_hours for s in services if s.opening_hours), None)
    main_need = next((n for s in services for n in s.needs if not needs or n in needs), None)
    return Entry(number, institution, phone, stable_hours(expr or institution.opening_hours, lang),
                 need_colour(main_need))


def _data_date(directory: Directory, shown: list[Institution]) -> tuple[date, str]:
    """Return the latest verified date of the shown places, else the data file's mtime."""
    dates = [i.verified for i in shown if i.verified]
    if dates:
        return max(dates), "verified"
    try:
        return date.fromtimestamp(os.path.getmtime(directory.path)), "file_date"
    except OSError:
        return date.today(), "file_date"


def _listed(directory: Directory, ids: tuple[str, ...], home_id: str) -> list[Institution]:
    """Return the listed institutions that can go on the map, in the given order."""
    chosen = []
    for inst_id in dict.fromkeys(ids):
        inst = directory.institution(inst_id)
        if inst is None:
            raise NotFound(f"no institution with id '{inst_id}'")
        if inst.id != home_id and inst.location is not None:
            chosen.append(inst)
    return chosen


def _nearby(directory: Directory, needs: tuple[str, ...], quarters: tuple[Quarter, ...],
            home_id: str) -> list[Institution]:
    """Return the active places in or near the quarters that meet the needs, most useful first.

    Inside the quarters before near them, then more of the needs covered, then reachable by
    phone, then nearer, then by name.
    """
    ranked = []
    for inst in directory.institutions:
        if inst.id == home_id or not inst.active or inst.location is None:
            continue
        services = _matching(inst, needs)
        if not services:
            continue
        distance = _distance(inst, quarters)
        if distance <= NEAR_M:
            covered = {n for s in services for n in s.needs if not needs or n in needs}
            reachable = bool(inst.contact.phone or any(s.contact and s.contact.phone
                                                       for s in services))
            ranked.append(((distance > 0, -len(covered), not reachable, distance,
                            inst.name.casefold()), inst))
    ranked.sort(key=lambda r: r[0])
    return [r[1] for r in ranked]


def select(directory: Directory, *, needs: tuple[str, ...] = (), quarter: str = ALL,
           ids: tuple[str, ...] = (), limit: int = 24, home_id: str = "wiq",
           lang: str = "de") -> Selection:
    """Pick the places: the listed ids in their order, else those in or near the quarters.

    Without ids: active places with a location within NEAR_M of the quarters that meet one of
    the needs; the first `limit` in _nearby's order are kept and numbered by name.
    """
    needs = check_needs(needs)
    quarters = quarters_for(directory, quarter)
    home = directory.institution(home_id)
    found = _listed(directory, ids, home_id) if ids else _nearby(directory, needs, quarters,
                                                                 home_id)
    if not found:
        if ids:
            raise NotFound("none of the listed places has a location to put on a map")
        area = "the quarters" if quarter == ALL else quarters[0].name
        topic = f" that offers {', '.join(needs)}" if needs else ""
        raise NotFound(f"no active place with a location in or near {area}{topic}; "
                       "try other --need keys or --quarter all")
    chosen = found[:limit]
    if not ids:
        chosen.sort(key=lambda i: i.name.casefold())
    entries = tuple(_entry(n, inst, needs, lang) for n, inst in enumerate(chosen, start=1))
    shown = chosen + ([home] if home else [])
    when, kind = _data_date(directory, shown)
    home_hours = ""
    if home is not None:
        open_hours = next((s.opening_hours for s in home.services
                           if "open_hours" in s.access and s.opening_hours), None)
        home_hours = stable_hours(open_hours or home.opening_hours, lang)
    return Selection(entries, len(found) - len(chosen), home, home_hours, quarters, needs,
                     when, kind)
