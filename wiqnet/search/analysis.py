"""German text analysis: folding, words, stop words, stemming and compound splitting."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

MIN_PART = 3
MIN_COMPOUND = 6
# Linking elements ("Fugen") between the parts of a German compound.
LINKERS = ("s", "es", "n", "en", "e", "er")

STOP_WORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
auch auf aus bei beim bin bis bist da damit dann das dass dem den denn der des dessen die dies
diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines einige
einmal er es etwas euch euer eure fuer gegen gibt habe haben hat hatte hier hin hinter ich ihm
ihn ihnen ihr ihre ihrem ihren ihrer im in ins ist ja jede jedem jeden jeder jedes jetzt kann
koennen koennte man manche mein meine meinem meinen meiner mich mir mit moechte muss nach nicht
noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seit sich sie sind so soll
sollte sondern sonst ueber um und uns unser unsere unter viel vom von vor war waren was weil
welche wenn wer werden wie wieder will wir wird wo wollen wuerde zu zum zur zwar zwischen
kein keine keinem keinen keiner bitte gerne dringend schnell suche suchen gesucht brauche
braucht brauchen benoetigt hilfe helfen hilft unterstuetzung angebot angebote
a about an and are as at be by can do does for from get has have help how i in is it me my
need needs of on or our please some support that the their them there they this to want
wants we what where which who with would you your
""".split())
# German numerals and fillers that say nothing about the need.
STOP_WORDS |= frozenset("ein zwei drei vier fuenf sechs jahr jahre jahren alt".split())

# Stop words that still count inside a phrase: "hört nicht" is not "Hort".
NEGATIONS = frozenset("nicht kein keine keinem keinen keiner ohne no not without".split())

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ø": "o",
                       "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower-case text, spell umlauts out (ä=ae, ß=ss) and drop other accents."""
    lowered = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[tuple[str, str]]:
    """Return the words of text (letters and digits) as (as written, folded) pairs."""
    pairs = []
    for raw in _WORD.findall(text):
        for folded in _WORD.findall(fold(raw)):
            if len(folded) > 1 or folded.isdigit():
                pairs.append((raw, folded))
    return pairs


def words(text: str) -> list[str]:
    """Return the folded words of text (letters and digits), in order."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 or w.isdigit()]


def is_stop_word(word: str) -> bool:
    """Return whether a folded word is a German or English stop word."""
    return word in STOP_WORDS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Snowball German stem of a folded word."""
    if not word.isascii() or not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


def split_compound(word: str, known: Callable[[str], bool]) -> list[str] | None:
    """Split a folded compound into known parts (fewest parts wins), or return None.

    `known(part)` says whether a part is a word or stem of the lexicon; linking
    elements (Fugen-s, -n, -en ...) between parts are skipped.
    """
    if len(word) < MIN_COMPOUND:
        return None
    size = len(word)
    best: list[list[str] | None] = [None] * (size + 1)
    best[size] = []
    for start in range(size - MIN_PART, -1, -1):
        choice: list[str] | None = None
        for end in range(size, start + MIN_PART - 1, -1):
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
    found = []
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        if known(word[:end]):
            found.append(word[:end])
            break
    for start in range(MIN_PART, len(word) - MIN_PART - 1):
        if known(word[start:]):
            found.append(word[start:])
            break
    return found
