"""`wiqnet check ID`: record a check of an institution; `wiqnet history [ID]`: the change log."""

from __future__ import annotations

import json
from datetime import date

import click

from ..model import CHECK_METHODS
from . import Context, main, pass_context, reports_errors
from .link import DAY


@main.command()
@click.argument("inst_id", metavar="ID")
@click.option(
    "--method",
    required=True,
    type=click.Choice(CHECK_METHODS),
    help="How the record was checked: phone, website, visit, email (from the institution), "
    "or suggestion (an accepted suggestion confirmed it).",
)
@click.option("--on", "on", type=DAY, help="Day of the check (YYYY-MM-DD); default: today.")
@click.option("--note", default="", help="What was checked or found (at most 500 characters).")
@pass_context
@reports_errors
def check(ctx: Context, inst_id: str, method: str, on: date | None, note: str) -> None:
    """Record that the institution ID was checked; `verified` moves to the day of the check.

    The check is written to the change log (<data file>.history.jsonl) with its method
    and note, also when `verified` already had that day.

    Example: wiqnet check jobcenter-krefeld --method phone --note "Öffnungszeiten stimmen"
    """
    from ..datafile import record_check

    verified = record_check(
        ctx.data_path,
        inst_id,
        on=on,
        method=method,
        note=note,
        git_commit=ctx.settings.git_commit,
    )
    click.echo(f"Recorded a check of {inst_id} ({method}); verified: {verified}.")


@main.command()
@click.argument("inst_id", metavar="[ID]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@pass_context
@reports_errors
def history(ctx: Context, inst_id: str | None, as_json: bool) -> None:
    """Print the change log of the data file (or of one institution), oldest first.

    Example: wiqnet history jobcenter-krefeld
    """
    from ..datafile import history as read_history

    for entry in read_history(ctx.data_path, inst_id):
        if as_json:
            click.echo(json.dumps(entry.as_dict(), ensure_ascii=False))
            continue
        reason = f" – {entry.reason}" if entry.reason else ""
        click.echo(f"{entry.as_dict()['time']}  {entry.actor}  {entry.action}{reason}")
        for change in entry.changes_for(inst_id) if inst_id else entry.changes:
            click.echo(f"  {change.inst_id} {change.field}: {change.before!r} -> {change.after!r}")
