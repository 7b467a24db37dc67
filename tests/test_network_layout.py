"""The diagram: force-directed layout (seeded, cached), node size and colour, SVG and PNG."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from network_fixtures import directory, inst, link, north, star, two_components

from wiqnet.model import Address, Contact, Institution, Quarter
from wiqnet.network import layout as network_layout
from wiqnet.network.draw import png_legend, to_png, to_svg
from wiqnet.network.labels import place, shorten
from wiqnet.network.layout import diagram, layout
from wiqnet.network.palette import DIAGRAM_FALLBACK, diagram_style
from wiqnet.symbols import LINK_COLOURS, LINK_DASHES


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
    assert (by_id["c"].colour, by_id["c"].shape) == diagram_style("sozialberatung")
    assert diagram_style(None) == diagram_style("no-such-need") == DIAGRAM_FALLBACK


def test_every_need_has_its_own_colour_and_shape() -> None:
    from wiqnet.needs import need_keys

    styles = [diagram_style(k) for k in need_keys()]
    assert len(set(styles)) == len(styles)
    assert {shape for _c, shape in styles} <= {"circle", "square", "triangle", "diamond"}


def test_isolates_are_left_out_but_network_and_event_nodes_stay() -> None:
    d = two_components()
    hub = Institution(id="netz", name="Netzwerk X", services=(), kind="network")
    drawn = diagram(directory([*d.institutions, hub], list(d.links)))
    ids = {n.id for n in drawn.nodes}
    assert "z" not in ids and "netz" in ids and drawn.isolates == 1
    assert {n.shape for n in drawn.nodes if n.id == "netz"} == {"hexagon"}
    assert "Nicht gezeigt: 1 Einrichtungen ohne eingetragene Kooperation" in to_svg(drawn)


def test_columns_follow_placement() -> None:
    square = ((6.56, 51.31), (6.58, 51.31), (6.58, 51.33), (6.56, 51.33))
    inside = inst("in", quarter="q1", location=north(0))
    elsewhere = Institution(
        id="far", name="Far", services=inside.services, address=Address("Weg 1", "10115", "Berlin")
    )
    line = Institution(
        id="tel", name="Telefon", services=inside.services, contact=Contact(phone="0800 111 0 111")
    )
    d = directory(
        [inside, elsewhere, line],
        [link("in", "far"), link("in", "tel")],
        quarters=(Quarter("q1", "Q", square),),
    )
    drawn = diagram(d)
    where = {n.id: n.placement for n in drawn.nodes}
    assert where == {"in": "quartier", "far": "bund", "tel": "bund"}
    assert [c[0] for c in drawn.columns] == ["quartier", "bund"]
    by_id = {n.id: n for n in drawn.nodes}
    assert by_id["in"].x < by_id["far"].x
    assert "im Quartier (1)" in to_svg(drawn)


def test_labels_never_overlap_and_long_names_are_shortened() -> None:
    nodes = [
        (f"n{i}", f"Einrichtung mit langem Namen Nummer {i}", 300.0 + i, 100.0, 5.0)
        for i in range(30)
    ]
    placed = place(nodes, (0.0, 0.0, 1000.0, 1000.0), 12.0)
    boxes = [p.box for p in placed]
    assert placed[0].id == "n0" and 1 < len(placed) < 30
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    assert shorten("Katholischer Beratungsdienst für Lebens-, Ehe- und Erziehungsfragen") == (
        "Katholischer Beratungsdienst…"
    )
    assert shorten("WiQ") == "WiQ"


def test_recorded_links_only_directed_and_stale() -> None:
    d = directory(
        [inst("a", operator="T"), inst("b", operator="T"), inst("c")],
        [link("a", "c", "vermittlung"), link("b", "c")],
    )
    drawn = diagram(d, date(2026, 3, 1))
    edges = {(e.a, e.b, e.kind): e for e in drawn.edges}
    assert set(edges) == {("a", "c", "vermittlung"), ("b", "c", "kooperation")}
    assert edges[("a", "c", "vermittlung")].directed
    assert not edges[("b", "c", "kooperation")].directed
    assert not edges[("b", "c", "kooperation")].stale
    late = diagram(d, date(2028, 3, 1))
    assert all(e.stale and e.confirmed == date(2026, 1, 10) for e in late.edges)
    svg = to_svg(late)
    assert 'opacity="0.3"' in svg and "nicht bestätigt seit 10.01.2026" in svg
    assert "blass: nicht bestätigt seit über 365 Tagen" in svg


def test_above_max_nodes_a_connected_part_around_the_hubs_is_drawn() -> None:
    drawn = diagram(two_components(), max_nodes=3)
    assert [n.id for n in drawn.nodes] == ["h", "s1", "s2"]
    assert [n.id for n in diagram(two_components(), max_nodes=5).nodes] == [
        "h",
        "p",
        "q",
        "s1",
        "s2",
    ]
    assert drawn.total == 6
    assert "3 von 6 vernetzten Einrichtungen gezeigt" in to_svg(drawn)


def test_ego_diagram_marks_steps_and_focus() -> None:
    drawn = diagram(two_components(), focus="p", radius=1)
    assert {n.id: n.steps for n in drawn.nodes} == {"p": 0, "q": 1}
    assert drawn.focus == "p"
    assert drawn.total == 2 and "gezeigt" not in to_svg(drawn)


def test_svg_links_every_node_and_escapes_names() -> None:
    d = directory([inst("a", name="<script>alert(1)</script>"), inst("b")], [link("a", "b")])
    svg = to_svg(diagram(d))
    assert svg.count('<a href="/einrichtung/') == 2
    assert '<a href="/einrichtung/a" data-id="a"' in svg
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert re.search(r'<svg [^>]*viewBox="0 0 1300 1000"', svg)


def test_svg_arrow_for_directed_kinds_and_english_legend() -> None:
    d = directory([inst("a"), inst("b", ["arbeit"])], [link("a", "b", "vermittlung")])
    svg = to_svg(diagram(d), href=None, lang="en")
    assert 'marker-end="url(#netz-arrow-vermittlung)"' in svg
    assert "<a " not in svg
    assert "Work and career" in svg and "Referral" in svg and "Kind of link" in svg


def test_png_is_an_image() -> None:
    png = to_png(diagram(star()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_png_legend_draws_each_link_kind_with_its_colour_and_dash() -> None:
    kinds = ["kooperation", "vermittlung", "netzwerk", "auftrag"]
    d = directory(
        [inst(f"n{i}") for i in range(len(kinds) + 1)],
        [link(f"n{i}", f"n{i + 1}", kind) for i, kind in enumerate(kinds)],
    )
    entries = {h.get_label(): h for h in png_legend(diagram(d), "en")}
    labels = {"kooperation": "Cooperation", "vermittlung": "Referral"}
    for kind, label in labels.items():
        line = entries[label]
        assert line.get_color() == LINK_COLOURS[kind]
        dash = tuple(float(x) for x in LINK_DASHES[kind].split())
        assert line.get_linestyle() == ("-" if not dash else "--")
        if dash:  # matplotlib stores the pattern scaled by the line width
            _offset, pattern = line._unscaled_dash_pattern
            assert tuple(pattern) == dash
    assert len([h for h in entries.values() if h.get_marker() in (None, "None", "")]) == len(kinds)
