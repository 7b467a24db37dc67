"""Query words: what the dictionary and topic lexicon make of each word, and the query's language.

A word reads the same in every query, so its reading is cached per word; readings that
depend on the data (compound parts, typo corrections) are remembered per index and word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TypeVar

from .analysis import (
    QUERY_LANGUAGES,
    STOP_BY_LANGUAGE,
    VERBS,
    is_arabic,
    is_stop_word,
    known_affixes,
    plain,
    split_compound,
    stem,
    tokens,
)
from .index import SearchIndex
from .lexicon import Hit, english_only, topic_hits, topic_lexicon
from .spelling import closest_spelling, is_german_word, max_edits

T = TypeVar("T")
# A situation told in full (up to MAX_QUERY letters) is read to its end, within bounds.
MAX_WORDS = 40
# Words remembered per index for each kind of reading (compounds, spellings).
WORDS = 4096
# Votes for the language a query is written in.
TOPIC_VOTE = 1.0
STOP_VOTE = 0.5
DICTIONARY_VOTE = 0.5
SCRIPT_VOTE = 2.0
_TURKISH_ONLY = frozenset("çğışİ")


@dataclass(slots=True)
class Word:
    """One query word: as typed, folded, and what the dictionary and topic lexicon made of it."""

    position: int
    raw: str
    folded: str
    german: bool
    arabic: bool
    forms: frozenset[str]
    hits: tuple[Hit, ...]
    # Its votes for each of QUERY_LANGUAGES.
    votes: tuple[float, ...]


# What a word is (German word, in Arabic script), its lexicon forms, topic hits and votes.
_Lookup = tuple[bool, bool, frozenset[str], tuple[Hit, ...], tuple[float, ...]]


@lru_cache(maxsize=65536)
def _look_up(raw: str, folded: str, several: bool) -> _Lookup:
    """Return (cached: words repeat) what the dictionary and topic lexicon make of a word."""
    lexicon = topic_lexicon()
    lower = raw.casefold()
    arabic = is_arabic(raw)
    german = not arabic and is_german_word(raw)
    forms: frozenset[str] = frozenset()
    hits: tuple[Hit, ...] = ()
    if folded in VERBS and raw == lower and several:
        pass
    elif is_stop_word(folded):
        # A stop word is a topic word only as written with its own letters (Turkish
        # "iş", not English "is"), but may complete a phrase ("is arama").
        found = {f for f in (folded, plain(lower), stem(folded)) if f in lexicon.phrase_forms}
        hits = lexicon.words.get(lower, ()) if lower != folded else ()
        forms = frozenset(found | {lower} if hits else found)
    else:
        found = lexicon.matched(lower, german)
        forms = frozenset(found)
        # A German word names no topic by its English stem ("integrative" is no
        # "integration"), though the stem may complete an English phrase.
        hits = topic_hits(found - {english_only(lower)} if german else found)
    votes = dict.fromkeys(QUERY_LANGUAGES, 0.0)
    for lang in {lang for _, lang in hits}:
        votes[lang] += TOPIC_VOTE
    for lang in QUERY_LANGUAGES:
        if folded in STOP_BY_LANGUAGE[lang]:
            votes[lang] += STOP_VOTE
    if german:
        votes["de"] += DICTIONARY_VOTE
    if arabic:
        votes["ar"] += SCRIPT_VOTE
    elif any(c in _TURKISH_ONLY for c in raw):
        votes["tr"] += SCRIPT_VOTE
    return german, arabic, forms, hits, tuple(votes.values())


def language_of(words: list[Word]) -> str:
    """Return the language the words are most likely written in (German on a tie)."""
    votes = [sum(column) for column in zip(*(word.votes for word in words), strict=True)]
    if not votes:
        return QUERY_LANGUAGES[0]
    return QUERY_LANGUAGES[max(range(len(QUERY_LANGUAGES)), key=lambda n: (votes[n], -n))]


def per_word(
    index: SearchIndex, name: str, read: Callable[[SearchIndex, str, str], T]
) -> Callable[[str], T]:
    """Return read(index, name, word) as a function of the word, remembered per index and word."""
    return index.derived(
        ("word", name), lambda: lru_cache(maxsize=WORDS)(partial(read, index, name))
    )


def compound_parts(index: SearchIndex, _name: str, word: str) -> list[str] | None:
    """Return the known parts of a compound word (see `split_compound`)."""
    return split_compound(word, index.parts.__contains__)


def affix_parts(index: SearchIndex, _name: str, word: str) -> list[str]:
    """Return the known start and end of a word that does not split (see `known_affixes`)."""
    vocabulary = index.vocabulary
    return known_affixes(word, lambda part: vocabulary.knows(stem(part)))


def correction(index: SearchIndex, choices: str, word: str) -> str | None:
    """Return the closest spelling of a word among the index's `choices` (a field name)."""
    return closest_spelling(word, _near_length(index, choices, len(word)))


def _near_length(index: SearchIndex, choices: str, length: int) -> tuple[str, ...]:
    """Return (cached on the index) the spellings a word of a length can be a typo of, in order."""
    # Each typo changes the length by at most one letter; the others need not be compared.

    def compute() -> tuple[str, ...]:
        edits = max_edits(length)
        spelled: tuple[str, ...] = getattr(index, choices)
        return tuple(c for c in spelled if abs(len(c) - length) <= edits)

    return index.derived(("spelling", choices, length), compute)


def query_words(text: str) -> list[Word]:
    """Return the words of a query (at most MAX_WORDS), each with its reading."""
    pairs = tokens(text)[:MAX_WORDS]
    several = len(pairs) > 1
    return [
        Word(position, raw, folded, *_look_up(raw, folded, several))
        for position, (raw, folded) in enumerate(pairs)
    ]
