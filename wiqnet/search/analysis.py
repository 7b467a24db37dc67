"""German text analysis: folding, words, stop words, stemming, compounds and ages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from itertools import chain

import snowballstemmer
import yaml

MIN_PART = 3
MIN_COMPOUND = 6
# Longer words are not split, and no part is longer: the cost stays bounded for any input.
MAX_COMPOUND = 64
MAX_PART = 32
# Linking elements ("Fugen") between the parts of a German compound.
LINKERS = ("s", "es", "n", "en", "e", "er")


QUERY_LANGUAGES = ("de", "en", "tr", "ar")


def _load_stop_words() -> tuple[dict[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """Read the stop words per query language, the negations and the verbs (package data)."""
    raw = yaml.safe_load(files("wiqnet.search").joinpath("stopwords.yaml").read_text("utf-8"))
    by_language = {lang: frozenset(fold(w) for w in raw[lang].split()) for lang in QUERY_LANGUAGES}
    return by_language, frozenset(raw["negations"].split()), frozenset(raw["verbs"].split())


# Letters spelled out when folding. No spelling is itself a letter of the table, so
# replacing them one after another is the same as one translation (and much faster).
_SPELLED = (
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
    ("ß", "ss"),
    ("ı", "i"),
    ("ø", "o"),
    ("æ", "ae"),
    ("œ", "oe"),
    ("ł", "l"),
    ("đ", "d"),
    ("ð", "d"),
    ("þ", "th"),
    ("ى", "ي"),
    ("ة", "ه"),
    ("ـ", ""),
)
# Umlauts as plain vowels, the way they are typed without a German keyboard.
_PLAIN = str.maketrans(
    {"ß": "ss", "ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ى": "ي", "ة": "ه", "ـ": None}
)
_WORD = re.compile(r"[^\W_]+")
# Arabic short vowels, shadda, sukun and tatweel: written or not, the word is the same.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_STEMMER = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower-case text, spell umlauts out (ä=ae, ß=ss) and drop other accents."""
    lowered = text.casefold()
    if lowered.isascii():  # _SPELLED changes no ASCII letter
        return lowered
    for letter, spelled in _SPELLED:
        if letter in lowered:
            lowered = lowered.replace(letter, spelled)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_BY_LANGUAGE, NEGATIONS, VERBS = _load_stop_words()
STOP_WORDS = frozenset().union(*STOP_BY_LANGUAGE.values())


@lru_cache(maxsize=65536)
def plain(word: str) -> str:
    """Fold like `fold`, but write umlauts as plain vowels (ä=a, ş=s), as typed abroad."""
    lowered = word.casefold().translate(_PLAIN)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_arabic(word: str) -> bool:
    """Return whether a word is written in Arabic script."""
    return _ARABIC.search(word) is not None


def tokens(text: str) -> list[tuple[str, str]]:
    """Return the words of text (letters and digits) as (as written, folded) pairs."""
    # No word spans white space: each part between spaces is read (and cached) alone.
    return list(chain.from_iterable(map(_pairs, text.split())))


@lru_cache(maxsize=65536)
def _pairs(part: str) -> tuple[tuple[str, str], ...]:
    """Return (cached: words repeat) the (as written, folded) pairs of a text without spaces."""
    return tuple(
        (raw, folded)
        for raw in _WORD.findall(_MARKS.sub("", part))
        for folded in _WORD.findall(fold(raw))
        if len(folded) > 1 or folded.isdigit()
    )


@lru_cache(maxsize=65536)
def _fold_part(part: str) -> str:
    """Return (cached: words repeat) a text without spaces folded."""
    return fold(part)


def words(text: str) -> list[str]:
    """Return the folded words of text (letters and digits), in order."""
    # As in `tokens`: each part between spaces is read (and cached) alone, never a whole text.
    return list(chain.from_iterable(map(_part_words, text.split())))


@lru_cache(maxsize=65536)
def _part_words(part: str) -> tuple[str, ...]:
    """Return (cached: words repeat) the folded words of a text without spaces."""
    return tuple(w for w in _WORD.findall(fold(part)) if len(w) > 1 or w.isdigit())


