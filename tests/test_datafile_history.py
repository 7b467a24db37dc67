"""The change log beside the data file: every write is logged inside the writer; git commits."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from wiqnet.datafile import (
    add_institution,
    add_link,
    history,
    history_path,
    remove_link,
    retire_institution,
    update_institution,
)
from wiqnet.datafile.edit import edit_data_file
from wiqnet.datafile.history import Journal
from wiqnet.errors import UsageError, ValidationFailed
from wiqnet.model import Link, Source

NEW = {
    "id": "neu",
    "name": "Neue Stelle",
    "sources": [{"url": "https://example.org/neu", "date": date(2026, 11, 1)}],
    "services": [
        {
            "id": "neu-beratung",
            "name": "Beratung",
            "description": "Beratung für Eltern.",
            "needs": ["erziehung"],
        }
    ],
}


def test_an_edit_logs_who_what_and_why(data_path: Path) -> None:
    update_institution(
        data_path,
        "jobcenter",
        {"phone": "+49 2151 1234", "address.street": "Neue Straße 1"},
        expected_digest=None,
        actor="anna",
        reason="Anruf beim Jobcenter",
    )
    log = history_path(data_path)
    assert log == data_path.with_name(data_path.name + ".history.jsonl")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    raw = json.loads(lines[0])
    assert raw["time"].endswith("Z")
    (entry,) = history(data_path)
    assert (entry.actor, entry.action, entry.ids, entry.reason) == (
        "anna",
        "edit",
        ("jobcenter",),
        "Anruf beim Jobcenter",
    )
    changed = {c.field: (c.before, c.after) for c in entry.changes}
    assert changed["phone"][1] == "+49 2151 1234"
    assert changed["address.street"][1] == "Neue Straße 1"
    assert changed["address.street"][0] != "Neue Straße 1"


def test_every_writer_is_logged_with_its_action(data_path: Path) -> None:
    add_institution(data_path, NEW, expected_digest=None, actor="ben")
    retire_institution(data_path, "neu", expected_digest=None, actor="ben", reason="geschlossen")
    source = Source(date=date(2026, 11, 20), file="Protokoll Netzwerktreffen")
    add_link(data_path, Link("wiq", "fabrik-heeder", "kooperation", sources=(source,)))
    remove_link(data_path, "wiq", "fabrik-heeder", actor="carla")
    entries = history(data_path)
    assert [(e.action, e.actor) for e in entries] == [
        ("add", "ben"),
        ("retire", "ben"),
        ("link-add", "cli"),
        ("link-remove", "carla"),
    ]
    added = {c.field: c.after for c in entries[0].changes}
    assert added["name"] == "Neue Stelle"
    assert added["services[0].needs"] == ["erziehung"]
    assert added["sources[0].date"] == "2026-11-01"
    assert [(c.field, c.before, c.after) for c in entries[1].changes] == [
        ("status", None, "inactive")
    ]
    link_change = entries[2].changes[0]
    assert link_change.field == "links" and link_change.before is None
    assert link_change.after["to"] == "fabrik-heeder"
    assert entries[3].changes[0].after is None
    assert set(entries[2].ids) == {"wiq", "fabrik-heeder"}


def test_history_per_institution_includes_its_links(data_path: Path) -> None:
    update_institution(data_path, "wiq", {"phone": "+49 2151 86 0"}, expected_digest=None)
    update_institution(data_path, "jobcenter", {"phone": "+49 2151 9"}, expected_digest=None)
    remove_link(data_path, "wiq", "jobcenter")
    assert [e.action for e in history(data_path, "jobcenter")] == ["edit", "link-remove"]
    (entry,) = history(data_path, "jobcenter")[1:]
    assert entry.changes_for("jobcenter") == entry.changes
    assert [e.action for e in history(data_path, "wiq")] == ["edit", "link-remove"]
    assert history(data_path, "kita-st-stephan") == []


def test_refused_and_unchanged_writes_are_not_logged(data_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        update_institution(data_path, "wiq", {"name": ""}, expected_digest=None)
    update_institution(data_path, "wiq", {}, expected_digest=None)
    edit_data_file(data_path, lambda data: None, dry_run=True)
    assert history(data_path) == []
    assert not history_path(data_path).exists()


def test_the_log_is_only_appended(data_path: Path) -> None:
    update_institution(data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None)
    first = history_path(data_path).read_bytes()
    update_institution(data_path, "wiq", {"phone": "+49 2151 2"}, expected_digest=None)
    assert history_path(data_path).read_bytes().startswith(first)
    assert [c.before for e in history(data_path)[1:] for c in e.changes] == ["+49 2151 1"]


def test_a_damaged_line_is_skipped_with_a_warning(
    data_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    update_institution(data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None)
    with history_path(data_path).open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-12-01T10:00:00Z", "act\n')
    update_institution(data_path, "wiq", {"phone": "+49 2151 2"}, expected_digest=None)
    with caplog.at_level(logging.WARNING, "wiqnet.history"):
        assert len(history(data_path)) == 2
    assert ":2: damaged history line skipped" in caplog.text


@pytest.mark.parametrize(
    ("action", "actor", "reason"),
    [("erase", "cli", ""), ("edit", " ", ""), ("edit", "cli", "x" * 2001)],
)
def test_a_bad_journal_is_refused(action: str, actor: str, reason: str) -> None:
    with pytest.raises(UsageError):
        Journal(action, actor, reason)


def test_a_log_that_cannot_be_written_keeps_the_write(
    data_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    history_path(data_path).mkdir()  # a folder where the log should be: open() fails
    with caplog.at_level(logging.ERROR, "wiqnet.history"):
        update_institution(data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None)
    assert "change log could not be written" in caplog.text
    data = yaml.safe_load(data_path.read_text(encoding="utf-8"))
    assert data["institutions"][0]["phone"] == "+49 2151 1"


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(data_path: Path) -> Path:
    """Make the data folder a git repository with the data file committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = data_path.parent
    _git(folder, "init", "-q")
    _git(folder, "add", data_path.name)
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "start")
    return folder


