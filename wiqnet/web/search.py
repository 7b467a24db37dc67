"""Search: `GET /api/search` (the JSON contract) and the results page `GET /suche`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import gettext as _

from ..errors import GeocodingError, UsageError
from ..needs import all_needs
from ..search import DEFAULT_LIMIT, SearchInputError, SearchRequest, SearchResponse, search
from .display import local_now
from .i18n import ui_language
from .state import current_directory, current_settings

bp = Blueprint("search", __name__)
_YES = ("1", "true", "yes", "on", "ja")


def _limit(raw: str | None) -> int:
    if raw is None or not raw.strip():
        return DEFAULT_LIMIT
    try:
        return int(raw)
    except ValueError:
        raise UsageError(_("„limit“ muss eine ganze Zahl sein, nicht „%(value)s“",
                           value=raw)) from None


def _optional(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def search_request() -> SearchRequest:
    """Read the search parameters (the same for API and page) from the query string."""
    return SearchRequest(
        query=request.args.get("q", ""), need=_optional("need"),
        language=_optional("language"), near=_optional("near"),
        open_at=_optional("open_at"), audience=_optional("audience"),
        limit=_limit(request.args.get("limit")), origin=_optional("from"),
        include_home=request.args.get("include_home", "").strip().lower() in _YES,
    )


def _run(wanted: SearchRequest) -> SearchResponse:
    return search(current_directory(), wanted, current_settings(), now=local_now(),
                  lang=ui_language())


@bp.get("/api/search")
def api_search() -> Response:
    """Return the search results as JSON (same contract as `wiqnet search --json`)."""
    return jsonify(_run(search_request()).to_json())


def _languages(asked: str | None) -> list[str]:
    """Return the language choices: those in the data, plus the one asked for."""
    directory = current_directory()
    found = {code for inst in directory.institutions for code in inst.languages}
    found |= {code for svc in directory.services() for code in svc.languages}
    if asked:
        found.add(asked)
    return sorted(found - {"de"})


@bp.get("/suche")
def page() -> tuple[str, int] | str:
    """Show the search form with filters (plain GET form, no JavaScript) and the results."""
    args: dict[str, Any] = {"needs": all_needs(), "languages": _languages(_optional("language")),
                            "form": request.args, "response": None, "error": None}
    status = 200
    try:
        wanted = search_request()
        if wanted.query.strip() or wanted.need:
            args["response"] = _run(wanted)
    except SearchInputError as exc:
        args["error"] = exc.text(ui_language())
        status = 400
    except (UsageError, GeocodingError) as exc:
        args["error"] = str(exc)
        status = 400
    return render_template("search/results.html", **args), status
