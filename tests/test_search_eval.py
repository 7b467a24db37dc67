"""Search quality on the shipped data: the dev set (>= 95 % hit@3) and our held-out set."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.config import load_settings
from wiqnet.datafile.load import load_directory
from wiqnet.model import Directory
from wiqnet.search import SearchRequest, search

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "institutions.yaml"
NOW = datetime(2026, 11, 25, 10, 0)


@pytest.fixture(scope="module")
def shipped() -> Directory:
    if not SHIPPED.is_file():
        pytest.skip("data/institutions.yaml is not there")
    return load_directory(SHIPPED)


def hit_rate(directory: Directory, queries: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """Return the share of queries with a wanted need in the first 3 results, and the misses."""
    misses = []
    for query in queries:
        response = search(
            directory, SearchRequest(query=query["q"], limit=3), load_settings(), now=NOW
        )
        if not any(set(r.needs) & set(query["any"]) for r in response.results):
            misses.append(f"{query['q']} (wanted {query['any']}, understood {response.needs})")
    return 1 - len(misses) / len(queries), misses


@pytest.mark.shared
def test_dev_set_hit_at_3_is_at_least_95_percent(shipped: Directory, shared: Path) -> None:
    queries = yaml.safe_load((shared / "eval" / "referral-queries.yaml").read_text("utf-8"))
    score, misses = hit_rate(shipped, queries["queries"])
    print(f"dev set hit@3: {score:.1%} of {len(queries['queries'])}; misses: {misses}")
    assert score >= 0.95, misses


def test_held_out_set_hit_at_3_is_at_least_85_percent(shipped: Directory) -> None:
    queries = yaml.safe_load((ROOT / "tests" / "heldout_queries.yaml").read_text("utf-8"))
    score, misses = hit_rate(shipped, queries["queries"])
    print(f"held-out hit@3: {score:.1%} of {len(queries['queries'])}; misses: {misses}")
    assert score >= 0.85, misses
