"""Geography: quarters by point-in-polygon, and places the directory knows without a geocoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiqnet.datafile.load import load_directory
from wiqnet.geo import fold_address, known_place, quarter_of
from wiqnet.model import Location


def test_quarters_are_computed_from_the_location(data_path: Path) -> None:
    directory = load_directory(data_path)
    assert directory.institution("kita-st-stephan").quarter == "stephanplatz"  # type: ignore[union-attr]
    assert directory.institution("jobcenter").quarter is None  # type: ignore[union-attr]
    assert quarter_of(None, directory.quarters) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fabrik Heeder", Location(51.322848, 6.5723)),
        ("fabrik heeder", Location(51.322848, 6.5723)),
        ("Virchowstr. 130a", Location(51.322848, 6.5723)),
        ("Virchowstraße 130a, 47805 Krefeld", Location(51.322848, 6.5723)),
        ("47799", Location(51.3200, 6.5700)),
        ("Fütingsweg 34, Krefeld", Location(51.3290, 6.5790)),
    ],
)
def test_known_places_need_no_geocoder(data_path: Path, text: str, expected: Location) -> None:
    assert known_place(text, load_directory(data_path)) == expected


def test_a_postcode_is_the_centre_of_its_places(data_path: Path) -> None:
    found = known_place("47805", load_directory(data_path))
    assert found is not None
    assert found.lat == pytest.approx((51.322848 * 2 + 51.3290) / 3)


@pytest.mark.parametrize("text", ["Ostwall 1", "41460", "Hilfetelefon Gewalt gegen Frauen"])
def test_unknown_places_are_left_to_the_geocoder(data_path: Path, text: str) -> None:
    assert known_place(text, load_directory(data_path)) is None


def test_fold_address_matches_spelling_variants() -> None:
    assert fold_address("Virchowstr. 130a") == fold_address("Virchow-Straße 130 a")


def test_the_fast_distances_agree_with_distance_m_within_a_city() -> None:
    import numpy as np

    from wiqnet.geo import distance_m, distances_m

    start = Location(51.3228, 6.5723)
    places = [Location(51.3350, 6.5550), Location(51.3100, 6.6100), Location(51.3228, 6.5723)]
    fast = distances_m(start, np.array([p.lat for p in places]), np.array([p.lon for p in places]))
    for place, metres in zip(places, fast, strict=True):
        assert metres == pytest.approx(distance_m(start, place), rel=0.005, abs=0.01)
