"""Understanding a query: its topics, needs, stems for text matching, language and wishes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import product

from babel import Locale

from ..topics import all_topics
from .analysis import (
    NEGATIONS,
    age_of,
    asks_counselling,
    fold,
    is_stop_word,
    stem,
    tokens,
)
from .index import FREE_WORDS, PART, SearchIndex
from .lexicon import (
    Hit,
    TopicLexicon,
    phrases_in,
    topic_lexicon,
    word_hits,
)
from .words import (
    Word,
    affix_parts,
    compound_parts,
    correction,
    language_of,
    per_word,
    query_words,
)

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
        parts = per_word(self.index, "compound", compound_parts)(word)
        if parts and self._parts(parts, weight):
            return True
        known = bool(parts) or base in self.index.lexicon or word.isdigit()
        if correct and not known and self._fix(word, "spelled", weight):
            return True
        affixes = per_word(self.index, "affixes", affix_parts)(word)
        if affixes and self._parts(affixes, weight):
            return True
        if correct and not known:
            return self._fix(word, "spellings", weight)
        return known

    def _fix(self, word: str, choices: str, weight: float) -> bool:
        """Read the closest spelling of an unknown word (`choices`: an index field) instead."""
        fixed = per_word(self.index, choices, correction)(word)
        if fixed is None or fixed == word:
            return False
        self.result.corrections[word] = fixed
        hits = word_hits(fixed, True)[1]
        return self.read(fixed, hits, weight, correct=False)


# The words of a phrase stand at most this many words beyond the phrase's length apart.
PHRASE_GAP = 2


def _close(key: frozenset[str], words: list[Word]) -> list[int]:
    """Return the positions of a phrase's words if they stand close together, else []."""
    where = [[w.position for w in words if form in w.forms] for form in sorted(key)]
    best: list[int] = []
    for choice in product(*where):
        if max(choice) - min(choice) < len(key) + PHRASE_GAP and (
            not best or max(choice) - min(choice) < max(best) - min(best)
        ):
            best = sorted(set(choice))
    return best


def _phrases(words: list[Word], lexicon: TopicLexicon, reader: _Reader) -> set[int]:
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
    words = query_words(text)
    result.language = language_of(words)
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
