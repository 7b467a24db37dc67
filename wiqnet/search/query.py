"""Understanding a query: its topics, needs, stems for text matching, language and wishes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from itertools import product
from typing import TypeVar

from babel import Locale

from ..topics import all_topics
from .analysis import (
    NEGATIONS,
    QUERY_LANGUAGES,
    STOP_BY_LANGUAGE,
    VERBS,
    age_of,
    asks_counselling,
    fold,
    is_arabic,
    is_stop_word,
    known_affixes,
    plain,
    split_compound,
    stem,
    tokens,
)
from .index import FREE_WORDS, PART, SearchIndex
from .lexicon import (
    Hit,
    TopicLexicon,
    english_only,
    phrases_in,
    topic_hits,
    topic_lexicon,
    word_hits,
)
from .spelling import closest_spelling, is_german_word, max_edits

T = TypeVar("T")
# Words remembered per index for each kind of reading (compounds, spellings).
WORDS = 4096
# A situation told in full (up to MAX_QUERY letters) is read to its end, within bounds.
MAX_WORDS = 40
# Longer "words" are no German words (the longest real compounds are about 40 letters).
MAX_WORD = 40
# A need counts as understood when it scores at least this share of the best need.
NEED_SHARE = 0.5
# After "für" right after a named need, the words say for whom ("Tagesmutter für Baby",
# "Möbel für eine geflüchtete Familie"): they count this much, too little to be a need
# of their own in a situation (situation.PART_SCORE).
FOR_WHOM = 0.4
# The few words after "für" that say for whom; a joining word starts a new clause.
FOR_WORDS = 3
_FOR = frozenset({"fuer", "fuers", "for"})
_CLAUSE = frozenset(
    [
        "und",
        "sowie",
        "oder",
        "aber",
        "damit",
        "weil",
        "dass",
        "denn",
        "ausserdem",
        "and",
        "or",
        "but",
        "because",
        "also",
        "ve",
        "veya",
        "ama",
    ]
)
# How much the words of a situation outside one part count for that part's text match.
CONTEXT = 0.25
# How much the parts of a compound count: its head (last part) and the rest.
HEAD = 0.9
MODIFIER = 0.6
# A topic also asks for its needs: its home need fully, the others this much.
OTHER_NEED = 0.5
# Votes for the language a query is written in.
TOPIC_VOTE = 1.0
STOP_VOTE = 0.5
DICTIONARY_VOTE = 0.5
SCRIPT_VOTE = 2.0
_TURKISH_ONLY = frozenset("çğışİ")


@dataclass
class Understood:
    """What the search made of a query."""

    text: str
    terms: dict[str, float] = field(default_factory=dict)
    need_scores: dict[str, float] = field(default_factory=dict)
    topic_scores: dict[str, float] = field(default_factory=dict)
    corrections: dict[str, str] = field(default_factory=dict)
    # Each matched stem -> the word as it stood in the query (for the "why").
    sources: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    free: bool = False
    # The age of the person the query is about, if it tells one ("16-jährige Tochter").
    age: float | None = None
    # The query asks for counselling ("Beratung"), not for an office's procedure.
    counselling: bool = False
    # The language the query is written in (de, en, tr, ar).
    language: str = "de"
    # Which query words (positions) found each topic and each text term.
    topic_words: dict[str, set[int]] = field(default_factory=dict)
    term_words: dict[str, set[int]] = field(default_factory=dict)
    # The stems of every content word typed (empty for a part of a situation), and whether
    # each of them names a topic ("Kita" names a topic and many institutions).
    typed: tuple[str, ...] = ()
    all_topical: bool = False

    @property
    def needs(self) -> list[str]:
        """Return the understood need keys, strongest first."""
        return _strongest(self.need_scores)

    @property
    def topics(self) -> list[str]:
        """Return the understood topic keys, strongest first."""
        return _strongest(self.topic_scores)

    def need_weight(self, need: str) -> float:
        """Return how strongly the query asks for a need, 0..1 relative to the best need."""
        if need not in self.need_scores:
            return 0.0
        return self.need_scores[need] / max(self.need_scores.values())

    def topic_weight(self, topic: str) -> float:
        """Return how strongly the query asks for a topic, 0..1 relative to the best topic."""
        if topic not in self.topic_scores:
            return 0.0
        return self.topic_scores[topic] / max(self.topic_scores.values())

    def only(self, topics: list[str]) -> Understood:
        """Return the part of the query about some topics: their words, needs and terms."""
        positions = set().union(*(self.topic_words[t] for t in topics))
        part = Understood(
            text=self.text,
            corrections=self.corrections,
            sources=self.sources,
            languages=self.languages,
            free=self.free,
            language=self.language,
            age=self.age,
            counselling=self.counselling,
        )
        part.topic_scores = {t: self.topic_scores[t] for t in topics}
        part.topic_words = {t: self.topic_words[t] for t in topics}
        for topic in topics:
            for number, need in enumerate(all_topics()[topic].needs):
                share = 1.0 if number == 0 else OTHER_NEED
                part.need_scores[need] = part.need_scores.get(need, 0.0) + share
        # The rest of the story still tells who asks ("Mutter", "Kinder"), at less weight.
        part.terms = {
            t: w if self.term_words.get(t, set()) & positions else w * CONTEXT
            for t, w in self.terms.items()
        }
        part.term_words = {t: self.term_words[t] for t in part.terms}
        return part


def _strongest(scores: dict[str, float]) -> list[str]:
    """Return the keys scoring at least NEED_SHARE of the best, strongest first."""
    if not scores:
        return []
    least = max(scores.values()) * NEED_SHARE
    # Sorted by key, then (stable) by score: ties stay in key order.
    return sorted(
        sorted(k for k, v in scores.items() if v >= least), key=scores.__getitem__, reverse=True
    )


@cache
def language_names() -> dict[str, str]:
    """Return folded language names (German and English, e.g. 'tuerkisch') -> ISO 639-1 code."""
    names: dict[str, str] = {}
    for locale in ("de", "en"):
        for code, name in Locale(locale).languages.items():
            if len(code) == 2 and code != "de" and " " not in name:
                names.setdefault(fold(name), code)
    return names


@dataclass(slots=True)
class _Word:
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


def _language(words: list[_Word]) -> str:
    """Return the language the words are most likely written in (German on a tie)."""
    votes = [sum(column) for column in zip(*(word.votes for word in words), strict=True)]
    if not votes:
        return QUERY_LANGUAGES[0]
    return QUERY_LANGUAGES[max(range(len(QUERY_LANGUAGES)), key=lambda n: (votes[n], -n))]


class _Reader:
    """Collects terms, topic and need scores while reading the words of one query."""

    def __init__(self, index: SearchIndex, result: Understood) -> None:
        self.index = index
        self.lexicon = topic_lexicon()
        self.result = result
        self.scores: dict[str, float] = defaultdict(float)
        self.origin = ""
        self.position = 0

    def add_needs(self, needs: tuple[str, ...], weight: float) -> None:
        for need in needs:
            self.scores[need] += weight / len(needs)

    def add_topics(self, hits: tuple[Hit, ...], weight: float) -> None:
        keys = list(dict.fromkeys(key for key, _ in hits))
        topics = all_topics()
        for key in keys:
            share = weight / len(keys)
            self.result.topic_scores[key] = self.result.topic_scores.get(key, 0.0) + share
            self.result.topic_words.setdefault(key, set()).add(self.position)
            for number, need in enumerate(topics[key].needs):
                self.scores[need] += share * (1.0 if number == 0 else OTHER_NEED)

    def add_term(self, term: str, weight: float) -> None:
        if term in self.index.postings:
            self.result.terms[term] = max(self.result.terms.get(term, 0.0), weight)
            self.result.sources.setdefault(term, self.origin or term)
            self.result.term_words.setdefault(term, set()).add(self.position)

    def _parts(self, parts: list[str], weight: float) -> bool:
        """Read the parts of a compound (the last part, its head, counts most)."""
        vocabulary = self.index.vocabulary
        found = False
        for number, part in enumerate(parts):
            if is_stop_word(part):
                continue
            share = HEAD if number == len(parts) - 1 else MODIFIER
            part_needs = vocabulary.needs_of(part) or vocabulary.needs_of(stem(part))
            hits = word_hits(part, True)[1]
            self.add_needs(part_needs, weight * share)
            self.add_topics(hits, weight * share)
            self.add_term(stem(part), weight * PART)
            found = found or bool(part_needs) or bool(hits)
        return found

    def read(
        self, word: str, hits: tuple[Hit, ...] = (), weight: float = 1.0, correct: bool = True
    ) -> bool:
        """Read one content word; return whether anything was understood.

        In order: the topics and the vocabulary; a compound of known parts; a close
        spelling of a topic or vocabulary word (only for words no German dictionary
        knows); a known start or end of the word; a close spelling in the data.
        """
        vocabulary = self.index.vocabulary
        base = stem(word)
        needs = vocabulary.needs_of(word) or vocabulary.needs_of(base)
        self.add_term(base, weight)
        if hits or needs:
            self.add_topics(hits, weight)
            self.add_needs(needs, weight)
            return True
        if len(word) > MAX_WORD:
            return False
        parts = _per_word(self.index, "compound", _compound)(word)
        if parts and self._parts(parts, weight):
            return True
        known = bool(parts) or base in self.index.lexicon or word.isdigit()
        if correct and not known and self._fix(word, "spelled", weight):
            return True
        affixes = _per_word(self.index, "affixes", _affixes)(word)
        if affixes and self._parts(affixes, weight):
            return True
        if correct and not known:
            return self._fix(word, "spellings", weight)
        return known

    def _fix(self, word: str, choices: str, weight: float) -> bool:
        """Read the closest spelling of an unknown word (`choices`: an index field) instead."""
        fixed = _per_word(self.index, choices, _spelling)(word)
        if fixed is None or fixed == word:
            return False
        self.result.corrections[word] = fixed
        hits = word_hits(fixed, True)[1]
        return self.read(fixed, hits, weight, correct=False)


def _per_word(
    index: SearchIndex, name: str, read: Callable[[SearchIndex, str, str], T]
) -> Callable[[str], T]:
    """Return read(index, name, word) as a function of the word, remembered per index and word."""
    return index.derived(
        ("word", name), lambda: lru_cache(maxsize=WORDS)(partial(read, index, name))
    )


def _compound(index: SearchIndex, _name: str, word: str) -> list[str] | None:
    """Return the known parts of a compound word (see `split_compound`)."""
    return split_compound(word, index.parts.__contains__)


def _affixes(index: SearchIndex, _name: str, word: str) -> list[str]:
    """Return the known start and end of a word that does not split (see `known_affixes`)."""
    vocabulary = index.vocabulary
    return known_affixes(word, lambda part: vocabulary.knows(stem(part)))


def _spelling(index: SearchIndex, choices: str, word: str) -> str | None:
    """Return the closest spelling of a word among the index's `choices` (a field name)."""
    return closest_spelling(word, _near_length(index, choices, len(word)))


