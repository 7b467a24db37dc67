"""Bridges: the warm route over recorded cooperation links from WiQ (or another start)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from ..model import Directory
from .index import SearchIndex


class Bridges:
    """Shortest cooperation paths from one institution, over links that exist on a day."""

    def __init__(self, graph: nx.Graph, origin: str) -> None:
        """Compute the paths from origin to every institution it can reach."""
        self.origin = origin
        self.graph = graph
        self.paths: dict[str, list[str]] = (
            nx.single_source_shortest_path(graph, origin) if origin in graph else {}
        )
        # The explanations of the routes, by (institution, nearest, language).
        self.texts: dict[tuple[str, bool, str], list[str]] = {}

    def path(self, institution_id: str) -> list[str]:
        """Return the institution ids from the origin to this one, or [] if unconnected."""
        return list(self.paths.get(institution_id, []))

    def partners(self, institution_id: str) -> list[str]:
        """Return the direct cooperation partners of an institution, sorted by id."""
        if institution_id not in self.graph:
            return []
        return sorted(self.graph.neighbors(institution_id))


def bridges_for(index: SearchIndex, origin: str, today: date) -> Bridges:
    """Return (cached on the Directory) the bridges from origin over today's cooperation links.

    Only recorded cooperation links count, as in wiqnet.graph.cooperation_graph; the
    graph is built from the links directly, because the derived same-operator edges of
    build_graph grow with the square of an operator's size and are not used here.
    Inactive institutions and ended links are no warm route.
    """
    directory = index.directory
    return directory.derived(
        ("search", "bridges", today, origin), lambda: _bridges(directory, origin, today)
    )


def _bridges(directory: Directory, origin: str, today: date) -> Bridges:
    """Compute the bridges from origin over the cooperation links of a day."""
    graph = nx.Graph()
    graph.add_nodes_from(i.id for i in directory.institutions if i.active)
    graph.add_edges_from(
        (link.source_id, link.target_id)
        for link in directory.links
        if link.active_on(today) and link.source_id in graph and link.target_id in graph
    )
    return Bridges(graph, origin)
