"""The referral slip in Debian's Chromium: discreet print, streets from tiles, the vCard QR."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import QUARTERS_GEOJSON, SMALL, serve_app
from fake_tiles import serve_tiles

from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs it
    pytest.skip("Debian chromium is not installed", allow_module_level=True)
if not (shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("zbarimg")):
    pytest.skip("poppler-utils and zbar-tools are needed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _serve(folder: Path, tiles: str) -> Any:
    from wiqnet.web import create_app

    data = folder / "institutions.yaml"
    data.write_text(yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    return serve_app(
        create_app(
            {
                "TESTING": True,
                "DATA": str(data),
                "TILES": tiles,
                "CACHE_DIR": str(folder / "cache"),
                "SECRET_KEY": "test",
            }
        )
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Launch headless Chromium once for the module."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _print(browser: Any, url: str, pdf: Path) -> str:
    """Print the page at url to pdf (A4) and a 150 dpi PNG beside it; return the PDF's text."""
    page = browser.new_page()
    page.goto(url)
    page.pdf(path=str(pdf), format="A4")
    page.close()
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _qr(png: Path) -> str:
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout


def test_discreet_slip_printed_to_pdf_names_no_topic_and_its_qr_saves_the_contact(
    browser: Any, tmp_path: Path
) -> None:
    with _serve(tmp_path, "none") as url:
        pdf = tmp_path / "diskret.pdf"
        text = _print(browser, url + "/laufzettel/hilfetelefon-gewalt-beratung?diskret=1", pdf)
    assert "NOTIZ" in text and "Kontakt" in text and "116 016" in text
    for revealing in ("gewalt", "hilfetelefon", "frauen", "laufzettel", "beratung am telefon"):
        assert revealing not in text.casefold(), revealing
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    assert "Gewalt" not in info  # nor in the PDF's title
    card = _qr(pdf.with_suffix(".png"))
    assert card.startswith("BEGIN:VCARD") and "VERSION:3.0" in card
    assert "TEL;TYPE=WORK:116016" in card and "FN:Kontakt" in card
    assert "Gewalt" not in card and "Hilfetelefon" not in card


def test_slip_is_family_facing_with_date_streets_and_a_vcard_qr(
    browser: Any, tmp_path: Path
) -> None:
    with serve_tiles() as tiles, _serve(tmp_path, tiles.template) as url:
        pdf = tmp_path / "laufzettel.pdf"
        text = _print(browser, url + "/laufzettel/wiq-fallmanagement", pdf)
        assert tiles.requests  # the streets came from the configured tiles
    assert "Stand: 13.04.2021" in text
    for internal in (
        "Pressemitteilung",
        "krefeld-facts.md",
        "via tursics",
        "vor Nutzung prüfen",
        "Skizze",
    ):
        assert internal not in text, internal
    assert "OpenStreetMap" in text  # the tiles' attribution
    card = _qr(pdf.with_suffix(".png"))
    assert "TEL;TYPE=WORK:+492151863472" in card
    assert "FN:Fallmanagement für Familien – WiQ – Wir im Quartier" in card
    assert "ADR;TYPE=WORK:;;Virchowstraße 130a;Krefeld;;47805;Deutschland" in card


def test_slip_without_tiles_says_it_is_a_sketch(browser: Any, tmp_path: Path) -> None:
    with _serve(tmp_path, "none") as url:
        text = _print(browser, url + "/laufzettel/wiq-fallmanagement", tmp_path / "s.pdf")
    assert "Skizze ohne Straßen" in text
