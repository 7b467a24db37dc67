"""The wording catalogue: German fallback, link kind labels, total language names."""

from __future__ import annotations

import pytest

from wiqnet.text import MAP, NETWORK, language_name, link_kind_label, wording


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("tr", "de", "Türkisch"),
    ("tr", "en", "Turkish"),
    ("ar", "tr", "Arapça"),
    ("xx", "de", "xx"),
    ("", "de", ""),
    ("tr", "no-such-locale", "Türkisch"),
    ("de_DE@@", "en", "de_DE@@"),
])
def test_language_name_is_total(code: str, lang: str, name: str) -> None:
    assert language_name(code, lang) == name


@pytest.mark.parametrize("table", [MAP, NETWORK])
def test_every_language_of_a_table_has_the_german_keys(table: dict[str, dict[str, str]]) -> None:
    assert all(set(words) == set(table["de"]) for words in table.values())
    assert wording(table, "ar") == table["de"]


def test_link_kind_labels_fall_back_to_german_then_to_the_kind() -> None:
    assert link_kind_label("vermittlung", "en") == "Referral"
    assert link_kind_label("vermittlung", "ar") == "Vermittlung"
    assert link_kind_label("freundschaft") == "freundschaft"
