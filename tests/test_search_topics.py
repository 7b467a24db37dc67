"""The topics contract (wiqnet/topics.yaml) and reading topics in four languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SMALL

from wiqnet.datafile.load import load_directory
from wiqnet.datafile.store import load_yaml
from wiqnet.datafile.validate import schema, validate_document
from wiqnet.needs import all_needs
from wiqnet.search.analysis import plain
from wiqnet.search.index import index_for
from wiqnet.search.query import understand
from wiqnet.topics import LANGUAGES, all_topics, suggest_topic, topic_keys, topic_label

ISSUE_EXAMPLES = [
    "schuldnerberatung", "insolvenzberatung", "p-konto", "wohngeld", "kinderzuschlag",
    "bildung-und-teilhabe", "elterngeld", "unterhaltsvorschuss", "erziehungsberatung",
    "trennung-umgang", "schwangerschaftsberatung", "fruehe-hilfen", "kinderschutz", "kita-platz",
    "kindertagespflege", "ogs", "hausaufgabenhilfe", "nachhilfe", "schulsozialarbeit",
    "integrationskurs", "alphabetisierung", "migrationsberatung", "asylberatung", "anerkennung",
    "suchtberatung", "wohnungsnotfallhilfe", "raeumungsschutz", "gewaltschutz", "frauenhaus",
    "kleiderkammer", "lebensmittel", "psychische-gesundheit", "jobsuche", "buergergeld",
    "aufenthalt", "behinderung", "fruehfoerderung", "freizeit-kinder-jugend", "senioren",
    "rundfunkbeitrag",
]
_ARABIC_MARKS = "\u064e\u0650\u064f"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("topics") / "institutions.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return index_for(load_directory(path))


def test_every_topic_names_real_needs_labels_and_words_in_four_languages() -> None:
    for topic in all_topics().values():
        assert topic.needs and set(topic.needs) <= set(all_needs()), topic.key
        for lang in LANGUAGES:
            assert topic.label(lang) and topic.words[lang], (topic.key, lang)
        assert any("\u0600" <= c <= "\u06ff" for w in topic.words["ar"] for c in w), topic.key


def test_the_issue_examples_and_every_need_have_topics() -> None:
    assert set(ISSUE_EXAMPLES) <= set(topic_keys())
    homes = {topic.needs[0] for topic in all_topics().values()}
    assert homes == set(all_needs())


def test_schema_topic_enum_equals_topics_yaml() -> None:
    items = schema()["$defs"]["service"]["properties"]["topics"]["items"]
    assert items["enum"] == list(topic_keys())


def test_an_unknown_topic_in_the_data_is_reported_with_a_suggestion(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    small_data["institutions"][0]["services"][0]["topics"] = ["schuldenberatung"]
    problems = validate_document(load_yaml(directory_yaml(small_data)))
    assert any("'schuldenberatung' is not a topic (did you mean 'schuldnerberatung'?)"
               in p.message for p in problems)


def test_topics_in_the_data_are_read_into_the_model(
        small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> None:
    small_data["institutions"][0]["services"][0]["topics"] = ["schuldnerberatung", "jobsuche"]
    directory = load_directory(directory_yaml(small_data))
    assert directory.service("wiq-fallmanagement").topics == ("schuldnerberatung", "jobsuche")
    entry = next(e for e in index_for(directory).entries if e.service.id == "wiq-fallmanagement")
    assert entry.topics == {"schuldnerberatung", "jobsuche"} and not entry.derived


def test_suggest_topic() -> None:
    assert suggest_topic("Schuldenberatung") == "schuldnerberatung"
    assert topic_label("kita-platz", "tr") == "Kreş yeri"
    assert topic_label("nope") == "nope"


@pytest.mark.parametrize("key", list(all_topics()))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_topic_is_understood_from_its_words_in_every_language(index: Any, key: str,
                                                                    lang: str) -> None:
    word = all_topics()[key].words[lang][0]
    understood = understand(word, index)
    assert key in understood.topic_scores, (word, understood.topic_scores)


@pytest.mark.parametrize("key", list(all_topics()))
def test_turkish_without_special_letters_and_arabic_with_diacritics(index: Any,
                                                                     key: str) -> None:
    turkish = next(plain(w) for w in all_topics()[key].words["tr"] if len(w) > 3)
    assert key in understand(turkish, index).topic_scores, turkish
    arabic = all_topics()[key].words["ar"][0]
    marked = "".join(c + (_ARABIC_MARKS[i % 3] if "\u0621" <= c <= "\u064a" else "")
                     for i, c in enumerate(arabic))
    assert unicodedata.normalize("NFC", marked) != arabic
    assert key in understand(marked, index).topic_scores, marked


@pytest.mark.parametrize(("query", "language", "topic"), [
    ("Schuldnerberatung", "de", "schuldnerberatung"),
    ("my son smokes weed", "en", "suchtberatung"),
    ("borçlarım var", "tr", "schuldnerberatung"),
    ("borclarim var", "tr", "schuldnerberatung"),
    ("kreşe yer arıyorum", "tr", "kita-platz"),
    ("iş arıyorum", "tr", "jobsuche"),
    ("الدُّيُون", "ar", "schuldnerberatung"),
    ("أبحث عن روضة للأطفال", "ar", "kita-platz"),
    ("ابحث عن روضه للاطفال", "ar", "kita-platz"),
    ("Zuschuss Klassenfahrt", "de", "bildung-und-teilhabe"),
    ("Mutter spricht kein Deutsch", "de", "integrationskurs"),
])
def test_queries_are_read_in_their_language(index: Any, query: str, language: str,
                                             topic: str) -> None:
    understood = understand(query, index)
    assert understood.language == language
    assert understood.topics[0] == topic


def test_english_small_words_are_not_turkish_topics(index: Any) -> None:
    understood = understand("this is it", index)
    assert understood.topic_scores == {} and understood.language == "en"


def test_a_german_word_is_not_read_as_a_turkish_word_with_an_ending(index: Any) -> None:
    assert understand("montags", index).topic_scores == {}
    assert understand("Kita", index).topic_scores == {"kita-platz": 1.0}
