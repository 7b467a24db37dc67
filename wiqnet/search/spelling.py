"""A real German dictionary (pyspellchecker's German word list): correct only unknown words."""

from __future__ import annotations

import threading
from functools import lru_cache

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
