"""Draw the network diagram: SVG (own writer, clickable nodes) and PNG (matplotlib).

Both share one plan: node shapes (colour and shape per main need), link styles per kind,
columns by placement, and collision-free labels (labels.py).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from html import escape
from typing import Any

from babel.dates import format_date

from ..model import LINK_KINDS
from ..needs import need_keys, need_label
from ..symbols import LINK_COLOURS, LINK_DASHES
from ..text import NETWORK, language_of, wording
from ..text import link_kind_label as kind_label
from .labels import Box, Placed, place, text_box, text_width
from .layout import Diagram, DiagramEdge, DiagramNode
from .palette import diagram_style

SIZE = 1000.0
MARGIN = 40.0
TOP = 70.0
LEGEND_WIDTH = 300.0
FONT = 12.0
BOLD = 1.14  # DejaVu Sans Bold runs about 13 % wider than the regular face labels.py measures
LINK_COLOUR = "#444444"
STALE_OPACITY = 0.3


@dataclass(frozen=True)
class Plan:
    """Everything both drawings share: positions, labels and the column headings."""

    xy: dict[str, tuple[float, float]]
    labels: list[Placed]
    headings: list[tuple[str, float]]


def _xy(node: DiagramNode) -> tuple[float, float]:
    """Return a node's position in diagram units (y grows downwards)."""
    return (MARGIN + node.x * (SIZE - 2 * MARGIN), TOP + (1.0 - node.y) * (SIZE - TOP - MARGIN))


def plan(diagram: Diagram, lang: str = "de") -> Plan:
    """Return positions, column headings and collision-free labels, most important first."""
    texts = wording(NETWORK, lang)
    xy = {n.id: _xy(n) for n in diagram.nodes}
    headings: list[tuple[str, float]] = []
    fixed: list[Box] = []
    end = 4.0  # where the previous heading ends: narrow columns push a heading right
    for where, left, width in diagram.columns:
        count = sum(1 for n in diagram.nodes if n.placement == where)
        text = f"{texts[where]} ({count})"
        wide = text_width(text, 14) * BOLD
        x = max(end, MARGIN + (left + width / 2) * (SIZE - 2 * MARGIN) - wide / 2)
        headings.append((text, x))
        fixed.append(text_box(x, 30, wide, 14))
        end = x + wide + 12
    fixed.append(text_box(MARGIN, SIZE - 12, SIZE - 2 * MARGIN, FONT))  # the bottom note
    order = sorted(diagram.nodes, key=lambda n: (n.id != diagram.focus, -n.degree, n.name))
    labels = place(
        ((n.id, n.name, *xy[n.id], n.radius) for n in order),
        (0.0, 40.0, SIZE, SIZE - 28),
        FONT,
        fixed,
    )
    return Plan(xy, labels, headings)


