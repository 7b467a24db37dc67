"""Suggested introductions: pairs of institutions that should get to know each other.

A pair (A, B) is suggested when all of these hold:

* both are active organisations (not network or event nodes) and have a location;
* they are not linked yet: no recorded link (any kind, either direction) on the day,
  and no derived edge (same site or same operator: they already know each other);
* they are not under the same operator, compared by the operator's main part
  ("Stadt Krefeld, Fachbereich Jugend" and "Stadt Krefeld" are one administration);
* at least one of them offers counselling or a service to families (a need in
  FAMILY_NEEDS): a city office paired with a theatre helps no family;
* **complementary needs:** their need sets differ, so at least one can refer families to
  the other for something it does not offer itself. `needs(X)` are the needs of X's
  active services. A need that B adds for A is *related* when some active service in
  the directory is tagged with it together with one of A's needs: the directory itself
  says that families come with both concerns together;
* **same audience:** they share an explicit audience label, or at least one of them
  has a service without audience labels (open to everyone). Two institutions whose
  services all name audiences, none in common, are not suggested;
* **close:** at most `max_distance_m` apart (straight line).

The score ranks them, higher first (ties: shorter distance, then ids):

    score = complement × audience × proximity × quarter × network

* complement = min(1, w / 6) where w sums, over the needs each adds for the other,
  2 for a related need and 1 for another;
* audience = 1.0 for a shared explicit label, 0.5 when only an open offer matches;
* proximity = 1 / (1 + d / 500 m);
* quarter = the mean closeness of both to the quarters: 1.0 in a quarter, 0.8 near one
  (see layout.placement), 0.5 elsewhere in the city;
* network = 1.5 when A and B lie in different parts of the cooperation network that
  both hold more than one institution (the introduction joins them), 1.2 when it brings
  an institution without cooperation into a part; else 1.0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import fmean

import networkx as nx
from babel.numbers import format_decimal
from scipy.spatial import cKDTree  # imported with the module: a first build never waits for it

from ..geo import distance_m, fold_address, planar_m
from ..model import Directory, Institution, Location
from ..needs import need_keys, need_label
from ..text import INTRODUCTION, language_of, wording
from .analysis import cached, cooperation_network
from .graph import operator_key, site_key
from .layout import placement

MAX_DISTANCE_M = 2000.0
HALF_SCORE_M = 500.0
CANDIDATES_PER_INSTITUTION = 12
# Needs that mean counselling or a service for families (not offices, leisure, shopping).
FAMILY_NEEDS = frozenset(
    {
        "sozialberatung",
        "arbeit",
        "finanzen",
        "erziehung",
        "partnerschaft",
        "kinderbetreuung",
        "schule",
        "sprache",
        "migration",
        "gesundheit",
        "schutz",
        "behinderung",
    }
)
QUARTER_WEIGHT = {"quartier": 1.0, "naehe": 0.8, "stadt": 0.5, "bund": 0.3}


@dataclass(frozen=True, slots=True)
class Introduction:
    """One suggested pair, with what each adds for the other and why it ranks where it does."""

    a: str
    b: str
    score: float
    distance_m: float
    adds_for_a: tuple[str, ...]
    adds_for_b: tuple[str, ...]
    audience: tuple[str, ...]
    joins_parts: bool


@dataclass(frozen=True, slots=True)
class _Profile:
    inst: Institution
    location: Location
    needs: frozenset[str]
    related: frozenset[str]
    audience: frozenset[str]
    open_offer: bool
    operator: str
    site: str
    operator_key: str
    family: bool
    closeness: float


def operator_root(operator: str | None) -> str:
    """Return the folded main part of an operator's name (before a comma or semicolon)."""
    main = (operator or "").replace(";", ",").split(",")[0]
    return fold_address(main.replace("e. V.", "").replace("e.V.", "")).strip()


def _profile(
    inst: Institution, related: dict[str, frozenset[str]], directory: Directory
) -> _Profile | None:
    """Return what the suggestions need to know of an institution, or None."""
    services = [s for s in inst.services if s.status == "active"]
    if not inst.active or inst.location is None or not services or inst.kind != "organization":
        return None
    needs = frozenset(n for s in services for n in s.needs)
    return _Profile(
        inst=inst,
        location=inst.location,
        needs=needs,
        related=frozenset(m for n in needs for m in related.get(n, ())),
        audience=frozenset(a for s in services for a in s.audience),
        open_offer=any(not s.audience for s in services),
        operator=operator_root(inst.operator),
        site=site_key(inst),
        operator_key=operator_key(inst),
        family=bool(needs & FAMILY_NEEDS),
        closeness=QUARTER_WEIGHT[placement(inst, directory)],
    )


def related_needs(directory: Directory) -> dict[str, frozenset[str]]:
    """Return, per need, the other needs that some active service is tagged with too."""
    related: dict[str, set[str]] = defaultdict(set)
    for inst in directory.institutions:
        if not inst.active:
            continue
        for service in inst.services:
            if service.status == "active":
                for need in service.needs:
                    related[need].update(n for n in service.needs if n != need)
    return {need: frozenset(others) for need, others in related.items()}