def _near_length(index: SearchIndex, choices: str, length: int) -> tuple[str, ...]:
    """Return (cached on the index) the spellings a word of a length can be a typo of, in order.

    Each typo changes the length by at most one letter; the others need not be compared.
    """

    def compute() -> tuple[str, ...]:
        edits = max_edits(length)
        spelled: tuple[str, ...] = getattr(index, choices)
        return tuple(c for c in spelled if abs(len(c) - length) <= edits)

    return index.derived(("spelling", choices, length), compute)


def _words(text: str) -> list[_Word]:
    pairs = tokens(text)[:MAX_WORDS]
    several = len(pairs) > 1
    return [
        _Word(position, raw, folded, *_look_up(raw, folded, several))
        for position, (raw, folded) in enumerate(pairs)
    ]


# The words of a phrase stand at most this many words beyond the phrase's length apart.
PHRASE_GAP = 2


def _close(key: frozenset[str], words: list[_Word]) -> list[int]:
    """Return the positions of a phrase's words if they stand close together, else []."""
    where = [[w.position for w in words if form in w.forms] for form in sorted(key)]
    best: list[int] = []
    for choice in product(*where):
        if max(choice) - min(choice) < len(key) + PHRASE_GAP and (
            not best or max(choice) - min(choice) < max(best) - min(best)
        ):
            best = sorted(set(choice))
    return best


