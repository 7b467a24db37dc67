"""The network diagram's geometry: which nodes, where (force-directed), how big, what colour.

Drawn are the institutions with at least one recorded cooperation, plus the network and
event nodes; institutions without any are summarised beside the diagram. The canvas is
split into four columns by placement (in the quarter, near it, city-wide, nationwide);
within them the layout is networkx's spring layout (Fruchterman–Reingold) with a fixed
seed, so the same network is always drawn the same way: 50 iterations, 15 from 400 nodes
on (a crowd that large looks the same after more, and each costs the square of its size). It is cached in memory and, with a cache
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

from .. import geo
from ..datafile.store import atomic_write_bytes
from ..model import LINK_KINDS, STALE_DAYS, Directory, Institution
from .analysis import cached, cooperation_network, ego_distances
from .palette import diagram_style

SEED = 42
MAX_NODES = 450
LAYOUT_VERSION = 3
# Placement columns, left to right: in a quarter, near one, elsewhere in the city, beyond it.
PLACEMENTS = ("quartier", "naehe", "stadt", "bund")
SPREAD = 0.6  # share of a node's rank in its column's position (evens out clumps)
HOME_CITY = "krefeld"
NATIONWIDE_PHONES = ("0800", "800", "116")  # free-call and harmonised numbers: nationwide lines
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
    shape: str = "circle"
    placement: str = "stadt"
    kind: str = "organization"


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    """One drawn edge: a recorded link, faint when no source confirms it within STALE_DAYS."""

    a: str
    b: str
    kind: str
    directed: bool
    confirmed: date | None = None
    stale: bool = False


@dataclass(frozen=True)
class Diagram:
    """Nodes and edges with positions, and how many institutions were left out."""

    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    total: int
    focus: str | None = None
    isolates: int = 0
    stale_days: int = STALE_DAYS
    columns: tuple[tuple[str, float, float], ...] = ()  # (placement, left, width) in [0, 1]


def _edges(
    directory: Directory, on: date | None, keep: set[str], stale_days: int
) -> list[DiagramEdge]:
    """Return the recorded links among `keep` once each (per pair and kind)."""
    today = on or date.today()
    seen: set[tuple[str, str, str]] = set()
    edges = []
    for link in directory.links:
        u, v = link.source_id, link.target_id
        if u not in keep or v not in keep or u == v or (on is not None and not link.active_on(on)):
            continue
        directed = LINK_KINDS.get(link.kind, False)
        key = (u, v, link.kind) if directed else (min(u, v), max(u, v), link.kind)
        if key in seen:
            continue
        seen.add(key)
        edges.append(
            DiagramEdge(
                key[0],
                key[1],
                link.kind,
                directed,
                link.confirmed_until,
                link.stale_on(today, stale_days),
            )
        )
    return sorted(edges, key=lambda e: (e.a, e.b, e.kind))


def placement(inst: Institution, directory: Directory) -> str:
    """Return where an institution sits: in a quarter, near one, in the city, beyond it."""
    where = geo.placement(inst.quarter, inst.location, directory.quarters)
    if where == geo.NEAR:
        return "naehe"
    if where not in (geo.OUTSIDE, geo.NO_LOCATION):
        return "quartier"
    if inst.address is None:  # a phone line or an online offer: nationwide when free-call
        phone = (inst.contact.phone or "").replace(" ", "").removeprefix("+49")
        return "bund" if phone.startswith(NATIONWIDE_PHONES) else "stadt"
    return "stadt" if inst.address.city.strip().lower().startswith(HOME_CITY) else "bund"


def _centres(directory: Directory) -> list[tuple[float, float]]:
    """Return the (lat, lon) centre of each quarter's outline (the mean of its points)."""

    def compute() -> list[tuple[float, float]]:
        """Average each outline's points."""
        return [
            (
                sum(p[1] for p in quarter.polygon) / len(quarter.polygon),
                sum(p[0] for p in quarter.polygon) / len(quarter.polygon),
            )
            for quarter in directory.quarters
            if quarter.polygon
        ]

    return cached(directory, "quarter-centres", None, compute)


