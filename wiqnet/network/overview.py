"""Everything the coordinator's network page and report show, computed once per Directory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..model import LINK_KINDS, Directory, Institution, Link
from .analysis import (
    Centrality,
    NetworkStats,
    brokers,
    cached,
    centrality,
    communities,
    cooperation_network,
    ego_distances,
    full_graph,
    isolates,
    modularity,
    stats,
)
from .coverage import Coverage, coverage
from .introductions import Introduction, suggest


@dataclass(frozen=True)
class Overview:
    """The network's figures on one day: size, brokers, isolates, groups, gaps, suggestions."""

    on: date
    stats: NetworkStats
    centrality: dict[str, Centrality]
    brokers: list[Centrality]
    isolates: list[str]
    communities: list[list[str]]
    modularity: float
    coverage: Coverage
    introductions: list[Introduction]


def overview(directory: Directory, on: date | None = None, *, brokers_limit: int = 10,
             introductions_limit: int = 20) -> Overview:
    """Return the network overview on a day (default today), cached per Directory."""
    day = on or date.today()

    def compute() -> Overview:
        """Compute every figure of the overview."""
        graph = cooperation_network(directory, day)
        scores = centrality(graph)
        groups = communities(graph)
        return Overview(
            on=day, stats=stats(graph, day), centrality=scores,
            brokers=brokers(scores, brokers_limit), isolates=isolates(graph),
            communities=groups, modularity=modularity(graph, groups),
            coverage=coverage(directory),
            introductions=suggest(directory, day, limit=introductions_limit),
        )

    return cached(directory, "overview", (day, brokers_limit, introductions_limit), compute)


@dataclass(frozen=True, slots=True)
class Partner:
    """A recorded cooperation partner of an institution, as its page shows it."""

    institution: Institution
    kind: str
    direction: str  # "out", "in" or "" (undirected)
    note: str


def recorded_partners(directory: Directory) -> dict[str, list[Partner]]:
    """Return each institution's partners by recorded links (any day), sorted by name."""
    found: dict[str, list[Partner]] = defaultdict(list)
    for link in directory.links:
        source = directory.institution(link.source_id)
        target = directory.institution(link.target_id)
        if source is None or target is None:
            continue
        directed = LINK_KINDS.get(link.kind, False)
        found[source.id].append(Partner(target, link.kind, "out" if directed else "",
                                        link.note or ""))
        found[target.id].append(Partner(source, link.kind, "in" if directed else "",
                                        link.note or ""))
    for partners in found.values():
        partners.sort(key=lambda p: (p.institution.name.casefold(), p.kind))
    return found


@dataclass(frozen=True)
class Ego:
    """One institution's ego network on a day: members by steps, its links, its neighbours."""

    members: list[tuple[str, int]]  # (institution id, steps), nearest first
    links: list[Link]  # its recorded links valid that day
    derived: list[str]  # ids sharing its site or operator
    centrality: Centrality | None
    introductions: list[Introduction]


def ego_view(directory: Directory, institution_id: str, radius: int = 1,
             on: date | None = None) -> Ego | None:
    """Return the ego network within `radius` steps, or None if the institution is not active."""
    day = on or date.today()
    network = cooperation_network(directory, day)
    if institution_id not in network:
        return None
    steps = ego_distances(network, institution_id, radius)
    graph = full_graph(directory, day)
    view = overview(directory, day)
    return Ego(
        members=sorted(steps.items(), key=lambda kv: (kv[1], kv[0])),
        links=[link for link in directory.links
               if institution_id in (link.source_id, link.target_id) and link.active_on(day)],
        derived=sorted({v for _u, v, d in graph.out_edges(institution_id, data="derived") if d}),
        centrality=view.centrality.get(institution_id),
        introductions=[s for s in view.introductions if institution_id in (s.a, s.b)],
    )
