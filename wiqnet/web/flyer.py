"""The printable flyer as a PDF: `GET /flyer.pdf`.

Parameters: `need` (repeatable), `quarter`, `lang` (de, en, tr, ar; default: the UI language),
`size` (A4, A5), `title`, `bleed=1`; the places are either `id` (repeatable, in this order, as
the search page lists them) or the results of the search `q` (with `need`, `language`, `audience`,
`open_at` as on /suche), or else every place for the needs in or near the quarter.
`no_qr=1` prints without the QR code. The QR code and printed URL come from PUBLIC_URL, by
default the URL the app is served under; when that points to this machine the flyer is refused
with a page that says how to set it.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from flask import Blueprint, Response, current_app, render_template, request

from ..config import Settings
from ..errors import NotFound, TileError, UsageError
from ..flyer import (
    ALL,
    PAPERS,
    FlyerOptions,
    PublicUrlError,
    check_public_url,
    make_flyer,
    print_booklet,
)
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
    return render_template("flyer/refused.html", message=message, args=args,
                           endpoint=request.endpoint), 409


@bp.get("/flyer.pdf")
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
        needs=needs, quarter=args.get("quarter", ALL), ids=ids,
        title=args.get("title"), lang=args.get("lang") or ui_language(), size=size,
        bleed=args.get("bleed") == "1", no_qr=args.get("no_qr") == "1",
    )
    settings = flyer_settings()
    with _PRINTING:
        try:
            flyer = make_flyer(current_directory(), options, settings)
        except PublicUrlError:
            return refused(settings.public_url)
        except TileError as exc:
            # The counsellor still gets a flyer: outline, markers and legend, no basemap.
            current_app.logger.warning("flyer without basemap: %s", exc)
            flyer = make_flyer(current_directory(), replace(options, offline=True), settings)
    name = "flyer-" + "-".join(options.needs or ("wiq",)) + ".pdf"
    return Response(flyer.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store",
    })


@bp.get("/wegweiser.pdf")
def wegweiser() -> Response | tuple[str, int]:
    """Return the Wegweiser booklet (every service by need, maps, index) as a PDF.

    Parameters: `lang` (de, en, tr, ar), `size` (A4, A5), `title`, `no_qr=1`.
    """
    args = request.args
    options = FlyerOptions(title=args.get("title"), lang=args.get("lang") or ui_language(),
                           size=args.get("size", "A4").upper(), no_qr=args.get("no_qr") == "1")
    settings = flyer_settings()
    with _PRINTING:
        try:
            made = print_booklet(current_directory(), options, settings)
        except PublicUrlError:
            return refused(settings.public_url)
        except TileError as exc:
            current_app.logger.warning("booklet without basemap: %s", exc)
            made = print_booklet(current_directory(), replace(options, offline=True), settings)
    return Response(made.content, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="wegweiser.pdf"', "Cache-Control": "no-store",
    })
