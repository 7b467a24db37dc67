"""Search relevance on the shipped data, judged by hand (tests/eval/judged-queries.yaml).

The floors below are the level the search reached.
The full report, with the FTS5 keyword baseline, is benchmarks/bench_relevance.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from benchmarks.relevance import (
    JUDGED,
    Part,
    Query,
    evaluate,
    fts5_ranker,
    home_institution,
    ideal_dcg,
    load_queries,
    score,
    summarise,
    wiqnet_ranker,
)
from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.model import Directory
from wiqnet.needs import all_needs

# Floors on the shipped data (success@3 = every need part has a grade-2 result in the
# first three; nDCG@3 as defined in benchmarks/relevance.py). Measured 2026-12-01 on the
# real Krefeld data: main's search 43.7 % / 0.36 (home first 6.5 %, tr/ar without result
# 83 %); the search branch (fe69c51) 69 % / 0.60 (0 %, 3 %); FTS5 keyword baseline
# 30 % / 0.22. With topics on every service and the enriched topic words (branch
# topics): 77 % / 0.65 (0 %, 0 %). With query understanding for relevance (branch
# s-rel: who a need is for, told ages, counselling asked, situations with context,
# online portals, more everyday words): 86 % / 0.73 (0 %, 0 %). With situations split
# into their asks, one service for two needs, whole stories read (branch s-rel2):
# 86.9 % / 0.735 (situations 21 % / 0.71, up from 14 % / 0.66). With words read right
# (no English stems for German words, typos re-read, singular = plural), institution
# names, clinics below counselling, Pflegeheim and Hilfen zur Erziehung as topics
# (2026-12-02): 90.5 % / 0.769 (situations 43 % / 0.76). With partner violence read as
# asking for the women's shelter and a smaller penalty per extra need: 91.5 % / 0.789.
# With topics and descriptions their sources support (Telefonseelsorge, SkF baby
# equipment, integrative Kita, employment promotion reached through its projects):
# 93.0 % / 0.800. The floors leave a little room: sources age into "old" day by day.
MIN_SUCCESS_AT_3 = 0.92
MIN_NDCG_AT_3 = 0.79
# Ceilings: share of queries with the home institution first, and Turkish/Arabic
# queries without any result.
MAX_HOME_FIRST = 0.0
MAX_NO_RESULT_TR_AR = 0.0

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "institutions.yaml"
GROUPS = {"de", "typo", "en", "tr", "ar", "situation", "two-need", "name"}


@pytest.fixture(scope="module")
def judged() -> list[Query]:
    return load_queries(JUDGED)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    if not SHIPPED.is_file():
        pytest.skip("data/institutions.yaml is not there")
    return load_directory(SHIPPED)


def test_judged_set_covers_every_need_and_group(judged: list[Query]) -> None:
    assert len(judged) >= 130
    assert len({q.id for q in judged}) == len(judged)
    assert {q.group for q in judged} == GROUPS
    assert {p.need for q in judged for p in q.parts} == set(all_needs())
    multi = [q for q in judged if len(q.parts) > 1]
    assert {q.group for q in multi} == {"situation", "two-need"}


def test_judged_grades_are_0_1_2_and_never_grade_the_home_institution(judged: list[Query]) -> None:
    home = home_institution(load_settings())
    for query in judged:
        for part in query.parts:
            assert set(part.grades.values()) <= {0, 1, 2}, query.id
            assert 2 in part.grades.values(), f"{query.id}: no grade-2 referral"
            assert not any(k.split("/")[0] == home for k in part.grades), query.id


def test_judged_phrasings_differ_from_the_held_out_set(judged: list[Query]) -> None:
    held_out = yaml.safe_load((ROOT / "tests" / "heldout_queries.yaml").read_text("utf-8"))
    taken = {q["q"].casefold() for q in held_out["queries"]}
    assert not [q.text for q in judged if q.text.casefold() in taken]


@pytest.mark.shared
def test_judged_phrasings_differ_from_the_dev_set(judged: list[Query], shared: Path) -> None:
    dev = yaml.safe_load((shared / "eval" / "referral-queries.yaml").read_text("utf-8"))
    taken = {q["q"].casefold() for q in dev["queries"]}
    assert not [q.text for q in judged if q.text.casefold() in taken]


@pytest.mark.parametrize(
    ("hit", "grade"),
    [
        (("skm-krefeld", "skm-krefeld-schuldnerberatung"), 2),
        (("skm-krefeld", "skm-krefeld-anti-gewalt-training"), 1),
        (("other", "other-schuldnerberatung"), 0),
        (("diakonie", "diakonie-beratung"), 2),
    ],
)
def test_a_service_refinement_wins_over_its_institution(hit: tuple[str, str], grade: int) -> None:
    part = Part("finanzen", {"skm-krefeld": 1, "skm-krefeld/*schuld*": 2, "diakonie": 2})
    assert part.grade(hit) == grade


def test_one_need_scores_success_lenient_and_ndcg() -> None:
    query = Query("q", "de", "Schulden", (Part("finanzen", {"a": 2, "b": 1}),))
    catalogue = [("a", "a-1"), ("b", "b-1"), ("c", "c-1"), ("home", "home-1")]
    best = score(query, [("a", "a-1"), ("b", "b-1")], catalogue, "home", {})
    assert (best.success, best.lenient, round(best.ndcg, 6)) == (True, True, 1.0)
    late = score(query, [("home", "home-1"), ("c", "c-1"), ("b", "b-1")], catalogue, "home", {})
    assert (late.success, late.lenient, late.home_first) == (False, True, True)
    assert 0 < late.ndcg < 0.5


def test_several_needs_reward_one_result_per_need_over_three_for_the_first() -> None:
    parts = (Part("finanzen", {"a": 2, "b": 2, "c": 2}), Part("wohnen", {"d": 2}))
    query = Query("q", "two-need", "Schulden und Wohnung", parts)
    catalogue = [(x, f"{x}-1") for x in "abcd"]
    one_need = score(query, [("a", "a-1"), ("b", "b-1"), ("c", "c-1")], catalogue, "h", {})
    both = score(query, [("a", "a-1"), ("d", "d-1"), ("b", "b-1")], catalogue, "h", {})
    assert not one_need.success and both.success
    assert both.ndcg == pytest.approx(1.0) and one_need.ndcg < both.ndcg
    assert ideal_dcg(parts, catalogue) > 0


def test_fts5_baseline_ranks_by_keywords(shipped: Directory) -> None:
    assert sqlite3.sqlite_version_info >= (3, 9)
    rank = fts5_ranker(shipped)
    assert rank("Tafel Lebensmittel")
    assert rank("!!!") == []


def test_search_keeps_its_relevance_on_the_shipped_data(
    judged: list[Query], shipped: Directory
) -> None:
    settings = load_settings()
    home = home_institution(settings)
    outcomes = evaluate(judged, wiqnet_ranker(shipped, settings), shipped, home)
    overall = summarise(outcomes)
    foreign = summarise([o for o in outcomes if o.query.group in ("tr", "ar")])
    misses = [o.query.id for o in outcomes if not o.success]
    print(
        f"judged set: success@3 {overall.success:.1%}, nDCG@3 {overall.ndcg:.2f}, "
        f"home first {overall.home_first:.1%}, tr/ar without result {foreign.no_result:.1%}"
    )
    assert overall.success >= MIN_SUCCESS_AT_3, misses
    assert overall.ndcg >= MIN_NDCG_AT_3
    assert overall.home_first <= MAX_HOME_FIRST
    assert foreign.no_result <= MAX_NO_RESULT_TR_AR
