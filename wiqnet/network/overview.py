"""Everything the coordinator's network page and report show, computed once per Directory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..model import LINK_KINDS, Directory, Institution
from .analysis import (
    Centrality,
    NetworkStats,
    brokers,
    cached,
    centrality,
    communities,
    cooperation_network,
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
