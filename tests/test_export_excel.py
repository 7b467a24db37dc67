"""CSV for German Excel (`--excel`): semicolons, CRLF, UTF-8 BOM."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.cli import main
from wiqnet.export import for_excel


@given(
    st.lists(
        st.lists(st.text(alphabet='aäöüß;,"\n x', max_size=8), min_size=2, max_size=2), max_size=5
    )
)
def test_for_excel_keeps_every_value(rows: list[list[str]]) -> None:
    source = io.StringIO(newline="")
    csv.writer(source).writerows(rows)
    out = for_excel(source.getvalue().encode("utf-8"))
    assert out.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert back == rows


def test_wiqnet_export_csv_excel(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "angebote.csv"
    result = runner.invoke(main, ["export", "--format", "csv", "--excel", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    header = data.decode("utf-8-sig").splitlines()[0]
    assert ";" in header and "," not in header
    assert "Virchowstraße 130a" in data.decode("utf-8-sig")


def test_wiqnet_network_export_csv_excel(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "netzwerk.csv"
    result = runner.invoke(
        main, ["network", "export", "--format", "csv", "--excel", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "(csv for Excel," in result.output
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and ";" in text.splitlines()[0]
    assert "wiq" in text


def test_excel_needs_csv(runner: CliRunner, tmp_path: Path) -> None:
    for args in (
        ["export", "--format", "json", "--excel"],
        ["network", "export", "--format", "gexf", "--excel", "-o", str(tmp_path / "n.gexf")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert "--excel only applies to --format csv" in result.output
