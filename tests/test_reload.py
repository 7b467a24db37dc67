"""The DirectoryHolder: cheap change checks, atomic swaps, last good data kept."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from wiqnet.datafile.reload import DirectoryHolder
from wiqnet.errors import DataFileError


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def write(path: Path, data: dict[str, Any]) -> None:
    """Write data as YAML to path."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_loads_on_first_use(data_path: Path) -> None:
    holder = DirectoryHolder(data_path)
    directory = holder.current()
    assert len(directory.institutions) == 5
    state = holder.state()
    assert state.reloads == 1 and state.errors == () and state.loaded_at is not None


def test_checks_the_file_at_most_once_per_interval(
        data_path: Path, small_data: dict[str, Any]) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, interval=1.0, clock=clock)
    first = holder.current()
    small_data["institutions"][0]["name"] = "WiQ neu"
    write(data_path, small_data)
    clock.now += 0.5
    assert holder.current() is first
    clock.now += 0.5
    second = holder.current()
    assert second is not first
    assert second.institution("wiq").name == "WiQ neu"  # type: ignore[union-attr]
    assert holder.state().reloads == 2


def test_unchanged_file_is_not_reloaded(data_path: Path) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, clock=clock)
    first = holder.current()
    clock.now += 5
    assert holder.current() is first
    assert holder.state().reloads == 1


def test_quarters_file_change_triggers_a_reload(data_path: Path) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, clock=clock)
    assert holder.current().institution("wiq").quarter == "stephanplatz"  # type: ignore[union-attr]
    (data_path.parent / "quarters.geojson").write_text(
        '{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    clock.now += 1
    assert holder.current().institution("wiq").quarter is None  # type: ignore[union-attr]


@pytest.mark.parametrize("broken, expected", [
    ("institutions:\n  - id: wiq\n    name: [unclosed\n",
     r"institutions\.yaml:\d+:\d+: YAML syntax error"),
    (None, r"institutions\.yaml:\d+:\d+: .*'raketen' is not a need category"),
])
def test_broken_edit_keeps_the_last_good_directory_and_logs_located_errors(
        data_path: Path, small_data: dict[str, Any], caplog: pytest.LogCaptureFixture,
        broken: str | None, expected: str) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, clock=clock)
    good = holder.current()
    if broken is None:
        small_data["institutions"][0]["services"][0]["needs"] = ["raketen"]
        write(data_path, small_data)
    else:
        data_path.write_text(broken, encoding="utf-8")
    clock.now += 1
    with caplog.at_level(logging.ERROR, logger="wiqnet.reload"):
        assert holder.current() is good
    state = holder.state()
    assert state.failed_at is not None
    assert any(re.search(expected, line) for line in state.errors), state.errors
    assert any("keeping the last good data" in r.getMessage() for r in caplog.records)
    caplog.clear()
    clock.now += 1
    with caplog.at_level(logging.ERROR, logger="wiqnet.reload"):
        holder.current()
    assert caplog.records == []  # logged once per change, not once per check


def test_fixing_the_file_clears_the_errors(data_path: Path, small_data: dict[str, Any]) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, clock=clock)
    holder.current()
    data_path.write_text("institutions: [", encoding="utf-8")
    clock.now += 1
    holder.current()
    assert holder.state().errors
    small_data["institutions"].pop()
    write(data_path, small_data)
    clock.now += 1
    assert len(holder.current().institutions) == 4
    assert holder.state().errors == ()


def test_without_any_good_data_current_raises(directory_yaml: Callable[..., Path]) -> None:
    holder = DirectoryHolder(directory_yaml("institutions: ["))
    with pytest.raises(DataFileError, match=r"institutions\.yaml:\d+:\d+: YAML syntax error"):
        holder.current()


def test_derived_data_lives_as_long_as_the_directory(data_path: Path,
                                                     small_data: dict[str, Any]) -> None:
    clock = Clock()
    holder = DirectoryHolder(data_path, clock=clock)
    calls: list[int] = []

    def count(directory: Any) -> int:
        calls.append(1)
        return len(directory.institutions)

    first = holder.current()
    assert first.derived("n", lambda: count(first)) == 5
    assert first.derived("n", lambda: count(first)) == 5
    assert len(calls) == 1
    small_data["institutions"].pop()
    write(data_path, small_data)
    clock.now += 1
    second = holder.current()
    assert second.derived("n", lambda: count(second)) == 4
    assert first.derived("n", lambda: count(first)) == 5  # an old directory keeps its own
    assert len(calls) == 2
