"""The network diagram's geometry: which nodes, where (force-directed), how big, what colour.

The layout is networkx's spring layout (Fruchterman–Reingold) with a fixed seed, so the
same network is always drawn the same way. It is cached in memory and, with a cache
folder, on disk, keyed by the drawn structure (nodes and edges): an edit that changes
no link (a new phone number) reuses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import math
import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import networkx as nx

from ..datafile.store import atomic_write_bytes
from ..model import LINK_KINDS, Directory
from ..needs import need_colour
from .analysis import cached, cooperation_network, ego_distances, full_graph

SEED = 42
MAX_NODES = 450
# Derived edges of larger groups (a big operator's many sites) are not drawn: only noise.
DERIVED_GROUP_LIMIT = 12
LAYOUT_VERSION = 1
_memory: dict[str, dict[str, tuple[float, float]]] = {}
_memory_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class DiagramNode:
    """One drawn institution; x and y lie in [0, 1], radius in diagram units (of 1000)."""

    id: str
    name: str
    x: float
    y: float
    radius: float
    colour: str
    main_need: str
    degree: int
    steps: int | None = None


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    """One drawn edge: a recorded link (solid) or a derived edge (dashed)."""

    a: str
    b: str
    kind: str
    derived: bool
    directed: bool


@dataclass(frozen=True)
class Diagram:
    """Nodes and edges with positions, and how many institutions were left out."""

    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    total: int
    focus: str | None = None


def _edges(graph: nx.MultiDiGraph, keep: set[str]) -> list[DiagramEdge]:
    """Return the edges among `keep` once each, without big derived groups."""
    group: dict[tuple[str, str], int] = {}
    for u, _v, kind, derived in graph.edges(keys=True, data="derived"):
        if derived:
            group[(u, kind)] = group.get((u, kind), 1) + 1
    seen: set[tuple[str, str, str]] = set()
    edges = []
    for u, v, data in graph.edges(data=True):
        if u not in keep or v not in keep or u == v:
            continue
        kind = str(data.get("kind", ""))
        if data.get("derived") and group.get((u, kind), 0) > DERIVED_GROUP_LIMIT:
            continue
        directed = bool(LINK_KINDS.get(kind, False)) and not data.get("derived")
        key = (u, v, kind) if directed else (min(u, v), max(u, v), kind)
        if key in seen:
            continue
        seen.add(key)
        edges.append(DiagramEdge(key[0], key[1], kind, bool(data.get("derived")), directed))
    return sorted(edges, key=lambda e: (e.derived, e.a, e.b, e.kind))


def structure_key(nodes: list[str], edges: list[DiagramEdge]) -> str:
    """Return a digest of the drawn structure, the layout cache key."""
    text = json.dumps([LAYOUT_VERSION, sorted(nodes),
                       sorted({(e.a, e.b, e.derived) for e in edges})])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def layout(nodes: list[str], edges: list[DiagramEdge],
           cache_dir: str | os.PathLike[str] | None = None) -> dict[str, tuple[float, float]]:
    """Return positions in [0, 1]² for the nodes (spring layout, fixed seed), cached."""
    key = structure_key(nodes, edges)
    with _memory_lock:
        if key in _memory:
            return _memory[key]
    path = Path(cache_dir) / "network-layout" / f"{key}.json" if cache_dir else None
    if path is not None and path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            positions = {n: (float(x), float(y)) for n, (x, y) in stored.items()}
        except (OSError, ValueError, TypeError):
            positions = {}
        if set(positions) == set(nodes):
            with _memory_lock:
                _memory[key] = positions
            return positions
    positions = _compute(nodes, edges)
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
            atomic_write_bytes(path, json.dumps(positions).encode("utf-8"))
    with _memory_lock:
        _memory[key] = positions
    return positions


def _compute(nodes: list[str], edges: list[DiagramEdge]) -> dict[str, tuple[float, float]]:
    """Run the seeded spring layout and scale it to the unit square."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for e in edges:
        weight = 0.3 if e.derived else 1.0
        if graph.has_edge(e.a, e.b):
            weight = max(weight, graph[e.a][e.b]["weight"])
        graph.add_edge(e.a, e.b, weight=weight)
    if len(graph) == 1:
        return {nodes[0]: (0.5, 0.5)}
    raw = nx.spring_layout(graph, seed=SEED, weight="weight", method="force",
                           iterations=50 if len(graph) < 3000 else 30)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    x0 = (min(xs) + max(xs)) / 2
    y0 = (min(ys) + max(ys)) / 2
    return {str(n): (round(0.5 + (float(p[0]) - x0) / span, 5),
                     round(0.5 + (float(p[1]) - y0) / span, 5)) for n, p in raw.items()}


def core(graph: nx.Graph, max_nodes: int) -> list[str]:
    """Return up to max_nodes nodes: grown along links from the best-connected, hubs first."""
    chosen: list[str] = []
    seen: set[str] = set()
    for start in sorted(graph.nodes, key=lambda n: (-graph.degree(n), n)):
        if len(chosen) >= max_nodes:
            break
        if start in seen:
            continue
        seen.add(start)
        heap = [(-graph.degree(start), start)]
        while heap and len(chosen) < max_nodes:
            _rank, node = heapq.heappop(heap)
            chosen.append(node)
            for other in graph.neighbors(node):
                if other not in seen:
                    seen.add(other)
                    heapq.heappush(heap, (-graph.degree(other), other))
    return chosen


def diagram(directory: Directory, on: date | None = None, *, focus: str | None = None,
            radius: int = 1, max_nodes: int = MAX_NODES,
            cache_dir: str | os.PathLike[str] | None = None) -> Diagram:
    """Return the laid-out diagram of the network (or of one institution's ego network).

    Node size grows with the number of cooperation partners (degree centrality), the
    colour is the institution's main need. Above `max_nodes` only a connected part around
    the best-connected institutions is drawn (see core()); derived edges only within groups of up to DERIVED_GROUP_LIMIT.
    """
    key = (on, focus, radius, max_nodes, str(cache_dir))
    return cached(directory, "diagram", key, lambda: _diagram(
        directory, on, focus, radius, max_nodes, cache_dir))


def _diagram(directory: Directory, on: date | None, focus: str | None, radius: int,
             max_nodes: int, cache_dir: str | os.PathLike[str] | None) -> Diagram:
    """Build the diagram (uncached)."""
    coop = cooperation_network(directory, on)
    graph = full_graph(directory, on)
    steps: dict[str, int] = {}
    if focus is not None:
        steps = ego_distances(coop, focus, radius)
        chosen = list(steps)
    else:
        chosen = list(coop.nodes)
    total = len(chosen)
    if len(chosen) > max_nodes:
        chosen = core(coop.subgraph(chosen), max_nodes)
    keep = set(chosen)
    edges = _edges(graph, keep)
    positions = layout(chosen, edges, cache_dir)
    top = max((coop.degree(n) for n in chosen), default=0) or 1
    nodes = []
    for node in sorted(chosen):
        attrs = graph.nodes[node]
        degree = coop.degree(node)
        x, y = positions[node]
        main = str(attrs.get("main_need") or "")
        nodes.append(DiagramNode(
            id=node, name=str(attrs.get("name", node)), x=x, y=y,
            radius=round(5.0 + 11.0 * math.sqrt(degree / top), 2),
            colour=need_colour(main), main_need=main, degree=degree, steps=steps.get(node),
        ))
    return Diagram(nodes=tuple(nodes), edges=tuple(edges), total=total,
                   focus=focus)