def test_git_commit_commits_each_write_with_the_editor_as_author(
    data_path: Path, repo: Path
) -> None:
    update_institution(
        data_path,
        "wiq",
        {"phone": "+49 2151 1"},
        expected_digest=None,
        actor="anna",
        reason="Anruf",
        git_commit=True,
    )
    assert _git(repo, "log", "-1", "--format=%an|%s|%b").strip() == "anna|wiqnet edit: wiq|Anruf"
    assert sorted(_git(repo, "show", "--name-only", "--format=", "HEAD").split()) == sorted(
        [data_path.name, history_path(data_path).name]
    )
    assert _git(repo, "status", "--porcelain", "--", data_path.name) == ""


def test_without_the_setting_nothing_is_committed(data_path: Path, repo: Path) -> None:
    update_institution(data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None)
    assert _git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_a_failing_commit_is_logged_and_keeps_the_write(
    data_path: Path, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with caplog.at_level(logging.WARNING, "wiqnet.history"):
        update_institution(
            data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None, git_commit=True
        )
    assert "refused by hook" in caplog.text
    assert "+49 2151 1" in data_path.read_text(encoding="utf-8")
    assert len(history(data_path)) == 1


def test_git_commit_outside_a_repository_is_logged(
    data_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "wiqnet.history"):
        update_institution(
            data_path, "wiq", {"phone": "+49 2151 1"}, expected_digest=None, git_commit=True
        )
    assert "git commit" in caplog.text or "not in a git work tree" in caplog.text
    assert len(history(data_path)) == 1


def test_logged_links_date_undated_links_and_removals(data_path: Path) -> None:
    from wiqnet.datafile import load_directory, logged_links
    from wiqnet.network.report import period

    undated = Link(
        "wiq", "fabrik-heeder", "kooperation", sources=(Source(date(2020, 1, 1), file="Protokoll"),)
    )
    add_link(data_path, undated)
    remove_link(data_path, "wiq", "jobcenter")  # logged without `until`
    today = date.today()
    logged = logged_links(data_path)
    assert logged[("wiq", "fabrik-heeder", "kooperation")].added == today
    gone = logged[("wiq", "jobcenter", "vermittlung")]
    assert (gone.added, gone.removed, gone.link.kind) == (None, today, "vermittlung")
    directory = load_directory(data_path)
    last_year = today.replace(year=today.year - 1)
    without_log = period(directory, last_year, today)
    # its first source (2020) is older than a year
    assert "fabrik-heeder" not in [link.target_id for link in without_log.new_links]
    assert without_log.ended == ()
    with_log = period(directory, last_year, today, logged)
    assert [link.target_id for link in with_log.new_links] == ["fabrik-heeder"]
    assert [(link.source_id, link.target_id) for link in with_log.ended] == [("wiq", "jobcenter")]
