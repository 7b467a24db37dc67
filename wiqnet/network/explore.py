"""The data of the interactive network view: the drawn nodes and links as plain JSON values."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..model import Directory
from ..needs import need_label
from ..symbols import LINK_COLOURS, LINK_DASHES
from ..text import NETWORK, wording
from ..text import link_kind_label as kind_label
from .draw import LINK_COLOUR, SIZE, plan
from .layout import Diagram
from .overview import Overview


def explore_data(
    directory: Directory, drawn: Diagram, view: Overview, lang: str = "de"
) -> dict[str, Any]:
    """Return nodes (position, style, degree, broker score, services) and links for the page."""
    layout = plan(drawn, lang)
    texts = wording(NETWORK, lang)
    nodes = []
    for node in drawn.nodes:
        inst = directory.institution(node.id)
        services = [s.name for s in inst.services if s.status == "active"] if inst else []
        score = view.centrality.get(node.id)
        x, y = layout.xy[node.id]
        nodes.append(
            {
                "id": node.id,
                "name": node.name,
                "x": round(x, 1),
                "y": round(y, 1),
                "size": round(node.radius * 2, 1),
                "colour": node.colour,
                "shape": node.shape,
                "need": node.main_need,
                "needLabel": need_label(node.main_need, lang) if node.main_need else texts["none"],
                "placement": node.placement,
                "placementLabel": texts[node.placement],
                "degree": node.degree,
                "broker": round(score.betweenness, 4) if score else 0.0,
                "services": services[:8],
                "kind": node.kind,
            }
        )
    edges = [
        {
            "id": f"e{i}",
            "source": e.a,
            "target": e.b,
            "kind": e.kind,
            "kindLabel": kind_label(e.kind, lang),
            "directed": e.directed,
            "stale": e.stale,
            "colour": LINK_COLOURS.get(e.kind, LINK_COLOUR),
            "line": "dotted"
            if LINK_DASHES.get(e.kind, "").startswith(("1 ", "2 "))
            else "dashed"
            if LINK_DASHES.get(e.kind)
            else "solid",
            "confirmed": e.confirmed.isoformat() if e.confirmed else "",
        }
        for i, e in enumerate(drawn.edges)
    ]
    return {
        "size": SIZE,
        "nodes": nodes,
        "edges": edges,
        "on": (view.on or date.today()).isoformat(),
    }
