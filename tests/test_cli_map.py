"""`wiqnet map`: standalone files, messages, options and bad input (tiles off via the runner)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PUBLIC_URL

from wiqnet.cli import main


def _kb(path: Path) -> int:
    return round(path.stat().st_size / 1024)


def test_map_writes_a_standalone_file_and_says_what_is_on_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "maps" / "karte.html"
    result = runner.invoke(main, ["map", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Wrote {out} (4 places, {_kb(out)} KB).",
        "Tiles: none; quarter outlines and markers on a plain background.",
    ]
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Karte – wiqnet</title>" in html
    body = html.split("</head>")[1].replace(PUBLIC_URL, "")
    assert "https://" not in re.sub(r'href=\\?"https://[^"]*"', "", body)
    assert f'"link":"{PUBLIC_URL}einrichtung/"' in html


def test_map_keeps_the_previous_file_as_backup(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "karte.html"
    assert runner.invoke(main, ["map", "-o", str(out)]).exit_code == 0
    first = out.read_bytes()
    assert runner.invoke(main, ["map", "--need", "arbeit", "-o", str(out)]).exit_code == 0
    assert out.with_name("karte.html.bak").read_bytes() == first
    assert "<title>Karte: Arbeit und Beruf – wiqnet</title>" in out.read_text(encoding="utf-8")


def test_map_need_and_network_draws_only_links_between_shown_places(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "arbeit.html"
    result = runner.invoke(main, ["map", "--need", "arbeit", "--network", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Wrote {out} (2 places, 1 link, {_kb(out)} KB)."
    html = out.read_text(encoding="utf-8")
    assert "WiQ – Wir im Quartier → Jobcenter Krefeld" in html
    assert "Katholische Kindertageseinrichtung" not in html
    kitas = tmp_path / "kitas.html"
    result = runner.invoke(
        main, ["map", "--need", "kinderbetreuung", "--network", "-o", str(kitas)]
    )
    assert result.output.splitlines()[0] == f"Wrote {kitas} (2 places, 0 links, {_kb(kitas)} KB)."


def test_map_query_numbers_the_results_and_marks_the_place(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "suche.html"
    result = runner.invoke(
        main, ["map", "--query", "Kita", "--near", "51.3215,6.5705", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert re.match(
        rf"Wrote {re.escape(str(out))} \(\d+ places?, \d+ KB\)\.$", result.output.splitlines()[0]
    )
    html = out.read_text(encoding="utf-8")
    assert '"Katholische Kindertageseinrichtung Sankt Stephan"' in html
    assert '[51.32,6.57,6,80,"1",' in html
    assert '"css":"wiq-here"' in html and '"label":"51.3215,6.5705"' in html
    assert "<title>Karte: Kita – wiqnet</title>" in html


def test_map_with_tiles_names_the_server(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_TILES", "https://tile.openstreetmap.de/{z}/{x}/{y}.png")
    out = tmp_path / "karte.html"
    result = runner.invoke(main, ["map", "-o", str(out)])
    assert result.output.splitlines()[1] == (
        "Tiles: https://tile.openstreetmap.de/{z}/{x}/{y}.png "
        "(loaded by the browser when the map is opened)."
    )
    assert (
        'L.tileLayer(\n                "https://tile.openstreetmap.de/{z}/{x}/{y}.png"'
        in out.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--need", "kita"], "Error: unknown need 'kita'; use one of: sozialberatung, arbeit, "),
        (
            ["--near", "47805"],
            (
                "Error: --near marks the searched place of a search; add --query, "
                "e.g. --query 'Kita' --near 47805"
            ),
        ),
        (["--query", "Kita", "--limit", "0"], "Error: the limit must be between 1 and 100, not 0"),
    ],
)
def test_map_bad_input_is_a_clean_message(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.html"
    result = runner.invoke(main, ["map", *args, "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert not out.exists()


def test_map_needs_an_output_file(runner: CliRunner) -> None:
    result = runner.invoke(main, ["map"])
    assert result.exit_code == 2 and "Missing option '-o' / '--output'" in result.output


def test_map_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["map", "--help"])
    assert (
        "Example: wiqnet map --need kinderbetreuung -o maps/kinderbetreuung.html" in result.output
    )
