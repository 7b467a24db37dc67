"""Maps: structure, layers, escaping, assets (no CDN), tiles on and off, search and network."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import folium
import pytest
from conftest import TEST_SOURCE
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.errors import NotFound, UsageError
from wiqnet.maps.assets import ASSETS, asset_path, inline_text
from wiqnet.maps.build import (
    MapOptions,
    directory_map,
    map_title,
    page_parts,
    search_map,
    standalone_html,
)
from wiqnet.maps.layers import script_json
from wiqnet.maps.overlay import add_network_overlay, map_links
from wiqnet.maps.popups import web_address
from wiqnet.model import Directory, Location

WEDNESDAY_3PM = datetime(2026, 11, 25, 15, 0)
OFF = MapOptions(tiles="none", now=WEDNESDAY_3PM)
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = '"><img src=x onerror=alert(1)>'


def calls(html: str, factory: str) -> list[Any]:
    """Return the JSON configurations passed to wiqnet.<factory>(map, config) in the page."""
    pattern = re.compile(r"wiqnet\." + factory + r"\(map_\w+,\s*(\{.*?\})(?:, \w+)?\);", re.DOTALL)
    return [json.loads(m) for m in pattern.findall(html)]


def places(html: str) -> list[list[Any]]:
    """Return the place tuples of the page's (only) places layer."""
    (config,) = calls(html, "places")
    return list(config["places"])


@pytest.fixture
def small(data_path: Path) -> Directory:
    return load_directory(str(data_path))


@pytest.fixture
def evil(directory_yaml: Callable[..., Path], small_data: dict[str, Any]) -> Directory:
    """Return a directory whose texts try to break out of the HTML."""
    jobcenter = small_data["institutions"][2]
    jobcenter["name"] = EVIL_SCRIPT
    jobcenter["services"][0]["name"] = EVIL_IMG
    small_data["institutions"][3]["name"] = EVIL_IMG
    small_data["institutions"][3]["services"][0]["name"] = "</script><script>alert(2)"
    small_data["links"][0]["note"] = EVIL_SCRIPT
    path = directory_yaml(small_data)
    quarters = path.with_name("quarters.geojson")
    quarters.write_text(
        quarters.read_text(encoding="utf-8").replace(
            '"name": "Stephanplatz"', '"name": "<b onmouseover=alert(3)>Stephanplatz"'
        ),
        encoding="utf-8",
    )
    return load_directory(str(path))


def test_directory_map_draws_every_located_place_but_wiq_in_the_cluster(small: Directory) -> None:
    html = standalone_html(directory_map(small, OFF))
    names = [p[5] for p in places(html)]
    assert names == [
        "Fabrik Heeder",
        "Jobcenter Krefeld",
        "Katholische Kindertageseinrichtung Sankt Stephan",
    ]
    (config,) = calls(html, "places")
    assert config["cluster"] is True and config["filter"] is True
    (pin,) = calls(html, "pin")
    assert pin["css"] == "wiq-home" and pin["label"] == "WiQ – Wir im Quartier"
    assert pin["at"] == [51.322848, 6.5723]


def test_each_need_is_a_switchable_layer_in_contract_order(small: Directory) -> None:
    html = standalone_html(directory_map(small, OFF))
    overlays = re.findall(r'"((?:\\"|[^"])*)" : (wiq_\w+),', html)
    labels = [re.sub(r"\\u003c.*?\\u003e", "", label) for label, _name in overlays]
    assert labels == [
        "Quartiere",
        "Arbeit und Beruf",
        "\\u00c4mter und Antr\\u00e4ge",
        "Erziehung und Familie",
        "Kinderbetreuung",
        "Freizeit und Begegnung",
    ]
    bits = [c["bit"] for c in calls(html, "needLayer")]
    assert bits == [2, 4, 16, 64, 4096]


def test_marker_colour_is_the_main_need_and_the_mask_holds_all_needs(small: Directory) -> None:
    rows = {p[5]: p for p in places(standalone_html(directory_map(small, OFF)))}
    kita = rows["Katholische Kindertageseinrichtung Sankt Stephan"]
    assert kita[2] == 6 and kita[3] == (1 << 6) | (1 << 4)
    assert rows["Jobcenter Krefeld"][2] == 1


