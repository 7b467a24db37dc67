"""The sparse-matrix betweenness equals networkx's, exact and sampled."""

from __future__ import annotations

import networkx as nx
import pytest

from wiqnet.network.betweenness import betweenness


def labelled(graph: nx.Graph) -> nx.Graph:
    return nx.relabel_nodes(graph, {v: f"n{v}" for v in graph})


GRAPHS = {
    "star": labelled(nx.star_graph(6)),
    "path": labelled(nx.path_graph(7)),
    "two-parts-and-isolates": labelled(
        nx.disjoint_union_all([nx.path_graph(4), nx.cycle_graph(5), nx.empty_graph(3)])
    ),
    "random": labelled(nx.gnp_random_graph(120, 0.03, seed=5)),
    "small-world": labelled(nx.connected_watts_strogatz_graph(300, 4, 0.1, seed=2)),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_exact_equals_networkx(name: str) -> None:
    graph = GRAPHS[name]
    assert betweenness(graph, batch=16) == pytest.approx(
        nx.betweenness_centrality(graph), abs=1e-12
    )


@pytest.mark.parametrize("name", ["random", "small-world"])
def test_sampled_equals_networkx_with_the_same_seed(name: str) -> None:
    graph = GRAPHS[name]
    ours = betweenness(graph, k=20, seed=42, batch=7)
    assert ours == pytest.approx(nx.betweenness_centrality(graph, k=20, seed=42), abs=1e-12)


def test_tiny_graphs_are_zero() -> None:
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
    assert betweenness(nx.Graph()) == {}


def test_self_loops_are_ignored() -> None:
    graph = labelled(nx.path_graph(3))
    graph.add_edge("n1", "n1")
    assert betweenness(graph)["n1"] == 1.0
