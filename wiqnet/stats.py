"""Counts over the directory: by need, quarter and kind, and the entries due for a check."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from .geo import NO_LOCATION, OUTSIDE, distance_m, placement
from .model import DERIVED_KINDS, LINK_KINDS, Directory, Institution, Service
from .needs import all_needs
from .network.graph import derived_groups

# Buckets for institutions that lie in no quarter, in report order.
NO_ADDRESS = "no_address"
BUCKET_LABELS = {
    OUTSIDE: "außerhalb der Quartiere",
    NO_LOCATION: "Adresse ohne Koordinaten",
    NO_ADDRESS: "ohne Adresse (Telefon, online)",
}
NO_CATEGORY = "(ohne Kategorie)"


@dataclass(frozen=True, slots=True)
class NeedCount:
    """How many active services (and their institutions) carry one need key."""

    key: str
    label: str
    services: int
    institutions: int


@dataclass(frozen=True, slots=True)
class Count:
    """A labelled number: one line of a breakdown."""

    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class StaleEntry:
    """An institution whose newest source or check is too old (or missing)."""

    id: str
    name: str
    confirmed: date | None
    days: int | None


@dataclass(frozen=True)
class Stats:
    """The whole report; `as_dict` gives its JSON form."""

    today: date
    stale_days: int
    institutions: int
    services: int
    inactive_services: int
    links: int
    by_need: tuple[NeedCount, ...]
    by_quarter: tuple[Count, ...]
    by_category: tuple[Count, ...]
    by_status: tuple[Count, ...]
    by_link_kind: tuple[Count, ...]
    derived_pairs: tuple[Count, ...]
    stale: tuple[StaleEntry, ...]
    stale_links: int
    checked_recently: int  # active institutions checked (`verified`) in the last 12 months
    active_institutions: int

    @property
    def uncovered(self) -> list[str]:
        """Return the need keys that no active service carries."""
        return [n.key for n in self.by_need if n.services == 0]

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data (dates as ISO strings)."""
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["uncovered_needs"] = self.uncovered
        for entry in data["stale"]:
            entry["confirmed"] = entry["confirmed"] and entry["confirmed"].isoformat()
        return data


def _by_quarter(directory: Directory) -> tuple[Count, ...]:
    counts: Counter[str] = Counter()
    for inst in directory.institutions:
        if inst.quarter:
            counts[inst.quarter] += 1
        elif inst.location is not None:
            counts[OUTSIDE] += 1
        elif inst.address is not None:
            counts[NO_LOCATION] += 1
        else:
            counts[NO_ADDRESS] += 1
    rows = [Count(q.id, q.name, counts[q.id]) for q in directory.quarters]
    return tuple(rows + [Count(key, label, counts[key]) for key, label in BUCKET_LABELS.items()])


def _sorted_counts(counter: Counter[str]) -> tuple[Count, ...]:
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))
    return tuple(Count(key, key, n) for key, n in ordered)


