"""Explanations: why each result matches, in short German (or English) phrases."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from .. import hours
from ..model import Directory
from ..needs import need_label
from ..text import REASONS
from ..text import language_name as named_in
from ..topics import topic_label
from .analysis import stem, words
from .bridge import Bridges
from .query import Understood
from .rank import Scored


@lru_cache(maxsize=4096)
def _status(expr: str, now: datetime, lang: str) -> str:
    """Return (cached: many services share hours) the opening status at a moment."""
    return hours.status_text(expr, now, lang)


@lru_cache(maxsize=65536)
def _stems(*texts: str) -> frozenset[str]:
    """Return (cached: results repeat) the stems of a service's own texts."""
    return frozenset(stem(w) for w in words(" ".join(texts)))


@lru_cache(maxsize=4096)
def _labelled(kind: str, keys: tuple[str, ...], lang: str) -> str:
    """Return (cached: results share them) the reason naming some topics or needs."""
    label = topic_label if kind == "topic" else need_label
    return REASONS[lang][kind].format(labels=", ".join(label(key, lang) for key in keys))


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "de"


def language_name(code: str, lang: str = "de") -> str:
    """Return a language's name in the UI language (German or English), e.g. 'tr' -> 'Türkisch'."""
    return named_in(code, _lang(lang))


def distance_text(metres: float, lang: str = "de") -> str:
    """Render a distance: '45 m', '350 m' under a kilometre, else '1,2 km' (decimal comma)."""
    text = REASONS[_lang(lang)]
    if metres < 100:
        return text["m"].format(m=round(metres))
    if metres < 1000:
        return text["m"].format(m=round(metres / 10.0) * 10)
    km = f"{metres / 1000:.1f}"
    return text["km"].format(km=km.replace(".", ",") if _lang(lang) == "de" else km)


def moment_text(at: datetime, lang: str = "de") -> str:
    """Render a requested moment as 'Mi 15:00'."""
    return f"{hours.WEEKDAYS[_lang(lang)][at.weekday()]} {at:%H:%M}"


class Explainer:
    """Builds the 'why' list of each result of one search."""

    def __init__(
        self,
        directory: Directory,
        understood: Understood,
        bridges: Bridges,
        open_at: datetime | None,
        now: datetime,
        lang: str = "de",
    ) -> None:
        """Remember what the explanations refer to."""
        self.directory = directory
        self.understood = understood
        self.bridges = bridges
        self.open_at = open_at
        # Opening hours change on whole minutes: one status per minute serves all requests.
        self.minute = now.replace(second=0, microsecond=0)
        self.lang = _lang(lang)
        self.text = REASONS[self.lang]

    def _name(self, institution_id: str) -> str:
        inst = self.directory.institution(institution_id)
        return inst.name if inst else institution_id

    def _join(self, items: list[str]) -> str:
        return self.text["and"].join(items)

    def why(self, scored: Scored, path: list[str]) -> list[str]:
        """Return the reasons for one result, most important first."""
        text, entry = self.text, scored.entry
        reasons = []
        if scored.topics:
            reasons.append(_labelled("topic", scored.topics, self.lang))
        if scored.needs:
            reasons.append(_labelled("need", scored.needs, self.lang))
        if scored.text > 0 and not scored.needs:
            matched = self._words(scored)
            if matched:
                reasons.append(text["word"].format(words=", ".join(matched)))
        if scored.nearest:
            reasons.append(text["nearest"])
        elif entry.institution.quarter:
            quarter = self.directory.quarter(entry.institution.quarter)
            reasons.append(text["quarter"].format(name=quarter.name if quarter else ""))
        if scored.language:
            reasons.append(
                text["speaks"].format(language=language_name(scored.language, self.lang))
            )
        if scored.audience:
            reasons.append(text["audience"].format(audience=scored.audience))
        if scored.area:
            reasons.append(text["area"].format(postcode=", ".join(scored.area)))
        if scored.distance_m is not None:
            reasons.append(distance_text(scored.distance_m, self.lang))
        reasons.extend(self._hours(scored))
        if entry.free:
            reasons.append(text["free"])
        reasons.extend(self._bridge(scored, path))
        return reasons

    def _words(self, scored: Scored) -> list[str]:
        """Return the query words (as typed) whose stems occur in this service's texts."""
        entry = scored.entry
        stems = _stems(
            entry.service.name,
            entry.institution.name,
            entry.service.description,
            entry.institution.category or "",
            *entry.service.audience,
        )
        return sorted(
            {
                word
                for term, word in self.understood.sources.items()
                if term in stems and term in self.understood.terms
            }
        )

    def _hours(self, scored: Scored) -> list[str]:
        expr = scored.entry.hours
        if not expr:
            return []
        if self.open_at is not None and scored.is_open is not None:
            key = "open_at" if scored.is_open else "closed_at"
            return [self.text[key].format(when=moment_text(self.open_at, self.lang))]
        status = _status(expr, self.minute, self.lang)
        return [status] if status else []

    def _bridge(self, scored: Scored, path: list[str]) -> list[str]:
        """Return (cached with the bridges: they are the same every time) the warm route."""
        key = (scored.entry.institution.id, scored.nearest, self.lang)
        found = self.bridges.texts.get(key)
        if found is None:
            found = self.bridges.texts[key] = self._route(scored, path)
        return list(found)

    def _route(self, scored: Scored, path: list[str]) -> list[str]:
        inst_id = scored.entry.institution.id
        origin = self._name(self.bridges.origin)
        if len(path) > 2:
            return [self.text["via"].format(names=self._join([self._name(i) for i in path[1:-1]]))]
        if len(path) == 2:
            return [self.text["direct"].format(name=origin)]
        if len(path) == 1:
            return [self.text["own"].format(name=origin)]
        partners = self.bridges.partners(inst_id)
        if scored.nearest and partners:
            names = self._join([self._name(i) for i in partners[:3]])
            return [self.text["partners"].format(names=names)]
        return []
