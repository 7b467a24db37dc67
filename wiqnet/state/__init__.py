"""The server's own state in one embedded SQLite database in the instance folder.

Kept here, not in process memory, so that it holds across gunicorn workers and restarts:
login sessions (so that logout revokes them), failed login attempts (the lock-out) and
the public's suggestions until an editor decides.
The accounts themselves are a file beside it (`wiqnet.accounts`); the data file holds
neither.
"""

from __future__ import annotations

from .db import StateDB, instance_secret
from .sessions import SESSION_HOURS, create_session, lookup_session, revoke_account, revoke_session
from .suggestions import (
    STATUSES,
    Suggestion,
    SuggestionError,
    add_suggestion,
    count_open,
    decide,
    get_suggestion,
    list_suggestions,
)
from .throttle import FAILURE_WINDOW, MAX_FAILURES, begin_attempt, is_locked, login_succeeded

__all__ = [
    "FAILURE_WINDOW",
    "MAX_FAILURES",
    "SESSION_HOURS",
    "STATUSES",
    "StateDB",
    "Suggestion",
    "SuggestionError",
    "add_suggestion",
    "count_open",
    "decide",
    "get_suggestion",
    "list_suggestions",
    "begin_attempt",
    "create_session",
    "instance_secret",
    "is_locked",
    "login_succeeded",
    "lookup_session",
    "revoke_account",
    "revoke_session",
]
