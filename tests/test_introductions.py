"""Suggested introductions: which pairs, in which order, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from network_fixtures import directory, inst, link, north

from wiqnet.network.introductions import reason, related_needs, suggest

# Far away (10 km), so never paired: its one service says arbeit and wohnen go together.
BUNDLE = inst("bundle", ["arbeit", "wohnen"], north(10_000))


def trio(links: tuple[tuple[str, str], ...] = ()) -> object:
    """Return x (arbeit) at 0 m, z (arbeit) at 250 m and y (wohnen) at 500 m north."""
    return directory(
        [
            inst("x", ["arbeit"], north(0)),
            inst("y", ["wohnen"], north(500)),
            inst("z", ["arbeit"], north(250)),
            BUNDLE,
        ],
        [link(a, b) for a, b in links],
    )


def pairs(found: list) -> list[tuple[str, str]]:
    return [(s.a, s.b) for s in found]


def test_ranking_and_scores_of_a_known_trio() -> None:
    found = suggest(trio())
    assert pairs(found) == [("y", "z"), ("x", "y")]
    # complement (2 + 2) / 6, open audience 0.5, proximity 1 / (1 + d / 500),
    # quarter 0.5 (both city-wide), two isolates join no parts: 1.0
    assert found[0].score == pytest.approx(4 / 6 * 0.5 * (1 / 1.5) * 0.5, rel=1e-4)
    assert found[1].score == pytest.approx(4 / 6 * 0.5 * (1 / 2.0) * 0.5, rel=1e-4)
    assert found[0].distance_m == pytest.approx(250, abs=0.5)
    assert (found[0].adds_for_a, found[0].adds_for_b) == (("arbeit",), ("wohnen",))
    assert not found[0].joins_parts


def test_joining_two_real_parts_ranks_higher_and_says_so() -> None:
    d = directory(
        [
            inst("a", ["arbeit"], north(0)),
            inst("b", ["arbeit"], north(3000)),
            inst("c", ["wohnen"], north(300)),
            inst("e", ["wohnen"], north(6000)),
            inst("f", ["wohnen"], north(200)),
        ],
        [link("a", "b"), link("c", "e")],
    )
    found = {(s.a, s.b): s for s in suggest(d)}
    assert found[("a", "c")].joins_parts
    assert not found[("a", "f")].joins_parts  # f is an isolate: no second part
    assert found[("a", "c")].score == pytest.approx(
        2 / 6 * 0.5 / (1 + 300 / 500) * 0.5 * 1.5, rel=1e-3
    )
    assert found[("a", "f")].score == pytest.approx(
        2 / 6 * 0.5 / (1 + 200 / 500) * 0.5 * 1.2, rel=1e-3
    )
    assert "verbindet zwei getrennte Teile" in reason(found[("a", "c")], d)
    assert "getrennte" not in reason(found[("a", "f")], d)


def test_pairs_in_the_quarter_rank_above_pairs_in_the_city() -> None:
    d = directory(
        [
            inst("x", ["arbeit"], north(0), quarter="q"),
            inst("y", ["wohnen"], north(400), quarter="q"),
            inst("u", ["arbeit"], north(9000)),
            inst("v", ["wohnen"], north(9400)),
        ],
        [],
    )
    assert pairs(suggest(d)) == [("x", "y"), ("u", "v")]


def test_same_needs_are_not_complementary() -> None:
    assert ("x", "z") not in pairs(suggest(trio()))


def test_unrelated_needs_weigh_half() -> None:
    d = directory([inst("x", ["arbeit"], north(0)), inst("y", ["wohnen"], north(500))], [])
    (only,) = suggest(d)
    assert only.score == pytest.approx(2 / 6 * 0.5 * 0.5 * 0.5, rel=1e-4)


def test_related_needs_come_from_services_tagged_with_both() -> None:
    related = related_needs(trio())
    assert related["arbeit"] == frozenset({"wohnen"})
    assert "x" not in related


def test_linked_pairs_are_not_suggested_and_joining_parts_ranks_higher() -> None:
    found = suggest(trio(links=(("x", "z"), ("y", "z"))))
    assert pairs(found) == [("x", "y")]
    assert found[0].joins_parts is False
    assert found[0].score == pytest.approx(4 / 6 * 0.5 * 0.5 * 0.5, rel=1e-4)


def test_a_link_that_ended_no_longer_counts() -> None:
    d = directory(
        [inst("x", ["arbeit"], north(0)), inst("y", ["wohnen"], north(500))],
        [link("x", "y", until=date(2020, 1, 1))],
    )
    assert pairs(suggest(d, date(2024, 1, 1))) == [("x", "y")]
    assert pairs(suggest(d, date(2019, 1, 1))) == []


def test_shared_audience_scores_full_and_disjoint_audiences_are_skipped() -> None:
    fam = directory(
        [
            inst("x", ["arbeit"], north(0), audience=("familien",)),
            inst("y", ["wohnen"], north(500), audience=("familien", "senioren")),
        ],
        [],
    )
    (found,) = suggest(fam)
    assert found.audience == ("familien",)
    assert found.score == pytest.approx(2 / 6 * 1.0 * 0.5 * 0.5, rel=1e-4)
    apart = directory(
        [
            inst("x", ["arbeit"], north(0), audience=("familien",)),
            inst("y", ["wohnen"], north(500), audience=("senioren",)),
        ],
        [],
    )
    assert suggest(apart) == []


@pytest.mark.parametrize(
    "other",
    [
        inst("y", ["wohnen"], north(2500)),  # too far
        inst("y", ["wohnen"], None),  # no location (a hotline)
        inst("y", ["wohnen"], north(100), status="inactive"),  # not active
        inst("y", ["wohnen"], north(100), operator="Stadt"),  # same operator: derived edge
        inst(
            "y", ["wohnen"], north(100), operator="Stadt, Fachbereich Wohnen"
        ),  # one administration
    ],
    ids=["far", "no-location", "inactive", "same-operator", "same-administration"],
)
def test_pairs_that_are_never_suggested(other: object) -> None:
    d = directory([inst("x", ["arbeit"], north(0), operator="Stadt"), other], [])
    assert suggest(d) == []


def test_pairs_that_serve_no_family_and_network_nodes_are_left_out() -> None:
    office_theatre = directory(
        [inst("amt", ["aemter"], north(0)), inst("theater", ["freizeit"], north(100))], []
    )
    assert suggest(office_theatre) == []
    with_family = directory(
        [inst("amt", ["aemter"], north(0)), inst("beratung", ["sozialberatung"], north(100))], []
    )
    assert pairs(suggest(with_family)) == [("amt", "beratung")]
    hub = replace(inst("netz", ["wohnen"], north(50)), kind="network")
    assert pairs(suggest(directory([*with_family.institutions, hub], []))) == [("amt", "beratung")]


def test_limit_and_candidates_per_institution() -> None:
    many = directory(
        [inst("x", ["arbeit"], north(0))]
        + [inst(f"y{i}", ["wohnen"], north(100 * i)) for i in range(1, 6)],
        [],
    )
    assert len(suggest(many, limit=None)) == 5
    assert pairs(suggest(many, limit=2)) == [("x", "y1"), ("x", "y2")]
    assert len(suggest(many, limit=None, per_institution=1)) < 5


def test_reason_in_german_and_english() -> None:
    d = trio()
    top = suggest(d)[0]
    assert reason(top, d) == (
        "Z ergänzt Y um Arbeit und Beruf; Y ergänzt Z um Wohnen; 250 m voneinander entfernt."
    )
    assert reason(top, d, "en") == (
        "Z adds Work and career to Y; Y adds Housing to Z; 250 m apart."
    )