def _phrases(words: list[_Word], lexicon: TopicLexicon, reader: _Reader) -> set[int]:
    """Read the topic phrases whose words all occur; return the positions they used."""
    matched = set().union(*(w.forms for w in words)) if words else set()
    used: set[int] = set()
    for key in sorted(phrases_in(lexicon, matched), key=sorted):
        hits = lexicon.phrases[key]
        positions = _close(key, words)
        if hits and positions:
            reader.position = positions[0]
            reader.add_topics(hits, 1.0)
            for topic, _ in hits:
                reader.result.topic_words[topic].update(positions)
            used.update(positions)
    return used


def _named_before(result: Understood, position: int) -> bool:
    """Return whether the word just before a position named a topic ("Möbel für")."""
    return any(position - 1 in found for found in result.topic_words.values())


def understand(text: str, index: SearchIndex) -> Understood:
    """Read a query into topics, needs, stems, corrections, its language and wishes.

    A query with typos is read again as corrected, so that a corrected word also
    completes a phrase ("Psycholge für Kinder").
    """
    result = _read(text, index)
    if not result.corrections:
        return result
    corrected = _read(_corrected(text, result.corrections), index)
    corrected.text = text
    corrected.corrections = {**result.corrections, **corrected.corrections}
    return corrected


def _corrected(text: str, corrections: dict[str, str]) -> str:
    """Return the text with each corrected word (as typed) replaced by its correction."""
    for raw, folded in tokens(text):
        if folded in corrections:
            text = re.sub(rf"\b{re.escape(raw)}\b", corrections[folded], text)
    return text


