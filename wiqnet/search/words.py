"""Query words: what the dictionary and topic lexicon make of each word, and the query's language.

A word reads the same in every query, so its reading is cached per word; readings that
depend on the data (compound parts, typo corrections) are planned per index (reading.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from .analysis import (
    QUERY_LANGUAGES,
    STOP_BY_LANGUAGE,
    VERBS,
    is_arabic,
    is_stop_word,
    plain,
    stem,
    tokens,
)
from .lexicon import Hit, english_only, topic_hits, topic_lexicon
from .spelling import is_german_word

# A situation told in full (up to MAX_QUERY letters) is read to its end, within bounds.
MAX_WORDS = 40
# Votes for the language a query is written in.
TOPIC_VOTE = 1.0
STOP_VOTE = 0.5
DICTIONARY_VOTE = 0.5
SCRIPT_VOTE = 2.0
_TURKISH_ONLY = frozenset("çğışİ")
_VOTES = attrgetter("votes")


@dataclass(frozen=True, slots=True)
class Word:
    """One query word: as typed, folded, and what the dictionary and topic lexicon made of it."""

    raw: str
    folded: str
    german: bool
    arabic: bool
    forms: frozenset[str]
    hits: tuple[Hit, ...]
    # Its votes for each of QUERY_LANGUAGES.
    votes: tuple[float, ...]
    # Its stem, whether it is a stop word, and the topic phrases one of its forms is in.
    stem: str
    stop: bool
    phrases: frozenset[frozenset[str]]


@lru_cache(maxsize=65536)
def _look_up(raw: str, folded: str, several: bool) -> Word:
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
    phrases = frozenset(key for form in forms for key in lexicon.phrases_with.get(form, ()))
    return Word(
        raw,
        folded,
        german,
        arabic,
        forms,
        hits,
        tuple(votes.values()),
        stem(folded),
        is_stop_word(folded),
        phrases,
    )


def language_of(words: list[Word]) -> str:
    """Return the language the words are most likely written in (German on a tie)."""
    votes = list(map(sum, zip(*map(_VOTES, words), strict=True)))
    # The first of the best: German on a tie.
    return QUERY_LANGUAGES[votes.index(max(votes))] if votes else QUERY_LANGUAGES[0]


def query_words(text: str) -> list[Word]:
    """Return the words of a query (at most MAX_WORDS), each with its reading, in order."""
    pairs = tokens(text)[:MAX_WORDS]
    several = len(pairs) > 1
    return [_look_up(raw, folded, several) for raw, folded in pairs]
