"""What a place says on the map: popup and tooltip HTML, every value from the data escaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from .. import hours
from ..model import Institution, Service
from ..text import MAP, language_name, wording

MAX_SERVICES = 4
def text(key: str, lang: str = "de") -> str:
    """Return a map UI string in the language (German by default)."""
    return wording(MAP, lang)[key]


def all_needs_of(inst: Institution) -> list[str]:
    """Return every need the institution's services serve, without repeats."""
    return list(dict.fromkeys(n for s in inst.services for n in s.needs))


def web_address(url: str | None) -> str:
    """Return an http(s) address escaped for HTML, or '' for anything else (never a link)."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url.split()) != 1:
        return ""
    return escape(url)


@dataclass
class PopupWriter:
    """Turns institutions into compact popup data for one map (language and moment fixed).

    A popup is drawn by wiqmap.js from an `info` list whose texts are already HTML-escaped:
    [address, service items, status index, languages index, phone, email, website]
    (trailing empty fields left off). Opening statuses and language lists repeat a lot, so
    they are numbered in the tables `statuses` and `languages`; index 0 means none.
    A status is (live text like 'jetzt geöffnet (bis 16:00)', open now?, weekly hours);
    without `live` (a standalone file, read later) the live text is left out.
    """

    lang: str = "de"
    now: datetime = field(default_factory=datetime.now)
    live: bool = True
    statuses: list[tuple[str, bool, str]] = field(default_factory=lambda: [("", False, "")])
    languages: list[str] = field(default_factory=lambda: [""])
    _status_index: dict[str, int] = field(default_factory=dict)
    _language_index: dict[tuple[str, ...], int] = field(default_factory=dict)

    def tables(self) -> dict[str, Any]:
        """Return the tables and labels the script needs to draw the popups."""
        return {"statuses": self.statuses, "languages": self.languages,
                "languagesLabel": text("languages", self.lang)}

    def _status(self, inst: Institution) -> int:
        key = "" if inst.status == "temporarily_closed" else (inst.opening_hours or next(
            (s.opening_hours for s in inst.services if s.opening_hours), None))
        if key is None:
            return 0
        found = self._status_index.get(key)
        if found is None:
            if key == "":
                entry = (escape(text("temporarily_closed", self.lang)), False, "")
            else:
                status = hours.status_text(key, self.now, self.lang) if self.live else ""
                entry = (escape(status), self.live and bool(hours.is_open(key, self.now)),
                         escape(hours.short_hours(key, self.lang, self.now)))
            found = self._status_index[key] = len(self.statuses)
            self.statuses.append(entry)
        return found

    def _languages(self, inst: Institution) -> int:
        codes = tuple(dict.fromkeys(
            [*inst.languages, *(code for s in inst.services for code in s.languages)]))
        if not codes:
            return 0
        found = self._language_index.get(codes)
        if found is None:
            names = ", ".join(language_name(code, self.lang) for code in codes)
            found = self._language_index[codes] = len(self.languages)
            self.languages.append(escape(names))
        return found

    def info(self, inst: Institution, first: tuple[Service, ...] = (),
             numbers: tuple[int, ...] = ()) -> list[Any]:
        """Return the popup data of an institution; `first` are search hits, numbered."""
        contact = inst.contact
        if not (contact.phone or contact.email or contact.website):
            contact = next((s.contact for s in inst.services if s.contact is not None), contact)
        info: list[Any] = [
            escape(inst.address.one_line()) if inst.address is not None else "",
            self._services(inst, first, numbers), self._status(inst), self._languages(inst),
            escape(contact.phone or ""), escape(contact.email or ""),
            web_address(contact.website),
        ]
        while info and not info[-1]:
            info.pop()
        return info

    def _services(self, inst: Institution, first: tuple[Service, ...],
                  numbers: tuple[int, ...]) -> list[str]:
        items = [f"<b>{n}.</b> {escape(s.name)}" for s, n in zip(first, numbers, strict=False)]
        hits = {s.id for s in first}
        rest = [s for s in inst.services if s.id not in hits and s.status != "inactive"]
        room = max(MAX_SERVICES - len(items), 0)
        items += [escape(s.name) for s in rest[:room]]
        if len(rest) > room:
            items.append(text("further", self.lang).format(n=len(rest) - room))
        return items
