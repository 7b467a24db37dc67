"""Counts over the directory: needs (zeros too), quarters, kinds, stale entries."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_SOURCE

from wiqnet.datafile.load import load_directory
from wiqnet.model import Institution, Link, Source, is_stale
from wiqnet.needs import need_keys
from wiqnet.stats import compute_stats

TODAY = date(2026, 11, 25)


@pytest.fixture
def richer(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> Path:
    """The sample plus an inactive service, an unlocated address, categories and links."""
    insts = small_data["institutions"]
    insts[3]["category"] = "Kita"
    insts[2]["category"] = "Behörde"
    insts[1]["category"] = "Kita"
    insts[1]["services"].append({"id": "fabrik-heeder-alt", "name": "Altes Angebot",
                                 "description": "eingestellt", "needs": ["wohnen"],
                                 "status": "inactive"})
    insts.append({"id": "ohne-ort", "name": "Beratungsstelle ohne Koordinaten",
                  "operator": "Katholische Kirchengemeinde",
                  "address": {"street": "Musterweg 1", "postcode": "47805", "city": "Krefeld"},
                  "sources": [dict(TEST_SOURCE)], "verified": "2026-01-10",
                  "services": [{"id": "ohne-ort-beratung", "name": "Beratung",
                                "description": "Hilfe bei Schulfragen.", "needs": ["schule"]}]})
    small_data["links"].append({"from": "wiq", "to": "kita-st-stephan", "kind": "kooperation",
                                "until": "2020-01-01", "sources": [dict(TEST_SOURCE)]})
    return directory_yaml(small_data)


def test_every_need_key_is_listed_in_contract_order_with_zeros(data_path: Path) -> None:
    stats = compute_stats(load_directory(data_path), TODAY)
    assert [n.key for n in stats.by_need] == list(need_keys())
    assert len(stats.by_need) == 17
    counts = {n.key: (n.label, n.services, n.institutions) for n in stats.by_need}
    assert counts["arbeit"] == ("Arbeit und Beruf", 2, 2)
    assert counts["wohnen"] == ("Wohnen", 0, 0)
    assert stats.uncovered == ["schule", "sprache", "migration", "gesundheit", "wohnen",
                               "behinderung", "senioren", "grundversorgung"]


def test_inactive_services_do_not_cover_a_need(richer: Path) -> None:
    stats = compute_stats(load_directory(richer), TODAY)
    assert "wohnen" in stats.uncovered
    assert "schule" not in stats.uncovered
    assert (stats.services, stats.inactive_services) == (6, 1)


def test_quarters_and_the_buckets_outside_them(richer: Path) -> None:
    stats = compute_stats(load_directory(richer), TODAY)
    assert [(c.key, c.label, c.count) for c in stats.by_quarter] == [
        ("hardenbergviertel", "Hardenbergviertel", 0),
        ("stephanplatz", "Stephanplatz", 3),
        ("outside", "außerhalb der Quartiere", 1),
        ("no_location", "Adresse ohne Koordinaten", 1),
        ("no_address", "ohne Adresse (Telefon, online)", 1),
    ]


def test_categories_statuses_link_kinds_and_derived_pairs(richer: Path) -> None:
    stats = compute_stats(load_directory(richer), TODAY)
    assert [(c.label, c.count) for c in stats.by_category] == [
        ("(ohne Kategorie)", 3), ("Kita", 2), ("Behörde", 1)]
    assert [(c.label, c.count) for c in stats.by_status] == [("active", 6)]
    assert [(c.key, c.count) for c in stats.by_link_kind] == [
        ("kooperation", 1), ("netzwerk", 0), ("sprechstunde_vor_ort", 0), ("vermittlung", 1),
        ("traegerschaft", 0), ("gemeinsames_angebot", 0), ("auftrag", 0), ("mitglied", 0),
        ("veranstaltung", 0)]
    assert [(c.key, c.count) for c in stats.derived_pairs] == [
        ("gleicher_standort", 1), ("gleicher_traeger", 1)]


@pytest.mark.parametrize(("stale_days", "stale_ids"), [
    (365, ["fabrik-heeder", "jobcenter", "kita-st-stephan", "wiq"]),
    (4000, []),
    (2500, ["fabrik-heeder", "jobcenter", "kita-st-stephan"]),
    (10, ["fabrik-heeder", "jobcenter", "kita-st-stephan", "wiq", "ohne-ort"]),
])
def test_stale_entries_oldest_first(richer: Path, stale_days: int, stale_ids: list[str]) -> None:
    stats = compute_stats(load_directory(richer), TODAY, stale_days)
    assert [e.id for e in stats.stale] == stale_ids  # the hotline's source is from 2026-12


def test_stale_boundary_is_over_not_at(data_path: Path) -> None:
    directory = load_directory(data_path)
    assert "wiq" not in [e.id for e in compute_stats(directory, date(2022, 4, 13)).stale]
    assert "wiq" in [e.id for e in compute_stats(directory, date(2022, 4, 14)).stale]


@pytest.mark.parametrize(("source_day", "verified", "stale"), [
    (date(2025, 11, 24), None, True),  # 366 days old
    (date(2025, 11, 25), None, False),  # exactly STALE_DAYS old
    (date(2017, 9, 12), date(2026, 1, 10), False),  # a recent check counts
    (date(2026, 6, 1), date(2017, 9, 12), False),  # a recent source counts
])
def test_a_record_whose_newest_source_is_old_is_stale(
        source_day: date, verified: date | None, stale: bool) -> None:
    old = Source(date(2015, 1, 1), url="https://example.org/alt", note="ALT")
    inst = Institution("x", "X", (), sources=(old, Source(source_day, file="krefeld-facts.md")),
                       verified=verified)
    assert inst.confirmed == max(d for d in (source_day, verified) if d)
    assert inst.stale_on(TODAY) is stale
    assert old.old_on(TODAY)
    link = Link("x", "y", "kooperation", sources=(Source(source_day, file="krefeld-facts.md"),))
    assert link.confirmed_until == source_day
    assert link.stale_on(TODAY) is (source_day < date(2025, 11, 25))
    assert is_stale(None, TODAY)


def test_as_dict_is_json_ready(richer: Path) -> None:
    data = compute_stats(load_directory(richer), TODAY).as_dict()
    text = json.dumps(data, ensure_ascii=False)
    back = json.loads(text)
    assert back["today"] == "2026-11-25"
    assert back["stale"][0] == {"id": "fabrik-heeder", "name": "Fabrik Heeder",
                                "confirmed": "2017-09-12", "days": 3361}
    assert back["stale_links"] == 1
    assert "wohnen" in back["uncovered_needs"]
