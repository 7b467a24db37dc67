"""Map symbols: the CSS of each need's colour and glyph (from needs.yaml), link kind styles.

The glyphs are wiqnet's own simple SVG paths (24×24, white on the need's colour), put
into the page's CSS as data: URIs, so a marker is one plain element with a class.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from .needs import FALLBACK_COLOUR, FALLBACK_GLYPH, all_needs, need_keys

# The colour and glyph of each need come from needs.yaml (needs.Need.colour, .glyph).
OTHER = (FALLBACK_COLOUR, FALLBACK_GLYPH)

# link kind -> line colour; their labels are in text.LINK_KINDS.
LINK_COLOURS: dict[str, str] = {
    "kooperation": "#1f5fa8",
    "netzwerk": "#6f52a0",
    "sprechstunde_vor_ort": "#2e7d32",
    "vermittlung": "#c24400",
    "traegerschaft": "#37474f",
    "gemeinsames_angebot": "#00695c",
    "auftrag": "#ad1457",
    "mitglied": "#5d4037",
    "veranstaltung": "#6a1b9a",
    "gleicher_standort": "#7d7d7d",
    "gleicher_traeger": "#9a7b00",
}
# link kind -> dash pattern, SVG stroke-dasharray in diagram units ("" solid). With
# LINK_COLOURS the one style table of the link kinds: SVG, PNG and the browser view use it.
LINK_DASHES: dict[str, str] = {
    "kooperation": "",
    "netzwerk": "9 3",
    "sprechstunde_vor_ort": "2 3",
    "vermittlung": "10 3 2 3",
    "traegerschaft": "",
    "gemeinsames_angebot": "5 5",
    "auftrag": "1 2",
    "mitglied": "6 2 1 2",
    "veranstaltung": "3 3",
}


@cache
def _positions() -> dict[str, int]:
    return {key: i for i, key in enumerate(need_keys())}


def colour_index(need: str | None) -> int:
    """Return the palette index of a need (the last index for an unknown or missing need)."""
    positions = _positions()
    return positions.get(need or "", len(positions))


def need_bit(need: str) -> int:
    """Return the bit of a need in a place's need mask (0 for an unknown key)."""
    position = _positions().get(need)
    return 0 if position is None else 1 << position


def _symbol(key: str | None) -> tuple[str, str]:
    need = all_needs().get(key or "")
    return (need.colour, need.glyph) if need else OTHER


def _data_uri(glyph: str) -> str:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="white" '
        f'stroke="white" stroke-width="0">{glyph}</svg>'
    )
    return "data:image/svg+xml," + quote(svg, safe=" =/:,.-")


@cache
def palette_css() -> str:
    """Return the CSS that gives each colour index its colour and white glyph (as data: URI)."""
    keys: list[str | None] = [*need_keys(), None]
    return "".join(
        f'.wiq-c{i}{{background:{_symbol(key)[0]} url("{_data_uri(_symbol(key)[1])}") '
        f"center/64% no-repeat}}"
        for i, key in enumerate(keys)
    )


def glyph_html(need: str | None) -> str:
    """Return a small legend marker for a need: its colour and its glyph."""
    return f'<span class="wiq-m wiq-c{colour_index(need)}"></span>'
