"""The need categories ("Anliegen"): the project's contract, shipped as package data.

needs.yaml is the one place for a need: key, labels in every language, colour and glyph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml
from rapidfuzz import fuzz, process

# The languages every need is labelled in; the grey and dot of a place without a known need.
LANGUAGES = ("de", "en", "tr", "ar")
FALLBACK_COLOUR = "#555555"
FALLBACK_GLYPH = '<circle cx="12" cy="12" r="5"/>'


@dataclass(frozen=True, slots=True)
class Need:
    """One need category: its labels in every language, scope, marker colour and glyph."""

    key: str
    de: str
    en: str
    tr: str
    ar: str
    scope: str
    colour: str
    glyph: str

    def label(self, lang: str = "de") -> str:
        """Return the label in the given language (German for any other language)."""
        return str(getattr(self, lang)) if lang in LANGUAGES else self.de


@cache
def all_needs() -> dict[str, Need]:
    """Return the need categories by key, in their contract order."""
    text = files("wiqnet").joinpath("needs.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["needs"]
    return {key: Need(key, v["de"], v["en"], v["tr"], v["ar"], v["scope"], v["colour"],
                      v["glyph"]) for key, v in raw.items()}


def need_keys() -> tuple[str, ...]:
    """Return the need keys in contract order."""
    return tuple(all_needs())


def need_label(key: str, lang: str = "de") -> str:
    """Return a need's label, or the key itself for an unknown key."""
    need = all_needs().get(key)
    return need.label(lang) if need else key


def need_colour(need: str | None) -> str:
    """Return the colour of a need key, grey for none or an unknown key."""
    found = all_needs().get(need or "")
    return found.colour if found else FALLBACK_COLOUR


# Words too common to point at one need when guessing what a typo meant.
_STOP = {"und", "and", "for", "the", "with", "bei", "von", "oder", "other", "help", "people"}


@cache
def _need_words() -> dict[str, tuple[str, int]]:
    """Map the words of every need's key, labels and scope to (key, rank)."""
    words: dict[str, tuple[str, int]] = {}
    for rank, attr in ((2, "scope"), (1, "en"), (0, "de"), (0, "key")):
        for need in all_needs().values():
            for word in re.findall(r"\w+", getattr(need, attr).lower()):
                if len(word) >= 4 and word not in _STOP:
                    words[word] = (need.key, rank)
    return words


def suggest_need(word: str) -> str | None:
    """Return the need key meant by a word, e.g. 'schulden' -> 'finanzen'."""
    vocab = _need_words()
    best = process.extract(word.lower(), list(vocab), scorer=fuzz.ratio, score_cutoff=70, limit=5)
    if not best:
        return None
    best.sort(key=lambda m: (-m[1], vocab[m[0]][1]))
    return vocab[best[0][0]][0]
