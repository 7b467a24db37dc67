"""Ranking: topic and need match, text match, quarter, distance, hours, language, audience, cost.

A service that offers the topic asked for ranks above one that only shares its need;
a specialist above a catch-all with many topics; an authority that only processes a
benefit below counselling, unless the query names the benefit or the office.

Scores are computed for all candidates at once on the index's feature arrays (numpy),
so a search over 100,000 services stays fast; only the best few become Scored objects.
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
from ..topics import all_topics
from .analysis import fold
from .index import BoolArray, Entry, FloatArray, IntArray, SearchIndex
from .query import Understood

# Points per signal. A matching topic counts most, then a matching need.
TOPIC = 12.0
# A service's topic points shrink by this share for each topic beyond the second.
SPREAD = 0.1
# The share of the points an asked topic beyond the best one adds.
COVER = 0.3
AUTHORITY = 4.0
# A clinic or doctor ranks below counselling for a problem, unless treatment is asked for.
TREATMENT = 2.0
# A service of an institution whose name holds every word typed ("pro familia", "Caritas"):
# a query naming an institution lists its services first.
NAMED = 30.0
# A query of topic words names an institution only when one alone bears them:
# "Kinderschutzbund" names one, "Kita" the topic (and Kitas).
NAMED_FEW = 1
# A service whose newest source is old may have changed or closed.
OLD = 2.0
NEED = 10.0
EXTRA_NEED = 0.5
# Per need beyond the first: small, as a service's topics already tell a specialist from a
# catch-all (SPREAD); an office with several needs (Jobcenter) is no catch-all.
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
# A service whose age range holds the age the query tells, or not.
AGE = 4.0
AREA = 2.0
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
    home_id: str | None = None
    open_at: datetime | None = None
    # The family's possible postcodes: services with a service area serve only those.
    postcodes: tuple[str, ...] = ()
    # Institutions left out (the home institution in its own counsellors' search).
    exclude: tuple[str, ...] = ()


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
    area: tuple[str, ...] = ()
    nearest: bool = False
    topics: tuple[str, ...] = ()


@lru_cache(maxsize=16384)
def _open(expr: str, at: datetime) -> int:
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


def _local(index: SearchIndex, home_id: str | None) -> BoolArray:
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
class _Fixed:
    """What decides the score parts that do not depend on the words of a query."""

    home_id: str | None
    home: Location | None  # None when a place is asked for (--near)
    postcodes: tuple[str, ...]
    free_asked: bool
    # Penalties of an authority that only processes a benefit, and of treatment.
    authority: bool
    treatment: bool


def _fixed_points(index: SearchIndex, fixed: _Fixed) -> FloatArray:
    """Return (cached per setting) the score parts that no word of a query changes."""

    def compute() -> FloatArray:
        features = index.features
        points: FloatArray = QUARTER * _local(index, fixed.home_id) - OLD * features.old
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


def _topic_scale(index: SearchIndex) -> FloatArray:
    """Return (cached) a topic's points for each service: fewer for a catch-all (SPREAD)."""
    return index.derived(
        ("topic scale",),
        lambda: TOPIC / (1 + SPREAD * np.maximum(index.features.topic_count - 2, 0)),
    )


def _speaks(index: SearchIndex, code: str) -> BoolArray:
    """Return (cached on the index) which services are offered in a language."""
    return index.derived(
        ("language", code),
        lambda: np.array([code in e.languages for e in index.entries], dtype=np.bool_),
    )


def _age_fit(index: SearchIndex, age: float) -> FloatArray:
    """Return (cached) 1 where a service's ages hold an age, -1 where not, else 0."""

    def compute() -> FloatArray:
        services = [e.service for e in index.entries]
        low = np.array([s.minimum_age if s.minimum_age is not None else -np.inf for s in services])
        high = np.array([s.maximum_age if s.maximum_age is not None else np.inf for s in services])
        known = np.isfinite(low) | np.isfinite(high)
        fit: FloatArray = np.where(known, np.where((low <= age) & (age <= high), 1.0, -1.0), 0.0)
        return fit

    return index.derived(("age", age), compute)


def _excluded(index: SearchIndex, exclude: tuple[str, ...]) -> BoolArray:
    """Return (cached on the index) which services belong to excluded institutions."""
    return index.derived(
        ("exclude", exclude),
        lambda: np.array([e.institution.id in exclude for e in index.entries], dtype=np.bool_),
    )


