"""The model's one cache mechanism for derived data (Derived, Directory.derived)."""

from __future__ import annotations

import threading

import pytest

from wiqnet.model import Derived, Directory


def test_a_value_is_computed_once_per_key() -> None:
    calls: list[str] = []
    cache = Derived()

    def compute() -> list[str]:
        calls.append("x")
        return ["value"]

    first = cache.get("key", compute)
    assert cache.get("key", compute) is first
    assert calls == ["x"]
    assert "key" in cache and "other" not in cache


def test_the_least_recently_used_value_goes_first() -> None:
    cache = Derived(limit=2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    cache.get("a", lambda: 0)  # used again: now b is the oldest
    cache.get("c", lambda: 3)
    assert "a" in cache and "c" in cache and "b" not in cache


def test_a_failed_computation_keeps_nothing() -> None:
    cache = Derived()

    def fail() -> int:
        raise ValueError("broken")

    with pytest.raises(ValueError):
        cache.get("key", fail)
    assert cache.get("key", lambda: 2) == 2


def test_threads_asking_for_one_key_share_one_computation() -> None:
    cache = Derived()
    inside, release = threading.Event(), threading.Event()
    calls: list[int] = []
    results: list[object] = []

    def compute() -> object:
        calls.append(1)
        inside.set()
        release.wait()
        return object()

    first = threading.Thread(target=lambda: results.append(cache.get("key", compute)))
    first.start()
    inside.wait()
    second = threading.Thread(target=lambda: results.append(cache.get("key", compute)))
    second.start()
    release.set()
    first.join()
    second.join()
    assert calls == [1]
    assert results[0] is results[1]


def test_each_directory_has_its_own_derived_values() -> None:
    one, other = Directory(institutions=()), Directory(institutions=())
    assert one.derived("k", lambda: [1]) is one.derived("k", lambda: [2])
    assert other.derived("k", lambda: [2]) == [2]