def _derived_pairs(directory: Directory) -> tuple[Count, ...]:
    groups = derived_groups(directory)
    return tuple(
        Count(kind, kind, sum(len(g) * (len(g) - 1) // 2 for g in groups[kind]))
        for kind in DERIVED_KINDS
    )


def _stale(directory: Directory, today: date, stale_days: int) -> tuple[StaleEntry, ...]:
    stale = [
        StaleEntry(
            inst.id,
            inst.name,
            inst.confirmed,
            (today - inst.confirmed).days if inst.confirmed else None,
        )
        for inst in directory.institutions
        if inst.stale_on(today, stale_days)
    ]
    stale.sort(key=lambda e: (e.confirmed or date.min, e.id))
    return tuple(stale)


CHECK_WINDOW_DAYS = 365  # "checked in the last 12 months"


def checked_recently(directory: Directory, today: date, days: int = CHECK_WINDOW_DAYS) -> int:
    """Return how many active institutions had a check (`verified`) in the last `days` days."""
    start = today - timedelta(days=days)
    return sum(
        1
        for inst in directory.institutions
        if inst.active and inst.verified is not None and start < inst.verified <= today
    )


def check_list(
    directory: Directory,
    *,
    need: str | None = None,
    quarter: str | None = None,
    status: str | None = None,
) -> list[Institution]:
    """Return the institutions to check, the longest unconfirmed first (never confirmed: first).

    Filters: a need key (any of its services), a quarter id, a status.
    """
    chosen = [
        inst
        for inst in directory.institutions
        if (status is None or inst.status == status)
        and (quarter is None or inst.quarter == quarter)
        and (need is None or any(need in s.needs for s in inst.services))
    ]
    chosen.sort(key=lambda i: (i.confirmed or date.min, i.name.casefold(), i.id))
    return chosen


def active_services(directory: Directory) -> list[Service]:
    """Return the active services of active institutions: what counts as offered."""
    return [
        s for i in directory.institutions if i.active for s in i.services if s.status == "active"
    ]


def need_counts(directory: Directory) -> Counter[str]:
    """Return how many active services carry each need key (start page, API, stats)."""
    return Counter(n for s in active_services(directory) for n in set(s.needs))


@dataclass(frozen=True, slots=True)
class Offer:
    """A service with its institution and the distance from WiQ's contact point."""

    service: Service
    institution: Institution
    distance: float | None


def offers_by_need(directory: Directory, home_id: str) -> dict[str, dict[str, list[Offer]]]:
    """Group each need's active services by quarter (then outside, then no place), nearest first.

    Distances are from the home institution (WiQ's contact point), when it has a location.
    """
    origin = directory.institution(home_id)
    start = origin.location if origin else None
    groups: dict[str, dict[str, list[Offer]]] = defaultdict(lambda: defaultdict(list))
    for inst in directory.institutions:
        group = placement(inst.quarter, inst.location)
        distance = distance_m(start, inst.location) if start and inst.location else None
        for svc in inst.services:
            if svc.status != "active":
                continue
            for need in dict.fromkeys(svc.needs):
                groups[need][group].append(Offer(svc, inst, distance))
    order = [q.id for q in directory.quarters] + [OUTSIDE, NO_LOCATION]
    return {
        need: {
            g: sorted(
                by_group[g],
                key=lambda o: (
                    o.distance is None,
                    o.distance or 0.0,
                    o.institution.name.casefold(),
                ),
            )
            for g in order
            if g in by_group
        }
        for need, by_group in groups.items()
    }


def compute_stats(directory: Directory, today: date, stale_days: int = 365) -> Stats:
    """Return counts by need, quarter, category, status and link kind, and stale entries."""
    services = active_services(directory)
    per_need: Counter[str] = Counter()
    holders: dict[str, set[str]] = {key: set() for key in all_needs()}
    for service in services:
        for key in set(service.needs):
            per_need[key] += 1
            holders.setdefault(key, set()).add(service.institution_id)
    by_need = tuple(
        NeedCount(key, need.de, per_need[key], len(holders[key]))
        for key, need in all_needs().items()
    )
    links = Counter(link.kind for link in directory.links)
    link_rows = [Count(kind, kind, links.pop(kind, 0)) for kind in LINK_KINDS]
    stale = _stale(directory, today, stale_days)
    return Stats(
        today=today,
        stale_days=stale_days,
        institutions=len(directory.institutions),
        services=len(services),
        inactive_services=sum(len(i.services) for i in directory.institutions) - len(services),
        links=len(directory.links),
        by_need=by_need,
        by_quarter=_by_quarter(directory),
        by_category=_sorted_counts(
            Counter(i.category or NO_CATEGORY for i in directory.institutions)
        ),
        by_status=_sorted_counts(Counter(i.status for i in directory.institutions)),
        by_link_kind=tuple(link_rows) + _sorted_counts(links),
        derived_pairs=_derived_pairs(directory),
        stale=stale,
        stale_links=sum(link.stale_on(today, stale_days) for link in directory.links),
        checked_recently=checked_recently(directory, today),
        active_institutions=sum(1 for i in directory.institutions if i.active),
    )
