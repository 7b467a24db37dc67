"""Read the Krefeld open-data GeoJSON (tursics/map-krefeld) into clean import records."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .. import geo
from ..datafile.load import QUARTERS_FILE, load_quarters
from ..errors import DataFileError, UsageError
from ..geo import GERMANY
from ..model import Location, Quarter
from .german_hours import parse_german_hours, split_hours
from .krefeld_rules import (
    CATEGORIES,
    NOT_A_TARGET,
    ServiceSpec,
    describe,
    kita_specs,
    service_specs,
)
from .merge import ImportRecord, ImportReport, apply_import

DATA_DATE = date(2017, 9, 12)
SOURCE_URL = "https://github.com/tursics/map-krefeld"
# Record fields that an open-data source backs, in the `supports` vocabulary.
SUPPORTED = (
    "name",
    "operator",
    "address",
    "location",
    "phone",
    "email",
    "website",
    "opening_hours",
)
MAX_ID = 60
_PHONE = re.compile(r"\+?[0-9][0-9 /()\-]*[0-9]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})
_ID_WORDS = ((r"\bkindertages(einrichtung|staette)\b", "kita"), (r"\bfachbereich\b", "fb"))


def clean_text(value: Any) -> str:
    """Return value as one line of text: CRLF and runs of whitespace collapsed, ends trimmed."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).strip(" ;")


def normalise_street(value: Any) -> str:
    """Return a tidy street: `Mühlenstraße     40` -> `Mühlenstraße 40`, `9  ,9 a` -> `9, 9a`."""
    street = clean_text(value)
    street = re.sub(r"\s*,\s*", ", ", street)
    street = re.sub(r"(\d)\s+([a-z])\b", r"\1\2", street)
    street = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", street)
    street = re.sub(r"(\w)- (\w)", r"\1-\2", street)
    street = re.sub(r"([a-zäöü])str\.\s*", r"\1straße ", street)
    street = re.sub(r"\bStr\.\s*", "Straße ", street)
    return street.strip(" ,")


def normalise_postcode(value: Any) -> str | None:
    """Return the five-digit postcode as text whether it came as int or str, else None."""
    text = clean_text(value)
    return text if re.fullmatch(r"\d{5}", text) else None


def normalise_phone(value: Any) -> str | None:
    """Return `0 21 51 / 31 52 20` as `02151 315220` (the first number only); None if none."""
    match = _PHONE.search(clean_text(value))
    if match is None:
        return None
    text = match.group(0)
    if "/" in text:
        area, number = text.split("/", 1)
        area, number = re.sub(r"\D", "", area), re.sub(r"\D", "", number)
        if area and number:
            return f"{area} {number}"
    return text


def normalise_email(value: Any) -> str | None:
    """Return the first e-mail address in value, or None."""
    match = _EMAIL.search(clean_text(value))
    return match.group(0) if match else None


def normalise_website(value: Any) -> str | None:
    """Return the web address with a scheme (`www.x.de` -> `http://www.x.de`), or None."""
    text = clean_text(value).split(" ")[0]
    if not text:
        return None
    return text if re.match(r"https?://", text) else f"http://{text}"


