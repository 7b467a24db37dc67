"""The need categories ("Anliegen"): the project's contract, shipped as package data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml


@dataclass(frozen=True, slots=True)
class Need:
    """One need category with its German and English label."""

    key: str
    de: str
    en: str
    scope: str

    def label(self, lang: str = "de") -> str:
        """Return the label in the given language (German by default)."""
        return self.en if lang == "en" else self.de


@cache
def all_needs() -> dict[str, Need]:
    """Return the need categories by key, in their contract order."""
    text = files("wiqnet").joinpath("needs.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["needs"]
    return {key: Need(key, v["de"], v["en"], v["scope"]) for key, v in raw.items()}


def need_keys() -> tuple[str, ...]:
    """Return the need keys in contract order."""
    return tuple(all_needs())


def need_label(key: str, lang: str = "de") -> str:
    """Return a need's label, or the key itself for an unknown key."""
    need = all_needs().get(key)
    return need.label(lang) if need else key
