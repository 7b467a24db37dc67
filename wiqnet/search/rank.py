"""Ranking: topic and need match, text match, quarter, distance, hours, language, audience, cost.

A service that offers the topic asked for ranks above one that only shares its need;
a specialist above a catch-all with many topics; an authority that only processes a
benefit below counselling, unless the query names the benefit or the office.

Scores are computed for all candidates at once on the index's feature arrays (numpy),
so a search over 100,000 services stays fast; only the best few become Scored objects.
The points per signal are in `weights`, the arrays no word changes in `signals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt

from ..geo import distances_m
from ..model import Location
from ..topics import all_topics
from .analysis import fold
from .index import Entry, FloatArray, IntArray, SearchIndex
from .query import Understood
from .signals import (
    Fixed,
    age_fit,
    fixed_points,
    kept,
    local,
    need_columns,
    open_state,
    speaks,
    topic_columns,
    topic_scale,
)
from .weights import (
    AGE,
    AUDIENCE,
    AUTHORITY,
    COVER,
    EXTRA_NEED,
    GENERALIST,
    LANGUAGE,
    NAMED,
    NAMED_FEW,
    NEAR,
    NEAR_HALF_M,
    NEAREST,
    NEED,
    OPEN,
    QUARTER,
    TEXT,
    TEXT_HALF,
)


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


def _sum(arrays: Sequence[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """Return the element-wise sum of some arrays (at least one), left to right."""
    return reduce(np.add, arrays)


def _max(arrays: Sequence[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """Return the element-wise maximum of some arrays (at least one)."""
    return reduce(np.maximum, arrays)


def _wanted(understood: Understood, criteria: Criteria) -> dict[str, float]:
    if criteria.need:
        return {criteria.need: 1.0}
    return {need: understood.need_weight(need) for need in understood.needs}


class _Ranking:
    """The candidates of one search and their score parts, as arrays.

    The parts every service has (text, need, topic, the fixed parts) are computed over all
    services, one array per asked need or topic; the rest only for the candidates.
    """

    def __init__(self, index: SearchIndex, understood: Understood, criteria: Criteria) -> None:
        self.index, self.criteria = index, criteria
        features = index.features
        text = index.text_scores(understood.terms)
        self.wanted = {
            k: w for k, w in _wanted(understood, criteria).items() if k in features.need_column
        }
        self.asked = {
            t: understood.topic_weight(t) for t in understood.topics if t in features.topic_column
        }
        needs = need_columns(index)
        matched = _sum([needs[k] for k in self.wanted]) if self.wanted else None
        # Each asked topic's share, the best and all together ("Werkstattplatz" and "Behinderung").
        columns = topic_columns(index)
        shares = [columns[t] * w for t, w in self.asked.items()]
        best = _max(shares) if shares else None
        chosen = matched > 0 if matched is not None else np.zeros(len(text), dtype=np.bool_)
        if not criteria.need:
            chosen |= text > 0
            if best is not None:
                chosen |= best > 0
        if criteria.exclude:
            chosen &= kept(index, criteria.exclude)
        score = TEXT * text / (text + TEXT_HALF)
        if matched is not None:
            strength = _max([needs[k] * w for k, w in self.wanted.items()])
            score += np.where(
                matched > 0,
                NEED * strength + EXTRA_NEED * (matched - 1) - GENERALIST * features.generalist,
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
        if best is not None:
            # A topic counts less for a catch-all (topic scale).
            points = topic_scale(index) * (best + COVER * (_sum(shares) - best))
            if bonus:
                points += AUTHORITY * (features.authority & (best > 0))
            score += points
        fixed = Fixed(
            home_id=criteria.home_id,
            home=criteria.home if criteria.near is None else None,
            postcodes=criteria.postcodes,
            free_asked=understood.free,
            authority=told and not bonus,
            treatment=told and not any(topics[t].treatment for t in self.asked),
        )
        score += fixed_points(index, fixed)
        # Entry numbers as intp: numpy converts any other index type at every use.
        self.ids: npt.NDArray[np.intp] = chosen.nonzero()[0]
        ids = self.ids
        self.text = text[ids]
        self.matched = None if matched is None else matched[ids]
        score = score[ids]
        named = _named(index, understood)
        if named:
            score += NAMED * np.isin(ids, list(named))
        if understood.age is not None:
            score += AGE * age_fit(index, understood.age)[ids]
        self.distance: FloatArray | None = None
        if criteria.near is not None:
            self.distance = distances_m(criteria.near, features.lat[ids], features.lon[ids])
            score += np.where(features.located[ids], NEAR / (1 + self.distance / NEAR_HALF_M), 0.0)
        self.open = self._open_states()
        if self.open is not None:
            score += OPEN * self.open
        self.language = self._languages()
        if self.language is not None:
            score += LANGUAGE * (self.language >= 0)
        self.audience = self._audiences()
        if self.audience is not None:
            score += AUDIENCE * np.array(
                [label is not None for label in self.audience], dtype=np.float64
            )
        self.score: FloatArray = score

    def _open_states(self) -> IntArray | None:
        """Return 1 where a candidate is open at the time asked, -1 closed, 0 unknown; or None."""
        at = self.criteria.open_at
        if at is None:
            return None
        codes = self.index.features.hours[self.ids]
        texts = self.index.features.hours_texts
        table = np.zeros(len(texts) + 1, dtype=np.int32)
        for code in np.unique(codes[codes >= 0]):
            table[code] = open_state(texts[code], at)
        found: IntArray = table[codes]
        return found

    def _languages(self) -> IntArray | None:
        """Return the first asked language each candidate is offered in (-1: none); or None."""
        if not self.criteria.languages:
            return None
        found: IntArray = np.full(len(self.ids), -1, dtype=np.int32)
        for number, code in enumerate(self.criteria.languages):
            found = np.where((found < 0) & speaks(self.index, code)[self.ids], number, found)
        return found

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
        if self.matched is None or not self.index.directory.quarters or where is None:
            return None
        matched = self.matched > 0
        if (
            not matched.any()
            or (matched & local(self.index, self.criteria.home_id)[self.ids]).any()
        ):
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
        if self.open is not None:  # known open, then unknown hours, then closed
            keys.append(-self.open)
        rows = np.lexsort(keys)[:limit]
        return self._scored(rows, nearest)

    def _scored(self, rows: npt.NDArray[np.intp], nearest: int | None) -> list[Scored]:
        """Return the rows as Scored, reading each array once for all of them."""
        entries, criteria = self.index.entries, self.criteria
        asked, wanted = tuple(self.asked), tuple(self.wanted)
        numbers = self.ids[rows]
        distances = None if self.distance is None else self.distance[rows].tolist()
        states = [0] * len(rows) if self.open is None else self.open[rows].tolist()
        languages = [-1] * len(rows) if self.language is None else self.language[rows].tolist()
        audiences = self.audience
        found = []
        for n, (row, number, score, text, state, language) in enumerate(
            zip(
                rows.tolist(),
                numbers.tolist(),
                self.score[rows].tolist(),
                self.text[rows].tolist(),
                states,
                languages,
                strict=True,
            )
        ):
            entry = entries[number]
            # In field order, not by keyword: keywords cost a dict per result.
            found.append(
                Scored(
                    entry,
                    score,
                    tuple(filter(entry.needs.__contains__, wanted)),
                    text,
                    None if distances is None or entry.location is None else distances[n],
                    None if state == 0 else state > 0,  # is_open
                    criteria.languages[language] if language >= 0 else None,
                    audiences[row] if audiences is not None else None,
                    tuple(p for p in criteria.postcodes if p in entry.service.service_area)
                    if entry.service.service_area
                    else (),  # area
                    row == nearest,
                    tuple(filter(entry.topics.__contains__, asked)),
                )
            )
        return found


def rank(
    index: SearchIndex, understood: Understood, criteria: Criteria, limit: int
) -> tuple[list[Scored], int]:
    """Return the best `limit` services and how many matched in all."""
    ranking = _Ranking(index, understood, criteria)
    return ranking.best(limit), len(ranking.ids)
