"""Network metrics on hand-built graphs with known answers."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest
from network_fixtures import chain, directory, inst, link, star, two_components

from wiqnet.errors import NotFound
from wiqnet.network.analysis import (
    NetworkStats,
    brokers,
    centrality,
    communities,
    compare,
    cooperation_network,
    ego_distances,
    growth_series,
    isolates,
    modularity,
    stats,
    yearly_days,
)
from wiqnet.network.overview import ego_view, overview


def test_stats_of_a_star() -> None:
    assert stats(cooperation_network(star())) == NetworkStats(
        on=None, institutions=5, links=4, density=0.4, components=1, largest_component=5,
        isolates=0)


def test_stats_of_a_chain() -> None:
    result = stats(cooperation_network(chain(3)))
    assert (result.institutions, result.links, result.components) == (3, 2, 1)
    assert result.density == pytest.approx(2 / 3)


def test_stats_of_two_components_and_an_isolate() -> None:
    result = stats(cooperation_network(two_components()))
    assert (result.components, result.largest_component, result.isolates) == (2, 3, 1)
    assert result.links == 4
    assert result.density == pytest.approx(4 / 21)


def test_stats_of_an_empty_or_single_network_are_zero() -> None:
    assert stats(cooperation_network(directory([], []))).density == 0.0
    one = stats(cooperation_network(directory([inst("a")], [])))
    assert (one.institutions, one.links, one.isolates, one.density) == (1, 0, 1, 0.0)


def test_centrality_of_a_star() -> None:
    scores = centrality(cooperation_network(star()))
    assert scores["c"].degree == 4
    assert scores["c"].degree_centrality == 1.0
    assert scores["c"].betweenness == 1.0
    assert scores["l1"].degree_centrality == 0.25
    assert scores["l1"].betweenness == 0.0


def test_centrality_of_a_chain() -> None:
    scores = centrality(cooperation_network(chain(3)))
    assert scores["b"].betweenness == 1.0
    assert scores["a"].betweenness == scores["c"].betweenness == 0.0
    assert [c.institution_id for c in brokers(scores)] == ["b"]


def test_chain_of_five_betweenness_known_values() -> None:
    scores = centrality(cooperation_network(chain(5)))
    # b lies on 3 of the 6 pairs not involving it; c on 4.
    assert scores["b"].betweenness == pytest.approx(3 / 6)
    assert scores["c"].betweenness == pytest.approx(4 / 6)
    assert [c.institution_id for c in brokers(scores)] == ["c", "b", "d"]


def test_brokers_rank_by_betweenness_then_degree_and_respect_the_limit() -> None:
    scores = centrality(cooperation_network(two_components()))
    ranked = brokers(scores)
    assert [c.institution_id for c in ranked] == ["h", "q"]
    assert brokers(scores, limit=1)[0].institution_id == "h"


def test_sampled_betweenness_is_repeatable_and_exact_with_full_sample() -> None:
    graph = cooperation_network(chain(6))
    exact = centrality(graph)
    full_sample = centrality(graph, exact_limit=2, sample=6)
    assert {k: v.betweenness for k, v in full_sample.items()} == pytest.approx(
        {k: v.betweenness for k, v in exact.items()})
    sampled = centrality(graph, exact_limit=2, sample=3)
    assert sampled == centrality(graph, exact_limit=2, sample=3)


def test_isolates() -> None:
    assert isolates(cooperation_network(two_components())) == ["z"]
    assert isolates(cooperation_network(star())) == []


def test_isolates_ignore_derived_edges_and_inactive_institutions() -> None:
    d = directory([inst("a", operator="Stadt"), inst("b", operator="Stadt"),
                   inst("gone", status="inactive")], [])
    graph = cooperation_network(d)
    assert isolates(graph) == ["a", "b"]
    assert "gone" not in graph


def test_communities_of_two_components() -> None:
    groups = communities(cooperation_network(two_components()))
    assert groups == [["h", "s1", "s2"], ["p", "q", "r"]]


def test_community_of_a_star_is_the_whole_star() -> None:
    graph = cooperation_network(star())
    groups = communities(graph)
    assert groups == [["c", "l1", "l2", "l3", "l4"]]
    assert modularity(graph, groups) == pytest.approx(0.0)


def test_modularity_of_two_separate_groups() -> None:
    graph = cooperation_network(two_components())
    groups = communities(graph)
    expected = nx.community.modularity(graph, [set(g) for g in groups] + [{"z"}])
    assert modularity(graph, groups) == pytest.approx(expected)
    assert modularity(graph, groups) == pytest.approx(0.5)


def test_no_links_no_communities() -> None:
    graph = cooperation_network(directory([inst("a"), inst("b")], []))
    assert communities(graph) == []
    assert modularity(graph, []) == 0.0


def test_ego_distances_on_a_chain() -> None:
    graph = cooperation_network(chain(4))
    assert ego_distances(graph, "a", 1) == {"a": 0, "b": 1}
    assert ego_distances(graph, "a", 2) == {"a": 0, "b": 1, "c": 2}
    assert ego_distances(graph, "b", 1) == {"a": 1, "b": 0, "c": 1}


def test_ego_view_lists_members_links_and_derived_neighbours() -> None:
    d = directory([inst("a", operator="T"), inst("b", operator="T"), inst("c")],
                  [link("a", "b"), link("b", "c")])
    ego = ego_view(d, "a", 1)
    assert ego is not None
    assert ego.members == [("a", 0), ("b", 1)]
    assert [(x.source_id, x.target_id) for x in ego.links] == [("a", "b")]
    assert ego.derived == ["b"]
    assert ego_view(d, "nope") is None


def test_ego_of_an_unknown_institution_is_not_found() -> None:
    with pytest.raises(NotFound, match="no active institution with id 'nope'"):
        ego_distances(cooperation_network(star()), "nope")


def history() -> object:
    return directory(
        [inst("a"), inst("b"), inst("c"), inst("d")],
        [link("a", "b", since=date(2020, 1, 1)),
         link("b", "c", since=date(2022, 6, 1)),
         link("c", "d", since=date(2020, 1, 1), until=date(2021, 12, 31)),
         link("a", "d")])


def test_network_on_a_day_uses_since_and_until() -> None:
    d = history()
    assert stats(cooperation_network(d, date(2019, 1, 1))).links == 1  # only the undated one
    assert stats(cooperation_network(d, date(2021, 1, 1))).links == 3
    assert stats(cooperation_network(d, date(2023, 1, 1))).links == 3


def test_compare_lists_added_and_ended_links() -> None:
    d = history()
    growth = compare(d, date(2021, 1, 1), date(2023, 1, 1))
    assert [(x.source_id, x.target_id) for x in growth.added] == [("b", "c")]
    assert [(x.source_id, x.target_id) for x in growth.ended] == [("c", "d")]
    assert growth.before.links == growth.after.links == 3
    assert growth.before.largest_component == 4
    assert compare(d, date(2023, 1, 1), date(2021, 1, 1)).added == growth.added


def test_growth_series_on_yearly_days() -> None:
    d = history()
    days = yearly_days(d, date(2023, 3, 1))
    assert days == [date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1), date(2023, 1, 1),
                    date(2023, 3, 1)]
    assert [s.links for s in growth_series(d, days)] == [3, 3, 2, 3, 3]


def test_yearly_days_without_dated_links_is_just_the_day() -> None:
    assert yearly_days(star(), date(2024, 5, 1)) == [date(2024, 5, 1)]


def test_overview_bundles_the_figures_for_a_day() -> None:
    view = overview(two_components(), date(2024, 1, 1))
    assert view.stats.components == 2
    assert [b.institution_id for b in view.brokers] == ["h", "q"]
    assert view.isolates == ["z"]
    assert view.on == date(2024, 1, 1)
    assert overview(two_components(), date(2024, 1, 1)).stats == view.stats
