"""Make a flyer: select places, fit the view, fetch the basemap, lay out, print."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import UsageError
from ..model import Directory
from .booklet import Booklet, make_booklet
from .layout import Layout, attribution_text, flyer_view, render_html
from .paper import BLEED_MM, FORMATS, PAPERS
from .public import PublicUrlError, check_public_url
from .render import html_to_pdf, pdf_to_png, pdf_to_svg
from .select import ALL, Selection, select
from .texts import check_lang
from .tiles import TileCache, View, basemap, tile_range


@dataclass(frozen=True, slots=True)
class FlyerOptions:
    """What to put on a flyer and how to print it."""

    needs: tuple[str, ...] = ()
    quarter: str = ALL
    ids: tuple[str, ...] = ()
    title: str | None = None
    lang: str = "de"
    size: str = "A4"
    bleed: bool = False
    fmt: str = "pdf"
    offline: bool = False
    no_qr: bool = False


@dataclass(frozen=True, slots=True)
class Flyer:
    """A rendered flyer: the file content and what went into it."""

    content: bytes
    fmt: str
    selection: Selection
    html: str
    tiles: int
    tiles_fetched: int
    tile_host: str


def _check(options: FlyerOptions) -> None:
    """Raise UsageError for an unknown paper size, format or language."""
    if options.size not in PAPERS:
        raise UsageError(f"unknown paper size '{options.size}'; choose {' or '.join(PAPERS)}")
    if options.fmt not in FORMATS:
        raise UsageError(f"unknown format '{options.fmt}'; choose one of {', '.join(FORMATS)}")
    check_lang(options.lang)
    if options.title is not None and not options.title.strip():
        raise UsageError("the title is empty; leave --title out for the default title")


def tile_template(settings: Settings, offline: bool = False) -> str | None:
    """Return the tile URL template, or None for a plain background."""
    template = (settings.tiles or "none").strip()
    if offline or template.lower() == "none":
        return None
    if not all(part in template for part in ("{z}", "{x}", "{y}")):
        raise UsageError(
            f"TILES must be a URL template with {{z}}, {{x}} and {{y}} "
            f"(or 'none'), not '{template}'"
        )
    return template


def basemap_image(view: View, settings: Settings) -> tuple[bytes, str] | None:
    """Return the streets under a view from the configured tiles (cached) and their credit.

    None when TILES is 'none'; raises TileError when the tiles cannot be had.
    """
    template = tile_template(settings)
    if template is None:
        return None
    cache = TileCache(template, settings.user_agent, settings.cache_dir)
    return basemap(view, cache), attribution_text(settings.tiles_attribution)


def printed_url(public_url: str, no_qr: bool) -> str | None:
    """Return the URL to print and encode; without a QR code, only a public one (else None)."""
    if not no_qr:
        return check_public_url(public_url)
    try:
        return check_public_url(public_url)
    except PublicUrlError:
        return None


def print_booklet(directory: Directory, options: FlyerOptions, settings: Settings) -> Booklet:
    """Build the Wegweiser booklet (PDF, A4 or A5) with the options' language, title, QR."""
    _check(options)
    if options.fmt != "pdf":
        raise UsageError("the booklet is a PDF; leave --format out or use --format pdf")
    public_url = printed_url(settings.public_url, options.no_qr)
    layout = Layout(PAPERS[options.size], False, options.lang, options.title, public_url, None)
    return make_booklet(directory, layout, settings, tile_template(settings, options.offline))


def make_flyer(directory: Directory, options: FlyerOptions, settings: Settings) -> Flyer:
    """Build the flyer for the options from the directory, using the effective settings."""
    _check(options)
    public_url = printed_url(settings.public_url, options.no_qr)
    paper = PAPERS[options.size]
    selection = select(
        directory,
        needs=options.needs,
        quarter=options.quarter,
        ids=options.ids,
        limit=paper.legend_limit,
        home_id=settings.home_institution,
        lang=options.lang,
    )
    view = flyer_view(selection, paper)
    template = tile_template(settings, options.offline)
    image, fetched, attribution, tiles, host = None, 0, None, 0, ""
    if template is not None:
        cache = TileCache(template, settings.user_agent, settings.cache_dir)
        image = basemap(view, cache)
        fetched, tiles, host = cache.fetched, len(tile_range(view)), urlsplit(template).netloc
        attribution = attribution_text(settings.tiles_attribution)
    layout = Layout(paper, options.bleed, options.lang, options.title, public_url, attribution)
    html = render_html(selection, layout, view, image)
    bleed = 2 * BLEED_MM if options.bleed else 0.0
    width, height = paper.width + bleed, paper.height + bleed
    pdf = html_to_pdf(html, width, height)
    content = {
        "pdf": lambda: pdf,
        "png": lambda: pdf_to_png(pdf, width, height),
        "svg": lambda: pdf_to_svg(pdf),
    }[options.fmt]()
    return Flyer(content, options.fmt, selection, html, tiles, fetched, host)
