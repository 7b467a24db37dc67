"""The search: check the request, understand the query, rank, explain, bridge, or help."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import hours
from ..config import Settings
from ..errors import NotFound, UsageError
from ..geo import distance_m, local_now
from ..geocoder import resolve_place, search_geocoder
from ..model import Directory, Institution, Location
from ..needs import all_needs, need_label, suggest_need
from .bridge import bridges_for
from .explain import Explainer
from .index import SearchIndex, index_for
from .limits import DEFAULT_LIMIT, MAX_LIMIT
from .query import understand
from .rank import Criteria, Scored, rank
from .suggest import closest_needs, consultation

MAX_QUERY = 500
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_POSTCODE = re.compile(r"\d{5}")


@dataclass(frozen=True)
class SearchRequest:
    """One search as typed: the words and the optional filters."""

    query: str = ""
    need: str | None = None
    language: str | None = None
    near: str | None = None
    open_at: str | None = None
    audience: str | None = None
    limit: int = DEFAULT_LIMIT
    origin: str | None = None


@dataclass
class Result:
    """One found service, explained."""

    institution_id: str
    institution: str
    service_id: str
    service: str
    needs: list[str]
    score: float
    distance_m: float | None
    why: list[str]
    path: list[str]


@dataclass
class SearchResponse:
    """What a search returns; `to_json` is the JSON contract of CLI and API."""

    query: str
    needs: list[str]
    results: list[Result]
    total: int = 0
    message: str | None = None
    suggestions: list[dict[str, str]] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the response as plain JSON-ready data."""
        body: dict[str, Any] = {
            "query": self.query, "needs": self.needs,
            "results": [vars(r) for r in self.results], "total": self.total,
        }
        if self.corrections:
            body["corrections"] = self.corrections
        if self.message:
            body["message"] = self.message
            body["suggestions"] = self.suggestions
        return body


def _check(request: SearchRequest, directory: Directory) -> None:
    if len(request.query) > MAX_QUERY:
        raise UsageError(
            f"the query has {len(request.query)} characters; the limit is {MAX_QUERY}. "
            "Type a few words about what the family needs, e.g. 'Schulden' or 'Kita'"
        )
    if request.need is not None and request.need not in all_needs():
        guess = suggest_need(request.need)
        hint = f"did you mean '{guess}'? " if guess else ""
        raise UsageError(f"'{request.need}' is not a need category; {hint}"
                         f"the keys are: {', '.join(all_needs())}")
    if request.language is not None and not _LANGUAGE.match(request.language):
        raise UsageError(f"'{request.language}' is not a language code; use two letters "
                         "like tr, ar, en (ISO 639-1)")
    if not 1 <= request.limit <= MAX_LIMIT:
        raise UsageError(f"the limit must be between 1 and {MAX_LIMIT}, not {request.limit}")
    if request.origin is not None and directory.institution(request.origin) is None:
        ids = [i.id for i in directory.institutions]
        close = difflib.get_close_matches(request.origin, ids, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise NotFound(f"no institution with id '{request.origin}'{hint}")
    if not request.query.strip() and request.need is None:
        raise UsageError("type what the family needs, e.g. 'Schulden' or 'Kita', "
                         "or choose a need category")


def search(directory: Directory, request: SearchRequest, settings: Settings, *,
           now: datetime | None = None,
           locate: Callable[[str], Location] | None = None,
           lang: str = "de") -> SearchResponse:
    """Run one search over the directory and explain every result."""
    _check(request, directory)
    moment = now or local_now()
    index = index_for(directory)
    understood = understand(request.query, index)
    home_id = settings.home_institution
    home = directory.institution(home_id)
    criteria = Criteria(
        need=request.need,
        languages=tuple(dict.fromkeys(
            ([request.language] if request.language else []) + understood.languages)),
        audience=request.audience.strip() or None if request.audience else None,
        near=_place(request.near, settings, locate, directory),
        home=home.location if home else None, home_id=home_id,
        postcodes=_postcodes(request.near, index, home),
        open_at=hours.parse_when(request.open_at, moment) if request.open_at else None,
    )
    needs = [request.need] if request.need else understood.needs
    found, total = rank(index, understood, criteria, request.limit)
    origin = request.origin or home_id
    bridges = bridges_for(index, origin, moment.date())
    explainer = Explainer(directory, understood, bridges, criteria.open_at, moment, lang)
    if criteria.near is not None:
        for scored in found:
            if scored.entry.location is not None:
                scored.distance_m = distance_m(criteria.near, scored.entry.location)
    results = [_result(s, explainer, bridges.path(s.entry.institution.id)) for s in found]
    response = SearchResponse(query=request.query, needs=needs, results=results, total=total,
                              corrections=understood.corrections)
    if not results:
        _no_match(response, needs, home, index, moment, lang)
    return response


def _postcodes(near: str | None, index: SearchIndex,
               home: Institution | None) -> tuple[str, ...]:
    """Return the family's possible postcodes: --near if it is one, else the quarter's."""
    if near is not None:
        return (near.strip(),) if _POSTCODE.fullmatch(near.strip()) else ()
    key = ("postcodes", home.id if home else None)
    found: tuple[str, ...] | None = index.memo.get(key)
    if found is None:
        codes = {i.address.postcode for i in index.directory.institutions
                 if i.quarter and i.address is not None and i.address.postcode}
        if home is not None and home.address is not None and home.address.postcode:
            codes.add(home.address.postcode)
        found = index.memo[key] = tuple(sorted(codes))
    return found


def _place(text: str | None, settings: Settings,
           locate: Callable[[str], Location] | None, directory: Directory) -> Location | None:
    if text is None or not text.strip():
        return None
    if locate is not None:
        return locate(text)
    return resolve_place(text, search_geocoder(settings), directory)


def _result(scored: Scored, explainer: Explainer, path: list[str]) -> Result:
    entry = scored.entry
    return Result(
        institution_id=entry.institution.id, institution=entry.institution.name,
        service_id=entry.service.id, service=entry.service.name,
        needs=list(entry.service.needs), score=round(scored.score, 2),
        distance_m=None if scored.distance_m is None else round(scored.distance_m),
        why=explainer.why(scored, path), path=path,
    )


def _no_match(response: SearchResponse, needs: list[str], home: Institution | None,
              index: SearchIndex, now: datetime, lang: str) -> None:
    """Say that nothing matched, suggest need categories and point to WiQ's consultation."""
    if needs:
        labels = ", ".join(need_label(n, lang) for n in needs)
        said = (f"Im Verzeichnis gibt es noch kein Angebot für „{response.query}“ "
                f"(Anliegen: {labels}).") if lang != "en" else (
                f"The directory has no service yet for “{response.query}” (need: {labels}).")
    else:
        said = (f"Keine passenden Angebote für „{response.query}“ gefunden."
                if lang != "en" else f"No matching services found for “{response.query}”.")
    response.suggestions = [{"need": key, "label": need_label(key, lang)}
                            for key in closest_needs(response.query, index, exclude=needs)]
    response.message = " ".join(p for p in (said, consultation(home, now, lang)) if p)
