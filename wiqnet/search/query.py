"""Understanding a query: its topics, needs, stems for text matching, language and wishes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import product
from operator import attrgetter

from babel import Locale

from ..topics import all_topics
from .analysis import NEGATIONS, age_of, asks_counselling, fold, tokens
from .index import FREE_WORDS, SearchIndex
from .lexicon import Hit, TopicLexicon, topic_lexicon
from .reading import NEEDS, TERM, TOPICS, plan_for
from .words import Word, language_of, query_words

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
_FREE = frozenset(FREE_WORDS)
_PHRASES = attrgetter("phrases")
_FORMS = attrgetter("forms")
# How much the words of a situation outside one part count for that part's text match.
CONTEXT = 0.25
# A topic also asks for its needs: its home need fully, the others this much.
OTHER_NEED = 0.5


@dataclass(slots=True)
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
        positions = set().union(*map(self.topic_words.__getitem__, topics))
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
            for need, share in _need_shares(topic):
                part.need_scores[need] = part.need_scores.get(need, 0.0) + share
        # The rest of the story still tells who asks ("Mutter", "Kinder"), at less weight.
        part.terms = {
            t: w if not positions.isdisjoint(self.term_words.get(t, ())) else w * CONTEXT
            for t, w in self.terms.items()
        }
        part.term_words = {t: self.term_words[t] for t in part.terms}
        return part


@cache
def _need_shares(topic: str) -> tuple[tuple[str, float], ...]:
    """Return (cached per topic) a topic's needs with the share of its weight each gets."""
    needs = all_topics()[topic].needs
    return tuple((need, 1.0 if number == 0 else OTHER_NEED) for number, need in enumerate(needs))


def _strongest(scores: dict[str, float]) -> list[str]:
    """Return the keys scoring at least NEED_SHARE of the best, strongest first."""
    if not scores:
        return []
    least = max(scores.values()) * NEED_SHARE
    keys = [k for k, v in scores.items() if v >= least]
    if len(keys) > 1:
        # Sorted by key, then (stable) by score: ties stay in key order.
        keys.sort()
        keys.sort(key=scores.__getitem__, reverse=True)
    return keys


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
        self.plan = plan_for(index)
        self.result = result
        self.scores: dict[str, float] = defaultdict(float)
        self.origin = ""
        self.position = 0

    def add_needs(self, needs: tuple[str, ...], weight: float) -> None:
        for need in needs:
            self.scores[need] += weight / len(needs)

    def add_topics(self, hits: tuple[Hit, ...], weight: float) -> None:
        self.add_keys(tuple(dict.fromkeys(key for key, _ in hits)), weight)

    def add_keys(self, keys: tuple[str, ...], weight: float) -> None:
        """Add topics (and their needs) by their keys, sharing the weight."""
        result, scores = self.result, self.scores
        for key in keys:
            share = weight / len(keys)
            result.topic_scores[key] = result.topic_scores.get(key, 0.0) + share
            result.topic_words.setdefault(key, set()).add(self.position)
            for need, factor in _need_shares(key):
                scores[need] += share * factor

    def add_term(self, term: str, weight: float) -> None:
        if term in self.index.postings:
            result = self.result
            result.terms[term] = max(result.terms.get(term, 0.0), weight)
            result.sources.setdefault(term, self.origin or term)
            result.term_words.setdefault(term, set()).add(self.position)

    def read(self, word: str, hits: tuple[Hit, ...], weight: float, correct: bool) -> None:
        """Read one content word at a weight, as planned for the index (reading.py)."""
        for kind, values, share in self.plan(word, hits, correct):
            if kind == TERM:
                self.add_term(values[0], weight * share)
            elif kind == NEEDS:
                self.add_needs(values, weight * share)
            elif kind == TOPICS:
                self.add_keys(values, weight * share)
            else:
                self.result.corrections[values[0]] = values[1]


# The words of a phrase stand at most this many words beyond the phrase's length apart.
PHRASE_GAP = 2


def _close(key: frozenset[str], words: list[Word]) -> list[int]:
    """Return the positions of a phrase's words if they stand close together, else []."""
    where = [[n for n, w in enumerate(words) if form in w.forms] for form in sorted(key)]
    best: list[int] = []
    # The closest choice so far, and how far apart its words may stand to be closer.
    widest = len(key) + PHRASE_GAP
    for choice in product(*where):
        spread = max(choice) - min(choice)
        if spread < widest:
            best, widest = sorted(set(choice)), spread
    return best


def _phrases(words: list[Word], lexicon: TopicLexicon, reader: _Reader) -> set[int]:
    """Read the topic phrases whose words all occur; return the positions they used."""
    used: set[int] = set()
    candidates = set().union(*map(_PHRASES, words))
    if not candidates:
        return used
    matched = set().union(*map(_FORMS, words))
    for key in sorted(filter(matched.issuperset, candidates), key=sorted):
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
    words = query_words(text)
    result.language = language_of(words)
    stems = {w.stem for w in words}
    consumed: set[str] = set()
    for phrase, needs in index.vocabulary.phrases_among(stems):
        reader.add_needs(needs, 1.0)
        consumed |= phrase - NEGATIONS
    in_phrase = _phrases(words, reader.lexicon, reader)
    names = language_names()
    for_at: int | None = None
    for position, word in enumerate(words):
        reader.origin, reader.position = word.raw, position
        folded = word.folded
        if folded in _FOR and _named_before(result, position):
            for_at = position
        elif folded in _CLAUSE:
            for_at = None
        for_whom = for_at is not None and position - for_at <= FOR_WORDS
        weight = FOR_WHOM if for_whom else 1.0
        if folded in _FREE:
            result.free = True
        elif folded in names and not word.hits:
            result.languages.append(names[folded])
        elif position in in_phrase or word.stem in consumed:
            reader.add_term(word.stem, 1.0)
        elif word.hits:
            reader.read(folded, word.hits, weight, True)
        elif not word.stop:
            correct = result.language == "de" and not word.german and not word.arabic
            reader.read(folded, (), weight, correct)
    result.need_scores = dict(reader.scores)
    content = [n for n, w in enumerate(words) if not w.stop]
    topical = set().union(*result.topic_words.values()) if result.topic_words else set()
    result.typed = tuple(words[n].stem for n in content)
    result.all_topical = all(n in topical for n in content)
    return result
