"""The shipped directory data/institutions.yaml and the quarter outlines."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiqnet import geo
from wiqnet.cli import main
from wiqnet.datafile.load import load_directory
from wiqnet.datafile.store import load_yaml
from wiqnet.datafile.validate import validate_document
from wiqnet.model import Directory, Location, Source
from wiqnet.needs import need_keys
from wiqnet.network.graph import derived_groups

DATA = Path(__file__).resolve().parents[1] / "data"
SHIPPED = DATA / "institutions.yaml"
PRESS_RELEASE_NEEDS = {"sozialberatung", "arbeit", "erziehung", "partnerschaft", "aemter",
                       "finanzen"}


@pytest.fixture(scope="module")
def directory() -> Directory:
    """Return the shipped directory, loaded once."""
    return load_directory(SHIPPED)


def test_first_line_references_the_schema() -> None:
    first = SHIPPED.read_text("utf-8").splitlines()[0]
    assert first == ("# yaml-language-server: "
                     "$schema=../wiqnet/datafile/schema/institutions.schema.json")


def test_shipped_data_validates_without_errors() -> None:
    problems = validate_document(load_yaml(SHIPPED))
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_shipped_data_is_big_enough(directory: Directory) -> None:
    assert len(directory.institutions) >= 70
    assert len(directory.services()) >= 100


def test_every_need_has_a_service(directory: Directory) -> None:
    covered = Counter(n for s in directory.services() for n in s.needs)
    assert [key for key in need_keys() if not covered[key]] == []


def test_every_record_and_link_has_a_source_with_a_reference_and_a_date(
        directory: Directory) -> None:
    def unsourced(sources: tuple[Source, ...]) -> bool:
        return not sources or any(not (s.url or s.file) or s.date is None for s in sources)

    assert [i.id for i in directory.institutions if unsourced(i.sources)] == []
    assert [(k.source_id, k.target_id) for k in directory.links if unsourced(k.sources)] == []


def test_open_data_records_are_verified_at_the_data_date(directory: Directory) -> None:
    imported = [i for i in directory.institutions
                if all((s.file or "").startswith("krefeld-open-data/") for s in i.sources)]
    assert len(imported) > 60
    assert {str(i.verified) for i in imported} == {"2017-09-12"}


def test_wiq_is_there_with_its_contact_and_hour(directory: Directory) -> None:
    wiq = directory.institution("wiq")
    assert wiq is not None
    assert wiq.contact.phone == "02151 86 34 72"
    assert wiq.contact.email == "wiq@krefeld.de"
    assert wiq.opening_hours == "We 14:00-16:00"
    assert wiq.address is not None and wiq.address.street == "Virchowstraße 130a"
    case_management = directory.service("wiq-fallmanagement")
    assert case_management is not None
    assert set(case_management.needs) == PRESS_RELEASE_NEEDS


def test_wiq_refers_to_the_jobcenter_as_the_press_release_says(directory: Directory) -> None:
    referrals = {(k.target_id, k.kind) for k in directory.links if k.source_id == "wiq"}
    assert ("jobcenter-krefeld", "vermittlung") in referrals


def test_no_quarter_is_typed_by_hand() -> None:
    raw = load_yaml(SHIPPED).data
    assert [i["id"] for i in raw["institutions"] if "quarter" in i] == []


def test_both_quarters_have_institutions(directory: Directory) -> None:
    quarters = Counter(i.quarter for i in directory.institutions)
    assert quarters["hardenbergviertel"] >= 15
    assert quarters["stephanplatz"] >= 15


def test_quarter_outlines_are_marked_approximate_and_sourced() -> None:
    outlines = json.loads((DATA / "quarters.geojson").read_text("utf-8"))
    props = [f["properties"] for f in outlines["features"]]
    assert {p["id"] for p in props} == {"hardenbergviertel", "stephanplatz"}
    assert all(p["approximate"] is True and "Ostwall" in p["source"] for p in props)


@pytest.mark.parametrize(("lat", "lon", "quarter"), [
    (51.329984, 6.581373, "hardenbergviertel"),  # Kulturfabrik, Dießemer Straße 13
    (51.334593, 6.582765, "hardenbergviertel"),  # Hardenbergplatz
    (51.330119, 6.570054, "stephanplatz"),  # St. Stephan
    (51.328578, 6.573323, "stephanplatz"),  # Philadelphiastraße 2
    (51.322848, 6.5723, None),  # Fabrik Heeder: south of the railway
    (51.32583, 6.56909, None),  # Hauptbahnhof
    (51.336479, 6.568241, None),  # Felbelstraße, north of Rheinstraße
])
def test_places_fall_in_the_expected_quarter(directory: Directory, lat: float, lon: float,
                                            quarter: str | None) -> None:
    assert geo.quarter_of(Location(lat, lon), directory.quarters) == quarter


@pytest.mark.shared
def test_documented_imports_reproduce_the_shipped_file(shared: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data" / "institutions.yaml"
    copy.parent.mkdir()
    shutil.copy(SHIPPED, copy)
    shutil.copy(DATA / "quarters.geojson", copy.parent / "quarters.geojson")
    open_data = shared / "krefeld-open-data"
    for within, match, names in IMPORT_COMMANDS:
        args = ["--data", str(copy), "import", "krefeld-geojson",
                *(str(open_data / f"{n}.json") for n in names), "--within", within]
        result = CliRunner().invoke(main, args + (["--match", match] if match else []))
        assert result.exit_code == 0, result.output
        assert result.output.startswith("added: 0\nupdated: 0\n"), result.output
    assert copy.read_bytes() == SHIPPED.read_bytes()


# The import commands that built the shipped file (also in the readme's import section).
IMPORT_COMMANDS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("quarter", None, (
        "kindergartens", "schools", "schoolsothers", "youthcenter", "playgrounds", "sportsfields",
        "gymnasiums", "swimmingbaths", "parks", "churches", "churcheothers", "chapels", "culture",
        "cultureothers", "theaters", "museums", "libraries", "seniors", "disabledfleets",
        "disabledothers", "hospitals", "administration", "administrationothers",
        "policestations", "universities")),
    ("city", ("^Bürgerbüro|^Fachbereich (Soziales|Jugendhilfe|Gesundheit|Schule)"
             "|^Fachbereich Bürgerservice$|^Flüchtlingskoordination$|^Standesamt$"),
     ("administration",)),
    ("city", "^Jobcenter|^Agentur für Arbeit|^Amtsgericht Krefeld|Rentenversicherung",
     ("administrationothers",)),
    ("city", "Volkshochschule|Familienbildung|Haus der Familie|Rund um St. Josef",
     ("schoolsothers",)),
    ("city", None, ("disabledothers", "hospitals")),
    ("city", "Feldstraße", ("kindergartens",)),
    ("city", "^Fabrik Heeder$|^KRESCHtheater$|^Frauenkulturbüro$",
     ("culture", "theaters", "cultureothers")),
    ("city", "^Freizeitzentrum Süd$|^Jugendfreizeiteinrichtung Herbertzstraße$",
     ("youthcenter",)),
    ("city", "^Mediothek$|^Polizeipräsidium", ("libraries", "policestations")),
]


def test_fabrik_heeder_houses_wiq_and_its_neighbours(directory: Directory) -> None:
    groups = derived_groups(directory)["gleicher_standort"]
    heeder = next(g for g in groups if "wiq" in g)
    assert set(heeder) == {"wiq", "fabrik-heeder", "kreschtheater", "frauenkulturbuero",
                           "buergerbuero-sued", "beratungszentrum-familien-und-beruf"}
