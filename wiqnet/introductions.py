"""Suggested introductions: pairs of institutions that should get to know each other.

A pair (A, B) is suggested when all of these hold:

* both are active and have a location;
* they are not linked yet: no recorded link (any kind, either direction) on the day,
  and no derived edge (same site or same operator: they already know each other);
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

    score = complement × audience × proximity × network

* complement = min(1, w / 6) where w sums, over the needs each adds for the other,
  2 for a related need and 1 for another;
* audience = 1.0 for a shared explicit label, 0.5 when only an open offer matches;
* proximity = 1 / (1 + d / 500 m);
* network = 1.5 when A and B lie in different parts of the cooperation network
  (different components, isolates included): the introduction joins them; else 1.0.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import networkx as nx

from .model import Directory, Institution
from .needs import need_keys, need_label
from .network import cached, cooperation_network, full_graph

MAX_DISTANCE_M = 2000.0
HALF_SCORE_M = 500.0
CANDIDATES_PER_INSTITUTION = 30
EARTH_RADIUS_M = 6_371_008.8


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
    lat: float
    lon: float
    needs: frozenset[str]
    audience: frozenset[str]
    open_offer: bool


def _profile(inst: Institution) -> _Profile | None:
    services = [s for s in inst.services if s.status == "active"]
    if not inst.active or inst.location is None or not services:
        return None
    return _Profile(
        inst=inst, lat=inst.location.lat, lon=inst.location.lon,
        needs=frozenset(n for s in services for n in s.needs),
        audience=frozenset(a for s in services for a in s.audience),
        open_offer=any(not s.audience for s in services),
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


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in metres (equirectangular; within 0.1 % at city scale)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.hypot(x, y)


def _candidates(profiles: list[_Profile], max_distance_m: float,
                per_institution: int) -> set[tuple[int, int]]:
    """Return index pairs (i < j): each institution with its nearest others in reach."""
    from scipy.spatial import cKDTree

    if len(profiles) < 2:
        return set()
    scale = math.cos(math.radians(sum(p.lat for p in profiles) / len(profiles)))
    metres = EARTH_RADIUS_M * math.pi / 180
    points = [(p.lon * metres * scale, p.lat * metres) for p in profiles]
    k = min(per_institution + 1, len(profiles))
    # A little slack: the final distance is computed per pair (see distance_m).
    _dists, idx = cKDTree(points).query(points, k=k, distance_upper_bound=max_distance_m * 1.01)
    pairs: set[tuple[int, int]] = set()
    for i, row in enumerate(idx.tolist()):
        for j in row:
            if j != i and j < len(profiles):
                pairs.add((min(i, j), max(i, j)))
    return pairs


def _adds(giver: _Profile, taker: _Profile,
          related: dict[str, frozenset[str]]) -> tuple[tuple[str, ...], float]:
    new = giver.needs - taker.needs
    weight = 0.0
    for need in new:
        weight += 2.0 if related.get(need, frozenset()) & taker.needs else 1.0
    order = {key: i for i, key in enumerate(need_keys())}
    return tuple(sorted(new, key=lambda n: (order.get(n, len(order)), n))), weight


def suggest(directory: Directory, on: date | None = None, *, limit: int | None = 50,
            max_distance_m: float = MAX_DISTANCE_M,
            per_institution: int = CANDIDATES_PER_INSTITUTION) -> list[Introduction]:
    """Return suggested introductions, best first (see the module docstring for the rules).

    To stay fast on large directories, each institution is paired with at most its
    `per_institution` nearest neighbours within `max_distance_m`.
    """
    key = (on, limit, max_distance_m, per_institution)
    return cached(directory, "introductions", key, lambda: _suggest(
        directory, on, limit, max_distance_m, per_institution))


def _suggest(directory: Directory, on: date | None, limit: int | None,
             max_distance_m: float, per_institution: int) -> list[Introduction]:
    profiles = [p for p in map(_profile, directory.institutions) if p is not None]
    related = related_needs(directory)
    known = {frozenset((u, v)) for u, v in full_graph(directory, on).edges()}
    network = cooperation_network(directory, on)
    part = {node: i for i, comp in enumerate(nx.connected_components(network)) for node in comp}
    found: list[Introduction] = []
    for i, j in _candidates(profiles, max_distance_m, per_institution):
        a, b = sorted((profiles[i], profiles[j]), key=lambda p: p.inst.id)
        if frozenset((a.inst.id, b.inst.id)) in known or a.needs == b.needs:
            continue
        d = distance_m(a.lat, a.lon, b.lat, b.lon)
        if d > max_distance_m:
            continue
        shared = a.audience & b.audience
        if shared:
            audience = 1.0
        elif a.open_offer or b.open_offer:
            audience = 0.5
        else:
            continue
        adds_a, weight_a = _adds(b, a, related)
        adds_b, weight_b = _adds(a, b, related)
        joins = part.get(a.inst.id, -1) != part.get(b.inst.id, -2)
        score = (min(1.0, (weight_a + weight_b) / 6.0) * audience
                 / (1.0 + d / HALF_SCORE_M) * (1.5 if joins else 1.0))
        found.append(Introduction(a.inst.id, b.inst.id, round(score, 6), round(d, 1),
                                  adds_a, adds_b, tuple(sorted(shared)), joins))
    found.sort(key=lambda s: (-s.score, s.distance_m, s.a, s.b))
    return found if limit is None else found[:limit]


def _needs_text(keys: tuple[str, ...], lang: str) -> str:
    return ", ".join(need_label(k, lang) for k in keys)


def _name(directory: Directory, institution_id: str) -> str:
    inst = directory.institution(institution_id)
    return inst.name if inst else institution_id


def reason(intro: Introduction, directory: Directory, lang: str = "de") -> str:
    """Return a one-sentence reason for the suggestion, in German or English."""
    a, b = (_name(directory, i) for i in (intro.a, intro.b))
    en = lang == "en"
    parts = []
    if intro.adds_for_a:
        parts.append(f"{b} offers {_needs_text(intro.adds_for_a, lang)}, which {a} does not"
                     if en else
                     f"{b} bietet {_needs_text(intro.adds_for_a, lang)}, was {a} nicht anbietet")
    if intro.adds_for_b:
        parts.append(f"{a} offers {_needs_text(intro.adds_for_b, lang)}, which {b} does not"
                     if en else
                     f"{a} bietet {_needs_text(intro.adds_for_b, lang)}, was {b} nicht anbietet")
    metres = f"{intro.distance_m:,.0f}".replace(",", "." if not en else ",")
    parts.append(f"{metres} m apart" if en else f"{metres} m voneinander entfernt")
    if intro.audience:
        labels = ", ".join(intro.audience)
        parts.append(f"same audience: {labels}" if en else f"gleiche Zielgruppe: {labels}")
    if intro.joins_parts:
        parts.append("joins two separate parts of the network" if en
                     else "verbindet zwei getrennte Teile des Netzwerks")
    return "; ".join(parts) + "."
