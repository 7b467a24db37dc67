"""The flyer's languages, writing directions and emergency numbers (its wording: text.FLYER)."""

from __future__ import annotations

from ..errors import UsageError
from ..text import FLYER

LANGS = ("de", "en", "tr", "ar")
RTL = frozenset({"ar"})

# The fixed "Im Notfall" box: (label key, numbers). 110 and 112 are the German emergency
# numbers; the helplines are as in ../shared/krefeld-facts.md ("Nationwide phone services",
# Dec 2026) and data/institutions.yaml (tests/test_flyer_content.py checks they agree).
EMERGENCY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("police", ("110",)),
    ("fire", ("112",)),
    ("violence", ("116 016",)),
    ("kummer", ("116 111",)),
    ("seelsorge", ("0800 111 0 111", "0800 111 0 222")),
)


def check_lang(lang: str) -> str:
    """Return lang if the flyer speaks it, else raise UsageError naming the choices."""
    if lang not in LANGS:
        raise UsageError(f"unknown flyer language '{lang}'; choose one of {', '.join(LANGS)}")
    return lang


def labels(lang: str) -> dict[str, str]:
    """Return the fixed flyer wording in a language."""
    return FLYER[check_lang(lang)]


def direction(lang: str) -> str:
    """Return the writing direction of a language: 'rtl' or 'ltr'."""
    return "rtl" if lang in RTL else "ltr"
