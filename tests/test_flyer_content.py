"""What a family-support flyer prints: selection, WiQ at Fabrik Heeder, emergency numbers, QR."""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import PUBLIC_URL, QUARTERS_GEOJSON, SMALL, TEST_SOURCE, serve_app

from wiqnet.cli import main
from wiqnet.flyer.public import PublicUrlError, check_public_url, is_local
from wiqnet.flyer.texts import EMERGENCY
from wiqnet.printing import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[1]


def with_leisure() -> dict[str, Any]:
    """Return the small sample plus a cinema, a museum and a church in the quarter."""
    data = copy.deepcopy(SMALL)
    for number, (name, category) in enumerate(
        (
            ("Filmpalast Kino", "Kino"),
            ("Stadtmuseum", "Museum"),
            ("Kirche St. Testus", "Glaubensgemeinschaft"),
        )
    ):
        data["institutions"].append(
            {
                "id": f"freizeit-{number}",
                "name": name,
                "category": category,
                "sources": [dict(TEST_SOURCE)],
                "address": {
                    "street": f"Freizeitweg {number}",
                    "postcode": "47805",
                    "city": "Krefeld",
                },
                "location": {"lat": 51.3205 + number / 1000, "lon": 6.568},
                "services": [
                    {
                        "id": f"freizeit-{number}-angebot",
                        "name": "Programm",
                        "description": "Veranstaltungen und Ausstellungen.",
                        "needs": ["freizeit"],
                    }
                ],
            }
        )
    return data


