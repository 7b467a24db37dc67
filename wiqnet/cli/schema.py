"""`wiqnet schema`: the data file's JSON Schema, for editors outside the repository."""

from __future__ import annotations

import click

from . import main


@main.command("schema")
@click.option(
    "--path",
    "show_path",
    is_flag=True,
    help="Print where the installed schema file is instead of its content.",
)
def schema_command(show_path: bool) -> None:
    """Print the data file's JSON Schema (or with --path, where it is installed).

    Example: wiqnet schema --path
    """
    from ..datafile import schema_path

    path = schema_path()
    click.echo(str(path) if show_path else path.read_text(encoding="utf-8"), nl=show_path)
