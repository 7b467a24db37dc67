"""The search index: active services with their need lists and BM25 weights per stem."""

from __future__ import annotations

import gc
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from ..model import Derived, Directory, Institution, Location, Service, newest_source_date
from ..needs import need_keys
from ..topics import all_topics, topic_order
from .analysis import STOP_WORDS, fold, is_stop_word, split_compound, stem, words
from .lexicon import text_topics, topic_lexicon
from .spelling import preload
from .vocabulary import Vocabulary, load_vocabulary, stamp_for

T = TypeVar("T")
# Arrays kept per index for filters (languages, postcodes, exclusions); the least used go.
INDEX_DERIVED_LIMIT = 256
K1 = 1.2
B = 0.75
# How much a word counts by where it stands.
SERVICE_NAME = 3.0
INSTITUTION_NAME = 2.0
CATEGORY = 2.0
DESCRIPTION = 1.0
# A part of a compound word counts this much of the whole word.
PART = 0.5
# A topic only its description names (not its name) counts this much, and this much
# towards the number of topics that makes a catch-all.
DESCRIBED = 0.6
DESCRIBED_COUNT = 0.5
# The access of a service used from home: as near to the quarter as a service in it.
ONLINE = "online"
# Sources older than this (about six years) may no longer describe the service.
OLD_DAYS = 6 * 365
FREE_WORDS = ("kostenlos", "kostenfrei", "gratis", "umsonst", "free", "unentgeltlich")


@dataclass(frozen=True, slots=True)
class Entry:
    """One active service with what the ranking needs to know about it."""

    service: Service
    institution: Institution
    needs: frozenset[str]
    languages: frozenset[str]
    audience: tuple[str, ...]
    free: bool
    location: Location | None
    hours: str | None
    # The service's topics from the data file; without any, those its texts name.
    topics: frozenset[str] = frozenset()
    derived: bool = False
    # The topics it is about: from the data file, or named in its name (not only described).
    primary: frozenset[str] = frozenset()


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Features:
    """What ranking reads about every entry, as arrays (position = entry number)."""

    needs: BoolArray  # entries x need keys (column order: need_column)
    need_column: dict[str, int]
    generalist: FloatArray  # how many needs beyond the first (capped), for a small penalty
    in_quarter: BoolArray
    free: BoolArray
    located: BoolArray
    lat: FloatArray
    lon: FloatArray
    hours: IntArray  # position in hours_texts, -1 without opening hours
    hours_texts: tuple[str, ...]
    order: IntArray  # rank of (institution name, service id), for stable ties
    topics: FloatArray  # entries x topic keys: 1 primary, DESCRIBED only described
    topic_column: dict[str, int]
    topic_count: FloatArray  # how many topics a service has (a catch-all has many)
    authority: BoolArray  # all its topics are benefits an authority processes
    treatment: BoolArray  # it offers medical treatment (a clinic, a doctor)
    old: BoolArray  # its newest source is older than OLD_DAYS (may have changed)


