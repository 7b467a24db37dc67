"""HSDS's tabular form: CSV files and datapackage.json, checked against the official package."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package
from rfc3986_validator import validate_rfc3986

from wiqnet.datafile import load_directory
from wiqnet.errors import WriteError
from wiqnet.export import hsds_tables
from wiqnet.export.hsdscsv import CSV_FILES, DATAPACKAGE, hsds_csv_files, write_folder
from wiqnet.model import Directory

SCHEMAS = Path(__file__).parent / "schemas" / "hsds-3.0"
OFFICIAL: dict[str, Any] = json.loads((SCHEMAS / "datapackage.json").read_text(encoding="utf-8"))
SHIPPED = Path(__file__).parents[1] / "data" / "institutions.yaml"


@pytest.fixture(scope="module")
def shipped() -> Directory:
    """Return the shipped directory."""
    return load_directory(SHIPPED)


def official_for(folder: Path) -> dict[str, Any]:
    """Return the official data package cut to the CSV files in folder (as HSDS's own
    examples/make_datapackages.py does), foreign keys only between present tables."""
    package = copy.deepcopy(OFFICIAL)
    names = {p.name for p in folder.glob("*.csv")}
    package["resources"] = [r for r in package["resources"] if r["path"] in names]
    present = {r["name"] for r in package["resources"]}
    for resource in package["resources"]:
        schema = resource["schema"]
        keys = [k for k in schema.get("foreignKeys", []) if k["reference"]["resource"] in present]
        schema.pop("foreignKeys", None)
        if keys:
            schema["foreignKeys"] = keys
        # Match columns by name: a table has only the columns its rows use (the test checks
        # the header against the official fields and required fields itself).
        schema["fieldsMatch"] = "superset"
    return package


def problems(package: Package) -> list[str]:
    """Return every error frictionless finds in the package, one line each."""
    report = package.validate()
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.message}" for e in report.errors
    ]


def test_file_names_are_hsds_paths() -> None:
    official = {r["name"]: r["path"] for r in OFFICIAL["resources"]}
    assert {table: official[table] for table in CSV_FILES} == CSV_FILES


def test_every_table_with_rows_is_a_file(shipped: Directory) -> None:
    files = hsds_csv_files(shipped)
    tables = {t for t, rows in hsds_tables(shipped).items() if rows}
    assert set(files) == {CSV_FILES[t] for t in tables} | {DATAPACKAGE}
    assert list(files)[-1] == DATAPACKAGE


def test_rows_are_the_json_exports_rows(shipped: Directory) -> None:
    files = hsds_csv_files(shipped)
    for table, rows in hsds_tables(shipped).items():
        if not rows:
            continue
        text = files[CSV_FILES[table]].decode("utf-8")
        read = list(csv.DictReader(text.splitlines()))
        assert len(read) == len(rows)
        for got, row in zip(read, rows, strict=True):
            assert {k: v for k, v in got.items() if v} == {
                k: str(v) for k, v in row.items() if v not in (None, "")
            }


def test_csv_validates_against_the_official_hsds_datapackage(
    shipped: Directory, tmp_path: Path
) -> None:
    folder = tmp_path / "hsds"
    write_folder(folder, hsds_csv_files(shipped))
    package = official_for(folder)
    for resource in package["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert set(header) <= {f["name"] for f in fields}, resource["name"]
        required = {f["name"] for f in fields if f["constraints"].get("required")}
        assert required <= set(header), resource["name"]
        # frictionless only asks a uri for its scheme; RFC 3986 in full, as for the JSON export
        uris = {f["name"] for f in fields if f.get("format") == "uri"} & set(header)
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name in uris:
                    assert not row[name] or validate_rfc3986(row[name], rule="URI"), row[name]
    # Types, uuid/uri/email/date/time formats, required and unique values, enums, foreign keys.
    official = Package(package, basepath=str(folder))
    assert problems(official) == []
    assert {r["name"] for r in package["resources"]} >= {"service", "schedule", "attribute"}


def test_the_written_datapackage_validates_its_files(shipped: Directory, tmp_path: Path) -> None:
    folder = tmp_path / "hsds"
    write_folder(folder, hsds_csv_files(shipped))
    assert problems(Package(str(folder / DATAPACKAGE))) == []
    ours = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))
    official = {r["name"]: r for r in OFFICIAL["resources"]}
    for resource in ours["resources"]:
        types = {f["name"]: f["type"] for f in official[resource["name"]]["schema"]["fields"]}
        for field in resource["schema"]["fields"]:
            wanted = {"integer": "number"}.get(field["type"], field["type"])
            # Ours says string where HSDS has a date or time: a looser, still valid reading.
            assert wanted in (types[field["name"]], "string"), (resource["name"], field)


def test_the_folder_is_written_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "hsds"
    write_folder(folder, {"a.csv": b"id\r\n", DATAPACKAGE: b"{}\n"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", DATAPACKAGE]
    assert [p.name for p in folder.parent.iterdir()] == ["hsds"]


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    folder = tmp_path / "hsds"
    folder.mkdir()
    write_folder(folder, {"a.csv": b"id\r\n"})
    assert [p.name for p in folder.iterdir()] == ["a.csv"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: (p.mkdir(), (p / "alt.txt").write_text("x", encoding="utf-8")),
            "the folder is not empty; give a new or empty folder",
        ),
        (lambda p: p.write_text("x", encoding="utf-8"), "exists and is not a folder"),
        (lambda p: p.symlink_to(p.parent), "exists and is not a folder"),
    ],
)
def test_a_taken_target_is_refused_and_left_alone(tmp_path: Path, make: Any, message: str) -> None:
    target = tmp_path / "hsds"
    make(target)
    before = sorted(p.name for p in tmp_path.rglob("*") if not p.is_symlink())
    with pytest.raises(WriteError, match=message):
        write_folder(target, {"a.csv": b"id\r\n"})
    assert sorted(p.name for p in tmp_path.rglob("*") if not p.is_symlink()) == before


def test_a_file_in_the_path_is_a_clean_error(tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(WriteError) as caught:
        write_folder(blocker / "hsds", {"a.csv": b"id\r\n"})
    assert str(caught.value) == (
        f"{blocker / 'hsds'}: cannot be written (a part of the path is a file, not a folder); "
        "nothing was changed"
    )
