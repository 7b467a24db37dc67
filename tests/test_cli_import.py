"""`wiqnet import krefeld-geojson`: idempotent, keeps edits and comments, dry run, quarter filter."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from wiqnet.cli import main

KITA_ID = "staedtische-kita-testweg-familienzentrum"


def kita_props(**extra: Any) -> dict[str, Any]:
    """Return the properties of a Kita inside the test quarter Hardenbergviertel."""
    return {
        "title": "Städtische Kindertageseinrichtung Testweg / Familienzentrum",
        "description": "Familienzentrum;\r\n",
        "cat2": "Kinder ab 2 Jahre",
        "street": "Testweg    5",
        "zip": 47799,
        "city": "Krefeld",
        "tel": "0 21 51 / 31 52 20",
        "mail": "kita.testweg@krefeld.de",
        "text2": "montags bis freitags: 07.00 bis 16.00 Uhr",
        "text5": "Stadt Krefeld",
        **extra,
    }


def write_geojson(path: Path, *features: tuple[dict[str, Any], float, float]) -> Path:
    """Write a GeoJSON FeatureCollection of (properties, lat, lon) points."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": props,
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    }
                    for props, lat, lon in features
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    """Return two small open-data files: one Kita inside the quarter, one playground outside."""
    folder = tmp_path / "open-data"
    folder.mkdir()
    return {
        "kita": write_geojson(folder / "kindergartens.json", (kita_props(), 51.328, 6.570)),
        "playground": write_geojson(
            folder / "playgrounds.json",
            ({"title": "Draußen (Spielplatz)", "street": "Feldweg", "zip": "47800"}, 51.40, 6.60),
        ),
    }


def run(runner: CliRunner, *args: str | Path) -> Any:
    """Invoke `wiqnet import krefeld-geojson ARGS`."""
    return runner.invoke(main, ["import", "krefeld-geojson", *map(str, args)])


