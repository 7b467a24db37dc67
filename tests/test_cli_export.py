"""`wiqnet export`: formats to stdout, -o writes atomically, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet.cli import main


@pytest.mark.parametrize("fmt", ["json", "csv", "geojson", "graphml", "hsds"])
def test_each_format_goes_to_stdout(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(main, ["export", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.output


def test_geojson_to_stdout_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--format", "geojson"])
    data = json.loads(result.output)
    assert len(data["features"]) == 4


def test_output_file_is_written_atomically_with_a_backup(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "out" / "verzeichnis.json"
    result = runner.invoke(main, ["export", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    size = target.stat().st_size
    assert result.output == f"Wrote json export ({size:,} bytes) to {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["institutions"][0]["id"] == "wiq"
    runner.invoke(main, ["export", "--format", "csv", "-o", str(target)])
    assert target.read_text(encoding="utf-8").startswith("institution_id,")
    assert json.loads((tmp_path / "out" / "verzeichnis.json.bak").read_text(encoding="utf-8"))
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_unwritable_output_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["export", "--format", "json", "-o", str(blocker / "x.json")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output == (
        f"Error: {blocker / 'x.json'}: cannot be written (a part of the "
        "path is a file, not a folder); nothing was changed\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export"], "Missing option '--format'"),
        (["export", "--format", "xlsx"], "Invalid value for '--format': 'xlsx' is not one of"),
    ],
)
def test_bad_options(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output


def test_invalid_data_is_reported_not_exported(tmp_path: Path) -> None:
    path = tmp_path / "institutions.yaml"
    path.write_text("institutions:\n  - id: a\n\tname: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--data", str(path), "export", "--format", "json"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:3:1: YAML syntax error")


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert "Example: wiqnet export --format geojson -o maps/einrichtungen.geojson" in result.output


def test_hsds_csv_writes_a_folder_of_tables(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "export" / "hsds"
    result = runner.invoke(main, ["export", "--format", "hsds-csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Wrote hsds-csv export (")
    assert lines[0].endswith(f" bytes) to {target}")
    assert "  organizations.csv            5 rows" in lines
    assert lines[-1].startswith("  datapackage.json ")
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([r["path"] for r in package["resources"]] + ["datapackage.json"])
    assert [p.name for p in target.parent.iterdir()] == ["hsds"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "--format", "hsds-csv"],
            "Error: --format hsds-csv writes several files: give a new folder with -o\n",
        ),
        (
            ["export", "--format", "hsds-csv", "--excel", "-o", "x"],
            "Error: --excel only applies to --format csv, not --format hsds-csv\n",
        ),
    ],
)
def test_hsds_csv_bad_options(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, args)
    assert (result.exit_code, result.output) == (2, message)


def test_hsds_csv_never_writes_into_a_filled_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "hsds"
    target.mkdir()
    (target / "notiz.txt").write_text("bleibt", encoding="utf-8")
    result = runner.invoke(main, ["export", "--format", "hsds-csv", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: the folder is not empty; give a new or empty folder "
        "(the export never mixes its files with others)\n"
    )
    assert [p.name for p in target.iterdir()] == ["notiz.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_folder_as_file_output_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--format", "json", "-o", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: -o {tmp_path}: is a folder; give a file name\n",
    )
