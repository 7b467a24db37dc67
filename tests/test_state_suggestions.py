"""The suggestions table: store, list page by page, decide once, refuse oversized ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiqnet.state import (
    StateDB,
    SuggestionError,
    add_suggestion,
    count_open,
    decide,
    get_suggestion,
    list_suggestions,
)
from wiqnet.state.suggestions import MAX_PAYLOAD


def test_a_suggestion_round_trips(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    payload = {"changes": {"phone": "0800 1"}, "before": {"phone": "0800 2"}, "message": "ä"}
    number = add_suggestion(db, "wiq", payload, "info@example.org", now=100.0)
    found = get_suggestion(db, number)
    assert found is not None
    assert (found.institution, found.status, found.payload) == ("wiq", "open", payload)
    assert (found.contact, found.created, found.reviewer, found.decided) == (
        "info@example.org",
        100.0,
        None,
        None,
    )
    assert get_suggestion(db, number + 1) is None


def test_the_queue_lists_open_ones_oldest_first_page_by_page(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    numbers = [add_suggestion(db, f"i{n}", {}, now=1000.0 - n) for n in range(5)]
    page, total = list_suggestions(db, "open", limit=2, offset=0)
    assert total == 5
    assert [s.id for s in page] == [numbers[4], numbers[3]]
    assert [s.id for s in list_suggestions(db, "open", limit=2, offset=4)[0]] == [numbers[0]]
    assert count_open(db) == 5
    assert count_open(db, "i1") == 1


def test_a_suggestion_is_decided_once(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    number = add_suggestion(db, "wiq", {})
    assert decide(db, number, "rejected", "ben", "alt", now=5.0)
    assert not decide(db, number, "accepted", "cem")
    found = get_suggestion(db, number)
    assert found is not None
    assert (found.status, found.reviewer, found.reason, found.decided) == (
        "rejected",
        "ben",
        "alt",
        5.0,
    )
    assert list_suggestions(db, "open") == ([], 0)
    assert [s.id for s in list_suggestions(db, "rejected")[0]] == [number]


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda db: add_suggestion(db, "wiq", {"x": "y" * MAX_PAYLOAD}), "suggestion.too_big"),
        (lambda db: add_suggestion(db, "wiq", {}, "k" * 201), "suggestion.too_big"),
        (lambda db: decide(db, 1, "open", "ben"), "suggestion.status"),
        (lambda db: decide(db, 1, "rejected", "ben", "r" * 1001), "suggestion.too_big"),
        (lambda db: list_suggestions(db, "kaputt"), "suggestion.status"),
    ],
    ids=["payload", "contact", "undecided-status", "reason", "list-status"],
)
def test_bad_calls_raise_a_named_error(tmp_path: Path, call: object, code: str) -> None:
    db = StateDB(tmp_path)
    with pytest.raises(SuggestionError) as caught:
        call(db)  # type: ignore[operator]
    assert caught.value.code == code
    assert list_suggestions(db, "open") == ([], 0)


@settings(max_examples=30, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_is_stored_as_given(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    db = StateDB(tmp_path_factory.mktemp("state"))
    number = add_suggestion(db, "wiq", {"message": text}, text)
    found = get_suggestion(db, number)
    assert found is not None
    assert (found.payload["message"], found.contact) == (text, text)
