"""The topic lexicon: the everyday words of every topic in four languages, as lookup forms.

A word is looked up by several forms, so that it matches however it is typed:
folded (ä=ae), plain (ä=a, ş=s, Arabic without diacritics), and stemmed by its
language's rules (Snowball German, English and Turkish; for Arabic the article and
attached particles are removed). Turkish and Arabic add endings to words, so a
Turkish or Arabic form also matches as the start of a longer query word.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from ..topics import LANGUAGES, all_topics
from .analysis import NEGATIONS, STOP_BY_LANGUAGE, STOP_WORDS, fold, is_arabic, plain, stem, tokens

# Topic hits: (topic key, language of the word).
Hit = tuple[str, str]
# Turkish and Arabic forms match as the start of a word with up to this many more letters.
SUFFIX = {"tr": 5, "ar": 3}
MIN_PREFIX = {"tr": 4, "ar": 3}
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل")

# Only words with Turkish letters go through the (slow) Turkish stemmer; words typed
# without them are matched by their start.
_TURKISH_LETTERS = frozenset("çğış")
_ENGLISH = snowballstemmer.stemmer("english")
_TURKISH = snowballstemmer.stemmer("turkish")


@lru_cache(maxsize=65536)
def arabic_base(word: str) -> str:
    """Return a folded Arabic word without its article or a leading particle (و، ب، ل)."""
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


@lru_cache(maxsize=65536)
def turkish_stem(lower: str) -> str:
    """Return the Snowball Turkish stem of a word, plain (ş=s); the word if that is too short."""
    stemmed = plain(str(_TURKISH.stemWord(lower)))
    return stemmed if len(stemmed) >= MIN_PREFIX["tr"] else plain(lower)


@lru_cache(maxsize=65536)
def canonical(lower: str, lang: str) -> str:
    """Return the one form a word of a language is compared by (its stem, folded)."""
    folded = fold(lower)
    if lang == "de":
        return stem(folded)
    if lang == "en":
        return str(_ENGLISH.stemWord(folded)) if folded.isascii() else folded
    if lang == "tr":
        # In phrases, the stem without its last letter: Turkish softens it before an
        # ending (danışmanlık -> danışmanlığı); words typed without ş/ğ/ı match by their start.
        stemmed = turkish_stem(lower)
        return stemmed[: max(MIN_PREFIX["tr"], len(stemmed) - 1)]
    return arabic_base(folded)


@lru_cache(maxsize=65536)
def forms(lower: str) -> frozenset[str]:
    """Return every lookup form of a lower-cased word as typed."""
    if is_arabic(lower):
        return frozenset({fold(lower), canonical(lower, "ar")})
    found = {lower, fold(lower), plain(lower), canonical(lower, "de"), canonical(lower, "en")}
    if any(c in _TURKISH_LETTERS for c in lower):
        found |= {canonical(lower, "tr"), turkish_stem(lower)}
    return frozenset(found)


@lru_cache(maxsize=65536)
def english_only(lower: str) -> str:
    """Return a word's English stem when no other lookup form equals it, else ""."""
    english = canonical(lower, "en")
    others = {lower, fold(lower), plain(lower), canonical(lower, "de")}
    return "" if english in others else english


def prefix_bases(lower: str) -> tuple[tuple[str, str], ...]:
    """Return (language, base) pairs whose starts may be a Turkish or Arabic form."""
    if is_arabic(lower):
        return (("ar", arabic_base(fold(lower))),)
    return (("tr", plain(lower)),)


@dataclass(frozen=True)
class TopicLexicon:
    """Forms -> topic hits, phrases (sets of forms) -> topic hits, and the spelled words."""

    words: dict[str, tuple[Hit, ...]]
    phrases: dict[frozenset[str], tuple[Hit, ...]]
    # Every form used by a phrase, and the Turkish/Arabic forms usable as word starts.
    phrase_forms: frozenset[str]
    prefixes: dict[str, dict[str, tuple[Hit, ...]]]
    # Folded single German words (for spelling correction) and their stems (compound parts).
    german: tuple[str, ...]
    german_forms: frozenset[str]
    # Each phrase form -> the phrases that use it.
    phrases_with: dict[str, tuple[frozenset[str], ...]]

    def knows(self, form: str) -> bool:
        """Return whether a form belongs to a topic word or phrase."""
        return form in self.words or form in self.phrase_forms

    def matched(self, lower: str, german: bool = False) -> set[str]:
        """Return the lexicon forms a lower-cased query word matches (exactly or by its start).

        A known German word (`german`) is not read as a Turkish word with an ending
        ("Montag" is no "mont").
        """
        found = {f for f in forms(lower) if f in self.words or f in self.phrase_forms}
        for lang, base in prefix_bases(lower):
            if german and lang == "tr":
                continue
            table = self.prefixes[lang]
            for end in range(
                len(base) - 1, max(MIN_PREFIX[lang], len(base) - SUFFIX[lang]) - 1, -1
            ):
                if base[:end] in table:
                    found.add(base[:end])
        return found

    def prefix_hits(self, form: str) -> tuple[Hit, ...]:
        """Return the hits of a Turkish or Arabic form matched as a word start."""
        return self.prefixes["tr"].get(form, ()) + self.prefixes["ar"].get(form, ())


