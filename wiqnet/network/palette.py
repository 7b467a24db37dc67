"""The network diagram's colour-blind-safe colours and shapes per need category.

The maps and flyers use the needs' colours (needs.yaml), chosen for white glyphs.
The network diagram needs categories told apart at a glance, also by colour-blind readers:
it takes matplotlib's "petroff10" sequence (ten colours chosen for colour-vision
deficiencies, Petroff 2021) and, where the ten colours run out, a second shape.
"""

from __future__ import annotations

from functools import cache

from ..needs import need_keys

DIAGRAM_SEQUENCE = "petroff10"
DIAGRAM_SHAPES = ("circle", "square", "triangle", "diamond")
DIAGRAM_FALLBACK = ("#ffffff", "circle")  # no service: a white circle with a dark ring


@cache
def _diagram_colours() -> tuple[str, ...]:
    """Return the diagram's colour sequence as hex strings."""
    from matplotlib import color_sequences
    from matplotlib.colors import to_hex

    return tuple(to_hex(c) for c in color_sequences[DIAGRAM_SEQUENCE])


def diagram_style(need: str | None) -> tuple[str, str]:
    """Return (colour, shape) of a need in the network diagram: distinct per need."""
    keys = need_keys()
    if need not in keys:
        return DIAGRAM_FALLBACK
    colours = _diagram_colours()
    index = keys.index(need)
    return colours[index % len(colours)], DIAGRAM_SHAPES[index // len(colours) % 4]
