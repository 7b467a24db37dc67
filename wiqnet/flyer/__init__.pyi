"""Print-ready flyers: a map of the quarter with numbered places, legend, WiQ contact and QR code.

Pipeline: select places -> fit the map view -> basemap from cached tiles (or none offline) ->
HTML with a vector SVG overlay -> PDF from Chromium -> optionally PNG (300 dpi) or SVG.
"""

from .booklet import Booklet
from .make import (
    Flyer,
    FlyerOptions,
    basemap_image,
    make_flyer,
    print_booklet,
    tile_template,
)
from .paper import FORMATS, PAPERS
from .public import PublicUrlError, check_public_url
from .qr import qr_svg
from .select import ALL
from .texts import LANGS

__all__ = [
    "ALL",
    "FORMATS",
    "LANGS",
    "PAPERS",
    "Booklet",
    "Flyer",
    "FlyerOptions",
    "PublicUrlError",
    "basemap_image",
    "check_public_url",
    "make_flyer",
    "print_booklet",
    "qr_svg",
    "tile_template",
]