def structure_key(nodes: list[str], edges: list[DiagramEdge]) -> str:
    """Return a digest of the drawn structure, the layout cache key."""
    text = json.dumps([LAYOUT_VERSION, sorted(nodes), sorted({(e.a, e.b) for e in edges})])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def layout(
    nodes: list[str],
    edges: list[DiagramEdge],
    cache_dir: str | os.PathLike[str] | None = None,
    columns: dict[str, int] | None = None,
) -> dict[str, tuple[float, float]]:
    """Return positions in [0, 1]² for the nodes (spring layout, fixed seed), cached.

    With `columns` (node -> column 0..3), each node stays inside its column's quarter
    of the width.
    """
    key = structure_key(nodes, edges) + (
        ""
        if not columns
        else hashlib.sha256(json.dumps(sorted(columns.items())).encode("utf-8")).hexdigest()[:8]
    )
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
    positions = _compute(nodes, edges, columns or {})
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
            atomic_write_bytes(path, json.dumps(positions).encode("utf-8"))
    with _memory_lock:
        _memory[key] = positions
    return positions


def _compute(
    nodes: list[str], edges: list[DiagramEdge], columns: dict[str, int]
) -> dict[str, tuple[float, float]]:
    """Run the seeded spring layout and scale it to the unit square (or into columns)."""
    if not nodes:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from((e.a, e.b) for e in edges)
    if len(graph) == 1 and not columns:
        return {nodes[0]: (0.5, 0.5)}
    bounds = _bounds(columns)
    start = None
    if columns:  # start each node in its column, so the springs keep groups apart
        start = {
            n: (
                bounds[columns[n]][0] + bounds[columns[n]][1] / 2 + 0.003 * (i % 13),
                0.5 + 0.01 * (i % 17),
            )
            for i, n in enumerate(sorted(nodes))
        }
    raw = (
        nx.spring_layout(
            graph, pos=start, seed=SEED, method="force", iterations=50 if len(graph) < 400 else 15
        )
        if len(graph) > 1
        else {nodes[0]: (0.0, 0.0)}
    )
    if not columns:
        return _scale(raw, {n: 0 for n in raw}, {0: (0.0, 1.0)})
    return _scale(raw, columns, bounds)


def _bounds(columns: dict[str, int]) -> dict[int, tuple[float, float]]:
    """Return (left, width) per used column; wider for more nodes, at least 14 %."""
    counts = {c: list(columns.values()).count(c) for c in sorted(set(columns.values()))}
    shares = {c: max(0.14, k / max(1, len(columns))) for c, k in counts.items()}
    total = sum(shares.values()) or 1.0
    bounds, left = {}, 0.0
    for c, share in shares.items():
        bounds[c] = (left, share / total)
        left += share / total
    return bounds


