"""The catalogue of the core's user-facing wording, in every language wiqnet speaks.

German first; English for the language switch; Turkish and Arabic where slips and flyers need
them. A language a table lacks falls back to German. The web pages' own wording lives in the
gettext catalogues (wiqnet/translations); this module holds what the core writes: maps, the
network diagram, the reasons of search results, link kinds, and the names of languages.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

LANGUAGES = ("de", "en", "tr", "ar")

# Maps: popups, legend and layer switch (maps/).
MAP: dict[str, dict[str, str]] = {
    "de": {
        "languages": "Sprachen",
        "more": "Mehr zur Einrichtung",
        "website": "Website",
        "further": "und {n} weitere",
        "home": "WiQ-Anlaufstelle",
        "here": "Gesuchter Ort",
        "quarter": "Quartier",
        "quarters": "Quartiere",
        "approximate": "Umriss ungefähr",
        "legend": "Legende",
        "result": "Treffer",
        "services": "Angebote",
        "places": "Orte nach Anliegen",
        "links": "Verbindungen",
        "other": "Sonstiges",
        "temporarily_closed": "vorübergehend geschlossen",
    },
    "en": {
        "languages": "Languages",
        "more": "More about this place",
        "website": "Website",
        "further": "and {n} more",
        "home": "WiQ contact point",
        "here": "Searched place",
        "quarter": "Quarter",
        "quarters": "Quarters",
        "approximate": "approximate outline",
        "legend": "Legend",
        "result": "Result",
        "services": "Services",
        "places": "Places by need",
        "links": "Connections",
        "other": "Other",
        "temporarily_closed": "temporarily closed",
    },
}

# The network diagram (network/draw.py).
NETWORK: dict[str, dict[str, str]] = {
    "de": {
        "title": "Kooperationsnetzwerk",
        "kinds": "Art der Verbindung",
        "needs": "Hauptanliegen (Farbe und Form)",
        "none": "ohne Angebot",
        "network": "Netzwerk",
        "event": "Veranstaltung",
        "stale": "blass: nicht bestätigt seit über {days} Tagen",
        "not_since": "nicht bestätigt seit {date}",
        "never": "ohne datierte Quelle",
        "shown": "{shown} von {total} vernetzten Einrichtungen gezeigt: die am besten vernetzten",
        "isolates": "Nicht gezeigt: {n} Einrichtungen ohne eingetragene Kooperation (siehe Tabelle)",
        "size": "Größe: Zahl der Partner",
        "quartier": "im Quartier",
        "naehe": "in der Nähe",
        "stadt": "stadtweit",
        "bund": "bundesweit",
    },
    "en": {
        "title": "Cooperation network",
        "kinds": "Kind of link",
        "needs": "Main need (colour and shape)",
        "none": "no service",
        "network": "Network",
        "event": "Event",
        "stale": "faint: not confirmed for over {days} days",
        "not_since": "not confirmed since {date}",
        "never": "no dated source",
        "shown": "{shown} of {total} linked institutions shown: the best connected",
        "isolates": "Not shown: {n} institutions without a recorded cooperation (see table)",
        "size": "Size: number of partners",
        "quartier": "in the quarter",
        "naehe": "nearby",
        "stadt": "city-wide",
        "bund": "nationwide",
    },
}

# Why a search result matches (search/explain.py), in short phrases.
REASONS: dict[str, dict[str, str]] = {
    "de": {
        "need": "Anliegen: {labels}",
        "word": "Stichwort: {words}",
        "topic": "Thema: {labels}",
        "quarter": "im Quartier {name}",
        "speaks": "spricht {language}",
        "audience": "für {audience}",
        "free": "kostenlos",
        "area": "zuständig für {postcode}",
        "open_at": "{when} geöffnet",
        "closed_at": "{when} geschlossen",
        "via": "über {names}",
        "direct": "direkter Kontakt von {name}",
        "own": "Angebot von {name}",
        "nearest": "im Quartier gibt es dafür kein Angebot – nächstes in der Stadt",
        "partners": "Kontakt möglich über {names}",
        "and": " und ",
        "km": "{km} km",
        "m": "{m} m",
    },
    "en": {
        "need": "Need: {labels}",
        "word": "Keyword: {words}",
        "topic": "Topic: {labels}",
        "quarter": "in the quarter {name}",
        "speaks": "speaks {language}",
        "audience": "for {audience}",
        "free": "free of charge",
        "area": "serves {postcode}",
        "open_at": "open {when}",
        "closed_at": "closed {when}",
        "via": "via {names}",
        "direct": "direct contact of {name}",
        "own": "offered by {name}",
        "nearest": "nothing in the quarter for this – nearest in the city",
        "partners": "can be reached through {names}",
        "and": " and ",
        "km": "{km} km",
        "m": "{m} m",
    },
}

# Link kinds, recorded and derived: kind -> language -> label.
LINK_KINDS: dict[str, dict[str, str]] = {
    "kooperation": {"de": "Kooperation", "en": "Cooperation"},
    "netzwerk": {"de": "Netzwerk", "en": "Network"},
    "sprechstunde_vor_ort": {"de": "Sprechstunde vor Ort", "en": "Consultation on site"},
    "vermittlung": {"de": "Vermittlung", "en": "Referral"},
    "traegerschaft": {"de": "Trägerschaft", "en": "Operated by"},
    "gemeinsames_angebot": {"de": "Gemeinsames Angebot", "en": "Joint offer"},
    "auftrag": {"de": "Auftrag oder Förderung", "en": "Commissioned or funded"},
    "mitglied": {"de": "Mitglied im Netzwerk", "en": "Network member"},
    "veranstaltung": {"de": "Teilnahme an Veranstaltung", "en": "Takes part in event"},
    "gleicher_standort": {"de": "gleicher Standort", "en": "same site"},
    "gleicher_traeger": {"de": "gleicher Träger", "en": "same operator"},
}


def wording(table: dict[str, dict[str, str]], lang: str) -> dict[str, str]:
    """Return a table's wording in the language, German when the table lacks it."""
    return table.get(lang) or table["de"]


def link_kind_label(kind: str, lang: str = "de") -> str:
    """Return the label of a link kind in the language, or the kind itself when unknown."""
    labels = LINK_KINDS.get(kind)
    return (labels.get(lang) or labels["de"]) if labels else kind


@cache
def _language_names(lang: str) -> dict[str, str]:
    """Return CLDR's names of languages in the language (German when it is unknown)."""
    try:
        return dict(Locale.parse(lang).languages)
    except (ValueError, TypeError, UnknownLocaleError):
        return dict(Locale.parse("de").languages) if lang != "de" else {}


def language_name(code: str, lang: str = "de") -> str:
    """Return a language's name in another language ('tr' in 'de' -> 'Türkisch').

    Total: an unknown or malformed code comes back as it is, never as an error.
    """
    return _language_names(lang).get(code, code)
