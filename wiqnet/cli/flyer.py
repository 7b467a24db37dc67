"""`wiqnet flyer`: a print-ready flyer (PDF, PNG or SVG) with a map of the quarter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from ..flyer import FORMATS, LANGS, PAPERS

if TYPE_CHECKING:
    from ..flyer import Flyer
from . import Context, main, pass_context, reports_errors

DEFAULT_OUTPUT = "maps/flyer.pdf"
BOOKLET_OUTPUT = "maps/wegweiser.pdf"


def _format(output: str | None, fmt: str | None) -> tuple[str, str]:
    """Return the output path and format, inferring one from the other."""
    if output is None:
        chosen = fmt or "pdf"
        return str(Path(DEFAULT_OUTPUT).with_suffix(f".{chosen}")), chosen
    suffix = Path(output).suffix.lower().lstrip(".")
    if fmt is None:
        if suffix not in FORMATS:
            raise UsageError(
                f"cannot tell the format from '{output}'; end the file name in "
                ".pdf, .png or .svg, or give --format"
            )
        return output, suffix
    if suffix in FORMATS and suffix != fmt:
        raise UsageError(
            f"--format {fmt} does not match the file name '{output}'; "
            f"name it *.{fmt} or leave --format out"
        )
    return output, fmt


def _places(count: int) -> str:
    """Return '1 place' or 'N places'."""
    return f"{count} place" if count == 1 else f"{count} places"


def _report(flyer: Flyer, path: str, size: str) -> list[str]:
    """Return the lines that tell what went onto the flyer."""
    selection = flyer.selection
    lines = [
        (
            f"Wrote {path} ({size}, {flyer.fmt.upper()}, {_places(len(selection.entries))}, "
            f"{len(flyer.content) / 1024:.0f} KB)."
        )
    ]
    if selection.left_out:
        lines.append(
            f"Left out {_places(selection.left_out)}: the {size} legend holds "
            f"{len(selection.entries)}. Narrow the choice with --need or --quarter."
        )
    if flyer.tiles:
        lines.append(
            f"Basemap: {flyer.tiles} tiles from {flyer.tile_host} "
            f"({flyer.tiles_fetched} downloaded, the rest from the cache)."
        )
    else:
        lines.append("Basemap: none (offline); quarter outlines and markers on a plain background.")
    lines.append(
        f"Data checked between {selection.data_oldest.isoformat()} and "
        f"{selection.data_date.isoformat()} (the places printed)."
    )
    return lines


def _booklet(
    ctx: Context,
    lang: str,
    title: str | None,
    size: str,
    offline: bool,
    no_qr: bool,
    fmt: str | None,
    output: str,
) -> None:
    """Write the Wegweiser booklet and say what is in it."""
    from ..datafile import atomic_write_bytes
    from ..flyer import FlyerOptions, print_booklet

    path, chosen = _format(output, fmt)
    options = FlyerOptions(
        title=title, lang=lang, size=size, fmt=chosen, offline=offline, no_qr=no_qr
    )
    made = print_booklet(ctx.directory(), options, ctx.settings)
    atomic_write_bytes(path, made.content)
    places = {e.institution.id for c in made.chapters for e in (*c.selection.entries, *c.others)}
    click.echo(
        f"Wrote {path} ({size}, {made.pages} pages, {len(made.chapters)} needs, "
        f"{_places(len(places))}, {len(made.content) / 1024:.0f} KB)."
    )


@main.command()
@click.option(
    "--need",
    "needs",
    multiple=True,
    metavar="KEY",
    help="Need key (repeatable), e.g. kinderbetreuung; default: every need.",
)
@click.option(
    "--quarter",
    default="all",
    show_default=True,
    help="Quarter id (hardenbergviertel, stephanplatz) or 'all'.",
)
@click.option("--title", help="Title on the flyer (default: 'Ihre Anlaufstellen im Quartier').")
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="de",
    show_default=True,
    help="Language of the flyer's fixed texts; names and addresses stay as they are.",
)
@click.option(
    "--size",
    type=click.Choice(tuple(PAPERS), case_sensitive=False),
    default="A4",
    show_default=True,
    help="Paper size.",
)
@click.option("--bleed", is_flag=True, help="Add 3 mm bleed on every side (for a print shop).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(tuple(FORMATS)),
    help="Output format (default: from the file name of -o).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="No basemap and no network: outlines and markers on a plain background.",
)
@click.option(
    "--booklet",
    is_flag=True,
    help="A multi-page Wegweiser (PDF): every service grouped by need, a numbered "
    "map per need, an index (default file maps/wegweiser.pdf).",
)
@click.option(
    "--no-qr",
    is_flag=True,
    help="Print without the QR code (needed while PUBLIC_URL is unset or local).",
)
@click.option("-o", "--output", metavar="PATH", help=f"Output file (default: {DEFAULT_OUTPUT}).")
@pass_context
@reports_errors
def flyer(
    ctx: Context,
    needs: tuple[str, ...],
    quarter: str,
    title: str | None,
    lang: str,
    size: str,
    bleed: bool,
    fmt: str | None,
    offline: bool,
    booklet: bool,
    no_qr: bool,
    output: str | None,
) -> None:
    """Make a print-ready flyer: map of the quarter, numbered places, WiQ contact, QR code.

    Places: active ones with a location in or within 500 m of the quarter that offer one of
    the needs (all needs by default), at most 24 on A4 and 10 on A5 (places inside the quarter first, then those covering more needs, then the nearest).
    Leisure-only places (cinema, museum, theatre, a church without a service) only for
    --need freizeit. The QR code and printed URL come from PUBLIC_URL (WIQNET_PUBLIC_URL);
    while it is unset or points to this machine the command refuses unless --no-qr.
    The basemap comes from TILES (cached in CACHE_DIR/tiles, at most 64 tiles per flyer);
    TILES=none or --offline prints without it. Needs Chromium (/usr/bin/chromium).

    Example: wiqnet flyer --need kinderbetreuung --quarter stephanplatz -o maps/kita.pdf
    """
    if booklet:
        _booklet(ctx, lang, title, size.upper(), offline, no_qr, fmt, output or BOOKLET_OUTPUT)
        return
    from ..datafile import atomic_write_bytes
    from ..flyer import FlyerOptions, make_flyer

    path, chosen = _format(output, fmt)
    options = FlyerOptions(
        needs=needs,
        quarter=quarter,
        title=title,
        lang=lang,
        size=size.upper(),
        bleed=bleed,
        fmt=chosen,
        offline=offline,
        no_qr=no_qr,
    )
    made = make_flyer(ctx.directory(), options, ctx.settings)
    atomic_write_bytes(path, made.content)
    for line in _report(made, path, options.size):
        click.echo(line)