def _content(entry: str, lang: str) -> list[str]:
    """Return the lower-cased words of an entry that count: no stop words, but negations."""
    return [
        raw.casefold()
        for raw, folded in tokens(entry)
        if folded not in STOP_BY_LANGUAGE[lang] or folded in NEGATIONS
    ]


@cache
def topic_lexicon() -> TopicLexicon:
    """Build (once) the lexicon of the shipped topics."""
    words: dict[str, list[Hit]] = defaultdict(list)
    phrases: dict[frozenset[str], list[Hit]] = defaultdict(list)
    prefixes: dict[str, dict[str, list[Hit]]] = {"tr": defaultdict(list), "ar": defaultdict(list)}
    german: set[str] = set()
    for topic in all_topics().values():
        for lang in LANGUAGES:
            for entry in topic.words[lang]:
                content = _content(entry, lang)
                if not content:
                    continue
                hit = (topic.key, lang)
                if len(content) > 1:
                    key = frozenset(canonical(w, lang) for w in content)
                    if hit not in phrases[key]:
                        phrases[key].append(hit)
                    if lang in prefixes:
                        for form in key:
                            if len(form) >= MIN_PREFIX[lang]:
                                prefixes[lang].setdefault(form, [])
                    continue
                word = content[0]
                # Short words match only as written: Turkish "iş" is not English "is".
                own = turkish_stem(word) if lang == "tr" else canonical(word, lang)
                variants = (
                    {word}
                    if len(plain(word)) <= 3
                    else {f for f in (word, fold(word), plain(word), own) if len(f) > 3}
                )
                for form in variants:
                    if hit not in words[form]:
                        words[form].append(hit)
                if lang in prefixes:
                    base = canonical(word, lang) if lang == "ar" else plain(word)
                    if len(base) >= MIN_PREFIX[lang] and hit not in prefixes[lang][base]:
                        prefixes[lang][base].append(hit)
                if lang == "de":
                    german.add(fold(word))
    return TopicLexicon(
        words={k: tuple(v) for k, v in words.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
        phrase_forms=frozenset(f for key in phrases for f in key),
        prefixes={
            lang: {k: tuple(v) for k, v in table.items()} for lang, table in prefixes.items()
        },
        german=tuple(sorted(german)),
        german_forms=frozenset(german | {stem(w) for w in german}),
        phrases_with={
            form: tuple(key for key in phrases if form in key)
            for form in {f for key in phrases for f in key}
        },
    )


def phrases_in(lexicon: TopicLexicon, matched: set[str]) -> list[frozenset[str]]:
    """Return the phrases all of whose forms are among the matched forms."""
    candidates = {key for form in matched for key in lexicon.phrases_with.get(form, ())}
    return [key for key in candidates if key <= matched]


def _phrase_hits(lexicon: TopicLexicon, matched: set[str]) -> list[Hit]:
    return [hit for key in phrases_in(lexicon, matched) for hit in lexicon.phrases[key]]


def topic_hits(forms: Iterable[str]) -> tuple[Hit, ...]:
    """Return the topic hits of lexicon forms (Turkish and Arabic ones also as word starts)."""
    lexicon = topic_lexicon()
    found: dict[Hit, None] = {}
    for form in forms:
        for hit in lexicon.words.get(form) or lexicon.prefix_hits(form):
            found[hit] = None
    return tuple(found)


@lru_cache(maxsize=65536)
def word_hits(lower: str) -> tuple[Hit, ...]:
    """Return (cached: words repeat) the topic hits of a lower-cased word read as German."""
    return topic_hits(_word_forms(lower))


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> frozenset[str]:
    return frozenset(topic_lexicon().matched(word, german=True))


def text_topics(text: str) -> dict[str, str]:
    """Return the topics a German (or English) text names -> the word that named it."""
    lexicon = topic_lexicon()
    found: dict[str, str] = {}
    matched: set[str] = set()
    for raw, _ in tokens(text):
        if raw.casefold() in STOP_WORDS:
            continue
        forms = _word_forms(raw.casefold())
        matched |= forms
        for form in forms:
            for key, lang in lexicon.words.get(form, ()):
                if lang in ("de", "en"):
                    found.setdefault(key, raw)
    for key, lang in _phrase_hits(lexicon, matched):
        if lang in ("de", "en"):
            found.setdefault(key, text)
    return found
