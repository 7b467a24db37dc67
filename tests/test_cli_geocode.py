"""`wiqnet geocode` against a fake Nominatim on 127.0.0.1, writing a real YAML file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fake_nominatim import FakeNominatim

from wiqnet.cli import main
from wiqnet.config import load_settings
from wiqnet.datafile.edit import dump_text
from wiqnet.datafile.load import load_directory
from wiqnet.geocoder import Geocoder, GeocodeResult, fill_missing_locations
from wiqnet.model import Location

JOBCENTER = "Fütingsweg 34, 47805 Krefeld"
KITA = "Philadelphiastraße 50, 47799 Krefeld"
WIQ = "Virchowstraße 130a, 47805 Krefeld"


def _text(data: dict[str, Any]) -> str:
    text = dump_text(data)
    text = text.replace("name: Jobcenter Krefeld\n", "name: Jobcenter Krefeld  # Hauptstelle\n")
    return "# Verzeichnis der Koordinatorin\n" + text


@pytest.fixture
def unlocated(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> Path:
    """Write the sample with the Jobcenter and the Kita lacking coordinates."""
    for inst in small_data["institutions"]:
        if inst["id"] in ("jobcenter", "kita-st-stephan"):
            del inst["location"]
    return directory_yaml(_text(small_data))


@pytest.fixture
def env(nominatim: FakeNominatim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at the fake server with no pause; return the cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("WIQNET_GEOCODER_URL", nominatim.url)
    monkeypatch.setenv("WIQNET_CACHE_DIR", str(cache))
    monkeypatch.setenv("WIQNET_GEOCODER_MIN_INTERVAL", "0")
    monkeypatch.setenv("WIQNET_GEOCODER_TIMEOUT", "2")
    monkeypatch.setenv("WIQNET_USER_AGENT", "wiqnet-test/1.0")
    return cache


def run(path: Path, *args: str) -> Any:
    """Invoke `wiqnet --data PATH geocode ARGS`."""
    return CliRunner().invoke(main, ["--data", str(path), "geocode", *args])


def test_geocode_fills_missing_coordinates_and_keeps_comments(
    nominatim: FakeNominatim, env: Path, unlocated: Path
) -> None:
    nominatim.answers[JOBCENTER] = ("ok", 51.329, 6.579)
    nominatim.answers[KITA] = ("ok", 51.32, 6.57)
    result = run(unlocated)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Geocoder: {nominatim.url} (at most one request every 0 s; cache {env}/geocoder.json)\n"
        f"resolved   jobcenter: {JOBCENTER} -> 51.329000, 6.579000\n"
        f"resolved   kita-st-stephan: {KITA} -> 51.320000, 6.570000\n"
        "2 resolved (0 from the cache), 0 unresolved; skipped 2 with coordinates "
        "and 1 without address.\n"
        f"Added coordinates to 2 institution(s) in {unlocated}.\n"
    )
    text = unlocated.read_text(encoding="utf-8")
    assert text.startswith("# Verzeichnis der Koordinatorin\n")
    assert "name: Jobcenter Krefeld  # Hauptstelle\n" in text
    assert "      city: Krefeld\n    location: {lat: 51.329, lon: 6.579}\n    sources:" in text
    directory = load_directory(unlocated)
    assert directory.institution("jobcenter").location == Location(51.329, 6.579)
    assert directory.institution("kita-st-stephan").quarter == "stephanplatz"
    assert nominatim.queries() == [JOBCENTER, KITA]
    assert (unlocated.parent / "institutions.yaml.bak").exists()


def test_person_set_coordinates_are_never_looked_up_or_changed(
    nominatim: FakeNominatim, env: Path, unlocated: Path
) -> None:
    nominatim.default = ("ok", 50.0, 7.0)
    before = load_directory(unlocated)
    assert run(unlocated).exit_code == 0
    after = load_directory(unlocated)
    assert WIQ not in nominatim.queries()
    for inst_id in ("wiq", "fabrik-heeder"):
        assert after.institution(inst_id).location == before.institution(inst_id).location
    assert after.institution("hilfetelefon-gewalt").location is None


def test_coordinates_a_person_adds_while_geocoding_runs_are_kept(
    nominatim: FakeNominatim, unlocated: Path, tmp_path: Path
) -> None:
    nominatim.default = ("ok", 50.0, 7.0)
    settings = load_settings(
        {
            "GEOCODER_URL": nominatim.url,
            "CACHE_DIR": str(tmp_path / "c"),
            "GEOCODER_MIN_INTERVAL": 0.0,
        },
        environ={},
    )

    def person_edits(result: GeocodeResult) -> None:
        if result.institution_id == "jobcenter":
            text = unlocated.read_text(encoding="utf-8")
            text = text.replace(
                "name: Jobcenter Krefeld  # Hauptstelle\n",
                "name: Jobcenter Krefeld\n    location: {lat: 51.1, lon: 6.1}\n",
            )
            unlocated.write_text(text, encoding="utf-8")

    report = fill_missing_locations(unlocated, Geocoder(settings), progress=person_edits)
    assert report.written == 1
    directory = load_directory(unlocated)
    assert directory.institution("jobcenter").location == Location(51.1, 6.1)
    assert directory.institution("kita-st-stephan").location == Location(50.0, 7.0)


def test_dry_run_writes_nothing_and_the_real_run_then_asks_no_one(
    nominatim: FakeNominatim, env: Path, unlocated: Path
) -> None:
    nominatim.default = ("ok", 51.32, 6.57)
    before = unlocated.read_bytes()
    result = run(unlocated, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        f"Dry run: would add coordinates to 2 institution(s); {unlocated} is unchanged.\n"
    )
    assert unlocated.read_bytes() == before
    assert not (unlocated.parent / "institutions.yaml.bak").exists()
    assert len(nominatim.requests) == 2

    result = run(unlocated)
    assert result.exit_code == 0, result.output
    assert "2 resolved (2 from the cache)" in result.output
    assert f"resolved   jobcenter: {JOBCENTER} -> 51.320000, 6.570000 (cached)\n" in result.output
    assert len(nominatim.requests) == 2

    result = run(unlocated)
    assert (
        "0 resolved (0 from the cache), 0 unresolved; skipped 4 with coordinates" in result.output
    )
    assert result.exit_code == 0
    assert len(nominatim.requests) == 2


def test_unknown_addresses_are_listed_and_exit_1(
    nominatim: FakeNominatim, env: Path, unlocated: Path
) -> None:
    nominatim.answers[JOBCENTER] = ("ok", 51.329, 6.579)
    result = run(unlocated)
    assert result.exit_code == 1
    assert result.output.splitlines()[-3:] == [
        "Unresolved addresses:",
        (
            f"  kita-st-stephan: {KITA}: the geocoder knows no such address; correct it, or add "
            "'location: {lat: ..., lon: ...}' by hand"
        ),
        f"Added coordinates to 1 institution(s) in {unlocated}.",
    ]
    assert load_directory(unlocated).institution("jobcenter").location is not None


def test_a_point_outside_germany_is_not_written(
    nominatim: FakeNominatim, env: Path, unlocated: Path
) -> None:
    nominatim.answers[JOBCENTER] = ("ok", 51.329, 6.579)
    nominatim.answers[KITA] = ("ok", 40.4, -3.7)
    result = run(unlocated)
    assert result.exit_code == 1
    assert (
        f"  kita-st-stephan: {KITA}: the geocoder placed it outside Germany (40.4, -3.7); "
        "check the address\n"
    ) in result.output
    directory = load_directory(unlocated)
    assert directory.institution("kita-st-stephan").location is None
    assert directory.institution("jobcenter").location is not None


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("500", "answered with an error (HTTP 500); try again later"),
        (
            "429",
            (
                "refused the request: too many requests (HTTP 429); wait a while, "
                "then run the command again"
            ),
        ),
        (
            "garbage",
            (
                "answered with something that is not JSON; check that GEOCODER_URL points "
                "to a Nominatim server"
            ),
        ),
        (("sleep", 0.6), "did not answer within 0.3 s; try again later or raise GEOCODER_TIMEOUT"),
    ],
)
def test_geocoder_failures_are_reported_per_address_and_exit_4(
    nominatim: FakeNominatim,
    env: Path,
    unlocated: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Any,
    problem: str,
) -> None:
    monkeypatch.setenv("WIQNET_GEOCODER_TIMEOUT", "0.3")
    nominatim.answers[JOBCENTER] = ("ok", 51.329, 6.579)
    nominatim.answers[KITA] = answer
    result = run(unlocated)
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert f"failed     kita-st-stephan: {KITA}\n" in result.output
    assert (
        f"  kita-st-stephan: {KITA}: the geocoder at {nominatim.url} {problem}\n" in result.output
    )
    assert load_directory(unlocated).institution("jobcenter").location is not None
    assert not (env / "geocoder.json").read_text(encoding="utf-8").count("philadelphia")


def test_it_stops_asking_after_three_failures_in_a_row(
    nominatim: FakeNominatim,
    env: Path,
    small_data: dict[str, Any],
    directory_yaml: Callable[..., Path],
) -> None:
    nominatim.default = "500"
    for inst in small_data["institutions"]:
        inst.pop("location", None)
    path = directory_yaml(_text(small_data))
    result = run(path)
    assert result.exit_code == 4
    assert len(nominatim.requests) == 3
    assert (
        "  kita-st-stephan: Philadelphiastraße 50, 47799 Krefeld: "
        "not tried: the geocoder failed 3 times in a row\n"
    ) in result.output


def test_an_invalid_data_file_is_reported_not_geocoded(
    nominatim: FakeNominatim, env: Path, directory_yaml: Callable[..., Path]
) -> None:
    path = directory_yaml("institutions: []\nfoo: [\n")
    result = run(path)
    assert result.exit_code == 1
    assert result.output.endswith(
        f"Error: {path}:3:1: YAML syntax error: did not find expected node content\n"
    )
    assert nominatim.requests == []


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(main, ["geocode", "--help"])
    assert "Example: wiqnet geocode --dry-run" in result.output
    assert "0 when every address was resolved, 1 when some addresses were" in result.output
