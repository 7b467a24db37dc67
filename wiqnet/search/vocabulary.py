"""The vocabulary: everyday words and phrases that point to need keys, read from YAML."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from ..datafile.store import Document, load_yaml, parse_yaml
from ..errors import DataFileError, Problem
from ..needs import all_needs, suggest_need
from .analysis import NEGATIONS, is_stop_word, stem, words

FILE_NAME = "vocabulary.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """Stems and phrases (sets of stems) with the need keys they point to."""

    path: str
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[frozenset[str], tuple[str, ...]] = field(default_factory=dict)
    # Folded single words as written, for spelling correction and compound splitting.
    # A phrase matches when all its stems occur in a query, in any order; its words
    # (negations included, so "hört nicht" differs from "Hort") are not matched one by one.
    words: tuple[str, ...] = ()
    # The phrases in file order, and each stem -> the numbers of the phrases that use it.
    _numbered: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = field(
        init=False, repr=False, compare=False
    )
    _using: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the phrases by their stems."""
        numbered = tuple(self.phrases.items())
        using: dict[str, list[int]] = defaultdict(list)
        for number, (phrase, _) in enumerate(numbered):
            for term in phrase:
                using[term].append(number)
        object.__setattr__(self, "_numbered", numbered)
        object.__setattr__(self, "_using", {k: tuple(v) for k, v in using.items()})

    def phrases_among(self, stems: set[str]) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """Return the phrases all of whose stems are among stems, with their needs, in file order."""
        common = self._using.keys() & stems
        if not common:
            return []
        found = sorted({number for term in common for number in self._using[term]})
        return [self._numbered[n] for n in found if self._numbered[n][0] <= stems]

    def needs_of(self, term: str) -> tuple[str, ...]:
        """Return the need keys of a stem or folded word (empty if unknown)."""
        return self.terms.get(term, ())

    def knows(self, term: str) -> bool:
        """Return whether a stem or folded word is in the vocabulary."""
        return term in self.terms


def phrase_words(entry: str) -> list[str]:
    """Return the words of an entry that count: no stop words, except negations."""
    return [w for w in words(entry) if not is_stop_word(w) or w in NEGATIONS]


def default_path() -> Path:
    """Return the path of the vocabulary shipped inside the package."""
    return Path(str(files("wiqnet.search").joinpath(FILE_NAME)))


def path_for(data_path: str | os.PathLike[str]) -> Path:
    """Return the vocabulary next to the data file if there is one, else the packaged one."""
    beside = Path(data_path).with_name(FILE_NAME) if str(data_path) else None
    return beside if beside is not None and beside.is_file() else default_path()


def stamp_for(data_path: str) -> tuple[str, float, int]:
    """Return (path, mtime, size) of the vocabulary that belongs to a data file (one stat)."""
    if data_path:
        beside = _beside(data_path)
        try:
            info = os.stat(beside)
            return (beside, info.st_mtime, info.st_size)
        except OSError:
            pass
    return _default_stamp()


@lru_cache(maxsize=64)
def _beside(data_path: str) -> str:
    """Return (cached: every search asks) where a data file's own vocabulary would be."""
    return os.path.join(os.path.dirname(data_path), FILE_NAME)


@cache
def _default_stamp() -> tuple[str, float, int]:
    path = default_path()
    info = os.stat(path)
    return (str(path), info.st_mtime, info.st_size)


def load_vocabulary(path: str | os.PathLike[str]) -> Vocabulary:
    """Read and validate a vocabulary file; raise DataFileError listing located problems."""
    return build_vocabulary(load_yaml(path))


def parse_vocabulary(raw: bytes, shown: str) -> Vocabulary:
    """Read and validate vocabulary YAML given as bytes (shown as `shown` in messages)."""
    return build_vocabulary(parse_yaml(raw, shown))


def _did_you_mean(key: str) -> str:
    """Return ' (did you mean ...?)' for the need key closest to key, or ''."""
    guess = suggest_need(key)
    return f" (did you mean '{guess}'?)" if guess else ""


def validate_vocabulary(doc: Document) -> list[Problem]:
    """Return every problem of a vocabulary document, located by line and column."""
    problems: list[Problem] = []

    def add(key: tuple[str | int, ...], where: str, message: str) -> None:
        line, col = doc.position(key)
        problems.append(Problem(doc.path, line, col, where, message))

    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("words"), dict):
        add((), "", "the file needs a top-level 'words:' block with one list per need key")
        return problems
    for key in data:
        if key not in ("version", "words"):
            add((key, "#key"), key, "unknown top-level key; only 'version' and 'words' are allowed")
    needs = all_needs()
    for need, entries in data["words"].items():
        where = f"words.{need}"
        if need not in needs:
            add(
                ("words", need, "#key"),
                where,
                f"'{need}' is not a need category{_did_you_mean(need)}; "
                f"the keys are: {', '.join(needs)}",
            )
            continue
        if not isinstance(entries, list):
            add(("words", need), where, "expected a list of words, one per line starting with '- '")
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, str) or not entry.strip():
                add(
                    ("words", need, i),
                    f"{where}[{i}]",
                    "each entry must be a word or phrase in plain text",
                )
            elif all(is_stop_word(w) for w in words(entry)):
                add(
                    ("words", need, i),
                    f"{where}[{i}]",
                    f"'{entry}' has only stop words (like 'und', 'für') and would never match",
                )
    return problems


def build_vocabulary(doc: Document) -> Vocabulary:
    """Validate a parsed vocabulary document and build the lookup tables."""
    problems = validate_vocabulary(doc)
    if problems:
        raise DataFileError("\n".join(str(p) for p in problems))
    terms: dict[str, list[str]] = defaultdict(list)
    phrases: dict[frozenset[str], list[str]] = defaultdict(list)
    written: set[str] = set()
    for need, entries in doc.data["words"].items():
        for entry in entries:
            content = phrase_words(entry)
            if len(content) == 1:
                written.add(content[0])
                for term in {content[0], stem(content[0])}:
                    if need not in terms[term]:
                        terms[term].append(need)
            else:
                key = frozenset(stem(w) for w in content)
                if need not in phrases[key]:
                    phrases[key].append(need)
    return Vocabulary(
        path=doc.path,
        terms={k: tuple(v) for k, v in terms.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
        words=tuple(sorted(written)),
    )