def test_main_need_is_the_most_served_then_the_first_listed(small: Directory) -> None:
    kita, wiq = small.institution("kita-st-stephan"), small.institution("wiq")
    assert kita is not None and kita.main_need == "kinderbetreuung"
    assert wiq is not None and wiq.main_need == "sozialberatung"


def test_popup_has_hours_services_languages_and_contact_links(
    directory_yaml: Callable[..., Path], small_data: dict[str, Any]
) -> None:
    small_data["institutions"][3].update(
        phone="02151 12 34",
        email="kita@example.org",
        website="https://example.org/kita",
        languages=["de", "tr"],
    )
    directory = load_directory(str(directory_yaml(small_data)))
    html = standalone_html(directory_map(directory, OFF))
    info = {p[5]: p[7] for p in places(html)}["Katholische Kindertageseinrichtung Sankt Stephan"]
    (config,) = calls(html, "places")
    assert info == [
        "Philadelphiastraße 50, 47799 Krefeld",
        ["Kindertagesbetreuung"],
        1,
        1,
        "02151 12 34",
        "kita@example.org",
        "https://example.org/kita",
    ]
    assert config["statuses"][1] == [
        "jetzt geöffnet (bis 16:30)",
        True,
        "Mo–Do 07:00–16:30, Fr 07:00–15:00",
    ]
    assert config["languages"][1] == "Deutsch, Türkisch"
    assert config["languagesLabel"] == "Sprachen"
    assert config["link"] == "/einrichtung/" and config["more"] == "Mehr zur Einrichtung"
    without = {p[5]: p[7] for p in places(html)}["Fabrik Heeder"]
    assert without == ["Virchowstraße 130a, 47805 Krefeld", ["Kulturzentrum"]]


def test_home_popup_says_when_wiq_opens_next(small: Directory) -> None:
    morning = MapOptions(tiles="none", now=datetime(2026, 11, 25, 10, 0))
    (pin,) = calls(standalone_html(directory_map(small, morning)), "pin")
    assert pin["statuses"][pin["info"][2]] == ["öffnet heute 14:00", False, "Mi 14:00–16:00"]
    assert pin["info"][4:] == ["02151 86 34 72", "wiq@krefeld.de"]
    assert pin["link"] == "/einrichtung/wiq" and pin["more"] == "Mehr zur Einrichtung"


def test_english_labels(small: Directory) -> None:
    english = MapOptions(tiles="none", now=WEDNESDAY_3PM, lang="en")
    html = standalone_html(directory_map(small, english))
    assert '<html lang="en">' in html
    (legend,) = calls(html, "legend")
    assert "Legend" in legend["html"] and "Work and career" in legend["html"]
    assert ["open now (until 16:30)", True, "Mon–Thu 07:00–16:30, Fri 07:00–15:00"] in calls(
        html, "places"
    )[0]["statuses"]


def test_standalone_maps_show_weekly_hours_not_a_live_status(small: Directory) -> None:
    options = MapOptions.from_settings(
        load_settings({"TILES": "none"}, environ={}), standalone=True
    )
    html = standalone_html(directory_map(small, options))
    assert calls(html, "places")[0]["statuses"][1] == [
        "",
        False,
        "Mo–Do 07:00–16:30, Fr 07:00–15:00",
    ]


@pytest.mark.parametrize("builder", ["directory", "search", "network"])
def test_every_text_from_the_data_is_escaped(evil: Directory, builder: str) -> None:
    if builder == "search":
        inst = evil.institution("jobcenter")
        assert inst is not None
        fmap = search_map(evil, [(inst, inst.services[0])], OFF, Location(51.32, 6.57), EVIL_IMG)
    else:
        fmap = directory_map(evil, OFF)
        if builder == "network":
            add_network_overlay(fmap, evil)
    html = standalone_html(fmap)
    for raw in (
        EVIL_SCRIPT,
        EVIL_IMG,
        "<img",
        "onerror=alert(1)>",
        "<b onmouseover",
        "</script><script>alert(2)",
    ):
        assert raw not in html
    texts = json.dumps(
        [calls(html, f) for f in ("places", "pin", "links", "quarters")], ensure_ascii=False
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts or builder == "search"
    if builder != "search":
        assert "&lt;b onmouseover=alert(3)&gt;Stephanplatz" in texts


def test_only_http_web_addresses_become_links() -> None:
    assert web_address("javascript:alert(1)") == ""
    assert (
        web_address(' https://x.example/?a=1&b="2" ')
        == "https://x.example/?a=1&amp;b=&quot;2&quot;"
    )


def _resource_urls(html: str) -> list[str]:
    """Return every URL the page would load by itself: src, stylesheet links, CSS url()."""
    found = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]+)"', html)
    found += re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    found += [u for u in re.findall(r"url\(['\"]?([^'\")]+)", html) if not u.startswith("data:")]
    return found


