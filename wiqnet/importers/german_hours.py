"""Turn German opening-hours prose ("montags bis freitags: 07.00 bis 16.00 Uhr") into OSM syntax."""

from __future__ import annotations

import re

import opening_hours

ORDER = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_WORDS = {
    "mo": "Mo",
    "montag": "Mo",
    "montags": "Mo",
    "di": "Tu",
    "dienstag": "Tu",
    "dienstags": "Tu",
    "mi": "We",
    "mittwoch": "We",
    "mittwochs": "We",
    "do": "Th",
    "donnerstag": "Th",
    "donnerstags": "Th",
    "donnertags": "Th",
    "fr": "Fr",
    "freitag": "Fr",
    "freitags": "Fr",
    "sa": "Sa",
    "samstag": "Sa",
    "samstags": "Sa",
    "so": "Su",
    "sonntag": "Su",
    "sonntags": "Su",
}
_DAY = (
    r"\b(?:montags?|dienstags?|mittwochs?|donnerstags?|donnertags|freitags?|samstags?|sonntags?"
    r"|mo|di|mi|do|fr|sa|so)\b\.?"
)
_TIME = r"\d{1,2}[.:]\d{2}(?:\s*uhr)?"
_RANGE = rf"{_TIME}\s*(?:bis|-|–)\s*{_TIME}"
_DAYS = rf"{_DAY}(?:\s*(?:bis|-|–|,|und)\s*{_DAY})*"
_CLAUSE = re.compile(
    rf"(?P<days>{_DAYS})\s*:?\s*(?P<ranges>{_RANGE}(?:\s*(?:,|und)\s*{_RANGE})*)", re.IGNORECASE
)
_SEPARATOR = re.compile(r"[\s;,.]*")
_FIRST_DAY = re.compile(_DAY, re.IGNORECASE)


def _days(text: str) -> tuple[str, set[str]] | None:
    """Return the OSM weekday selector and the set of days for a German day expression."""
    tokens = re.findall(r"[a-zäöü]+|-|–|,", text.lower())
    parts: list[str] = []
    covered: set[str] = set()
    pending_range = False
    for token in tokens:
        if token in ("bis", "-", "–"):
            pending_range = True
            continue
        if token in (",", "und"):
            continue
        day = _DAY_WORDS.get(token)
        if day is None:
            return None
        if pending_range and parts:
            start = parts.pop()
            first, last = ORDER.index(start), ORDER.index(day)
            if last <= first:
                return None
            parts.append(f"{start}-{day}")
            covered.update(ORDER[first : last + 1])
        else:
            parts.append(day)
            covered.add(day)
        pending_range = False
    return (",".join(parts), covered) if parts and not pending_range else None


def _time(text: str) -> tuple[int, int] | None:
    hours, minutes = re.split(r"[.:]", re.sub(r"\s*uhr", "", text.strip(), flags=re.IGNORECASE))
    h, m = int(hours), int(minutes)
    return (h, m) if 0 <= h <= 24 and 0 <= m < 60 else None


def _ranges(text: str) -> list[str] | None:
    result = []
    for start, end in re.findall(rf"({_TIME})\s*(?:bis|-|–)\s*({_TIME})", text, re.IGNORECASE):
        a, b = _time(start), _time(end)
        if a is None or b is None or a >= b:
            return None
        result.append(f"{a[0]:02d}:{a[1]:02d}-{b[0]:02d}:{b[1]:02d}")
    return result or None


def parse_german_hours(text: str) -> str | None:
    """Return OSM opening_hours for German hours prose, or None unless all of it parses cleanly."""
    prose = " ".join(text.replace("\r", " ").replace("\n", " ").split())
    if not prose:
        return None
    result = ""
    seen: set[str] = set()
    pos = _SEPARATOR.match(prose).end()  # type: ignore[union-attr]
    while pos < len(prose):
        match = _CLAUSE.match(prose, pos)
        if match is None:
            return None
        days = _days(match["days"])
        ranges = _ranges(match["ranges"])
        if days is None or ranges is None:
            return None
        selector, covered = days
        if result:
            result += ", " if covered & seen else "; "
        result += f"{selector} {','.join(ranges)}"
        seen |= covered
        pos = _SEPARATOR.match(prose, match.end()).end()  # type: ignore[union-attr]
    try:
        opening_hours.OpeningHours(result)
    except Exception:  # noqa: BLE001 - the library raises its own ParserError
        return None
    return result


def split_hours(text: str) -> tuple[str, str | None]:
    """Split `text` into the prose before its hours and the parsed hours (None if they don't parse)."""
    match = _FIRST_DAY.search(text)
    if match is None:
        return text, None
    hours = parse_german_hours(text[match.start() :])
    if hours is None:
        return text, None
    return text[: match.start()].rstrip(" ,;:"), hours
