"""A printed Wegweiser: every service grouped by need, one numbered map per need, and an index.

Pages: cover (WiQ contact, emergency numbers, QR code), contents, one chapter per need (its map
with numbered places, then every place for the need: first those on the map, then those
farther away in Krefeld, then those reached by phone), and an alphabetical index. The page
numbers of contents and index come from a first print: Chromium lays the chapters out, the
pages are searched for each chapter's heading, and the booklet is printed again with them.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import NotFound
from ..model import Directory, Institution
from ..needs import all_needs, need_label
from ..printing import print_pdf
from .layout import (
    Layout,
    attribution_text,
    place_markers,
    quarter_outlines,
    scale_bar,
    templates,
)
from .qr import qr_svg
from .select import ALL, Entry, Selection, farther, make_entry, select
from .texts import EMERGENCY, direction, labels
from .tiles import TileCache, View, basemap, fit_view

BIG = 10_000  # no cap: the booklet lists every place


@dataclass(frozen=True, slots=True)
class Chapter:
    """One need: its number, label, the places on its map and the others."""

    number: int
    need: str
    label: str
    selection: Selection  # the places on the map, numbered 1..n
    others: tuple[Entry, ...]  # numbered on from n+1: farther away, then phone-only


@dataclass(frozen=True, slots=True)
class Booklet:
    """A printed booklet and what went into it."""

    content: bytes
    pages: int
    chapters: tuple[Chapter, ...]
    html: str


def _chapters(directory: Directory, home_id: str, lang: str) -> list[Chapter]:
    """Return a chapter for every need that has an active service."""
    chapters: list[Chapter] = []
    for key in all_needs():
        try:
            near = select(
                directory, needs=(key,), quarter=ALL, limit=BIG, home_id=home_id, lang=lang
            )
        except NotFound:
            near = None
        shown = {e.institution.id for e in near.entries} if near else set()
        rest = farther(directory, (key,), home_id, shown)
        if near is None and not rest:
            continue
        if near is None:
            near = replace(
                select(directory, needs=(), quarter=ALL, limit=1, home_id=home_id, lang=lang),
                entries=(),
                left_out=0,
            )
        start = len(near.entries) + 1
        others = tuple(make_entry(n, inst, (key,), lang) for n, inst in enumerate(rest, start))
        chapters.append(Chapter(len(chapters) + 1, key, need_label(key, lang), near, others))
    return chapters


def _view(chapters: list[Chapter], width_mm: float, height_mm: float) -> View:
    """Return one map view for every chapter: the quarters, WiQ and every mapped place."""
    points = [(lat, lon) for q in chapters[0].selection.quarters for lon, lat in q.polygon]
    points += [
        (e.institution.location.lat, e.institution.location.lon)
        for c in chapters
        for e in c.selection.entries
        if e.institution.location
    ]
    home = chapters[0].selection.home
    if home is not None and home.location is not None:
        points.append((home.location.lat, home.location.lon))
    return fit_view(points, width_mm, height_mm)


def _line(entry: Entry, need: str) -> dict[str, Any]:
    """Return one listed place: number, name, its services for the need, contact lines."""
    inst = entry.institution
    services = [s.name for s in inst.services if s.status == "active" and need in s.needs]
    return {
        "number": entry.number,
        "name": inst.name,
        "colour": entry.colour,
        "services": services,
        "phone": entry.phone,
        "hours": entry.hours,
        "address": inst.address.one_line() if inst.address else "",
    }


def _index(chapters: list[Chapter]) -> list[tuple[str, list[tuple[int, str, int]]]]:
    """Return every place by name with (chapter, need label, number) of each listing."""
    found: dict[str, tuple[Institution, list[tuple[int, str, int]]]] = {}
    for chapter in chapters:
        for entry in (*chapter.selection.entries, *chapter.others):
            inst = entry.institution
            found.setdefault(inst.id, (inst, []))[1].append(
                (chapter.number, chapter.label, entry.number)
            )
    return [
        (inst.name, refs)
        for inst, refs in sorted(found.values(), key=lambda item: sort_key(item[0].name))
    ]


def sort_key(name: str) -> str:
    """Return an index sort key: umlauts as their base letters, leading quotes ignored."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return plain.lstrip("\"'„“ ").casefold()


def _dates(chapters: list[Chapter]) -> tuple[str, str]:
    """Return the oldest and the newest check of every printed place (dd.mm.yyyy)."""
    dates = [
        d
        for c in chapters
        for e in (*c.selection.entries, *c.others)
        if (d := e.institution.confirmed)
    ]
    home = chapters[0].selection.home
    if home is not None and home.confirmed:
        dates.append(home.confirmed)
    if not dates:
        return "", ""
    return min(dates).strftime("%d.%m.%Y"), max(dates).strftime("%d.%m.%Y")


