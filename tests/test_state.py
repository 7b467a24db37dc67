"""The state database: schema, WAL mode, server-side sessions and the login lock-out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from wiqnet.state import (
    FAILURE_WINDOW,
    MAX_FAILURES,
    StateDB,
    begin_attempt,
    create_session,
    instance_secret,
    is_locked,
    login_succeeded,
    lookup_session,
    revoke_account,
    revoke_session,
)
from wiqnet.state.db import DB_NAME, StateError


def test_the_database_is_in_wal_mode_with_the_schema(tmp_path: Path) -> None:
    StateDB(tmp_path)
    StateDB(tmp_path)  # opening again applies nothing twice
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sessions", "login_attempts", "suggestions"} <= tables


def test_an_unusable_instance_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateError, match="cannot create the instance folder"):
        StateDB(tmp_path / "file" / "instance")


def test_a_session_lives_until_it_is_revoked_or_expires(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    token = create_session(db, "anna", hours=1, now=1000.0)
    assert lookup_session(db, token, now=1001.0) == "anna"
    assert lookup_session(db, token, now=1000.0 + 3601) is None
    assert lookup_session(db, token + "x", now=1001.0) is None
    revoke_session(db, token)
    assert lookup_session(db, token, now=1001.0) is None


def test_the_database_keeps_only_a_hash_of_the_token(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    token = create_session(db, "anna")
    assert token.encode() not in (tmp_path / DB_NAME).read_bytes()
    stored = sqlite3.connect(tmp_path / DB_NAME).execute("SELECT token_hash FROM sessions")
    assert token not in [r[0] for r in stored]


def test_revoking_an_account_ends_all_its_sessions(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    tokens = [create_session(db, "anna") for _ in range(2)]
    other = create_session(db, "ben")
    assert revoke_account(db, "anna") == 2
    assert [lookup_session(db, t) for t in tokens] == [None, None]
    assert lookup_session(db, other) == "ben"


def test_the_lock_out_counts_per_account_and_address(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    assert all(begin_attempt(db, "anna", "10.0.0.1", now=100.0) for _ in range(MAX_FAILURES))
    assert not begin_attempt(db, "anna", "10.0.0.1", now=101.0)
    assert is_locked(db, "ANNA", "10.0.0.1", now=101.0)
    assert begin_attempt(db, "ben", "10.0.0.1", now=101.0)
    assert begin_attempt(db, "anna", "10.0.0.2", now=101.0)
    assert begin_attempt(db, "anna", "10.0.0.1", now=100.0 + FAILURE_WINDOW + 1)


def test_a_right_password_forgets_the_failures(tmp_path: Path) -> None:
    db = StateDB(tmp_path)
    for _ in range(MAX_FAILURES - 1):
        begin_attempt(db, "anna", "a")
    login_succeeded(db, "anna", "a")
    assert not is_locked(db, "anna", "a")
    assert all(begin_attempt(db, "anna", "a") for _ in range(MAX_FAILURES))


def test_the_instance_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    secret = instance_secret(tmp_path)
    assert len(secret) == 64
    assert instance_secret(tmp_path) == secret
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
