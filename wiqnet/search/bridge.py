"""Bridges: the warm route over recorded cooperation links from WiQ (or another start)."""

from __future__ import annotations

import threading
from datetime import date

import networkx as nx

from ..graph import build_graph, cooperation_graph
from .index import SearchIndex

_LOCK = threading.Lock()


class Bridges:
    """Shortest cooperation paths from one institution, over links that exist on a day."""

    def __init__(self, graph: nx.Graph, origin: str) -> None:
        """Compute the paths from origin to every institution it can reach."""
        self.origin = origin
        self.graph = graph
        self.paths: dict[str, list[str]] = (
            nx.single_source_shortest_path(graph, origin) if origin in graph else {}
        )

    def path(self, institution_id: str) -> list[str]:
        """Return the institution ids from the origin to this one, or [] if unconnected."""
        return list(self.paths.get(institution_id, []))

    def partners(self, institution_id: str) -> list[str]:
        """Return the direct cooperation partners of an institution, sorted by id."""
        if institution_id not in self.graph:
            return []
        return sorted(self.graph.neighbors(institution_id))


def bridges_for(index: SearchIndex, origin: str, today: date) -> Bridges:
    """Return (cached on the index) the bridges from origin over today's cooperation links.

    Only recorded cooperation links count (no derived same-site/same-operator edges);
    inactive institutions and ended links are no warm route.
    """
    with _LOCK:
        found = index.bridges.get((today, origin))
        if found is None:
            directory = index.directory
            graph = cooperation_graph(build_graph(directory, on=today))
            graph.remove_nodes_from([i.id for i in directory.institutions if not i.active])
            found = Bridges(graph, origin)
            if len(index.bridges) > 16:
                index.bridges.clear()
            index.bridges[(today, origin)] = found
        return found
