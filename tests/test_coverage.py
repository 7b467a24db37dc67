"""The coverage matrix need × quarter, counting active services."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from network_fixtures import directory, inst, north

from wiqnet.model import Quarter
from wiqnet.network.coverage import NO_LOCATION, OUTSIDE, coverage

QUARTERS = (Quarter("nord", "Nordviertel", ()), Quarter("sued", "Südviertel", ()))


def sample() -> object:
    closed = inst("closed", ["arbeit"], north(0), quarter="nord")
    paused = inst("paused", ["arbeit"], north(0), quarter="nord")
    paused = replace(paused, services=(replace(paused.services[0], status="inactive"),))
    return directory(
        [
            inst("a", ["arbeit", "wohnen"], north(0), quarter="nord"),
            inst("b", ["arbeit"], north(10), quarter="nord"),
            inst("c", ["wohnen"], north(5000), quarter="sued"),
            inst("d", ["schutz"], north(9000)),
            inst("hotline", ["schutz"], None),
            replace(closed, status="inactive"),
            paused,
        ],
        [],
        QUARTERS,
    )


def test_counts_active_services_per_need_and_quarter() -> None:
    cov = coverage(sample())
    assert cov.columns == ("nord", "sued", OUTSIDE, NO_LOCATION)
    assert cov.count("arbeit", "nord") == 2
    assert cov.count("wohnen", "nord") == 1
    assert cov.count("wohnen", "sued") == 1
    assert cov.count("schutz", OUTSIDE) == 1
    assert cov.count("schutz", NO_LOCATION) == 1
    assert cov.total("arbeit") == 2
    assert cov.labels == {
        "nord": "Nordviertel",
        "sued": "Südviertel",
        OUTSIDE: "außerhalb",
        NO_LOCATION: "ohne Adresse",
    }


def test_gaps_are_zeros_in_quarters_only() -> None:
    cov = coverage(sample())
    gaps = cov.gaps()
    assert ("arbeit", "sued") in gaps
    assert ("wohnen", "nord") not in gaps
    assert ("schutz", "nord") in gaps and ("schutz", "sued") in gaps
    assert all(q in ("nord", "sued") for _n, q in gaps)
    assert len(gaps) == 17 * 2 - 3


def test_english_labels_for_the_extra_columns() -> None:
    cov = coverage(sample(), lang="en")
    assert (cov.labels[OUTSIDE], cov.labels[NO_LOCATION]) == ("elsewhere", "no address")


def test_a_service_area_counts_in_the_quarters_it_serves_from_outside(directory_yaml: Any) -> None:
    from conftest import SMALL, TEST_SOURCE

    from wiqnet.datafile import load_directory

    data = copy.deepcopy(SMALL)
    data["institutions"][2]["location"] = {"lat": 51.329, "lon": 6.570}  # in Hardenbergviertel
    for number, (area, need) in enumerate(((["47805"], "wohnen"), (["47799"], "senioren"))):
        data["institutions"].append(
            {
                "id": f"aussen-{number}",
                "name": f"Beratung außerhalb {number}",
                "address": {"street": "Ostwall 1", "postcode": "47798", "city": "Krefeld"},
                "location": {"lat": 51.34, "lon": 6.56},
                "sources": [dict(TEST_SOURCE)],
                "services": [
                    {
                        "id": f"aussen-{number}-beratung",
                        "name": "Beratung",
                        "description": "Beratung für Familien aus den Quartieren.",
                        "needs": [need],
                        "service_area": area,
                    }
                ],
            }
        )
    cov = coverage(load_directory(directory_yaml(data)))
    # 47805: addresses in both quarters; 47799: only in Stephanplatz.
    assert cov.count("wohnen", "hardenbergviertel") == 1
    assert cov.count("wohnen", "stephanplatz") == 1
    assert cov.count("wohnen", OUTSIDE) == 1 and cov.total("wohnen") == 1
    assert cov.count("senioren", "stephanplatz") == 1
    assert cov.count("senioren", "hardenbergviertel") == 0
    assert ("senioren", "hardenbergviertel") in cov.gaps()
