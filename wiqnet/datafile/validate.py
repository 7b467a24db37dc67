"""Validate the data file: the JSON Schema first, then the rules that span the file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
from jsonschema import Draft202012Validator, ValidationError
from rapidfuzz import fuzz, process

from .. import hours
from ..errors import Problem
from ..geo import GERMANY
from ..model import LINK_TARGET_KINDS
from ..needs import all_needs, suggest_need
from ..topics import suggest_topic
from .store import Document, PathKey

KREFELD = (51.27, 51.42, 6.48, 6.72)
MAX_AGE = 120  # years; the upper bound of minimum_age and maximum_age
MIN_DESCRIPTION = 40  # characters; a shorter service description is flagged
_PHONE = re.compile(r"^[0-9 +/()\-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_KINDS = {
    str: "text", int: "a whole number", float: "a number", bool: "true/false",
    list: "a list", dict: "a mapping", type(None): "nothing (an empty value)",
}
_EXPECTED = {
    "string": "text", "number": "a number", "integer": "a whole number", "boolean": "true/false",
    "array": "a list (lines starting with '- ')", "object": "a mapping (key: value lines)",
}
_ALIASES = {
    "telefon": "phone", "tel": "phone", "adresse": "address", "anschrift": "address",
    "strasse": "street", "plz": "postcode", "ort": "city", "stadt": "city",
    "oeffnungszeiten": "opening_hours", "traeger": "operator", "quelle": "source",
    "angebote": "services", "beschreibung": "description", "anliegen": "needs",
    "sprachen": "languages", "kosten": "cost", "zielgruppe": "audience", "hinweise": "notes",
    "geprueft": "verified", "mail": "email", "e-mail": "email", "web": "website", "url": "website",
    "homepage": "website", "kategorie": "category", "zugang": "access", "art": "kind",
    "von": "from", "nach": "to", "zu": "to", "lng": "lon", "long": "lon", "latitude": "lat",
    "longitude": "lon", "zip": "postcode",
}


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema of the data file, shipped with the package."""
    text = files("wiqnet.datafile").joinpath("schema/institutions.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def _without_date_types(node: Any) -> Any:
    """Copy the schema, leaving date fields untyped (YAML dates are checked by the rules)."""
    if isinstance(node, dict):
        if node.get("format") == "date":
            return {k: v for k, v in node.items() if k not in ("type", "format")}
        return {k: _without_date_types(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_date_types(v) for v in node]
    return node


@cache
def _fast_check() -> Any:
    """Return a compiled yes/no check of the schema (fast; stops at the first error)."""
    fast = _without_date_types(schema())
    fast["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(fast)


@cache
def _validator() -> Any:
    """Return the full schema validator that reports every error (slower)."""
    return Draft202012Validator(schema())


def _schema_errors(data: Any) -> Iterator[ValidationError]:
    """Yield every schema error; skip the slow full check when the fast one passes."""
    try:
        _fast_check()(data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    for err in _validator().iter_errors(data):
        if not (err.validator == "type" and err.schema.get("format") == "date"):
            yield err


def where(path: Iterable[str | int]) -> str:
    """Render a data path as `institutions[3].services[2].needs[0]`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def suggest(word: str, choices: Iterable[str], cutoff: float = 75) -> str | None:
    """Return the choice closest to word (German field names too), or None if none is close."""
    options = list(choices)
    alias = _ALIASES.get(word.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))
    if alias in options:
        return alias
    match = process.extractOne(word, options, scorer=fuzz.WRatio, score_cutoff=cutoff)
    return None if match is None else str(match[0])


def _mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean ...?)' for the closest choice, or ''."""
    guess = suggest(word, choices)
    return f" (did you mean '{guess}'?)" if guess else ""


def _kind(value: Any) -> str:
    """Name the type of a value in plain words."""
    return _KINDS.get(type(value), "a date" if isinstance(value, date) else type(value).__name__)


def _slug(text: str) -> str:
    """Suggest an id slug made from text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("ß", "ss")).strip("-") or "my-id"


def _type_message(err: ValidationError) -> str:
    """Explain a wrong type, with a fix where one is obvious."""
    expected = err.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    want = " or ".join(_EXPECTED.get(n, n) for n in names)
    value = err.instance
    if not err.absolute_path:
        return f"the file must be a mapping that starts with 'institutions:', not {_kind(value)}"
    message = f"expected {want}, got {_kind(value)}"
    if "string" in names and isinstance(value, bool):
        message += "; put it in quotes (yes, no, on and off are read as true/false)"
    elif "string" in names and isinstance(value, (int, float, date)):
        message += f"; put it in quotes: \"{value}\""
    elif "number" in names and isinstance(value, str):
        number = value.strip().replace(",", ".")
        if re.fullmatch(r"-?\d+(\.\d+)?", number):
            message += f"; write it without quotes and with a decimal point: {number}"
    elif value is None and tuple(err.absolute_path) == ("institutions",):
        message += "; list the institutions below it, each starting with '- '"
    elif value is None:
        message += "; fill it in or remove the line"
    return message


def _pattern_message(err: ValidationError) -> str:
    """Explain a value that does not match its field's pattern."""
    value, field = err.instance, err.absolute_path[-1] if err.absolute_path else ""
    if field in ("id", "from", "to"):
        return (f"'{value}' is not a valid id; use lowercase letters, digits and hyphens, "
                f"e.g. '{_slug(str(value))}'")
    if field == "postcode" or "service_area" in err.absolute_path:
        return f"'{value}' is not a postcode; use 5 digits in quotes, e.g. \"47805\""
    return f"'{value}' is not an ISO 639-1 language code; use two lowercase letters, e.g. de, tr"


def _schema_problems(err: ValidationError) -> Iterator[tuple[PathKey, str]]:
    """Translate one jsonschema error into (path, message) pairs."""
    path: PathKey = tuple(err.absolute_path)
    rule, value = err.validator, err.instance
    if rule == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        for name in sorted(set(value) - set(allowed), key=list(value).index):
            yield ((*path, name, "#key"),
                   f"unknown field '{name}'{_mean(name, allowed)}; allowed: {', '.join(allowed)}")
        return
    if rule == "required":
        missing = [n for n in err.validator_value if n not in value]
        for name in missing:
            yield path, f"missing required field '{name}'"
        return
    if rule == "type":
        message = _type_message(err)
    elif rule == "enum" and len(path) >= 2 and path[-2] == "needs":
        guess = suggest_need(str(value))
        hint = f" (did you mean '{guess}'?)" if guess else f"; use one of: {', '.join(all_needs())}"
        message = f"'{value}' is not a need category{hint}"
    elif rule == "enum" and len(path) >= 2 and path[-2] == "topics":
        guess = suggest_topic(str(value))
        hint = f" (did you mean '{guess}'?)" if guess else "; see wiqnet/topics.yaml for the keys"
        message = f"'{value}' is not a topic{hint}"
    elif rule == "enum":
        options = [str(o) for o in err.validator_value]
        message = (f"'{value}' is not allowed{_mean(str(value), options)}; "
                   f"use one of: {', '.join(options)}")
    elif rule == "pattern":
        message = _pattern_message(err)
    elif rule == "minItems" and path and path[-1] == "services":
        message = "an institution needs at least one service"
    elif rule == "minItems" and path and path[-1] == "sources":
        message = ("needs at least one source, e.g. - {url: https://..., date: 2024-05-01} "
                   "or - {file: krefeld-services.md#E13, date: 2024-05-01}")
    elif rule == "anyOf" and len(path) >= 2 and path[-2] == "sources":
        message = ("a source needs a url or a file, e.g. url: https://www.krefeld.de/... "
                   "or file: krefeld-services.md#E13")
    elif rule == "minItems":
        message = "needs at least one entry, e.g. [sozialberatung]"
    elif rule == "minLength":
        message = "must not be empty; fill it in or remove the line"
    elif rule == "uniqueItems":
        dups = sorted({str(v) for v in value if value.count(v) > 1})
        message = f"lists {', '.join(repr(d) for d in dups)} more than once"
    else:
        message = err.message
    yield path, message


class _Checker:
    """Collect the problems of one document."""

    def __init__(self, doc: Document) -> None:
        """Start collecting the problems of doc."""
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, key: PathKey, message: str, severity: str = "error") -> None:
        """Record a problem at the position of key."""
        line, col = self.doc.position(key)
        bare = tuple(k for k in key if k != "#key")
        self.problems.append(Problem(self.doc.path, line, col, where(bare), message, severity))

    def schema(self) -> None:
        """Check the JSON Schema; one message per wrong value."""
        errors = list(_schema_errors(self.doc.data))
        mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        for err in errors:
            if err.validator != "type" and tuple(err.absolute_path) in mistyped:
                continue  # the wrong type says it all
            for key, message in _schema_problems(err):
                self.add(key, message)

    def contact(self, record: dict[str, Any], key: PathKey) -> None:
        """Check the form of phone, e-mail and website."""
        phone, email, website = record.get("phone"), record.get("email"), record.get("website")
        if isinstance(phone, str) and phone.strip() and (
            not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 3
        ):
            self.add((*key, "phone"), f"'{phone}' is not a phone number; use digits, spaces, "
                     "+ / - and parentheses, e.g. '02151 86 34 72'")
        if isinstance(email, str) and email.strip() and not _EMAIL.match(email):
            self.add((*key, "email"), f"'{email}' is not an e-mail address, e.g. 'name@krefeld.de'")
        if isinstance(website, str) and website.strip():
            parts = urlsplit(website)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in website:
                self.add((*key, "website"), f"'{website}' is not a web address; "
                         "start it with https://, e.g. 'https://www.krefeld.de'")

    def opening_hours(self, record: dict[str, Any], key: PathKey) -> None:
        """Check that the opening hours parse."""
        expr = record.get("opening_hours")
        if isinstance(expr, str) and expr.strip():
            reason = hours.check(expr)
            if reason:
                self.add((*key, "opening_hours"),
                         f"cannot read the opening hours '{expr}': {reason}")

    def day(self, record: dict[str, Any], field: str, key: PathKey) -> date | None:
        """Return a date field as a date, reporting values that are not dates."""
        value = record.get(field)
        if field in record and not isinstance(value, (str, date)):
            self.add((*key, field), f"expected a date like 2021-04-13, got {_kind(value)}")
            return None
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                self.add((*key, field), f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2021-04-13")
                return None
        return value if isinstance(value, date) else None

    def location(self, inst: dict[str, Any], key: PathKey) -> None:
        """Check that coordinates lie in Germany (error) and in Krefeld (warning)."""
        loc = inst.get("location")
        if not isinstance(loc, dict):
            return
        lat, lon = loc.get("lat"), loc.get("lon")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
            return
        lat, lon = float(lat), float(lon)  # type: ignore[arg-type]
        if not (GERMANY[0] <= lat <= GERMANY[1] and GERMANY[2] <= lon <= GERMANY[3]):
            hint = "; are lat and lon swapped?" if GERMANY[0] <= lon <= GERMANY[1] else ""
            self.add((*key, "location"), f"lat {lat}, lon {lon} is outside Germany{hint}")
        elif not (KREFELD[0] <= lat <= KREFELD[1] and KREFELD[2] <= lon <= KREFELD[3]):
            self.add((*key, "location"), f"lat {lat}, lon {lon} is outside Krefeld; "
                     "check the coordinates", "warning")

    def records(self, data: dict[str, Any]) -> None:
        """Check the rules that span institutions, services and links."""
        institutions = data.get("institutions")
        institutions = institutions if isinstance(institutions, list) else []
        inst_ids: dict[str, PathKey] = {}
        svc_ids: dict[str, PathKey] = {}
        seen: dict[tuple[str, str], str] = {}
        kinds: dict[str, str] = {}
        held_at: list[tuple[PathKey, Any]] = []
        today = date.today()
        for i, inst in enumerate(institutions):
            if not isinstance(inst, dict):
                continue
            key: PathKey = ("institutions", i)
            self.unique(inst.get("id"), (*key, "id"), inst_ids, "institution")
            self.contact(inst, key)
            self.opening_hours(inst, key)
            self.location(inst, key)
            verified = self.day(inst, "verified", key)
            if verified is not None and verified > today:
                self.add((*key, "verified"), f"verified date {verified} is in the future")
            newest = self.sources(inst, key, today)
            if verified is not None and newest is not None and newest < verified <= today:
                self.add((*key, "verified"), f"verified {verified} is newer than the newest "
                         f"source ({newest}); add the check as a source or set verified to "
                         f"{newest}", "warning")
            if isinstance(inst.get("id"), str):
                kinds[inst["id"]] = str(inst.get("kind") or "organization")
            self.duplicate(inst, key, seen)
            services = inst.get("services")
            for j, svc in enumerate(services if isinstance(services, list) else []):
                if not isinstance(svc, dict):
                    continue
                skey: PathKey = (*key, "services", j)
                self.unique(svc.get("id"), (*skey, "id"), svc_ids, "service")
                self.opening_hours(svc, skey)
                self.ages(svc, skey)
                self.description(svc, skey, inst.get("name"))
                held = svc.get("held_at")
                for h, place in enumerate(held if isinstance(held, list) else []):
                    if isinstance(place, dict):
                        self.opening_hours(place, (*skey, "held_at", h))
                        held_at.append(((*skey, "held_at", h, "institution"),
                                        place.get("institution")))
                if isinstance(svc.get("contact"), dict):
                    self.contact(svc["contact"], (*skey, "contact"))
        for hkey, target in held_at:
            if isinstance(target, str) and target not in inst_ids:
                self.add(hkey, f"'{target}' is not an institution id{_mean(target, inst_ids)}")
        self.links(data.get("links"), inst_ids, kinds, today)

    def sources(self, record: dict[str, Any], key: PathKey, today: date) -> date | None:
        """Check the date of each source; return the newest source date."""
        sources = record.get("sources")
        newest: date | None = None
        for n, source in enumerate(sources if isinstance(sources, list) else []):
            if not isinstance(source, dict):
                continue
            day = self.day(source, "date", (*key, "sources", n))
            if day is not None and day > today:
                self.add((*key, "sources", n, "date"), f"source date {day} is in the future; "
                         "use the date the source itself gives")
            elif day is not None:
                newest = max(newest or day, day)
        return newest

    def ages(self, svc: dict[str, Any], key: PathKey) -> None:
        """Check that the age range lies within 0..MAX_AGE years and runs from low to high."""
        ages: dict[str, float] = {}
        for field in ("minimum_age", "maximum_age"):
            value = svc.get(field)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            if not 0 <= value <= MAX_AGE:
                self.add((*key, field), f"{value} is not an age; use years from 0 to {MAX_AGE}, "
                         "e.g. 0.33 for 4 months")
            else:
                ages[field] = float(value)
        low, high = ages.get("minimum_age"), ages.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add((*key, "maximum_age"), f"maximum_age {svc['maximum_age']} is below "
                     f"minimum_age {svc['minimum_age']}")

    def description(self, svc: dict[str, Any], key: PathKey, inst_name: Any) -> None:
        """Warn about a description that is very short or only repeats a name."""
        text = svc.get("description")
        if not isinstance(text, str) or not text.strip():
            return
        names = {_normal(n) for n in (svc.get("name"), inst_name) if isinstance(n, str)}
        if _normal(text) in names:
            self.add((*key, "description"), "the description only repeats the name; say what "
                     "the service does, for whom and how to get in", "warning")
        elif len(text.strip()) < MIN_DESCRIPTION:
            self.add((*key, "description"), f"the description is shorter than {MIN_DESCRIPTION} "
                     "characters; say what the service does, for whom and how to get in",
                     "warning")

    def unique(self, value: Any, key: PathKey, seen: dict[str, PathKey], what: str) -> None:
        """Report an id that was used before."""
        if not isinstance(value, str):
            return
        if value in seen:
            first = self.doc.position(seen[value])[0]
            self.add(key, f"duplicate {what} id '{value}' (first used on line {first}); "
                     "ids must be unique")
        else:
            seen[value] = key

    def duplicate(self, inst: dict[str, Any], key: PathKey,
                  seen: dict[tuple[str, str], str]) -> None:
        """Warn about an institution with the same name and address as an earlier one."""
        name, addr = inst.get("name"), inst.get("address")
        if not isinstance(name, str):
            return
        address = ""
        if isinstance(addr, dict):
            address = f"{addr.get('street', '')} {addr.get('postcode', '')}"
        norm = (_normal(name), _normal(address))
        if norm in seen:
            self.add((*key, "name"), f"looks like a duplicate of '{seen[norm]}' (same name and "
                     "address); merge the two entries", "warning")
        else:
            seen[norm] = str(inst.get("id"))

    def links(self, links: Any, ids: dict[str, PathKey], kinds: dict[str, str],
              today: date) -> None:
        """Check that links join two different, existing institutions of the right kind."""
        pairs: set[tuple[str, str, str]] = set()
        for n, link in enumerate(links if isinstance(links, list) else []):
            if not isinstance(link, dict):
                continue
            key: PathKey = ("links", n)
            for end in ("from", "to"):
                target = link.get(end)
                if isinstance(target, str) and target not in ids:
                    self.add((*key, end), f"'{target}' is not an institution id"
                             f"{_mean(target, ids)}")
            if isinstance(link.get("from"), str) and link.get("from") == link.get("to"):
                self.add((*key, "to"), f"a link from '{link['from']}' to itself; "
                         "link two different institutions")
            need = LINK_TARGET_KINDS.get(str(link.get("kind")))
            target = link.get("to")
            if need and isinstance(target, str) and target in kinds and kinds[target] != need:
                self.add((*key, "to"), f"a '{link['kind']}' link must point to an institution "
                         f"of kind {need}; '{target}' is {kinds[target]} (set kind: {need} "
                         "on it, or use another link kind)")
            self.sources(link, key, today)
            since, until = self.day(link, "since", key), self.day(link, "until", key)
            if since and until and until < since:
                self.add((*key, "until"), f"until {until} is before since {since}")
            triple = (str(link.get("from")), str(link.get("to")), str(link.get("kind")))
            if triple in pairs:
                self.add(key, f"the same link {triple[0]} -> {triple[1]} ({triple[2]}) appears "
                         "twice", "warning")
            pairs.add(triple)


def _normal(text: str) -> str:
    """Normalise a name or address for duplicate detection."""
    text = text[:300].casefold().replace("ß", "ss").replace("str.", "strasse")
    return re.sub(r"[\W_]+", "", text)


def validate_document(doc: Document) -> list[Problem]:
    """Return every problem found in the document, errors and warnings, sorted by line."""
    checker = _Checker(doc)
    checker.schema()
    if isinstance(doc.data, dict):
        checker.records(doc.data)
    return sorted(checker.problems, key=lambda p: (p.line, p.col))
