"""The offline street index: Krefeld streets, house numbers and postcodes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.datafile.load import load_directory
from wiqnet.model import Location
from wiqnet.search.streets import SOURCE, _packaged, build_streets, split_street, streets_for


def feature(street: str, postcode: Any, lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"title": "x", "street": street, "zip": postcode,
                                              "lat": lat, "lng": lon},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def test_build_from_open_data_files(tmp_path: Path) -> None:
    (tmp_path / "schools.json").write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature("Westwall  10", 47798, 51.330, 6.560),
        feature("Westwall 30", "47798", 51.332, 6.560),
        feature("Dießemer Str. 5a", "47805", 51.320, 6.580),
        feature("Albrechtplatz", 47805, 51.329, 6.570),
    ]}), encoding="utf-8")
    (tmp_path / "menu.json").write_text("[]", encoding="utf-8")
    data = build_streets(tmp_path)
    assert data["source"] == SOURCE
    assert data["streets"]["Westwall"] == [[10, 51.33, 6.56], [30, 51.332, 6.56]]
    assert data["streets"]["Albrechtplatz"] == [[-1, 51.329, 6.57]]
    assert data["postcodes"]["47805"] == [51.3245, 6.575]


def test_the_packaged_index_names_its_source() -> None:
    packaged = _packaged()
    assert "krefeld-open-data" in packaged["source"] and "2017" in packaged["source"]
    assert len(packaged["streets"]) > 300


@pytest.mark.parametrize(("text", "read"), [
    ("Virchowstraße 130a", "Virchowstraße 130"),
    ("virchowstr. 130", "Virchowstraße 130"),
    ("Virchowstrasse 130, 47805 Krefeld", "Virchowstraße 130"),
    ("Dießemer Straße", "Dießemer Straße"),
    ("diessemer str 20", "Dießemer Straße 20"),
    ("47805", "47805"),
])
def test_typed_addresses_are_found(small_data: dict[str, Any],
                                   directory_yaml: Callable[..., Path], text: str,
                                   read: str) -> None:
    streets = streets_for(load_directory(directory_yaml(small_data)))
    found = streets.locate(text)
    assert found is not None
    assert found[1] == read and not found[2]


def test_house_numbers_between_known_ones_are_interpolated(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    streets = streets_for(load_directory(directory_yaml(small_data)))
    points = streets.streets["westwall"]
    low, high = points[0], points[-1]
    middle = (low[0] + high[0]) // 2
    found = streets.locate(f"Westwall {middle}")
    assert found is not None
    point = found[0]
    assert min(low[1], high[1]) <= point.lat <= max(low[1], high[1])


def test_a_misspelt_street_is_guessed_and_unknown_places_are_none(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    streets = streets_for(load_directory(directory_yaml(small_data)))
    guessed = streets.locate("Wesstwall 12")
    assert guessed is not None and guessed[1:] == ("Westwall 12", True)
    assert streets.locate("Mondstraße 99") is None
    assert streets.locate("12345") is None


def test_the_directorys_own_addresses_count(small_data: dict[str, Any],
                                            directory_yaml: Callable[..., Path]) -> None:
    streets = streets_for(load_directory(directory_yaml(small_data)))
    found = streets.locate("Virchowstraße 130a")
    assert found is not None and found[0] == Location(51.322848, 6.5723)


@given(st.text(max_size=60))
def test_split_street_never_fails(text: str) -> None:
    key, number = split_street(text)
    assert key == "" or key.isalnum()
    assert number is None or number >= 0
