"""Lay a flyer out as one HTML page: map with a vector overlay, numbered legend, contact box, QR."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Location
from ..needs import need_label
from .paper import BLEED_MM, Paper
from .qr import qr_svg
from .select import Entry, Selection
from .texts import direction, labels
from .tiles import View, fit_view

NICE_METRES = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything the template needs besides the selection."""

    paper: Paper
    bleed: bool
    lang: str
    title: str | None
    public_url: str
    attribution: str | None


def map_width(paper: Paper) -> float:
    """Return the printed width of the map in mm."""
    return paper.width - 2 * paper.margin


def map_height(paper: Paper, entries: int) -> float:
    """Return the map's height in mm: taller when the legend leaves room."""
    free_rows = math.ceil(paper.legend_limit / 2) - math.ceil(entries / 2)
    return min(paper.map_max_height, paper.map_height + free_rows * paper.row_height)


def flyer_view(selection: Selection, paper: Paper) -> View:
    """Return the map view that shows the quarters, the home contact point and every entry."""
    points = [(e.institution.location.lat, e.institution.location.lon)
              for e in selection.entries if e.institution.location]
    points += [(lat, lon) for q in selection.quarters for lon, lat in q.polygon]
    home = selection.home.location if selection.home else None
    if home is not None:
        points.append((home.lat, home.lon))
    return fit_view(points, map_width(paper), map_height(paper, len(selection.entries)))


def _place(base: tuple[float, float], radius: float, taken: list[tuple[float, float, float]],
           bounds: tuple[float, float]) -> tuple[float, float]:
    """Return a spot near base where a marker of radius does not overlap the taken ones."""
    def free(x: float, y: float) -> bool:
        """Return whether a marker at (x, y) stays on the map and clear of the others."""
        inside = radius <= x <= bounds[0] - radius and radius <= y <= bounds[1] - radius
        return inside and all(math.hypot(x - tx, y - ty) >= radius + tr + 0.3
                              for tx, ty, tr in taken)

    if free(*base):
        return base
    for ring in range(1, 6):
        distance = ring * 2.2 * radius
        steps = 8 * ring
        for step in range(steps):
            angle = 2 * math.pi * step / steps - math.pi / 2
            spot = (base[0] + distance * math.cos(angle), base[1] + distance * math.sin(angle))
            if free(*spot):
                return spot
    return base


def _markers(selection: Selection, view: View, radius: float) -> tuple[list[dict[str, Any]],
                                                                        dict[str, Any] | None]:
    """Return the numbered markers (moved apart where they overlap) and the home marker."""
    bounds = (view.width_mm, view.height_mm)
    taken: list[tuple[float, float, float]] = []
    home = None
    if selection.home and selection.home.location:
        x, y = view.to_mm(selection.home.location.lat, selection.home.location.lon)
        home = {"x": x, "y": y, "w": 4.4 * radius, "h": 2.2 * radius}
        taken.append((x, y, 2.0 * radius))
    markers = []
    for entry in selection.entries:
        loc: Location | None = entry.institution.location
        if loc is None:
            continue
        base = view.to_mm(loc.lat, loc.lon)
        x, y = _place(base, radius, taken, bounds)
        taken.append((x, y, radius))
        markers.append({"n": entry.number, "x": x, "y": y, "bx": base[0], "by": base[1],
                        "moved": (x, y) != base, "colour": entry.colour})
    return markers, home


def _outlines(selection: Selection, view: View) -> list[dict[str, Any]]:
    """Return the quarter outlines as SVG point lists in mm, with a label position."""
    shapes = []
    for quarter in selection.quarters:
        pts = [view.to_mm(lat, lon) for lon, lat in quarter.polygon]
        shapes.append({
            "name": quarter.name, "approximate": quarter.approximate,
            "points": " ".join(f"{x:.2f},{y:.2f}" for x, y in pts),
            "lx": sum(p[0] for p in pts) / len(pts), "ly": min(p[1] for p in pts) + 4.0,
        })
    return shapes


def scale_bar(view: View, max_mm: float) -> tuple[float, str]:
    """Return the length in mm and the label of a round-numbered scale bar up to max_mm long."""
    per_mm = view.metres_per_mm()
    metres = max((m for m in NICE_METRES if m / per_mm <= max_mm), default=NICE_METRES[0])
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres} m"
    return metres / per_mm, label


class _AttributionText(HTMLParser):
    """Collect the text and the link targets of an HTML attribution."""

    def __init__(self) -> None:
        """Start with no text and no links."""
        super().__init__()
        self.text: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember link targets."""
        href = dict(attrs).get("href")
        if tag == "a" and href and href not in self.urls:
            self.urls.append(href)

    def handle_data(self, data: str) -> None:
        """Keep the visible text."""
        self.text.append(data)


def attribution_text(html_attribution: str) -> str:
    """Turn an HTML attribution into print text that spells out each link's URL."""
    parser = _AttributionText()
    parser.feed(html_attribution)
    text = " ".join("".join(parser.text).split())
    return ", ".join([text, *parser.urls]) if parser.urls else text


@cache
def _environment() -> Environment:
    """Return the Jinja2 environment of the flyer templates."""
    return Environment(loader=PackageLoader("wiqnet.flyer", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       trim_blocks=True, lstrip_blocks=True)


def short_address(selection: Selection, entry: Entry) -> str:
    """Return the address, as the street alone when it is in the home contact point's city."""
    address = entry.institution.address
    if address is None:
        return ""
    home = selection.home.address if selection.home else None
    return address.street if home is not None and home.city == address.city else address.one_line()


def render_html(selection: Selection, layout: Layout, view: View, basemap: bytes | None) -> str:
    """Return the flyer as a standalone HTML page (no external resources)."""
    paper, text = layout.paper, labels(layout.lang)
    bar_mm, bar_label = scale_bar(view, map_width(paper) / 5)
    markers, home_marker = _markers(selection, view, paper.marker_r)
    topics = [need_label(key, layout.lang) for key in selection.needs]
    entries = []
    for entry in selection.entries:
        entries.append({
            "number": entry.number, "name": entry.institution.name, "colour": entry.colour,
            "phone": entry.phone, "hours": entry.hours, "address": short_address(selection, entry),
        })
    image = (f"data:image/jpeg;base64,{base64.b64encode(basemap).decode('ascii')}"
             if basemap else None)
    return _environment().get_template("flyer.html").render(
        t=text, lang=layout.lang, dir=direction(layout.lang), paper=paper,
        bleed=BLEED_MM if layout.bleed else 0.0, title=layout.title or text["title"],
        topics=topics, entries=entries, left_out=selection.left_out, home=selection.home,
        home_hours=selection.home_hours, markers=markers, home_marker=home_marker,
        outlines=_outlines(selection, view), view=view, map_width=map_width(paper),
        image=image, bar_mm=bar_mm, bar_label=bar_label, attribution=layout.attribution,
        approximate=any(q.approximate for q in selection.quarters),
        qr=qr_svg(layout.public_url), public_url=layout.public_url,
        data_date=selection.data_date.strftime("%d.%m.%Y"),
        data_date_kind=text[selection.data_date_kind],
    )
