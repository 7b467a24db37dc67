"""Flyers: selection, layout, tiles with a real local tile server, and real Chromium PDFs."""

from __future__ import annotations

import copy
import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PUBLIC_URL, QUARTERS_GEOJSON, SMALL, TEST_SOURCE
from fake_tiles import serve_tiles
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.errors import NotFound, TileError, UsageError
from wiqnet.flyer import Flyer, FlyerOptions, make_flyer
from wiqnet.flyer.layout import (
    Layout,
    attribution_text,
    flyer_view,
    render_html,
    scale_bar,
)
from wiqnet.flyer.paper import PAPERS
from wiqnet.flyer.select import select
from wiqnet.flyer.texts import LANGS, labels
from wiqnet.flyer.tiles import MAX_TILES, TileCache, View, basemap, fit_view
from wiqnet.model import Directory

WIQ_PHONE = "02151 86 34 72"
MM_TO_PT = 72 / 25.4
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def write_directory(folder: Path, extra: int = 0) -> Directory:
    """Write the small sample (plus `extra` generated places in the quarter) and load it."""
    data: dict[str, Any] = copy.deepcopy(SMALL)
    for i in range(extra):
        data["institutions"].append(
            {
                "id": f"treff-{i}",
                "name": f"Testtreff {i:02d}",
                "sources": [dict(TEST_SOURCE)],
                "address": {"street": f"Teststraße {i}", "postcode": "47805", "city": "Krefeld"},
                "location": {"lat": 51.319 + (i % 6) * 0.0021, "lon": 6.566 + (i // 6) * 0.0016},
                "services": [
                    {
                        "id": f"treff-{i}-offen",
                        "name": "Offener Treff",
                        "description": "Treffpunkt mit Elternberatung.",
                        "needs": ["freizeit", "erziehung"],
                    }
                ],
            }
        )
    path = folder / "institutions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    return load_directory(path)


def settings(tmp: Path, tiles: str = "none") -> dict[str, Any]:
    """Return effective settings with a private tile cache."""
    return load_settings(
        {"TILES": tiles, "CACHE_DIR": str(tmp / "cache"), "PUBLIC_URL": PUBLIC_URL}, environ={}
    )


def words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Return (xMin, yMin, xMax, yMax, text) of every word that pdftotext finds."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(a), float(b), float(c), float(d), html.unescape(t))
        for a, b, c, d, t in WORD.findall(out)
    ]


def text(pdf: Path) -> str:
    """Return the text of the PDF, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def page_size(pdf: Path) -> tuple[float, float]:
    """Return the page size in points from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found
    return float(found.group(1)), float(found.group(2))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a module-wide temp folder."""
    return tmp_path_factory.mktemp("flyer")


@pytest.fixture(scope="module")
def directory(folder: Path) -> Directory:
    """Return the small sample directory plus 30 generated places."""
    return write_directory(folder, extra=30)


def render(
    directory: Directory, folder: Path, name: str, options: FlyerOptions, tiles: str = "none"
) -> tuple[Flyer, Path]:
    """Make a flyer and write it to folder/name."""
    made = make_flyer(directory, options, settings(folder, tiles))
    path = folder / name
    path.write_bytes(made.content)
    return made, path


@pytest.fixture(scope="module")
def german(directory: Directory, folder: Path) -> tuple[Flyer, Path]:
    """Return the offline German A4 flyer for all needs (one Chromium run for many tests)."""
    return render(directory, folder, "de.pdf", FlyerOptions())


@pytest.fixture(scope="module")
def arabic(directory: Directory, folder: Path) -> tuple[Flyer, Path]:
    """Return the offline Arabic A5 flyer with bleed."""
    return render(
        directory,
        folder,
        "ar.pdf",
        FlyerOptions(lang="ar", size="A5", bleed=True, needs=("kinderbetreuung", "arbeit")),
    )


# --- selection -------------------------------------------------------------------------------


def test_selection_keeps_the_nearest_up_to_the_limit_and_numbers_by_name(
    directory: Directory,
) -> None:
    chosen = select(directory, limit=24)
    names = [e.institution.name for e in chosen.entries]
    assert len(names) == 24 and chosen.left_out == 8  # Fabrik Heeder: culture only
    assert names == sorted(names, key=str.casefold)
    assert [e.number for e in chosen.entries] == list(range(1, 25))
    assert "WiQ – Wir im Quartier" not in names and chosen.home is not None
    assert "Hilfetelefon Gewalt gegen Frauen" not in names  # no location: not on a map


def test_selection_by_need_and_quarter(directory: Directory) -> None:
    chosen = select(directory, needs=("kinderbetreuung",), quarter="stephanplatz")
    assert [e.institution.name for e in chosen.entries] == [
        "Katholische Kindertageseinrichtung Sankt Stephan"
    ]
    entry = chosen.entries[0]
    assert entry.hours == "Mo–Do 07:00–16:30, Fr 07:00–15:00"
    assert chosen.home_hours == "Mi 14:00–16:00"
    assert chosen.data_date.isoformat() == "2021-04-13"


def test_selection_by_ids_keeps_their_order(directory: Directory) -> None:
    chosen = select(directory, ids=("kita-st-stephan", "jobcenter", "hilfetelefon-gewalt"))
    assert [(e.number, e.institution.id) for e in chosen.entries] == [
        (1, "kita-st-stephan"),
        (2, "jobcenter"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"needs": ("kita",)},
            UsageError,
            "unknown need 'kita'; choose from: sozialberatung, arbeit",
        ),
        (
            {"quarter": "innenstadt"},
            UsageError,
            "unknown quarter 'innenstadt'; choose one of hardenbergviertel, stephanplatz, all",
        ),
        (
            {"needs": ("schutz",)},
            NotFound,
            (
                "no active place with a location in or near the quarters that offers schutz; "
                "try other --need keys or --quarter all"
            ),
        ),
        ({"ids": ("nirgendwo",)}, NotFound, "no institution with id 'nirgendwo'"),
    ],
)
def test_selection_refuses_bad_input(
    directory: Directory, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        select(directory, **kwargs)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (FlyerOptions(size="A3"), "unknown paper size 'A3'; choose A4 or A5"),
        (FlyerOptions(fmt="docx"), "unknown format 'docx'; choose one of pdf, png, svg"),
        (FlyerOptions(lang="fr"), "unknown flyer language 'fr'; choose one of de, en, tr, ar"),
        (FlyerOptions(title="  "), "the title is empty; leave --title out for the default title"),
    ],
)
def test_make_flyer_refuses_bad_options(
    directory: Directory, folder: Path, options: FlyerOptions, message: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make_flyer(directory, options, settings(folder))


def test_every_language_has_every_label() -> None:
    for lang in LANGS:
        assert labels(lang).keys() == labels("de").keys()


# --- map geometry ----------------------------------------------------------------------------


@given(st.lists(st.tuples(st.floats(51.2, 51.4), st.floats(6.4, 6.7)), min_size=1, max_size=30))
def test_fit_view_shows_every_point_inside_the_map(points: list[tuple[float, float]]) -> None:
    view = fit_view(points, 188, 104)
    for lat, lon in points:
        x, y = view.to_mm(lat, lon)
        assert -0.01 <= x <= 188.01 and -0.01 <= y <= 104.01
    dpi = view.width_px / (188 / 25.4)
    assert 100 - 1e-6 <= dpi <= 200 + 1e-6


def test_scale_bar_is_round_and_true_to_scale(directory: Directory) -> None:
    view = flyer_view(select(directory), PAPERS["A4"])
    length, label = scale_bar(view, 37.6)
    metres = float(label.split()[0]) * (1000 if label.endswith("km") else 1)
    assert metres in (100, 200, 250, 500, 1000)
    assert length == pytest.approx(metres / view.metres_per_mm())
    assert length <= 37.6


def test_attribution_spells_out_the_link() -> None:
    raw = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
    assert attribution_text(raw) == (
        "© OpenStreetMap-Mitwirkende, https://www.openstreetmap.org/copyright"
    )


def test_too_many_tiles_are_refused(tmp_path: Path) -> None:
    view = View(16, 0, 0, 256 * 9, 256 * 8, 300, 260, 51.3)
    with pytest.raises(TileError) as caught:
        basemap(view, TileCache("http://127.0.0.1:9/{z}/{x}/{y}.png", "test", tmp_path))
    assert str(caught.value) == (
        f"this map needs 72 tiles; the limit per flyer is {MAX_TILES} (no bulk downloads). "
        "Choose a smaller paper size or fewer places"
    )


def test_tile_server_errors_are_reported(tmp_path: Path) -> None:
    with serve_tiles() as fake:
        fake.status = 503
        cache = TileCache(fake.template, "test", tmp_path)
        with pytest.raises(TileError) as caught:
            cache.tile(16, 1, 1)
    host = fake.url.removeprefix("http://")
    assert str(caught.value) == (
        f"tile server {host} answered 503 for tile 16/1/1; check TILES, or print without "
        "a basemap with --offline (TILES=none)"
    )


# --- rendered flyers (Chromium) --------------------------------------------------------------


@pytest.mark.browser
def test_pdf_opens_as_one_a4_page(german: tuple[Flyer, Path]) -> None:
    width, height = page_size(german[1])
    assert (width / MM_TO_PT, height / MM_TO_PT) == (
        pytest.approx(210, abs=0.5),
        pytest.approx(297, abs=0.5),
    )


@pytest.mark.browser
def test_pdf_text_lists_every_place_and_the_wiq_contact(german: tuple[Flyer, Path]) -> None:
    flyer, path = german
    content = text(path)
    for entry in flyer.selection.entries:
        assert entry.institution.name in content
    for expected in (
        WIQ_PHONE,
        "wiq@krefeld.de",
        "Ihre Anlaufstellen im Quartier",
        "Offene Sprechstunde: Mi 14:00–16:00",
        "Angaben geprüft zwischen 12.09.2017 und 10.01.2026",
        "Weitere 8 Anlaufstellen finden Sie online.",
        "Ohne Hintergrundkarte",
        "Quartiersgrenzen ungefähr",
        PUBLIC_URL,
    ):
        assert expected in content


@pytest.mark.browser
def test_numbers_on_the_map_match_the_legend(german: tuple[Flyer, Path]) -> None:
    flyer, path = german
    found = words(path)
    note_top = next(w[1] for w in found if w[4] == "Quartiersgrenzen")
    # Map markers: every number 1..N once above the note under the map, each at its marker.
    markers = {
        int(n): (float(x), float(y))
        for n, x, y in re.findall(
            r'<g class="marker" data-number="(\d+)">\s*<circle cx="([\d.-]+)" cy="([\d.-]+)"',
            flyer.html,
        )
    }
    expected = {e.number for e in flyer.selection.entries}
    assert set(markers) == expected
    on_map = [w for w in found if w[4].isdigit() and w[3] < note_top and int(w[4]) in expected]
    assert sorted(int(w[4]) for w in on_map) == sorted(expected)
    offsets = [
        (
            (w[0] + w[2]) / 2 - markers[int(w[4])][0] * MM_TO_PT,
            (w[1] + w[3]) / 2 - markers[int(w[4])][1] * MM_TO_PT,
        )
        for w in on_map
    ]
    assert max(o[0] for o in offsets) - min(o[0] for o in offsets) < 1.5
    assert max(o[1] for o in offsets) - min(o[1] for o in offsets) < 1.5
    # Each marker stands for its entry's place: its leader starts at the place's position.
    view = flyer_view(flyer.selection, PAPERS["A4"])
    for entry in flyer.selection.entries:
        loc = entry.institution.location
        assert loc is not None
        x, y = view.to_mm(loc.lat, loc.lon)
        mx, my = markers[entry.number]
        moved = re.search(rf'<circle cx="{x:.2f}" cy="{y:.2f}" r="0.6"', flyer.html)
        assert (mx, my) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01)) or moved
    # Legend: number n stands on the line of entry n's name, just left of it.
    for entry in flyer.selection.entries:
        first = entry.institution.name.split()[0]
        name_word = next(
            w
            for w in found
            if w[4] == first
            and w[1] > note_top
            and any(
                v[4] == str(entry.number) and abs(v[1] - w[1]) < 4 and 0 < w[0] - v[2] < 12
                for v in found
            )
        )
        assert name_word


@pytest.mark.browser
def test_pdf_renders_to_png(german: tuple[Flyer, Path], tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(german[1]), str(tmp_path / "page")],
        check=True,
    )
    assert (tmp_path / "page.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.browser
def test_arabic_flyer_is_right_to_left_on_a5_with_bleed(arabic: tuple[Flyer, Path]) -> None:
    flyer, path = arabic
    assert '<html lang="ar" dir="rtl">' in flyer.html
    width, height = page_size(path)
    assert (width / MM_TO_PT, height / MM_TO_PT) == (
        pytest.approx(154, abs=0.5),
        pytest.approx(216, abs=0.5),
    )
    content = text(path)
    assert "جهات المساعدة" in content and WIQ_PHONE in content
    assert "Katholische Kindertageseinrichtung Sankt Stephan" in content
    title = [w for w in words(path) if re.search("[\u0600-\u06ff]", w[4])]
    top = min(w[1] for w in title)
    first_line = [w for w in title if abs(w[1] - top) < 2]
    assert min(w[0] for w in first_line) > width / 2
    assert max(w[2] for w in first_line) > width * 0.8


@pytest.mark.browser
def test_basemap_from_the_tile_server_is_cached_and_credited(
    directory: Directory, folder: Path
) -> None:
    options = FlyerOptions(needs=("kinderbetreuung", "arbeit"), quarter="stephanplatz")
    with serve_tiles() as fake:
        first, path = render(directory, folder, "tiles.pdf", options, fake.template)
        requests_first = list(fake.requests)
        second, _ = render(directory, folder, "tiles2.pdf", options, fake.template)
    assert 0 < len(requests_first) == first.tiles_fetched == first.tiles <= MAX_TILES
    agents = {agent for _path, agent in requests_first}
    assert agents == {"wiqnet/0.1 (WiQ Krefeld; wiq@krefeld.de)"}
    assert len(fake.requests) == len(requests_first) and second.tiles_fetched == 0
    assert (
        "Kartendaten © OpenStreetMap-Mitwirkende, https://www.openstreetmap.org/copyright"
        in text(path)
    )
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) == 1
    x_ppi, y_ppi = (int(v) for v in images[0].split()[12:14])
    assert 290 <= x_ppi <= 310 and 290 <= y_ppi <= 310
    assert len(first.content) <= 5 * 1024 * 1024


def test_capped_selection_prefers_places_inside_that_cover_more_needs(directory: Directory) -> None:
    chosen = select(directory, limit=1)
    assert [e.institution.id for e in chosen.entries] == ["kita-st-stephan"]
    assert chosen.left_out == 31


def test_text_from_the_data_and_the_title_is_escaped(tmp_path: Path) -> None:
    data = copy.deepcopy(SMALL)
    data["institutions"][1]["name"] = "Fabrik <b>Heeder</b> & Co"
    path = tmp_path / "institutions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    chosen = select(load_directory(path))
    layout = Layout(PAPERS["A4"], False, "de", "<i>Titel</i>", "http://127.0.0.1:5000/", None)
    page = render_html(chosen, layout, flyer_view(chosen, PAPERS["A4"]), None)
    assert "Fabrik &lt;b&gt;Heeder&lt;/b&gt; &amp; Co" in page and "<b>Heeder" not in page
    assert "<h1>&lt;i&gt;Titel&lt;/i&gt;</h1>" in page
