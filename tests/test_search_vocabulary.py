"""The vocabulary file: shipped copies, validation with located errors, where it is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiqnet.errors import DataFileError
from wiqnet.needs import need_keys
from wiqnet.search.vocabulary import (
    default_path,
    load_vocabulary,
    parse_vocabulary,
    path_for,
)

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_vocabulary_is_valid_and_covers_every_need() -> None:
    vocabulary = load_vocabulary(ROOT / "data" / "vocabulary.yaml")
    covered = {need for needs in vocabulary.terms.values() for need in needs}
    assert covered == set(need_keys())
    assert vocabulary.needs_of("schuld") == ("finanzen",)
    assert len(vocabulary.words) > 500


def test_packaged_default_is_the_same_as_the_data_copy() -> None:
    assert default_path().read_bytes() == (ROOT / "data" / "vocabulary.yaml").read_bytes()


def test_words_phrases_and_negations() -> None:
    vocabulary = parse_vocabulary(
        "words:\n  erziehung:\n    - hört nicht\n  kinderbetreuung:\n    - Hort\n"
        "  finanzen:\n    - kein Geld\n    - Schulden\n".encode(),
        "v.yaml",
    )
    assert vocabulary.needs_of("hort") == ("kinderbetreuung",)
    assert vocabulary.phrases[frozenset({"hort", "nicht"})] == ("erziehung",)
    assert vocabulary.phrases[frozenset({"kein", "geld"})] == ("finanzen",)
    assert vocabulary.words == ("hort", "schulden")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "words:\n  finanzen:\n    - Schulden\n  finanzn:\n    - Geld\n",
            (
                "v.yaml:4:3: words.finanzn: 'finanzn' is not a need category (did you mean 'finanzen'?); "
                "the keys are: sozialberatung, arbeit"
            ),
        ),
        (
            "words:\n  finanzen: Schulden\n",
            "v.yaml:2:13: words.finanzen: expected a list of words, one per line starting with '- '",
        ),
        (
            "words:\n  finanzen:\n    - Schulden\n    - 12\n",
            "v.yaml:4:7: words.finanzen[1]: each entry must be a word or phrase in plain text",
        ),
        (
            "words:\n  finanzen:\n    - und für\n",
            (
                "v.yaml:3:7: words.finanzen[0]: 'und für' has only stop words (like 'und', 'für') "
                "and would never match"
            ),
        ),
        (
            "needs:\n  finanzen: []\n",
            "v.yaml:1:1: the file needs a top-level 'words:' block with one list per need key",
        ),
        (
            "version: 1\nwords: {}\nextra: 1\n",
            "v.yaml:3:1: extra: unknown top-level key; only 'version' and 'words' are allowed",
        ),
        ("words:\n  finanzen:\n  - [Schulden\n", "v.yaml:4:1: YAML syntax error"),
    ],
)
def test_bad_vocabulary_is_reported_with_line_and_column(text: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_vocabulary(text.encode(), "v.yaml")
    assert str(info.value).startswith(message)


def test_vocabulary_next_to_the_data_file_wins(tmp_path: Path) -> None:
    data = tmp_path / "institutions.yaml"
    assert path_for(data) == default_path()
    (tmp_path / "vocabulary.yaml").write_text("words:\n  finanzen: [Moos]\n", encoding="utf-8")
    assert path_for(data) == tmp_path / "vocabulary.yaml"
    assert load_vocabulary(path_for(data)).needs_of("moos") == ("finanzen",)
