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
# A failed lookup is answered from memory for this long, then asked again.
FAILURE_SECONDS = 60.0
# At most this many answers and failures of searches are kept in memory.
MAX_REMEMBERED = 10_000

_LATLON = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)")
_POSTCODE = re.compile(r"\d{5}")
_PLACE_HINT = (
    "give 'lat,lon' (51.3228,6.5723), a postcode (47805) or an address (Virchowstraße 130a)"
)


def _trim(remembered: dict[str, Any], limit: int) -> None:
    """Forget the older half of a dict that grew past limit."""
    if len(remembered) > limit:
        for old in list(remembered)[: limit // 2]:
            del remembered[old]


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

    def __init__(
        self, settings: Mapping[str, Any], *, remember: bool = True, max_wait: float | None = None
    ) -> None:
        """Configure the client from GEOCODER_URL, USER_AGENT, GEOCODER_* and CACHE_DIR.

        With remember=False new answers stay in memory and are never written to the cache
        file (for places typed in a search, which may be a family's address). With
        max_wait a caller waits at most that many seconds, queueing and answer together.
        """
        self.remember = remember
        self.max_wait = max_wait
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
            domain=parts.netloc + parts.path,
            scheme=parts.scheme,
            user_agent=str(settings["USER_AGENT"]),
            timeout=self.timeout,
            # The stdlib adapter never retries on its own, so every request keeps the pace.
            adapter_factory=URLLibAdapter,
        )
        self._cache: dict[str, dict[str, Any] | None] | None = None
        self._new: dict[str, dict[str, Any] | None] = {}
        self._failures: dict[str, tuple[float, str]] = {}
        self._pending: dict[str, threading.Event] = {}
        self._next_slot = 0.0
        self._sending = threading.Lock()  # held only while one request is on the wire
        self._last_answer: float | None = None
        # Guards the state above; never held while waiting or asking the server.
        self._lock = threading.Lock()

    def is_cached(self, query: str) -> bool:
        """Return whether the answer for this query is already in the cache."""
        with self._lock:
            return _cache_key(query) in self._entries()

    def locate(self, query: str) -> Location | None:
        """Return the point for a query, or None if the geocoder knows no such place.

        Cached answers (found or not found) never touch the network. Failures raise
        GeocodingError and are never written to disk, so the next run asks again; the
        search geocoder (remember=False) answers them from memory for FAILURE_SECONDS.
        Threads asking for the same place share one request.
        """
        key = _cache_key(query)
        if not key:
            raise UsageError(f"the place is empty; {_PLACE_HINT}")
        with self._lock:
            hit = self._known(key)
            if hit is not None:
                return hit[0]
            pending = self._pending.get(key)
            busy = None
            if pending is None:
                try:
                    start = self._reserve()
                except GeocodingError as exc:
                    busy = exc
                    other = next(iter(self._pending.values()), None)
                    pause = min(self.max_wait or 0.0, max(self._next_slot - time.monotonic(), 0.0))
                else:
                    pending = self._pending[key] = threading.Event()
                owner = True
            else:
                owner = False
        if busy is not None:
            # Answer when the lookup on its way ends or the pace allows the next, not at once:
            # a refused client must not be able to ask again and again.
            if other is not None:
                other.wait(self.max_wait)
            else:
                time.sleep(pause)
            raise busy
        assert pending is not None
        if not owner:
            if not pending.wait(self.max_wait):
                raise self._busy()
            with self._lock:
                hit = self._known(key)
            if hit is None:
                raise self._busy()
            return hit[0]
        return self._answer(key, query, start, pending)

    def _known(self, key: str) -> tuple[Location | None] | None:
        """Return (answer,) from the cache, raise a remembered failure, or None (ask)."""
        entries = self._entries()
        if key in entries:
            found = entries[key]
            return (None if found is None else Location(float(found["lat"]), float(found["lon"])),)
        failure = self._failures.get(key)
        if failure is not None:
            if failure[0] > time.monotonic():
                raise GeocodingError(failure[1])
            del self._failures[key]
        return None

    def _reserve(self) -> float:
        """Book the next free request slot (the pace); raise if it is too far off to wait.

        With max_wait (searches) nothing queues: while a lookup is on its way or the pace
        forbids the next one, the answer is "busy" (after the lookup on its way ends, at
        most max_wait later), so one request at a time per process talks to the geocoder.
        """
        now = time.monotonic()
        start = max(now, self._next_slot)
        if self.max_wait is not None and (self._pending or start > now):
            raise self._busy()
        self._next_slot = start + self.min_interval
        return start

    def _busy(self) -> GeocodingError:
        return GeocodingError(
            f"the geocoder at {self.url} is busy with other places; try again in a minute, "
            "or give a postcode or 'lat,lon'"
        )

    def _answer(
        self, key: str, query: str, start: float, pending: threading.Event
    ) -> Location | None:
        """Ask the server in the booked slot, record the answer or failure, wake the waiters."""
        try:
            found = self._paced(query, start)
            with self._lock:
                self._learn(key, found)
        except GeocodingError as exc:
            if not self.remember:  # searches: do not ask again for a while
                with self._lock:
                    self._failures[key] = (time.monotonic() + FAILURE_SECONDS, str(exc))
                    _trim(self._failures, MAX_REMEMBERED)
            raise
        finally:
            with self._lock:
                del self._pending[key]
            pending.set()
        return None if found is None else Location(float(found["lat"]), float(found["lon"]))

    def _paced(self, query: str, start: float) -> dict[str, Any] | None:
        """Send one request at a time, min_interval after the previous answer, within max_wait."""
        time.sleep(max(start - time.monotonic(), 0.0))
        wait = -1.0 if self.max_wait is None else self.max_wait
        if not self._sending.acquire(timeout=wait):
            raise self._busy()
        try:
            if self._last_answer is not None:
                time.sleep(max(self._last_answer + self.min_interval - time.monotonic(), 0.0))
            timeout = self.timeout if self.max_wait is None else min(self.timeout, self.max_wait)
            return self._ask(query, timeout)
        finally:
            self._last_answer = time.monotonic()
            with self._lock:
                self._next_slot = max(self._next_slot, self._last_answer + self.min_interval)
            self._sending.release()

    def _learn(self, key: str, found: dict[str, Any] | None) -> None:
        """Cache an answer: on disk when remembering, else in memory (bounded)."""
        entries = self._entries()
        entries[key] = found
        if self.remember:
            self._new[key] = found
            self._save()
            return
        self._new[key] = found
        if len(self._new) > MAX_REMEMBERED:
            for old in list(self._new)[: MAX_REMEMBERED // 2]:
                del self._new[old]
                del entries[old]

    def _ask(self, query: str, timeout: float) -> dict[str, Any] | None:
        self.requests += 1
        try:
            found = self._client.geocode(
                query, exactly_one=True, country_codes="de", timeout=timeout
            )
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
                    f"the geocoder at {self.url} did not answer within {timeout:g} s; "
                    "try again later or raise GEOCODER_TIMEOUT"
                ) from None
            raise GeocodingError(
                f"cannot reach the geocoder at {self.url} ({exc}); check GEOCODER_URL "
                "and the network connection"
            ) from None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            raise self._unusable() from None
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
        if (
            not isinstance(entries, dict)
            or raw.get("version") != CACHE_VERSION
            or not all(
                v is None or (isinstance(v, dict) and {"lat", "lon"} <= v.keys())
                for v in entries.values()
            )
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
    """Return the process-wide geocoder for searches: one pace, bounded waits, no disk writes."""
    key = tuple(
        str(settings[name])
        for name in (
            "GEOCODER_URL",
            "USER_AGENT",
            "GEOCODER_TIMEOUT",
            "GEOCODER_MIN_INTERVAL",
            "CACHE_DIR",
            "GEOCODER_SEARCH_WAIT",
        )
    )
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Geocoder(
                settings, remember=False, max_wait=_number(settings, "GEOCODER_SEARCH_WAIT")
            )
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
        return GeocodeResult(
            inst_id,
            query,
            failed=True,
            problem=(f"not tried: the geocoder failed {MAX_FAILURES_IN_A_ROW} times in a row"),
        )
    cached = geocoder.is_cached(query)
    try:
        found = geocoder.locate(query)
    except GeocodingError as exc:
        return GeocodeResult(inst_id, query, failed=True, problem=str(exc))
    if found is None:
        return GeocodeResult(
            inst_id,
            query,
            from_cache=cached,
            problem=(
                "the geocoder knows no such address; correct it, or add "
                "'location: {lat: ..., lon: ...}' by hand"
            ),
        )
    south, north, west, east = GERMANY
    if not (south <= found.lat <= north and west <= found.lon <= east):
        return GeocodeResult(
            inst_id,
            query,
            from_cache=cached,
            problem=(
                f"the geocoder placed it outside Germany ({found.lat}, {found.lon}); "
                "check the address"
            ),
        )
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
    path: str | Path,
    geocoder: Geocoder,
    *,
    dry_run: bool = False,
    progress: Callable[[GeocodeResult], None] | None = None,
    actor: str = "geocoder",
    reason: str = "",
    git_commit: bool = False,
) -> GeocodeReport:
    """Geocode institutions that have an address but no location, and write the coordinates.

    Coordinates already in the file are never changed. With dry_run the data file is
    left alone (the geocoder cache still learns the answers).
    """
    from .datafile.edit import edit_data_file  # the writer: not imported by searches
    from .datafile.history import Journal

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
        journal = Journal("geocode", actor, reason, git_commit=git_commit)
        report.written, _ = edit_data_file(
            path, lambda data: _set_locations(data, found), dry_run=dry_run, journal=journal
        )
    return report
