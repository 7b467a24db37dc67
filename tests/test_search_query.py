"""Reading a query: who it is for, negated phrases, told ages and situations split into needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiqnet.datafile.load import load_directory
from wiqnet.search.analysis import fold, stem, tokens
from wiqnet.search.index import SearchIndex, index_for
from wiqnet.search.query import FOR_WHOM, understand
from wiqnet.search.situation import situation
from wiqnet.topics import all_topics


def service(sid: str, name: str, topics: list[str], needs: list[str]) -> dict[str, Any]:
    """Return a service in the data file's format."""
    return {"id": sid, "name": name, "description": name, "needs": needs, "topics": topics}


@pytest.fixture
def index(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> SearchIndex:
    """Return the index of the sample plus a catch-all about debts and day care at once."""
    small_data["institutions"][1]["services"].append(
        service(
            "schulden-und-kita",
            "Schulden und Kita",
            ["schuldnerberatung", "kita-platz"],
            ["finanzen", "kinderbetreuung"],
        )
    )
    return index_for(load_directory(directory_yaml(small_data)))


def test_words_right_after_fuer_a_named_need_say_for_whom(index: SearchIndex) -> None:
    understood = understand("Tagesmutter für Baby", index)
    assert understood.topics[0] == "kindertagespflege"
    assert understood.topic_scores["fruehe-hilfen"] == FOR_WHOM
    # After a word that names nothing, "für" does not weaken what follows.
    money = understand("kein Geld für Babyausstattung", index)
    assert max(money.topic_scores.values()) == 1.0
    # "und" starts a new need.
    both = understand("Tagesmutter für die Kleine und Beratung bei Schulden", index)
    assert both.topic_scores["schuldnerberatung"] == 1.0


def test_who_it_is_for_forms_no_need_of_its_own(index: SearchIndex) -> None:
    understood = understand("Kleidung und Möbel für eine geflüchtete Familie", index)
    parts = situation(understood, index)
    assert "asylberatung" not in {key for part in parts for key in part}


@pytest.mark.parametrize(
    "query", ["ohne Wohnung", "keine Wohnung mehr", "drogenabhängig und ohne Wohnung"]
)
def test_a_negation_completes_a_phrase(index: SearchIndex, query: str) -> None:
    understood = understand(query, index)
    assert "wohnungsnotfallhilfe" in understood.topic_scores
    assert "wohnungssuche" not in understood.topic_scores


@pytest.mark.parametrize(
    ("query", "age"),
    [
        ("16-jährige Tochter ritzt sich", 16.0),
        ("youth club for teenagers", 15.0),
        ("Schulden und Depressionen", None),
    ],
)
def test_the_told_age_is_understood_and_kept_in_every_part(
    index: SearchIndex, query: str, age: float | None
) -> None:
    understood = understand(query, index)
    assert understood.age == age
    assert understood.only(understood.topics[:1]).age == age


def test_a_joined_query_is_split_even_when_one_service_offers_both(index: SearchIndex) -> None:
    joined = situation(understand("Schulden und Kita", index), index)
    assert sorted(part[0] for part in joined) == ["kita-platz", "schuldnerberatung"]
    # Told in few words without a joining word, the one service asked for is meant.
    assert situation(understand("Schulden Kita", index), index) == []


def test_one_need_asked_twice_is_two_parts_unless_one_service_answers_both(
    small_data: dict[str, Any], directory_yaml: Callable[..., Path]
) -> None:
    services = small_data["institutions"][1]["services"]
    services.append(service("but", "Bildung und Teilhabe", ["bildung-und-teilhabe"], ["aemter"]))
    services.append(service("antrag", "Antragshilfe", ["antragshilfe"], ["aemter"]))
    services.append(
        service("paar", "Paarberatung", ["paarberatung", "trennung-umgang"], ["partnerschaft"])
    )
    index = index_for(load_directory(directory_yaml(small_data)))
    money = "Das Geld für die Klassenfahrt fehlt und Briefe vom Amt bleiben ungeöffnet"
    parts = situation(understand(money, index), index)
    assert sorted(parts) == [["antragshilfe"], ["bildung-und-teilhabe"]]
    couple = "Die Eltern haben eine Ehekrise, die Trennung steht bevor, dazu Schulden"
    parts = situation(understand(couple, index), index)
    assert sorted(sorted(part) for part in parts) == [
        ["paarberatung", "trennung-umgang"],
        ["schuldnerberatung"],
    ]


def test_a_long_situation_is_read_to_its_end(index: SearchIndex) -> None:
    story = (
        "Wir sind eine große Familie mit fünf Kindern und wohnen seit vielen Jahren hier "
        "im Viertel, der Vater arbeitet sehr viel, die Mutter ist oft allein zu Hause "
        "mit den Kleinen, und dazu kommen jetzt noch hohe Schulden"
    )
    assert len(tokens(story)) > 30
    assert "schuldnerberatung" in understand(story, index).topic_scores


def test_the_parts_keep_the_story_as_context(index: SearchIndex) -> None:
    understood = understand("Schulden und Suche nach einer Kita", index)
    part = understood.only(["schuldnerberatung"])
    assert part.terms["schuld"] == understood.terms["schuld"]
    assert 0 < part.terms["kita"] < understood.terms["kita"]


TOPIC_WORDS = [w for t in all_topics().values() for w in t.words["de"][:3]]
GLUE = ["und", "für", "ohne", "kein", "mit", "die", "Kinder", ",", "16-jährige", "seit"]


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None
)
@given(words=st.lists(st.sampled_from(TOPIC_WORDS + GLUE) | st.text(max_size=12), max_size=14))
def test_situation_parts_are_known_topics_each_adding_own_words(
    index: SearchIndex, words: list[str]
) -> None:
    understood = understand(" ".join(words), index)
    parts = situation(understood, index)
    assert len(parts) != 1
    keys = [key for part in parts for key in part]
    assert len(keys) == len(set(keys)) and set(keys) <= set(understood.topic_scores)
    seen: set[int] = set()
    for part in parts:
        positions = set().union(*(understood.topic_words[k] for k in part))
        assert positions - seen
        seen |= positions