def _read(text: str, index: SearchIndex) -> Understood:
    """Read a query once (see `understand`)."""
    result = Understood(text=text, age=age_of(text), counselling=asks_counselling(text))
    reader = _Reader(index, result)
    lexicon = reader.lexicon
    words = _words(text)
    result.language = _language(words)
    stems = {stem(w.folded) for w in words}
    consumed: set[str] = set()
    for phrase, needs in index.vocabulary.phrases.items():
        if phrase <= stems:
            reader.add_needs(needs, 1.0)
            consumed |= phrase - NEGATIONS
    in_phrase = _phrases(words, lexicon, reader)
    names = language_names()
    for_at: int | None = None
    for word in words:
        reader.origin, reader.position = word.raw, word.position
        folded = word.folded
        if folded in _FOR and _named_before(result, word.position):
            for_at = word.position
        elif folded in _CLAUSE:
            for_at = None
        for_whom = for_at is not None and word.position - for_at <= FOR_WORDS
        weight = FOR_WHOM if for_whom else 1.0
        if folded in FREE_WORDS:
            result.free = True
        elif folded in names and not word.hits:
            result.languages.append(names[folded])
        elif word.position in in_phrase or stem(folded) in consumed:
            reader.add_term(stem(folded), 1.0)
        elif word.hits:
            reader.read(folded, word.hits, weight)
        elif not is_stop_word(folded):
            reader.read(
                folded,
                weight=weight,
                correct=result.language == "de" and not word.german and not word.arabic,
            )
    result.need_scores = dict(reader.scores)
    content = [w for w in words if not is_stop_word(w.folded)]
    topical = set().union(*result.topic_words.values()) if result.topic_words else set()
    result.typed = tuple(stem(w.folded) for w in content)
    result.all_topical = all(w.position in topical for w in content)
    return result
