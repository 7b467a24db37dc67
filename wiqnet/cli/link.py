"""`wiqnet link add|remove`: record cooperation links in the data file."""

from __future__ import annotations

from datetime import date

import click

from ..model import LINK_KINDS, Link
from . import Context, main, pass_context, reports_errors

KINDS = ", ".join(f"{k} ({'directed' if d else 'undirected'})" for k, d in LINK_KINDS.items())


class _Day(click.ParamType[date]):
    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        """Return the value as a date, or fail with a hint."""
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(
                f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-01", param, ctx
            )


DAY = _Day()


@main.group()
def link() -> None:
    """Record or remove cooperation links between institutions.

    Example: wiqnet link add wiq kulturfabrik-krefeld --kind kooperation --source "Protokoll"
    """


@link.command("add")
@click.argument("from_id", metavar="FROM")
@click.argument("to_id", metavar="TO")
@click.option("--kind", required=True, help=f"Kind of link: {KINDS}.")
@click.option("--note", help="Short note on what the cooperation is.")
@click.option("--since", type=DAY, help="Day the cooperation began (YYYY-MM-DD).")
@click.option("--until", type=DAY, help="Day the cooperation ended (YYYY-MM-DD).")
@click.option("--source", help="Where the cooperation is stated: a URL or a document (required).")
@click.option(
    "--source-date",
    type=DAY,
    help="The source's own date (YYYY-MM-DD); default: --since, else today (estimated).",
)
@pass_context
@reports_errors
def link_add(
    ctx: Context,
    from_id: str,
    to_id: str,
    kind: str,
    note: str | None,
    since: date | None,
    until: date | None,
    source: str | None,
    source_date: date | None,
) -> None:
    """Record a cooperation link FROM -> TO in the data file.

    The file keeps its comments and layout; the result is validated before it
    is written, and a backup is kept as <file>.bak. Undirected kinds
    (kooperation, netzwerk) match in either order for duplicates.

    Example: wiqnet link add wiq kulturfabrik-krefeld --kind kooperation --since 2026-11-20 \
    --source "Protokoll Netzwerktreffen 2026-11-20"
    """
    from ..datafile import add_link, link_source

    sources = (link_source(source, source_date or since, date.today()),) if source else ()
    record = add_link(
        ctx.data_path,
        Link(from_id, to_id, kind, note, since, until, sources),
        git_commit=ctx.settings.git_commit,
    )
    click.echo(f"Added link {record.describe()} to {ctx.data_path}.")


@link.command("remove")
@click.argument("from_id", metavar="FROM")
@click.argument("to_id", metavar="TO")
@click.option("--kind", help="Remove only the link of this kind (default: every kind).")
@pass_context
@reports_errors
def link_remove(ctx: Context, from_id: str, to_id: str, kind: str | None) -> None:
    """Remove the recorded link(s) FROM -> TO from the data file.

    Without --kind every link between the two is removed (undirected kinds in
    either order).

    Example: wiqnet link remove wiq kulturfabrik-krefeld --kind kooperation
    """
    from ..datafile import remove_link

    removed = remove_link(ctx.data_path, from_id, to_id, kind, git_commit=ctx.settings.git_commit)
    for record in removed:
        click.echo(f"Removed link {record.describe()} from {ctx.data_path}.")
