"""Validation rules: the schema contract, cross-record rules and the wording of problems."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.datafile.store import load_yaml, parse_yaml
from wiqnet.datafile.validate import schema, suggest, suggest_need, validate_document, where
from wiqnet.model import ACCESS_MODES, LINK_KINDS, STATUSES
from wiqnet.needs import need_keys

SCHEMA_FILE = (Path(__file__).resolve().parents[1] / "wiqnet" / "datafile" / "schema"
               / "institutions.schema.json")


def problems_of(data: dict[str, Any]) -> list[str]:
    """Validate plain data (dumped to YAML) and return the problems as strings."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return [str(p) for p in validate_document(parse_yaml(text.encode("utf-8"), "d.yaml"))]


def messages_of(data: dict[str, Any]) -> list[str]:
    """Return only the `where: message` part of each problem."""
    return [p.split(": ", 1)[1] for p in problems_of(data)]


def test_schema_need_enum_equals_needs_yaml() -> None:
    """The schema's need keys are exactly the keys of needs.yaml, in order."""
    items = schema()["$defs"]["service"]["properties"]["needs"]["items"]
    assert items["enum"] == list(need_keys())


def test_schema_link_kinds_equal_the_model() -> None:
    """The schema's link kinds are exactly model.LINK_KINDS."""
    assert schema()["$defs"]["link"]["properties"]["kind"]["enum"] == list(LINK_KINDS)


def test_schema_status_and_access_enums_equal_the_model() -> None:
    """Status and access enums follow the model."""
    defs = schema()["$defs"]
    assert defs["status"]["enum"] == list(STATUSES)
    assert defs["service"]["properties"]["access"]["items"]["enum"] == list(ACCESS_MODES)


def test_schema_is_valid_draft_2020_12_and_closed() -> None:
    """The shipped schema is a valid 2020-12 schema and rejects unknown fields."""
    from jsonschema import Draft202012Validator

    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(raw)
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name in ("institution", "service", "link", "address", "location", "contact"):
        assert raw["$defs"][name]["additionalProperties"] is False
        assert raw["$defs"][name]["description"]
    assert raw["$defs"]["institution"]["properties"]["origin"]["type"] == "object"


def test_sample_directory_is_valid(small_data: dict[str, Any]) -> None:
    """The fixture directory has no problems at all."""
    assert problems_of(small_data) == []


def test_twenty_four_seven_passes(small_data: dict[str, Any]) -> None:
    """'24/7' is valid opening hours."""
    small_data["institutions"][0]["opening_hours"] = "24/7"
    assert problems_of(small_data) == []


def test_origin_is_free_form(small_data: dict[str, Any]) -> None:
    """The importer's origin block may hold anything."""
    small_data["institutions"][0]["origin"] = {"dataset": "kindergartens.json", "hash": "ab12",
                                               "fields": {"name": "x"}}
    assert problems_of(small_data) == []


def test_unquoted_dates_are_fine(directory_yaml: Callable[..., Path]) -> None:
    """YAML dates (verified: 2021-04-13 without quotes) pass the schema."""
    text = directory_yaml().read_text(encoding="utf-8").replace("'2021-04-13'", "2021-04-13")
    assert "verified: 2021-04-13\n" in text
    doc = parse_yaml(text.encode("utf-8"), "d.yaml")
    assert isinstance(doc.data["institutions"][0]["verified"], date)
    assert validate_document(doc) == []


@pytest.mark.parametrize(("word", "key"), [
    ("schulden", "finanzen"), ("Schulden", "finanzen"), ("wohnung", "wohnen"),
    ("kita", "kinderbetreuung"), ("arbiet", "arbeit"), ("debts", "finanzen"),
    ("gewalt", None), ("sprachkurs", "sprache"), ("xyz", None),
])
def test_suggest_need(word: str, key: str | None) -> None:
    """Unknown need words are mapped to the key a person most likely meant."""
    assert suggest_need(word) == key


@pytest.mark.parametrize(("word", "expected"), [
    ("adress", "address"), ("telefon", "phone"), ("Öffnungszeiten", "opening_hours"),
    ("hours", "opening_hours"), ("zzz", None),
])
def test_suggest_field(word: str, expected: str | None) -> None:
    """Unknown field names get a did-you-mean, German names included."""
    fields = schema()["$defs"]["institution"]["properties"]
    assert suggest(word, fields) == expected


