"""`wiqnet export`: the directory as JSON, CSV, GeoJSON, GraphML or Open Referral HSDS."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..export import FORMATS
from . import Context, main, pass_context, reports_errors


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="json: the directory; csv: one row per service; geojson: institutions "
    "with a location; graphml: the network; hsds: Open Referral HSDS 3.0 tables.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="With --format csv: ';' separators and a UTF-8 BOM for German Excel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (atomically) instead of standard output.",
)
@pass_context
@reports_errors
def export(ctx: Context, fmt: str, excel: bool, output: str | None) -> None:
    """Export the directory in a format for other tools.

    HSDS ids are UUIDs derived from wiqnet's ids, so they stay the same between
    exports.

    Example: wiqnet export --format geojson -o maps/einrichtungen.geojson
    For German Excel: wiqnet export --format csv --excel -o angebote.csv
    """
    from ..datafile import atomic_write_bytes
    from ..excelcsv import for_excel
    from ..export import export_directory

    if excel and fmt != "csv":
        raise UsageError(f"--excel only applies to --format csv, not --format {fmt}")
    content = export_directory(ctx.directory(), fmt)
    if excel:
        content = for_excel(content)
    if output is None:
        click.echo(content.decode("utf-8"), nl=False)
        return
    try:
        atomic_write_bytes(output, content)
    except OSError as exc:
        raise click.FileError(output, hint=exc.strerror) from None
    click.echo(f"Wrote {fmt} export ({len(content):,} bytes) to {output}")
