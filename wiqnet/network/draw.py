"""Draw the network diagram: SVG (own writer, clickable nodes) and PNG (matplotlib)."""

from __future__ import annotations

import io
import math
from html import escape

from ..needs import FALLBACK_COLOUR, need_colour, need_keys, need_label
from ..text import NETWORK, wording
from .layout import Diagram, DiagramNode

SIZE = 1000.0
MARGIN = 40.0
LEGEND_WIDTH = 260.0
LINK_COLOUR = "#555555"
DERIVED_COLOUR = "#9e9e9e"
LABELS = 12
def _xy(node: DiagramNode) -> tuple[float, float]:
    """Return a node's position in diagram units (y grows downwards)."""
    inner = SIZE - 2 * MARGIN
    return MARGIN + node.x * inner, MARGIN + (1.0 - node.y) * inner


def _labelled(diagram: Diagram, count: int) -> set[str]:
    """Return the ids of the nodes that get a name label."""
    if len(diagram.nodes) <= count * 2:
        return {n.id for n in diagram.nodes}
    ranked = sorted(diagram.nodes, key=lambda n: (-n.degree, n.id))
    chosen = {n.id for n in ranked[:count]}
    if diagram.focus:
        chosen.add(diagram.focus)
    return chosen


def _legend_needs(diagram: Diagram) -> list[str]:
    """Return the main needs in the diagram, in contract order."""
    present = {n.main_need for n in diagram.nodes}
    ordered = [k for k in need_keys() if k in present]
    return ordered + ([""] if "" in present else [])


def to_svg(diagram: Diagram, *, href: str | None = "/einrichtung/{id}", lang: str = "de",
           labels: int = LABELS, title: str | None = None) -> str:
    """Return the diagram as a standalone SVG document; each node links to `href`."""
    texts = wording(NETWORK, lang)
    width = SIZE + LEGEND_WIDTH
    by_id = {n.id: n for n in diagram.nodes}
    heading = title or texts["title"]
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {SIZE:.0f}" '
        f'role="img" aria-labelledby="netz-title" class="network-diagram" '
        f'font-family="DejaVu Sans, sans-serif" font-size="13">'),
        f'<title id="netz-title">{escape(heading)}</title>',
        ('<defs><marker id="netz-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{LINK_COLOUR}"/></marker></defs>'),
        f'<rect width="{width:.0f}" height="{SIZE:.0f}" fill="#ffffff"/>',
        '<g class="edges">',
    ]
    for edge in diagram.edges:
        a, b = by_id[edge.a], by_id[edge.b]
        (x1, y1), (x2, y2) = _xy(a), _xy(b)
        if edge.directed:
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            x2 -= (x2 - x1) * (b.radius + 2) / length
            y2 -= (y2 - y1) * (b.radius + 2) / length
        style = (f'stroke="{DERIVED_COLOUR}" stroke-width="1" stroke-dasharray="6 4"'
                 if edge.derived else f'stroke="{LINK_COLOUR}" stroke-width="1.6"')
        arrow = ' marker-end="url(#netz-arrow)"' if edge.directed else ""
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {style}'
                   f'{arrow} data-kind="{escape(edge.kind)}"><title>{escape(a.name)} – '
                   f'{escape(b.name)}: {escape(edge.kind)}</title></line>')
    out.append('</g><g class="nodes">')
    shown = _labelled(diagram, labels)
    for node in diagram.nodes:
        x, y = _xy(node)
        ring = ' stroke="#000000" stroke-width="3"' if node.id == diagram.focus else (
            ' stroke="#ffffff" stroke-width="1.5"')
        circle = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node.radius:.1f}" '
                  f'fill="{node.colour}"{ring}><title>{escape(node.name)}</title></circle>')
        text = ""
        if node.id in shown:
            text = (f'<text x="{x + node.radius + 3:.1f}" y="{y + 4:.1f}" fill="#111111" '
                    f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                    f'{escape(_short(node.name))}</text>')
        if href:
            link = escape(href.format(id=node.id))
            out.append(f'<a href="{link}" data-id="{escape(node.id)}">{circle}{text}</a>')
        else:
            out.append(f'<g data-id="{escape(node.id)}">{circle}{text}</g>')
    out.append("</g>")
    out.extend(_svg_legend(diagram, texts, lang))
    out.append("</svg>")
    return "\n".join(out)