def test_where_renders_paths() -> None:
    """Paths render as dotted names with list indexes."""
    assert where(("institutions", 3, "services", 2, "needs", 0)) == \
        "institutions[3].services[2].needs[0]"
    assert where(()) == ""


@pytest.mark.parametrize("phone", ["02151 86 34 72", "+49 (0)2151 / 86-34-72", "116 016", "110"])
def test_good_phone(small_data: dict[str, Any], phone: str) -> None:
    """Ordinary German phone notations pass."""
    small_data["institutions"][0]["phone"] = phone
    assert problems_of(small_data) == []


@pytest.mark.parametrize("phone", ["12", "call us", "02151 8634 72 ext. 5", "0800-HELP"])
def test_bad_phone(small_data: dict[str, Any], phone: str) -> None:
    """Letters or fewer than three digits are errors."""
    small_data["institutions"][0]["phone"] = phone
    assert messages_of(small_data) == [
        (f"institutions[0].phone: '{phone}' is not a phone number; use digits, spaces, + / - "
        "and parentheses, e.g. '02151 86 34 72'")
    ]


@pytest.mark.parametrize(("field", "value", "ok"), [
    ("email", "wiq@krefeld.de", True), ("email", "a.b-c@sub.example.org", True),
    ("email", "wiq@krefeld", False), ("email", "wiq krefeld.de", False),
    ("website", "https://www.krefeld.de/de/", True), ("website", "http://x.de", True),
    ("website", "ftp://x.de", False), ("website", "https://", False),
    ("website", "https://www.krefeld .de", False),
])
def test_email_and_website(small_data: dict[str, Any], field: str, value: str, ok: bool) -> None:
    """E-mail addresses and http(s) URLs are checked for form."""
    small_data["institutions"][0][field] = value
    assert (problems_of(small_data) == []) is ok


def test_service_contact_is_checked_too(small_data: dict[str, Any]) -> None:
    """A service's own contact block gets the same checks."""
    small_data["institutions"][0]["services"][0]["contact"] = {"email": "nope", "phone": "1"}
    assert messages_of(small_data) == [
        ("institutions[0].services[0].contact.email: 'nope' is not an e-mail address, "
        "e.g. 'name@krefeld.de'"),
        ("institutions[0].services[0].contact.phone: '1' is not a phone number; use digits, "
        "spaces, + / - and parentheses, e.g. '02151 86 34 72'"),
    ]


def test_service_area_postcodes(small_data: dict[str, Any]) -> None:
    """Service areas are lists of five-digit postcodes."""
    small_data["institutions"][0]["services"][0]["service_area"] = ["47805", "4780"]
    assert messages_of(small_data) == [
        ("institutions[0].services[0].service_area[1]: '4780' is not a postcode; use 5 digits "
        "in quotes, e.g. \"47805\"")
    ]


def test_service_hours_are_checked(small_data: dict[str, Any]) -> None:
    """A service's opening hours must parse too."""
    small_data["institutions"][0]["services"][0]["opening_hours"] = "Mo-Fr 09:00-17:00 Uhr"
    assert messages_of(small_data) == [
        ("institutions[0].services[0].opening_hours: cannot read the opening hours "
        "'Mo-Fr 09:00-17:00 Uhr': unexpected 'Uhr' at character 19; put free text in double "
        "quotes, like 'Mo 10:00-12:00 \"nach Vereinbarung\"'")
    ]


def test_verified_today_is_fine_tomorrow_is_not(small_data: dict[str, Any]) -> None:
    """Verified may be today but not in the future."""
    small_data["institutions"][0]["verified"] = date.today()
    small_data["institutions"][0]["sources"][0]["date"] = date.today()
    assert problems_of(small_data) == []
    tomorrow = date.today() + timedelta(days=1)
    small_data["institutions"][0]["verified"] = tomorrow
    assert messages_of(small_data) == [
        f"institutions[0].verified: verified date {tomorrow} is in the future"
    ]