def _shape(shape: str, x: float, y: float, r: float, attrs: str) -> str:
    """Return an SVG element for a node shape."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {attrs}>'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {attrs}>'
    corners = {"triangle": 3, "diamond": 4, "hexagon": 6, "star": 10}[shape]
    points = []
    for i in range(corners):
        angle = -math.pi / 2 + 2 * math.pi * i / corners
        radius = r * 1.15 if shape != "star" or i % 2 == 0 else r * 0.5
        points.append(f"{x + radius * math.cos(angle):.1f},{y + radius * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}" {attrs}>'


def _end(shape: str) -> str:
    """Return the closing tag of a shape element."""
    return {"circle": "</circle>", "square": "</rect>"}.get(shape, "</polygon>")


def edge_note(edge: DiagramEdge, lang: str) -> str:
    """Return "nicht bestätigt seit …" for a stale link, else ""."""
    if not edge.stale:
        return ""
    texts = wording(NETWORK, lang)
    if edge.confirmed is None:
        return texts["never"]
    day = format_date(edge.confirmed, format="medium", locale=language_of(NETWORK, lang))
    return texts["not_since"].format(date=day)


def _stroke(kind: str) -> str:
    """Return the stroke attributes of a link kind."""
    colour = LINK_COLOURS.get(kind, LINK_COLOUR)
    dash = LINK_DASHES.get(kind, "")
    width = 2.4 if kind == "traegerschaft" else 1.6
    return f'stroke="{colour}" stroke-width="{width}"' + (
        f' stroke-dasharray="{dash}"' if dash else ""
    )


def to_svg(
    diagram: Diagram,
    *,
    href: str | None = "/einrichtung/{id}",
    lang: str = "de",
    title: str | None = None,
) -> str:
    """Return the diagram as a standalone SVG document; each node links to `href`."""
    texts = wording(NETWORK, lang)
    layout = plan(diagram, lang)
    xy = layout.xy
    width = SIZE + LEGEND_WIDTH
    by_id = {n.id: n for n in diagram.nodes}
    kinds = sorted({e.kind for e in diagram.edges}, key=lambda k: (k not in LINK_KINDS, k))
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {SIZE:.0f}" '
            f'role="img" aria-labelledby="netz-title" class="network-diagram" '
            f'font-family="DejaVu Sans, sans-serif" font-size="{FONT:.0f}">'
        ),
        f'<title id="netz-title">{escape(title or texts["title"])}</title><defs>',
        *(
            f'<marker id="netz-arrow-{k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{LINK_COLOURS.get(k, LINK_COLOUR)}"/></marker>'
            for k in kinds
            if LINK_KINDS.get(k)
        ),
        f'</defs><rect width="{width:.0f}" height="{SIZE:.0f}" fill="#ffffff"/>',
        '<g class="columns">',
    ]
    for index, (_where, left, band) in enumerate(diagram.columns):
        if index % 2 == 0:
            x = MARGIN + left * (SIZE - 2 * MARGIN) - (MARGIN if index == 0 else 0)
            w = band * (SIZE - 2 * MARGIN) + (MARGIN if index == 0 else 0)
            out.append(
                f'<rect x="{x:.1f}" y="8" width="{w:.1f}" height="{SIZE - 40:.0f}" fill="#f3f3f3"/>'
            )
    for text, x in layout.headings:
        out.append(
            f'<text x="{x:.1f}" y="30" font-size="14" font-weight="bold" '
            f'fill="#333333">{escape(text)}</text>'
        )
    out.append('</g><g class="edges">')
    for edge in diagram.edges:
        a, b = by_id[edge.a], by_id[edge.b]
        (x1, y1), (x2, y2) = xy[a.id], xy[b.id]
        if edge.directed:
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            x2 -= (x2 - x1) * (b.radius + 3) / length
            y2 -= (y2 - y1) * (b.radius + 3) / length
        note = edge_note(edge, lang)
        fade = f' opacity="{STALE_OPACITY}"' if edge.stale else ""
        arrow = f' marker-end="url(#netz-arrow-{edge.kind})"' if edge.directed else ""
        joint = " → " if edge.directed else " – "
        stale = ' data-stale="1"' if edge.stale else ""
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'{_stroke(edge.kind)}{fade}{arrow} data-kind="{escape(edge.kind)}" '
            f'data-a="{escape(a.id)}" data-b="{escape(b.id)}"'
            f"{stale}><title>{escape(a.name)}{joint}"
            f"{escape(b.name)}: {escape(kind_label(edge.kind, lang))}"
            f"{escape('; ' + note) if note else ''}</title></line>"
        )
    out.append('</g><g class="nodes">')
    for node in diagram.nodes:
        x, y = xy[node.id]
        ring = (
            'stroke="#000000" stroke-width="3"'
            if node.id == diagram.focus
            else 'stroke="#222222" stroke-width="1"'
        )
        shape = (
            _shape(node.shape, x, y, node.radius, f'fill="{node.colour}" {ring}')
            + f"<title>{escape(node.name)}</title>{_end(node.shape)}"
        )
        attrs = (
            f'data-id="{escape(node.id)}" data-need="{escape(node.main_need)}" '
            f'data-placement="{node.placement}" data-degree="{node.degree}"'
        )
        if href:
            out.append(f'<a href="{escape(href.format(id=node.id))}" {attrs}>{shape}</a>')
        else:
            out.append(f"<g {attrs}>{shape}</g>")
    out.append('</g><g class="labels">')
    for label in layout.labels:
        out.append(
            f'<text x="{label.x:.1f}" y="{label.y:.1f}" fill="#111111" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke" data-for="{escape(label.id)}">'
            f"<title>{escape(by_id[label.id].name)}</title>{escape(label.text)}</text>"
        )
    out.append("</g>")
    out.extend(_svg_legend(diagram, kinds, texts, lang))
    out.append("</svg>")
    return "\n".join(out)


def _legend_needs(diagram: Diagram) -> list[str]:
    """Return the main needs of the drawn organisations, in contract order."""
    present = {n.main_need for n in diagram.nodes if n.kind == "organization"}
    ordered = [k for k in need_keys() if k in present]
    return ordered + ([""] if "" in present else [])


def _svg_legend(diagram: Diagram, kinds: list[str], texts: dict[str, str], lang: str) -> list[str]:
    """Return the SVG elements of the legend: link kinds, needs, node kinds, notes."""
    x = SIZE + 10
    y = MARGIN
    out = [
        '<g class="legend">',
        f'<text x="{x:.0f}" y="{y:.0f}" font-weight="bold">{escape(texts["kinds"])}</text>',
    ]
    for kind in kinds:
        y += 20
        arrow = f' marker-end="url(#netz-arrow-{kind})"' if LINK_KINDS.get(kind) else ""
        out.append(
            f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 30:.0f}" y2="{y - 4:.0f}" '
            f'{_stroke(kind)}{arrow}/><text x="{x + 38:.0f}" y="{y:.0f}">'
            f"{escape(kind_label(kind, lang))}</text>"
        )
    if any(e.stale for e in diagram.edges):
        y += 20
        out.append(
            f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 30:.0f}" y2="{y - 4:.0f}" '
            f'stroke="{LINK_COLOUR}" stroke-width="1.6" opacity="{STALE_OPACITY}"/>'
            f'<text x="{x + 38:.0f}" y="{y:.0f}" font-size="11">'
            f"{escape(texts['stale'].format(days=diagram.stale_days))}</text>"
        )
    y += 34
    out.append(f'<text x="{x:.0f}" y="{y:.0f}" font-weight="bold">{escape(texts["needs"])}</text>')
    for need in _legend_needs(diagram):
        y += 20
        colour, shape = diagram_style(need)
        label = need_label(need, lang) if need else texts["none"]
        out.append(
            _shape(shape, x + 15, y - 4, 6, f'fill="{colour}" stroke="#222222"')
            + _end(shape)
            + f'<text x="{x + 38:.0f}" y="{y:.0f}">{escape(label)}</text>'
        )
    for kind, shape in (("network", "hexagon"), ("event", "star")):
        if any(n.kind == kind for n in diagram.nodes):
            y += 20
            out.append(
                _shape(shape, x + 15, y - 4, 6, 'fill="#ffffff" stroke="#222222"')
                + _end(shape)
                + f'<text x="{x + 38:.0f}" y="{y:.0f}">'
                f"{escape(texts[kind])}</text>"
            )
    y += 26
    out.append(f'<text x="{x:.0f}" y="{y:.0f}">{escape(texts["size"])}</text>')
    notes = []
    if len(diagram.nodes) < diagram.total:
        notes.append(texts["shown"].format(shown=len(diagram.nodes), total=diagram.total))
    if diagram.isolates:
        notes.append(texts["isolates"].format(n=diagram.isolates))
    if notes:
        out.append(
            f'<text x="{MARGIN:.0f}" y="{SIZE - 12:.0f}" fill="#333333">'
            f"{escape(' · '.join(notes))}</text>"
        )
    out.append("</g>")
    return out


MARKERS = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "hexagon": "h",
    "star": "*",
}


def _png_style(kind: str) -> dict[str, object]:
    """Return matplotlib's line arguments of a link kind: colour, width and dash (symbols.py)."""
    dash = LINK_DASHES.get(kind, "")
    return {
        "color": LINK_COLOURS.get(kind, LINK_COLOUR),
        "linewidth": 2.0 if kind == "traegerschaft" else 1.2,
        "linestyle": (0, tuple(float(d) for d in dash.split())) if dash else "solid",
    }


