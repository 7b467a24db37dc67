"""The catalogue of the core's user-facing wording, in every language wiqnet speaks.

German first; English for the language switch; Turkish and Arabic where slips and flyers need
them. A language a table lacks falls back to German. The web pages' own wording lives in the
gettext catalogues (wiqnet/translations); this module holds what the core writes: maps, the
network diagram, link kinds, and the names of languages.
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
        "link": "Kooperation (eingetragen)",
        "derived": "gleicher Standort / Träger",
        "none": "ohne Angebot",
        "shown": "{shown} von {total} Einrichtungen gezeigt: die am besten vernetzten und ihr "
        "Umfeld",
        "size": "Größe: Zahl der Partner",
    },
    "en": {
        "title": "Cooperation network",
        "link": "Cooperation (recorded)",
        "derived": "same site / operator",
        "none": "no service",
        "shown": "{shown} of {total} institutions shown: the best connected and their partners",
        "size": "Size: number of partners",
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