def test_import_adds_only_places_inside_the_quarter(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    result = run(runner, sources["kita"], sources["playground"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"added: 1 ({KITA_ID})\nupdated: 0\nunchanged: 0\noutside the quarters: 1\n"
        f"wrote {data_path}\n"
    )
    kita = next(
        i
        for i in yaml.safe_load(data_path.read_text("utf-8"))["institutions"]
        if i["id"] == KITA_ID
    )
    assert kita["phone"] == "02151 315220"
    assert kita["address"] == {"street": "Testweg 5", "postcode": "47799", "city": "Krefeld"}
    assert kita["opening_hours"] == "Mo-Fr 07:00-16:00"
    assert str(kita["verified"]) == "2017-09-12"
    assert kita["origin"]["dataset"] == "kindergartens.json"
    assert kita["origin"]["imported"]["phone"] == "02151 315220"
    assert [s["id"] for s in kita["services"]] == [
        f"{KITA_ID}-betreuung",
        f"{KITA_ID}-familienzentrum",
    ]
    assert runner.invoke(main, ["validate"]).exit_code == 0


def test_city_keeps_every_place(runner: CliRunner, sources: dict[str, Path]) -> None:
    result = run(runner, sources["kita"], sources["playground"], "--within", "city")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"added: 2 ({KITA_ID}, draussen-spielplatz)\n")


def test_running_twice_changes_nothing(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    run(runner, sources["kita"], "--within", "city")
    first = data_path.read_bytes()
    result = run(runner, sources["kita"], "--within", "city")
    assert result.exit_code == 0
    assert result.output == (
        f"added: 0\nupdated: 0\nunchanged: 1 ({KITA_ID})\n{data_path} is up to date\n"
    )
    assert data_path.read_bytes() == first


def test_fields_a_person_edited_survive_a_reimport(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    run(runner, sources["kita"])
    text = data_path.read_text("utf-8")
    data_path.write_text(
        text.replace("    phone: 02151 315220", "    phone: 02151 999999"), encoding="utf-8"
    )
    write_geojson(
        sources["kita"], (kita_props(tel="02151/111111", mail="neu@krefeld.de"), 51.328, 6.570)
    )
    result = run(runner, sources["kita"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"added: 0\nupdated: 1 ({KITA_ID})\nunchanged: 0\n"
        f"kept edited fields: {KITA_ID}.phone\nwrote {data_path}\n"
    )
    kita = next(
        i
        for i in yaml.safe_load(data_path.read_text("utf-8"))["institutions"]
        if i["id"] == KITA_ID
    )
    assert kita["phone"] == "02151 999999"
    assert kita["email"] == "neu@krefeld.de"


def test_a_deleted_service_stays_deleted(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    run(runner, sources["kita"])
    text = data_path.read_text("utf-8")
    start = text.index(f"      - id: {KITA_ID}-familienzentrum")
    end = text.index("    origin:", start)
    data_path.write_text(text[:start] + text[end:], encoding="utf-8")
    edited = data_path.read_bytes()
    result = run(runner, sources["kita"])
    assert f"unchanged: 1 ({KITA_ID})" in result.output
    assert data_path.read_bytes() == edited


def test_a_new_source_field_is_inserted_in_its_place(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    write_geojson(sources["kita"], (kita_props(tel=""), 51.328, 6.570))
    run(runner, sources["kita"])
    write_geojson(sources["kita"], (kita_props(), 51.328, 6.570))
    result = run(runner, sources["kita"])
    assert f"updated: 1 ({KITA_ID})" in result.output
    kita = next(
        i
        for i in yaml.safe_load(data_path.read_text("utf-8"))["institutions"]
        if i["id"] == KITA_ID
    )
    keys = list(kita)
    assert keys.index("location") < keys.index("phone") < keys.index("email")


COMMENTED = """\
# Verzeichnis von WiQ
institutions:
  # --- WiQ ---
  - id: wiq
    name: WiQ – Wir im Quartier  # unser Projekt
    sources: [{file: Pressemitteilung, date: 2021-04-13}]
    services:
      - id: wiq-fallmanagement
        name: Fallmanagement
        needs: [sozialberatung]
        description: Beratung.
  - name: Jobcenter
    id: jobcenter
    sources: [{file: Open Data, date: 2017-09-12}]
    services:
      - {id: jobcenter-arbeit, name: Arbeit, description: Vermittlung., needs: [arbeit]}
links:  # belegte Kooperationen
  - {from: wiq, to: jobcenter, kind: vermittlung, sources: [{file: P, date: 2021-04-13}]}
"""


def test_comments_and_key_order_are_kept(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    data_path.write_text(COMMENTED, encoding="utf-8")
    result = run(runner, sources["kita"])
    assert result.exit_code == 0, result.output
    after = data_path.read_text("utf-8")
    links = COMMENTED.index("links:")
    assert after.startswith(COMMENTED[:links])
    assert after.endswith(COMMENTED[links:])
    assert after[links:].startswith(f"  - id: {KITA_ID}\n")


def test_dry_run_writes_nothing(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    before = data_path.read_bytes()
    result = run(runner, sources["kita"], "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"added: 1 ({KITA_ID})\nupdated: 0\nunchanged: 0\ndry run: nothing written\n"
    )
    assert data_path.read_bytes() == before
    assert not data_path.with_name(data_path.name + ".bak").exists()


def test_match_keeps_only_matching_titles(runner: CliRunner, sources: dict[str, Path]) -> None:
    result = run(
        runner, sources["kita"], sources["playground"], "--within", "city", "--match", "Spielplatz"
    )
    assert result.output.startswith("added: 1 (draussen-spielplatz)\n")


def test_quarter_filter_needs_the_outlines(
    runner: CliRunner, data_path: Path, sources: dict[str, Path]
) -> None:
    outline = data_path.with_name("quarters.geojson")
    outline.unlink()
    result = run(runner, sources["kita"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {outline}: no quarter outlines found; add the file or use --within city\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--match", "(unclosed"],
            2,
            (
                "Error: --match: not a valid regular expression: "
                "missing ), unterminated subpattern at position 0\n"
            ),
        ),
        (["--within", "street"], 2, "Invalid value for '--within'"),
    ],
)
def test_bad_options_are_reported(
    runner: CliRunner, sources: dict[str, Path], args: list[str], code: int, message: str
) -> None:
    result = run(runner, sources["kita"], *args)
    assert result.exit_code == code
    assert message in result.output


def test_bad_input_file_is_reported_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "schools.json"
    bad.write_text('{"features": [}', encoding="utf-8")
    result = run(runner, bad)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bad}:1:15: not valid JSON: Expecting value; is this a GeoJSON file?\n"
    )
    missing = run(runner, tmp_path / "nope.json")
    assert missing.output == f"Error: {tmp_path / 'nope.json'}: no such file; check the path\n"


def test_help_shows_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["import", "krefeld-geojson", "--help"])
    assert "Example: wiqnet import krefeld-geojson" in result.output


@pytest.mark.shared
def test_real_open_data_imports_idempotently(
    runner: CliRunner, data_path: Path, shared: Path
) -> None:
    repo_quarters = Path(__file__).resolve().parents[1] / "data" / "quarters.geojson"
    data_path.with_name("quarters.geojson").write_text(
        repo_quarters.read_text("utf-8"), encoding="utf-8"
    )
    files = [
        shared / "krefeld-open-data" / f"{name}.json"
        for name in (
            "kindergartens",
            "schools",
            "churches",
            "playgrounds",
            "administrationothers",
            "culture",
        )
    ]
    first = run(runner, *files)
    assert first.exit_code == 0, first.output
    assert "katholische-kita-sankt-stephan-familienzentrum" in first.output
    assert "kulturfabrik-krefeld" in first.output
    assert "fabrik-heeder" not in first.output.split("\n")[0]
    written = data_path.read_bytes()
    second = run(runner, *files)
    assert second.output.startswith("added: 0\nupdated: 0\n")
    assert data_path.read_bytes() == written


@pytest.mark.shared
def test_every_real_file_imports_city_wide_into_a_valid_file(
    runner: CliRunner, shared: Path
) -> None:
    files = [
        p
        for p in sorted((shared / "krefeld-open-data").glob("*.json"))
        if p.name not in ("menu.json", "ALKIS_ADV_SHAPE_Krefeld_VERWALT_EINH.json")
    ]
    result = run(runner, *files, "--within", "city", "--dry-run")
    assert result.exit_code == 0, result.output
    assert re.match(r"added: [0-9]{3} \(", result.output)
