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

from ..errors import NotFound, TileError, UsageError
from ..flyer import ALL, PAPERS, FlyerOptions, make_flyer
from ..search import SearchRequest, search
from .display import local_now
from .i18n import ui_language
from .state import current_directory, current_settings

bp = Blueprint("flyer", __name__)
MAX_IDS = 100
# One Chromium at a time: a burst of clicks must not start a browser per request.
_PRINTING = threading.Lock()


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
def pdf() -> Response:
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
        needs=needs, quarter=args.get("quarter", ALL), ids=ids,
        title=args.get("title"), lang=args.get("lang") or ui_language(), size=size,
        bleed=args.get("bleed") == "1",
    )
    with _PRINTING:
        try:
            flyer = make_flyer(current_directory(), options, current_settings())
        except TileError as exc:
            # The counsellor still gets a flyer: outline, markers and legend, no basemap.
            current_app.logger.warning("flyer without basemap: %s", exc)
            flyer = make_flyer(current_directory(), replace(options, offline=True),
                               current_settings())
    name = "flyer-" + "-".join(options.needs or ("wiq",)) + ".pdf"
    return Response(flyer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store",
    })