def _named(index: SearchIndex, understood: Understood) -> set[int]:
    """Return the entries of an institution whose name holds every typed word (mostly none)."""
    named: list[frozenset[int]] = [index.named.get(t, frozenset()) for t in understood.typed]
    if not named or not all(named):
        return set()
    numbers = set(sorted(named, key=len)[0])
    for entries in named:
        numbers &= entries
    if understood.all_topical:
        institutions = {index.entries[n].institution.id for n in numbers}
        if len(institutions) > NAMED_FEW:
            return set()
    return numbers


def _wanted(understood: Understood, criteria: Criteria) -> dict[str, float]:
    if criteria.need:
        return {criteria.need: 1.0}
    return {need: understood.need_weight(need) for need in understood.needs}


class _Ranking:
    """The candidates of one search and their score parts, as arrays."""

    def __init__(self, index: SearchIndex, understood: Understood, criteria: Criteria) -> None:
        self.index, self.criteria = index, criteria
        features = index.features
        size = len(index.entries)
        text = index.text_scores(understood.terms)
        self.wanted = {
            k: w for k, w in _wanted(understood, criteria).items() if k in features.need_column
        }
        columns = [features.need_column[k] for k in self.wanted]
        member = features.needs[:, columns]
        matched = member.sum(axis=1) if columns else np.zeros(size, dtype=np.int64)
        self.asked = {
            t: understood.topic_weight(t) for t in understood.topics if t in features.topic_column
        }
        topic_member = features.topics[:, [features.topic_column[t] for t in self.asked]]
        chosen = matched > 0
        if not criteria.need:
            chosen |= text > 0
            if self.asked:
                chosen |= topic_member.any(axis=1)
        if criteria.exclude:
            chosen &= ~_excluded(index, criteria.exclude)
        # Entry numbers as intp: numpy converts any other index type at every use.
        self.ids: npt.NDArray[np.intp] = chosen.nonzero()[0]
        ids = self.ids
        self.text = text[ids]
        self.matched = matched[ids]
        self.topic_member = topic_member[ids]
        score = TEXT * self.text / (self.text + TEXT_HALF)
        if columns:
            strength = (member[ids] * np.array(list(self.wanted.values()))).max(axis=1)
            score += np.where(
                self.matched > 0,
                NEED * strength
                + EXTRA_NEED * (self.matched - 1)
                - GENERALIST * features.generalist[ids],
                0.0,
            )
        told = bool(self.asked or self.wanted)
        topics = all_topics()
        # Naming a benefit (not a problem) asks for the authority that processes it.
        bonus = (
            told
            and not understood.counselling
            and any(topics[t].benefit for t, w in self.asked.items() if w >= 1.0)
        )
        score += self._topic_points(bonus)
        fixed = _Fixed(
            home_id=criteria.home_id,
            home=criteria.home if criteria.near is None else None,
            postcodes=criteria.postcodes,
            free_asked=understood.free,
            authority=told and not bonus,
            treatment=told and not any(topics[t].treatment for t in self.asked),
        )
        score += _fixed_points(index, fixed)[ids]
        named = _named(index, understood)
        if named:
            score += NAMED * np.isin(ids, list(named))
        self.local = _local(index, criteria.home_id)[ids]
        if understood.age is not None:
            score += AGE * _age_fit(index, understood.age)[ids]
        self.distance: FloatArray | None = None
        if criteria.near is not None:
            self.distance = distances_m(criteria.near, features.lat[ids], features.lon[ids])
            score += np.where(features.located[ids], NEAR / (1 + self.distance / NEAR_HALF_M), 0.0)
        self.open = self._open_states()
        if criteria.open_at is not None:
            score += OPEN * self.open
        self.language = np.full(len(ids), -1, dtype=np.int32)
        for number, code in enumerate(criteria.languages):
            self.language = np.where(
                (self.language < 0) & _speaks(index, code)[ids], number, self.language
            )
        if criteria.languages:
            score += LANGUAGE * (self.language >= 0)
        self.audience = self._audiences()
        if self.audience is not None:
            score += AUDIENCE * np.array(
                [label is not None for label in self.audience], dtype=np.float64
            )
        self.score: FloatArray = score

    def _topic_points(self, bonus: bool) -> FloatArray:
        """Return the points for offering an asked topic, and the authority's bonus if due."""
        features, ids = self.index.features, self.ids
        points: FloatArray = np.zeros(len(ids))
        if self.asked:
            weights = np.array(list(self.asked.values()))
            asked = self.topic_member * weights
            best = asked.max(axis=1)
            # Offering a second asked topic ("Werkstattplatz" and "Behinderung") counts too.
            topic_strength = best + COVER * (asked.sum(axis=1) - best)
            points += _topic_scale(self.index)[ids] * topic_strength
        if bonus:
            points += AUTHORITY * (features.authority[ids] & self.topic_member.any(axis=1))
        return points

    def _open_states(self) -> IntArray:
        at = self.criteria.open_at
        if at is None:
            return np.zeros(len(self.ids), dtype=np.int32)
        codes = self.index.features.hours[self.ids]
        texts = self.index.features.hours_texts
        table = np.zeros(len(texts) + 1, dtype=np.int32)
        for code in np.unique(codes[codes >= 0]):
            table[code] = _open(texts[code], at)
        return table[codes]

    def _audiences(self) -> list[str | None] | None:
        if not self.criteria.audience:
            return None
        wish = fold(self.criteria.audience)
        found: list[str | None] = []
        for number in self.ids:
            entry = self.index.entries[number]
            found.append(
                next(
                    (
                        label
                        for label, folded in zip(
                            entry.service.audience, entry.audience, strict=True
                        )
                        if wish in folded or folded in wish
                    ),
                    None,
                )
            )
        return found

    def lift_nearest(self) -> int | None:
        """When no need match lies in a quarter, lift the nearest need match; return its row."""
        features = self.index.features
        where = self.criteria.near or self.criteria.home
        matched = self.matched > 0
        if not self.index.directory.quarters or where is None or not matched.any():
            return None
        if (matched & self.local).any():
            return None
        best = self.score[matched].max()
        pool = matched & features.located[self.ids] & (self.score >= best - QUARTER)
        if not pool.any():
            return None
        rows = np.flatnonzero(pool)
        away = distances_m(where, features.lat[self.ids[rows]], features.lon[self.ids[rows]])
        row = int(rows[int(np.argmin(away))])
        self.score[row] = self.score.max() + NEAREST
        return row

    def best(self, limit: int) -> list[Scored]:
        """Return the best rows as Scored, highest score first (ties by name).

        With a time asked for, every service known to be open then comes first: a service
        whose hours are unknown never ranks above one known to be open.
        """
        nearest = self.lift_nearest()
        order = self.index.features.order[self.ids]
        keys: list[IntArray | FloatArray] = [order, -self.score]
        if self.criteria.open_at is not None:  # known open, then unknown hours, then closed
            keys.append(-self.open)
        rows = np.lexsort(keys)[:limit]
        return self._scored(rows, nearest)

    def _scored(self, rows: npt.NDArray[np.intp], nearest: int | None) -> list[Scored]:
        """Return the rows as Scored, reading each array once for all of them."""
        entries, criteria, asked = self.index.entries, self.criteria, tuple(self.asked)
        distances = None if self.distance is None else self.distance[rows].tolist()
        audiences = self.audience
        found = []
        for n, (row, number, score, text, state, language, members) in enumerate(
            zip(
                rows.tolist(),
                self.ids[rows].tolist(),
                self.score[rows].tolist(),
                self.text[rows].tolist(),
                self.open[rows].tolist(),
                self.language[rows].tolist(),
                self.topic_member[rows].tolist(),
                strict=True,
            )
        ):
            entry = entries[number]
            found.append(
                Scored(
                    entry=entry,
                    score=score,
                    needs=tuple([k for k in self.wanted if k in entry.needs]),
                    text=text,
                    distance_m=None
                    if distances is None or entry.location is None
                    else distances[n],
                    is_open=None if state == 0 else state > 0,
                    language=criteria.languages[language] if language >= 0 else None,
                    audience=audiences[row] if audiences is not None else None,
                    nearest=row == nearest,
                    area=tuple(p for p in criteria.postcodes if p in entry.service.service_area)
                    if entry.service.service_area
                    else (),
                    topics=tuple([t for t, member in zip(asked, members, strict=True) if member]),
                )
            )
        return found


def rank(
    index: SearchIndex, understood: Understood, criteria: Criteria, limit: int
) -> tuple[list[Scored], int]:
    """Return the best `limit` services and how many matched in all."""
    ranking = _Ranking(index, understood, criteria)
    return ranking.best(limit), len(ranking.ids)
