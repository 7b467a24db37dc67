"""Print-ready flyers: a map of the quarter with numbered places, legend, WiQ contact and QR code.

Pipeline: select places -> fit the map view -> basemap from cached tiles (or none offline) ->
HTML with a vector SVG overlay -> PDF from Chromium -> optionally PNG (300 dpi) or SVG.
"""

from .make import Flyer, FlyerOptions, make_flyer
from .paper import FORMATS, PAPERS
from .select import ALL
from .texts import LANGS

__all__ = ["ALL", "FORMATS", "LANGS", "PAPERS", "Flyer", "FlyerOptions", "make_flyer"]
