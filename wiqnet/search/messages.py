"""What the search tells people, in German (default) and English: notices and input errors."""

from __future__ import annotations

from ..errors import UsageError

TEXTS: dict[str, dict[str, str]] = {
    "open_at": {
        "de": ("„{value}“ bei „Geöffnet am“ konnte nicht gelesen werden und wurde nicht "
               "berücksichtigt. Beispiele: „15 Uhr“, „morgen 10 Uhr“, „Mo 9:30“, „jetzt“."),
        "en": ("“{value}” in “Open at” could not be read and was ignored. Examples: "
               "“15:00”, “tomorrow 10:00”, “Mon 9:30”, “now”."),
    },
    "near": {
        "de": ("Den Ort „{value}“ bei „In der Nähe von“ kennt die Suche nicht; er wurde nicht "
               "berücksichtigt. Geben Sie eine Krefelder Straße mit Hausnummer "
               "(z. B. „Westwall 37“) oder eine Postleitzahl (z. B. 47805) an."),
        "en": ("The search does not know the place “{value}” in “Near”; it was ignored. "
               "Give a Krefeld street with a house number (e.g. “Westwall 37”) or a "
               "postcode (e.g. 47805)."),
    },
    "near_read": {
        "de": "„{value}“ bei „In der Nähe von“ gelesen als {place}.",
        "en": "“{value}” in “Near” read as {place}.",
    },
    "query_long": {
        "de": ("Die Suche hat {length} Zeichen; erlaubt sind {limit}. Beschreiben Sie das "
               "Anliegen in wenigen Worten, z. B. „Schulden“ oder „Kita“."),
        "en": ("the query has {length} characters; the limit is {limit}. Type a few words "
               "about what the family needs, e.g. 'Schulden' or 'Kita'"),
    },
    "need": {
        "de": "„{value}“ ist kein Anliegen.{hint} Bitte wählen Sie ein Anliegen aus der Liste.",
        "en": "'{value}' is not a need category;{hint} the keys are: {keys}",
    },
    "need_hint": {"de": " Gemeint ist vielleicht „{guess}“.", "en": " did you mean '{guess}'?"},
    "language": {
        "de": ("„{value}“ ist kein Sprachkürzel. Bitte wählen Sie eine Sprache aus der Liste "
               "(zwei Buchstaben wie tr, ar, en)."),
        "en": ("'{value}' is not a language code; use two letters like tr, ar, en "
               "(ISO 639-1)"),
    },
    "limit": {
        "de": "Die Anzahl der Treffer muss zwischen 1 und {limit} liegen, nicht {value}.",
        "en": "the limit must be between 1 and {limit}, not {value}",
    },
    "empty": {
        "de": ("Beschreiben Sie, wobei die Familie Hilfe braucht (z. B. „Schulden“ oder "
               "„Kita“), oder wählen Sie ein Anliegen."),
        "en": ("type what the family needs, e.g. 'Schulden' or 'Kita', or choose a need "
               "category"),
    },
}


def text(key: str, lang: str = "de", **values: object) -> str:
    """Return a message in German, or in English when lang is 'en'."""
    guess = values.pop("guess", None)
    if guess:
        values["hint"] = TEXTS["need_hint"]["en" if lang == "en" else "de"].format(guess=guess)
    return TEXTS[key]["en" if lang == "en" else "de"].format(**values)


class SearchInputError(UsageError):
    """A search request that cannot run as given; says why in English and German."""

    def __init__(self, key: str, **values: object) -> None:
        """Keep the message key and values; str() is the English message."""
        super().__init__(text(key, "en", **dict(values)))
        self.key = key
        self.values = dict(values)

    def text(self, lang: str = "de") -> str:
        """Return the message in the user's language."""
        return text(self.key, lang, **self.values)


def need_error(value: str, guess: str | None, keys: str) -> SearchInputError:
    """Return the error for an unknown need key, with its 'did you mean' in each language."""
    return SearchInputError("need", value=value, hint="", keys=keys, guess=guess)