def test_a_german_word_names_no_topic_by_its_english_stem(index: SearchIndex) -> None:
    # English "integration" stems to "integr", as does German "integrative".
    understood = understand("integrative Kita", index)
    assert "migrationsberatung" not in understood.topic_scores
    assert "integrationskurs" not in understood.topic_scores
    assert understood.topic_scores["behinderung"] == 1.0
    # The English phrase still reads as English.
    assert understand("integration course", index).topics == ["integrationskurs"]


def test_a_corrected_word_completes_a_phrase(index: SearchIndex) -> None:
    understood = understand("Psycholge fuer Kinder", index)
    assert understood.corrections == {"psycholge": "psychologe"}
    assert "psychische-gesundheit" not in understood.topics
    assert set(understood.topics) == {"erziehungsberatung", "schulpsychologie"}
    assert understood.text == "Psycholge fuer Kinder"


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("Privatinsolvenz anmelden", "insolvenzberatung"),
        ("Integrationskurs anmelden", "integrationskurs"),
        ("Wohnsitz anmelden", "buergerbuero"),
        ("braucht Pflege", "pflege"),
        ("Kurzzeitpflege im Heim", "pflegeheim"),
        ("Erziehungsbeistand", "hilfen-zur-erziehung"),
    ],
)
def test_everyday_words_name_the_right_topic(index: SearchIndex, query: str, topic: str) -> None:
    assert understand(query, index).topics == [topic]


@pytest.mark.parametrize(
    ("singular", "plural"), [("Deutschkurs", "Deutschkurse"), ("Kurs", "Kurse")]
)
def test_singular_and_plural_share_a_stem(singular: str, plural: str) -> None:
    assert stem(fold(singular)) == stem(fold(plural))


@pytest.mark.parametrize(
    "query",
    ["Mutter wird vom Partner geschlagen", "häusliche Gewalt", "aile içi şiddet", "عنف من الزوج"],
)
def test_partner_violence_asks_for_the_womens_shelter_too(index: SearchIndex, query: str) -> None:
    assert set(understand(query, index).topics) == {"gewaltschutz", "frauenhaus"}


def test_a_volunteer_helper_is_no_wish_to_volunteer(index: SearchIndex) -> None:
    assert "nachbarschaft" not in understand("ehrenamtlicher Sprachmittler", index).topic_scores
    assert understand("Ehrenamt finden", index).topics == ["nachbarschaft"]
