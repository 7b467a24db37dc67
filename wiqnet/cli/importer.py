"""`wiqnet import ...`: bring outside data into the data file."""

from __future__ import annotations

import click

from . import Context, main, pass_context, reports_errors


@main.group("import")
def import_group() -> None:
    """Import institutions from outside data into the data file.

    \b
    Example: wiqnet import krefeld-geojson ../shared/krefeld-open-data/kindergartens.json
    """


@import_group.command("krefeld-geojson")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--within",
    type=click.Choice(["quarter", "city"]),
    default="quarter",
    show_default=True,
    help="quarter: only places inside data/quarters.geojson; city: all places.",
)
@click.option(
    "--match",
    "match",
    metavar="REGEX",
    help="Only records whose title matches this regular expression.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@pass_context
@reports_errors
def krefeld_geojson(
    ctx: Context, files: tuple[str, ...], within: str, match: str | None, dry_run: bool
) -> None:
    """Import Krefeld open-data GeoJSON files (tursics/map-krefeld) into the data file.

    Running it again changes nothing; fields a person edited are kept.

    \b
    Example: wiqnet import krefeld-geojson ../shared/krefeld-open-data/schools.json --dry-run
    """
    from ..importers import import_files

    report = import_files(
        ctx.data_path,
        list(files),
        within=within,
        title_pattern=match,
        dry_run=dry_run,
        git_commit=ctx.settings.git_commit,
    )
    for label, ids in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
    ):
        click.echo(f"{label}: {len(ids)}" + (f" ({', '.join(ids)})" if ids else ""))
    if report.kept:
        click.echo(f"kept edited fields: {', '.join(report.kept)}")
    if report.outside:
        click.echo(f"outside the quarters: {report.outside}")
    if report.not_targets:
        click.echo(f"not a referral target (e.g. accessible toilets): {report.not_targets}")
    for line in report.skipped:
        click.echo(f"skipped: {line}")
    click.echo(
        "dry run: nothing written"
        if dry_run
        else f"wrote {ctx.data_path}"
        if report.added or report.updated
        else f"{ctx.data_path} is up to date"
    )
