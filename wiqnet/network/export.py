"""Export the cooperation network: GraphML, GEXF, node-link JSON, CSV edges, SVG and PNG."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from xml.etree import ElementTree

import networkx as nx

from ..errors import UsageError
from ..model import LINK_KINDS, Directory, sources_text
from .analysis import full_graph
from .draw import to_png, to_svg
from .formats import FORMATS
from .layout import diagram

CSV_COLUMNS = ("from", "to", "kind", "directed", "derived", "since", "until", "note", "sources")


def export_graph(directory: Directory, on: date | None = None) -> nx.MultiDiGraph:
    """Return the network for export: one edge per recorded link and one per derived pair.

    Recorded links keep their direction as written (from → to) and say in `directed`
    whether their kind has one. Attributes are strings, numbers and booleans only
    (GraphML and GEXF have no lists): `needs` is joined with ';', a missing location
    leaves out `lat` and `lon`.
    """
    graph = nx.MultiDiGraph()
    full = full_graph(directory, on)
    for node, attrs in full.nodes(data=True):
        plain = {
            "label": attrs["name"],
            "name": attrs["name"],
            "operator": attrs["operator"],
            "quarter": attrs["quarter"],
            "status": attrs["status"],
            "main_need": attrs["main_need"],
            "needs": ";".join(attrs["needs"]),
        }
        if attrs.get("lat") is not None:
            plain.update(lat=float(attrs["lat"]), lon=float(attrs["lon"]))
        graph.add_node(node, **plain)
    for link in directory.links:
        if on is not None and not link.active_on(on):
            continue
        graph.add_edge(
            link.source_id,
            link.target_id,
            key=link.kind,
            kind=link.kind,
            directed=LINK_KINDS.get(link.kind, False),
            derived=False,
            since=link.since.isoformat() if link.since else "",
            until=link.until.isoformat() if link.until else "",
            note=link.note or "",
            sources=sources_text(link.sources),
        )
    for a, b, kind, derived in full.edges(keys=True, data="derived"):
        if derived and a < b:
            graph.add_edge(
                a,
                b,
                key=kind,
                kind=kind,
                directed=False,
                derived=True,
                since="",
                until="",
                note="",
                sources="",
            )
    return graph


GRAPHML = "http://graphml.graphdrawing.org/xmlns"
GEXF_12 = "http://www.gexf.net/1.2draft"
GEXF_13 = "http://gexf.net/1.3"


def _numbered(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy whose edge keys are unique ids e0, e1, ... (the kind stays an attribute)."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    for number, (u, v, data) in enumerate(graph.edges(data=True)):
        out.add_edge(u, v, key=f"e{number}", **data)
    return out


def _graphml(graph: nx.MultiDiGraph) -> bytes:
    """Return the graph as GraphML bytes: unique edge ids, undirected links marked so."""
    buffer = io.BytesIO()
    nx.write_graphml(_numbered(graph), buffer, encoding="utf-8")
    ElementTree.register_namespace("", GRAPHML)
    ElementTree.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ElementTree.fromstring(buffer.getvalue())
    key = next(
        k.get("id")
        for k in root.iter(f"{{{GRAPHML}}}key")
        if k.get("attr.name") == "directed" and k.get("for") == "edge"
    )
    for edge in root.iter(f"{{{GRAPHML}}}edge"):
        flag = edge.find(f"{{{GRAPHML}}}data[@key='{key}']")
        if flag is not None and (flag.text or "").lower() == "false":
            edge.set("directed", "false")
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _gexf(graph: nx.MultiDiGraph) -> bytes:
    """Return the graph as GEXF 1.3 bytes (as Gephi reads it); `directed` tells each link's kind.

    Edges carry no per-edge type: networkx (and other readers) refuse undirected edges in
    a directed graph, so the `directed` attribute says it instead.
    """
    buffer = io.BytesIO()
    nx.write_gexf(_numbered(graph), buffer, encoding="utf-8", version="1.2draft")
    text = buffer.getvalue().decode("utf-8").replace(GEXF_12, GEXF_13)
    ElementTree.register_namespace("", GEXF_13)
    ElementTree.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ElementTree.fromstring(text)
    root.set("version", "1.3")
    root.set(
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", f"{GEXF_13} {GEXF_13}/gexf.xsd"
    )
    for element in root.iter(f"{{{GEXF_13}}}graph"):
        if not element.get("name"):
            element.attrib.pop("name", None)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def _node_link(graph: nx.MultiDiGraph) -> bytes:
    """Return the graph as node-link JSON bytes."""
    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv(graph: nx.MultiDiGraph) -> bytes:
    """Return the edges as CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u, v, data in graph.edges(data=True):
        writer.writerow(
            [
                u,
                v,
                data["kind"],
                str(data["directed"]).lower(),
                str(data["derived"]).lower(),
                data["since"],
                data["until"],
                data["note"],
                data["sources"],
            ]
        )
    return buffer.getvalue().encode("utf-8")


def export_network(
    directory: Directory,
    fmt: str,
    *,
    on: date | None = None,
    href: str | None = "/einrichtung/{id}",
    lang: str = "de",
    cache_dir: str | os.PathLike[str] | None = None,
) -> bytes:
    """Return the network (or its diagram) in one of FORMATS as bytes."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if fmt in ("svg", "png"):
        drawing = diagram(directory, on, cache_dir=cache_dir)
        if fmt == "svg":
            return to_svg(drawing, href=href, lang=lang).encode("utf-8")
        return to_png(drawing, lang=lang)
    writer = {"graphml": _graphml, "gexf": _gexf, "json": _node_link, "csv": _csv}[fmt]
    return writer(export_graph(directory, on))
