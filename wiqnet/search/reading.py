"""Reading one content word: the text terms, needs, topics and corrections it stands for.

What a word stands for depends only on the word and the index (its data, vocabulary and
spellings), so it is planned once per index and word (`plan_for`) as steps, which every
query then applies at its own weight.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from .analysis import is_stop_word, known_affixes, split_compound, stem
from .index import PART, SearchIndex
from .lexicon import Hit, word_hits
from .spelling import closest_spelling, max_edits

# Longer "words" are no German words (the longest real compounds are about 40 letters).
MAX_WORD = 40
# How much the parts of a compound count: its head (last part) and the rest.
HEAD = 0.9
MODIFIER = 0.6
# Words remembered per index (their plans).
WORDS = 4096
# The kinds of steps: add a text term, need keys or topic keys; note a correction.
TERM = "term"
NEEDS = "needs"
TOPICS = "topics"
FIX = "fix"
# One step: (kind, its values, the share of the word's weight it adds). A correction's
# values are (the word, its correction).
Step = tuple[str, tuple[str, ...], float]
# The steps of reading a word, in order.
Plan = tuple[Step, ...]
Planner = Callable[[str, tuple[Hit, ...], bool], Plan]


def plan_for(index: SearchIndex) -> Planner:
    """Return plan(word, hits, correct) for an index, remembered per index and word."""
    return index.derived(("word", "plan"), lambda: lru_cache(maxsize=WORDS)(partial(_plan, index)))


def _plan(index: SearchIndex, word: str, hits: tuple[Hit, ...], correct: bool) -> Plan:
    """Plan reading a folded content word with its topic hits (see `_Steps.read`)."""
    steps = _Steps(index)
    steps.read(word, hits, correct)
    return tuple(steps.steps)


class _Steps:
    """Collects the steps of reading one word."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.steps: list[Step] = []

    def _needs(self, needs: tuple[str, ...], share: float) -> None:
        if needs:
            self.steps.append((NEEDS, needs, share))

    def _topics(self, hits: tuple[Hit, ...], share: float) -> None:
        if hits:
            self.steps.append((TOPICS, tuple(dict.fromkeys(key for key, _ in hits)), share))

    def _term(self, term: str, share: float) -> None:
        if term in self.index.postings:
            self.steps.append((TERM, (term,), share))

    def _parts(self, parts: list[str]) -> bool:
        """Read the parts of a compound (the last part, its head, counts most)."""
        vocabulary = self.index.vocabulary
        found = False
        for number, part in enumerate(parts):
            if is_stop_word(part):
                continue
            share = HEAD if number == len(parts) - 1 else MODIFIER
            part_needs = vocabulary.needs_of(part) or vocabulary.needs_of(stem(part))
            hits = word_hits(part)
            self._needs(part_needs, share)
            self._topics(hits, share)
            self._term(stem(part), PART)
            found = found or bool(part_needs) or bool(hits)
        return found

    def read(self, word: str, hits: tuple[Hit, ...], correct: bool) -> bool:
        """Read one content word; return whether anything was understood.

        In order: the topics and the vocabulary; a compound of known parts; a close
        spelling of a topic or vocabulary word (only for words no German dictionary
        knows); a known start or end of the word; a close spelling in the data.
        """
        index = self.index
        base = stem(word)
        needs = index.vocabulary.needs_of(word) or index.vocabulary.needs_of(base)
        self._term(base, 1.0)
        if hits or needs:
            self._topics(hits, 1.0)
            self._needs(needs, 1.0)
            return True
        if len(word) > MAX_WORD:
            return False
        parts = split_compound(word, index.parts.__contains__)
        if parts and self._parts(parts):
            return True
        known = bool(parts) or base in index.lexicon or word.isdigit()
        if correct and not known and self._fix(word, "spelled"):
            return True
        affixes = known_affixes(word, lambda part: index.vocabulary.knows(stem(part)))
        if affixes and self._parts(affixes):
            return True
        if correct and not known:
            return self._fix(word, "spellings")
        return known

    def _fix(self, word: str, choices: str) -> bool:
        """Read the closest spelling of an unknown word (`choices`: an index field) instead."""
        fixed = closest_spelling(word, _near_length(self.index, choices, len(word)))
        if fixed is None or fixed == word:
            return False
        self.steps.append((FIX, (word, fixed), 1.0))
        return self.read(fixed, word_hits(fixed), correct=False)


def _near_length(index: SearchIndex, choices: str, length: int) -> tuple[str, ...]:
    """Return (cached on the index) the spellings a word of a length can be a typo of, in order."""
    # Each typo changes the length by at most one letter; the others need not be compared.

    def compute() -> tuple[str, ...]:
        edits = max_edits(length)
        spelled: tuple[str, ...] = getattr(index, choices)
        return tuple(c for c in spelled if abs(len(c) - length) <= edits)

    return index.derived(("spelling", choices, length), compute)