def _candidates(
    profiles: list[_Profile], max_distance_m: float, per_institution: int
) -> set[tuple[int, int]]:
    """Return index pairs (i < j): each institution with its nearest others in reach."""
    if len(profiles) < 2:
        return set()
    origin = Location(
        fmean(p.location.lat for p in profiles), fmean(p.location.lon for p in profiles)
    )
    points = [planar_m(origin, p.location) for p in profiles]
    k = min(per_institution + 1, len(profiles))
    # A little slack: the final distance is the geodesic one, computed per pair.
    _dists, idx = cKDTree(points).query(points, k=k, distance_upper_bound=max_distance_m * 1.01)
    pairs: set[tuple[int, int]] = set()
    for i, row in enumerate(idx.tolist()):
        for j in row:
            if j != i and j < len(profiles):
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _weight(giver: _Profile, taker: _Profile) -> float:
    """Return the weight of what giver adds for taker: 2 per related need, 1 per other."""
    new = giver.needs - taker.needs
    return float(len(new) + len(new & taker.related))


def _ordered(needs: frozenset[str]) -> tuple[str, ...]:
    """Return need keys in contract order."""
    order = {key: i for i, key in enumerate(need_keys())}
    return tuple(sorted(needs, key=lambda n: (order.get(n, len(order)), n)))


def suggest(
    directory: Directory,
    on: date | None = None,
    *,
    limit: int | None = 50,
    max_distance_m: float = MAX_DISTANCE_M,
    per_institution: int = CANDIDATES_PER_INSTITUTION,
) -> list[Introduction]:
    """Return suggested introductions, best first (see the module docstring for the rules).

    To stay fast on large directories, each institution is paired with at most its
    `per_institution` nearest neighbours within `max_distance_m`.
    """
    key = (on, limit, max_distance_m, per_institution)
    return cached(
        directory,
        "introductions",
        key,
        lambda: _suggest(directory, on, limit, max_distance_m, per_institution),
    )


def _suggest(
    directory: Directory,
    on: date | None,
    limit: int | None,
    max_distance_m: float,
    per_institution: int,
) -> list[Introduction]:
    """Score every candidate pair and return the best `limit` (uncached)."""
    related = related_needs(directory)
    profiles = [p for p in (_profile(i, related, directory) for i in directory.institutions) if p]
    linked = {
        frozenset((link.source_id, link.target_id))
        for link in directory.links
        if on is None or link.active_on(on)
    }
    network = cooperation_network(directory, on)
    parts = list(nx.connected_components(network))
    part = {node: i for i, comp in enumerate(parts) for node in comp}
    scored: list[tuple[float, float, str, str, _Profile, _Profile, bool]] = []
    for i, j in _candidates(profiles, max_distance_m, per_institution):
        a, b = sorted((profiles[i], profiles[j]), key=lambda p: p.inst.id)
        if (
            a.needs == b.needs
            or frozenset((a.inst.id, b.inst.id)) in linked
            or (a.site and a.site == b.site)  # a derived edge: they already know each other
            or (a.operator_key and a.operator_key == b.operator_key)
            or not (a.family or b.family)
            or (a.operator and a.operator == b.operator)
        ):
            continue
        d = distance_m(a.location, b.location)
        if d > max_distance_m:
            continue
        if a.audience & b.audience:
            audience = 1.0
        elif a.open_offer or b.open_offer:
            audience = 0.5
        else:
            continue
        pa, pb = part.get(a.inst.id), part.get(b.inst.id)
        sizes = sorted(len(parts[p]) if p is not None else 1 for p in (pa, pb))
        joins = pa != pb and sizes[0] > 1
        bridge = 1.5 if joins else 1.2 if pa != pb and sizes[1] > 1 else 1.0
        score = (
            min(1.0, (_weight(b, a) + _weight(a, b)) / 6.0)
            * audience
            / (1.0 + d / HALF_SCORE_M)
            * (a.closeness + b.closeness)
            / 2
            * bridge
        )
        scored.append((-round(score, 6), round(d, 1), a.inst.id, b.inst.id, a, b, joins))
    scored.sort(key=lambda s: s[:4])
    return [
        Introduction(
            a.inst.id,
            b.inst.id,
            -neg,
            d,
            _ordered(b.needs - a.needs),
            _ordered(a.needs - b.needs),
            tuple(sorted(a.audience & b.audience)),
            joins,
        )
        for neg, d, _ia, _ib, a, b, joins in (scored if limit is None else scored[:limit])
    ]


def _needs_text(keys: tuple[str, ...], lang: str) -> str:
    """Return need labels joined by commas."""
    return ", ".join(need_label(k, lang) for k in keys)


def _name(directory: Directory, institution_id: str) -> str:
    """Return an institution's name, or the id when it is unknown."""
    inst = directory.institution(institution_id)
    return inst.name if inst else institution_id


def reason(intro: Introduction, directory: Directory, lang: str = "de") -> str:
    """Return one plain sentence saying why the pair should meet, in German or English."""
    a, b = (_name(directory, i) for i in (intro.a, intro.b))
    words = wording(INTRODUCTION, lang)
    metres = format_decimal(round(intro.distance_m, -1), locale=language_of(INTRODUCTION, lang))
    parts = []
    for giver, taker, needs in ((b, a, intro.adds_for_a), (a, b, intro.adds_for_b)):
        if needs:
            text = _needs_text(needs[:3], lang)
            parts.append(words["adds"].format(giver=giver, taker=taker, needs=text))
    if intro.audience:
        parts.append(words["audience"].format(labels=", ".join(intro.audience)))
    parts.append(words["apart"].format(metres=metres))
    return "; ".join(parts) + (words["joins"] if intro.joins_parts else "") + "."
