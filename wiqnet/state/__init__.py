"""The server's own state in one embedded SQLite database in the instance folder.

Kept here, not in process memory, so that it holds across gunicorn workers and restarts:
login sessions (so that logout revokes them) and failed login attempts (the lock-out).
The accounts themselves are a file beside it (`wiqnet.accounts`); the data file holds
neither.
"""

from __future__ import annotations

from .db import StateDB, instance_secret
from .sessions import SESSION_HOURS, create_session, lookup_session, revoke_account, revoke_session
from .throttle import FAILURE_WINDOW, MAX_FAILURES, begin_attempt, is_locked, login_succeeded

__all__ = [
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "SESSION_HOURS",
    "StateDB",
    "begin_attempt",
    "create_session",
    "instance_secret",
    "is_locked",
    "login_succeeded",
    "lookup_session",
    "revoke_account",
    "revoke_session",
]