def test_standalone_file_loads_nothing_from_the_net_but_the_tiles(small: Directory) -> None:
    options = MapOptions(
        tiles="https://tile.openstreetmap.de/{z}/{x}/{y}.png",
        attribution="© OpenStreetMap-Mitwirkende",
        now=WEDNESDAY_3PM,
    )
    fmap = directory_map(small, options)
    add_network_overlay(fmap, small)
    html = standalone_html(fmap)
    assert [u for u in _resource_urls(html) if u != "#default#VML"] == []
    for cdn in (
        "cdn.jsdelivr",
        "cdnjs",
        "code.jquery.com",
        "bootstrapcdn",
        "fontawesome",
        "unpkg.com",
        "sourceMappingURL",
    ):
        assert cdn not in html
    assert re.findall(r'L\.tileLayer\(\s*"([^"]+)"', html) == [
        "https://tile.openstreetmap.de/{z}/{x}/{y}.png"
    ]
    assert '"attribution": "\\u00a9 OpenStreetMap-Mitwirkende"' in html


def test_every_asset_is_inlined_in_order(small: Directory) -> None:
    html = standalone_html(directory_map(small, OFF))
    starts = [html.index(inline_text(a)[:200]) for a in ASSETS]
    assert starts == sorted(starts)
    assert "W.places = function" in html and ".leaflet-container" in html


def test_tiles_none_draws_on_a_plain_background(small: Directory) -> None:
    html = standalone_html(directory_map(small, OFF))
    assert "L.tileLayer" not in html
    assert 'getContainer().classList.add("wiq-plain")' in html
    assert calls(html, "quarters")[0]["quarters"][0]["label"] == "Hardenbergviertel"


def test_options_from_settings() -> None:
    settings = load_settings(
        {"TILES": "none", "TILES_ATTRIBUTION": "x", "PUBLIC_URL": "https://wiqnet.example/"},
        environ={},
    )
    options = MapOptions.from_settings(settings, standalone=True)
    assert not options.has_tiles
    assert options.link_base == "https://wiqnet.example/einrichtung/"
    assert MapOptions.from_settings(settings).link_base == "/einrichtung/"
    assert MapOptions().attribution.endswith("OpenStreetMap</a>-Mitwirkende")


def test_class_level_folium_assets_are_left_alone(small: Directory) -> None:
    before = list(folium.Map.default_js)
    standalone_html(directory_map(small, OFF))
    assert folium.Map.default_js == before
    assert "cdn.jsdelivr" in folium.Map(tiles=None).get_root().render()


def test_need_filter_keeps_only_places_offering_it_in_its_colour(small: Directory) -> None:
    html = standalone_html(directory_map(small, OFF, need="erziehung"))
    rows = places(html)
    assert [(p[5], p[2]) for p in rows] == [("Katholische Kindertageseinrichtung Sankt Stephan", 4)]
    assert calls(html, "needLayer") == [] and calls(html, "places")[0]["filter"] is False
    assert map_title("erziehung") == "Karte: Erziehung und Familie – wiqnet"


def test_unknown_need_names_the_valid_ones(small: Directory) -> None:
    with pytest.raises(UsageError, match=r"^unknown need 'kita'; use one of: sozialberatung, "):
        directory_map(small, OFF, need="kita")


def test_search_map_numbers_results_as_in_the_list(small: Directory) -> None:
    def hit(inst_id: str) -> Any:
        inst = small.institution(inst_id)
        assert inst is not None
        return inst, inst.services[0]

    results = [
        hit("jobcenter"),
        hit("hilfetelefon-gewalt"),
        hit("kita-st-stephan"),
        hit("jobcenter"),
    ]
    html = standalone_html(search_map(small, results, OFF, Location(51.321, 6.571), "47805"))
    assert [(p[4], p[5]) for p in places(html)] == [
        ("1,4", "Jobcenter Krefeld"),
        ("3", "Katholische Kindertageseinrichtung Sankt Stephan"),
    ]
    assert places(html)[0][7][1] == [
        "<b>1.</b> Bürgergeld und Arbeitsvermittlung",
        "<b>4.</b> Bürgergeld und Arbeitsvermittlung",
    ]
    (here,) = calls(html, "pin")
    assert here["css"] == "wiq-here" and here["label"] == "47805"
    assert calls(html, "places")[0]["cluster"] is False


