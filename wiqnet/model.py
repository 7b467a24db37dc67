"""The immutable directory model: institutions, services, links and quarters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

STATUSES = ("active", "inactive", "temporarily_closed")
ACCESS_MODES = ("appointment", "open_hours", "phone", "online", "walk_in")
# Link kinds: True where the kind has a direction (from -> to).
LINK_KINDS: dict[str, bool] = {
    "kooperation": False,
    "netzwerk": False,
    "sprechstunde_vor_ort": True,
    "vermittlung": True,
    "traegerschaft": True,
}
DERIVED_KINDS = ("gleicher_standort", "gleicher_traeger")


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


@dataclass(frozen=True, slots=True)
class Contact:
    """Ways to reach an institution or a service."""

    phone: str | None = None
    email: str | None = None
    website: str | None = None


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
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Institution:
    """An organisation at one place (or none, for hotlines), with its services."""

    id: str
    name: str
    services: tuple[Service, ...]
    source: str
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
    line: int = 0

    @property
    def active(self) -> bool:
        """Return whether the institution is currently active."""
        return self.status == "active"

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
    source: str | None = None

    @property
    def directed(self) -> bool:
        """Return whether the link's kind has a direction."""
        return LINK_KINDS.get(self.kind, False)

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

    def __post_init__(self) -> None:
        """Build the id lookups."""
        self._by_id.update({i.id: i for i in self.institutions})
        self._services.update({s.id: s for i in self.institutions for s in i.services})

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
        return next((q for q in self.quarters if q.id == quarter_id), None)
