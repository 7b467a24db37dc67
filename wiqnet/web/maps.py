"""Map pages: the directory map, the search-result map (for an iframe), the network map.

Map assets (Leaflet, marker cluster, jQuery, wiqnet's map script) are served from the
installed XStatic packages under /static/vendor/<package>/<file>; nothing is copied.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..errors import NotFound
from ..maps import (
    Asset,
    MapOptions,
    MapParts,
    WiqMap,
    add_network_overlay,
    asset_path,
    directory_map,
    page_parts,
    query_map,
)
from ..model import Derived
from ..needs import need_keys
from . import display
from .i18n import ui_language
from .search import search_request
from .security import allow_inline_map
from .state import cached, current_directory, current_settings

bp = Blueprint("maps", __name__)
NONCE = "__wiqnet_map_nonce__"
CACHE_SIZE = 16


def _asset_url(asset: Asset) -> str:
    return url_for("maps.vendor", package=asset.package, filename=asset.filename)


def _options() -> MapOptions:
    base = url_for("pages.institution", inst_id="ID").removesuffix("ID")
    settings = current_settings()
    return MapOptions(
        tiles=settings.tiles or "none",
        attribution=settings.tiles_attribution,
        home_id=settings.home_institution,
        link_base=base,
        lang=ui_language(),
        now=display.local_now(),
    )


def _parts(variant: tuple[object, ...], build: Callable[[MapOptions], WiqMap]) -> MapParts:
    """Return the rendered map with this request's nonce; cached per data, variant and minute."""
    options = _options()
    key = (
        variant,
        options.lang,
        options.now.replace(second=0, microsecond=0) if options.now else None,
    )
    parts: MapParts = cached("maps.parts", lambda _d: Derived(CACHE_SIZE)).get(
        key, lambda: page_parts(build(options), _asset_url, NONCE)
    )
    placeholder, nonce = f'nonce="{NONCE}"', f'nonce="{allow_inline_map()}"'
    return MapParts(
        head=parts.head.replace(placeholder, nonce),
        body=parts.body,
        script=parts.script.replace(placeholder, nonce),
    )


@bp.get("/karte")
def directory_page() -> str:
    """Show the map of every place, one switchable layer per need (?need= narrows it)."""
    need = request.args.get("need") or None
    if need is not None and need not in need_keys():
        raise NotFound(_("Dieses Anliegen gibt es nicht: %(key)s", key=need))
    directory = current_directory()
    parts = _parts(("directory", need), lambda o: directory_map(directory, o, need))
    return render_template("maps/page.html", parts=parts, need=need, needs=need_keys())


@bp.get("/karte/suche")
def search_frame() -> str:
    """Show the results of a search (same parameters as /suche) numbered as in the list."""
    directory = current_directory()
    search = search_request()
    parts = _parts(
        ("search", search), lambda o: query_map(directory, search, current_settings(), o)
    )
    return render_template("maps/frame.html", parts=parts, title=_("Karte der Suchergebnisse"))


@bp.get("/karte/netzwerk")
def network_frame() -> str:
    """Show the map of every place with the cooperation links drawn as lines."""
    directory = current_directory()

    def build(options: MapOptions) -> WiqMap:
        fmap = directory_map(directory, options)
        add_network_overlay(fmap, directory, lang=options.lang)
        return fmap

    parts = _parts(("network",), build)
    return render_template("maps/frame.html", parts=parts, title=_("Karte mit Kooperationen"))


@bp.get("/static/vendor/<package>/<path:filename>")
def vendor(package: str, filename: str) -> Response:
    """Serve a map asset from its installed package (XStatic) or from wiqnet/maps/static."""
    return send_file(asset_path(package, filename), max_age=86400)
