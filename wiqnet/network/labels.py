"""Collision-free label placement for the network diagram, measured with the real font.

Text widths come from DejaVu Sans, the font the SVG names (the system's copy, else
matplotlib's), read with fontTools: the sum of the glyphs' advances, without kerning, so a
box is never narrower than what a browser draws. Labels are placed greedily, most important node first:
each tries a few spots around its node and takes the first that overlaps no placed label,
no node and no fixed text; a label that fits nowhere is left out (its node keeps a hover).
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CELL = 60.0
PAD = 1.5
LIMIT = 30

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Placed:
    """A label at its place: the text's anchor point (start, baseline) and its box."""

    id: str
    text: str
    x: float
    y: float
    box: Box


@cache
def _advances() -> tuple[dict[int, int], int, float]:
    """Return the font's advance per code point, the default advance and its units per em."""
    from fontTools.ttLib import TTFont

    path = SYSTEM_FONT
    if not path.exists():  # matplotlib ships the same font; find it without importing it
        spec = importlib.util.find_spec("matplotlib")
        assert spec is not None and spec.submodule_search_locations
        path = Path(spec.submodule_search_locations[0]) / "mpl-data/fonts/ttf/DejaVuSans.ttf"
    font = TTFont(str(path), lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return widths, metrics[".notdef"][0], float(font["head"].unitsPerEm)


@cache
def text_width(text: str, size: float) -> float:
    """Return the drawn width of a text in pixels at a font size (no kerning: never too narrow)."""
    widths, default, units = _advances()
    return sum(widths.get(ord(c), default) for c in text) * size / units


def shorten(name: str, limit: int = LIMIT) -> str:
    """Return the name cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,–-(") + "…"


def text_box(x: float, y: float, width: float, size: float) -> Box:
    """Return the box of a text drawn from (x, baseline y), with a little padding."""
    return (x - PAD, y - 0.95 * size - PAD, x + width + PAD, y + 0.27 * size + PAD)


class Obstacles:
    """Boxes in a grid of cells, for quick overlap tests."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        for i in range(int(box[0] // CELL), int(box[2] // CELL) + 1):
            for j in range(int(box[1] // CELL), int(box[3] // CELL) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        """Add a box."""
        for key in self._keys(box):
            self._cells[key].append(box)

    def hits(self, box: Box, ignore: Box | None = None) -> bool:
        """Return whether the box overlaps any added box (except `ignore`)."""
        for key in self._keys(box):
            for other in self._cells.get(key, ()):
                if other is ignore:
                    continue
                if (
                    box[0] < other[2]
                    and other[0] < box[2]
                    and box[1] < other[3]
                    and other[1] < box[3]
                ):
                    return True
        return False


def place(
    nodes: Iterable[tuple[str, str, float, float, float]],
    area: Box,
    size: float,
    fixed: Iterable[Box] = (),
) -> list[Placed]:
    """Place labels for (id, name, x, y, radius), in the given order, inside `area`.

    Every node's disc is an obstacle too, so a label never covers another node.
    """
    items = list(nodes)
    obstacles = Obstacles()
    for box in fixed:
        obstacles.add(box)
    discs = {}
    for node_id, _name, x, y, r in items:
        discs[node_id] = (x - r, y - r, x + r, y + r)
        obstacles.add(discs[node_id])
    placed = []
    for node_id, name, x, y, r in items:
        text = shorten(name)
        width = text_width(text, size)
        gap = r + 3
        spots = (
            (x + gap, y + 0.35 * size),
            (x - gap - width, y + 0.35 * size),
            (x - width / 2, y - gap - 0.3 * size),
            (x - width / 2, y + gap + 0.95 * size),
            (x + gap * 0.7, y - gap * 0.7 - 0.2 * size),
            (x - gap * 0.7 - width, y + gap * 0.7 + 0.9 * size),
        )
        for sx, sy in spots:
            box = text_box(sx, sy, width, size)
            if (
                box[0] < area[0]
                or box[1] < area[1]
                or box[2] > area[2]
                or box[3] > area[3]
                or obstacles.hits(box, discs[node_id])
            ):
                continue
            obstacles.add(box)
            placed.append(Placed(node_id, text, sx, sy, box))
            break
    return placed
