"""Exports: JSON, CSV, GeoJSON, GraphML and Open Referral HSDS from a real sample file."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.datafile.load import load_directory
from wiqnet.errors import UsageError
from wiqnet.export import FORMATS, export_directory
from wiqnet.export.hsds import hsds_id, hsds_schedules, uri
from wiqnet.export.records import CSV_COLUMNS
from wiqnet.model import Directory

# Required fields per HSDS 3.0 table (openreferral/specification schema/simple/schema.csv).
HSDS_REQUIRED = {
    "organization": {"id", "name", "description"},
    "service": {"id", "name", "status", "organization_id"},
    "location": {"id", "location_type"},
    "service_at_location": {"id", "service_id", "location_id"},
    "schedule": {"id"},
    "language": {"id"},
    "address": {
        "id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    },
    "phone": {"id", "number"},
    "accessibility": {"id", "location_id"},
    "service_area": {"id", "service_id"},
    "required_document": {"id"},
    "taxonomy": {"id", "name", "description"},
    "taxonomy_term": {"id", "name", "description"},
    "attribute": {"id", "link_id", "taxonomy_term_id", "link_entity"},
}


@pytest.fixture
def directory(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> Directory:
    """The sample with a category, accessibility, service contact, languages and odd hours."""
    wiq = small_data["institutions"][0]
    wiq["category"] = "Beratung"
    wiq["accessibility"] = "Eingang ebenerdig"
    wiq["services"][0]["contact"] = {"phone": "02151 86 34 72"}
    wiq["services"][0]["languages"] = ["de", "tr"]
    wiq["services"][0]["audience"] = ["familien", "alleinerziehende"]
    small_data["institutions"][3]["services"][0]["opening_hours"] = "Mo-Fr 08:00-12:00; PH off"
    return load_directory(directory_yaml(small_data))


def test_every_format_is_utf8_text(directory: Directory) -> None:
    for fmt in FORMATS:
        assert export_directory(directory, fmt).decode("utf-8")


def test_unknown_format_is_a_usage_error(directory: Directory) -> None:
    with pytest.raises(UsageError) as caught:
        export_directory(directory, "xlsx")
    assert str(caught.value) == (
        "unknown export format 'xlsx'; choose one of json, csv, geojson, graphml, hsds"
    )


def test_json_mirrors_the_file_plus_quarter(directory: Directory) -> None:
    data = json.loads(export_directory(directory, "json"))
    wiq = data["institutions"][0]
    assert list(wiq)[:6] == ["id", "name", "category", "operator", "address", "location"]
    assert wiq["address"] == {
        "street": "Virchowstraße 130a",
        "postcode": "47805",
        "city": "Krefeld",
    }
    assert wiq["quarter"] == "stephanplatz"
    assert wiq["verified"] == "2021-04-13"
    assert wiq["services"][0]["contact"] == {"phone": "02151 86 34 72"}
    assert "address" not in data["institutions"][4]
    assert data["links"] == [
        {
            "from": "wiq",
            "to": "jobcenter",
            "kind": "vermittlung",
            "sources": [
                {
                    "file": "krefeld-facts.md",
                    "title": "Pressemitteilung Stadt Krefeld",
                    "date": "2021-04-13",
                }
            ],
        }
    ]
    assert [q["id"] for q in data["quarters"]] == ["hardenbergviertel", "stephanplatz"]


def test_csv_has_one_row_per_service_with_institution_fields(directory: Directory) -> None:
    text = export_directory(directory, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(directory.services())
    first = rows[0]
    assert first["institution_id"] == "wiq"
    assert first["operator"] == "Stadt Krefeld, Kom.ZFB"
    assert first["lat"] == "51.322848"
    assert first["needs"] == "sozialberatung; arbeit; aemter; finanzen; erziehung; partnerschaft"
    assert first["need_labels"].startswith("Allgemeine Sozialberatung; Arbeit und Beruf; ")
    assert first["service_languages"] == "de; tr"
    assert first["service_phone"] == "02151 86 34 72"
    assert rows[4]["street"] == "" and rows[4]["lat"] == ""


def test_geojson_points_for_located_institutions(directory: Directory) -> None:
    data = json.loads(export_directory(directory, "geojson"))
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == [
        "wiq",
        "fabrik-heeder",
        "jobcenter",
        "kita-st-stephan",
    ]
    wiq = data["features"][0]
    assert wiq["geometry"] == {"type": "Point", "coordinates": [6.5723, 51.322848]}
    assert wiq["properties"]["quarter"] == "stephanplatz"
    assert wiq["properties"]["needs"] == sorted(wiq["properties"]["needs"])
    assert "Geld und Schulden" in wiq["properties"]["need_labels"]
    assert wiq["properties"]["address"] == "Virchowstraße 130a, 47805 Krefeld"


def test_graphml_reads_back_with_string_attributes(directory: Directory) -> None:
    # networkx reads no mixed graphs: drop the directed="false" marks of undirected links.
    text = export_directory(directory, "graphml").replace(b' directed="false"', b"")
    graph = nx.read_graphml(io.BytesIO(text))
    assert set(graph.nodes) == {i.id for i in directory.institutions}
    assert graph.nodes["wiq"]["needs"].split(";")[0] == "aemter"
    kinds = {(u, v, d["kind"]) for u, v, d in graph.edges(data=True)}
    assert ("wiq", "jobcenter", "vermittlung") in kinds
    derived = [d for _, _, d in graph.edges(data=True) if d["derived"]]
    assert [d["kind"] for d in derived] == ["gleicher_standort"]


def test_hsds_tables_have_required_fields_and_consistent_ids(directory: Directory) -> None:
    data = json.loads(export_directory(directory, "hsds"))
    assert set(data) == set(HSDS_REQUIRED)
    ids = {table: {row["id"] for row in rows} for table, rows in data.items()}
    for table, rows in data.items():
        for row in rows:
            assert HSDS_REQUIRED[table] <= row.keys(), (table, row)
            uuid.UUID(row["id"])
            for key, value in row.items():
                if key.endswith("_id") and key != "link_id":
                    assert value in ids[key.removesuffix("_id")], (table, key)
    assert len(data["organization"]) == 5
    assert len(data["service"]) == 5
    assert len(data["location"]) == 4
    assert len(data["service_at_location"]) == 4
    assert data["accessibility"][0]["description"] == "Eingang ebenerdig"


def test_hsds_ids_are_stable_uuid5(directory: Directory) -> None:
    first = json.loads(export_directory(directory, "hsds"))
    again = json.loads(export_directory(directory, "hsds"))
    assert first == again
    service = next(s for s in first["service"] if s["name"] == "Fallmanagement für Familien")
    assert service["id"] == hsds_id("service", "wiq-fallmanagement")
    assert uuid.UUID(service["id"]).version == 5
    assert service["fees_description"] == "kostenlos"
    assert service["eligibility_description"] == "familien; alleinerziehende"
    assert service["assured_date"] == "2021-04-13"


def test_hsds_languages_and_schedules(directory: Directory) -> None:
    data = json.loads(export_directory(directory, "hsds"))
    fall = hsds_id("service", "wiq-fallmanagement")
    assert [
        (row["code"], row["name"]) for row in data["language"] if row["service_id"] == fall
    ] == [("de", "Deutsch"), ("tr", "Türkisch")]
    hotline = hsds_id("service", "hilfetelefon-gewalt-beratung")
    assert [row["code"] for row in data["language"] if row["service_id"] == hotline] == [
        "de",
        "en",
        "tr",
        "ar",
    ]
    kita = hsds_id("location", "kita-st-stephan")
    assert [
        (r["byday"], r["opens_at"], r["closes_at"], r["description"])
        for r in data["schedule"]
        if r.get("location_id") == kita
    ] == [
        ("MO,TU,WE,TH", "07:00:00", "16:30:00", "Mo-Th 07:00-16:30; Fr 07:00-15:00"),
        ("FR", "07:00:00", "15:00:00", "Mo-Th 07:00-16:30; Fr 07:00-15:00"),
    ]
    kita_service = hsds_id("service", "kita-st-stephan-betreuung")
    [odd] = [r for r in data["schedule"] if r.get("service_id") == kita_service]
    assert odd["description"] == "Mo-Fr 08:00-12:00; PH off"
    assert "byday" not in odd


@pytest.mark.parametrize(
    ("hours", "rows"),
    [
        ("We 14:00-16:00", [("WE", "14:00:00", "16:00:00")]),
        (
            "Mo,We 09:00-12:00,14:00-16:00",
            [("MO,WE", "09:00:00", "12:00:00"), ("MO,WE", "14:00:00", "16:00:00")],
        ),
        (
            "Mo-Fr 08:00-12:00; Sa 10:00-12:00",
            [("MO,TU,WE,TH,FR", "08:00:00", "12:00:00"), ("SA", "10:00:00", "12:00:00")],
        ),
        ("Fr-Mo 18:00-24:00", [("FR,SA,SU,MO", "18:00:00", "24:00:00")]),
        ("24/7", [("MO,TU,WE,TH,FR,SA,SU", "00:00:00", "23:59:00")]),
        ("Mo-Fr 08:00-12:00; PH off", []),
        ('Mo 08:00-12:00 "nach Vereinbarung"', []),
        ("sunrise-sunset", []),
    ],
)
def test_simple_hours_become_hsds_rows(hours: str, rows: list[tuple[str, str, str]]) -> None:
    assert [(r["byday"], r["opens_at"], r["closes_at"]) for r in hsds_schedules(hours)] == rows


@given(st.text(max_size=40))
def test_hsds_schedules_never_fail(hours: str) -> None:
    for row in hsds_schedules(hours):
        assert row["freq"] == "WEEKLY"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://www.krefeld.de/de/familie/", "https://www.krefeld.de/de/familie/"),
        (
            "https://www.krefeld.de/de/bürgerservice/?q=ä#öffnung",
            "https://www.krefeld.de/de/b%C3%BCrgerservice/?q=%C3%A4#%C3%B6ffnung",
        ),
        ("https://www.müller-beratung.de/", "https://www.xn--mller-beratung-gsb.de/"),
    ],
)
def test_hsds_web_addresses_are_valid_uris(address: str, expected: str) -> None:
    assert uri(address) == expected
    assert expected.isascii()


def test_hsds_lists_service_areas(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    small_data["institutions"][0]["services"][0]["service_area"] = ["47805", "47798"]
    directory = load_directory(directory_yaml(small_data))
    data = json.loads(export_directory(directory, "hsds"))
    services = {row["id"]: row["name"] for row in data["service"]}
    areas = {(services[row["service_id"]], row["name"]) for row in data["service_area"]}
    expected = {(svc.name, code) for svc in directory.services() for code in svc.service_area}
    assert expected and areas == expected


def test_hsds_has_ages_eligibility_documents_held_hours_and_sources(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    kita = small_data["institutions"][3]["services"][0]
    kita.update(
        minimum_age=0.33,
        maximum_age=6,
        eligibility="Wohnsitz in Krefeld.",
        documents=["Impfnachweis"],
        held_at=[{"institution": "wiq", "opening_hours": "Fr 09:00-12:00"}],
    )
    data = json.loads(export_directory(load_directory(directory_yaml(small_data)), "hsds"))
    sid = hsds_id("service", "kita-st-stephan-betreuung")
    service = next(s for s in data["service"] if s["id"] == sid)
    assert (service["minimum_age"], service["maximum_age"]) == (0.33, 6)
    assert service["eligibility_description"] == "Wohnsitz in Krefeld."
    assert [(d["service_id"], d["document"]) for d in data["required_document"]] == [
        (sid, "Impfnachweis")
    ]
    held = hsds_id("service_at_location", "kita-st-stephan-betreuung@wiq")
    assert {"id": held, "service_id": sid, "location_id": hsds_id("location", "wiq")} in data[
        "service_at_location"
    ]
    assert [
        (s["byday"], s["opens_at"])
        for s in data["schedule"]
        if s.get("service_at_location_id") == held
    ] == [("FR", "09:00:00")]
    wiq = [a for a in data["attribute"] if a["link_id"] == hsds_id("organization", "wiq")]
    assert wiq == [
        {
            "id": hsds_id("attribute", "wiq:0"),
            "link_id": wiq[0]["link_id"],
            "link_type": "source",
            "link_entity": "organization",
            "taxonomy_term_id": data["taxonomy_term"][0]["id"],
            "value": "Pressemitteilung Stadt Krefeld: (krefeld-facts.md), 2021-04-13",
        }
    ]


def test_hsds_passes_the_official_hsds_3_0_schema() -> None:
    from jsonschema import FormatChecker, validators

    schema = json.loads(
        (Path(__file__).parent / "schemas" / "hsds-3.0" / "tabular.json").read_text(
            encoding="utf-8"
        )
    )
    shipped = load_directory(Path(__file__).parents[1] / "data" / "institutions.yaml")
    data = json.loads(export_directory(shipped, "hsds"))
    checker = FormatChecker()
    assert "uri" in checker.checkers  # rfc3986-validator (test extras) checks `format: uri`
    validator = validators.validator_for(schema)(schema, format_checker=checker)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert problems == []
    assert data["service_area"] and data["schedule"]
    assert {(row["timezone"], row["notes"]) for row in data["schedule"]} == {
        (1, "Ortszeit Krefeld (Europe/Berlin): UTC+1, in der Sommerzeit UTC+2")
    }
