"""The Wegweiser booklet: every service by need, a numbered map per need, contents and index."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wiqnet.cli import main
from wiqnet.flyer.booklet import sort_key
from wiqnet.printing import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and shutil.which("pdftotext")),
        reason="Chromium and poppler-utils are needed",
    ),
]
CHAPTERS = [
    "Arbeit und Beruf",
    "Ämter und Anträge",
    "Erziehung und Familie",
    "Kinderbetreuung",
    "Freizeit und Begegnung",
    "Schutz und Krise",
]


def pages_text(pdf: Path) -> list[str]:
    """Return the text of every page."""
    out = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def test_index_sorts_umlauts_with_their_letters() -> None:
    names = ["Zionskirche", "Ärztlicher Dienst", "„das tägliche brot“", "Beratung"]
    assert sorted(names, key=sort_key) == [
        "Ärztlicher Dienst",
        "Beratung",
        "„das tägliche brot“",
        "Zionskirche",
    ]


def test_booklet_has_a_page_per_need_contents_and_index(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "wegweiser.pdf"
    result = runner.invoke(main, ["flyer", "--booklet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (A4, 9 pages, 6 needs, 4 places, ")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+9$", info, re.MULTILINE)  # cover, contents, 6 needs, index
    pages = pages_text(out)
    assert "Wegweiser für Familien" in pages[0] and "Kontaktstelle in der Fabrik Heeder" in pages[0]
    assert "116 016" in pages[0] and "https://wiq.example.org/" in pages[0]
    for number, label in enumerate(CHAPTERS, start=1):
        page = number + 2
        assert re.search(rf"{number}\s+{label}\s+{page}\b", pages[1]), label  # contents
        assert pages[page - 1].lstrip().startswith(f"{number} · {label}")
    assert "Jobcenter Krefeld" in pages[2]
    assert "Hilfetelefon Gewalt gegen Frauen" in pages[7]  # phone only: listed, not mapped
    assert "Weitere Anlaufstellen" in pages[7]
    index = " ".join(pages[8].split())
    assert "Jobcenter Krefeld – Arbeit und Beruf 1 (Seite 3);" in index
    assert "Ämter und Anträge 1 (Seite 4)" in index


def test_a5_booklet_in_turkish(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "rehber.pdf"
    result = runner.invoke(
        main, ["flyer", "--booklet", "--size", "A5", "--lang", "tr", "--no-qr", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = pages_text(out)
    assert "Aileler için rehber" in pages[0] and "İçindekiler" in pages[1]
    assert "Dizin" in pages[-1]


def test_web_button_prints_the_booklet(client: Any, tmp_path: Path) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<a class="button" href="/wegweiser.pdf">Wegweiser drucken (PDF, A4)</a>' in html
    response = client.get("/wegweiser.pdf?size=a5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "w.pdf"
    pdf.write_bytes(response.data)
    assert len(pages_text(pdf)) == 9
