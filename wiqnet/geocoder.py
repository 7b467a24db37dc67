"""A polite, cached Nominatim geocoder; the places users type; filling in missing coordinates."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
)
from geopy.geocoders import Nominatim

from .datafile.load import load_directory
from .datafile.store import atomic_write_bytes
from .errors import GeocodingError, UsageError
from .geo import GERMANY, known_place
from .model import Address, Directory, Location

CACHE_FILE = "geocoder.json"
CACHE_VERSION = 1
# Hosts whose usage policy allows at most one request per second, whatever the settings say.
POLICY_HOSTS = ("nominatim.openstreetmap.org",)
HOME_CITY = "Krefeld"
# Stop asking after this many failed requests in a row (the server is down or refusing us).
MAX_FAILURES_IN_A_ROW = 3

_LATLON = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)")
_POSTCODE = re.compile(r"\d{5}")
_PLACE_HINT = ("give 'lat,lon' (51.3228,6.5723), a postcode (47805) "
               "or an address (Virchowstraße 130a)")


def _cache_key(query: str) -> str:
    return " ".join(query.split()).casefold()


def _number(settings: Mapping[str, Any], name: str) -> float:
    try:
        value = float(settings[name])
    except (TypeError, ValueError):
        raise UsageError(f"setting {name} must be a number, not {settings[name]!r}") from None
    if value < 0:
        raise UsageError(f"setting {name} must not be negative, not {value:g}")
    return value


class Geocoder:
    """Nominatim via geopy: identifying User-Agent, a minimum interval, a persistent cache."""

    def __init__(self, settings: Mapping[str, Any], *, remember: bool = True) -> None:
        """Configure the client from GEOCODER_URL, USER_AGENT, GEOCODER_* and CACHE_DIR.

        With remember=False new answers stay in memory and are never written to the cache
        file (for places typed in a search, which may be a family's address).
        """
        self.remember = remember
        url = str(settings["GEOCODER_URL"]).rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(
                f"setting GEOCODER_URL must be an http(s) URL such as "
                f"https://nominatim.openstreetmap.org, not {url!r}"
            )
        self.url = url
        self.timeout = _number(settings, "GEOCODER_TIMEOUT")
        interval = _number(settings, "GEOCODER_MIN_INTERVAL")
        self.min_interval = max(interval, 1.0) if parts.hostname in POLICY_HOSTS else interval
        self.cache_path = Path(str(settings["CACHE_DIR"])) / CACHE_FILE
        self.requests = 0
        self._client = Nominatim(
            domain=parts.netloc + parts.path, scheme=parts.scheme,
            user_agent=str(settings["USER_AGENT"]), timeout=self.timeout,
            # The stdlib adapter never retries on its own, so every request keeps the pace.
            adapter_factory=URLLibAdapter,
        )
        self._cache: dict[str, dict[str, Any] | None] | None = None
        self._new: dict[str, dict[str, Any] | None] = {}
        self._last_request: float | None = None
        self._lock = threading.Lock()

    def is_cached(self, query: str) -> bool:
        """Return whether the answer for this query is already in the cache."""
        return _cache_key(query) in self._entries()

    def locate(self, query: str) -> Location | None:
        """Return the point for a query, or None if the geocoder knows no such place.

        Cached answers (found or not found) never touch the network; failures raise
        GeocodingError and are not cached, so the next run asks again.
        """
        key = _cache_key(query)
        if not key:
            raise UsageError(f"the place is empty; {_PLACE_HINT}")
        entries = self._entries()
        if key not in entries:
            with self._lock:  # one request at a time, also across threads (web)
                if key not in entries:
                    entries[key] = self._ask(query)
                    if self.remember:
                        self._new[key] = entries[key]
                        self._save()
        hit = entries[key]
        return None if hit is None else Location(float(hit["lat"]), float(hit["lon"]))

    def _ask(self, query: str) -> dict[str, Any] | None:
        if self._last_request is not None:
            wait = self._last_request + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self.requests += 1
        try:
            found = self._client.geocode(query, exactly_one=True, country_codes="de")
        except GeocoderRateLimited as exc:
            after = f" (it asks to wait {exc.retry_after} s)" if exc.retry_after else ""
            raise GeocodingError(
                f"the geocoder at {self.url} refused the request: too many requests "
                f"(HTTP 429){after}; wait a while, then run the command again"
            ) from None
        except GeocoderParseError:
            raise GeocodingError(
                f"the geocoder at {self.url} answered with something that is not JSON; "
                "check that GEOCODER_URL points to a Nominatim server"
            ) from None
        except GeocoderServiceError as exc:
            status = getattr(exc.__cause__, "status_code", None)
            if status is not None:
                raise GeocodingError(
                    f"the geocoder at {self.url} answered with an error (HTTP {status}); "
                    "try again later"
                ) from None
            if isinstance(exc, GeocoderTimedOut):
                raise GeocodingError(
                    f"the geocoder at {self.url} did not answer within {self.timeout:g} s; "
                    "try again later or raise GEOCODER_TIMEOUT"
                ) from None
            raise GeocodingError(
                f"cannot reach the geocoder at {self.url} ({exc}); check GEOCODER_URL "
                "and the network connection"
            ) from None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            raise self._unusable() from None
        finally:
            self._last_request = time.monotonic()
        if found is None:
            return None
        try:
            lat, lon = float(found.raw["lat"]), float(found.raw["lon"])
        except (AttributeError, KeyError, TypeError, ValueError):
            raise self._unusable() from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GeocodingError(
                f"the geocoder at {self.url} answered with impossible coordinates {lat}, {lon}"
            )
        return {"lat": round(lat, 7), "lon": round(lon, 7), "display_name": found.address}

    def _unusable(self) -> GeocodingError:
        return GeocodingError(
            f"the geocoder at {self.url} answered without usable coordinates; "
            "check that GEOCODER_URL points to a Nominatim server"
        )

    def _entries(self) -> dict[str, dict[str, Any] | None]:
        if self._cache is None:
            self._cache = self._read_cache()
        return self._cache

    def _read_cache(self) -> dict[str, dict[str, Any] | None]:
        try:
            raw = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise GeocodingError(
                f"{self.cache_path}: the geocoder cache cannot be read ({exc}); "
                "delete the file to start a new cache"
            ) from None
        if isinstance(raw, dict) and raw.get("server") not in (None, self.url):
            return {}  # answers of another geocoder do not count for this one
        entries = raw.get("entries") if isinstance(raw, dict) else None
        if not isinstance(entries, dict) or raw.get("version") != CACHE_VERSION or not all(
            v is None or (isinstance(v, dict) and {"lat", "lon"} <= v.keys())
            for v in entries.values()
        ):
            raise GeocodingError(
                f"{self.cache_path}: the geocoder cache has an unknown layout; "
                "delete the file to start a new cache"
            )
        return dict(entries)

    def _save(self) -> None:
        # Merge with what another process may have cached meanwhile, then write atomically.
        merged = {**self._read_cache(), **self._new}
        content = {"version": CACHE_VERSION, "server": self.url, "entries": merged}
        text = json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write_bytes(self.cache_path, text.encode("utf-8"))


_SHARED: dict[tuple[str, ...], Geocoder] = {}
_SHARED_LOCK = threading.Lock()


def search_geocoder(settings: Mapping[str, Any]) -> Geocoder:
    """Return the process-wide geocoder for searches: one pace for all requests, no disk writes."""
    key = tuple(str(settings[name]) for name in (
        "GEOCODER_URL", "USER_AGENT", "GEOCODER_TIMEOUT", "GEOCODER_MIN_INTERVAL", "CACHE_DIR"))
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Geocoder(settings, remember=False)
        return _SHARED[key]


def place_query(text: str) -> str:
    """Return the geocoder query for a postcode or an address, adding Krefeld where needed."""
    cleaned = " ".join(text.split())
    if _POSTCODE.fullmatch(cleaned):
        return f"{cleaned} {HOME_CITY}, Deutschland"
    if HOME_CITY.casefold() in cleaned.casefold():
        return cleaned
    if "," in cleaned:
        last = cleaned.rsplit(",", 1)[1].strip()
        if _POSTCODE.fullmatch(last):
            return f"{cleaned} {HOME_CITY}"
        city = re.sub(r"^\d{5}\s+", "", last)
        if re.search(r"[^\W\d_]", city) and not re.search(r"\d", city):
            return cleaned
    return f"{cleaned}, {HOME_CITY}"


def resolve_place(text: str, geocoder: Geocoder, directory: Directory | None = None) -> Location:
    """Return the point for 'lat,lon', a postcode, an address or a place the directory knows.

    Places the directory knows (see geo.known_place) need no geocoder; raise UsageError
    if the place is unknown.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise UsageError(f"the place is empty; {_PLACE_HINT}")
    match = _LATLON.fullmatch(cleaned)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UsageError(
                f"'{cleaned}' is not a valid position: latitude goes from -90 to 90 and "
                "longitude from -180 to 180, for example '51.3228,6.5723'"
            )
        return Location(lat, lon)
    known = known_place(cleaned, directory) if directory is not None else None
    if known is not None:
        return known
    query = place_query(cleaned)
    found = geocoder.locate(query)
    if found is None:
        raise UsageError(
            f"no place found for '{cleaned}' (searched for '{query}'); "
            "check the spelling, or give 'lat,lon'"
        )
    return found


def address_query(address: Address) -> str:
    """Return the geocoder query for a postal address (its non-empty parts)."""
    town = " ".join(p for p in (address.postcode.strip(), address.city.strip()) if p)
    return ", ".join(p for p in (address.street.strip(), town) if p)


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """The outcome for one institution: a location, or the reason there is none."""

    institution_id: str
    address: str
    location: Location | None = None
    problem: str | None = None
    failed: bool = False
    from_cache: bool = False

    @property
    def status(self) -> str:
        """Return 'resolved', 'not found' or 'failed'."""
        if self.location is not None:
            return "resolved"
        return "failed" if self.failed else "not found"


@dataclass
class GeocodeReport:
    """What `fill_missing_locations` did."""

    results: list[GeocodeResult] = field(default_factory=list)
    already_located: int = 0
    without_address: int = 0
    written: int = 0

    @property
    def resolved(self) -> list[GeocodeResult]:
        """Return the results that found a location."""
        return [r for r in self.results if r.location is not None]

    @property
    def unresolved(self) -> list[GeocodeResult]:
        """Return the results without a location (not found or failed)."""
        return [r for r in self.results if r.location is None]


def _lookup(geocoder: Geocoder, inst_id: str, query: str, give_up: bool) -> GeocodeResult:
    if give_up:
        return GeocodeResult(inst_id, query, failed=True, problem=(
            f"not tried: the geocoder failed {MAX_FAILURES_IN_A_ROW} times in a row"))
    cached = geocoder.is_cached(query)
    try:
        found = geocoder.locate(query)
    except GeocodingError as exc:
        return GeocodeResult(inst_id, query, failed=True, problem=str(exc))
    if found is None:
        return GeocodeResult(inst_id, query, from_cache=cached, problem=(
            "the geocoder knows no such address; correct it, or add "
            "'location: {lat: ..., lon: ...}' by hand"))
    south, north, west, east = GERMANY
    if not (south <= found.lat <= north and west <= found.lon <= east):
        return GeocodeResult(inst_id, query, from_cache=cached, problem=(
            f"the geocoder placed it outside Germany ({found.lat}, {found.lon}); "
            "check the address"))
    return GeocodeResult(inst_id, query, location=found, from_cache=cached)


def _set_locations(data: Any, found: dict[str, Location]) -> int:
    """Add location to each institution in found that still has none; return how many."""
    from ruamel.yaml.comments import CommentedMap  # the writer's library: not for searches

    written = 0
    for entry in data.get("institutions") or []:
        location = found.get(str(entry.get("id")))
        if location is None or entry.get("location") is not None:
            continue
        point = CommentedMap([("lat", round(location.lat, 6)), ("lon", round(location.lon, 6))])
        point.fa.set_flow_style()
        if "location" in entry:
            entry["location"] = point
        else:
            keys = list(entry.keys())
            at = keys.index("address") + 1 if "address" in keys else len(keys)
            entry.insert(at, "location", point)
        written += 1
    return written


def fill_missing_locations(
    path: str | Path, geocoder: Geocoder, *, dry_run: bool = False,
    progress: Callable[[GeocodeResult], None] | None = None,
) -> GeocodeReport:
    """Geocode institutions that have an address but no location, and write the coordinates.

    Coordinates already in the file are never changed. With dry_run the data file is
    left alone (the geocoder cache still learns the answers).
    """
    from .datafile.edit import edit_data_file  # the writer: not imported by searches

    directory = load_directory(path)
    report = GeocodeReport()
    failures_in_a_row = 0
    for inst in directory.institutions:
        if inst.location is not None:
            report.already_located += 1
            continue
        if inst.address is None or not address_query(inst.address):
            report.without_address += 1
            continue
        give_up = failures_in_a_row >= MAX_FAILURES_IN_A_ROW
        result = _lookup(geocoder, inst.id, address_query(inst.address), give_up)
        failures_in_a_row = failures_in_a_row + 1 if result.failed else 0
        report.results.append(result)
        if progress is not None:
            progress(result)
    found = {r.institution_id: r.location for r in report.resolved if r.location is not None}
    if found:
        report.written, _ = edit_data_file(
            path, lambda data: _set_locations(data, found), dry_run=dry_run)
    return report
