"""A real German dictionary (pyspellchecker's German word list): correct only unknown words."""

from __future__ import annotations

import threading
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

_LOCK = threading.Lock()
_CHECKER: list[SpellChecker] = []


def _checker() -> SpellChecker:
    """Return the German spell checker, loaded once (a second or two) on first use."""
    with _LOCK:
        if not _CHECKER:
            _CHECKER.append(SpellChecker(language="de", distance=1))
        return _CHECKER[0]


def preload() -> None:
    """Start loading the dictionary in the background, so that no search waits for it."""
    if not _CHECKER:
        threading.Thread(target=_checker, name="dictionary", daemon=True).start()


@lru_cache(maxsize=65536)
def is_german_word(word: str) -> bool:
    """Return whether a word (as typed, any case, with umlauts) is in the German dictionary."""
    lower = word.casefold()
    if len(lower) < 2 or not lower.isalpha():
        return False
    return lower in _checker()


def max_edits(length: int) -> int:
    """Return how many typos a word of a length may have: none up to 3 letters, 1 up to 6."""
    if length < 4:
        return 0
    return 1 if length < 7 else 2


def closest_spelling(word: str, choices: tuple[str, ...]) -> str | None:
    """Return the choice within a few typos of word (1 up to 6 letters, else 2), or None."""
    edits = max_edits(len(word))
    if not edits:
        return None
    found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=edits)
    return None if found is None else str(found[0])
