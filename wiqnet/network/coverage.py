"""Coverage matrix: how many active services serve each need in each quarter."""

from __future__ import annotations

from dataclasses import dataclass

from .. import geo
from ..model import Directory
from ..needs import need_keys
from ..text import COVERAGE, wording

OUTSIDE = "ausserhalb"
NO_LOCATION = "ohne-adresse"
# geo.placement's buckets besides the quarters, as the matrix names its columns.
_COLUMNS = {geo.OUTSIDE: OUTSIDE, geo.NO_LOCATION: NO_LOCATION}


@dataclass(frozen=True)
class Coverage:
    """Counts of active services per (need, column); columns are quarter ids plus two extras.

    `ausserhalb` holds services at a location outside every quarter, `ohne-adresse`
    services of institutions without a location (phone lines, online offers).
    """

    needs: tuple[str, ...]
    columns: tuple[str, ...]
    labels: dict[str, str]
    counts: dict[tuple[str, str], int]
    totals: dict[str, int]

    def count(self, need: str, column: str) -> int:
        """Return the number of active services for a need in a column."""
        return self.counts.get((need, column), 0)

    def quarters(self) -> tuple[str, ...]:
        """Return the quarter columns (without the two extra columns)."""
        return tuple(c for c in self.columns if c not in (OUTSIDE, NO_LOCATION))

    def gaps(self) -> list[tuple[str, str]]:
        """Return (need, quarter) pairs that no active service covers, in matrix order."""
        return [(n, q) for n in self.needs for q in self.quarters() if self.count(n, q) == 0]

    def total(self, need: str) -> int:
        """Return the number of active services for a need (each counted once)."""
        return self.totals.get(need, 0)


def quarter_postcodes(directory: Directory) -> dict[str, set[str]]:
    """Return each quarter's postcodes: those of the addresses located inside it."""
    found: dict[str, set[str]] = {q.id: set() for q in directory.quarters}
    for inst in directory.institutions:
        if inst.quarter in found and inst.address is not None and inst.address.postcode:
            found[inst.quarter].add(inst.address.postcode)
    return found


def coverage(directory: Directory, lang: str = "de") -> Coverage:
    """Count the active services of active institutions per need and quarter.

    A service with several needs counts once for each of them. A service counts where it is,
    and also in every quarter its service area (postcodes) reaches, even from outside: WiQ
    serves both quarters from the Fabrik Heeder.
    """
    postcodes = quarter_postcodes(directory)
    columns = (*(q.id for q in directory.quarters), OUTSIDE, NO_LOCATION)
    labels = {q.id: q.name for q in directory.quarters}
    labels.update(wording(COVERAGE, lang))
    counts: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for inst in directory.institutions:
        if not inst.active:
            continue
        where = geo.placement(inst.quarter, inst.location)
        column = _COLUMNS.get(where, where)
        for service in inst.services:
            if service.status != "active":
                continue
            served = {column} | {
                q for q, codes in postcodes.items() if codes & set(service.service_area)
            }
            for need in set(service.needs):
                totals[need] = totals.get(need, 0) + 1
                for where in served:
                    counts[(need, where)] = counts.get((need, where), 0) + 1
    return Coverage(needs=need_keys(), columns=columns, labels=labels, counts=counts, totals=totals)