@dataclass(frozen=True)
class SearchIndex:
    """Entries, their features, stem postings (entry numbers with BM25 weights), the lexicon."""

    directory: Directory
    vocabulary: Vocabulary
    entries: tuple[Entry, ...]
    features: Features
    postings: dict[str, tuple[IntArray, FloatArray]]
    lexicon: frozenset[str]
    spellings: tuple[str, ...]
    # Topic and vocabulary words as spelled, for correcting typos.
    spelled: tuple[str, ...]
    # The known parts of compounds: lexicon, vocabulary, topic words, longer stop words.
    parts: frozenset[str]
    # Each stem of an institution's name -> the entries of that institution ("pro familia").
    named: dict[str, frozenset[int]] = field(default_factory=dict)
    # Things derived from the index on first use (suggestions, ranking arrays).
    _derived: Derived = field(
        default_factory=lambda: Derived(INDEX_DERIVED_LIMIT), repr=False, compare=False
    )

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return compute(), once per key for this index (the Directory's cache mechanism)."""
        return self._derived.get(key, compute)

    def text_scores(self, terms: dict[str, float]) -> FloatArray:
        """Return each entry's text match: its BM25 weights of the terms, times their weights."""
        found = [self.postings[term] for term in terms]
        if not found:
            return np.zeros(len(self.entries))
        # One pass adds every term's weights, entry by entry in the order of the terms
        # (times a weight of 1 they stay as they are).
        return cast(
            FloatArray,
            np.bincount(
                _joined([ids for ids, _ in found]),
                weights=_joined(
                    [
                        weights if weight == 1.0 else weight * weights
                        for (_, weights), weight in zip(found, terms.values(), strict=True)
                    ]
                ),
                minlength=len(self.entries),
            ),
        )


def _joined(arrays: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """Return arrays one after another as one (the array itself if it is the only one)."""
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


# Longer stop words are compound parts, as in Job-suche or Hausaufgaben-hilfe.
_FILLERS = frozenset(w for w in STOP_WORDS if len(w) > 3)


def _fields(service: Service, inst: Institution) -> list[tuple[str, float]]:
    return [
        (service.name, SERVICE_NAME),
        (inst.name, INSTITUTION_NAME),
        (inst.category or "", CATEGORY),
        (service.description, DESCRIPTION),
        (" ".join(service.audience), DESCRIPTION),
    ]


@lru_cache(maxsize=1024)
def _is_free(cost: str | None) -> bool:
    folded = fold(cost or "")
    return any(word in folded for word in FREE_WORDS)


@lru_cache(maxsize=65536)
def _named(text: str) -> frozenset[str]:
    """Return (cached: names and descriptions repeat) the topics a text names."""
    return frozenset(text_topics(text))


@lru_cache(maxsize=65536)
def _derived(text: str, needs: tuple[str, ...]) -> frozenset[str]:
    """Return the topics a text names that belong to one of a service's needs."""
    topics = all_topics()
    return frozenset(key for key in _named(text) if set(topics[key].needs) & set(needs))


def _old(inst: Institution) -> bool:
    """Return whether the newest source of an institution is older than OLD_DAYS."""
    newest = newest_source_date(inst.sources)
    return newest is not None and newest < date.today() - timedelta(days=OLD_DAYS)


def _entry(service: Service, inst: Institution) -> Entry:
    known = frozenset(t for t in service.topics if t in all_topics())
    primary = known or _derived(service.name, service.needs)
    topics = known or primary | _derived(service.description, service.needs)
    return Entry(
        service=service,
        institution=inst,
        needs=frozenset(service.needs),
        languages=frozenset(service.languages or inst.languages),
        audience=tuple(fold(a) for a in service.audience),
        free=_is_free(service.cost),
        location=inst.location,
        hours=service.opening_hours or inst.opening_hours,
        topics=topics,
        derived=not known,
        primary=primary,
    )


def _serves_quarter(entry: Entry) -> bool:
    """Return whether a service is in a quarter, or used online from anywhere (a city portal)."""
    return bool(entry.institution.quarter) or (
        entry.location is None and ONLINE in entry.service.access
    )


def _features(entries: tuple[Entry, ...]) -> Features:
    keys = need_keys()
    column = {key: i for i, key in enumerate(keys)}
    needs = np.zeros((len(entries), len(keys)), dtype=np.bool_)
    texts: dict[str, int] = {}
    hours = np.full(len(entries), -1, dtype=np.int32)
    for number, entry in enumerate(entries):
        for need in entry.needs:
            if need in column:
                needs[number, column[need]] = True
        if entry.hours:
            hours[number] = texts.setdefault(entry.hours, len(texts))
    ranked = sorted(
        range(len(entries)), key=lambda n: (entries[n].institution.name, entries[n].service.id)
    )
    order = np.empty(len(entries), dtype=np.int32)
    order[ranked] = np.arange(len(entries), dtype=np.int32)
    topic_column = topic_order()
    topics = np.zeros((len(entries), len(topic_column)), dtype=np.float64)
    benefits = np.array([all_topics()[k].benefit for k in topic_column], dtype=np.bool_)
    treatments = np.array([all_topics()[k].treatment for k in topic_column], dtype=np.bool_)
    for number, entry in enumerate(entries):
        for topic in entry.topics:
            topics[number, topic_column[topic]] = 1.0 if topic in entry.primary else DESCRIBED
    has = topics > 0
    count = has.sum(axis=1)
    return Features(
        topics=topics,
        topic_column=topic_column,
        topic_count=(topics == 1.0).sum(axis=1)
        + DESCRIBED_COUNT * (has & (topics < 1.0)).sum(axis=1),
        authority=(count > 0) & ((has & ~benefits).sum(axis=1) == 0),
        treatment=np.asarray((topics[:, treatments] >= 1.0).any(axis=1), dtype=np.bool_),
        old=np.array([_old(e.institution) for e in entries], dtype=np.bool_),
        needs=needs,
        need_column=column,
        generalist=np.array([min(len(e.needs) - 1, 4) for e in entries], dtype=np.float64),
        in_quarter=np.array([_serves_quarter(e) for e in entries], dtype=np.bool_),
        free=np.array([e.free for e in entries], dtype=np.bool_),
        located=np.array([e.location is not None for e in entries], dtype=np.bool_),
        lat=np.array([e.location.lat if e.location else np.nan for e in entries]),
        lon=np.array([e.location.lon if e.location else np.nan for e in entries]),
        hours=hours,
        hours_texts=tuple(texts),
        order=order,
    )


def build_index(directory: Directory, vocabulary: Vocabulary) -> SearchIndex:
    """Index every active service of active institutions in the directory.

    The cyclic garbage collector pauses meanwhile: the index makes no cycles, and with a
    large directory in memory its full collections would cost more than the build.
    """
    preload()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(directory, vocabulary)
    finally:
        if enabled:
            gc.enable()


def _build(directory: Directory, vocabulary: Vocabulary) -> SearchIndex:
    entries = tuple(
        _entry(service, inst)
        for inst in directory.institutions
        if inst.active
        for service in inst.services
        if service.status == "active"
    )
    texts: list[list[tuple[str, float]]] = []
    data_words: set[str] = set()
    for entry in entries:
        field_words = [
            (w, weight)
            for text, weight in _fields(entry.service, entry.institution)
            for w in words(text)
            if not is_stop_word(w)
        ]
        texts.append(field_words)
        data_words.update(w for w, _ in field_words)
    lexicon = frozenset(data_words | {stem(w) for w in data_words})
    splits: dict[str, list[str]] = {}

    def known(part: str) -> bool:
        return part in lexicon or vocabulary.knows(part) or part in _FILLERS

    for word in data_words:
        parts = split_compound(word, known)
        if parts:
            splits[word] = [stem(p) for p in parts if not is_stop_word(p)]
    return SearchIndex(
        directory=directory,
        vocabulary=vocabulary,
        entries=entries,
        features=_features(entries),
        postings=_postings(texts, splits),
        lexicon=lexicon,
        spellings=tuple(sorted(w for w in data_words if w.isalpha() and len(w) > 3)),
        spelled=tuple(sorted(set(vocabulary.words) | set(topic_lexicon().german))),
        parts=lexicon | vocabulary.terms.keys() | topic_lexicon().german_forms | _FILLERS,
        named=_named_entries(entries),
    )


def _named_entries(entries: tuple[Entry, ...]) -> dict[str, frozenset[int]]:
    """Return each stem of an institution name -> the numbers of that institution's entries."""
    found: dict[str, set[int]] = defaultdict(set)
    for number, entry in enumerate(entries):
        for word in words(entry.institution.name):
            if not is_stop_word(word):
                found[stem(word)].add(number)
    return {term: frozenset(numbers) for term, numbers in found.items()}


def _postings(
    texts: list[list[tuple[str, float]]], splits: dict[str, list[str]]
) -> dict[str, tuple[IntArray, FloatArray]]:
    counts: list[dict[str, float]] = []
    lengths: list[float] = []
    terms: dict[str, list[tuple[str, float]]] = {}
    for field_words in texts:
        tf: dict[str, float] = defaultdict(float)
        length = 0.0
        for word, weight in field_words:
            length += weight
            found = terms.get(word)
            if found is None:
                found = terms[word] = [(stem(word), 1.0)] + [
                    (p, PART) for p in splits.get(word, ())
                ]
            for term, share in found:
                tf[term] += weight * share
        counts.append(tf)
        lengths.append(length)
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    document_frequency: dict[str, int] = defaultdict(int)
    for tf in counts:
        for term in tf:
            document_frequency[term] += 1
    total = len(counts)
    ids: dict[str, array[int]] = defaultdict(lambda: array("i"))
    weights: dict[str, array[float]] = defaultdict(lambda: array("d"))
    for number, (tf, length) in enumerate(zip(counts, lengths, strict=True)):
        norm = K1 * (1 - B + B * length / (average or 1.0))
        for term, freq in tf.items():
            df = document_frequency[term]
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            ids[term].append(number)
            weights[term].append(idf * freq * (K1 + 1) / (freq + norm))
    return {
        term: (
            np.frombuffer(ids[term], dtype=np.int32),
            np.frombuffer(weights[term], dtype=np.float64),
        )
        for term in ids
    }


def index_for(directory: Directory) -> SearchIndex:
    """Return the index of a directory, built once (again only if its vocabulary changes).

    It is kept with the Directory (Directory.derived): a hot reload brings a new Directory
    and so a new index; a changed vocabulary file a new stamp and so a new index.
    """
    stamp = stamp_for(directory.path)
    return directory.derived(
        ("search", "index", stamp), lambda: build_index(directory, load_vocabulary(stamp[0]))
    )