def slugify(text: str) -> str:
    """Return a stable id slug: lower case, umlauts spelled out, `-` between words."""
    text = text.lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    for pattern, short in _ID_WORDS:
        text = re.sub(pattern, short, text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    while len(slug) > MAX_ID and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug


def as_list(value: Any) -> list[str]:
    """Return a `cat2`-style value (string or list) as a list of clean strings."""
    items = value if isinstance(value, list) else [value]
    return [clean_text(v) for v in items if clean_text(v)]


@dataclass
class Feature:
    """One open-data point, read from a file."""

    dataset: str
    props: dict[str, Any]
    location: Location | None


@dataclass
class Selection:
    """The features to import, plus what was left out and why."""

    features: list[Feature] = field(default_factory=list)
    outside: int = 0
    not_targets: int = 0


def read_features(path: str | os.PathLike[str]) -> list[Feature]:
    """Read a GeoJSON FeatureCollection of points; raise DataFileError with a location if bad."""
    shown = str(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise DataFileError(f"{shown}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise DataFileError(f"{shown}:1:1: the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}; is this a GeoJSON file?"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("features"), list):
        raise DataFileError(
            f"{shown}:1:1: not a GeoJSON FeatureCollection "
            "(no 'features' list); expected a file from krefeld-open-data/"
        )
    dataset = Path(path).stem
    features = []
    for item in raw["features"]:
        props = item.get("properties") if isinstance(item, dict) else None
        if not isinstance(props, dict) or not clean_text(props.get("title")):
            continue
        features.append(Feature(dataset, props, _location(item)))
    return features


def _location(item: dict[str, Any]) -> Location | None:
    coords = (item.get("geometry") or {}).get("coordinates")
    try:
        if isinstance(coords, list) and len(coords) >= 2:
            lat, lon = float(coords[1]), float(coords[0])
        else:
            lat, lon = float(item["properties"]["lat"]), float(item["properties"]["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    # Failed geocodes come as 0/0; anything outside Germany is no usable location.
    if not (GERMANY[0] <= lat <= GERMANY[1] and GERMANY[2] <= lon <= GERMANY[3]):
        return None
    return Location(round(lat, 6), round(lon, 6))


def _join(*parts: str) -> str:
    kept = [p.rstrip(" .;") for p in parts if p.strip(" .;")]
    return ". ".join(kept) + "." if kept else ""


def build_record(feature: Feature) -> ImportRecord | None:
    """Turn one feature into an import record; None when it maps to no need key."""
    props, dataset = feature.props, feature.dataset
    title = clean_text(props.get("title"))
    description, hours = split_hours(clean_text(props.get("description")))
    operator = None
    category = CATEGORIES.get(dataset, "Einrichtung")
    if dataset == "kindergartens":
        audience = [c for c in as_list(props.get("cat2")) if c.lower() != "integrativ"]
        integrative = len(audience) < len(as_list(props.get("cat2")))
        specs = kita_specs(title, description, clean_text(props.get("text3")), integrative)
        hours = parse_german_hours(clean_text(props.get("text2")))
        operator = clean_text(props.get("text5")) or None
        if "familienzentrum" in title.lower():
            category = "Kita / Familienzentrum"
        details = _join(clean_text(props.get("text4")), description, clean_text(props.get("text3")))
    else:
        audience = []
        specs = service_specs(dataset, title, description)
        if dataset == "seniors" and description:
            operator, description = description, ""
        elif dataset == "youthcenter" and description and not description.startswith("Zurzeit"):
            operator = description.split(";")[0].strip()
            description = description[len(operator) :].strip(" ;")
        details = _join(description)
    if not specs:
        return None
    street = normalise_street(props.get("street"))
    postcode = normalise_postcode(props.get("zip"))
    fields: dict[str, Any] = {"name": title, "category": category, "operator": operator}
    if street and postcode:
        fields["address"] = {
            "street": street,
            "postcode": postcode,
            "city": clean_text(props.get("city")) or "Krefeld",
        }
    if feature.location is not None:
        fields["location"] = {"lat": feature.location.lat, "lon": feature.location.lon}
    fields.update(
        phone=normalise_phone(props.get("tel")),
        email=normalise_email(props.get("mail")),
        website=normalise_website(props.get("web")),
        opening_hours=hours,
    )
    return ImportRecord(
        dataset=f"{dataset}.json",
        key=f"{title.casefold()}|{street.casefold()}",
        slug=slugify(title),
        street_slug=slugify(street),
        fields={k: v for k, v in fields.items() if v is not None},
        services=tuple(
            _service(spec, details, len(specs), audience, title, category) for spec in specs
        ),
        sources=(open_data_source(f"{dataset}.json", fields),),
        verified=DATA_DATE,
    )


def open_data_source(dataset: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Return the source entry for a record read from one open-data file."""
    supports = [k for k in SUPPORTED if fields.get(k) is not None]
    return {
        "url": SOURCE_URL,
        "file": f"krefeld-open-data/{dataset}",
        "date": DATA_DATE,
        "supports": [*supports, "services"],
    }


def _service(
    spec: ServiceSpec, details: str, count: int, audience: list[str], title: str, category: str
) -> dict[str, Any]:
    text = details if details and (count == 1 or spec.key == "betreuung") else spec.text
    service: dict[str, Any] = {
        "key": spec.key,
        "name": spec.name,
        "description": describe(spec.name, text, title, category),
        "needs": list(spec.needs),
    }
    if audience and spec.key == "betreuung":
        service["audience"] = audience
    return service


def select(
    paths: list[str], within: str, title_pattern: str | None, data_path: str | os.PathLike[str]
) -> Selection:
    """Read the files and keep the features inside the quarters (or all, for `city`)."""
    quarters: tuple[Quarter, ...] = ()
    if within == "quarter":
        outline = Path(data_path).with_name(QUARTERS_FILE)
        quarters = load_quarters(outline)
        if not quarters:
            raise UsageError(
                f"{outline}: no quarter outlines found; add the file or use --within city"
            )
    try:
        wanted = re.compile(title_pattern) if title_pattern else None
    except re.error as exc:
        raise UsageError(f"--match: not a valid regular expression: {exc}") from None
    selection = Selection()
    for path in paths:
        for feature in read_features(path):
            title = clean_text(feature.props.get("title"))
            if wanted is not None and not wanted.search(title):
                continue
            if quarters and geo.quarter_of(feature.location, quarters) is None:
                selection.outside += 1
            elif NOT_A_TARGET.search(title):
                selection.not_targets += 1
            else:
                selection.features.append(feature)
    return selection


def import_files(
    data_path: str | os.PathLike[str],
    paths: list[str],
    *,
    within: str = "quarter",
    title_pattern: str | None = None,
    dry_run: bool = False,
    git_commit: bool = False,
) -> ImportReport:
    """Import Krefeld open-data files into the data file; return what changed."""
    selection = select(paths, within, title_pattern, data_path)
    records: list[ImportRecord] = []
    skipped = []
    for feature in selection.features:
        record = build_record(feature)
        if record is None:
            skipped.append(
                f"{feature.dataset}.json: {clean_text(feature.props.get('title'))} "
                "(no need category)"
            )
        else:
            records.append(record)
    report = apply_import(data_path, records, dry_run=dry_run, git_commit=git_commit)
    report.skipped.extend(skipped)
    report.outside, report.not_targets = selection.outside, selection.not_targets
    return report
