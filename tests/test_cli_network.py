"""`wiqnet network stats|export|report`."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from wiqnet.cli import main


@pytest.fixture
def linked(runner: CliRunner) -> CliRunner:
    """Return the runner after adding a dated link, so that the network has history."""
    result = runner.invoke(
        main,
        [
            "link",
            "add",
            "wiq",
            "kita-st-stephan",
            "--kind",
            "kooperation",
            "--since",
            "2022-03-01",
            "--source",
            "Test",
        ],
    )
    assert result.exit_code == 0, result.output
    return runner


def test_stats(linked: CliRunner) -> None:
    result = linked.invoke(main, ["network", "stats", "--on", "2024-01-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Network on 2024-01-01: 5 active institutions, 2 linked pairs, density 0.2000"
    )
    assert lines[1] == (
        "Components (2+ institutions): 1, largest 3; isolates: 2; communities: 1 (modularity 0.00)"
    )
    assert lines[2:4] == [
        "Brokers (betweenness):",
        "  0.1667    2 partners  wiq  WiQ – Wir im Quartier",
    ]
    assert "Gaps (need x quarter without an active service): " in result.output
    assert "Suggested introductions:" in result.output


def test_stats_on_an_earlier_day(linked: CliRunner) -> None:
    result = linked.invoke(main, ["network", "stats", "--on", "2022-01-01"])
    assert result.output.splitlines()[0].endswith("1 linked pairs, density 0.1000")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "svg", "png"])
def test_export_writes_each_format(linked: CliRunner, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out" / f"netz.{fmt}"
    result = linked.invoke(main, ["network", "export", "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {target} ({fmt}, ")
    assert target.stat().st_size > 100


def test_exported_graphml_opens_in_networkx(linked: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "netz.graphml"
    linked.invoke(main, ["network", "export", "--format", "graphml", "-o", str(target)])
    # networkx reads no mixed graphs: drop the directed="false" marks of undirected links.
    text = target.read_bytes().replace(b' directed="false"', b"")
    graph = nx.read_graphml(io.BytesIO(text), force_multigraph=True)
    assert graph.number_of_nodes() == 5
    assert graph.nodes["wiq"]["name"] == "WiQ – Wir im Quartier"


def test_export_svg_links_to_the_public_url(
    linked: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIQNET_PUBLIC_URL", "https://wiq.example/")
    target = tmp_path / "netz.svg"
    linked.invoke(main, ["network", "export", "--format", "svg", "-o", str(target)])
    assert 'href="https://wiq.example/einrichtung/wiq"' in target.read_text(encoding="utf-8")


def test_export_unknown_format(linked: CliRunner, tmp_path: Path) -> None:
    result = linked.invoke(
        main, ["network", "export", "--format", "dot", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'dot' is not one of" in result.output


def test_report_is_dated_and_compares_two_days(linked: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "maps" / "netzwerkbericht.html"
    result = linked.invoke(
        main,
        ["network", "report", "-o", str(target), "--on", "2024-06-30", "--compare", "2022-01-01"],
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {target}.\n"
    html = target.read_text(encoding="utf-8")
    assert "<title>Netzwerkbericht WiQ – Stand 30.06.2024</title>" in html
    assert "Entwicklung vom 01.01.2022 bis 30.06.2024" in html
    assert "WiQ – Wir im Quartier – Katholische Kindertageseinrichtung Sankt Stephan" in html
    for heading in (
        "Kennzahlen",
        "Netzwerkdiagramm",
        "Brückenbauer",
        "Einrichtungen ohne eingetragene Kooperation (2)",
        "Neue Verbindungen",
        "Versorgung nach Anliegen und Quartier",
        "Vorgeschlagene Kontakte",
        "Anhang: vollständige Listen",
        "Lücken",
    ):
        assert heading in html
    assert (
        "<svg" in html
        and "<script" not in html
        and "http://"
        not in html.replace("http://www.w3.org/2000/svg", "").replace("http://127.0.0.1:5000/", "")
    )


def test_report_without_history_has_no_growth_section(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "bericht.html"
    assert runner.invoke(main, ["network", "report", "-o", str(target)]).exit_code == 0
    html = target.read_text(encoding="utf-8")
    assert f"Stand {date.today().strftime('%d.%m.%Y')}" in html
    year_ago = date.today() - timedelta(days=365)
    assert f"Entwicklung vom {year_ago.strftime('%d.%m.%Y')} bis" in html


@pytest.mark.browser
def test_report_prints_to_pdf(linked: CliRunner, tmp_path: Path) -> None:
    import pypdfium2

    target = tmp_path / "bericht.html"
    result = linked.invoke(main, ["network", "report", "-o", str(target), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "bericht.pdf"
    assert result.output.endswith(f"Wrote {pdf}.\n")
    document = pypdfium2.PdfDocument(str(pdf))
    text = document[0].get_textpage().get_text_range()
    assert "Netzwerkbericht WiQ" in text
