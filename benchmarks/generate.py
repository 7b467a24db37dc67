"""Generate realistic synthetic directories for benchmarks (never shipped as real data).

Example: python benchmarks/generate.py --services 10000 -o /tmp/dir10k.yaml

Library use:
    from benchmarks.generate import generate_directory, write_directory
    data = generate_directory(1000)            # plain dict in the data file format
    path = write_directory("/tmp/d.yaml", 1000)  # also writes quarters.geojson beside it
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wiqnet.model import LINK_KINDS, LINK_TARGET_KINDS
from wiqnet.needs import need_keys

# Kinds that join any two institutions (mitglied/veranstaltung need a network/event node).
PAIR_KINDS = [k for k in LINK_KINDS if k not in LINK_TARGET_KINDS]


def _sources() -> list[dict[str, str]]:
    """Return a fresh sources list naming the generator (a new object each time: no anchors)."""
    return [{"file": "benchmarks/generate.py", "date": "2026-01-10",
             "note": "synthetisch, keine echten Daten"}]


STREETS = (
    "Virchowstraße", "Philadelphiastraße", "Dießemer Straße", "Kölner Straße", "Südstraße",
    "Ostwall", "Rheinstraße", "Uerdinger Straße", "Sprödentalstraße", "Bahnstraße",
    "Oppumer Straße", "Hardenbergstraße", "Stephanstraße", "Lindenstraße", "Marktstraße",
    "Hochstraße", "Westwall", "Südwall", "Nordwall", "Gladbacher Straße", "Neusser Straße",
    "Moerser Straße", "Tannenstraße", "Blumenstraße", "Hubertusstraße", "Mariannenstraße",
)
POSTCODES = ("47798", "47799", "47800", "47802", "47803", "47804", "47805", "47807", "47809")
KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Kita", "Kindertageseinrichtung {n}", ("kinderbetreuung", "erziehung")),
    ("Familienzentrum", "Familienzentrum {n}", ("erziehung", "kinderbetreuung", "sozialberatung")),
    ("Schule", "Gemeinschaftsgrundschule {n}", ("schule",)),
    ("Schule", "Gesamtschule {n}", ("schule", "arbeit")),
    ("Beratung", "Beratungsstelle {n}", ("sozialberatung", "finanzen", "partnerschaft")),
    ("Beratung", "Schuldnerberatung {n}", ("finanzen", "aemter")),
    ("Jugend", "Jugendzentrum {n}", ("freizeit", "schule")),
    ("Sport", "Sportverein {n} e. V.", ("freizeit", "gesundheit")),
    ("Kirche", "Kirchengemeinde {n}", ("freizeit", "grundversorgung", "senioren")),
    ("Bildung", "Sprachschule {n}", ("sprache", "migration")),
    ("Gesundheit", "Gesundheitszentrum {n}", ("gesundheit", "behinderung")),
    ("Wohnen", "Wohnungshilfe {n}", ("wohnen", "aemter")),
    ("Hilfe", "Frauenberatung {n}", ("schutz", "partnerschaft")),
)
NAMES = (
    "Sonnenschein", "Regenbogen", "Arche Noah", "Pusteblume", "Sankt Stephan", "Am Park",
    "Lindenhof", "Kunterbunt", "Löwenzahn", "Süd", "Mitte", "Hardenberg", "Sternschnuppe",
    "Am Ostwall", "Marienheim", "Schatzkiste", "Wirbelwind", "Sankt Josef", "Fabrik",
)
SERVICES = (
    ("Beratung", "Persönliche Beratung nach Terminvereinbarung."),
    ("Offene Sprechstunde", "Ohne Anmeldung, bitte Unterlagen mitbringen."),
    ("Gruppenangebot", "Wöchentliche Gruppe für Eltern und Kinder."),
    ("Kurs", "Kurs mit festen Terminen, Anmeldung erforderlich."),
    ("Begleitung", "Begleitung zu Ämtern, Behörden und wichtigen Terminen."),
)
HOURS = (
    "Mo-Fr 08:00-16:00", "Mo-Th 07:00-16:30; Fr 07:00-15:00", "We 14:00-16:00",
    "Mo,We,Fr 09:00-12:00", "Tu-Th 10:00-12:00,14:00-17:00", "Mo-Sa 10:00-18:00; PH off",
    "Mo-Fr 07:30-17:00", "24/7", "Th 15:00-18:00",
)
LANGUAGES = (("de",), ("de", "en"), ("de", "tr"), ("de", "ar", "en"), ("de", "ru", "pl"))
ACCESS = (("appointment",), ("open_hours",), ("phone", "appointment"), ("walk_in",), ("online",))


def _institution(rng: random.Random, n: int, services: int) -> dict[str, Any]:
    """Build one synthetic institution with `services` services."""
    category, pattern, needs = rng.choice(KINDS)
    name = pattern.format(n=rng.choice(NAMES))
    inst_id = f"{category.lower()}-{n}"
    inst: dict[str, Any] = {
        "id": inst_id, "name": f"{name} {n}", "category": category,
        "operator": rng.choice(("Stadt Krefeld", "Caritasverband", "Diakonie Krefeld",
                                "AWO Krefeld", "SkF Krefeld", "Verein")),
        "address": {"street": f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                    "postcode": rng.choice(POSTCODES), "city": "Krefeld"},
        "location": {"lat": round(rng.uniform(51.29, 51.38), 6),
                     "lon": round(rng.uniform(6.52, 6.65), 6)},
        "phone": f"02151 {rng.randint(100, 999)} {rng.randint(10, 99)}",
        "email": f"info@{inst_id}.example.org",
        "website": f"https://www.{inst_id}.example.org/",
        "languages": list(rng.choice(LANGUAGES)),
        "opening_hours": rng.choice(HOURS),
        "sources": _sources(),
        "verified": date(rng.randint(2017, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        "services": [],
    }
    for k in range(services):
        title, description = rng.choice(SERVICES)
        chosen = rng.sample(needs, k=rng.randint(1, len(needs)))
        if rng.random() < 0.2:
            chosen.append(rng.choice([key for key in need_keys() if key not in chosen]))
        service: dict[str, Any] = {
            "id": f"{inst_id}-s{k + 1}", "name": f"{title}: {name}", "description": description,
            "needs": chosen, "access": list(rng.choice(ACCESS)),
        }
        if rng.random() < 0.5:
            service["opening_hours"] = rng.choice(HOURS)
        if rng.random() < 0.3:
            service["cost"] = "kostenlos"
        inst["services"].append(service)
    return inst


def generate_directory(n_services: int, seed: int = 1) -> dict[str, Any]:
    """Return a synthetic directory with exactly n_services services (2-3 per institution)."""
    rng = random.Random(seed)
    institutions: list[dict[str, Any]] = []
    left = n_services
    while left > 0:
        count = min(left, rng.choice((2, 2, 3)))
        institutions.append(_institution(rng, len(institutions) + 1, count))
        left -= count
    ids = [inst["id"] for inst in institutions]
    links = []
    for _ in range(len(ids) // 4 if len(ids) > 1 else 0):
        a, b = rng.sample(ids, 2)
        links.append({"from": a, "to": b, "kind": rng.choice(PAIR_KINDS),
                      "sources": _sources()})
    return {"institutions": institutions, "links": links}


def write_directory(path: str | Path, n_services: int, seed: int = 1) -> Path:
    """Write a synthetic data file (and quarters.geojson beside it); return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(generate_directory(n_services, seed), Dumper=dumper, allow_unicode=True,
                     sort_keys=False, width=120)
    target.write_text(text, encoding="utf-8")
    quarters = target.with_name("quarters.geojson")
    shipped = ROOT / "data" / "quarters.geojson"
    if shipped.is_file():
        shutil.copyfile(shipped, quarters)
    else:
        quarters.write_text(DEFAULT_QUARTERS, encoding="utf-8")
    return target


DEFAULT_QUARTERS = """{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "hardenbergviertel", "name": "Hardenbergviertel",
  "approximate": true, "source": "synthetic benchmark outline"},
  "geometry": {"type": "Polygon", "coordinates": [[[6.565, 51.325], [6.575, 51.325],
   [6.575, 51.332], [6.565, 51.332], [6.565, 51.325]]]}},
 {"type": "Feature", "properties": {"id": "stephanplatz", "name": "Stephanplatz",
  "approximate": true, "source": "synthetic benchmark outline"},
  "geometry": {"type": "Polygon", "coordinates": [[[6.565, 51.318], [6.575, 51.318],
   [6.575, 51.325], [6.565, 51.325], [6.565, 51.318]]]}}]}
"""


def cli(argv: list[str] | None = None) -> int:
    """Parse arguments and write one synthetic directory."""
    parser = argparse.ArgumentParser(description="Write a synthetic wiqnet data file.")
    parser.add_argument("--services", type=int, default=1000, help="number of services")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    parser.add_argument("-o", "--output", required=True, help="path of the YAML file to write")
    args = parser.parse_args(argv)
    path = write_directory(args.output, args.services, args.seed)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {args.services} services)")
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
