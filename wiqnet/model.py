"""The immutable directory model: institutions, services, links and quarters."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar, cast

from .text import AGES, wording

T = TypeVar("T")
# Derived structures kept per Directory (graphs per day, page data, the search index);
# the least recently used go first.
DERIVED_LIMIT = 64
# Stands for "no value kept" (a kept value may be None).
_MISSING = object()


class Derived:
    """Values computed once per key and kept; beyond a limit the least recently used go.

    The one cache mechanism for what is derived from a Directory (Directory.derived, the
    search index's own arrays, the web's rendered bodies): while one thread computes a
    key, others asking for the same key wait for its value instead of computing it again.
    """

    def __init__(self, limit: int = DERIVED_LIMIT) -> None:
        """Start empty; keep at most `limit` values."""
        self.limit = limit
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def __contains__(self, key: Hashable) -> bool:
        """Tell whether a value is kept under key."""
        return key in self._values

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the value kept under key, computing it (once) on a miss."""
        # A hit takes no lock: each OrderedDict operation is atomic (written in C, under
        # the GIL), and a key evicted between the two only misses its move to the end.
        found = self._values.get(key, _MISSING)
        if found is not _MISSING:
            try:  # noqa: SIM105 (contextlib.suppress costs a context manager per hit)
                self._values.move_to_end(key)
            except KeyError:
                pass
            return cast(T, found)
        with self._lock:
            found = self._values.get(key, _MISSING)
            if found is not _MISSING:
                return cast(T, found)
            busy = self._computing.setdefault(key, threading.Lock())
        try:
            with busy:
                with self._lock:
                    if key in self._values:
                        kept: T = self._values[key]
                        return kept
                value = compute()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.limit:
                        self._values.popitem(last=False)
                return value
        finally:
            with self._lock:
                self._computing.pop(key, None)


STATUSES = ("active", "inactive", "temporarily_closed")
ACCESS_MODES = ("appointment", "open_hours", "phone", "online", "walk_in")
# Link kinds: True where the kind has a direction (from -> to).
LINK_KINDS: dict[str, bool] = {
    "kooperation": False,
    "netzwerk": False,
    "sprechstunde_vor_ort": True,
    "vermittlung": True,
    "traegerschaft": True,
    "gemeinsames_angebot": False,
    "auftrag": True,
    "mitglied": True,
    "veranstaltung": True,
}
# Link kinds whose target must be a node of this institution kind.
LINK_TARGET_KINDS = {"mitglied": "network", "veranstaltung": "event"}
DERIVED_KINDS = ("gleicher_standort", "gleicher_traeger")
Day = date  # the type of Source.date, whose field name hides `date` inside the class
STALE_DAYS = 365  # a source older than this many days is old; a record resting on it is stale
# How a check (Prüfung) of a record was made: by phone, on the institution's website, by a
# visit, by an e-mail from the institution, or by an accepted suggestion confirming it.
CHECK_METHODS = ("phone", "website", "visit", "email", "suggestion")


def is_stale(day: date | None, today: date, stale_days: int = STALE_DAYS) -> bool:
    """Return whether a confirmation date lies more than stale_days before today (or is unknown)."""
    return day is None or day < today - timedelta(days=stale_days)


@dataclass(frozen=True, slots=True)
class Source:
    """One source of a record or link: a URL or a shared research file, with its own date."""

    date: Day
    url: str | None = None
    file: str | None = None
    title: str | None = None
    date_estimated: bool = False
    supports: tuple[str, ...] = ()
    note: str | None = None

    @property
    def reference(self) -> str:
        """Return the URL, or else the file, that the source points to."""
        return self.url or self.file or ""

    def as_dict(self) -> dict[str, Any]:
        """Return the source in the data file's layout (only the fields that are set)."""
        out: dict[str, Any] = {
            "url": self.url,
            "file": self.file,
            "title": self.title,
            "date": self.date,
        }
        if self.date_estimated:
            out["date_estimated"] = True
        out.update(supports=list(self.supports) or None, note=self.note)
        return {k: v for k, v in out.items() if v is not None}

    def as_json(self) -> dict[str, Any]:
        """Return the source as JSON-ready data (the date as YYYY-MM-DD)."""
        return {**self.as_dict(), "date": self.date.isoformat()}

    def describe(self) -> str:
        """Return a one-line `title, url (file), date` summary."""
        parts = [p for p in (self.title, self.url, f"({self.file})" if self.file else None) if p]
        stamp = f"ca. {self.date.isoformat()}" if self.date_estimated else self.date.isoformat()
        return f"{' '.join(parts)}, {stamp}"


