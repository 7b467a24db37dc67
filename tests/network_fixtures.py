"""Hand-built directories with known network answers: a star, a chain, two components."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from geographiclib.geodesic import Geodesic

from wiqnet.model import Directory, Institution, Link, Location, Quarter, Service, Source

LAT0, LON0 = 51.3200, 6.5700


def north(metres: float) -> Location:
    """Return the point `metres` north of the reference point (on the WGS84 ellipsoid)."""
    point = Geodesic.WGS84.Direct(LAT0, LON0, 0.0, metres)
    return Location(point["lat2"], LON0)


SOURCES = (Source(date(2026, 1, 10), file="test"),)


def inst(
    inst_id: str,
    needs: list[str] | tuple[str, ...] = ("sozialberatung",),
    location: Location | None = None,
    *,
    operator: str | None = None,
    audience: tuple[str, ...] = (),
    status: str = "active",
    quarter: str | None = None,
    name: str | None = None,
) -> Institution:
    """Return an institution with one service for the given needs."""
    service = Service(
        id=f"{inst_id}-s",
        institution_id=inst_id,
        name="Angebot",
        description="",
        needs=tuple(needs),
        audience=audience,
    )
    return Institution(
        id=inst_id,
        name=name or inst_id.upper(),
        services=(service,),
        sources=SOURCES,
        location=location,
        operator=operator,
        status=status,
        quarter=quarter,
    )


def link(
    a: str, b: str, kind: str = "kooperation", since: date | None = None, until: date | None = None
) -> Link:
    """Return a recorded link."""
    return Link(a, b, kind, since=since, until=until, sources=SOURCES)


def directory(
    institutions: list[Institution], links: list[Link], quarters: tuple[Quarter, ...] = ()
) -> Directory:
    """Return a Directory built from parts."""
    return Directory(institutions=tuple(institutions), links=tuple(links), quarters=quarters)


def star() -> Directory:
    """Return a star: hub `c` with four leaves l1..l4."""
    leaves = [inst(f"l{i}") for i in range(1, 5)]
    return directory([inst("c"), *leaves], [link("c", leaf.id) for leaf in leaves])


def chain(n: int = 3) -> Directory:
    """Return a chain a - b - c ... of n institutions."""
    ids = [chr(ord("a") + i) for i in range(n)]
    return directory([inst(i) for i in ids], [link(x, y) for x, y in pairwise(ids)])


def two_components() -> Directory:
    """Return a star of three (h - s1, h - s2), a chain p - q - r and an isolate z."""
    institutions = [inst(i) for i in ("h", "s1", "s2", "p", "q", "r", "z")]
    links = [link("h", "s1"), link("h", "s2", "vermittlung"), link("p", "q"), link("q", "r")]
    return directory(institutions, links)
