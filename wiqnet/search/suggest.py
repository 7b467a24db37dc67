"""Help when nothing matches: the closest need categories and WiQ's open consultation."""

from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz, process

from .. import hours
from ..model import Institution
from ..needs import all_needs
from .analysis import fold, is_stop_word, words
from .index import SearchIndex

SUGGESTIONS = 3
CUTOFF = 80.0
# The entry point for any concern ("there is no right or wrong topic").
GENERAL = "sozialberatung"


def _choices(index: SearchIndex) -> dict[str, tuple[str, ...]]:
    """Return (cached on the index) folded need labels and vocabulary words -> need keys."""
    return index.derived("suggest", lambda: _build_choices(index))


def _build_choices(index: SearchIndex) -> dict[str, tuple[str, ...]]:
    """Map folded need labels and vocabulary words to need keys."""
    found: dict[str, tuple[str, ...]] = {}
    for key, need in all_needs().items():
        for label in (need.de, need.en):
            found[fold(label)] = (*found.get(fold(label), ()), key)
    for word in index.vocabulary.words:
        found[word] = (*found.get(word, ()), *index.vocabulary.needs_of(word))
    return found


def closest_needs(query: str, index: SearchIndex, exclude: list[str]) -> list[str]:
    """Return up to three need keys whose labels or words look most like the query's words."""
    choices = _choices(index)
    names = list(choices)
    best: dict[str, float] = {}
    content = [w for w in words(query) if not is_stop_word(w) and len(w) > 2][:12]
    for word in content:
        for choice, score, _ in process.extract(
            word, names, scorer=fuzz.WRatio, limit=10, score_cutoff=CUTOFF
        ):
            for key in choices[choice]:
                best[key] = max(best.get(key, 0.0), float(score))
    ranked = sorted(best, key=lambda k: (-best[k], list(all_needs()).index(k)))
    found = [k for k in ranked if k not in exclude][:SUGGESTIONS]
    if GENERAL not in found and GENERAL not in exclude and len(found) < SUGGESTIONS:
        found.append(GENERAL)
    return found


def consultation(home: Institution | None, now: datetime, lang: str = "de") -> str:
    """Return a sentence pointing to the home institution's open consultation."""
    if home is None:
        return ""
    parts = []
    when = hours.short_hours(home.opening_hours, lang, now) if home.opening_hours else ""
    if when:
        parts.append(when)
    if home.address is not None:
        parts.append(home.address.one_line())
    if home.contact.phone:
        parts.append(("Telefon " if lang != "en" else "phone ") + home.contact.phone)
    if home.contact.email:
        parts.append(home.contact.email)
    details = ", ".join(parts)
    if lang == "en":
        lead = f"The open consultation of {home.name} helps with any concern"
    else:
        lead = f"Die offene Sprechstunde von {home.name} hilft bei jedem Anliegen weiter"
    return f"{lead}: {details}." if details else f"{lead}."