def _age(years: float, lang: str, dative: bool = False) -> tuple[str, str]:
    """Return (number, unit) of an age: months below one year, else years."""
    words = wording(AGES, lang)
    case = "_dative" if dative else ""
    if years < 1:
        months = max(1, round(years * 12))
        return str(months), words["month"] if months == 1 else words["months" + case]
    number = f"{years:g}".replace(".", words["decimal"])
    return number, words["year"] if years == 1 else words["years" + case]


def age_range_text(minimum: float | None, maximum: float | None, lang: str = "de") -> str:
    """Return an age range as 'ab 4 Monaten', '6–27 Jahre' or 'bis 27 Jahre' ('' if open)."""
    low = minimum if minimum else None  # 0 is no lower limit
    if low is None and maximum is None:
        return ""
    words = wording(AGES, lang)
    if maximum is None:
        number, unit = _age(low or 0, lang, dative=True)
        return words["from"].format(age=f"{number} {unit}")
    top, top_unit = _age(maximum, lang)
    if low is None:
        return words["up_to"].format(age=f"{top} {top_unit}")
    bottom, bottom_unit = _age(low, lang)
    if bottom_unit.startswith(top_unit[:4]):
        return f"{bottom}–{top} {top_unit}"
    return f"{bottom} {bottom_unit} – {top} {top_unit}"


def newest_source_date(sources: Iterable[Source]) -> date | None:
    """Return the date of the newest source, or None when there is none."""
    return max((s.date for s in sources), default=None)


def sources_text(sources: Iterable[Source]) -> str:
    """Return every source as one line of text, separated by semicolons."""
    return "; ".join(s.describe() for s in sources)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address."""

    street: str
    postcode: str
    city: str

    def one_line(self) -> str:
        """Return the address as `street, postcode city`."""
        return f"{self.street}, {self.postcode} {self.city}"


@dataclass(frozen=True, slots=True)
class Location:
    """A WGS 84 point."""

    lat: float
    lon: float
    approximate: bool = False
    method: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """Ways to reach an institution or a service."""

    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class HeldAt:
    """A consultation hour a service holds at another institution."""

    institution_id: str
    opening_hours: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """One offer of an institution, tagged with need keys."""

    id: str
    institution_id: str
    name: str
    description: str
    needs: tuple[str, ...]
    audience: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    cost: str | None = None
    opening_hours: str | None = None
    contact: Contact | None = None
    access: tuple[str, ...] = ()
    access_note: str | None = None
    service_area: tuple[str, ...] = ()
    status: str = "active"
    minimum_age: float | None = None
    maximum_age: float | None = None
    eligibility: str | None = None
    documents: tuple[str, ...] = ()
    held_at: tuple[HeldAt, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Institution:
    """An organisation at one place (or none, for hotlines), with its services."""

    id: str
    name: str
    services: tuple[Service, ...]
    sources: tuple[Source, ...] = ()
    address: Address | None = None
    location: Location | None = None
    operator: str | None = None
    contact: Contact = field(default_factory=Contact)
    languages: tuple[str, ...] = ()
    accessibility: str | None = None
    opening_hours: str | None = None
    status: str = "active"
    verified: date | None = None
    notes: str | None = None
    category: str | None = None
    quarter: str | None = None
    kind: str = "organization"
    record: str = "full"
    line: int = 0

    @property
    def active(self) -> bool:
        """Return whether the institution is currently active."""
        return self.status == "active"

    @property
    def confirmed(self) -> date | None:
        """Return the last day the record was confirmed: its newest source or its check."""
        return max(
            (d for d in (newest_source_date(self.sources), self.verified) if d), default=None
        )

    def stale_on(self, today: date, stale_days: int = STALE_DAYS) -> bool:
        """Return whether the record was last confirmed more than stale_days before today."""
        return is_stale(self.confirmed, today, stale_days)

    @property
    def main_need(self) -> str | None:
        """Return the need most of its services serve; on a tie, the one listed first."""
        counts: dict[str, int] = {}
        for service in self.services:
            for need in dict.fromkeys(service.needs):
                counts[need] = counts.get(need, 0) + 1
        best, most = None, 0
        for need, count in counts.items():  # first listed wins a tie: dicts keep that order
            if count > most:
                best, most = need, count
        return best


@dataclass(frozen=True, slots=True)
class Link:
    """A recorded cooperation between two institutions."""

    source_id: str
    target_id: str
    kind: str
    note: str | None = None
    since: date | None = None
    until: date | None = None
    sources: tuple[Source, ...] = ()

    @property
    def confirmed_until(self) -> date | None:
        """Return the date of the newest source that states the link."""
        return newest_source_date(self.sources)

    def stale_on(self, today: date, stale_days: int = STALE_DAYS) -> bool:
        """Return whether no source confirms the link within stale_days before today."""
        return is_stale(self.confirmed_until, today, stale_days)

    @property
    def directed(self) -> bool:
        """Return whether the link's kind has a direction."""
        return LINK_KINDS.get(self.kind, False)

    def as_json(self) -> dict[str, Any]:
        """Return the link as JSON-ready data (dates as YYYY-MM-DD, absent ones as None)."""
        return {
            "from": self.source_id,
            "to": self.target_id,
            "kind": self.kind,
            "note": self.note,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "sources": [s.as_json() for s in self.sources],
        }

    def describe(self) -> str:
        """Return `from -> to (kind)`, with `--` for an undirected kind."""
        arrow = "->" if self.directed else "--"
        return f"{self.source_id} {arrow} {self.target_id} ({self.kind})"

    def active_on(self, day: date) -> bool:
        """Return whether the link existed on the given day."""
        if self.since is not None and day < self.since:
            return False
        return self.until is None or day <= self.until