def test_network_overlay_one_layer_per_kind_derived_dashed(
    directory_yaml: Callable[..., Path], small_data: dict[str, Any]
) -> None:
    small_data["institutions"][3]["operator"] = "Jobcenter Krefeld"
    directory = load_directory(str(directory_yaml(small_data)))
    fmap = directory_map(directory, OFF)
    add_network_overlay(fmap, directory)
    html = standalone_html(fmap)
    layers = {c["color"]: c for c in calls(html, "links")}
    assert [(c["derived"], len(c["links"])) for c in layers.values()] == [(False, 1), (True, 1)]
    assert re.search(
        r"var (wiq_links_\w+) = wiqnet\.links\(map_\w+, \{[^\n]*\"derived\":true\}\);\n"
        r"(?!\1\.addTo)",
        html,
    ), "derived links start switched off"
    recorded = layers["#c24400"]["links"][0]
    assert recorded[4] == "<b>Vermittlung</b><br>WiQ – Wir im Quartier → Jobcenter Krefeld"
    assert layers["#9a7b00"]["links"][0][4].startswith("<b>gleicher Träger</b><br>")
    assert fmap.link_count == 2
    (legend,) = calls(html, "legend")
    assert "Vermittlung" in legend["html"] and 'stroke-dasharray=\\"4 3\\"' not in legend["html"]
    assert 'stroke-dasharray="4 3"' in legend["html"]


def test_links_at_the_same_spot_are_not_drawn(small: Directory) -> None:
    kinds = [(x.a.id, x.b.id, x.kind) for x in map_links(small)]
    assert kinds == [("wiq", "jobcenter", "vermittlung")]


def test_page_parts_put_the_nonce_on_every_script(small: Directory) -> None:
    parts = page_parts(directory_map(small, OFF), lambda a: f"/v/{a.package}/{a.filename}", "N1")
    tags = re.findall(r"<script[^>]*>", parts.head + parts.script)
    assert tags and all('nonce="N1"' in t for t in tags)
    assert '<script nonce="N1" src="/v/leaflet/leaflet.js">' in parts.head
    assert '<link rel="stylesheet" href="/v/wiqnet/wiqmap.css"/>' in parts.head
    assert "user-scalable" not in parts.head and "html, body" not in parts.head
    assert 'class="folium-map"' in parts.body and ".wiq-c0{background:#1f5fa8 url(" in parts.head


@pytest.mark.parametrize(
    "package, filename",
    [
        ("leaflet", "../../jquery/data/jquery.js"),
        ("leaflet", "nope.js"),
        ("bootstrap", "x.js"),
        ("wiqnet", "../maps.py"),
    ],
)
def test_asset_path_refuses_anything_outside_the_asset_folders(package: str, filename: str) -> None:
    with pytest.raises(NotFound):
        asset_path(package, filename)


def test_inlined_css_carries_its_images_as_data_uris() -> None:
    css = next(inline_text(a) for a in ASSETS if a.filename == "leaflet.css")
    assert "url(data:image/png;base64," in css and "url(images/" not in css


@given(st.text())
def test_script_json_never_contains_markup_and_round_trips(value: str) -> None:
    encoded = script_json({"v": value})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"v": value}


def test_network_overlay_leaves_out_ended_links(
    directory_yaml: Callable[..., Path], small_data: dict[str, Any]
) -> None:
    small_data["links"] = [
        {
            "from": "wiq",
            "to": "jobcenter",
            "kind": "vermittlung",
            "until": "2020-12-31",
            "sources": [dict(TEST_SOURCE)],
        },
        {
            "from": "wiq",
            "to": "kita-st-stephan",
            "kind": "kooperation",
            "since": "2021-01-01",
            "sources": [dict(TEST_SOURCE)],
        },
    ]
    directory = load_directory(str(directory_yaml(small_data)))
    drawn = {(link.a.id, link.b.id) for link in map_links(directory) if not link.derived}
    assert drawn == {("kita-st-stephan", "wiq")} or drawn == {("wiq", "kita-st-stephan")}
