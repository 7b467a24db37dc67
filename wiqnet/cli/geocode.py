"""`wiqnet geocode`: fill in missing coordinates from the addresses."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..errors import GeocodingError

if TYPE_CHECKING:
    from ..geocoder import GeocodeReport, GeocodeResult
from . import Context, main, pass_context, reports_errors


def _line(result: GeocodeResult) -> str:
    text = f"{result.status:<10} {result.institution_id}: {result.address}"
    if result.location is not None:
        text += f" -> {result.location.lat:.6f}, {result.location.lon:.6f}"
        text += " (cached)" if result.from_cache else ""
    return text


def _summary(report: GeocodeReport, path: str, dry_run: bool) -> list[str]:
    hits = sum(r.from_cache for r in report.resolved)
    lines = [
        (
            f"{len(report.resolved)} resolved ({hits} from the cache), "
            f"{len(report.unresolved)} unresolved; skipped {report.already_located} with "
            f"coordinates and {report.without_address} without address."
        )
    ]
    if report.unresolved:
        lines.append("Unresolved addresses:")
        lines += [f"  {r.institution_id}: {r.address}: {r.problem}" for r in report.unresolved]
    if dry_run:
        lines.append(
            f"Dry run: would add coordinates to {report.written} institution(s); "
            f"{path} is unchanged."
        )
    elif report.written:
        lines.append(f"Added coordinates to {report.written} institution(s) in {path}.")
    return lines


@main.command()
@click.option(
    "--dry-run", is_flag=True, help="Look the addresses up, but leave the data file unchanged."
)
@pass_context
@reports_errors
def geocode(ctx: Context, dry_run: bool) -> None:
    """Fill in missing coordinates from the addresses (Nominatim, cached).

    Looks up every institution that has an address but no location and writes
    the coordinates into the data file, keeping its comments. Coordinates that
    are already there are never changed. Answers are cached in CACHE_DIR, and
    at most one request per second goes to the server (GEOCODER_URL).

    Exit code: 0 when every address was resolved, 1 when some addresses were
    not found, 4 when the geocoder failed for some (try again later).

    Example: wiqnet geocode --dry-run
    """
    from ..geocoder import Geocoder, fill_missing_locations

    geocoder = Geocoder(ctx.settings)
    click.echo(
        f"Geocoder: {geocoder.url} (at most one request every "
        f"{geocoder.min_interval:g} s; cache {geocoder.cache_path})"
    )
    report = fill_missing_locations(
        ctx.data_path,
        geocoder,
        dry_run=dry_run,
        progress=lambda r: click.echo(_line(r)),
        git_commit=ctx.settings.git_commit,
    )
    for line in _summary(report, ctx.data_path, dry_run):
        click.echo(line)
    if any(r.failed for r in report.unresolved):
        sys.exit(GeocodingError.exit_code)
    if report.unresolved:
        sys.exit(1)