def render_booklet_html(
    chapters: list[Chapter], layout: Layout, view: View, image: bytes | None, pages: dict[int, int]
) -> str:
    """Return the booklet as one standalone HTML document (pages: chapter -> page number)."""
    paper, text = layout.paper, labels(layout.lang)
    radius = paper.marker_r
    maps = []
    for chapter in chapters:
        markers, home_marker = place_markers(chapter.selection, view, radius)
        maps.append({"markers": markers, "home": home_marker})
    bar_mm, bar_label = scale_bar(view, view.width_mm / 5)
    oldest, newest = _dates(chapters)
    stand = (
        (
            text["checked_on"].format(newest=newest)
            if oldest == newest
            else text["checked_range"].format(oldest=oldest, newest=newest)
        )
        if newest
        else ""
    )
    home = chapters[0].selection.home
    venue = chapters[0].selection.venue
    return (
        templates()
        .get_template("booklet.html")
        .render(
            t=text,
            lang=layout.lang,
            dir=direction(layout.lang),
            paper=paper,
            title=layout.title or text["booklet_title"],
            chapters=chapters,
            maps=maps,
            lines={
                c.number: [_line(e, c.need) for e in (*c.selection.entries, *c.others)]
                for c in chapters
            },
            on_map={c.number: len(c.selection.entries) for c in chapters},
            outlines=quarter_outlines(chapters[0].selection, view),
            view=view,
            image=(
                f"data:image/jpeg;base64,{base64.b64encode(image).decode('ascii')}"
                if image
                else None
            ),
            bar_mm=bar_mm,
            bar_label=bar_label,
            attribution=layout.attribution,
            home=home,
            venue=text["venue"].format(venue=venue) if venue else None,
            emergency=[(text[key], numbers) for key, numbers in EMERGENCY],
            stand=stand,
            qr=qr_svg(layout.public_url) if layout.public_url else None,
            public_url=layout.public_url,
            index=_index(chapters),
            pages=pages,
            quarters=[q.name for q in chapters[0].selection.quarters],
        )
    )


def _print(html: str, width_mm: float, height_mm: float, lang: str) -> bytes:
    """Print the booklet with page numbers in the footer."""
    footer = (
        '<div style="width:100%;font-size:8px;text-align:center;color:#444;'
        'font-family:Noto Sans,DejaVu Sans,sans-serif"><span class="pageNumber"></span>'
        "</div>"
    )
    return print_pdf(
        html,
        {
            "width": f"{width_mm}mm",
            "height": f"{height_mm}mm",
            "display_header_footer": True,
            "header_template": "<div></div>",
            "footer_template": footer,
            "margin": {"top": "10mm", "right": "0", "bottom": "12mm", "left": "0"},
        },
        what="the booklet",
    )


def chapter_pages(pdf: bytes, chapters: list[Chapter], first: int) -> dict[int, int]:
    """Return the page (1-based) on which each chapter's heading first appears from `first`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        texts = [
            " ".join(document[i].get_textpage().get_text_range().split())
            for i in range(len(document))
        ]
    finally:
        document.close()
    found: dict[int, int] = {}
    for chapter in chapters:
        heading = re.compile(rf"\b{chapter.number} · {re.escape(chapter.label)}")
        found[chapter.number] = next(
            (i + 1 for i in range(first - 1, len(texts)) if heading.search(texts[i])), 0
        )
    return found


def page_count(pdf: bytes) -> int:
    """Return the number of pages of a PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def make_booklet(
    directory: Directory, layout: Layout, settings: Settings, tile_template: str | None
) -> Booklet:
    """Build the booklet: chapters, one basemap for all maps, two prints for page numbers."""
    home_id = settings.home_institution
    chapters = _chapters(directory, home_id, layout.lang)
    if not chapters:
        raise NotFound("the directory has no active service to print")
    paper = layout.paper
    width = paper.width - 2 * paper.margin
    view = _view(chapters, width, paper.height * 0.45)
    image = None
    attribution = layout.attribution
    if tile_template is not None:
        cache_ = TileCache(tile_template, settings.user_agent, settings.cache_dir)
        image = basemap(view, cache_)
        attribution = attribution_text(settings.tiles_attribution)
        if not attribution:
            attribution = urlsplit(tile_template).netloc
    layout = replace(layout, attribution=attribution)
    draft = render_booklet_html(chapters, layout, view, image, {})
    pages = chapter_pages(_print(draft, paper.width, paper.height, layout.lang), chapters, 3)
    html = render_booklet_html(chapters, layout, view, image, pages)
    pdf = _print(html, paper.width, paper.height, layout.lang)
    return Booklet(pdf, page_count(pdf), tuple(chapters), html)
