"""Map symbols: a fixed colour and glyph per need, line styles per link kind.

The glyphs are wiqnet's own simple SVG paths (24×24, white on the need's colour), put
into the page's CSS as data: URIs, so a marker is one plain element with a class.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from .needs import need_keys

# need key -> SVG shapes of its glyph, drawn white on the need's colour (SYMBOLS below).
GLYPHS: dict[str, str] = {
    "sozialberatung": '<path d="M4 4h16v11H10l-5 4.5V15H4z"/>',
    "arbeit": '<path fill-rule="evenodd" d="M9 4h6v3h5v12H4V7h5zm2 1.5V7h2V5.5z"/>',
    "aemter": ('<path fill-rule="evenodd" d="M6 3h8l4 4v14H6zm2 7v1.5h8V10zm0 3v1.5h8V13z'
               'm0 3v1.5h6V16z"/>'),
    "finanzen": '<path d="M5 16h14v3H5zm0-4h14v3H5zm0-4h14v3H5zm2-4h10v3H7z"/>',
    "erziehung": ('<circle cx="8" cy="5.5" r="2.5"/><path d="M5 9h6v7H9.5v5h-3v-5H5z"/>'
                  '<circle cx="16.5" cy="11" r="2"/><path d="M14 14h5v4h-1v3h-3v-3h-1z"/>'),
    "partnerschaft": '<path d="M12 21 4.3 13.3a4.8 4.8 0 0 1 7.7-6.1 4.8 4.8 0 0 1 7.7 6.1z"/>',
    "kinderbetreuung": '<path d="M4 14h7v7H4zm9 0h7v7h-7zM8.5 5h7v7h-7z"/>',
    "schule": ('<path d="M3 5c3 0 6 .5 8.3 2v13C9 18.5 6 18 3 18zm18 0c-3 0-6 .5-8.3 2'
               'v13c2.3-1.5 5.3-2 8.3-2z"/>'),
    "sprache": '<path fill-rule="evenodd" d="M10.5 4h3l6 16h-3l-1.5-4h-6L7.5 20h-3zm1.5 4-2 5.5h4z"/>',
    "migration": ('<path fill-rule="evenodd" d="M3 12a9 9 0 1 0 18 0 9 9 0 1 0-18 0z'
                  'm2 0a7 7 0 1 1 14 0 7 7 0 1 1-14 0z"/><path d="M11 4h2v16h-2zM4 11h16v2H4z"/>'),
    "gesundheit": '<path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6z"/>',
    "wohnen": '<path d="M12 3l9 8h-3v9h-4.5v-6h-3v6H6v-9H3z"/>',
    "freizeit": ('<path d="M12 2l2.9 6.3 6.9.7-5.2 4.6 1.5 6.8L12 17l-6.1 3.4 1.5-6.8L2.2 9'
                 'l6.9-.7z"/>'),
    "schutz": '<path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z"/>',
    "behinderung": ('<circle cx="12" cy="4" r="2"/><path d="M11 7.5h2V12h5v2h-7z"/>'
                    '<path fill="none" stroke-width="2" d="M9 11.5a5 5 0 1 0 6.5 6"/>'),
    "senioren": '<path d="M6 3h12v2l-4.5 7 4.5 7v2H6v-2l4.5-7L6 5z"/>',
    "grundversorgung": ('<path fill-rule="evenodd" d="M5 8h14l-1.5 13h-11zM9 8V6a3 3 0 0 1 6 0'
                        'v2h-1.5V6a1.5 1.5 0 0 0-3 0v2z"/>'),
}
# need key -> (colour, glyph); white glyphs on these colours keep a contrast >= 3:1.
# wiqnet/palette.py reads the colours from here for flyers and the network diagram.
SYMBOLS: dict[str, tuple[str, str]] = {
    "sozialberatung": ("#1f5fa8", GLYPHS["sozialberatung"]),
    "arbeit": ("#0d6e72", GLYPHS["arbeit"]),
    "aemter": ("#51646e", GLYPHS["aemter"]),
    "finanzen": ("#2e7d32", GLYPHS["finanzen"]),
    "erziehung": ("#b0175a", GLYPHS["erziehung"]),
    "partnerschaft": ("#c43c3c", GLYPHS["partnerschaft"]),
    "kinderbetreuung": ("#c24400", GLYPHS["kinderbetreuung"]),
    "schule": ("#6f52a0", GLYPHS["schule"]),
    "sprache": ("#7d4f24", GLYPHS["sprache"]),
    "migration": ("#283593", GLYPHS["migration"]),
    "gesundheit": ("#b71c1c", GLYPHS["gesundheit"]),
    "wohnen": ("#866500", GLYPHS["wohnen"]),
    "freizeit": ("#4f7f2a", GLYPHS["freizeit"]),
    "schutz": ("#4a148c", GLYPHS["schutz"]),
    "behinderung": ("#00727d", GLYPHS["behinderung"]),
    "senioren": ("#37474f", GLYPHS["senioren"]),
    "grundversorgung": ("#9a5200", GLYPHS["grundversorgung"]),
}
OTHER = ("#555555", '<circle cx="12" cy="12" r="5"/>')

# link kind -> (colour, German label, English label)
LINK_STYLES: dict[str, tuple[str, str, str]] = {
    "kooperation": ("#1f5fa8", "Kooperation", "Cooperation"),
    "netzwerk": ("#6f52a0", "Netzwerk", "Network"),
    "sprechstunde_vor_ort": ("#2e7d32", "Sprechstunde vor Ort", "Consultation on site"),
    "vermittlung": ("#c24400", "Vermittlung", "Referral"),
    "traegerschaft": ("#37474f", "Trägerschaft", "Operated by"),
    "gemeinsames_angebot": ("#00695c", "Gemeinsames Angebot", "Joint offer"),
    "auftrag": ("#ad1457", "Auftrag oder Förderung", "Commissioned or funded"),
    "mitglied": ("#5d4037", "Mitglied im Netzwerk", "Network member"),
    "veranstaltung": ("#6a1b9a", "Teilnahme an Veranstaltung", "Takes part in event"),
    "gleicher_standort": ("#7d7d7d", "gleicher Standort", "same site"),
    "gleicher_traeger": ("#9a7b00", "gleicher Träger", "same operator"),
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
    return SYMBOLS.get(key or "", OTHER)


def _data_uri(glyph: str) -> str:
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="white" '
           f'stroke="white" stroke-width="0">{glyph}</svg>')
    return "data:image/svg+xml," + quote(svg, safe=" =/:,.-")


@cache
def palette_css() -> str:
    """Return the CSS that gives each colour index its colour and white glyph (as data: URI)."""
    keys: list[str | None] = [*need_keys(), None]
    return "".join(
        f'.wiq-c{i}{{background:{_symbol(key)[0]} url("{_data_uri(_symbol(key)[1])}") '
        f"center/64% no-repeat}}" for i, key in enumerate(keys)
    )


def glyph_html(need: str | None) -> str:
    """Return a small legend marker for a need: its colour and its glyph."""
    return f'<span class="wiq-m wiq-c{colour_index(need)}"></span>'