def _short(name: str, limit: int = 32) -> str:
    """Return the name shortened to `limit` characters."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _svg_legend(diagram: Diagram, texts: dict[str, str], lang: str) -> list[str]:
    """Return the SVG elements of the legend."""
    x = SIZE + 10
    y = MARGIN
    out = ['<g class="legend">']
    out.append(f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x + 30:.0f}" y2="{y:.0f}" '
               f'stroke="{LINK_COLOUR}" stroke-width="1.6"/>'
               f'<text x="{x + 38:.0f}" y="{y + 4:.0f}">{escape(texts["link"])}</text>')
    y += 22
    out.append(f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x + 30:.0f}" y2="{y:.0f}" '
               f'stroke="{DERIVED_COLOUR}" stroke-dasharray="6 4"/>'
               f'<text x="{x + 38:.0f}" y="{y + 4:.0f}">{escape(texts["derived"])}</text>')
    y += 22
    out.append(f'<text x="{x:.0f}" y="{y + 4:.0f}">{escape(texts["size"])}</text>')
    for need in _legend_needs(diagram):
        y += 22
        label = need_label(need, lang) if need else texts["none"]
        out.append(f'<circle cx="{x + 15:.0f}" cy="{y:.0f}" r="7" fill="{need_colour(need)}"/>'
                   f'<text x="{x + 38:.0f}" y="{y + 4:.0f}">{escape(label)}</text>')
    if len(diagram.nodes) < diagram.total:
        note = texts["shown"].format(shown=len(diagram.nodes), total=diagram.total)
        out.append(f'<text x="{MARGIN:.0f}" y="{SIZE - 12:.0f}" fill="#333333">'
                   f'{escape(note)}</text>')
    out.append("</g>")
    return out


def to_png(diagram: Diagram, *, lang: str = "de", dpi: int = 100, labels: int = LABELS) -> bytes:
    """Return the diagram as a PNG image (matplotlib, no display needed)."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    texts = wording(NETWORK, lang)
    fig = Figure(figsize=(12.6, 10), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1000 / 1260, 1.0))
    ax.set_xlim(0, SIZE)
    ax.set_ylim(SIZE, 0)
    ax.set_axis_off()
    by_id = {n.id: n for n in diagram.nodes}
    for derived in (True, False):
        segments = [(_xy(by_id[e.a]), _xy(by_id[e.b])) for e in diagram.edges
                    if e.derived is derived]
        if segments:
            ax.add_collection(LineCollection(
                segments, colors=DERIVED_COLOUR if derived else LINK_COLOUR,
                linewidths=0.8 if derived else 1.2,
                linestyles="dashed" if derived else "solid", zorder=1))
    if diagram.nodes:
        points = [_xy(n) for n in diagram.nodes]
        scale = 72.0 / dpi * fig.get_size_inches()[1] * dpi / SIZE
        ax.scatter([p[0] for p in points], [p[1] for p in points],
                   s=[(n.radius * 2 * scale) ** 2 for n in diagram.nodes],
                   c=[n.colour for n in diagram.nodes], edgecolors="white", linewidths=0.8,
                   zorder=2)
    for node in diagram.nodes:
        if node.id in _labelled(diagram, labels):
            x, y = _xy(node)
            ax.text(x + node.radius + 3, y, _short(node.name), fontsize=8, va="center", zorder=3)
    handles = [Line2D([], [], color=LINK_COLOUR, label=texts["link"]),
               Line2D([], [], color=DERIVED_COLOUR, linestyle="--", label=texts["derived"])]
    handles += [Line2D([], [], marker="o", linestyle="", markersize=8,
                       color=need_colour(k) if k else FALLBACK_COLOUR,
                       label=need_label(k, lang) if k else texts["none"])
                for k in _legend_needs(diagram)]
    fig.legend(handles=handles, loc="upper right", frameon=False, fontsize=9)
    if len(diagram.nodes) < diagram.total:
        fig.text(0.01, 0.01, texts["shown"].format(shown=len(diagram.nodes),
                                                    total=diagram.total), fontsize=9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
