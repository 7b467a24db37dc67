"""`wiqnet network stats|export|report`: the cooperation network for the coordinator."""

from __future__ import annotations

from datetime import date

import click

from ..errors import UsageError
from ..network import FORMATS
from . import Context, main, pass_context, reports_errors
from .link import DAY


@main.group()
def network() -> None:
    """Analyse, export and report the cooperation network.

    Example: wiqnet network stats
    """


@network.command("stats")
@click.option("--on", "on", type=DAY, help="Look at the network as it was on this day.")
@click.option("--top", default=5, show_default=True, help="How many brokers and suggestions.")
@pass_context
@reports_errors
def network_stats(ctx: Context, on: date | None, top: int) -> None:
    """Print size, density, components, brokers, isolates, gaps and suggested introductions.

    Example: wiqnet network stats --on 2022-01-01
    """
    from ..network import overview, reason

    directory = ctx.directory()
    view = overview(directory, on, brokers_limit=top, introductions_limit=top)
    s = view.stats

    def name(institution_id: str) -> str:
        """Return an institution's name, or the id when it is unknown."""
        inst = directory.institution(institution_id)
        return inst.name if inst else institution_id

    click.echo(
        f"Network on {view.on.isoformat()}: {s.institutions} active institutions, "
        f"{s.links} linked pairs, density {s.density:.4f}"
    )
    click.echo(
        f"Components (2+ institutions): {s.components}, largest {s.largest_component}; "
        f"isolates: {s.isolates}; communities: {len(view.communities)} "
        f"(modularity {view.modularity:.2f})"
    )
    click.echo("Brokers (betweenness):")
    for c in view.brokers:
        click.echo(
            f"  {c.betweenness:.4f}  {c.degree:>3} partners  {c.institution_id}  "
            f"{name(c.institution_id)}"
        )
    if not view.brokers:
        click.echo("  none yet")
    gaps = view.coverage.gaps()
    click.echo(f"Gaps (need x quarter without an active service): {len(gaps)}")
    for need, quarter in gaps[:top]:
        click.echo(f"  {need} in {view.coverage.labels[quarter]}")
    click.echo("Suggested introductions:")
    for intro in view.introductions:
        click.echo(f"  {intro.score:.3f}  {intro.a} + {intro.b}: {reason(intro, directory, 'en')}")
    if not view.introductions:
        click.echo("  none")


@network.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="graphml and gexf open in Gephi; json is node-link; csv lists the edges.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write."
)
@click.option("--on", "on", type=DAY, help="Only links that existed on this day.")
@click.option(
    "--excel",
    is_flag=True,
    help="With --format csv: ';' separators and a UTF-8 BOM for German Excel.",
)
@pass_context
@reports_errors
def network_export(ctx: Context, fmt: str, output: str, on: date | None, excel: bool) -> None:
    """Export the network (GraphML, GEXF, JSON, CSV) or its diagram (SVG, PNG).

    Example: wiqnet network export --format graphml -o maps/netzwerk.graphml
    For German Excel: wiqnet network export --format csv --excel -o netzwerk.csv
    """
    from ..datafile import atomic_write_bytes
    from ..excelcsv import for_excel
    from ..network import export_network

    if excel and fmt != "csv":
        raise UsageError(f"--excel only applies to --format csv, not --format {fmt}")

    directory = ctx.directory()
    public = ctx.settings.public_url.rstrip("/")
    content = export_network(
        directory, fmt, on=on, href=public + "/einrichtung/{id}", cache_dir=ctx.settings.cache_dir
    )
    if excel:
        content = for_excel(content)
    atomic_write_bytes(output, content)
    click.echo(f"Wrote {output} ({fmt}{' for Excel' if excel else ''}, {len(content):,} bytes).")


@network.command("report")
@click.option(
    "-o",
    "--output",
    default="maps/netzwerkbericht.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="HTML file to write.",
)
@click.option("--pdf", is_flag=True, help="Also print it to a PDF next to it (Chromium).")
@click.option("--on", "on", type=DAY, help="Report day (default: today).")
@click.option(
    "--compare",
    "compare_with",
    type=DAY,
    help="Compare with the network on this earlier day (growth).",
)
@pass_context
@reports_errors
def network_report(
    ctx: Context, output: str, pdf: bool, on: date | None, compare_with: date | None
) -> None:
    """Write the dated network report for the funders (HTML, optionally PDF).

    Example: wiqnet network report -o maps/netzwerkbericht.html --pdf --compare 2022-01-01
    """
    from ..datafile import atomic_write_bytes, logged_links
    from ..network import html_to_pdf, render_report

    html = render_report(
        ctx.directory(),
        on,
        compare_with=compare_with,
        public_url=ctx.settings.public_url,
        cache_dir=ctx.settings.cache_dir,
        logged=logged_links(ctx.data_path),
    )
    atomic_write_bytes(output, html.encode("utf-8"))
    click.echo(f"Wrote {output}.")
    if pdf:
        target = output.rsplit(".", 1)[0] + ".pdf"
        atomic_write_bytes(target, html_to_pdf(html))
        click.echo(f"Wrote {target}.")
