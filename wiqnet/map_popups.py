"""What a place says on the map: popup and tooltip HTML, every value from the data escaped."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from html import escape

from babel import Locale, UnknownLocaleError

from . import hours
from .model import Institution, Service

MAX_SERVICES = 4
TEXT: dict[str, dict[str, str]] = {
    "de": {"languages": "Sprachen", "more": "Mehr zur Einrichtung", "website": "Website",
           "further": "und {n} weitere", "home": "WiQ-Anlaufstelle", "here": "Gesuchter Ort",
           "quarter": "Quartier", "quarters": "Quartiere", "approximate": "Umriss ungefähr", "legend": "Legende",
           "result": "Treffer", "services": "Angebote", "places": "Orte nach Anliegen",
           "links": "Verbindungen", "other": "Sonstiges", "temporarily_closed": "vorübergehend geschlossen"},
    "en": {"languages": "Languages", "more": "More about this place", "website": "Website",
           "further": "and {n} more", "home": "WiQ contact point", "here": "Searched place",
           "quarter": "Quarter", "quarters": "Quarters", "approximate": "approximate outline", "legend": "Legend",
           "result": "Result", "services": "Services", "places": "Places by need",
           "links": "Connections", "other": "Other", "temporarily_closed": "temporarily closed"},
}


def text(key: str, lang: str = "de") -> str:
    """Return a map UI string in the language (German by default)."""
    return TEXT["en" if lang == "en" else "de"][key]


def main_need(inst: Institution) -> str | None:
    """Return the need most of its services serve; on a tie, the one listed first."""
    counts = Counter(n for s in inst.services for n in dict.fromkeys(s.needs))
    if not counts:
        return None
    first = {need: i for i, need in enumerate(reversed(all_needs_of(inst)))}
    return max(counts, key=lambda n: (counts[n], first[n]))


def all_needs_of(inst: Institution) -> list[str]:
    """Return every need the institution's services serve, without repeats."""
    return list(dict.fromkeys(n for s in inst.services for n in s.needs))


@cache
def _language_names(lang: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(lang).languages)
    except (ValueError, UnknownLocaleError):
        return {}


def language_name(code: str, lang: str = "de") -> str:
    """Return the name of a language code in the UI language ('tr' -> 'Türkisch')."""
    return _language_names("en" if lang == "en" else "de").get(code, code)


def tel_href(phone: str) -> str:
    """Return a tel: URI for a phone number as written."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def website_link(url: str, lang: str = "de") -> str:
    """Return a link to an http(s) website, or the escaped text for anything else."""
    if not re.match(r"https?://[^\s]+$", url.strip(), re.IGNORECASE):
        return escape(url)
    shown = re.sub(r"^https?://(www\.)?", "", url.strip(), flags=re.IGNORECASE).rstrip("/")
    return (f'<a href="{escape(url.strip())}" rel="noopener noreferrer">'
            f"{escape(shown or text('website', lang))}</a>")


@dataclass
class PopupWriter:
    """Writes popups for one map: fixed language and moment, with a per-map hours cache."""

    lang: str = "de"
    now: datetime = field(default_factory=datetime.now)
    _status: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def status(self, expr: str | None) -> tuple[str, bool]:
        """Return the opening status text ('jetzt geöffnet …') and whether it is open now."""
        if not expr:
            return "", False
        if expr not in self._status:
            self._status[expr] = (hours.status_text(expr, self.now, self.lang),
                                  bool(hours.is_open(expr, self.now)))
        return self._status[expr]

    def body(self, inst: Institution, first: tuple[Service, ...] = (),
             numbers: tuple[int, ...] = ()) -> str:
        """Return the popup body below the name: hours, address, services, languages, contact.

        `first` are services listed first (search hits), numbered with `numbers`.
        """
        parts: list[str] = []
        expr = inst.opening_hours or next(
            (s.opening_hours for s in inst.services if s.opening_hours), None)
        status, is_open = self.status(expr)
        if inst.status == "temporarily_closed":
            status, is_open = text("temporarily_closed", self.lang), False
        if status:
            parts.append(f'<p class="{"wiq-open" if is_open else "wiq-closed"}">'
                         f"{escape(status)}</p>")
        if inst.address is not None:
            parts.append(f"<p>{escape(inst.address.one_line())}</p>")
        parts.append(self._services(inst, first, numbers))
        languages = list(dict.fromkeys(
            [*inst.languages, *(code for s in inst.services for code in s.languages)]))
        if languages:
            names = ", ".join(language_name(code, self.lang) for code in languages)
            parts.append(f"<p>{text('languages', self.lang)}: {escape(names)}</p>")
        contact = self._contact(inst)
        if contact:
            parts.append(f"<p>{contact}</p>")
        return "".join(parts)

    def _services(self, inst: Institution, first: tuple[Service, ...],
                  numbers: tuple[int, ...]) -> str:
        items = [f"<li><b>{n}.</b> {escape(s.name)}</li>" for s, n in zip(first, numbers)]
        rest = [s for s in inst.services if s not in first and s.status != "inactive"]
        room = max(MAX_SERVICES - len(items), 0)
        items += [f"<li>{escape(s.name)}</li>" for s in rest[:room]]
        if len(rest) > room:
            items.append(f"<li>{text('further', self.lang).format(n=len(rest) - room)}</li>")
        return f"<ul>{''.join(items)}</ul>"

    def _contact(self, inst: Institution) -> str:
        contact = inst.contact
        if not (contact.phone or contact.email or contact.website):
            contact = next((s.contact for s in inst.services if s.contact is not None), contact)
        links: list[str] = []
        if contact.phone:
            links.append(f'<a href="{escape(tel_href(contact.phone))}">{escape(contact.phone)}</a>')
        if contact.email:
            links.append(f'<a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a>')
        if contact.website:
            links.append(website_link(contact.website, self.lang))
        return "<br>".join(links)
