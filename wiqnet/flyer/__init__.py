"""Print-ready flyers: a map of the quarter with numbered places, legend, WiQ contact and QR code.

Pipeline: select places -> fit the map view -> basemap from cached tiles (or none offline) ->
HTML with a vector SVG overlay -> PDF from Chromium -> optionally PNG (300 dpi) or SVG.
"""

# The names are imported on first use (lazy_loader); __init__.pyi lists them for
# readers and type checkers, so the CLI starts without jinja2, Pillow or segno.
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
