"""The network overlay: cooperation links as lines between institutions, styled by kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

import folium
import networkx as nx

from ..model import LINK_KINDS, Directory, Institution
from ..network.graph import build_graph
from ..symbols import LINK_COLOURS
from ..text import link_kind_label
from .layers import JsLayer, WiqMap, legend_of

# Derived edges of one kind beyond this many are left off the map (a big operator would
# otherwise draw tens of thousands of lines); recorded cooperation links are always drawn.
MAX_DERIVED_LINES = 2000


@dataclass(frozen=True, slots=True)
class MapLink:
    """One line to draw: two institutions, the kind, and whether it was derived."""

    a: Institution
    b: Institution
    kind: str
    derived: bool
    note: str


def map_links(directory: Directory, graph: nx.MultiDiGraph | None = None) -> list[MapLink]:
    """Return the drawable links valid today: both ends located apart, each pair once."""
    graph = build_graph(directory, on=date.today()) if graph is None else graph
    seen: set[tuple[str, str, str]] = set()
    links: list[MapLink] = []
    for u, v, data in graph.edges(data=True):
        kind = str(data.get("kind", ""))
        directed = LINK_KINDS.get(kind, False) and not data.get("derived")
        key = (u, v, kind) if directed else (min(u, v), max(u, v), kind)
        if key in seen:
            continue
        seen.add(key)
        a, b = directory.institution(u), directory.institution(v)
        if a is None or b is None or a.location is None or b.location is None:
            continue
        if (a.location.lat, a.location.lon) == (b.location.lat, b.location.lon):
            continue
        links.append(MapLink(a, b, kind, bool(data.get("derived")), str(data.get("note") or "")))
    return links


def add_network_overlay(fmap: folium.Map, directory: Directory,
                        graph: nx.MultiDiGraph | None = None, lang: str = "de",
                        include_derived: bool = True, only: set[str] | None = None) -> None:
    """Draw the links of `graph` (default: the directory's graph) as one layer per kind.

    Recorded links are solid, derived ones (same site, same operator) dashed and switched
    off at first; directed kinds say "A → B" in their tooltip. Each kind gets a legend row.
    With `only`, just the links between these institutions (e.g. those on the map).
    """
    by_kind: dict[str, list[MapLink]] = {}
    for link in map_links(directory, graph):
        if (include_derived or not link.derived) and (
                only is None or (link.a.id in only and link.b.id in only)):
            by_kind.setdefault(link.kind, []).append(link)
    for kind in sorted(by_kind, key=lambda k: (k not in LINK_KINDS, k)):
        links = by_kind[kind]
        derived = links[0].derived
        if derived and len(links) > MAX_DERIVED_LINES:
            continue
        colour = LINK_COLOURS.get(kind, "#555555")
        label = link_kind_label(kind, lang)
        arrow = " → " if LINK_KINDS.get(kind, False) and not derived else " – "
        rows = [[round(x.a.location.lat, 6), round(x.a.location.lon, 6),
                 round(x.b.location.lat, 6), round(x.b.location.lon, 6),
                 f"<b>{escape(label)}</b><br>{escape(x.a.name)}{arrow}{escape(x.b.name)}"
                 + (f"<br>{escape(x.note)}" if x.note else "")]
                for x in links if x.a.location is not None and x.b.location is not None]
        dash = ' stroke-dasharray="4 3"' if derived else ""
        key = (f'<svg class="wiq-line-key" viewBox="0 0 24 6" aria-hidden="true"><line x1="0" '
               f'y1="3" x2="24" y2="3" stroke="{colour}" stroke-width="{2 if derived else 3}"'
               f"{dash}/></svg>")
        if isinstance(fmap, WiqMap):
            fmap.link_count += len(rows)
        fmap.add_child(JsLayer("links", {"links": rows, "color": colour, "derived": derived},
                               name=f"{key} {escape(label)}", show=not derived))
        legend_of(fmap).add(key, label)
