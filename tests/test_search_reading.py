"""Reading one content word: its steps are planned once per index and applied per query."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wiqnet.datafile.load import load_directory
from wiqnet.search.index import SearchIndex, index_for
from wiqnet.search.lexicon import word_hits
from wiqnet.search.query import understand
from wiqnet.search.reading import FIX, NEEDS, TERM, TOPICS, plan_for


@pytest.fixture
def index(small_data: dict[str, Any], directory_yaml: Callable[..., Path]) -> SearchIndex:
    """Return the index of the sample data."""
    return index_for(load_directory(directory_yaml(small_data)))


def test_a_word_is_planned_once_per_index(index: SearchIndex) -> None:
    plan = plan_for(index)
    assert plan_for(index) is plan
    hits = word_hits("schuldnerberatung")
    steps = plan("schuldnerberatung", hits, True)
    assert plan("schuldnerberatung", hits, True) is steps
    assert {kind for kind, _, _ in steps} <= {TERM, NEEDS, TOPICS}
    assert any(kind == TOPICS and "schuldnerberatung" in values for kind, values, _ in steps)


def test_a_typo_plans_its_correction_and_the_corrected_reading(index: SearchIndex) -> None:
    steps = plan_for(index)("schuldnerberatnug", (), True)
    fixes = [values for kind, values, _ in steps if kind == FIX]
    assert fixes == [("schuldnerberatnug", "schuldnerberatung")]
    # Without correcting, an unknown word plans nothing but its known parts.
    assert not any(kind == FIX for kind, _, _ in plan_for(index)("schuldnerberatnug", (), False))


def test_a_planned_word_is_applied_at_the_weight_it_has_in_the_query(index: SearchIndex) -> None:
    alone = understand("Schuldnerberatung", index)
    for_whom = understand("Tagesmutter für Schuldnerberatung", index)
    assert for_whom.topic_scores["schuldnerberatung"] < alone.topic_scores["schuldnerberatung"]
    assert understand("Schuldnerberatnug", index).corrections == {
        "schuldnerberatnug": "schuldnerberatung"
    }
