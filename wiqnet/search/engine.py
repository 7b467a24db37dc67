"""The search: check the request, understand the query, rank, explain, bridge, or help."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from .. import hours
from ..config import Settings
from ..errors import NotFound, UsageError
from ..geo import known_place, local_now
from ..geocoder import resolve_place, search_geocoder
from ..model import Directory, Institution, Location
from ..needs import all_needs, need_label, suggest_need
from ..topics import topic_label
from .analysis import STOP_WORDS, words
from .bridge import bridges_for
from .explain import Explainer, language_name
from .index import SearchIndex, index_for
from .limits import DEFAULT_LIMIT, MAX_LIMIT
from .messages import SearchInputError, need_error, text
from .query import understand
from .rank import Criteria, Scored
from .situation import ranked, situation
from .streets import near_place
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
    # Show the home institution (WiQ) among the results of its own counsellors' search.
    include_home: bool = False


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
    languages: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # The label of the part of a situation this result answers (several needs in one query).
    group: str | None = None


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
    topics: list[str] = field(default_factory=list)
    # The language the query was read in, as a code and named in the UI language.
    language: str = "de"
    language_name: str = ""
    # Filter values that could not be used, and why (in the UI language).
    notices: list[str] = field(default_factory=list)
    groups: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the response as plain JSON-ready data."""
        body: dict[str, Any] = {
            "query": self.query,
            "needs": self.needs,
            "topics": self.topics,
            "language": self.language,
            "language_name": self.language_name,
            "results": [vars(r) for r in self.results],
            "total": self.total,
        }
        if self.groups:
            body["groups"] = self.groups
        if self.notices:
            body["notices"] = self.notices
        if self.corrections:
            body["corrections"] = self.corrections
        if self.message:
            body["message"] = self.message
            body["suggestions"] = self.suggestions
        return body


