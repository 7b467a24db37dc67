"""`wiqnet check ID` records a check; `wiqnet history [ID]` prints the change log."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from wiqnet.cli import main
from wiqnet.datafile import history


def verified(path: Path, inst_id: str) -> object:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return next(i for i in data["institutions"] if i["id"] == inst_id).get("verified")


def test_check_records_the_day_method_and_note(runner: CliRunner, data_path: Path) -> None:
    result = runner.invoke(
        main, ["check", "jobcenter", "--method", "phone", "--on", "2026-11-30", "--note", "ok"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Recorded a check of jobcenter (phone); verified: 2026-11-30.\n"
    assert verified(data_path, "jobcenter") == date(2026, 11, 30)
    (entry,) = history(data_path, "jobcenter")
    assert (entry.actor, entry.action, entry.reason) == ("cli", "check", "ok")
    assert entry.details == {"method": "phone", "on": "2026-11-30"}


def test_check_defaults_to_today(runner: CliRunner, data_path: Path) -> None:
    assert runner.invoke(main, ["check", "wiq", "--method", "visit"]).exit_code == 0
    assert verified(data_path, "wiq") == date.today()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "wiq", "--method", "fax"], "'fax' is not one of"),
        (["check", "wiq"], "Missing option '--method'"),
        (["check", "wiq", "--method", "phone", "--on", "30.11.2026"], "is not a date"),
        (["check", "wiq", "--method", "phone", "--on", "2999-01-01"], "lies in the future"),
        (["check", "wiq", "--method", "phone", "--note", "x" * 501], "at most 500"),
        (["check", "gibt-es-nicht", "--method", "phone"], "no institution with id"),
    ],
)
def test_bad_input_is_a_clear_message(
    runner: CliRunner, data_path: Path, args: list[str], message: str
) -> None:
    before = data_path.read_bytes()
    result = runner.invoke(main, args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert data_path.read_bytes() == before
    assert history(data_path) == []


def test_history_prints_the_log_of_one_institution(runner: CliRunner, data_path: Path) -> None:
    runner.invoke(main, ["check", "wiq", "--method", "phone", "--on", "2026-11-30"])
    runner.invoke(main, ["link", "remove", "wiq", "jobcenter"])
    result = runner.invoke(main, ["history", "jobcenter"])
    assert result.exit_code == 0, result.output
    assert "cli  link-remove" in result.output
    assert "check" not in result.output
    as_json = runner.invoke(main, ["history", "--json"]).output.splitlines()
    assert [json.loads(line)["action"] for line in as_json] == ["check", "link-remove"]
    assert "verified: '2021-04-13' -> '2026-11-30'" in runner.invoke(main, ["history"]).output


def test_git_commit_setting_commits_cli_writes(
    runner: CliRunner, data_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = data_path.parent
    git = ["git", "-C", str(folder)]
    subprocess.run([*git, "init", "-q"], check=True)
    monkeypatch.setenv("WIQNET_GIT_COMMIT", "yes")
    assert runner.invoke(main, ["check", "wiq", "--method", "phone"]).exit_code == 0
    log = subprocess.run(
        [*git, "log", "--format=%an %s"], check=True, capture_output=True, text=True
    )
    assert log.stdout == "cli wiqnet check: wiq\n"
