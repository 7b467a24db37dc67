"""Analysis of the recorded cooperation network: size, centrality, isolates, communities, ego, history.

Every metric looks at *recorded* cooperation links (the `links:` of the data file) between
*active* institutions, as they stood on a given day. Derived edges (same site, same operator)
are facts about the institutions, not cooperation, so they do not count here; the diagram
draws them dashed and the suggestions skip pairs that they join.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import networkx as nx

from ..errors import NotFound
from ..model import Directory, Link
from .betweenness import betweenness
from .graph import build_graph, link_network

# Above this many institutions, betweenness is estimated from a sample of source nodes.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLE = 128
SEED = 42
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NetworkStats:
    """Size figures of the cooperation network on one day.

    `links` counts pairs of institutions joined by at least one recorded link;
    `components` counts groups of at least two linked institutions (isolates are
    counted separately); `density` is links / possible pairs.
    """

    on: date | None
    institutions: int
    links: int
    density: float
    components: int
    largest_component: int
    isolates: int


@dataclass(frozen=True, slots=True)
class Centrality:
    """How central one institution is: its partners and how often it lies between others."""

    institution_id: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class Growth:
    """The network at two days and the links that began or ended in between."""

    before: NetworkStats
    after: NetworkStats
    added: tuple[Link, ...]
    ended: tuple[Link, ...]


def cached(directory: Directory, name: str, key: object, compute: Callable[[], T]) -> T:
    """Return compute() for this directory and key, computed once per Directory."""
    return directory.derived(("network", name, key), compute)


def full_graph(directory: Directory, on: date | None = None) -> nx.MultiDiGraph:
    """Return the cached graph of links and derived edges on a day (shared: do not modify)."""
    return cached(directory, "full", on, lambda: build_graph(directory, on=on))


def cooperation_network(directory: Directory, on: date | None = None) -> nx.Graph:
    """Return the cached graph of recorded links between active institutions on a day."""

    def compute() -> nx.Graph:
        """Build the graph and drop inactive institutions."""
        graph = link_network(directory, on)
        graph.remove_nodes_from([i.id for i in directory.institutions if not i.active])
        return graph

    return cached(directory, "cooperation", on, compute)


def stats(graph: nx.Graph, on: date | None = None) -> NetworkStats:
    """Return the size, density, components and isolates of a cooperation graph."""
    groups = [len(c) for c in nx.connected_components(graph)]
    linked = [size for size in groups if size > 1]
    return NetworkStats(
        on=on,
        institutions=graph.number_of_nodes(),
        links=graph.number_of_edges(),
        density=nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
        components=len(linked),
        largest_component=max(linked, default=0),
        isolates=groups.count(1),
    )


def centrality(
    graph: nx.Graph, *, exact_limit: int = EXACT_BETWEENNESS_LIMIT, sample: int = BETWEENNESS_SAMPLE
) -> dict[str, Centrality]:
    """Return degree and (normalised) betweenness centrality of every node.

    Betweenness is exact up to `exact_limit` nodes; above it, it is estimated from
    `sample` source nodes drawn with a fixed seed (Brandes' sampling), so repeated
    runs agree. The numbers equal networkx's betweenness_centrality (see betweenness.py).
    """
    n = graph.number_of_nodes()
    k = min(sample, n) if n > exact_limit else None
    between = betweenness(graph, k=k, seed=SEED)
    scale = 1.0 / (n - 1) if n > 1 else 0.0
    return {
        node: Centrality(node, degree, degree * scale, float(between.get(node, 0.0)))
        for node, degree in graph.degree()
    }


def brokers(scores: dict[str, Centrality], limit: int = 10) -> list[Centrality]:
    """Return the institutions that bridge most (betweenness > 0), most central first."""
    ranked = sorted(
        (c for c in scores.values() if c.betweenness > 0),
        key=lambda c: (-c.betweenness, -c.degree, c.institution_id),
    )
    return ranked[:limit]


def isolates(graph: nx.Graph) -> list[str]:
    """Return the ids of institutions without any recorded cooperation, sorted."""
    return sorted(nx.isolates(graph))


def communities(graph: nx.Graph) -> list[list[str]]:
    """Return groups of institutions that cooperate more among themselves (Louvain, fixed seed).

    Only groups of two or more are returned, largest first; members are sorted.
    """
    if graph.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(graph, seed=SEED)
    groups = [sorted(c) for c in found if len(c) > 1]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def modularity(graph: nx.Graph, groups: list[list[str]]) -> float:
    """Return the modularity of a grouping (isolates as their own groups); 0 without links."""
    if graph.number_of_edges() == 0:
        return 0.0
    grouped = {n for g in groups for n in g}
    parts = [set(g) for g in groups] + [{n} for n in graph if n not in grouped]
    return float(nx.community.modularity(graph, parts))


def ego_distances(graph: nx.Graph, institution_id: str, radius: int = 1) -> dict[str, int]:
    """Return {id: steps} for the institutions within `radius` links of one institution."""
    if institution_id not in graph:
        raise NotFound(f"no active institution with id '{institution_id}'")
    return dict(nx.single_source_shortest_path_length(graph, institution_id, cutoff=radius))


def links_on(directory: Directory, day: date) -> list[Link]:
    """Return the recorded links that existed on a day."""
    return [link for link in directory.links if link.active_on(day)]


def compare(directory: Directory, before: date, after: date) -> Growth:
    """Return the network on two days and the links that began or ended in between.

    A link without `since` counts as existing on every day before its `until`.
    """
    if after < before:
        before, after = after, before
    old = set(links_on(directory, before))
    new = set(links_on(directory, after))
    order = {link: i for i, link in enumerate(directory.links)}
    return Growth(
        before=stats(cooperation_network(directory, before), before),
        after=stats(cooperation_network(directory, after), after),
        added=tuple(sorted(new - old, key=order.__getitem__)),
        ended=tuple(sorted(old - new, key=order.__getitem__)),
    )
