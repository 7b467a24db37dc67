"""`wiqnet user add|remove|list|passwd`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.security import generate_password_hash

from wiqnet.accounts import Accounts
from wiqnet.cli import main
from wiqnet.state import StateDB, create_session, lookup_session

PASSWORD = "geheim-genug-123"


def test_add_list_passwd_remove(runner: CliRunner, instance_dir: Path) -> None:
    result = runner.invoke(
        main, ["user", "add", "anna", "--role", "coordinator"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert f"Added account anna (coordinator) to {instance_dir / 'accounts.json'}" in result.output
    assert runner.invoke(main, ["user", "list"]).output == "anna\tcoordinator\n"
    token = create_session(StateDB(instance_dir), "anna")
    result = runner.invoke(main, ["user", "passwd", "anna", "--password", "ganz-neues-pw"])
    assert result.output == "New password set for anna; ended 1 session(s)\n"
    assert lookup_session(StateDB(instance_dir), token) is None
    assert Accounts(instance_dir).authenticate("anna", "ganz-neues-pw") is not None
    result = runner.invoke(main, ["user", "remove", "anna"])
    assert result.output == "Removed account anna; ended 0 session(s)\n"
    assert "No accounts in" in runner.invoke(main, ["user", "list"]).output


def test_errors_are_clean_messages(runner: CliRunner) -> None:
    result = runner.invoke(main, ["user", "add", "anna", "--password", "kurz"])
    assert result.exit_code == 2
    assert result.output == "Error: use at least 10 characters\n"
    result = runner.invoke(main, ["user", "remove", "niemand"])
    assert result.exit_code == 2
    assert "Error: no account 'niemand'" in result.output


def test_the_legacy_hash_is_listed(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIQNET_ADMIN_PASSWORD_HASH", generate_password_hash(PASSWORD))
    output = runner.invoke(main, ["user", "list"]).output
    assert output == "koordination\tcoordinator (from ADMIN_PASSWORD_HASH)\n"
