"""Exports: GraphML and GEXF re-import with the same nodes, edges and attributes; JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import igraph
import networkx as nx
import pytest
from lxml import etree
from network_fixtures import directory, inst, link, north

from wiqnet.datafile import load_directory
from wiqnet.errors import UsageError
from wiqnet.network.export import export_graph, export_network


def sample() -> object:
    return directory(
        [
            inst(
                "wiq",
                ["sozialberatung", "arbeit"],
                north(0),
                operator="Stadt",
                name="WiQ – Wir im Quartier",
            ),
            inst("kita", ["kinderbetreuung"], north(300), operator="Stadt", name="Kita <Süd>"),
            inst("jc", ["arbeit"], north(900), name='Jobcenter "Mitte"'),
            inst("tel", ["schutz"], None, name="Hilfetelefon"),
        ],
        [
            link("wiq", "jc", "vermittlung", since=date(2021, 4, 13)),
            link("wiq", "kita", "kooperation"),
            link("jc", "kita", "netzwerk", until=date(2020, 1, 1)),
        ],
    )


def edge_set(graph: nx.Graph) -> dict[tuple[str, str, str], dict[str, object]]:
    skip = {"id", "networkx_key"}
    return {
        (u, v, d["kind"]): {k: x for k, x in d.items() if k not in skip}
        for u, v, d in graph.edges(data=True)
    }


def test_export_graph_has_one_edge_per_link_and_per_derived_pair() -> None:
    graph = export_graph(sample())
    assert sorted(graph.edges(keys=True)) == [
        ("jc", "kita", "netzwerk"),
        ("kita", "wiq", "gleicher_traeger"),
        ("wiq", "jc", "vermittlung"),
        ("wiq", "kita", "kooperation"),
    ]
    assert graph.edges["wiq", "jc", "vermittlung"]["directed"] is True
    assert graph.edges["wiq", "jc", "vermittlung"]["since"] == "2021-04-13"
    assert graph.nodes["wiq"]["needs"] == "arbeit;sozialberatung"
    assert "lat" not in graph.nodes["tel"]


def test_export_on_a_day_leaves_out_ended_links() -> None:
    graph = export_graph(sample(), date(2024, 1, 1))
    assert ("jc", "kita", "netzwerk") not in graph.edges(keys=True)


def test_graphml_reimports_with_the_same_nodes_edges_and_attributes() -> None:
    original = export_graph(sample())
    # networkx reads no mixed graphs: it refuses edges marked directed="false" in a
    # directed graph, so drop the marks (the `directed` data attribute keeps the fact).
    text = export_network(sample(), "graphml").replace(b' directed="false"', b"")
    back = nx.read_graphml(io.BytesIO(text), force_multigraph=True, edge_key_type=str)
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    assert sorted(edge_set(back)) == sorted(original.edges(keys=True))
    assert edge_set(back) == edge_set(original)
    assert back.is_directed()


def test_gexf_reimports_with_the_same_nodes_edges_and_attributes() -> None:
    original = export_graph(sample())
    back = nx.read_gexf(io.BytesIO(export_network(sample(), "gexf")))
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    assert edge_set(back) == edge_set(original)


def test_node_link_json() -> None:
    data = json.loads(export_network(sample(), "json"))
    assert data["directed"] and data["multigraph"]
    assert {n["id"] for n in data["nodes"]} == {"wiq", "kita", "jc", "tel"}
    assert len(data["edges"]) == 4
    assert nx.node_link_graph(data, edges="edges").number_of_edges() == 4


def test_csv_edge_list() -> None:
    rows = list(csv.DictReader(io.StringIO(export_network(sample(), "csv").decode("utf-8"))))
    assert list(rows[0]) == [
        "from",
        "to",
        "kind",
        "directed",
        "derived",
        "since",
        "until",
        "note",
        "sources",
    ]
    first = next(r for r in rows if r["kind"] == "vermittlung")
    assert first == {
        "from": "wiq",
        "to": "jc",
        "kind": "vermittlung",
        "directed": "true",
        "derived": "false",
        "since": "2021-04-13",
        "until": "",
        "note": "",
        "sources": "(test), 2026-01-10",
    }


def test_svg_and_png_exports() -> None:
    svg = export_network(sample(), "svg", href="https://example.org/einrichtung/{id}")
    assert svg.startswith(b"<svg") and b'href="https://example.org/einrichtung/wiq"' in svg
    assert b"Kita &lt;S\xc3\xbcd&gt;" in svg
    assert export_network(sample(), "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown format 'dot'; choose one of graphml, gexf"):
        export_network(sample(), "dot")


SCHEMAS = Path(__file__).parent / "schemas"


def test_graphml_has_unique_edge_ids_and_marks_undirected_links() -> None:
    root = etree.fromstring(export_network(sample(), "graphml"))
    edges = root.findall(".//{http://graphml.graphdrawing.org/xmlns}edge")
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == 4
    marked = {(e.get("source"), e.get("target")): e.get("directed") for e in edges}
    assert marked == {
        ("wiq", "jc"): None,
        ("wiq", "kita"): "false",
        ("jc", "kita"): "false",
        ("kita", "wiq"): "false",
    }


def test_graphml_reads_back_in_igraph(tmp_path: Path) -> None:
    path = tmp_path / "network.graphml"
    path.write_bytes(export_network(sample(), "graphml"))
    graph = igraph.Graph.Read_GraphML(str(path))
    assert sorted(graph.vs["id"]) == ["jc", "kita", "tel", "wiq"]
    assert sorted(graph.es["kind"]) == [
        "gleicher_traeger",
        "kooperation",
        "netzwerk",
        "vermittlung",
    ]


@pytest.mark.parametrize("data", ["sample", "shipped"])
def test_graphml_passes_the_graphml_schema(data: str) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "graphml-1.0" / "graphml.xsd.xml")))
    if data == "shipped":
        shipped = Path(__file__).parent.parent / "data" / "institutions.yaml"
        chosen = load_directory(shipped)
    else:
        chosen = sample()
    document = etree.fromstring(export_network(chosen, "graphml"))
    assert schema.validate(document), schema.error_log


def test_gexf_is_version_1_3_and_passes_its_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf-1.3" / "gexf.xsd")))
    document = etree.fromstring(export_network(sample(), "gexf"))
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "1.3"
