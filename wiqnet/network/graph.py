"""The institution graph: recorded cooperation links plus derived edges."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import networkx as nx

from ..geo import fold_address
from ..model import Directory, Institution, sources_text

COOPERATION = "cooperation"
DERIVED = "derived"


def _node_attributes(inst: Institution) -> dict[str, object]:
    needs = [n for s in inst.services for n in s.needs]
    return {
        "name": inst.name,
        "operator": inst.operator or "",
        "quarter": inst.quarter or "",
        "status": inst.status,
        "main_need": inst.main_need or "",
        "needs": sorted(set(needs)),
        "lat": inst.location.lat if inst.location else None,
        "lon": inst.location.lon if inst.location else None,
    }


def build_graph(directory: Directory, on: date | None = None) -> nx.MultiDiGraph:
    """Return a multigraph of institutions; links as edges, plus derived edges both ways.

    Undirected link kinds and derived edges appear in both directions. With `on`,
    only links that existed on that day are included.
    """
    graph = nx.MultiDiGraph()
    for inst in directory.institutions:
        graph.add_node(inst.id, **_node_attributes(inst))
    for link in directory.links:
        if on is not None and not link.active_on(on):
            continue
        attrs = {
            "kind": link.kind,
            "type": COOPERATION,
            "derived": False,
            "note": link.note or "",
            "sources": sources_text(link.sources),
            "since": link.since.isoformat() if link.since else "",
            "until": link.until.isoformat() if link.until else "",
        }
        graph.add_edge(link.source_id, link.target_id, key=f"{link.kind}", **attrs)
        if not link.directed:
            graph.add_edge(link.target_id, link.source_id, key=f"{link.kind}", **attrs)
    for kind, groups in derived_groups(directory).items():
        for members in groups:
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    for u, v in ((a, b), (b, a)):
                        graph.add_edge(u, v, key=kind, kind=kind, type=DERIVED, derived=True)
    return graph


def site_key(inst: Institution) -> str:
    """Return the folded street and postcode of an institution's site ("" without a street)."""
    street = fold_address(inst.address.street) if inst.address is not None else ""
    return (
        f"{street}|{inst.address.postcode.strip()}" if inst.address is not None and street else ""
    )


def operator_key(inst: Institution) -> str:
    """Return the folded operator name ("" without an operator)."""
    return fold_address(inst.operator or "")


def derived_groups(directory: Directory) -> dict[str, list[list[str]]]:
    """Return, per derived kind, the groups (2+ ids) at one address or with one operator.

    Each group becomes a clique of derived edges in build_graph: a group of n
    institutions gives n * (n - 1) / 2 pairs.
    """
    by_address: dict[str, list[str]] = defaultdict(list)
    by_operator: dict[str, list[str]] = defaultdict(list)
    for inst in directory.institutions:
        if site := site_key(inst):
            by_address[site].append(inst.id)
        if operator := operator_key(inst):
            by_operator[operator].append(inst.id)
    return {
        "gleicher_standort": [ids for ids in by_address.values() if len(ids) > 1],
        "gleicher_traeger": [ids for ids in by_operator.values() if len(ids) > 1],
    }


def link_network(directory: Directory, on: date | None = None) -> nx.Graph:
    """Return cooperation_graph(build_graph(directory, on)) without building the multigraph.

    Nodes, their attributes and each node's neighbour order are the same (so are
    Louvain's seeded groups); derived edges, which it leaves out anyway, are never built.
    """
    out: dict[str, dict[str, None]] = {inst.id: {} for inst in directory.institutions}
    for link in directory.links:
        if on is not None and not link.active_on(on):
            continue
        out.setdefault(link.source_id, {})
        out.setdefault(link.target_id, {})
        out[link.source_id][link.target_id] = None
        if not link.directed:
            out[link.target_id][link.source_id] = None
    attributes = {inst.id: _node_attributes(inst) for inst in directory.institutions}
    simple = nx.Graph()
    simple.add_nodes_from((node, attributes.get(node, {})) for node in out)
    simple.add_edges_from((u, v) for u, ends in out.items() for v in ends)
    return simple


def cooperation_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Return the undirected simple graph of recorded cooperation links only."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from((u, v) for u, v, derived in graph.edges(data="derived") if not derived)
    return simple


def components(graph: nx.MultiDiGraph, include_derived: bool = False) -> list[set[str]]:
    """Return the connected components, largest first."""
    simple = nx.Graph(graph.to_undirected()) if include_derived else cooperation_graph(graph)
    return sorted((set(c) for c in nx.connected_components(simple)), key=len, reverse=True)
