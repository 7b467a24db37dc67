"""Interactive folium maps: the directory map, the search map, and how they are rendered.

Builders return a `folium.Map`; `standalone_html` turns it into one self-contained file,
`page_parts` into pieces for a web page that links the assets from the app.
The network overlay lives in wiqnet/maps/overlay.py, the assets in wiqnet/maps/assets.py.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import folium
from branca.element import Figure

from ..config import Settings
from ..datafile.store import atomic_write_bytes
from ..errors import UsageError
from ..geocoder import resolve_place, search_geocoder
from ..model import Directory, Institution, Location, Service
from ..needs import need_keys, need_label
from ..search import SearchRequest, search
from ..symbols import colour_index, glyph_html, need_bit
from .assets import Asset, inline_assets, link_assets
from .layers import (
    JsLayer,
    PageStyle,
    WiqMap,
    add_pin,
    add_quarters,
    legend_of,
    need_switch_label,
)
from .overlay import add_network_overlay
from .popups import PopupWriter, all_needs_of, text

TZ = ZoneInfo("Europe/Berlin")
_SLUG = re.compile(r"[a-z0-9-]+")
KREFELD = (51.3331, 6.5623)
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = (
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
)


@dataclass(frozen=True, slots=True)
class MapOptions:
    """How maps are drawn: tiles, WiQ's id, where place links point, language and moment."""

    tiles: str = DEFAULT_TILES
    attribution: str = DEFAULT_ATTRIBUTION
    home_id: str = "wiq"
    link_base: str = "/einrichtung/"
    lang: str = "de"
    now: datetime | None = None
    live: bool = True

    @classmethod
    def from_settings(
        cls, settings: Settings, standalone: bool = False, lang: str = "de"
    ) -> MapOptions:
        """Return options from wiqnet settings.

        Standalone maps link to PUBLIC_URL and leave out "jetzt geöffnet" (the file is read
        later); their popups show the weekly hours instead.
        """
        base = "/einrichtung/"
        if standalone:
            base = settings.public_url.rstrip("/") + "/einrichtung/"
        return cls(
            tiles=settings.tiles or "none",
            attribution=settings.tiles_attribution,
            home_id=settings.home_institution,
            link_base=base,
            lang=lang,
            live=not standalone,
        )

    @property
    def has_tiles(self) -> bool:
        """Return whether a tile server is configured (not 'none')."""
        return bool(self.tiles.strip()) and self.tiles.strip().lower() != "none"

    def writer(self) -> PopupWriter:
        """Return a popup writer for this language and moment (default: now in Krefeld)."""
        now = self.now or datetime.now(TZ).replace(tzinfo=None)
        return PopupWriter(lang=self.lang, now=now, live=self.live)


def check_need(need: str) -> str:
    """Return the need key, or raise UsageError naming the valid keys."""
    if need not in need_keys():
        raise UsageError(f"unknown need '{need}'; use one of: {', '.join(need_keys())}")
    return need


def base_map(options: MapOptions, bounds: Sequence[tuple[float, float]]) -> WiqMap:
    """Return an empty map over these (lat, lon) points, with tiles unless they are off."""
    south, north, west, east = _box(bounds)
    fmap = WiqMap(
        lang=options.lang,
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=14,
        tiles=None,
        maxZoom=19,
    )
    if options.has_tiles:
        folium.TileLayer(
            tiles=options.tiles.strip(),
            attr=options.attribution,
            max_zoom=19,
            name="Karte",
            control=False,
        ).add_to(fmap)
    fmap.add_child(PageStyle(plain=not options.has_tiles))
    fmap.fit_bounds([[south, west], [north, east]], padding=(20, 20), max_zoom=17)
    return fmap


def _box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    if not points:
        points = [KREFELD]
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return min(lats), max(lats), min(lons), max(lons)


