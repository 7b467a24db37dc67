"""Text analysis: folding, words, stop words, stemming and compound splitting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiqnet.search.analysis import (
    age_of,
    asks_counselling,
    fold,
    is_stop_word,
    known_affixes,
    split_compound,
    stem,
    tokens,
    words,
)

LEXICON = {
    "miet",
    "miete",
    "schulden",
    "schuld",
    "schuldner",
    "beratung",
    "erziehung",
    "kita",
    "platz",
    "haus",
    "aufgaben",
    "hilfe",
    "job",
    "suche",
}


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mietschulden", "mietschulden"),
        ("Ärger Öfen Übung", "aerger oefen uebung"),
        ("Straße", "strasse"),
        ("Café Déjà-vu", "cafe deja-vu"),
        ("İSTANBUL ılık", "istanbul ilik"),
        ("Þórður Łódź Søren Æsir", "thordur lodz soren aesir"),
        ("ـمدرسة", "مدرسه"),
    ],
)
def test_fold_spells_umlauts_out_and_drops_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_umlaut_and_spelled_out_forms_stem_alike() -> None:
    assert stem(fold("für")) == stem(fold("fuer"))
    assert stem(fold("Bürgergeld")) == stem(fold("Buergergeld"))
    assert stem("wohnungen") == stem("wohnung")


def test_words_keep_letters_and_digits_and_drop_single_letters() -> None:
    assert words("Kita-Platz für 2 Kinder, 47805!") == [
        "kita",
        "platz",
        "fuer",
        "2",
        "kinder",
        "47805",
    ]


def test_tokens_keep_the_word_as_written() -> None:
    assert tokens("Schuldner-Beratung") == [("Schuldner", "schuldner"), ("Beratung", "beratung")]


@pytest.mark.parametrize("word", ["und", "fuer", "the", "for", "bitte", "nicht"])
def test_stop_words_german_and_english(word: str) -> None:
    assert is_stop_word(word)


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("mietschulden", ["miet", "schulden"]),
        ("schuldnerberatung", ["schuldner", "beratung"]),
        ("erziehungsberatung", ["erziehung", "beratung"]),
        ("kitaplatz", ["kita", "platz"]),
        ("hausaufgabenhilfe", ["haus", "aufgaben", "hilfe"]),
        ("jobsuche", ["job", "suche"]),
    ],
)
def test_split_compound_into_known_parts(word: str, parts: list[str]) -> None:
    assert split_compound(word, LEXICON.__contains__) == parts


@pytest.mark.parametrize("word", ["beratung", "kita", "xyzxyzxyz", "schuldenxq"])
def test_split_compound_refuses_unknown_or_single_words(word: str) -> None:
    assert split_compound(word, LEXICON.__contains__) is None


def test_known_affixes_find_a_known_start_and_end() -> None:
    assert known_affixes("erziehungsfragen", LEXICON.__contains__) == ["erziehung"]
    assert known_affixes("inkassoschulden", LEXICON.__contains__) == ["schulden"]


@given(st.text(max_size=300))
def test_analysis_never_fails_on_any_text(text: str) -> None:
    assert isinstance(fold(text), str)
    for raw, word in tokens(text):
        assert raw and word
        assert isinstance(stem(word), str)
        split_compound(word, LEXICON.__contains__)
        known_affixes(word, LEXICON.__contains__)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=30))
def test_fold_is_idempotent_and_ascii_for_german_letters(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text).isascii()


@pytest.mark.parametrize("size", [40, 64, 3_200])
def test_compound_splitting_and_affixes_cost_a_bounded_number_of_lookups(size: int) -> None:
    asked: list[str] = []

    def known(part: str) -> bool:
        asked.append(part)
        return part in LEXICON

    word = ("haus" * size)[:size]
    split_compound(word, known)
    known_affixes(word, known)
    assert len(asked) <= 64 * 40 * 7
    assert all(len(part) <= 64 for part in asked)


def test_an_over_long_word_is_kept_whole_and_not_stemmed() -> None:
    word = "beratung" * 1_000
    assert stem(word) == word
    assert split_compound(word, LEXICON.__contains__) is None


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("16-jährige Tochter ritzt sich", 16.0),
        ("19-Jähriger aus Bulgarien", 19.0),
        ("Junger Mann, 22 Jahre, wohnungslos", 22.0),
        ("my son is 15 years old", 15.0),
        ("oğlum 16 yaşında", 16.0),
        ("Freizeit für Jugendliche", 15.0),
        ("youth club for teenagers", 15.0),
        ("Säugling schreit stundenlang", 0.5),
        ("Schulden und Depressionen", None),
        ("geöffnet um 15 Uhr", None),
        ("Wohnung mit 3 Zimmern", None),
    ],
)
def test_age_of_reads_the_age_a_query_tells(text: str, age: float | None) -> None:
    assert age_of(text) == age


@given(st.text(max_size=200))
def test_age_of_never_fails_and_reads_at_most_two_digits(text: str) -> None:
    age = age_of(text)
    assert age is None or 0 <= age < 100


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Beratung zum Aufenthalt", True),
        ("Schuldnerberatung", True),
        ("debt advice", True),
        ("borç danışmanlığı", True),
        ("استشارة اللجوء وتمديد الإقامة", True),
        ("Wohngeld beantragen", False),
        ("Beratungshilfeschein beantragen", False),
    ],
)
def test_asks_counselling_tells_counselling_from_an_office_procedure(text: str, asks: bool) -> None:
    assert asks_counselling(text) is asks
