"""Login lock-out per account and client address, shared by all workers through SQLite.

MAX_FAILURES wrong passwords for one account from one address within FAILURE_WINDOW
seconds lock that pair until the oldest ages out. Other accounts from the same address,
and the same account from other addresses, are not affected.

An attempt is counted as a failure before the password is checked (in one write
transaction with the check of the count), and the row is removed when the password was
right; so parallel guesses in several workers cannot exceed the limit.
"""

from __future__ import annotations

import time

from .db import StateDB

MAX_FAILURES = 5
FAILURE_WINDOW = 600.0


def _key(account: str, address: str) -> tuple[str, str]:
    """Return the stored key of an account and address (bounded, case-folded account)."""
    return account.strip().casefold()[:64], address[:64]


def is_locked(db: StateDB, account: str, address: str, now: float | None = None) -> bool:
    """Return whether this account is locked for this address right now."""
    at = time.time() if now is None else now
    conn = db.connect()
    try:
        count = conn.execute(
            "SELECT count(*) FROM login_attempts WHERE account = ? AND address = ? AND at > ?",
            (*_key(account, address), at - FAILURE_WINDOW),
        ).fetchone()[0]
    finally:
        conn.close()
    return int(count) >= MAX_FAILURES


def begin_attempt(db: StateDB, account: str, address: str, now: float | None = None) -> bool:
    """Count a login attempt as failed for now; return False (nothing counted) when locked out."""
    at = time.time() if now is None else now
    with db.transaction() as conn:
        conn.execute("DELETE FROM login_attempts WHERE at <= ?", (at - FAILURE_WINDOW,))
        count = conn.execute(
            "SELECT count(*) FROM login_attempts WHERE account = ? AND address = ?",
            _key(account, address),
        ).fetchone()[0]
        if int(count) >= MAX_FAILURES:
            return False
        conn.execute(
            "INSERT INTO login_attempts (account, address, at) VALUES (?, ?, ?)",
            (*_key(account, address), at),
        )
        return True


def login_succeeded(db: StateDB, account: str, address: str) -> None:
    """Forget this pair's failures: the password was right."""
    with db.transaction() as conn:
        conn.execute(
            "DELETE FROM login_attempts WHERE account = ? AND address = ?", _key(account, address)
        )
