"""`wiqnet flyer`: output files, formats, messages and bad input (tiles off via the runner)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from wiqnet.cli import main


@pytest.mark.browser
def test_flyer_writes_a_pdf_and_says_what_is_on_it(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "maps" / "flyer.pdf"
    result = runner.invoke(
        main, ["flyer", "--need", "kinderbetreuung", "--need", "arbeit", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    size_kb = round(out.stat().st_size / 1024)
    assert result.output.splitlines() == [
        f"Wrote {out} (A4, PDF, 2 places, {size_kb} KB).",
        "Basemap: none (offline); quarter outlines and markers on a plain background.",
        "Data checked between 2017-09-12 and 2021-04-13 (the places printed).",
    ]
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Jobcenter Krefeld" in text and "02151 86 34 72" in text
    again = runner.invoke(main, ["flyer", "--need", "kinderbetreuung", "-o", str(out)])
    assert again.exit_code == 0 and out.with_name("flyer.pdf.bak").exists()


@pytest.mark.browser
def test_flyer_format_from_the_file_name_png_at_300_dpi(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "flyer.png"
    result = runner.invoke(main, ["flyer", "--size", "A5", "--lang", "tr", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (A5, PNG, 2 places, ")
    with Image.open(out) as image:
        assert image.size == (1748, 2480)
        assert round(image.info["dpi"][0]) == 300


@pytest.mark.browser
def test_flyer_svg(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "flyer.out"
    result = runner.invoke(main, ["flyer", "--format", "svg", "--offline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().lstrip().startswith(b"<?xml") and b"<svg" in out.read_bytes()


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            ["--need", "kita", "-o", "x.pdf"],
            "Error: unknown need 'kita'; choose from: sozialberatung, arbeit,",
            2,
        ),
        (
            ["--quarter", "innenstadt", "-o", "x.pdf"],
            "Error: unknown quarter 'innenstadt'; choose one of hardenbergviertel, stephanplatz, all",
            2,
        ),
        (
            ["--need", "schutz", "-o", "x.pdf"],
            (
                "Error: no active place with a location in or near the quarters that offers schutz; "
                "try other --need keys or --quarter all"
            ),
            2,
        ),
        (
            ["--format", "png", "-o", "x.pdf"],
            (
                "Error: --format png does not match the file name 'x.pdf'; name it *.png or leave "
                "--format out"
            ),
            2,
        ),
        (
            ["-o", "x.docx"],
            (
                "Error: cannot tell the format from 'x.docx'; end the file name in .pdf, .png or .svg, "
                "or give --format"
            ),
            2,
        ),
        (
            ["--title", " ", "-o", "x.pdf"],
            "Error: the title is empty; leave --title out for the default title",
            2,
        ),
    ],
)
def test_flyer_bad_input(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["flyer", *args])
    assert not Path("x.pdf").exists()
    assert result.exit_code == code
    assert result.output.startswith(message)


def test_flyer_refuses_a_broken_tile_template(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_TILES", "https://tiles.example/{z}/{x}.png")
    result = runner.invoke(main, ["flyer", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert result.output == (
        "Error: TILES must be a URL template with {z}, {x} and {y} "
        "(or 'none'), not 'https://tiles.example/{z}/{x}.png'\n"
    )
