"""`wiqnet map`: an interactive map as one standalone HTML file."""

from __future__ import annotations

import click

from . import Context, main, pass_context, reports_errors


@main.command("map")
@click.option("--need", metavar="KEY", help="Only places offering this need, e.g. kinderbetreuung.")
@click.option(
    "--query",
    metavar="TEXT",
    help="Map the results of this search, numbered as in `wiqnet search`.",
)
@click.option(
    "--near",
    metavar="PLACE",
    help="With --query: rank by distance from this place and mark it "
    "(address, postcode or 'lat,lon').",
)
@click.option("--limit", default=10, show_default=True, help="With --query: number of results.")
@click.option("--network", is_flag=True, help="Draw the cooperation links as lines.")
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="Language of the map's labels.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="HTML file to write, e.g. maps/karte.html.",
)
@pass_context
@reports_errors
def map_command(
    ctx: Context,
    need: str | None,
    query: str | None,
    near: str | None,
    limit: int,
    network: bool,
    lang: str,
    output: str,
) -> None:
    """Write an interactive map as one HTML file that works from disk or as an e-mail.

    Scripts and styles are inlined (no CDN); only the map tiles (setting TILES) are loaded
    from the internet, and WIQNET_TILES=none draws on a plain background instead.

    Example: wiqnet map --need kinderbetreuung -o maps/kinderbetreuung.html
    """
    from ..maps import MapOptions, build_map, map_title, write_standalone

    options = MapOptions.from_settings(ctx.settings, standalone=True, lang=lang)
    fmap = build_map(
        ctx.directory(),
        ctx.settings,
        options,
        need=need,
        query=query,
        near=near,
        limit=limit,
        network=network,
    )
    size = write_standalone(output, fmap, map_title(need, query, lang))
    counts = [_count(fmap.place_count, "place")]
    if network:
        counts.append(_count(fmap.link_count, "link"))
    click.echo(f"Wrote {output} ({', '.join(counts)}, {size / 1024:.0f} KB).")
    if options.has_tiles:
        click.echo(f"Tiles: {options.tiles} (loaded by the browser when the map is opened).")
    else:
        click.echo("Tiles: none; quarter outlines and markers on a plain background.")


def _count(n: int, noun: str) -> str:
    """Return '1 place' or '3 places'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