def _scale(
    raw: dict[str, object], columns: dict[str, int], bounds: dict[int, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Scale positions per column into [0, 1]², each column into its share of the width."""
    result: dict[str, tuple[float, float]] = {}
    several = len(bounds) > 1
    for column, (left, width) in bounds.items():
        members = [n for n in raw if columns[n] == column]
        xs = [float(raw[n][0]) for n in members]  # type: ignore[index]
        ys = [float(raw[n][1]) for n in members]  # type: ignore[index]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        span_x = (max(xs) - min(xs)) or 1.0 if several else span
        span_y = (max(ys) - min(ys)) or 1.0 if several else span
        pad = 0.16 if several else 0.0
        rank_x, rank_y = _ranks(xs), _ranks(ys)
        for k, (n, x, y) in enumerate(zip(members, xs, ys, strict=True)):
            fx = 0.5 if len(members) == 1 else 0.5 + (x - (min(xs) + max(xs)) / 2) / span_x
            fy = 0.5 if len(members) == 1 else 0.5 + (y - (min(ys) + max(ys)) / 2) / span_y
            if several:  # spread clumps: mix the position with its rank in the column
                fx, fy = (
                    SPREAD * rank_x[k] + (1 - SPREAD) * fx,
                    SPREAD * rank_y[k] + (1 - SPREAD) * fy,
                )
            result[str(n)] = (
                round(left + width * (pad / 2 + (1 - pad) * fx), 5),
                round(0.04 + 0.88 * fy, 5) if several else round(fy, 5),
            )
    return result


def _ranks(values: list[float]) -> list[float]:
    """Return each value's rank in [0, 1] (0.5 for a single value)."""
    if len(values) < 2:
        return [0.5] * len(values)
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    ranks = [0.0] * len(values)
    for position, i in enumerate(order):
        ranks[i] = position / (len(values) - 1)
    return ranks


def core(graph: nx.Graph, max_nodes: int) -> list[str]:
    """Return up to max_nodes nodes: grown along links from the best-connected, hubs first."""
    degree = dict(graph.degree())  # once: a subgraph view counts anew on every call
    chosen: list[str] = []
    seen: set[str] = set()
    for start in sorted(graph.nodes, key=lambda n: (-degree[n], n)):
        if len(chosen) >= max_nodes:
            break
        if start in seen:
            continue
        seen.add(start)
        heap = [(-degree[start], start)]
        while heap and len(chosen) < max_nodes:
            _rank, node = heapq.heappop(heap)
            chosen.append(node)
            for other in graph.neighbors(node):
                if other not in seen:
                    seen.add(other)
                    heapq.heappush(heap, (-degree[other], other))
    return chosen


def diagram(
    directory: Directory,
    on: date | None = None,
    *,
    focus: str | None = None,
    radius: int = 1,
    max_nodes: int = MAX_NODES,
    cache_dir: str | os.PathLike[str] | None = None,
    stale_days: int = STALE_DAYS,
) -> Diagram:
    """Return the laid-out diagram of the network (or of one institution's ego network).

    Node size grows with the number of cooperation partners (degree centrality), colour
    and shape show the institution's main need. Above `max_nodes` only a connected part
    around the best-connected institutions is drawn (see core()).
    """
    key = (on, focus, radius, max_nodes, str(cache_dir), stale_days)
    return cached(
        directory,
        "diagram",
        key,
        lambda: _diagram(directory, on, focus, radius, max_nodes, cache_dir, stale_days),
    )


def _diagram(
    directory: Directory,
    on: date | None,
    focus: str | None,
    radius: int,
    max_nodes: int,
    cache_dir: str | os.PathLike[str] | None,
    stale_days: int,
) -> Diagram:
    """Build the diagram (uncached)."""
    coop = cooperation_network(directory, on)
    steps: dict[str, int] = {}
    isolated = 0
    if focus is not None:
        steps = ego_distances(coop, focus, radius)
        chosen = list(steps)
    else:
        hubs = {i.id for i in directory.institutions if i.kind != "organization"}
        chosen = [n for n in coop.nodes if coop.degree(n) > 0 or n in hubs]
        isolated = coop.number_of_nodes() - len(chosen)
    total = len(chosen)
    if len(chosen) > max_nodes:
        chosen = core(coop.subgraph(chosen), max_nodes)
    keep = set(chosen)
    edges = _edges(directory, on, keep, stale_days)
    where = {
        n: placement(directory.institution(n), directory)  # type: ignore[arg-type]
        for n in chosen
    }
    columns = (
        {n: PLACEMENTS.index(p) for n, p in where.items()}
        if focus is None and len(set(where.values())) > 1
        else None
    )
    positions = layout(chosen, edges, cache_dir, columns)
    top = max((coop.degree(n) for n in chosen), default=0) or 1
    nodes = []
    for node in sorted(chosen):
        inst = directory.institution(node)
        assert inst is not None
        degree = coop.degree(node)
        x, y = positions[node]
        main = inst.main_need or ""
        colour, shape = diagram_style(main)
        if inst.kind != "organization":
            shape = "hexagon" if inst.kind == "network" else "star"
        nodes.append(
            DiagramNode(
                id=node,
                name=inst.name,
                x=x,
                y=y,
                radius=round(5.0 + 11.0 * math.sqrt(degree / top), 2),
                colour=colour,
                main_need=main,
                degree=degree,
                steps=steps.get(node),
                shape=shape,
                placement=where[node],
                kind=inst.kind,
            )
        )
    bands = (
        tuple((PLACEMENTS[c], left, width) for c, (left, width) in _bounds(columns).items())
        if columns
        else ()
    )
    return Diagram(
        nodes=tuple(nodes),
        edges=tuple(edges),
        total=total,
        focus=focus,
        isolates=isolated,
        stale_days=stale_days,
        columns=bands,
    )