def test_link_dates_and_duplicate_links(small_data: dict[str, Any]) -> None:
    """A link ending before it starts is an error; a repeated link a warning."""
    link = {"from": "wiq", "to": "jobcenter", "kind": "kooperation",
            "since": date(2022, 1, 1), "until": date(2021, 1, 1),
            "sources": [{"file": "test", "date": date(2022, 1, 1)}]}
    small_data["links"] = [link, copy.deepcopy(small_data["links"][0])]
    small_data["links"][1]["kind"] = "vermittlung"
    small_data["links"].append(copy.deepcopy(small_data["links"][1]))
    assert messages_of(small_data) == [
        "links[0].until: until 2021-01-01 is before since 2022-01-01",
        "warning: links[2]: the same link wiq -> jobcenter (vermittlung) appears twice",
    ]


def test_same_address_different_name_is_no_duplicate(small_data: dict[str, Any]) -> None:
    """WiQ and Fabrik Heeder share an address; that is not a duplicate."""
    assert problems_of(small_data) == []


def test_duplicate_hotlines_without_address_warn(small_data: dict[str, Any]) -> None:
    """Two address-less entries with the same name are flagged."""
    twin = copy.deepcopy(small_data["institutions"][4])
    twin["id"] = "hilfetelefon-2"
    twin["services"][0]["id"] = "hilfetelefon-2-beratung"
    small_data["institutions"].append(twin)
    assert messages_of(small_data) == [
        ("warning: institutions[5].name: looks like a duplicate of 'hilfetelefon-gewalt' "
        "(same name and address); merge the two entries")
    ]


def test_needs_listed_twice(small_data: dict[str, Any]) -> None:
    """A need listed twice in one service is reported."""
    small_data["institutions"][1]["services"][0]["needs"] = ["freizeit", "freizeit"]
    assert messages_of(small_data) == [
        "institutions[1].services[0].needs: lists 'freizeit' more than once"
    ]


def test_wrong_types_in_nested_records(small_data: dict[str, Any]) -> None:
    """Services and links that are not mappings are reported, not crashed on."""
    small_data["institutions"][0]["services"] = ["wiq-fallmanagement"]
    small_data["links"] = ["wiq -> jobcenter"]
    assert messages_of(small_data) == [
        "institutions[0].services[0]: expected a mapping (key: value lines), got text",
        "links[0]: expected a mapping (key: value lines), got text",
    ]


def test_problems_point_at_the_line(tmp_path: Path) -> None:
    """Positions are the line and column of the offending value."""
    path = tmp_path / "x.yaml"
    path.write_text(
        "institutions:\n"
        "  - id: a\n"
        "    name: A\n"
        "    sources: [{file: s, date: 2026-01-10}]\n"
        "    services:\n"
        "      - id: a-1\n"
        "        name: B\n"
        "        description: Beratung und Vermittlung für Menschen aus Krefeld\n"
        "        needs: [arbeit, schulden]\n", encoding="utf-8")
    (problem,) = validate_document(load_yaml(path))
    assert (problem.line, problem.col) == (9, 25)
    assert str(problem) == (
        f"{path}:9:25: institutions[0].services[0].needs[1]: 'schulden' is not a need "
        "category (did you mean 'finanzen'?)"
    )


def test_wrong_type_is_reported_once(small_data: dict[str, Any]) -> None:
    """A value of the wrong type gets one message, not one per failed keyword."""
    small_data["institutions"][0]["services"][0]["needs"] = [7]
    assert messages_of(small_data) == [
        ("institutions[0].services[0].needs[0]: expected text, got a whole number; "
        "put it in quotes: \"7\"")
    ]


def test_generated_directories_are_valid(tmp_path: Path) -> None:
    """The benchmark generator writes valid data with exactly the requested services."""
    from benchmarks.generate import generate_directory, write_directory

    data = generate_directory(500)
    assert sum(len(i["services"]) for i in data["institutions"]) == 500
    assert generate_directory(500) == data
    path = write_directory(tmp_path / "gen" / "institutions.yaml", 300)
    assert (tmp_path / "gen" / "quarters.geojson").is_file()
    assert validate_document(load_yaml(path)) == []
