"""The printable flyer as a PDF: `GET /flyer.pdf`.

Parameters: `need` (repeatable), `quarter`, `lang` (de, en, tr, ar; default: the UI language),
`size` (A4, A5), `title`, `bleed=1`; the places are either `id` (repeatable, in this order, as
the search page lists them) or the results of the search `q` (with `need`, `language`, `audience`,
`open_at` as on /suche), or else every place for the needs in or near the quarter.
Flyers are cached per parameters on disk for every server process and rate-limited; HEAD
answers the headers without rendering. The machine prints one flyer at a time (all server
processes together), in a process of low CPU priority; a request meanwhile gets 503 with
Retry-After at once. `no_qr=1` prints without the QR code. The
QR code and printed URL come from PUBLIC_URL, by default the URL the app is served under; when
that points to this machine the flyer is refused with a page that says how to set it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

from flask import Blueprint, Response, current_app, make_response, render_template, request
from flask_babel import gettext as _

from ..config import Settings
from ..errors import BusyError, NotFound, RenderError, TileError, UsageError, WiqnetError
from ..flyer import (
    ALL,
    PAPERS,
    FlyerOptions,
    PublicUrlError,
    check_public_url,
    make_flyer,
    print_booklet,
)
from ..model import Directory
from ..search import SearchRequest, search
from .display import local_now
from .errorpages import error_response
from .flyerstore import FlyerStore, printer
from .i18n import ui_language
from .limits import limiter
from .state import cached, current_directory, current_settings

bp = Blueprint("flyer", __name__)
MAX_IDS = 100
# One Chromium on the machine at a time; another request meanwhile gets 503 at once (never
# queued), told to come back after BUSY_RETRY_SECONDS.
BUSY_RETRY_SECONDS = 10
# Each print runs in a fresh process of lower CPU priority (Chromium, started from it, inherits
# it): neither its CPU time nor the Python interpreter lock is taken from the searches.
PRINT_NICENESS = 10
_PR_CAPBSET_DROP, _CAP_SYS_NICE = 24, 23  # <linux/prctl.h>, <linux/capability.h>
# Printed flyers kept on disk for the loaded data file (about 100 kB to 1 MB each).
CACHED_FLYERS = 64


def _cache_key() -> str:
    """Return the flyer cache key: route, every parameter (sorted), UI language, served URL."""
    pairs = sorted(request.args.items(multi=True))
    return repr((request.path, pairs, ui_language(), request.url_root))


def _folder() -> Path:
    """Return the folder of the printed flyers and the printer's lock file."""
    return Path(current_app.instance_path) / "flyers"


def _flyers() -> FlyerStore:
    """Return this data file's flyers printed by any server process."""
    return cached("flyer.pdfs", lambda d: FlyerStore(_folder(), d.digest, CACHED_FLYERS))


def _is_cached() -> bool:
    """Tell whether the asked-for flyer is already rendered (then no rate limit applies)."""
    return _flyers().has(_cache_key())


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
    return _deliver(name, flyer_pdf, options)


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
    return _deliver("wegweiser.pdf", booklet_pdf, options)


Job = Callable[[Directory, Settings, FlyerOptions], bytes]


def flyer_pdf(directory: Directory, settings: Settings, options: FlyerOptions) -> bytes:
    """Print a flyer (in the print process)."""
    return make_flyer(directory, options, settings).content


def booklet_pdf(directory: Directory, settings: Settings, options: FlyerOptions) -> bytes:
    """Print the Wegweiser booklet (in the print process)."""
    return print_booklet(directory, options, settings).content


def _lower_priority() -> None:
    """Make the print thread, and every process it starts, yield the CPU to the web server.

    On Linux niceness and capabilities belong to a thread and pass to the processes it starts.
    Chromium raises its processes' priority again where it may (CAP_SYS_NICE, e.g. as root),
    so that capability leaves the set they can have; without CAP_SETPCAP (not root) the drop
    fails harmlessly, and the browser cannot raise its priority anyway.
    """
    os.nice(PRINT_NICENESS)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_CAPBSET_DROP, _CAP_SYS_NICE, 0, 0, 0)


# The one low-priority thread that starts the print processes (created on first use).
_PRINTER = ThreadPoolExecutor(1, thread_name_prefix="wiqnet-print", initializer=_lower_priority)


def render(job: Job, directory: Directory, settings: Settings, options: FlyerOptions) -> bytes:
    """Run job in a fresh process of low CPU priority and return its PDF."""
    return _PRINTER.submit(_in_process, job, directory, settings, options).result()


def _in_process(job: Job, directory: Directory, settings: Settings, options: FlyerOptions) -> bytes:
    """Run job in a fresh process (started from the calling thread) and return its PDF."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            return pool.submit(job, directory, settings, options).result()
    except BrokenProcessPool:
        raise RenderError("the print process stopped before the PDF was done") from None


def _deliver(name: str, job: Job, options: FlyerOptions) -> Response | tuple[str, int]:
    """Answer with the cached or freshly printed PDF, or the page refusing a local PUBLIC_URL."""
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    settings = flyer_settings()
    if request.method == "HEAD":
        return Response(mimetype="application/pdf", headers=headers)
    try:
        content = _flyers().read(_cache_key()) or _print(job, settings, options)
    except PublicUrlError:
        return refused(settings.public_url)
    return Response(content, mimetype="application/pdf", headers=headers)


def _print(job: Job, settings: Settings, options: FlyerOptions) -> bytes:
    """Print one PDF at a time on the machine and cache it; raise BusyError meanwhile."""
    with printer(_folder()) as mine:
        if not mine:
            raise BusyError(
                _(
                    "Gerade wird ein anderer Flyer gedruckt. Bitte versuchen Sie es in "
                    "ein paar Sekunden noch einmal."
                )
            )
        flyers, key = _flyers(), _cache_key()
        done = flyers.read(key)  # printed by another process since we looked
        if done is not None:
            return done
        directory = current_directory()
        try:
            content = render(job, directory, settings, options)
        except TileError as exc:
            # The counsellor still gets a flyer: outline, markers and legend, no basemap.
            current_app.logger.warning("flyer without basemap: %s", exc)
            content = render(job, directory, settings, replace(options, offline=True))
        try:
            flyers.write(key, content)
        except WiqnetError as exc:
            current_app.logger.warning("flyer not cached: %s", exc)
        return content


@bp.errorhandler(BusyError)
def busy(exc: BusyError) -> Response:
    """Answer 503 with Retry-After while the machine prints another flyer."""
    response = make_response(error_response(exc.http_status, exc))
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response
