"""The institution graph: recorded links, derived edges, neighbours, paths, components."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from wiqnet.datafile.load import load_directory
from wiqnet.model import Address, Directory, Institution, Link, Service
from wiqnet.network.graph import (
    build_graph,
    components,
    cooperation_graph,
    derived_groups,
    neighbours,
)


def inst(inst_id: str, street: str | None = None, operator: str | None = None,
         postcode: str = "47805") -> Institution:
    """Return a minimal institution, optionally with a street address and an operator."""
    service = Service(f"{inst_id}-s", inst_id, "Angebot", "", ("freizeit",))
    address = Address(street, postcode, "Krefeld") if street is not None else None
    return Institution(inst_id, inst_id.title(), (service,), address=address,
                       operator=operator)


def edges(graph: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    """Return the (from, to) pairs of edges of one kind."""
    return {(u, v) for u, v, k in graph.edges(data="kind") if k == kind}


def test_same_address_gives_gleicher_standort_both_ways_marked_derived() -> None:
    directory = Directory((inst("a", "Virchowstraße 130a"), inst("b", "Virchowstr. 130a"),
                           inst("c", "Virchow-Strasse 130a"), inst("d", "Virchowstraße 130"),
                           inst("e", "Virchowstraße 130a", postcode="47799")))
    graph = build_graph(directory)
    assert edges(graph, "gleicher_standort") == {
        ("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"), ("b", "c"), ("c", "b")}
    for _, _, data in graph.edges(data=True):
        assert data["derived"] is True
        assert data["type"] == "derived"


def test_addresses_without_street_are_not_one_place() -> None:
    directory = Directory((inst("a", ""), inst("b", "  "), inst("c")))
    assert edges(build_graph(directory), "gleicher_standort") == set()


def test_same_operator_gives_gleicher_traeger() -> None:
    directory = Directory((inst("a", operator="Stadt Krefeld"),
                           inst("b", operator="stadt  krefeld"),
                           inst("c", operator="Stadt Krefeld, Kom.ZFB"), inst("d"),
                           inst("e", operator=" "), inst("f", operator="-")))
    graph = build_graph(directory)
    assert edges(graph, "gleicher_traeger") == {("a", "b"), ("b", "a")}
    assert graph["a"]["b"]["gleicher_traeger"]["derived"] is True


def test_directed_kinds_go_one_way_and_undirected_both() -> None:
    directory = Directory(
        (inst("a"), inst("b"), inst("c")),
        links=(Link("a", "b", "vermittlung", note="Begleitung"), Link("b", "c", "kooperation")),
    )
    graph = build_graph(directory)
    assert edges(graph, "vermittlung") == {("a", "b")}
    assert edges(graph, "kooperation") == {("b", "c"), ("c", "b")}
    attrs = graph["a"]["b"]["vermittlung"]
    assert attrs["derived"] is False
    assert attrs["type"] == "cooperation"
    assert attrs["note"] == "Begleitung"


def test_nodes_carry_the_institution_attributes(data_path: Path) -> None:
    graph = build_graph(load_directory(data_path))
    wiq = graph.nodes["wiq"]
    assert wiq["name"] == "WiQ – Wir im Quartier"
    assert wiq["quarter"] == "stephanplatz"
    assert wiq["lat"] == 51.322848
    assert "finanzen" in wiq["needs"]
    assert graph.nodes["hilfetelefon-gewalt"]["lat"] is None


def test_neighbours_in_both_directions_with_and_without_derived() -> None:
    directory = Directory(
        (inst("a", "Weg 1"), inst("b", "Weg 1"), inst("c"), inst("d")),
        links=(Link("c", "a", "vermittlung"), Link("a", "d", "sprechstunde_vor_ort")),
    )
    graph = build_graph(directory)
    assert neighbours(graph, "a") == ["b", "c", "d"]
    assert neighbours(graph, "a", include_derived=False) == ["c", "d"]
    assert neighbours(graph, "c") == ["a"]
    assert neighbours(graph, "b", include_derived=False) == []


def test_ego_distances_follow_derived_edges_of_the_full_graph() -> None:
    directory = Directory(
        (inst("a", "Weg 1"), inst("b", "Weg 1"), inst("c"), inst("d")),
        links=(Link("a", "c", "kooperation"), Link("d", "c", "vermittlung")),
    )
    graph = build_graph(directory)
    assert set(cooperation_graph(graph).edges()) == {("a", "c"), ("c", "d")}


def test_components_largest_first_with_and_without_derived() -> None:
    directory = Directory(
        (inst("a", "Weg 1"), inst("b", "Weg 1"), inst("c"), inst("d"), inst("e")),
        links=(Link("c", "d", "kooperation"), Link("d", "e", "netzwerk")),
    )
    graph = build_graph(directory)
    first, *rest = components(graph)
    assert first == {"c", "d", "e"}
    assert sorted(rest, key=sorted) == [{"a"}, {"b"}]
    assert components(graph, include_derived=True)[:2] == [{"c", "d", "e"}, {"a", "b"}]


@pytest.mark.parametrize(("day", "kinds"), [
    (date(2019, 12, 31), set()),
    (date(2020, 1, 1), {"kooperation"}),
    (date(2021, 6, 30), {"kooperation", "vermittlung"}),
    (date(2021, 7, 1), {"vermittlung"}),
    (None, {"kooperation", "vermittlung"}),
])
def test_build_graph_on_a_day_honours_since_and_until(day: date | None, kinds: set[str]) -> None:
    directory = Directory(
        (inst("a", operator="Stadt Krefeld"), inst("b", operator="Stadt Krefeld")),
        links=(Link("a", "b", "kooperation", since=date(2020, 1, 1), until=date(2021, 6, 30)),
               Link("a", "b", "vermittlung", since=date(2021, 1, 1))),
    )
    graph = build_graph(directory, on=day)
    recorded = {data["kind"] for _, _, data in graph.edges(data=True) if not data["derived"]}
    assert recorded == kinds
    assert edges(graph, "gleicher_traeger") == {("a", "b"), ("b", "a")}


def test_shipped_sample_has_the_expected_derived_edges(data_path: Path) -> None:
    graph = build_graph(load_directory(data_path))
    assert edges(graph, "gleicher_standort") == {("wiq", "fabrik-heeder"), ("fabrik-heeder", "wiq")}
    assert edges(graph, "vermittlung") == {("wiq", "jobcenter")}
    assert edges(graph, "gleicher_traeger") == set()


def test_derived_groups_are_what_build_graph_turns_into_cliques() -> None:
    directory = Directory((inst("a", "Weg 1", "Träger"), inst("b", "Weg 1", "Träger"),
                           inst("c", "Weg 2", "Träger")))
    assert derived_groups(directory) == {"gleicher_standort": [["a", "b"]],
                                         "gleicher_traeger": [["a", "b", "c"]]}
    assert len(edges(build_graph(directory), "gleicher_traeger")) == 3 * 2


def test_node_main_need_is_the_institutions_main_need_as_on_the_map(data_path: Path) -> None:
    directory = load_directory(data_path)
    graph = build_graph(directory)
    assert graph.nodes["kita-st-stephan"]["main_need"] == "kinderbetreuung"
    assert all(graph.nodes[i.id]["main_need"] == (i.main_need or "")
               for i in directory.institutions)
