"""The printable flyer as a PDF: `GET /flyer.pdf`.

Parameters: `need` (repeatable), `quarter`, `lang` (de, en, tr, ar; default: the UI language),
`size` (A4, A5), `title`, `bleed=1`; the places are either `id` (repeatable, in this order, as
the search page lists them) or the results of the search `q` (with `need`, `language`, `audience`,
`open_at` as on /suche), or else every place for the needs in or near the quarter.
Flyers are cached per parameters and rate-limited; HEAD answers the headers without
rendering. `no_qr=1` prints without the QR code. The QR code and printed URL come from PUBLIC_URL, by
default the URL the app is served under; when that points to this machine the flyer is refused
with a page that says how to set it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from ..config import Settings
from ..errors import BusyError, NotFound, TileError, UsageError
from ..flyer import (
    ALL,
    PAPERS,
    FlyerOptions,
    PublicUrlError,
    check_public_url,
    make_flyer,
    print_booklet,
)
from ..model import Derived
from ..search import SearchRequest, search
from .display import local_now
from .i18n import ui_language
from .limits import limiter
from .state import cached, current_directory, current_settings

bp = Blueprint("flyer", __name__)
MAX_IDS = 100
# One Chromium per process at a time; another request waits at most PRINT_WAIT seconds
# for it, then gets 503.
_PRINTING = threading.Lock()
PRINT_WAIT = 2.0
# Rendered flyers kept per loaded data file (about 100 kB to 1 MB each).
CACHED_FLYERS = 64


def _cache_key() -> str:
    """Return the flyer cache key: route, every parameter (sorted), UI language, served URL."""
    pairs = sorted(request.args.items(multi=True))
    return repr((request.path, pairs, ui_language(), request.url_root))


def _flyers() -> Derived:
    """Return this data file's cache of rendered flyers."""
    return cached("flyer.pdfs", lambda _d: Derived(CACHED_FLYERS))


def _is_cached() -> bool:
    """Tell whether the asked-for flyer is already rendered (then no rate limit applies)."""
    return _cache_key() in _flyers()


def _rate() -> str:
    """Return the per-address flyer rate limit."""
    return current_settings().flyer_rate_limit


def _rate_all() -> str:
    """Return the per-process flyer rate limit."""
    return current_settings().flyer_rate_limit_all


def _found(query: str, needs: tuple[str, ...], size: str) -> tuple[str, ...]:
    """Return the institution ids of the search results for query, best first."""
    args = request.args
    wanted = SearchRequest(
        query=query,
        need=needs[0] if len(needs) == 1 else None,
        language=args.get("language") or None,
        audience=args.get("audience") or None,
        open_at=args.get("open_at") or None,
        limit=PAPERS[size].legend_limit if size in PAPERS else PAPERS["A4"].legend_limit,
    )
    response = search(current_directory(), wanted, current_settings(), now=local_now())
    return tuple(dict.fromkeys(r.institution_id for r in response.results))


def flyer_settings() -> Settings:
    """Return the settings with PUBLIC_URL defaulting to the URL the app is served under."""
    settings = current_settings()
    if not settings.public_url.strip():
        settings = replace(settings, public_url=request.url_root)
    return settings


def refused(public_url: str) -> tuple[str, int]:
    """Return the page that explains why the flyer has no public QR code and how to fix it."""
    try:
        check_public_url(public_url, without="„Ohne QR-Code drucken“")
        message = ""
    except PublicUrlError as exc:
        message = str(exc)
    args = request.args.to_dict(flat=False)
    args["no_qr"] = ["1"]
    return render_template(
        "flyer/refused.html", message=message, args=args, endpoint=request.endpoint
    ), 409


@bp.get("/flyer.pdf")
@limiter.limit(_rate, methods=["GET"], exempt_when=_is_cached)
@limiter.limit(_rate_all, key_func=lambda: "everyone", methods=["GET"], exempt_when=_is_cached)
def pdf() -> Response | tuple[str, int]:
    """Return the flyer for the listed places, a search or the needs as an inline PDF."""
    args = request.args
    needs = tuple(args.getlist("need"))
    size = args.get("size", "A4").upper()
    ids = tuple(args.getlist("id"))
    if len(ids) > MAX_IDS:
        raise UsageError(f"at most {MAX_IDS} places fit on a flyer request")
    if not ids and args.get("q", "").strip():
        ids = _found(args["q"], needs, size)
        if not ids:
            raise NotFound(f"the search '{args['q']}' found no places for a flyer")
    options = FlyerOptions(
        needs=needs,
        quarter=args.get("quarter", ALL),
        ids=ids,
        title=args.get("title"),
        lang=args.get("lang") or ui_language(),
        size=size,
        bleed=args.get("bleed") == "1",
        no_qr=args.get("no_qr") == "1",
    )
    name = "flyer-" + "-".join(options.needs or ("wiq",)) + ".pdf"
    return _deliver(
        name,
        lambda settings, opts: make_flyer(current_directory(), opts, settings).content,
        options,
    )


@bp.get("/wegweiser.pdf")
@limiter.limit(_rate, methods=["GET"], exempt_when=_is_cached)
@limiter.limit(_rate_all, key_func=lambda: "everyone", methods=["GET"], exempt_when=_is_cached)
def wegweiser() -> Response | tuple[str, int]:
    """Return the Wegweiser booklet (every service by need, maps, index) as a PDF.

    Parameters: `lang` (de, en, tr, ar), `size` (A4, A5), `title`, `no_qr=1`.
    """
    args = request.args
    options = FlyerOptions(
        title=args.get("title"),
        lang=args.get("lang") or ui_language(),
        size=args.get("size", "A4").upper(),
        no_qr=args.get("no_qr") == "1",
    )
    return _deliver(
        "wegweiser.pdf",
        lambda settings, opts: print_booklet(current_directory(), opts, settings).content,
        options,
    )


Render = Callable[[Settings, FlyerOptions], bytes]


def _deliver(name: str, render: Render, options: FlyerOptions) -> Response | tuple[str, int]:
    """Answer with the cached or freshly printed PDF, or the page refusing a local PUBLIC_URL."""
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    settings = flyer_settings()
    if request.method == "HEAD":
        return Response(mimetype="application/pdf", headers=headers)
    try:
        content = _flyers().get(_cache_key(), lambda: _print(render, settings, options))
    except PublicUrlError:
        return refused(settings.public_url)
    return Response(content, mimetype="application/pdf", headers=headers)


def _print(render: Render, settings: Settings, options: FlyerOptions) -> bytes:
    """Print one PDF at a time per process; raise BusyError if the wait is too long."""
    if not _PRINTING.acquire(timeout=PRINT_WAIT):
        raise BusyError(
            _(
                "Gerade wird ein anderer Flyer gedruckt. Bitte versuchen Sie es in "
                "ein paar Sekunden noch einmal."
            )
        )
    try:
        try:
            return render(settings, options)
        except TileError as exc:
            # The counsellor still gets a flyer: outline, markers and legend, no basemap.
            current_app.logger.warning("flyer without basemap: %s", exc)
            return render(settings, replace(options, offline=True))
    finally:
        _PRINTING.release()