def _check(request: SearchRequest, directory: Directory) -> None:
    if len(request.query) > MAX_QUERY:
        raise SearchInputError("query_long", length=len(request.query), limit=MAX_QUERY)
    if request.need is not None and request.need not in all_needs():
        raise need_error(request.need, suggest_need(request.need), ", ".join(all_needs()))
    if request.language is not None and not _LANGUAGE.match(request.language):
        raise SearchInputError("language", value=request.language)
    if not 1 <= request.limit <= MAX_LIMIT:
        raise SearchInputError("limit", limit=MAX_LIMIT, value=request.limit)
    if request.origin is not None and directory.institution(request.origin) is None:
        ids = [i.id for i in directory.institutions]
        close = difflib.get_close_matches(request.origin, ids, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise NotFound(f"no institution with id '{request.origin}'{hint}")
    if not request.query.strip() and request.need is None:
        raise SearchInputError("empty")


def search(
    directory: Directory,
    request: SearchRequest,
    settings: Settings,
    *,
    now: datetime | None = None,
    locate: Callable[[str], Location] | None = None,
    lang: str = "de",
    notices_lang: str | None = None,
) -> SearchResponse:
    """Run one search over the directory and explain every result (in `lang`).

    Filter values that cannot be read are ignored with a notice (in `notices_lang`,
    by default `lang`), never an error.
    """
    _check(request, directory)
    moment = now or local_now()
    index = index_for(directory)
    understood = understand(request.query, index)
    home_id = settings.home_institution
    home = directory.institution(home_id)
    notices: list[str] = []
    shown_home = request.include_home or _names_home(request.query, home)
    criteria = Criteria(
        need=request.need,
        languages=tuple(
            dict.fromkeys(([request.language] if request.language else []) + understood.languages)
        ),
        audience=request.audience.strip() or None if request.audience else None,
        near=near_place(
            request.near,
            index,
            lambda place: _locate(place, settings, locate, directory),
            notices_lang or lang,
            notices,
        ),
        home=home.location if home else None,
        home_id=home_id,
        postcodes=_postcodes(request.near, index, home),
        open_at=_when(request.open_at, moment, notices_lang or lang, notices),
        exclude=() if shown_home else (home_id,),
    )
    needs = [request.need] if request.need else understood.needs
    parts = [] if request.need else situation(understood, index)
    found, total = ranked(index, understood, criteria, parts, request.limit, lang)
    origin = request.origin or home_id
    bridges = bridges_for(index, origin, moment.date())
    explainer = Explainer(directory, understood, bridges, criteria.open_at, moment, lang)
    results = [
        _result(s, explainer, bridges.path(s.entry.institution.id), group) for s, group in found
    ]
    response = SearchResponse(
        query=request.query,
        needs=needs,
        results=results,
        total=total,
        corrections=understood.corrections,
        topics=understood.topics,
        language=understood.language,
        language_name=language_name(understood.language, lang),
        notices=notices,
        groups=_groups(parts, found, lang),
    )
    if not results:
        _no_match(response, needs, home, index, moment, lang)
    return response


def _groups(
    parts: list[list[str]], found: list[tuple[Scored, str | None]], lang: str
) -> list[dict[str, str]]:
    """Return the needs of a situation, labelled, in the order their best results come."""
    if not parts:
        return []
    groups = [{"key": keys[0], "label": topic_label(keys[0], lang)} for keys in parts]
    first = {label: number for number, (_, label) in reversed(list(enumerate(found)))}
    return sorted(groups, key=lambda g: first.get(g["label"], len(found)))


def _names_home(query: str, home: Institution | None) -> bool:
    """Return whether a query asks for the home institution itself (its id or name)."""
    if home is None:
        return False
    asked = set(words(query)).difference(STOP_WORDS)
    return bool(asked) and (home.id in asked or asked <= _name_words(home.name, home.id))


@lru_cache(maxsize=64)
def _name_words(name: str, ident: str) -> frozenset[str]:
    """Return (cached: every search asks for the home's) the words of a name, and an id."""
    return frozenset(words(name)) | {ident}


def _when(value: str | None, moment: datetime, lang: str, notices: list[str]) -> datetime | None:
    """Read "Geöffnet am"; a value that cannot be read is ignored with a notice."""
    if value is None or not value.strip():
        return None
    try:
        return hours.parse_when(value, moment)
    except UsageError:
        notices.append(text("open_at", lang, value=value.strip()))
        return None


def _locate(
    place: str, settings: Settings, locate: Callable[[str], Location] | None, directory: Directory
) -> Location:
    """Find a place the offline street index does not know: the geocoder (or a stand-in)."""
    if locate is not None:
        return locate(place)
    found = known_place(place, directory)
    return found or resolve_place(place, search_geocoder(settings), directory)


def _postcodes(near: str | None, index: SearchIndex, home: Institution | None) -> tuple[str, ...]:
    """Return the family's possible postcodes: --near if it is one, else the quarter's."""
    if near is not None:
        return (near.strip(),) if _POSTCODE.fullmatch(near.strip()) else ()
    directory = index.directory
    return directory.derived(
        ("search", "postcodes", home.id if home else None),
        lambda: _quarter_postcodes(directory, home),
    )


def _quarter_postcodes(directory: Directory, home: Institution | None) -> tuple[str, ...]:
    """Return the postcodes of the quarters' institutions and of the home institution."""
    codes = {
        i.address.postcode
        for i in directory.institutions
        if i.quarter and i.address is not None and i.address.postcode
    }
    if home is not None and home.address is not None and home.address.postcode:
        codes.add(home.address.postcode)
    return tuple(sorted(codes))


def _result(scored: Scored, explainer: Explainer, path: list[str], group: str | None) -> Result:
    entry = scored.entry
    # In field order, not by keyword: keywords cost a dict per result (a tenth of a search).
    return Result(
        entry.institution.id,
        entry.institution.name,
        entry.service.id,
        entry.service.name,
        list(entry.service.needs),
        round(scored.score, 2),
        None if scored.distance_m is None else round(scored.distance_m),  # distance_m
        explainer.why(scored, path),
        path,
        list(_languages(entry.languages)),
        list(_sorted(entry.topics)),
        group,
    )


@lru_cache(maxsize=4096)
def _languages(codes: frozenset[str]) -> tuple[str, ...]:
    """Return (cached: services share them) language codes in display order, German first."""
    return tuple(sorted(codes, key=lambda c: (c != "de", c)))


@lru_cache(maxsize=4096)
def _sorted(keys: frozenset[str]) -> tuple[str, ...]:
    """Return (cached: services share them) keys in sorted order."""
    return tuple(sorted(keys))


def _no_match(
    response: SearchResponse,
    needs: list[str],
    home: Institution | None,
    index: SearchIndex,
    now: datetime,
    lang: str,
) -> None:
    """Say that nothing matched, suggest need categories and point to WiQ's consultation."""
    if needs:
        labels = ", ".join(need_label(n, lang) for n in needs)
        said = (
            (
                f"Im Verzeichnis gibt es noch kein Angebot für „{response.query}“ "
                f"(Anliegen: {labels})."
            )
            if lang != "en"
            else (f"The directory has no service yet for “{response.query}” (need: {labels}).")
        )
    else:
        said = (
            f"Keine passenden Angebote für „{response.query}“ gefunden."
            if lang != "en"
            else f"No matching services found for “{response.query}”."
        )
    response.suggestions = [
        {"need": key, "label": need_label(key, lang)}
        for key in closest_needs(response.query, index, exclude=needs)
    ]
    response.message = " ".join(p for p in (said, consultation(home, now, lang)) if p)
