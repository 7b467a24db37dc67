"""`wiqnet export`: the directory as JSON, CSV, GeoJSON, GraphML or Open Referral HSDS."""

from __future__ import annotations

import csv
import io
import os

import click

from ..errors import UsageError
from ..export import FORMATS
from . import Context, main, pass_context, reports_errors


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "hsds-csv")),
    required=True,
    help="json: the directory; csv: one row per service; geojson: institutions "
    "with a location; graphml: the network; hsds: Open Referral HSDS 3.0 tables; "
    "hsds-csv: the same tables as CSV files with datapackage.json (needs -o FOLDER).",
)
@click.option(
    "--excel",
    is_flag=True,
    help="With --format csv: ';' separators and a UTF-8 BOM for German Excel.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write to this file (atomically) instead of standard output; with "
    "--format hsds-csv a new or empty folder.",
)
@pass_context
@reports_errors
def export(ctx: Context, fmt: str, excel: bool, output: str | None) -> None:
    """Export the directory in a format for other tools.

    HSDS ids are UUIDs derived from wiqnet's ids, so they stay the same between
    exports.

    Example: wiqnet export --format geojson -o maps/einrichtungen.geojson
    For German Excel: wiqnet export --format csv --excel -o angebote.csv
    HSDS as CSV files: wiqnet export --format hsds-csv -o hsds/
    """
    from ..datafile import atomic_write_bytes
    from ..export import export_directory, for_excel

    if excel and fmt != "csv":
        raise UsageError(f"--excel only applies to --format csv, not --format {fmt}")
    if fmt == "hsds-csv":
        _export_folder(ctx, output)
        return
    if output is not None and os.path.isdir(output):
        raise UsageError(f"-o {output}: is a folder; give a file name")
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


def _export_folder(ctx: Context, output: str | None) -> None:
    """Write HSDS's tabular form (CSV files and datapackage.json) into a new folder."""
    from ..export import hsds_csv_files, write_folder

    if output is None:
        raise UsageError("--format hsds-csv writes several files: give a new folder with -o")
    files = hsds_csv_files(ctx.directory())
    write_folder(output, files)
    total = sum(len(content) for content in files.values())
    click.echo(f"Wrote hsds-csv export ({len(files)} files, {total:,} bytes) to {output}")
    for name, content in files.items():
        if name.endswith(".csv"):
            rows = sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8")))) - 1
            click.echo(f"  {name:<24} {rows:>5,} {'row' if rows == 1 else 'rows'}")
        else:
            click.echo(f"  {name:<24} describes the files (Frictionless data package)")
