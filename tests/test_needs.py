"""Contract: needs.yaml gives every need its labels, colour and glyph; every link kind a style."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from wiqnet.model import DERIVED_KINDS, LINK_KINDS
from wiqnet.needs import FALLBACK_COLOUR, LANGUAGES, all_needs, need_colour, need_label
from wiqnet.symbols import LINK_COLOURS, palette_css
from wiqnet.text import LANGUAGES as TEXT_LANGUAGES
from wiqnet.text import LINK_KINDS as KIND_LABELS

HEX = re.compile(r"^#[0-9a-f]{6}$")


def _luminance(colour: str) -> float:
    """Return the relative luminance of a #rrggbb colour (WCAG)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("key", list(all_needs()))
def test_every_need_has_labels_a_colour_and_a_glyph(key: str) -> None:
    need = all_needs()[key]
    assert all(need.label(lang).strip() for lang in LANGUAGES)
    assert len({need.label(lang) for lang in LANGUAGES}) > 1  # really translated
    assert HEX.match(need.colour) and need.colour != FALLBACK_COLOUR
    assert 1.05 / (_luminance(need.colour) + 0.05) >= 3.0  # white glyph stays readable
    shapes = ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{need.glyph}</svg>')
    assert len(shapes) >= 1


def test_needs_have_distinct_colours() -> None:
    colours = [n.colour for n in all_needs().values()]
    assert len(set(colours)) == len(colours)


def test_a_need_reads_in_every_language_and_unknown_ones_fall_back() -> None:
    assert need_label("finanzen", "tr") == "Para ve borçlar"
    assert need_label("finanzen", "fr") == "Geld und Schulden"
    assert need_label("gibtsnicht") == "gibtsnicht"
    assert need_colour("gibtsnicht") == need_colour(None) == FALLBACK_COLOUR


def test_the_map_palette_has_a_class_per_need_and_one_for_none() -> None:
    css = palette_css()
    assert css.count(".wiq-c") == len(all_needs()) + 1


@pytest.mark.parametrize("kind", [*LINK_KINDS, *DERIVED_KINDS])
def test_every_link_kind_has_a_style_and_labels(kind: str) -> None:
    assert HEX.match(LINK_COLOURS[kind])
    assert KIND_LABELS[kind]["de"].strip() and KIND_LABELS[kind]["en"].strip()
    assert set(KIND_LABELS[kind]) <= set(TEXT_LANGUAGES)
