"""Search: `GET /api/search` (the JSON contract) and the results page `GET /suche`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import orjson
from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from ..errors import GeocodingError, UsageError
from ..needs import all_needs
from ..search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    SearchInputError,
    SearchRequest,
    SearchResponse,
    search,
)
from .cards import Card, make_card
from .display import local_now
from .i18n import ui_language
from .state import current_directory, current_request, current_settings

bp = Blueprint("search", __name__)
_YES = ("1", "true", "yes", "on", "ja")


def _number(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise UsageError(
            _l("„%(name)s“ muss eine ganze Zahl sein, nicht „%(value)s“", name=name, value=raw)
        ) from None


def _optional(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name, "").strip()
    return value or None


def search_request() -> SearchRequest:
    """Read the search parameters (the same for API and page) from the query string."""
    # A plain dict: werkzeug's `args.get` raises (and catches) an exception per missing key.
    args = current_request().args.to_dict()
    return SearchRequest(
        query=args.get("q", ""),
        need=_optional(args, "need"),
        language=_optional(args, "language"),
        near=_optional(args, "near"),
        open_at=_optional(args, "open_at"),
        audience=_optional(args, "audience"),
        limit=_number(args, "limit", DEFAULT_LIMIT),
        origin=_optional(args, "from"),
        include_home=args.get("include_home", "").strip().lower() in _YES,
    )


def _run(wanted: SearchRequest) -> SearchResponse:
    return search(
        current_directory(), wanted, current_settings(), now=local_now(), lang=ui_language()
    )


@bp.get("/api/search")
def api_search() -> Response:
    """Return the search results as JSON (same contract as `wiqnet search --json`).

    orjson writes it: the standard encoder took a tenth of a search request's time.
    """
    body = orjson.dumps(_run(search_request()).to_json(), option=orjson.OPT_APPEND_NEWLINE)
    return Response(body, content_type="application/json")


def _languages(asked: str | None) -> list[str]:
    """Return the language choices: those in the data, plus the one asked for."""
    directory = current_directory()
    found = {code for inst in directory.institutions for code in inst.languages}
    found |= {code for svc in directory.services() for code in svc.languages}
    if asked:
        found.add(asked)
    return sorted(found - {"de"})


def _page_of_results(wanted: SearchRequest) -> dict[str, Any]:
    """Run the search for results offset+1 .. offset+limit; return them as cards with paging."""
    offset = _number(request.args, "offset", 0)
    if not 0 <= offset < MAX_LIMIT:
        raise UsageError(
            _l(
                "„offset“ muss zwischen 0 und %(max)d liegen, nicht %(value)d",
                max=MAX_LIMIT - 1,
                value=offset,
            )
        )
    response = _run(replace(wanted, limit=min(MAX_LIMIT, offset + wanted.limit)))
    shown = response.results[offset : offset + wanted.limit]
    directory = current_directory()
    following = offset + len(shown)
    more = None
    if following < min(response.total, MAX_LIMIT):
        args: dict[str, Any] = {
            **request.args.to_dict(),
            "offset": following,
            "limit": wanted.limit,
        }
        more = url_for("search.page", **args) + "#ergebnis-" + str(following + 1)
    cards = [make_card(directory, r) for r in shown]
    return {
        "response": response,
        "cards": cards,
        "sections": _sections(response, cards, offset),
        "offset": offset,
        "more": more,
        "capped": following >= MAX_LIMIT and response.total > MAX_LIMIT,
    }


def _sections(
    response: SearchResponse, cards: list[Card], offset: int
) -> list[tuple[str, str, list[tuple[int, Card]]]]:
    """Group the cards under the situation's headings; number them in the order shown."""
    if not response.groups:
        parts = [("", "", cards)]
    else:
        parts = [
            (g["key"], g["label"], [c for c in cards if c.result.group == g["label"]])
            for g in response.groups
        ]
    sections, shown = [], offset
    for key, label, members in parts:
        if members:
            sections.append((key, label, list(enumerate(members, start=shown + 1))))
            shown += len(members)
    return sections


@bp.get("/suche")
def page() -> tuple[str, int] | str:
    """Show the search form with filters (plain GET form, no JavaScript) and the results."""
    args: dict[str, Any] = {
        "needs": all_needs(),
        "languages": _languages(_optional(request.args, "language")),
        "form": request.args,
        "response": None,
        "error": None,
        "cards": [],
        "sections": [],
        "offset": 0,
        "more": None,
        "capped": False,
    }
    status = 200
    try:
        wanted = search_request()
        if wanted.query.strip() or wanted.need:
            args.update(_page_of_results(wanted))
    except SearchInputError as exc:
        args["error"] = exc.text(ui_language())
        status = 400
    except (UsageError, GeocodingError) as exc:
        args["error"] = str(exc)
        status = 400
    return render_template("search/results.html", **args), status