@dataclass(frozen=True, slots=True)
class Quarter:
    """A named quarter outline (a polygon of lon/lat pairs)."""

    id: str
    name: str
    polygon: tuple[tuple[float, float], ...]
    approximate: bool = True
    source: str | None = None


@dataclass(frozen=True)
class Directory:
    """The whole directory, read once from the data file; never mutated."""

    institutions: tuple[Institution, ...]
    links: tuple[Link, ...] = ()
    quarters: tuple[Quarter, ...] = ()
    path: str = ""
    digest: str = ""
    _by_id: dict[str, Institution] = field(default_factory=dict, repr=False, compare=False)
    _services: dict[str, Service] = field(default_factory=dict, repr=False, compare=False)
    _quarters: dict[str, Quarter] = field(default_factory=dict, repr=False, compare=False)
    _derived: Derived = field(default_factory=Derived, repr=False, compare=False)

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return compute(), once per key for this Directory: the one cache of derived data.

        What is derived from a Directory lives exactly as long as it, so a hot reload (a new
        Directory) never sees stale graphs, page data or search indexes.
        """
        return self._derived.get(key, compute)

    def __post_init__(self) -> None:
        """Build the id lookups."""
        self._by_id.update({i.id: i for i in self.institutions})
        self._services.update({s.id: s for i in self.institutions for s in i.services})
        self._quarters.update({q.id: q for q in reversed(self.quarters)})  # the first of an id

    def __reduce__(self) -> tuple[type[Directory], tuple[Any, ...]]:
        """Pickle the records only: the other side builds its own lookups and caches."""
        return Directory, (self.institutions, self.links, self.quarters, self.path, self.digest)

    def institution(self, institution_id: str) -> Institution | None:
        """Return the institution with this id, or None."""
        return self._by_id.get(institution_id)

    def service(self, service_id: str) -> Service | None:
        """Return the service with this id, or None."""
        return self._services.get(service_id)

    def services(self) -> list[Service]:
        """Return every service in file order."""
        return list(self._services.values())

    def quarter(self, quarter_id: str) -> Quarter | None:
        """Return the quarter with this id, or None."""
        return self._quarters.get(quarter_id)
