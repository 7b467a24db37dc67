"""Map front-end assets: Leaflet and friends from the XStatic packages, plus wiqnet's own.

Nothing is fetched from a CDN. The web app links the files (served from the package
folders); a standalone file inlines them so that it works from disk or as an e-mail.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from branca.element import Element, Figure

from ..errors import NotFound

# Asset folders by the package name used in URLs (/static/vendor/<package>/<file>).
PACKAGES: dict[str, Path] = {
    "leaflet": Path(xstatic.pkg.leaflet.BASE_DIR),
    "leaflet-markercluster": Path(xstatic.pkg.leaflet_markercluster.BASE_DIR),
    "jquery": Path(xstatic.pkg.jquery.BASE_DIR),
    "wiqnet": Path(str(files("wiqnet.maps").joinpath("static"))),
}


@dataclass(frozen=True, slots=True)
class Asset:
    """One script or stylesheet a map needs, by package and file name."""

    package: str
    filename: str

    @property
    def is_css(self) -> bool:
        """Return whether this is a stylesheet."""
        return self.filename.endswith(".css")


# In load order. jQuery stays because folium's own HTML popups use `$`.
ASSETS: tuple[Asset, ...] = (
    Asset("leaflet", "leaflet.css"),
    Asset("leaflet-markercluster", "MarkerCluster.css"),
    Asset("leaflet-markercluster", "MarkerCluster.Default.css"),
    Asset("wiqnet", "wiqmap.css"),
    Asset("leaflet", "leaflet.js"),
    Asset("jquery", "jquery.min.js"),
    Asset("leaflet-markercluster", "leaflet.markercluster.js"),
    Asset("wiqnet", "wiqmap.js"),
)

_SOURCE_MAP = re.compile(r"^\s*/[/*]# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((?!['\"]?(?:data:|#))['\"]?([^'\")]+)['\"]?\)")
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


MAX_NAME = 255  # longer asset names do not exist


def asset_path(package: str, filename: str) -> Path:
    """Return the file of a map asset; raise NotFound for anything outside the asset folders."""
    base = PACKAGES.get(package)
    if base is None:
        raise NotFound(f"no map asset package '{package}'")
    missing = NotFound(f"no map asset '{package}/{filename[:100]}'")
    if "\x00" in filename or len(filename) > MAX_NAME:
        raise missing
    try:
        target = (base / filename).resolve()
        if not target.is_relative_to(base.resolve()) or not target.is_file():
            raise missing
    except OSError:  # a name too long for the file system, a loop
        raise missing from None
    return target


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@cache
def inline_text(asset: Asset) -> str:
    """Return an asset's text ready to inline: no source maps, CSS images as data URIs."""
    path = asset_path(asset.package, asset.filename)
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    if asset.is_css:
        text = _CSS_URL.sub(lambda m: f"url({_data_uri(path.parent / m.group(1))})", text)
        return text.replace("</style", "<\\/style")
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def strip_default_assets(fmap: folium.Map) -> None:
    """Clear the CDN links of the map and of every element on it (per instance, not per class)."""
    pending: list[Element] = [fmap]
    while pending:
        element = pending.pop()
        if hasattr(element, "default_js"):
            setattr(element, "default_js", [])  # noqa: B010 - instance, not class
            setattr(element, "default_css", [])  # noqa: B010
        pending.extend(element._children.values())


def link_assets(fmap: folium.Map, url_for: Callable[[Asset], str]) -> None:
    """Make the map load its assets from URLs given by `url_for` (the web app's routes)."""
    strip_default_assets(fmap)
    fmap.default_js = [(f"{a.package}/{a.filename}", url_for(a)) for a in ASSETS if not a.is_css]
    fmap.default_css = [(f"{a.package}/{a.filename}", url_for(a)) for a in ASSETS if a.is_css]


def inline_assets(fmap: folium.Map) -> None:
    """Put every asset into the page itself, for a standalone file."""
    strip_default_assets(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    for position, asset in enumerate(ASSETS, start=1):
        tag = "style" if asset.is_css else "script"
        figure.header.add_child(
            Element(f"<{tag}>{inline_text(asset)}</{tag}>"),
            name=f"inline-{asset.package}-{asset.filename}",
            index=position,
        )