def png_legend(diagram: Diagram, lang: str = "de") -> list[Any]:
    """Return the PNG legend's entries: link kinds (colour and dash), needs, node kinds, stale."""
    from matplotlib.lines import Line2D

    texts = wording(NETWORK, lang)
    kinds = sorted({e.kind for e in diagram.edges}, key=lambda k: (k not in LINK_KINDS, k))
    handles: list[Any] = [
        Line2D([], [], label=kind_label(k, lang), **_png_style(k))  # type: ignore[arg-type]
        for k in kinds
    ]
    if any(e.stale for e in diagram.edges):
        handles.append(
            Line2D(
                [],
                [],
                color=LINK_COLOUR,
                linewidth=1.2,
                alpha=STALE_OPACITY,
                label=texts["stale"].format(days=diagram.stale_days),
            )
        )
    for need in _legend_needs(diagram):
        colour, shape = diagram_style(need)
        handles.append(
            Line2D(
                [],
                [],
                marker=MARKERS[shape],
                linestyle="",
                markersize=8,
                color=colour,
                markeredgecolor="#222222",
                label=need_label(need, lang) if need else texts["none"],
            )
        )
    for kind, shape in (("network", "hexagon"), ("event", "star")):
        if any(n.kind == kind for n in diagram.nodes):
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=MARKERS[shape],
                    linestyle="",
                    markersize=9,
                    color="#ffffff",
                    markeredgecolor="#222222",
                    label=texts[kind],
                )
            )
    return handles


