"""Server-side login sessions: the cookie carries a random token, the database its hash.

Logout deletes the row, so a copied cookie stops working; removing an account or changing
its password deletes all of its rows.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from .db import StateDB

SESSION_HOURS = 12


def _hash(token: str) -> str:
    """Return the stored form of a session token (a leaked database gives no cookies)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_session(
    db: StateDB, account: str, hours: float = SESSION_HOURS, now: float | None = None
) -> str:
    """Start a session for the account; return its token (to put in the cookie)."""
    token = secrets.token_urlsafe(32)
    start = time.time() if now is None else now
    with db.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE expires < ?", (start,))
        conn.execute(
            "INSERT INTO sessions (token_hash, account, created, expires) VALUES (?, ?, ?, ?)",
            (_hash(token), account, start, start + hours * 3600),
        )
    return token


def lookup_session(db: StateDB, token: str, now: float | None = None) -> str | None:
    """Return the account of a live session token, or None (unknown, revoked or expired)."""
    if not token or len(token) > 200:
        return None
    conn = db.connect()
    try:
        row = conn.execute(
            "SELECT account, expires FROM sessions WHERE token_hash = ?", (_hash(token),)
        ).fetchone()
    finally:
        conn.close()
    if row is None or row[1] < (time.time() if now is None else now):
        return None
    return str(row[0])


def revoke_session(db: StateDB, token: str) -> None:
    """End one session (logout)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))


def revoke_account(db: StateDB, account: str) -> int:
    """End every session of an account; return how many there were."""
    with db.transaction() as conn:
        return conn.execute("DELETE FROM sessions WHERE account = ?", (account,)).rowcount
