"""Ranking: combine need match, text match, quarter, distance, hours, language, audience, cost."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from .. import hours
from ..model import Location
from .analysis import fold
from .index import Entry, SearchIndex
from .query import Understood

# Points per signal. A matching need outweighs everything else together.
NEED = 10.0
EXTRA_NEED = 0.5
GENERALIST = 0.25
TEXT = 6.0
TEXT_HALF = 4.0
QUARTER = 1.5
NEAR = 3.0
NEAR_HALF_M = 1000.0
HOME = 1.0
HOME_HALF_M = 3000.0
OPEN = 3.0
LANGUAGE = 3.0
AUDIENCE = 2.0
FREE = 0.5
FREE_ASKED = 2.0
# When nothing in the quarter serves the need, the nearest service is lifted by this.
NEAREST = 1.0


@dataclass(frozen=True)
class Criteria:
    """What the counsellor asked for besides the words."""

    need: str | None = None
    languages: tuple[str, ...] = ()
    audience: str | None = None
    near: Location | None = None
    home: Location | None = None
    open_at: datetime | None = None


@dataclass
class Scored:
    """One ranked service with the signals that earned its score."""

    entry: Entry
    score: float
    needs: tuple[str, ...]
    text: float
    distance_m: float | None
    is_open: bool | None
    language: str | None
    audience: str | None
    nearest: bool = False


def approx_distance_m(a: Location, b: Location) -> float:
    """Return a fast equirectangular distance in metres (good to a few metres in a city)."""
    lat = math.radians((a.lat + b.lat) / 2)
    dx = math.radians(b.lon - a.lon) * math.cos(lat)
    dy = math.radians(b.lat - a.lat)
    return 6_371_000.0 * math.hypot(dx, dy)


def _text_scores(index: SearchIndex, understood: Understood) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for term, weight in understood.terms.items():
        ids, weights = index.postings[term]
        for number, value in zip(ids, weights, strict=True):
            scores[number] += weight * value
    return scores


def _wanted(understood: Understood, criteria: Criteria) -> dict[str, float]:
    if criteria.need:
        return {criteria.need: 1.0}
    return {need: understood.need_weight(need) for need in understood.needs}


def _candidates(index: SearchIndex, wanted: dict[str, float],
                text: dict[int, float], criteria: Criteria) -> set[int]:
    numbers: set[int] = set()
    for need in wanted:
        numbers.update(index.by_need.get(need, ()))
    if criteria.need:
        return numbers
    return numbers | text.keys()


class _Hours:
    """Open/closed at one moment, computed once per distinct opening-hours text."""

    def __init__(self, at: datetime | None) -> None:
        self.at = at
        self.known: dict[str, bool | None] = {}

    def state(self, expr: str | None) -> bool | None:
        if self.at is None or not expr:
            return None
        if expr not in self.known:
            self.known[expr] = hours.is_open(expr, self.at)
        return self.known[expr]


def _score(entry: Entry, wanted: dict[str, float], text: float, understood: Understood,
           criteria: Criteria, opening: _Hours) -> Scored:
    matched = tuple(n for n in wanted if n in entry.needs)
    score = 0.0
    if matched:
        score += NEED * max(wanted[n] for n in matched) + EXTRA_NEED * (len(matched) - 1)
        score -= GENERALIST * min(len(entry.needs) - 1, 4)
    score += TEXT * text / (text + TEXT_HALF)
    if entry.institution.quarter:
        score += QUARTER
    distance = None
    if entry.location is not None and criteria.near is not None:
        distance = approx_distance_m(criteria.near, entry.location)
        score += NEAR / (1 + distance / NEAR_HALF_M)
    elif entry.location is not None and criteria.home is not None:
        score += HOME / (1 + approx_distance_m(criteria.home, entry.location) / HOME_HALF_M)
    is_open = opening.state(entry.hours)
    if is_open is not None:
        score += OPEN if is_open else -OPEN
    language = next((code for code in criteria.languages if code in entry.languages), None)
    if language:
        score += LANGUAGE
    audience = None
    if criteria.audience:
        wish = fold(criteria.audience)
        audience = next((a for a, f in zip(entry.service.audience, entry.audience, strict=True)
                         if wish in f or f in wish), None)
        score += AUDIENCE if audience else 0.0
    if entry.free:
        score += FREE_ASKED if understood.free else FREE
    return Scored(entry, score, matched, text, distance, is_open, language, audience)


def _lift_nearest(found: list[Scored], criteria: Criteria, quarters: bool) -> None:
    """When no need match lies in a quarter, lift the nearest need match to the top."""
    matched = [s for s in found if s.needs]
    where = criteria.near or criteria.home
    if not quarters or not matched or where is None:
        return
    if any(s.entry.institution.quarter for s in matched):
        return
    located = [s for s in matched if s.entry.location is not None]
    if not located:
        return
    best_need = max(s.score for s in matched)
    top = [s for s in located if s.score >= best_need - NEED / 2] or located
    nearest = min(top, key=lambda s: approx_distance_m(where, s.entry.location or where))
    nearest.score = max(s.score for s in found) + NEAREST
    nearest.nearest = True


def rank(index: SearchIndex, understood: Understood, criteria: Criteria,
         limit: int) -> tuple[list[Scored], int]:
    """Return the best `limit` services and how many matched in all."""
    text = _text_scores(index, understood)
    wanted = _wanted(understood, criteria)
    numbers = _candidates(index, wanted, text, criteria)
    opening = _Hours(criteria.open_at)
    found = [
        _score(index.entries[n], wanted, text.get(n, 0.0), understood, criteria, opening)
        for n in numbers
    ]
    _lift_nearest(found, criteria, bool(index.directory.quarters))
    best = heapq.nsmallest(limit, found, key=lambda s: (
        -s.score, s.entry.institution.name, s.entry.service.id))
    return best, len(found)