@pytest.fixture
def leisure_runner(directory_yaml: Any, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Return a CLI runner on the sample with leisure-only places, tiles off."""
    monkeypatch.setenv("WIQNET_DATA", str(directory_yaml(with_leisure())))
    monkeypatch.setenv("WIQNET_TILES", "none")
    monkeypatch.setenv("WIQNET_PUBLIC_URL", PUBLIC_URL)
    return CliRunner()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:5000/", True),
        ("http://127.0.0.1:5000/", True),
        ("http://127.8.9.10/", True),
        ("http://[::1]:8000/", True),
        ("http://0.0.0.0:5000/", True),
        ("http://wiq.localhost/", True),
        ("https://wiq.example.org/", False),
        ("http://192.168.1.20:5000/", False),
    ],
)
def test_is_local(url: str, local: bool) -> None:
    assert is_local(url) is local


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "PUBLIC_URL ist nicht gesetzt"),
        ("http://127.0.0.1:5000/", "zeigt auf diesen Rechner"),
        ("wiq.example.org", "ist keine Web-Adresse"),
        ("ftp://wiq.example.org/", "keine Web-Adresse"),
    ],
)
def test_check_public_url_says_what_and_how(url: str, problem: str) -> None:
    with pytest.raises(PublicUrlError) as caught:
        check_public_url(url)
    message = str(caught.value)
    assert problem in message and "WIQNET_PUBLIC_URL=" in message and "--no-qr" in message
    assert "Set the directory's public address" in message


@pytest.mark.parametrize(
    "url", ["", "http://localhost:5000/", "http://127.0.0.1:5000/", "http://[::1]:5000/"]
)
def test_cli_flyer_refuses_a_local_public_url(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("WIQNET_PUBLIC_URL", url)
    out = tmp_path / "flyer.pdf"
    result = runner.invoke(main, ["flyer", "-o", str(out)])
    assert result.exit_code == 2
    assert "Der QR-Code des Flyers würde ins Leere führen" in result.output
    assert "WIQNET_PUBLIC_URL=https://" in result.output and "--no-qr" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_emergency_numbers_are_those_of_the_data_file() -> None:
    data = yaml.safe_load((REPO / "data" / "institutions.yaml").read_text(encoding="utf-8"))
    phones = {str(i.get("phone", "")) for i in data["institutions"]}
    phones |= {
        str((s.get("contact") or {}).get("phone", ""))
        for i in data["institutions"]
        for s in i.get("services", [])
    }
    texts = " ".join(
        str(s.get("description", "")) for i in data["institutions"] for s in i.get("services", [])
    )
    helplines = [n for key, numbers in EMERGENCY if key not in ("police", "fire") for n in numbers]
    assert helplines == ["116 016", "116 111", "0800 111 0 111", "0800 111 0 222"]
    for number in helplines:
        assert number in phones or number in texts, number


needs_print = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and shutil.which("pdftotext") and shutil.which("zbarimg")),
    reason="Chromium, poppler-utils and zbar-tools are needed",
)


@pytest.mark.browser
@needs_print
def test_a4_flyer_names_fabrik_heeder_wiq_and_116016_no_cinema_and_its_qr_is_public_url(
    leisure_runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "flyer.pdf"
    result = leisure_runner.invoke(main, ["flyer", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for expected in (
        "Kontaktstelle in der Fabrik Heeder",
        "02151 86 34 72",
        "Im Notfall",
        "Polizei 110",
        "112",
        "Hilfetelefon Gewalt gegen Frauen 116 016",
        "116 111",
        "TelefonSeelsorge 0800 111 0 111 / 0800 111 0 222",
        PUBLIC_URL,
        "Angaben geprüft zwischen 12.09.2017 und 13.04.2021",
    ):
        assert expected in text, expected
    for leisure in ("Kino", "Museum", "Kirche St. Testus"):
        assert leisure not in text, leisure
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(out), str(tmp_path / "flyer")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "flyer.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == PUBLIC_URL


@pytest.mark.browser
@needs_print
def test_leisure_places_print_for_the_need_freizeit(
    leisure_runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "freizeit.pdf"
    result = leisure_runner.invoke(main, ["flyer", "--need", "freizeit", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Filmpalast Kino" in text and "Stadtmuseum" in text


@pytest.mark.browser
@needs_print
def test_no_qr_prints_without_qr_code_and_url(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_PUBLIC_URL", "http://127.0.0.1:5000/")
    out = tmp_path / "flyer.png"
    result = runner.invoke(main, ["flyer", "--no-qr", "--size", "A5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(out)], capture_output=True, text=True, check=False
    )
    assert found.returncode == 4 and found.stdout == ""  # 4: no code in the image


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app without PUBLIC_URL on 127.0.0.1: its own URL is local."""
    from wiqnet.web import create_app

    folder = tmp_path_factory.mktemp("local")
    data = folder / "institutions.yaml"
    data.write_text(yaml.safe_dump(SMALL, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "quarters.geojson").write_text(QUARTERS_GEOJSON, encoding="utf-8")
    app = create_app({"TESTING": True, "DATA": str(data), "TILES": "none", "SECRET_KEY": "test"})
    with serve_app(app) as url:
        yield url


@pytest.mark.browser
@needs_print
def test_web_flyer_refuses_on_a_local_url_and_offers_printing_without_qr(
    local_server: str, tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        response = page.goto(local_server + "/flyer.pdf?need=arbeit")
        assert response is not None and response.status == 409
        page.screenshot(path=str(tmp_path / "refused.png"))
        body = page.inner_text("main")
        assert "Der Flyer braucht eine öffentliche Adresse" in body
        assert "WIQNET_PUBLIC_URL=https://wiq.example.de/" in body
        assert f"PUBLIC_URL points to this machine ({local_server}/)" in body
        assert "--no-qr" not in body
        href = page.get_attribute("main a.button", "href")
        assert href == "/flyer.pdf?need=arbeit&no_qr=1"
        # a print runs at low priority and may take long on busy cores: no deadline
        printed = page.request.get(local_server + href, timeout=0)
        assert printed.status == 200 and printed.headers["content-type"] == "application/pdf"
        browser.close()


def test_web_flyer_uses_the_url_it_is_served_under(data_path: Path, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is needed")
    from wiqnet.web import create_app

    app = create_app(
        {"TESTING": True, "DATA": str(data_path), "TILES": "none", "SECRET_KEY": "test"}
    )
    response = app.test_client().get(
        "/flyer.pdf?need=arbeit", base_url="https://wiq.krefeld.example/"
    )
    assert response.status_code == 200
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "https://wiq.krefeld.example/" in text