def to_png(diagram: Diagram, *, lang: str = "de", dpi: int = 100) -> bytes:
    """Return the diagram as a PNG image (matplotlib, no display needed)."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    layout = plan(diagram, lang)
    fig = Figure(figsize=((SIZE + LEGEND_WIDTH) / 100, SIZE / 100), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, SIZE / (SIZE + LEGEND_WIDTH), 1.0))
    ax.set_xlim(0, SIZE)
    ax.set_ylim(SIZE, 0)
    ax.set_axis_off()
    scale = 72.0 / 100  # diagram units are 1/100 inch: points per unit
    groups: dict[tuple[str, bool], list[list[tuple[float, float]]]] = {}
    for edge in diagram.edges:  # one collection per kind and freshness: fast for many links
        groups.setdefault((edge.kind, edge.stale), []).append(
            [layout.xy[edge.a], layout.xy[edge.b]]
        )
    for (kind, stale), segments in sorted(groups.items()):
        style = _png_style(kind)
        ax.add_collection(
            LineCollection(
                segments,
                colors=style["color"],
                linewidths=style["linewidth"],
                linestyles=style["linestyle"],
                alpha=STALE_OPACITY if stale else 1.0,
                zorder=1,
            )
        )
    by_shape: dict[str, list[DiagramNode]] = {}
    for node in diagram.nodes:
        by_shape.setdefault(node.shape, []).append(node)
    for shape, nodes in by_shape.items():
        ax.scatter(
            [layout.xy[n.id][0] for n in nodes],
            [layout.xy[n.id][1] for n in nodes],
            s=[(n.radius * 2 * scale) ** 2 for n in nodes],
            marker=MARKERS[shape],
            c=[n.colour for n in nodes],
            edgecolors="#222222",
            linewidths=0.6,
            zorder=2,
        )
    for label in layout.labels:
        ax.text(label.x, label.y, label.text, fontsize=FONT * scale, family="DejaVu Sans", zorder=3)
    for text, x in layout.headings:
        ax.text(x, 30, text, fontsize=14 * scale, weight="bold", zorder=3)
    fig.legend(
        handles=png_legend(diagram, lang),
        loc="upper right",
        frameon=False,
        fontsize=8,
        handlelength=4.0,  # long enough to show each dash pattern
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