def _place(
    inst: Institution,
    writer: PopupWriter,
    colour: int,
    mask: int,
    label: str = "",
    first: tuple[Service, ...] = (),
    numbers: tuple[int, ...] = (),
) -> list[Any]:
    assert inst.location is not None
    return [
        round(inst.location.lat, 6),
        round(inst.location.lon, 6),
        colour,
        mask,
        escape(label),
        escape(inst.name),
        inst.id if _SLUG.fullmatch(inst.id) else escape(quote(inst.id, safe="")),
        writer.info(inst, first, numbers),
    ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small lists.

    With a big directory in memory each collection walks millions of objects; building
    100,000 places otherwise spends most of its time there. Nothing built here has cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _mask(needs: Iterable[str]) -> int:
    mask = 0
    for need in needs:
        mask |= need_bit(need)
    return mask


def _places_config(
    places: list[list[Any]],
    options: MapOptions,
    writer: PopupWriter,
    cluster: bool,
    filter_by_need: bool,
) -> dict[str, Any]:
    return {
        "places": places,
        "cluster": cluster,
        "filter": filter_by_need,
        "link": escape(options.link_base),
        "more": escape(text("more", options.lang)),
        **writer.tables(),
    }


def _shown(directory: Directory) -> Iterable[Institution]:
    return (i for i in directory.institutions if i.location is not None and i.status != "inactive")


def directory_map(directory: Directory, options: MapOptions, need: str | None = None) -> WiqMap:
    """Return the map of every located institution: a switchable layer per need, clustered.

    With `need`, only institutions offering it are drawn (in that need's colour).
    WiQ's contact point is highlighted; the quarter outlines are labelled.
    """
    if need is not None:
        check_need(need)
    home = directory.institution(options.home_id)
    chosen = [
        i
        for i in _shown(directory)
        if i is not home and (need is None or any(need in s.needs for s in i.services))
    ]
    outline = [(lat, lon) for q in directory.quarters for lon, lat in q.polygon]
    located = [(i.location.lat, i.location.lon) for i in chosen if i.location is not None]
    fmap = base_map(options, outline or located)
    writer = options.writer()
    legend = legend_of(fmap)
    add_quarters(fmap, directory.quarters, options.lang)
    colours: dict[str, str | None] = {}
    places = []
    offered: set[str] = set()
    with _gc_paused():
        for inst in chosen:
            needs = all_needs_of(inst)
            offered.update(needs)
            colour = colours[inst.id] = need or inst.main_need
            places.append(_place(inst, writer, colour_index(colour), _mask(needs)))
    fmap.place_ids = {i.id for i in chosen} | ({home.id} if home and home.location else set())
    fmap.place_count = len(fmap.place_ids)
    layer = JsLayer(
        "places",
        _places_config(places, options, writer, cluster=True, filter_by_need=need is None),
        control=False,
    )
    fmap.add_child(layer)
    present = set(colours.values())
    if need is None:
        for key in need_keys():
            if key in offered:
                label = need_switch_label(key, need_label(key, options.lang))
                fmap.add_child(JsLayer("needLayer", {"bit": need_bit(key)}, name=label, ref=layer))
    for shown in [*need_keys(), None]:
        if shown in present:
            legend.add(
                glyph_html(shown),
                need_label(shown, options.lang) if shown else text("other", options.lang),
            )
    if home is not None and home.location is not None:
        add_home(fmap, home, options, writer)
    return fmap


def add_home(fmap: folium.Map, home: Institution, options: MapOptions, writer: PopupWriter) -> None:
    """Highlight WiQ's contact point with its own badge, popup and legend row."""
    assert home.location is not None
    popup = {
        "info": writer.info(home),
        "link": escape(options.link_base + quote(home.id, safe="")),
        "more": escape(text("more", options.lang)),
        **writer.tables(),
    }
    add_pin(fmap, (home.location.lat, home.location.lon), "WiQ", home.name, "wiq-home", popup)
    legend_of(fmap).add('<span class="wiq-home-key">WiQ</span>', text("home", options.lang))


def search_map(
    directory: Directory,
    results: Sequence[tuple[Institution, Service]],
    options: MapOptions,
    place: Location | None = None,
    place_label: str | None = None,
) -> WiqMap:
    """Return a map of search results numbered 1..N as in the list, and the searched place.

    Results without a location are left out (their numbers are kept). A place with
    several hits gets all its numbers, e.g. "1,3".
    """
    numbers: dict[str, list[int]] = {}
    hits: dict[str, list[Service]] = {}
    institutions: dict[str, Institution] = {}
    for n, (inst, service) in enumerate(results, start=1):
        if inst.location is None:
            continue
        institutions.setdefault(inst.id, inst)
        numbers.setdefault(inst.id, []).append(n)
        hits.setdefault(inst.id, []).append(service)
    points = [
        (i.location.lat, i.location.lon) for i in institutions.values() if i.location is not None
    ]
    if place is not None:
        points.append((place.lat, place.lon))
    outline = [(lat, lon) for q in directory.quarters for lon, lat in q.polygon]
    fmap = base_map(options, points or outline)
    writer = options.writer()
    add_quarters(fmap, directory.quarters, options.lang)
    places = []
    for inst_id, inst in institutions.items():
        nums = numbers[inst_id]
        label = ",".join(str(n) for n in nums[:2]) + ("…" if len(nums) > 2 else "")
        colour = colour_index(hits[inst_id][0].needs[0] if hits[inst_id][0].needs else None)
        places.append(
            _place(
                inst,
                writer,
                colour,
                _mask(all_needs_of(inst)),
                label,
                tuple(hits[inst_id]),
                tuple(nums),
            )
        )
    fmap.place_ids = set(institutions)
    fmap.place_count = len(places)
    fmap.add_child(
        JsLayer(
            "places",
            _places_config(places, options, writer, cluster=False, filter_by_need=False),
            control=False,
        )
    )
    legend = legend_of(fmap)
    legend.add(
        '<span class="wiq-m wiq-num wiq-c0 wiq-legend-num"><b>1</b></span>',
        text("result", options.lang) + " (1…N)",
    )
    if place is not None:
        add_pin(
            fmap,
            (place.lat, place.lon),
            "",
            place_label or text("here", options.lang),
            "wiq-here",
            above=False,
        )
        legend.add('<span class="wiq-here-key"></span>', text("here", options.lang))
    return fmap


def query_map(
    directory: Directory, request: SearchRequest, settings: Settings, options: MapOptions
) -> WiqMap:
    """Run a search and return the map of its results, with the searched place if given."""
    place = None
    if request.near and request.near.strip():
        place = resolve_place(request.near, search_geocoder(settings), directory)
    located = place
    response = search(
        directory,
        request,
        settings,
        lang=options.lang,
        locate=None if located is None else (lambda _text: located),
    )
    results = []
    for result in response.results:
        inst = directory.institution(result.institution_id)
        service = directory.service(result.service_id)
        if inst is not None and service is not None:
            results.append((inst, service))
    return search_map(directory, results, options, place, request.near)


def build_map(
    directory: Directory,
    settings: Settings,
    options: MapOptions,
    need: str | None = None,
    query: str | None = None,
    near: str | None = None,
    limit: int = 10,
    network: bool = False,
) -> WiqMap:
    """Return the directory map (or, with a query, the search map), optionally with links."""
    if near is not None and query is None:
        raise UsageError(
            "--near marks the searched place of a search; add --query, "
            "e.g. --query 'Kita' --near 47805"
        )
    if query is not None:
        fmap = query_map(
            directory,
            SearchRequest(query=query, need=need, near=near, limit=limit),
            settings,
            options,
        )
    else:
        fmap = directory_map(directory, options, need)
    if network:
        add_network_overlay(fmap, directory, lang=options.lang, only=fmap.place_ids)
    return fmap


def map_title(need: str | None = None, query: str | None = None, lang: str = "de") -> str:
    """Return the page title of a map, e.g. 'Karte: Kinderbetreuung – wiqnet'."""
    word = text("map", lang)
    if query:
        return f"{word}: {query} – wiqnet"
    if need:
        return f"{word}: {need_label(need, lang)} – wiqnet"
    return f"{word} – wiqnet"


def write_standalone(path: str | os.PathLike[str], fmap: folium.Map, title: str) -> int:
    """Write the map as a standalone HTML file (atomically); return its size in bytes."""
    content = standalone_html(fmap, title).encode("utf-8")
    atomic_write_bytes(path, content)
    return len(content)


def finish(fmap: folium.Map) -> None:
    """Add the layer switcher last (it must follow every layer in the page's script)."""
    if not any(isinstance(c, folium.LayerControl) for c in fmap._children.values()):
        fmap.add_child(folium.LayerControl(collapsed=True, position="topright"))


def _lang(fmap: folium.Map) -> str:
    return fmap.lang if isinstance(fmap, WiqMap) else "de"


def _document(fmap: folium.Map, title: str) -> tuple[str, str]:
    """Render the page; return its head (up to </head>, fixed up) and the rest."""
    finish(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.title = title
    with _gc_paused():
        html = figure.render()
    end = html.index("</head>")
    head = re.sub(
        r'<meta name="viewport"[^>]*>',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        html[:end],
        count=1,
    )
    return head.replace("<html>", f'<html lang="{escape(_lang(fmap))}">', 1), html[end:]


def standalone_html(fmap: folium.Map, title: str = "Karte – wiqnet") -> str:
    """Return the map as one HTML document with every script and style inlined (no CDN)."""
    inline_assets(fmap)
    head, rest = _document(fmap, escape(title))
    return head + rest


@dataclass(frozen=True, slots=True)
class MapParts:
    """A rendered map for a web page: head elements, the map's body and its script."""

    head: str
    body: str
    script: str


def page_parts(fmap: folium.Map, asset_url: Callable[[Asset], str], nonce: str) -> MapParts:
    """Return the map's head, body and script for a page; inline scripts carry the nonce."""
    link_assets(fmap, asset_url)
    head, rest = _document(fmap, "")
    head = head.partition("<head>")[2]
    head = re.sub(
        r"<title>.*?</title>|<meta [^>]*>|<style>\s*(?:html, body|#map) \{.*?</style>",
        "",
        head,
        flags=re.DOTALL,
    )
    body_start = rest.index("<body>") + len("<body>")
    body_end = rest.index("</body>", body_start)
    script_start = rest.index("<script>", body_end) + len("<script>")
    script_end = rest.rindex("</script>")
    tag = f'<script nonce="{escape(nonce)}"'
    return MapParts(
        head=re.sub(r"<script(?=[\s>])", tag, head),
        body=rest[body_start:body_end],
        script=f"{tag}>{rest[script_start:script_end]}</script>",
    )
