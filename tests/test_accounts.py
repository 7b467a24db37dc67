"""Accounts in the instance folder: roles, hashed passwords, the legacy coordinator hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from wiqnet.accounts import LEGACY_ACCOUNT, Accounts, AccountsFileError, verify_password
from wiqnet.errors import NotFound, UsageError

PASSWORD = "geheim-genug-123"


def test_added_accounts_are_stored_hashed_and_private(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("anna", "editor", PASSWORD)
    text = (tmp_path / "accounts.json").read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert json.loads(text)["accounts"][0]["role"] == "editor"
    assert (tmp_path / "accounts.json").stat().st_mode & 0o777 == 0o600
    assert accounts.authenticate("anna", PASSWORD) is not None
    assert accounts.authenticate("anna", "falsch-falsch") is None
    assert accounts.authenticate("niemand", PASSWORD) is None


def test_roles_rank_coordinator_above_editor(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    editor = accounts.add("anna", "editor", PASSWORD)
    coordinator = accounts.add("ben", "coordinator", PASSWORD)
    assert editor.can("editor") and not editor.can("coordinator")
    assert coordinator.can("editor") and coordinator.can("coordinator")


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("Anna", "editor", PASSWORD, "invalid account name"),
        ("a", "editor", PASSWORD, "invalid account name"),
        ("anna", "admin", PASSWORD, "unknown role"),
        ("anna", "editor", "kurz", "at least 10 characters"),
    ],
)
def test_bad_accounts_are_refused(
    tmp_path: Path, name: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        Accounts(tmp_path).add(name, role, password)


def test_remove_and_passwd(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path)
    accounts.add("anna", "editor", PASSWORD)
    with pytest.raises(UsageError, match="exists already"):
        accounts.add("anna", "editor", PASSWORD)
    accounts.set_password("anna", "ganz-neues-passwort")
    assert accounts.authenticate("anna", PASSWORD) is None
    assert accounts.authenticate("anna", "ganz-neues-passwort") is not None
    accounts.remove("anna")
    assert accounts.all() == []
    with pytest.raises(NotFound):
        accounts.remove("anna")


def test_the_old_coordinator_hash_is_the_account_koordination(tmp_path: Path) -> None:
    legacy = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    accounts = Accounts(tmp_path, legacy_hash=legacy)
    account = accounts.authenticate(LEGACY_ACCOUNT, PASSWORD)
    assert account is not None and account.role == "coordinator"
    accounts.set_password(LEGACY_ACCOUNT, "ganz-neues-passwort")
    assert accounts.authenticate(LEGACY_ACCOUNT, PASSWORD) is None
    assert [a.name for a in Accounts(tmp_path).all()] == [LEGACY_ACCOUNT]


def test_werkzeug_scrypt_hashes_are_read() -> None:
    assert verify_password(generate_password_hash(PASSWORD), PASSWORD)
    assert not verify_password(generate_password_hash(PASSWORD), "falsch")
    assert not verify_password("kein-hash", PASSWORD)


def test_a_broken_accounts_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "accounts.json").write_text("{", encoding="utf-8")
    with pytest.raises(AccountsFileError, match="restore it from accounts.json.bak"):
        Accounts(tmp_path).all()
