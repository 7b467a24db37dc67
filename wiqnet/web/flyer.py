"""The printable flyer as a PDF: `GET /flyer.pdf`.

Parameters: `need` (repeatable), `quarter`, `lang` (de, en, tr, ar; default: the UI language),
`size` (A4, A5), `title`, `bleed=1`; the places are either `id` (repeatable, in this order, as
the search page lists them) or the results of the search `q` (with `need`, `language`, `audience`,
`open_at` as on /suche), or else every place for the needs in or near the quarter.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from ..errors import BusyError, NotFound, TileError, UsageError
from ..flyer import ALL, PAPERS, FlyerOptions, make_flyer
from ..search import SearchRequest, search
from .display import local_now
from .i18n import ui_language
from .limits import limiter
from .state import BodyCache, cached, current_directory, current_settings

bp = Blueprint("flyer", __name__)
MAX_IDS = 100
# One Chromium per process at a time; another request waits at most PRINT_WAIT seconds
# for it, then gets 503.
_PRINTING = threading.Lock()
PRINT_WAIT = 2.0
# Rendered flyers kept per loaded data file (about 100 kB to 1 MB each).
CACHED_FLYERS = 64


def _cache_key() -> str:
    """Return the flyer cache key: every parameter (sorted) and the UI language."""
    pairs = sorted(request.args.items(multi=True))
    return repr((pairs, ui_language()))


def _flyers() -> BodyCache:
    return cached("flyer.pdfs", lambda _d: BodyCache(CACHED_FLYERS))


def _is_cached() -> bool:
    """Tell whether the asked-for flyer is already rendered (then no rate limit applies)."""
    return _flyers().has(_cache_key())


def _rate() -> str:
    return current_settings().flyer_rate_limit


def _rate_all() -> str:
    return current_settings().flyer_rate_limit_all


def _found(query: str, needs: tuple[str, ...], size: str) -> tuple[str, ...]:
    """Return the institution ids of the search results for query, best first."""
    args = request.args
    wanted = SearchRequest(
        query=query, need=needs[0] if len(needs) == 1 else None,
        language=args.get("language") or None, audience=args.get("audience") or None,
        open_at=args.get("open_at") or None,
        limit=PAPERS[size].legend_limit if size in PAPERS else PAPERS["A4"].legend_limit,
    )
    response = search(current_directory(), wanted, current_settings(), now=local_now())
    return tuple(dict.fromkeys(r.institution_id for r in response.results))


@bp.get("/flyer.pdf")
@limiter.limit(_rate, methods=["GET"], exempt_when=_is_cached)
@limiter.limit(_rate_all, key_func=lambda: "everyone", methods=["GET"], exempt_when=_is_cached)
def pdf() -> Response:
    """Return the flyer for the listed places, a search or the needs as an inline PDF.

    Flyers are cached per parameters; HEAD answers the headers without rendering.
    """
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
        needs=needs, quarter=args.get("quarter", ALL), ids=ids,
        title=args.get("title"), lang=args.get("lang") or ui_language(), size=size,
        bleed=args.get("bleed") == "1",
    )
    name = "flyer-" + "-".join(options.needs or ("wiq",)) + ".pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"}
    if request.method == "HEAD":
        return Response(mimetype="application/pdf", headers=headers)
    content = _flyers().get(_cache_key(), lambda: _print(options))
    return Response(content, mimetype="application/pdf", headers=headers)


def _print(options: FlyerOptions) -> bytes:
    """Render the flyer, one at a time per process; raise BusyError if the wait is too long."""
    if not _PRINTING.acquire(timeout=PRINT_WAIT):
        raise BusyError(_("Gerade wird ein anderer Flyer gedruckt. Bitte versuchen Sie es in "
                          "ein paar Sekunden noch einmal."))
    try:
        try:
            return make_flyer(current_directory(), options, current_settings()).content
        except TileError as exc:
            # The counsellor still gets a flyer: outline, markers and legend, no basemap.
            current_app.logger.warning("flyer without basemap: %s", exc)
            return make_flyer(current_directory(), replace(options, offline=True),
                              current_settings()).content
    finally:
        _PRINTING.release()
