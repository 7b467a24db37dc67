"""The slip's inline-SVG map: the place is always inside the frame, with a sensible scale."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wiqnet.maps.slip import HEIGHT, WIDTH, slip_map
from wiqnet.model import Location, Quarter

QUARTER = Quarter(
    "stephanplatz",
    "Stephanplatz",
    ((6.565, 51.318), (6.575, 51.318), (6.575, 51.325), (6.565, 51.325), (6.565, 51.318)),
)
lat = st.floats(51.25, 51.40, allow_nan=False)
lon = st.floats(6.45, 6.70, allow_nan=False)


WIQ = Location(51.322848, 6.5723)


@given(lat, lon, st.booleans(), st.booleans())
def test_the_place_and_the_outline_stay_inside_the_frame(
    y: float, x: float, with_quarter: bool, with_wiq: bool
) -> None:
    drawn = slip_map(
        Location(y, x), QUARTER if with_quarter else None, WIQ if with_wiq else None, (QUARTER,)
    )
    assert drawn is not None
    assert 0 <= drawn.x <= WIDTH and 0 <= drawn.y <= HEIGHT
    if drawn.reference:
        assert 0 <= drawn.reference[0] <= WIDTH and 0 <= drawn.reference[1] <= HEIGHT
    for outline in drawn.outlines:
        numbers = [
            float(v) for part in outline.path.strip("MZ ").split(" L") for v in part.split(",")
        ]
        assert all(0 <= v <= WIDTH for v in numbers[0::2])
        assert all(0 <= v <= HEIGHT for v in numbers[1::2])
    assert 0 < drawn.scale_length <= WIDTH / 3 or drawn.scale_metres == 50


def test_the_quarter_is_named_and_drawn() -> None:
    drawn = slip_map(Location(51.322848, 6.5723), QUARTER)
    assert drawn is not None
    assert drawn.quarter_name == "Stephanplatz"
    (outline,) = drawn.outlines
    assert outline.own and outline.name == "Stephanplatz"
    assert outline.path.startswith("M") and outline.path.endswith("Z")
    assert drawn.scale_metres == 500


def test_a_place_outside_the_quarters_shows_the_quarters_within_5_km() -> None:
    near = slip_map(Location(51.3265, 6.5785), None, WIQ, (QUARTER,))
    assert near is not None
    assert [(o.name, o.own) for o in near.outlines] == [("Stephanplatz", False)]
    assert 0 <= near.outlines[0].label_x <= WIDTH and 0 <= near.outlines[0].label_y <= HEIGHT
    far = slip_map(Location(51.38, 6.46), None, WIQ, (QUARTER,))
    assert far is not None and far.outlines == ()


def test_no_location_no_map() -> None:
    assert slip_map(None, QUARTER) is None


def test_wiq_is_shown_for_orientation_unless_it_is_the_place_or_far_away() -> None:
    near = slip_map(Location(51.3290, 6.5790), None, WIQ)
    assert near is not None and near.reference is not None
    same = slip_map(WIQ, QUARTER, WIQ)
    assert same is not None and same.reference is None
    far = slip_map(Location(51.40, 6.45), None, WIQ)
    assert far is not None and far.reference is None
