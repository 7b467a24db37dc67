"""Everything the coordinator's network page and report show, computed once per Directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Directory
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
