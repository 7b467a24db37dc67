"""One colour per need category, shared by the maps, the flyers and the network diagram.

The colours are the map symbols' (wiqnet/symbols.py), so an institution has the
same colour on the map, on a flyer and in the network diagram.
"""

from __future__ import annotations

from .symbols import OTHER, SYMBOLS

NEED_COLOURS: dict[str, str] = {key: colour for key, (colour, _glyph) in SYMBOLS.items()}
FALLBACK_COLOUR = OTHER[0]


def need_colour(need: str | None) -> str:
    """Return the colour of a need key, grey for none or an unknown key."""
    return NEED_COLOURS.get(need or "", FALLBACK_COLOUR)