def is_stop_word(word: str) -> bool:
    """Return whether a folded word is a German or English stop word."""
    return word in STOP_WORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Snowball German stem of a folded word (over-long words stay as they are).

    A stem ending in "s" loses it as the word itself would, so that singular and plural
    meet: Snowball makes "kurse" "kurs" but "kurs" "kur".
    """
    if not word.isascii() or not word.isalpha() or len(word) > MAX_COMPOUND:
        return word
    first = str(_STEMMER.stemWord(word))
    if first.endswith("s") and first != word:
        again = str(_STEMMER.stemWord(first))
        if again == first[:-1]:
            return again
    return first


def split_compound(word: str, known: Callable[[str], bool]) -> list[str] | None:
    """Split a folded compound into known parts (fewest parts wins), or return None.

    `known(part)` says whether a part is a word or stem of the lexicon; linking
    elements (Fugen-s, -n, -en ...) between parts are skipped.
    """
    if not MIN_COMPOUND <= len(word) <= MAX_COMPOUND:
        return None
    size = len(word)
    best: list[list[str] | None] = [None] * (size + 1)
    best[size] = []
    for start in range(size - MIN_PART, -1, -1):
        choice: list[str] | None = None
        for end in range(min(size, start + MAX_PART), start + MIN_PART - 1, -1):
            part = word[start:end]
            if not known(part):
                continue
            for gap in ("", *LINKERS):
                if not word.startswith(gap, end):
                    continue
                rest = best[end + len(gap)]
                if rest is not None and (choice is None or len(rest) + 1 < len(choice)):
                    choice = [part, *rest]
        best[start] = choice
    parts = best[0]
    return parts if parts is not None and len(parts) > 1 else None


def known_affixes(word: str, known: Callable[[str], bool]) -> list[str]:
    """Return the longest known start and end of a word that does not split fully.

    For "Erziehungsfragen" with only "Erziehung" known this gives ["erziehung"].
    """
    found: list[str] = []
    if len(word) > MAX_COMPOUND:
        return found
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        if known(word[:end]):
            found.append(word[:end])
            break
    for start in range(MIN_PART, len(word) - MIN_PART - 1):
        if known(word[start:]):
            found.append(word[start:])
            break
    return found


# "16-jährige", "19-Jähriger", "22 Jahre", "15 years old", "16 yaşında": the age a query tells.
# A number of one or two digits at a word start ("\b\d{1,2}", written to start with a digit,
# so that a search skips straight to the digits).
_AGE = re.compile(r"(\d(?<!\w\d)\d?)\s*-?\s*(?:jaehrig|jahrig|jahre|years?\b|yas)")
# Words that name an age group without a number (folded; a word starting with one counts).
AGE_WORDS = {
    "jugendlich": 15.0,
    "teenager": 15.0,
    "teens": 15.0,
    "youth": 15.0,
    "ergen": 15.0,
    "مراهق": 15.0,
    "baby": 0.5,
    "babies": 0.5,
    "saeugling": 0.5,
    "bebek": 0.5,
    "رضيع": 0.5,
}
# The first word (one a line) starting with one of AGE_WORDS, and the first of them it starts with.
_AGE_WORD = re.compile(f"^(?:{'|'.join(map(re.escape, AGE_WORDS))})", re.MULTILINE)


def age_of(text: str) -> float | None:
    """Return the age a query tells (a number of years or an age group's word), or None."""
    # Folding keeps white space where it was, and the pattern reads any run of it alike.
    found = _AGE.search(" ".join(map(_fold_part, text.split())))
    if found:
        return float(found.group(1))
    named = _AGE_WORD.search("\n".join(words(text)))
    return AGE_WORDS[named.group()] if named else None


# Words that ask for counselling ("Beratung zum Aufenthalt", "استشارة اللجوء"), folded, one
# word a line; "Beratungshilfe" is a benefit the court grants, no counselling. "berat" at a
# word start is written as "berat" after no other letter, so that every alternative starts
# with a letter and a search skips to those.
_COUNSELLING = re.compile(
    r"beratung(?!shilfe)|berat(?<![^\n]berat)(?!ungshilfe)|counsel|advice|advis|danisman|استشار"
)


def asks_counselling(text: str) -> bool:
    """Return whether a query asks for counselling rather than for an office's procedure."""
    # One word a line: no match spans two words.
    return _COUNSELLING.search("\n".join(words(text))) is not None
