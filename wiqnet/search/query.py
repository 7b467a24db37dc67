"""Understanding a query: its stems for text matching, its needs, spelling fixes and wishes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .analysis import (
    NEGATIONS,
    fold,
    is_stop_word,
    known_affixes,
    split_compound,
    stem,
    tokens,
)
from .index import FREE_WORDS, PART, SearchIndex

MAX_WORDS = 24
# Longer "words" are no German words (the longest real compounds are about 40 letters).
MAX_WORD = 40
# A need counts as understood when it scores at least this share of the best need.
NEED_SHARE = 0.5
CORRECTED = 0.8
# How much the parts of a compound count: its head (last part) and the rest.
HEAD = 0.9
MODIFIER = 0.6


@dataclass
class Understood:
    """What the search made of a query."""

    text: str
    terms: dict[str, float] = field(default_factory=dict)
    need_scores: dict[str, float] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)
    # Each matched stem -> the word as it stood in the query (for the "why").
    sources: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    free: bool = False

    @property
    def needs(self) -> list[str]:
        """Return the understood need keys, strongest first."""
        if not self.need_scores:
            return []
        best = max(self.need_scores.values())
        ranked = sorted(self.need_scores.items(), key=lambda item: (-item[1], item[0]))
        return [need for need, score in ranked if score >= best * NEED_SHARE]

    def need_weight(self, need: str) -> float:
        """Return how strongly the query asks for a need, 0..1 relative to the best need."""
        if need not in self.need_scores:
            return 0.0
        return self.need_scores[need] / max(self.need_scores.values())


@cache
def language_names() -> dict[str, str]:
    """Return folded language names (German and English, e.g. 'tuerkisch') -> ISO 639-1 code."""
    names: dict[str, str] = {}
    for locale in ("de", "en"):
        for code, name in Locale(locale).languages.items():
            if len(code) == 2 and code != "de" and " " not in name:
                names.setdefault(fold(name), code)
    return names


def _max_edits(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


def closest_spelling(word: str, choices: tuple[str, ...]) -> str | None:
    """Return the choice within a few typos of word (1 up to 6 letters, else 2), or None."""
    edits = _max_edits(word)
    if not edits:
        return None
    found = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=edits)
    return None if found is None else str(found[0])


class _Reader:
    """Collects terms and need scores while reading the words of one query."""

    def __init__(self, index: SearchIndex, result: Understood) -> None:
        self.index = index
        self.result = result
        self.scores: dict[str, float] = defaultdict(float)
        self.origin = ""

    def add_needs(self, needs: tuple[str, ...], weight: float) -> None:
        for need in needs:
            self.scores[need] += weight / len(needs)

    def add_term(self, term: str, weight: float) -> None:
        if term in self.index.postings:
            self.result.terms[term] = max(self.result.terms.get(term, 0.0), weight)
            self.result.sources.setdefault(term, self.origin or term)

    def _parts(self, parts: list[str], weight: float) -> bool:
        """Read the parts of a compound (the last part, its head, counts most)."""
        vocabulary = self.index.vocabulary
        found = False
        for number, part in enumerate(parts):
            if is_stop_word(part):
                continue
            share = HEAD if number == len(parts) - 1 else MODIFIER
            part_needs = vocabulary.needs_of(part) or vocabulary.needs_of(stem(part))
            self.add_needs(part_needs, weight * share)
            self.add_term(stem(part), weight * PART)
            found = found or bool(part_needs)
        return found

    def read(self, word: str, weight: float = 1.0, correct: bool = True) -> bool:
        """Read one content word; return whether anything was understood.

        In order: the vocabulary; a compound of known parts; a close vocabulary
        spelling (typo); a known start or end of the word; a close spelling in the data.
        """
        vocabulary = self.index.vocabulary
        base = stem(word)
        needs = vocabulary.needs_of(word) or vocabulary.needs_of(base)
        self.add_term(base, weight)
        if needs:
            self.add_needs(needs, weight)
            return True
        if len(word) > MAX_WORD:
            return False
        parts = split_compound(word, self.index.knows)
        if parts and self._parts(parts, weight):
            return True
        known = bool(parts) or base in self.index.lexicon or word.isdigit()
        if correct and not known and self._fix(word, vocabulary.words, weight):
            return True
        affixes = known_affixes(word, lambda part: vocabulary.knows(stem(part)))
        if affixes and self._parts(affixes, weight):
            return True
        if correct and not known:
            return self._fix(word, self.index.spellings, weight)
        return known

    def _fix(self, word: str, choices: tuple[str, ...], weight: float) -> bool:
        """Read the closest spelling of an unknown word instead, if one is close enough."""
        fixed = closest_spelling(word, choices)
        if fixed is None or fixed == word:
            return False
        self.result.corrections[word] = fixed
        return self.read(fixed, weight * CORRECTED, correct=False)


def understand(text: str, index: SearchIndex) -> Understood:
    """Read a query into stems, need scores, corrections, asked-for languages and cost."""
    result = Understood(text=text)
    reader = _Reader(index, result)
    pairs = tokens(text)[:MAX_WORDS]
    stems = {stem(folded) for _, folded in pairs}
    consumed: set[str] = set()
    for phrase, needs in index.vocabulary.phrases.items():
        if phrase <= stems:
            reader.add_needs(needs, 1.0)
            consumed |= phrase - NEGATIONS
    names = language_names()
    for raw, word in pairs:
        reader.origin = raw
        if word in FREE_WORDS:
            result.free = True
        elif word in names:
            result.languages.append(names[word])
        elif stem(word) in consumed:
            reader.add_term(stem(word), 1.0)
        elif not is_stop_word(word):
            reader.read(word)
    result.need_scores = dict(reader.scores)
    return result
