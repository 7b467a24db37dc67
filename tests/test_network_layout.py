"""The diagram: force-directed layout (seeded, cached), node size and colour, SVG and PNG."""

from __future__ import annotations

import json
import re
from pathlib import Path

from network_fixtures import directory, inst, link, star, two_components

from wiqnet.needs import FALLBACK_COLOUR, need_colour
from wiqnet.network import layout as network_layout
from wiqnet.network.draw import to_png, to_svg
from wiqnet.network.layout import diagram, layout


def test_layout_is_repeatable_and_inside_the_unit_square() -> None:
    first = diagram(star())
    again = diagram(star())
    assert [(n.id, n.x, n.y) for n in first.nodes] == [(n.id, n.x, n.y) for n in again.nodes]
    assert all(0.0 <= n.x <= 1.0 and 0.0 <= n.y <= 1.0 for n in first.nodes)


def test_layout_is_cached_on_disk_by_structure(tmp_path: Path) -> None:
    d = two_components()
    drawn = diagram(d, cache_dir=tmp_path)
    files = list((tmp_path / "network-layout").glob("*.json"))
    assert len(files) == 1
    stored = json.loads(files[0].read_text())
    assert set(stored) == {n.id for n in drawn.nodes}
    network_layout._memory.clear()
    nodes = [n.id for n in drawn.nodes]
    assert layout(nodes, list(drawn.edges), tmp_path) == {k: tuple(v) for k, v in stored.items()}


def test_node_size_grows_with_partners_and_colour_is_the_main_need() -> None:
    drawn = diagram(star())
    by_id = {n.id: n for n in drawn.nodes}
    assert by_id["c"].radius == 16.0 and by_id["c"].degree == 4
    assert by_id["l1"].radius == 5.0 + 11.0 * 0.5
    assert by_id["c"].colour == need_colour("sozialberatung")
    assert need_colour(None) == need_colour("no-such-need") == FALLBACK_COLOUR


def test_derived_edges_and_directed_links() -> None:
    d = directory([inst("a", operator="T"), inst("b", operator="T"), inst("c")],
                  [link("a", "c", "vermittlung"), link("b", "c")])
    edges = {(e.a, e.b, e.kind): e for e in diagram(d).edges}
    assert edges[("a", "b", "gleicher_traeger")].derived
    assert edges[("a", "c", "vermittlung")].directed
    assert not edges[("b", "c", "kooperation")].directed


def test_above_max_nodes_a_connected_part_around_the_hubs_is_drawn() -> None:
    drawn = diagram(two_components(), max_nodes=3)
    assert [n.id for n in drawn.nodes] == ["h", "s1", "s2"]
    assert [n.id for n in diagram(two_components(), max_nodes=5).nodes] == [
        "h", "p", "q", "s1", "s2"]
    assert drawn.total == 7
    assert "3 von 7 Einrichtungen gezeigt" in to_svg(drawn)


def test_ego_diagram_marks_steps_and_focus() -> None:
    drawn = diagram(two_components(), focus="p", radius=1)
    assert {n.id: n.steps for n in drawn.nodes} == {"p": 0, "q": 1}
    assert drawn.focus == "p"
    assert drawn.total == 2 and "gezeigt" not in to_svg(drawn)


def test_svg_links_every_node_and_dashes_derived_edges() -> None:
    d = directory([inst("a", operator="T", name="<script>alert(1)</script>"),
                   inst("b", operator="T")], [])
    svg = to_svg(diagram(d))
    assert svg.count('<a href="/einrichtung/') == 2
    assert '<a href="/einrichtung/a" data-id="a">' in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert re.search(r'<svg [^>]*viewBox="0 0 1260 1000"', svg)


def test_svg_arrow_for_directed_kinds_and_english_legend() -> None:
    d = directory([inst("a"), inst("b", ["arbeit"])], [link("a", "b", "vermittlung")])
    svg = to_svg(diagram(d), href=None, lang="en")
    assert 'marker-end="url(#netz-arrow)"' in svg
    assert "<a " not in svg
    assert "Work and career" in svg and "Cooperation (recorded)" in svg


def test_png_is_an_image() -> None:
    png = to_png(diagram(star()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_derived_edges_of_big_groups_are_not_drawn() -> None:
    small = directory([inst(f"s{i}", operator="Klein") for i in range(3)], [])
    big = directory([inst(f"b{i:02d}", operator="Groß") for i in range(13)], [])
    assert len(diagram(small).edges) == 3
    assert diagram(big).edges == ()
