"""`wiqnet stats`: counts by need, quarter and kind, and entries due for a check."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from ..model import LINK_KINDS

if TYPE_CHECKING:
    from ..stats import Count, Stats
from . import Context, main, pass_context, reports_errors


def _table(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if cell.isdigit() else cell.ljust(w)
            for cell, w in zip(row, widths, strict=True)
        ]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _counts(title: str, counts: tuple[Count, ...]) -> list[str]:
    if not counts:
        return [title, "  (none)"]
    return [title, *_table([(c.label, str(c.count)) for c in counts])]


def _needs(stats: Stats) -> list[str]:
    rows = [("key", "Anliegen", "services", "institutions", "")]
    rows += [
        (n.key, n.label, str(n.services), str(n.institutions), "" if n.services else "NOT COVERED")
        for n in stats.by_need
    ]
    lines = ["By need (active services):", *_table(rows)]
    missing = stats.uncovered
    if missing:
        lines.append(
            f"Need keys without an active service ({len(missing)} of "
            f"{len(stats.by_need)}): {', '.join(missing)}."
        )
    else:
        lines.append(f"All {len(stats.by_need)} need keys are covered.")
    return lines


def _links(stats: Stats) -> list[str]:
    rows = [
        (c.label + (" (directed)" if LINK_KINDS.get(c.key) else ""), str(c.count))
        for c in stats.by_link_kind
    ]
    rows += [(f"{c.label} (derived pairs)", str(c.count)) for c in stats.derived_pairs]
    return ["By link kind:", *_table(rows)]


def _checked(stats: Stats) -> str:
    """Return the line on checks in the last 12 months."""
    share = stats.checked_recently / stats.active_institutions if stats.active_institutions else 0
    return (
        f"Checked in the last 12 months: {stats.checked_recently} of "
        f"{stats.active_institutions} active institutions ({share:.0%})"
    )


def _stale(stats: Stats, limit: int) -> list[str]:
    lines = [
        _checked(stats),
        (
            f"Not confirmed for over {stats.stale_days} days by a source or a check "
            f"(as of {stats.today}): {len(stats.stale)} of {stats.institutions} institutions"
        ),
    ]
    shown = stats.stale if limit == 0 else stats.stale[:limit]
    if shown:
        lines[1] += ", oldest first:"
        lines += _table([(str(e.confirmed or "-"), e.id, e.name) for e in shown])
    if len(shown) < len(stats.stale):
        lines.append(f"  ... and {len(stats.stale) - len(shown)} more (--limit 0 lists all)")
    lines.append(
        f"Links not confirmed by a source for over {stats.stale_days} days: "
        f"{stats.stale_links} of {stats.links}"
    )
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(stats: Stats, path: str, limit: int) -> str:
    """Return the plain-text report."""
    inactive = f" (+{stats.inactive_services} inactive)" if stats.inactive_services else ""
    sections = [
        [
            (
                f"{path}: {_plural(stats.institutions, 'institution')}, "
                f"{_plural(stats.services, 'active service')}{inactive}, {_plural(stats.links, 'link')}"
            )
        ],
        _needs(stats),
        _counts("By quarter (institutions):", stats.by_quarter),
        _counts("By category (institutions):", stats.by_category),
        _counts("By status (institutions):", stats.by_status),
        _links(stats),
        _stale(stats, limit),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--limit",
    default=5,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many stale entries to list (0: all).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Count staleness as of this day (default: today).",
)
@pass_context
@reports_errors
def stats(ctx: Context, as_json: bool, limit: int, as_of: datetime | None) -> None:
    """Show counts by need, quarter and kind, and the entries not confirmed for long.

    Every need key is listed, zeros included, so a gap in coverage shows at once.
    An entry is stale when its newest source (or its `verified` check) is more than
    STALE_DAYS days (default 365) old; links count as stale by their newest source.

    Example: wiqnet stats --limit 10
    """
    from ..stats import compute_stats

    today = as_of.date() if as_of else date.today()
    report = compute_stats(ctx.directory(), today, ctx.settings.stale_days)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report, ctx.data_path, limit))
