"""Per-service ranking arrays that no word of a query changes, cached on the search index.

Each depends on the index and a small setting (the home institution, a language, an age,
the family's postcodes), so a search reads them instead of computing them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .. import hours
from ..geo import distances_m
from ..model import Location
from .index import BoolArray, FloatArray, IntArray, SearchIndex
from .weights import (
    AREA,
    AUTHORITY,
    FREE,
    FREE_ASKED,
    HOME,
    HOME_HALF_M,
    OLD,
    QUARTER,
    SPREAD,
    TOPIC,
    TREATMENT,
)

CountArray = npt.NDArray[np.int64]


@lru_cache(maxsize=16384)
def open_state(expr: str, at: datetime) -> int:
    """Return 1 if open at `at`, -1 if closed, 0 if unknown."""
    state = hours.is_open(expr, at)
    return 0 if state is None else (1 if state else -1)


def _home_bonus(index: SearchIndex, home: Location) -> FloatArray:
    """Return each service's small bonus for being near WiQ."""
    features = index.features
    near = HOME / (1 + distances_m(home, features.lat, features.lon) / HOME_HALF_M)
    # A service in the quarter without a place of its own (used online) is as near as can be.
    found: FloatArray = np.where(features.located, near, HOME * features.in_quarter)
    return found


def local(index: SearchIndex, home_id: str | None) -> BoolArray:
    """Return (cached) which services are in a quarter; WiQ's own count as in the quarter."""

    def compute() -> BoolArray:
        own = np.array([e.institution.id == home_id for e in index.entries], dtype=np.bool_)
        return index.features.in_quarter | own

    return index.derived(("local", home_id), compute)


def _areas(index: SearchIndex, postcodes: tuple[str, ...]) -> IntArray:
    """Return 1 where the service area holds a family postcode, -1 where not, else 0."""
    wanted = set(postcodes)
    return np.array(
        [
            0 if not s.service_area else (1 if wanted & set(s.service_area) else -1)
            for s in (e.service for e in index.entries)
        ],
        dtype=np.int32,
    )


@dataclass(frozen=True)
class Fixed:
    """What decides the score parts that do not depend on the words of a query."""

    home_id: str | None
    home: Location | None  # None when a place is asked for (--near)
    postcodes: tuple[str, ...]
    free_asked: bool
    # Penalties of an authority that only processes a benefit, and of treatment.
    authority: bool
    treatment: bool


def fixed_points(index: SearchIndex, fixed: Fixed) -> FloatArray:
    """Return (cached per setting) the score parts that no word of a query changes."""

    def compute() -> FloatArray:
        features = index.features
        points: FloatArray = QUARTER * local(index, fixed.home_id) - OLD * features.old
        points += (FREE_ASKED if fixed.free_asked else FREE) * features.free
        if fixed.home is not None:
            points += _home_bonus(index, fixed.home)
        if fixed.postcodes:
            points += AREA * _areas(index, fixed.postcodes)
        if fixed.authority:
            points -= AUTHORITY * features.authority
        if fixed.treatment:
            points -= TREATMENT * features.treatment
        return points

    return index.derived(("fixed", fixed), compute)


def topic_scale(index: SearchIndex) -> FloatArray:
    """Return (cached) a topic's points for each service: fewer for a catch-all (SPREAD)."""
    return index.derived(
        ("topic scale",),
        lambda: TOPIC / (1 + SPREAD * np.maximum(index.features.topic_count - 2, 0)),
    )


def speaks(index: SearchIndex, code: str) -> BoolArray:
    """Return (cached on the index) which services are offered in a language."""
    return index.derived(
        ("language", code),
        lambda: np.array([code in e.languages for e in index.entries], dtype=np.bool_),
    )


def age_fit(index: SearchIndex, age: float) -> FloatArray:
    """Return (cached) 1 where a service's ages hold an age, -1 where not, else 0."""

    def compute() -> FloatArray:
        services = [e.service for e in index.entries]
        low = np.array([s.minimum_age if s.minimum_age is not None else -np.inf for s in services])
        high = np.array([s.maximum_age if s.maximum_age is not None else np.inf for s in services])
        known = np.isfinite(low) | np.isfinite(high)
        fit: FloatArray = np.where(known, np.where((low <= age) & (age <= high), 1.0, -1.0), 0.0)
        return fit

    return index.derived(("age", age), compute)


def kept(index: SearchIndex, exclude: tuple[str, ...]) -> BoolArray:
    """Return (cached on the index) which services belong to no excluded institution."""
    return index.derived(
        ("kept", exclude),
        lambda: np.array([e.institution.id not in exclude for e in index.entries], dtype=np.bool_),
    )


def need_columns(index: SearchIndex) -> dict[str, CountArray]:
    """Return (cached) each need's column as its own array: 1 where a service has the need."""
    features = index.features
    return index.derived(
        ("need columns",),
        lambda: {
            key: np.ascontiguousarray(features.needs[:, column], dtype=np.int64)
            for key, column in features.need_column.items()
        },
    )


def topic_columns(index: SearchIndex) -> dict[str, FloatArray]:
    """Return (cached) each topic's column as its own array (1 primary, less if described)."""
    features = index.features
    return index.derived(
        ("topic columns",),
        lambda: {
            key: np.ascontiguousarray(features.topics[:, column])
            for key, column in features.topic_column.items()
        },
    )
