"""Paper sizes and output formats of a flyer: plain data, cheap to import for the CLI's options."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}

BLEED_MM = 3.0


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper size and the flyer's proportions on it (all in mm)."""

    width: float
    height: float
    margin: float
    map_height: float
    map_max_height: float
    row_height: float
    legend_limit: int
    scale: float
    marker_r: float


PAPERS = {
    "A4": Paper(210, 297, 11, 104, 150, 7.0, 24, 1.0, 2.3),
    "A5": Paper(148, 210, 8, 74, 105, 5.5, 10, 0.76, 1.9),
}
