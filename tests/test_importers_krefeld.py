"""The Krefeld open-data importer: messy input, need mapping, hours, and the real files."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import opening_hours
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wiqnet.errors import DataFileError
from wiqnet.importers.german_hours import parse_german_hours, split_hours
from wiqnet.importers.krefeld import (
    Feature,
    as_list,
    build_record,
    clean_text,
    normalise_email,
    normalise_phone,
    normalise_postcode,
    normalise_street,
    normalise_website,
    read_features,
    slugify,
)
from wiqnet.importers.krefeld_rules import UNKNOWN_OFFER, describe, says_enough, service_specs
from wiqnet.importers.merge import ImportRecord, apply_import
from wiqnet.model import Location


@pytest.mark.parametrize(("raw", "expected"), [
    ("Mühlenstraße                   40", "Mühlenstraße 40"),
    ("Saumstraße 9  ,9 a", "Saumstraße 9, 9a"),
    ("Philadelphiastraße 50 - 52", "Philadelphiastraße 50-52"),
    ("Florastr. 19", "Florastraße 19"),
    ("Kaiserstr.61", "Kaiserstraße 61"),
    ("Rote- Kreuz-Str. 25", "Rote-Kreuz-Straße 25"),
    ("Schwertstraße 135 a", "Schwertstraße 135a"),
    ("Gerberstraße 45 ", "Gerberstraße 45"),
    ("Stephanplatz", "Stephanplatz"),
    (None, ""),
])
def test_street_is_normalised(raw: Any, expected: str) -> None:
    assert normalise_street(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (47805, "47805"), ("47805", "47805"), ("47805 ", "47805"), ("4780", None), ("", None),
    (None, None),
])
def test_postcode_comes_as_int_or_text(raw: Any, expected: str | None) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("0 21 51 / 31 52 20", "02151 315220"),
    ("0 21 51 / 31 52 20 ", "02151 315220"),
    ("02151/542061", "02151 542061"),
    ("02151/86-2798", "02151 862798"),
    ("02151 / 154 07 47", "02151 1540747"),
    ("0157/50787799", "0157 50787799"),
    ("02151 86 34 72", "02151 86 34 72"),
    ("0163 5199040 oder 0163 5199093", "0163 5199040"),
    ("02151-1559988 (ab 16.30 Uhr)", "02151-1559988"),
    ("keine Angabe", None),
    ("", None),
    (None, None),
])
def test_phone_is_normalised(raw: Any, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("info@fpsn.de info(at)fpsn.de", "info@fpsn.de"),
    (" kg.maerklinstr@t-online.de", "kg.maerklinstr@t-online.de"),
    ("", None),
    ("keine", None),
])
def test_email_is_the_first_address(raw: str, expected: str | None) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("www.kita-st-stephan.net", "http://www.kita-st-stephan.net"),
    ("https://www.krefeld.de/soziales", "https://www.krefeld.de/soziales"),
    ("", None),
])
def test_website_gets_a_scheme(raw: str, expected: str | None) -> None:
    assert normalise_website(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Integrative Kita\r\n\r\n", "Integrative Kita"),
    ("Familienzentrum; Zwergenbibliothek;", "Familienzentrum; Zwergenbibliothek"),
    ("  a \r\n b  ", "a b"),
])
def test_text_loses_crlf_and_extra_space(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Kinder ab 2 Jahre", ["Kinder ab 2 Jahre"]),
    (["Kinder ab 4 Monate", "integrativ"], ["Kinder ab 4 Monate", "integrativ"]),
    ("", []),
])
def test_cat2_is_a_string_or_a_list(raw: Any, expected: list[str]) -> None:
    assert as_list(raw) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Städtische Kindertageseinrichtung Florastraße / Familienzentrum",
     "staedtische-kita-florastrasse-familienzentrum"),
    ("Hacı-Bayram-Veli-Moschee (İGMG Islamische Gemeinschaft e.V.)",
     "haci-bayram-veli-moschee-igmg-islamische-gemeinschaft-e-v"),
    ("Fachbereich Jugendhilfe und Beschäftigungsförderung",
     "fb-jugendhilfe-und-beschaeftigungsfoerderung"),
])
def test_ids_are_stable_slugs(title: str, expected: str) -> None:
    assert slugify(title) == expected


@pytest.mark.parametrize(("prose", "expected"), [
    ("montags bis donnerstags: 07.15 bis 16.30 Uhr; freitags: 07.15 bis 16.00 Uhr",
     "Mo-Th 07:15-16:30; Fr 07:15-16:00"),
    ("montags bis freitags: 7:00 - 16:00", "Mo-Fr 07:00-16:00"),
    ("montags bis donnerstags 07.30 bis 17.00 Uhr, \r\nfreitags 07.30 Uhr bis 16.30 Uhr\r\n",
     "Mo-Th 07:30-17:00; Fr 07:30-16:30"),
    ("Mo, Mi, Do: 07.00 bis 16.30 Uhr; Di: 07.00 bis 14.00 Uhr",
     "Mo,We,Th 07:00-16:30; Tu 07:00-14:00"),
    ("montags bis freitags 8:00 -12:30 Uhr, montags bis mittwochs 14:00 - 16:00 Uhr",
     "Mo-Fr 08:00-12:30, Mo-We 14:00-16:00"),
    ("werktags 8:00 - 16:00", None),
    ("freitags 19:30 - 22:00 außer in den Schulferien", None),
    ("samstags ab 20:00", None),
    ("montags bis freitags: 07.00 bis 16.00 Uhr (in den Ferien kürzer)", None),
    ("freitags bis montags: 07.00 bis 16.00 Uhr", None),
    ("montags: 16.00 bis 07.00 Uhr", None),
    ("", None),
])
def test_german_hours_become_osm_or_nothing(prose: str, expected: str | None) -> None:
    assert parse_german_hours(prose) == expected


def test_hours_are_split_from_a_description() -> None:
    text = "Stadt Krefeld, Fachbereich Jugendhilfe; montags - freitags 13:30 - 20:00"
    assert split_hours(text) == ("Stadt Krefeld, Fachbereich Jugendhilfe", "Mo-Fr 13:30-20:00")
    assert split_hours("Montessori-Pädagogik") == ("Montessori-Pädagogik", None)


@given(st.text(max_size=120))
def test_hours_parser_never_raises_and_only_returns_valid_osm(prose: str) -> None:
    result = parse_german_hours(prose)
    if result is not None:
        opening_hours.OpeningHours(result)


@given(st.one_of(st.none(), st.integers(), st.text(max_size=60)))
def test_normalisers_never_raise(value: Any) -> None:
    normalise_street(value)
    normalise_postcode(value)
    normalise_phone(value)
    normalise_email(value)
    normalise_website(value)


def kita(**extra: Any) -> Feature:
    """Return a messy Kita feature like those in kindergartens.json."""
    props = {
        "title": "Städtische Kindertageseinrichtung Feldstraße / Familienzentrum",
        "description": "Familienzentrum: Die Angebote können im Haus erfragt werden.\r\n\r\n",
        "cat2": ["Kinder ab 2 Jahre", "integrativ"], "street": "Feldstraße   30",
        "zip": 47805, "city": "Krefeld", "tel": "0 21 51 / 31 67 86 ",
        "mail": "ki.feldstr@krefeld.de", "web": "", "text2": "montags bis freitags: 07.00 Uhr "
        "bis 17.30 Uhr", "text3": "Sprachförderung", "text4": "Plätze ab 2 Jahren",
        "text5": "Stadt Krefeld", **extra}
    return Feature("kindergartens", props, Location(51.319439, 6.575587))


def test_a_kita_record_is_cleaned_and_mapped() -> None:
    record = build_record(kita())
    assert record is not None
    assert record.fields == {
        "name": "Städtische Kindertageseinrichtung Feldstraße / Familienzentrum",
        "category": "Kita / Familienzentrum", "operator": "Stadt Krefeld",
        "address": {"street": "Feldstraße 30", "postcode": "47805", "city": "Krefeld"},
        "location": {"lat": 51.319439, "lon": 6.575587}, "phone": "02151 316786",
        "email": "ki.feldstr@krefeld.de", "opening_hours": "Mo-Fr 07:00-17:30",
    }
    services = {s["key"]: s for s in record.services}
    assert services["betreuung"]["needs"] == ["kinderbetreuung", "behinderung"]
    assert services["betreuung"]["audience"] == ["Kinder ab 2 Jahre"]
    assert services["familienzentrum"]["needs"] == ["erziehung"]
    assert services["sprachfoerderung"]["needs"] == ["sprache", "kinderbetreuung"]
    assert record.sources == ({
        "url": "https://github.com/tursics/map-krefeld",
        "file": "krefeld-open-data/kindergartens.json", "date": date(2017, 9, 12),
        "supports": ["name", "operator", "address", "location", "phone", "email", "opening_hours",
                     "services"]},)
    assert record.key == "städtische kindertageseinrichtung feldstrasse / familienzentrum|" \
        "feldstrasse 30"


def test_unparseable_kita_hours_are_left_out() -> None:
    record = build_record(kita(text2="nach Absprache"))
    assert record is not None and "opening_hours" not in record.fields


@pytest.mark.parametrize(("dataset", "title", "description", "keys"), [
    ("administration", "Fachbereich Soziales, Senioren und Wohnen", ("Sozialhilfe und "
     "Unterhaltsvorschuss, Hilfen für Menschen mit Behinderungen, Seniorenangelegenheiten und "
     "Wohnen"), ["sozialhilfe", "unterhaltsvorschuss", "behinderung", "senioren", "wohnen"]),
    ("administration", "Fachbereich Ordnung", ("Allgemeine Ordnungs- und Gewerbeangelegenheiten, "
     "Aufenthaltsrecht"), ["aufenthaltsrecht"]),
    ("administration", "Fachbereich Soziales, Senioren und Wohnen (Außenstelle Theaterplatz)",
     "Bildung und Teilhabe", ["bildung-und-teilhabe"]),
    ("administrationothers", "Jobcenter Krefeld", "", ["jobcenter"]),
    ("administrationothers", "Landesbetrieb Straßenbau NRW", "Autobahnniederlassung", []),
    ("schoolsothers", "Haus der Familie - Evangelische Eltern- und Familienbildungsstätte", "",
     ["familienbildung"]),
    ("playgrounds", "Hardenbergplatz (Spielplatz)", "", ["spielplatz"]),
    ("universities", "Hochschule Niederrhein", "", []),
])
def test_records_map_to_services(dataset: str, title: str, description: str,
                                 keys: list[str]) -> None:
    assert [s.key for s in service_specs(dataset, title, description)] == keys


def test_a_record_without_a_need_is_not_imported() -> None:
    feature = Feature("administrationothers", {"title": "Landesbetrieb Straßenbau NRW",
                                               "street": "Hansastraße 2", "zip": 47799}, None)
    assert build_record(feature) is None


@pytest.mark.parametrize(("content", "message"), [
    ('{"type": "FeatureCollection", "features": [', "bad.json:1:44: not valid JSON: Expecting value; is this a GeoJSON file?"),
    ('[1, 2]', "bad.json:1:1: not a GeoJSON FeatureCollection"),
    ('{"type": "Feature"}', "bad.json:1:1: not a GeoJSON FeatureCollection"),
])
def test_bad_geojson_is_reported_with_its_place(tmp_path: Path, content: str,
                                                message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_features(path)
    assert message in str(caught.value)


def test_features_without_title_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "parks.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"title": " "}, "geometry": None},
        {"type": "Feature", "properties": {"title": "Park", "lat": 51.3, "lng": 6.5}},
        {"type": "Feature", "properties": {"title": "Nirgends"},
         "geometry": {"type": "Point", "coordinates": [0, 0]}},
    ]}), encoding="utf-8")
    features = read_features(path)
    assert [f.props["title"] for f in features] == ["Park", "Nirgends"]
    assert features[0].location == Location(51.3, 6.5)
    assert features[1].location is None  # a failed geocode, not a place in the sea


@pytest.mark.shared
def test_every_real_file_reads_and_maps(shared: Path) -> None:
    records = 0
    for path in sorted((shared / "krefeld-open-data").glob("*.json")):
        if path.name in ("menu.json", "ALKIS_ADV_SHAPE_Krefeld_VERWALT_EINH.json"):
            continue
        for feature in read_features(path):
            record = build_record(feature)
            if record is not None:
                records += 1
                assert record.services and all(s["needs"] for s in record.services)
                assert "address" not in record.fields or \
                    len(record.fields["address"]["postcode"]) == 5
    assert records > 700


@pytest.mark.shared
def test_most_real_kita_hours_parse(shared: Path) -> None:
    features = read_features(shared / "krefeld-open-data" / "kindergartens.json")
    parsed = [r for r in map(build_record, features) if r and "opening_hours" in r.fields]
    assert len(parsed) >= 0.9 * len(features)


TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
               min_size=1, max_size=40).filter(lambda t: t.strip() == t and t.strip())


@settings(max_examples=40, deadline=None)
@given(name=TEXT, street=TEXT, description=TEXT)
def test_any_imported_text_round_trips_and_reimports_unchanged(name: str, street: str,
                                                              description: str) -> None:
    record = ImportRecord(
        dataset="parks.json", key=f"{name}|{street}", slug="park", street_slug="strasse",
        fields={"name": name, "category": "Park",
                "address": {"street": street, "postcode": "47799", "city": "Krefeld"},
                "opening_hours": "Mo-Fr 07:00-16:00"},
        services=({"key": "park", "name": name, "description": description,
                   "needs": ["freizeit"]},),
        sources=({"file": "test", "date": date(2017, 9, 12)},), verified=date(2017, 9, 12))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "institutions.yaml"
        path.write_text("institutions: []\n", encoding="utf-8")
        apply_import(path, [record])
        first = path.read_bytes()
        loaded = yaml.load(first, Loader=yaml.SafeLoader)["institutions"][0]  # pure-Python parser
        assert loaded["name"] == name and loaded["address"]["street"] == street
        assert loaded["origin"]["imported"]["address"]["street"] == street
        assert loaded["services"][0]["description"] == description
        report = apply_import(path, [record])
        assert report.unchanged == ["park"]
        assert path.read_bytes() == first


@pytest.mark.parametrize(("name", "text", "title", "category", "expected"), [
    ("Wohnen", "Wohnen.", "Fachbereich Soziales, Senioren und Wohnen", "Behörde",
     f"Angebot „Wohnen“ von Fachbereich Soziales, Senioren und Wohnen (Behörde). {UNKNOWN_OFFER}"),
    ("Bürgerbüro", "Fachbereich Bürgerservice.", "Bürgerbüro Süd", "Behörde",
     ("Angebot „Bürgerbüro“ von Bürgerbüro Süd (Behörde). In den Open Data von 2017 steht "
      f"„Fachbereich Bürgerservice“. {UNKNOWN_OFFER}")),
    ("Öffentlicher Spielplatz", "", "Hardenbergplatz (Spielplatz)", "Spielplatz",
     ("Öffentlicher Spielplatz Hardenbergplatz (Spielplatz), in den Open Data der Stadt "
      "Krefeld von 2017 verzeichnet.")),
    ("Jobcenter", "Jobcenter Krefeld: Anlaufstelle für Arbeitsuchende und ihre Anträge.",
     "Jobcenter Krefeld", "Behörde",
     "Jobcenter Krefeld: Anlaufstelle für Arbeitsuchende und ihre Anträge."),
])
def test_generated_descriptions_say_what_the_place_is_and_what_is_unknown(
        name: str, text: str, title: str, category: str, expected: str) -> None:
    assert describe(name, text, title, category) == expected
    assert says_enough(expected, name, title)


def test_reimport_replaces_thin_generated_descriptions_and_keeps_written_ones(
        tmp_path: Path) -> None:
    def record(description: str) -> ImportRecord:
        return ImportRecord(
            dataset="administration.json", key="fb|weg 1", slug="fb", street_slug="weg-1",
            fields={"name": "Fachbereich", "category": "Behörde"},
            services=({"key": "wohnen", "name": "Wohnen", "description": description,
                       "needs": ["wohnen"]},
                      {"key": "sozialhilfe", "name": "Sozialhilfe", "description": description,
                       "needs": ["finanzen"]}),
            sources=({"file": "test", "date": date(2017, 9, 12)},), verified=date(2017, 9, 12))

    path = tmp_path / "institutions.yaml"
    path.write_text("institutions: []\n", encoding="utf-8")
    apply_import(path, [record("Wohnen.")])
    written = "Hilfe bei Anträgen auf Sozialhilfe, mit Termin im Rathaus, für alle in Krefeld."
    path.write_text(path.read_text("utf-8").replace(
        "description: Wohnen.\n        needs: [finanzen]",
        f"description: {written}\n        needs: [finanzen]"), encoding="utf-8")
    better = f"Angebot „Wohnen“ von Fachbereich (Behörde). {UNKNOWN_OFFER}"
    report = apply_import(path, [record(better)])
    assert report.updated == ["fb"]
    services = yaml.safe_load(path.read_text("utf-8"))["institutions"][0]["services"]
    assert [s["description"] for s in services] == [better, written]
    again = path.read_bytes()
    assert apply_import(path, [record(better)]).unchanged == ["fb"]
    assert path.read_bytes() == again
